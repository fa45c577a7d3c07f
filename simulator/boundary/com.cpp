// The few COM runtime calls requester and writer code makes before it reaches VSS. There is no
// apartment machinery behind them: they keep the return-code sequences client code branches on.
#include <atomic>
#include <cstdlib>
#include <string_view>

#include <objbase.h>
#include <windows.h>

#include "core/guid.h"


namespace {

enum class Apartment { None, SingleThreaded, MultiThreaded };

// COM initialisation is per thread; each successful CoInitialize(Ex), S_FALSE included, needs one
// CoUninitialize.
struct ThreadCom {
    Apartment apartment = Apartment::None;
    unsigned long depth = 0;
};
thread_local ThreadCom threadCom;

std::atomic<bool> securityInitialized{false};

bool isBracedGuidText(std::wstring_view text) noexcept
{
    return text.size() == vsssim::kGuidTextLength && text.front() == L'{' && text.back() == L'}';
}

} // namespace

extern "C" HRESULT CoInitializeEx(LPVOID pvReserved, DWORD dwCoInit)
{
    (void)pvReserved;
    const Apartment wanted =
        (dwCoInit & COINIT_APARTMENTTHREADED) ? Apartment::SingleThreaded : Apartment::MultiThreaded;
    ThreadCom &com = threadCom;
    if (com.depth == 0) {
        com.apartment = wanted;
        com.depth = 1;
        return S_OK;
    }
    if (com.apartment != wanted)
        return RPC_E_CHANGED_MODE;
    ++com.depth;
    return S_FALSE;
}

extern "C" HRESULT CoInitialize(LPVOID pvReserved)
{
    return CoInitializeEx(pvReserved, COINIT_APARTMENTTHREADED);
}

extern "C" void CoUninitialize(void)
{
    ThreadCom &com = threadCom;
    // An unbalanced call is harmless on Windows too; never let the count wrap.
    if (com.depth == 0)
        return;
    if (--com.depth == 0)
        com.apartment = Apartment::None;
}

extern "C" HRESULT CoInitializeSecurity(PSECURITY_DESCRIPTOR pSecDesc, LONG cAuthSvc,
                                        SOLE_AUTHENTICATION_SERVICE *asAuthSvc, void *pReserved1,
                                        DWORD dwAuthnLevel, DWORD dwImpLevel, void *pAuthList,
                                        DWORD dwCapabilities, void *pReserved3)
{
    (void)pSecDesc;
    (void)cAuthSvc;
    (void)asAuthSvc;
    (void)pReserved1;
    (void)dwAuthnLevel;
    (void)dwImpLevel;
    (void)pAuthList;
    (void)dwCapabilities;
    (void)pReserved3;
    // Security is process-wide and settles on the first call; later calls are too late.
    return securityInitialized.exchange(true) ? RPC_E_TOO_LATE : S_OK;
}

extern "C" LPVOID CoTaskMemAlloc(SIZE_T cb)
{
    // Documented: a zero-byte request still yields a valid pointer.
    return std::malloc(cb ? cb : 1);
}

extern "C" void CoTaskMemFree(LPVOID pv)
{
    std::free(pv);
}

extern "C" int StringFromGUID2(REFGUID rguid, LPOLESTR lpsz, int cchMax)
{
    constexpr int kChars = static_cast<int>(vsssim::kGuidTextLength) + 1;
    if (!lpsz || cchMax < kChars)
        return 0;
    vsssim::writeGuid(rguid, lpsz, vsssim::GuidCase::Upper);
    lpsz[vsssim::kGuidTextLength] = L'\0';
    return kChars;
}

extern "C" HRESULT CLSIDFromString(LPCOLESTR lpsz, LPCLSID pclsid)
{
    if (!pclsid)
        return E_INVALIDARG;
    // Documented: NULL gives GUID_NULL.
    if (!lpsz) {
        *pclsid = GUID_NULL;
        return NOERROR;
    }
    // Unbraced text would be a ProgID on Windows; with no registry to look it up, it is malformed.
    const std::wstring_view text{lpsz};
    const auto guid = isBracedGuidText(text) ? vsssim::parseGuid(text) : std::nullopt;
    if (!guid) {
        *pclsid = GUID_NULL;
        return CO_E_CLASSSTRING;
    }
    *pclsid = *guid;
    return NOERROR;
}

extern "C" HRESULT IIDFromString(LPCOLESTR lpsz, LPIID lpiid)
{
    if (!lpiid)
        return E_INVALIDARG;
    if (!lpsz) {
        *lpiid = GUID_NULL;
        return S_OK;
    }
    const std::wstring_view text{lpsz};
    const auto guid = isBracedGuidText(text) ? vsssim::parseGuid(text) : std::nullopt;
    if (!guid) {
        *lpiid = GUID_NULL;
        return E_INVALIDARG;
    }
    *lpiid = *guid;
    return S_OK;
}

extern "C" HRESULT CoCreateInstance(REFCLSID rclsid, LPUNKNOWN pUnkOuter, DWORD dwClsContext, REFIID riid, LPVOID *ppv)
{
    (void)rclsid;
    (void)dwClsContext;
    (void)riid;
    if (!ppv)
        return E_POINTER;
    *ppv = nullptr;
    if (pUnkOuter)
        return CLASS_E_NOAGGREGATION;
    // No class is registered in the simulation: VSS objects come from CreateVssBackupComponents.
    return REGDB_E_CLASSNOTREG;
}
