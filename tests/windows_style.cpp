// Written the way VSS requesters and writers are written on Windows: only the Windows headers, COM
// declaration macros, SAL annotations, L"" literals, BSTRs and wprintf. If this stops compiling or
// its checks fail, ported client code breaks the same way. main() returns 0 when every check holds.
#include <stdio.h>
#include <wchar.h>

// Old SAL (__in, __out) below, with C headers included before <windows.h>.
#include <windows.h>
#include <vss.h>
#include <vswriter.h>
#include <vsbackup.h>

static int g_cFailures = 0;

#define CHECK_TRUE(expr)                                                                 \
    do {                                                                                 \
        if (!(expr)) {                                                                   \
            fwprintf(stderr, L"windows-style: check failed at line %d: %hs\n", __LINE__, #expr); \
            ++g_cFailures;                                                               \
        }                                                                                \
    } while (0)

// A finished asynchronous operation, as a requester's test double would write it.
class CCompletedAsync : public IVssAsync
{
public:
    CCompletedAsync(IN HRESULT hrResult) : m_cRef(1), m_hrResult(hrResult), m_bCancelled(FALSE) { ++s_cObjects; }
    virtual ~CCompletedAsync() { --s_cObjects; }

    // IUnknown
    STDMETHOD(QueryInterface)(_In_ REFIID riid, _Out_ void **ppvObject);
    STDMETHOD_(ULONG, AddRef)();
    STDMETHOD_(ULONG, Release)();

    // IVssAsync
    STDMETHOD(Cancel)();
    STDMETHOD(Wait)(__in DWORD dwMilliseconds = INFINITE);
    STDMETHOD(QueryStatus)(__out HRESULT *pHrResult, __in_opt INT *pReserved);

    static LONG s_cObjects;

private:
    LONG m_cRef;
    HRESULT m_hrResult;
    BOOL m_bCancelled;
};

LONG CCompletedAsync::s_cObjects = 0;

STDMETHODIMP CCompletedAsync::QueryInterface(_In_ REFIID riid, _Out_ void **ppvObject)
{
    if (ppvObject == NULL)
        return E_POINTER;
    if (IsEqualIID(riid, __uuidof(IUnknown)) || IsEqualIID(riid, IID_IVssAsync)) {
        *ppvObject = static_cast<IVssAsync *>(this);
        AddRef();
        return S_OK;
    }
    *ppvObject = NULL;
    return E_NOINTERFACE;
}

STDMETHODIMP_(ULONG) CCompletedAsync::AddRef()
{
    return static_cast<ULONG>(++m_cRef);
}

STDMETHODIMP_(ULONG) CCompletedAsync::Release()
{
    LONG cRef = --m_cRef;
    if (cRef == 0)
        delete this;
    return static_cast<ULONG>(cRef);
}

STDMETHODIMP CCompletedAsync::Cancel()
{
    m_bCancelled = TRUE;
    return S_OK;
}

STDMETHODIMP CCompletedAsync::Wait(__in DWORD dwMilliseconds)
{
    UNREFERENCED_PARAMETER(dwMilliseconds);
    return S_OK;
}

STDMETHODIMP CCompletedAsync::QueryStatus(__out HRESULT *pHrResult, __in_opt INT *pReserved)
{
    UNREFERENCED_PARAMETER(pReserved);
    if (pHrResult == NULL)
        return E_INVALIDARG;
    *pHrResult = m_bCancelled ? VSS_S_ASYNC_CANCELLED : m_hrResult;
    return S_OK;
}

// A writer as the SDK samples declare one. Initialize is never called here: no writer runs.
class CSampleWriter : public CVssWriterEx2
{
public:
    CSampleWriter() : m_cFreezes(0) {}
    virtual ~CSampleWriter() {}

    virtual bool STDMETHODCALLTYPE OnIdentify(IN IVssCreateWriterMetadata *pMetadata);
    virtual bool STDMETHODCALLTYPE OnPrepareSnapshot();
    virtual bool STDMETHODCALLTYPE OnFreeze();
    virtual bool STDMETHODCALLTYPE OnThaw();
    virtual bool STDMETHODCALLTYPE OnAbort();
    virtual bool STDMETHODCALLTYPE OnBackupComplete(IN IVssWriterComponents *pComponent);

    // Reads the protected helpers the way a handler would, before any implementation exists.
    bool HelpersReportNoImplementation() const
    {
        return GetCurrentVolumeCount() == 0 && GetCurrentVolumeArray() == NULL &&
               GetCurrentSnapshotSetId() == GUID_NULL && GetContext() == 0 && GetCurrentLevel() == VSS_APP_AUTO &&
               !IsPathAffected(L"C:\\Data") && GetBackupType() == VSS_BT_UNDEFINED &&
               GetRestoreType() == VSS_RTYPE_UNDEFINED;
    }

    int m_cFreezes;
};

bool STDMETHODCALLTYPE CSampleWriter::OnIdentify(IN IVssCreateWriterMetadata *pMetadata)
{
    if (pMetadata == NULL)
        return false;
    HRESULT hr = pMetadata->AddComponent(VSS_CT_FILEGROUP, NULL, L"Data", L"Sample data", NULL, 0, false, true, true);
    return SUCCEEDED(hr);
}

bool STDMETHODCALLTYPE CSampleWriter::OnPrepareSnapshot()
{
    return true;
}

bool STDMETHODCALLTYPE CSampleWriter::OnFreeze()
{
    ++m_cFreezes;
    return true;
}

bool STDMETHODCALLTYPE CSampleWriter::OnThaw()
{
    return true;
}

bool STDMETHODCALLTYPE CSampleWriter::OnAbort()
{
    return true;
}

bool STDMETHODCALLTYPE CSampleWriter::OnBackupComplete(IN IVssWriterComponents *pComponent)
{
    UNREFERENCED_PARAMETER(pComponent);
    return true;
}

static void CheckAsyncRefcounting()
{
    CCompletedAsync *pAsyncImpl = new CCompletedAsync(VSS_S_ASYNC_FINISHED);
    IUnknown *pUnknown = pAsyncImpl;

    IVssAsync *pAsync = NULL;
    CHECK_TRUE(SUCCEEDED(pUnknown->QueryInterface(&pAsync)));
    CHECK_TRUE(pAsync != NULL);
    CHECK_TRUE(pAsync->AddRef() == 3);
    CHECK_TRUE(pAsync->Release() == 2);

    IVssBackupComponents *pBackup = reinterpret_cast<IVssBackupComponents *>(1);
    CHECK_TRUE(pUnknown->QueryInterface(IID_IVssBackupComponents, reinterpret_cast<void **>(&pBackup)) ==
               E_NOINTERFACE);
    CHECK_TRUE(pBackup == NULL);
    CHECK_TRUE(pUnknown->QueryInterface(IID_IVssAsync, NULL) == E_POINTER);

    HRESULT hrResult = S_OK;
    CHECK_TRUE(pAsync->Wait() == S_OK);
    CHECK_TRUE(pAsync->QueryStatus(&hrResult, NULL) == S_OK);
    CHECK_TRUE(hrResult == VSS_S_ASYNC_FINISHED);
    CHECK_TRUE(SUCCEEDED(hrResult) && hrResult != S_OK);
    CHECK_TRUE(pAsync->Cancel() == S_OK);
    CHECK_TRUE(pAsync->QueryStatus(&hrResult, NULL) == S_OK);
    CHECK_TRUE(hrResult == VSS_S_ASYNC_CANCELLED);

    CHECK_TRUE(pAsync->Release() == 1);
    CHECK_TRUE(CCompletedAsync::s_cObjects == 1);
    CHECK_TRUE(pUnknown->Release() == 0);
    CHECK_TRUE(CCompletedAsync::s_cObjects == 0);
}

static void CheckUuidof()
{
    IVssBackupComponentsEx3 *pEx3 = NULL;
    CHECK_TRUE(__uuidof(IVssBackupComponentsEx3) == IID_IVssBackupComponentsEx3);
    CHECK_TRUE(IsEqualIID(__uuidof(pEx3), IID_IVssBackupComponentsEx3));
    CHECK_TRUE(__uuidof(IVssAsync) == IID_IVssAsync);
    CHECK_TRUE(__uuidof(IUnknown) == IID_IUnknown);
    CHECK_TRUE(!IsEqualGUID(IID_IVssBackupComponentsEx3, IID_IVssBackupComponentsEx4));

    WCHAR wszIid[64];
    CHECK_TRUE(StringFromGUID2(__uuidof(pEx3), wszIid, 64) == 39);
    CHECK_TRUE(wcscmp(wszIid, L"{C191BFBC-B602-4675-8BD1-67D642F529D5}") == 0);
    IID iidBack = GUID_NULL;
    CHECK_TRUE(IIDFromString(wszIid, &iidBack) == S_OK);
    CHECK_TRUE(iidBack == IID_IVssBackupComponentsEx3);
    wprintf(L"IID_IVssBackupComponentsEx3 = %ls\n", wszIid);
}

static void CheckBstr()
{
    BSTR bstrWriterName = SysAllocString(L"Sample Writer");
    CHECK_TRUE(bstrWriterName != NULL);
    if (bstrWriterName == NULL)
        return;
    CHECK_TRUE(SysStringLen(bstrWriterName) == 13);
    CHECK_TRUE(SysStringByteLen(bstrWriterName) == 13 * sizeof(OLECHAR));
    CHECK_TRUE(wcscmp(bstrWriterName, L"Sample Writer") == 0);
    wprintf(L"writer name: %ls (%u characters)\n", bstrWriterName, SysStringLen(bstrWriterName));
    SysFreeString(bstrWriterName);
    bstrWriterName = NULL;
    SysFreeString(bstrWriterName);
}

static void CheckWriterDeclaration()
{
    CSampleWriter writer;
    CHECK_TRUE(writer.OnPrepareSnapshot());
    CHECK_TRUE(writer.OnFreeze());
    CHECK_TRUE(writer.OnThaw());
    CHECK_TRUE(writer.m_cFreezes == 1);
    CHECK_TRUE(!writer.OnIdentify(NULL));
    CHECK_TRUE(writer.HelpersReportNoImplementation());
    // Without Initialize there is no implementation, and the SDK's inline bodies say so with E_FAIL.
    CHECK_TRUE(writer.Subscribe() == E_FAIL);
    CHECK_TRUE(writer.Unsubscribe() == E_FAIL);
    CHECK_TRUE(writer.SetWriterFailureEx(VSS_E_WRITERERROR_RETRYABLE) == E_FAIL);
    VSS_ID idSession = GUID_NULL;
    CHECK_TRUE(writer.GetSessionId(&idSession) == E_FAIL);

    CVssWriter *pBase = &writer;
    CHECK_TRUE(pBase->OnFreeze());
    CHECK_TRUE(writer.m_cFreezes == 2);
}

static int wmain_like(IN int argc, OUT LPCWSTR *pwszLast)
{
    UNREFERENCED_PARAMETER(argc);
    *pwszLast = L"done";
    CheckAsyncRefcounting();
    CheckUuidof();
    CheckBstr();
    CheckWriterDeclaration();
    return g_cFailures;
}

int main(int argc, char **argv)
{
    UNREFERENCED_PARAMETER(argv);
    LPCWSTR wszLast = NULL;
    int cFailures = wmain_like(argc, &wszLast);
    if (cFailures != 0) {
        fwprintf(stderr, L"windows-style: %d check(s) failed\n", cFailures);
        return 1;
    }
    wprintf(L"windows-style: all checks passed (%ls)\n", wszLast);
    return 0;
}
