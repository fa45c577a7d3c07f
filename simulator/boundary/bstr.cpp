#include "boundary/bstr.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cwchar>
#include <limits>
#include <memory>
#include <mutex>
#include <vector>

#include <sys/mman.h>
#include <unistd.h>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/alloc_failure.h"

namespace vsssim {

namespace {

// The block: p-16..p-13 the origin's slot, p-12..p-9 unused, p-8..p-5 a cookie derived from p,
// p-4..p-1 the byte length, as on 64-bit Windows; p is 16-byte aligned. The cookie tells our BSTRs
// from foreign memory and double frees without a registry: no lock and no node per string.
constexpr std::size_t kHeaderBytes = 16;
constexpr std::size_t kCookieOffset = 8;
constexpr std::size_t kLengthOffset = 4;
constexpr std::size_t kTerminatorBytes = sizeof(wchar_t);
constexpr std::uintptr_t kAlignment = 16;

std::uint32_t cookieFor(const void *p) noexcept
{
    const auto a = reinterpret_cast<std::uintptr_t>(p);
    return static_cast<std::uint32_t>((a >> 4) ^ (a >> 36) ^ 0x5653534dU) | 1U;   // never 0: 0 marks a freed one
}

// Live strings by origin, for liveBstrCount() and liveBstrOrigins(): a fixed open-addressed table of
// the origin labels (string literals, a few dozen), and per thread a count for each. Only its own
// thread writes a count (plain loads and stores, no locked instruction); a string freed on another
// thread than it was made on makes one count go up and another down, and the sum is right.
constexpr std::uint32_t kOriginSlots = 256;
std::atomic<const char *> gOrigins[kOriginSlots];
const char *const kOverflowOrigin = "(other)";

struct ThreadCounts;
struct CountRegistry {
    std::mutex mutex;
    std::vector<ThreadCounts *> threads;
    long retired[kOriginSlots] = {};   ///< what exited threads left
};

CountRegistry &countRegistry() noexcept
{
    // Never destroyed: a thread may end, or a static free its BSTR, after our statics are gone.
    static CountRegistry *const instance = new CountRegistry;
    return *instance;
}

struct ThreadCounts {
    std::atomic<long> live[kOriginSlots] = {};

