#include "boundary/bstr.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cwchar>
#include <limits>
#include <mutex>
#include <unordered_map>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace vsssim {

namespace {

// p-8..p-5 padding keeps p 8-byte aligned as on 64-bit Windows; p-4..p-1 hold the byte length.
constexpr std::size_t kHeaderBytes = 8;
constexpr std::size_t kLengthOffset = 4;
constexpr std::size_t kTerminatorBytes = sizeof(wchar_t);

struct Registry {
    std::mutex mutex;
    std::unordered_map<const void *, const char *> live;
};

Registry &registry() noexcept
{
    // Never destroyed: a client's static object may free its BSTR after our statics are gone.
    static Registry *const instance = new Registry;
    return *instance;
}

std::atomic<ForeignBstrFreeHook> foreignFreeHook{nullptr};

void reportForeignFree(const void *ptr) noexcept
{
    if (ForeignBstrFreeHook hook = foreignFreeHook.load(std::memory_order_acquire)) {
        hook(ptr);
        return;
    }
    try {
        static constexpr std::string_view message =
            "SysFreeString({}): not a live BSTR from this library (a literal, foreign memory or a double "
            "free); left alone";
        // stdout may carry TAP or --json, so without the api logger the warning goes to stderr.
        if (auto log = spdlog::get("api"))
            log->warn(message, fmt::ptr(ptr));
        else
            fmt::print(stderr, "warning: {}\n", fmt::format(message, fmt::ptr(ptr)));
    } catch (...) {
        // Reporting must never turn a requester mistake into a crash.
    }
}

unsigned char *blockOf(BSTR bstr) noexcept
{
    return reinterpret_cast<unsigned char *>(bstr) - kHeaderBytes;
}

std::uint32_t prefixOf(BSTR bstr) noexcept
{
    std::uint32_t byteLength = 0;
    std::memcpy(&byteLength, reinterpret_cast<const unsigned char *>(bstr) - kLengthOffset, sizeof byteLength);
    return byteLength;
}

/// Allocates and registers a BSTR of byteLength bytes, zero-filled: zeroes instead of Windows'
/// uninitialised memory keep runs reproducible.
BSTR allocZeroed(std::size_t byteLength, const char *origin) noexcept
{
    if (byteLength > std::numeric_limits<std::uint32_t>::max())
        return nullptr;
    const std::size_t total = kHeaderBytes + byteLength + kTerminatorBytes;
    auto *block = static_cast<unsigned char *>(std::calloc(1, total));
    if (!block)
        return nullptr;
    const auto prefix = static_cast<std::uint32_t>(byteLength);
    std::memcpy(block + kLengthOffset, &prefix, sizeof prefix);
    auto bstr = reinterpret_cast<BSTR>(block + kHeaderBytes);
    try {
        Registry &r = registry();
        std::lock_guard lock(r.mutex);
        r.live.emplace(bstr, origin);
    } catch (...) {
        std::free(block);
        return nullptr;
    }
    return bstr;
}

BSTR allocChars(const OLECHAR *chars, std::size_t count, const char *origin) noexcept
{
    if (count > std::numeric_limits<std::uint32_t>::max() / sizeof(OLECHAR))
        return nullptr;
    BSTR bstr = allocZeroed(count * sizeof(OLECHAR), origin);
    if (bstr && chars && count)
        std::memcpy(bstr, chars, count * sizeof(OLECHAR));
    return bstr;
}

bool isLive(const void *ptr) noexcept
{
    Registry &r = registry();
    std::lock_guard lock(r.mutex);
    return r.live.find(ptr) != r.live.end();
}

/// Frees a registered BSTR; anything else is reported and kept.
void freeBstr(BSTR bstr) noexcept
{
    if (!bstr)
        return;
    bool ours = false;
    {
        Registry &r = registry();
        std::lock_guard lock(r.mutex);
        ours = r.live.erase(bstr) == 1;
    }
    if (!ours) {
        reportForeignFree(bstr);
        return;
    }
    std::free(blockOf(bstr));
}

/// SysReAllocStringLen's work, with the caller's name as the new string's origin.
INT reallocChars(BSTR *pbstr, const OLECHAR *psz, std::size_t len, const char *origin) noexcept
{
    if (!pbstr)
        return FALSE;
    BSTR old = *pbstr;
    BSTR fresh = allocChars(psz, len, origin);
    if (!fresh)
        return FALSE;
    if (!psz && old && isLive(old)) {
        // Windows leaves the new text unspecified; oleaut32 reallocates in place, so callers that
        // grow a buffer find their old characters. Keep them, and zeroes after.
        const std::size_t keep = std::min<std::size_t>(prefixOf(old) / sizeof(OLECHAR), len);
        std::memcpy(fresh, old, keep * sizeof(OLECHAR));
    }
    // Free only after copying: psz may point into the old string.
    freeBstr(old);
    *pbstr = fresh;
    return TRUE;
}

} // namespace

BSTR allocBstr(std::wstring_view text, const char *origin) noexcept
{
    return allocChars(text.data(), text.size(), origin);
}

BSTR allocBstrOrNull(const wchar_t *textOrNull, const char *origin) noexcept
{
    return textOrNull ? allocChars(textOrNull, std::wcslen(textOrNull), origin) : nullptr;
}

std::size_t liveBstrCount() noexcept
{
    Registry &r = registry();
    std::lock_guard lock(r.mutex);
    return r.live.size();
}

std::vector<std::string> liveBstrOrigins()
{
    Registry &r = registry();
    std::lock_guard lock(r.mutex);
    std::vector<std::string> origins;
    origins.reserve(r.live.size());
    for (const auto &[ptr, origin] : r.live)
        origins.emplace_back(origin ? origin : "");
    return origins;
}

void setForeignBstrFreeHook(ForeignBstrFreeHook hook) noexcept
{
    foreignFreeHook.store(hook, std::memory_order_release);
}

} // namespace vsssim

extern "C" BSTR SysAllocString(const OLECHAR *psz)
{
    return vsssim::allocBstrOrNull(psz, "SysAllocString");
}

extern "C" BSTR SysAllocStringLen(const OLECHAR *strIn, UINT ui)
{
    return vsssim::allocChars(strIn, ui, "SysAllocStringLen");
}

extern "C" BSTR SysAllocStringByteLen(LPCSTR psz, UINT len)
{
    BSTR bstr = vsssim::allocZeroed(len, "SysAllocStringByteLen");
    if (bstr && psz && len)
        std::memcpy(bstr, psz, len);
    return bstr;
}

extern "C" void SysFreeString(BSTR bstrString)
{
    vsssim::freeBstr(bstrString);
}

extern "C" UINT SysStringLen(BSTR pbstr)
{
    return pbstr ? vsssim::prefixOf(pbstr) / sizeof(OLECHAR) : 0;
}

extern "C" UINT SysStringByteLen(BSTR bstr)
{
    return bstr ? vsssim::prefixOf(bstr) : 0;
}

extern "C" INT SysReAllocStringLen(BSTR *pbstr, const OLECHAR *psz, unsigned int len)
{
    return vsssim::reallocChars(pbstr, psz, len, "SysReAllocStringLen");
}

extern "C" INT SysReAllocString(BSTR *pbstr, const OLECHAR *psz)
{
    // A NULL source reads as L"": NULL and empty BSTRs mean the same to COM code.
    const OLECHAR *source = psz ? psz : L"";
    return vsssim::reallocChars(pbstr, source, std::wcslen(source), "SysReAllocString");
}