    ThreadCounts()
    {
        CountRegistry &r = countRegistry();
        std::lock_guard lock(r.mutex);
        r.threads.push_back(this);
    }
    ~ThreadCounts()
    {
        CountRegistry &r = countRegistry();
        std::lock_guard lock(r.mutex);
        for (std::uint32_t i = 0; i < kOriginSlots; ++i)
            r.retired[i] += live[i].load(std::memory_order_relaxed);
        r.threads.erase(std::find(r.threads.begin(), r.threads.end(), this));
    }
    void add(std::uint32_t slot, long delta) noexcept
    {
        live[slot].store(live[slot].load(std::memory_order_relaxed) + delta, std::memory_order_relaxed);
    }
};

// A plain pointer in static TLS: one load per use, where a thread_local object with a constructor
// costs a call into the TLS machinery of a shared library on every access.
__attribute__((tls_model("initial-exec"))) thread_local ThreadCounts *tCounts = nullptr;

/// Hands the thread's counts back to the registry when the thread ends.
struct ThreadCountsOwner {
    std::unique_ptr<ThreadCounts> counts;
    ~ThreadCountsOwner() { tCounts = nullptr; }
};

/// The first string of a thread: its counts are made and registered.
__attribute__((noinline)) void countLiveFirst(std::uint32_t slot, long delta) noexcept
{
    try {
        thread_local ThreadCountsOwner owner;
        owner.counts = std::make_unique<ThreadCounts>();
        tCounts = owner.counts.get();
        tCounts->add(slot, delta);
    } catch (...) {
        // No memory for a thread's counts: liveBstrCount() is off by this string, nothing else.
    }
}

inline void countLive(std::uint32_t slot, long delta) noexcept
{
    if (ThreadCounts *counts = tCounts) [[likely]]
        counts->add(slot, delta);
    else
        countLiveFirst(slot, delta);
}

/// Live strings of each origin slot, summed over every thread.
std::vector<long> liveByOrigin()
{
    CountRegistry &r = countRegistry();
    std::lock_guard lock(r.mutex);
    std::vector<long> total(r.retired, r.retired + kOriginSlots);
    for (const ThreadCounts *t : r.threads)
        for (std::uint32_t i = 0; i < kOriginSlots; ++i)
            total[i] += t->live[i].load(std::memory_order_relaxed);
    return total;
}

std::uint32_t originSlot(const char *origin) noexcept
{
    if (!origin)
        origin = "";
    const auto h = static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(origin) >> 3);
    for (std::uint32_t probe = 0; probe < kOriginSlots; ++probe) {
        const std::uint32_t i = (h + probe) & (kOriginSlots - 1);
        if (i == 0)
            continue;
        const char *seen = gOrigins[i].load(std::memory_order_acquire);
        if (seen == origin)
            return i;
        if (!seen && gOrigins[i].compare_exchange_strong(seen, origin, std::memory_order_acq_rel))
            return i;
        if (seen == origin)
            return i;
    }
    // Slot 0 collects whatever does not fit; its label says so.
    const char *expected = nullptr;
    gOrigins[0].compare_exchange_strong(expected, kOverflowOrigin, std::memory_order_acq_rel);
    return 0;
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

/// Whether ptr is a live BSTR of ours. The header of a foreign pointer is read too: that memory is
/// the caller's, outside any object the sanitizer knows, hence no instrumentation here; a pointer
/// that is not 16-byte aligned is foreign without reading, and one at a page's start only when the
/// page before it is mapped.
__attribute__((no_sanitize("address"))) bool isLive(const void *ptr) noexcept
{
    const auto a = reinterpret_cast<std::uintptr_t>(ptr);
    if (!ptr || a % kAlignment != 0)
        return false;
    if (a % 4096 == 0) {   // every page size is a multiple of 4 KiB
        static const std::uintptr_t page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
        unsigned char resident = 0;
        if (mincore(reinterpret_cast<void *>((a - 1) & ~(page - 1)), 1, &resident) != 0)   // the page of p-1
            return false;
    }
    std::uint32_t cookie = 0;
    std::memcpy(&cookie, static_cast<const unsigned char *>(ptr) - kCookieOffset, sizeof cookie);
    return cookie == cookieFor(ptr);
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

/// Allocates a BSTR of byteLength bytes holding `content`, or zeroes without it: zeroes instead of
/// Windows' uninitialised memory keep runs reproducible.
BSTR allocBytes(std::size_t byteLength, const void *content, const char *origin) noexcept
{
    if (byteLength > std::numeric_limits<std::uint32_t>::max())
        return nullptr;
    const std::size_t total = kHeaderBytes + byteLength + kTerminatorBytes;
    auto *block = static_cast<unsigned char *>(std::malloc(total));
    if (!block)
        return nullptr;
    if (content && byteLength)
        std::memcpy(block + kHeaderBytes, content, byteLength);
    else
        std::memset(block + kHeaderBytes, 0, byteLength);
    std::memset(block + kHeaderBytes + byteLength, 0, kTerminatorBytes);
    std::memset(block, 0, kHeaderBytes);
    auto bstr = reinterpret_cast<BSTR>(block + kHeaderBytes);
    const std::uint32_t slot = originSlot(origin);
    const std::uint32_t cookie = cookieFor(bstr);
    const auto prefix = static_cast<std::uint32_t>(byteLength);
    std::memcpy(block, &slot, sizeof slot);
    std::memcpy(block + kHeaderBytes - kCookieOffset, &cookie, sizeof cookie);
    std::memcpy(block + kHeaderBytes - kLengthOffset, &prefix, sizeof prefix);
    countLive(slot, 1);
    return bstr;
}

BSTR allocChars(const OLECHAR *chars, std::size_t count, const char *origin) noexcept
{
    if (count > std::numeric_limits<std::uint32_t>::max() / sizeof(OLECHAR))
        return nullptr;
    return allocBytes(count * sizeof(OLECHAR), chars, origin);
}

/// Frees one of our BSTRs; anything else is reported and kept.
void freeBstr(BSTR bstr) noexcept
{
    if (!bstr)
        return;
    if (!isLive(bstr)) {
        reportForeignFree(bstr);
        return;
    }
    unsigned char *block = blockOf(bstr);
    const std::uint32_t freed = 0;
    std::memcpy(block + kHeaderBytes - kCookieOffset, &freed, sizeof freed);   // a second free finds no cookie
    std::uint32_t slot = 0;
    std::memcpy(&slot, block, sizeof slot);
    countLive(slot < kOriginSlots ? slot : 0, -1);
    std::free(block);
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

// The simulator's own BSTRs are allocation points (SysAllocString, the requester's, is not): each caller
// already answers a NULL with E_OUTOFMEMORY, where Windows can.
BSTR allocBstr(std::wstring_view text, const char *origin) noexcept
{
    if (allocationFails())
        return nullptr;
    return allocChars(text.data(), text.size(), origin);
}

BSTR allocBstrOrNull(const wchar_t *textOrNull, const char *origin) noexcept
{
    if (!textOrNull)
        return nullptr;
    if (allocationFails())
        return nullptr;
    return allocChars(textOrNull, std::wcslen(textOrNull), origin);
}

std::size_t liveBstrCount() noexcept
{
    try {
        long total = 0;
        for (long n : liveByOrigin())
            total += n;
        return static_cast<std::size_t>(std::max(0L, total));
    } catch (...) {
        return 0;
    }
}

std::vector<std::string> liveBstrOrigins()
{
    const std::vector<long> live = liveByOrigin();
    std::vector<std::string> origins;
    for (std::uint32_t i = 0; i < kOriginSlots; ++i)
        if (const char *label = gOrigins[i].load(std::memory_order_acquire))
            origins.insert(origins.end(), static_cast<std::size_t>(std::max(0L, live[i])), label);
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
    return vsssim::allocBytes(len, psz, "SysAllocStringByteLen");
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
