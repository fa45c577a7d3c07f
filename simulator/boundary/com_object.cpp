#include "boundary/com_object.h"

#include <cstdint>
#include <cstring>
#include <deque>
#include <mutex>
#include <set>
#include <string>
#include <utility>

#include <vsssim/vsssim.h>

#include "core/log.h"
#include "service/service.h"

namespace vsssim {

namespace {
// Static TLS: every requester call sets it, and the default model costs a call into ld.so each time.
__attribute__((tls_model("initial-exec"))) thread_local bool tAttached = false;

spdlog::logger &apiLog()
{
    static std::shared_ptr<spdlog::logger> log = makeLogger("api");
    return *log;
}
} // namespace

std::atomic<long> &liveObjectCounter() noexcept
{
    static std::atomic<long> counter{0};
    return counter;
}

std::atomic<long> &liveObjectCounter(ComKind kind) noexcept
{
    static std::atomic<long> counters[3]{};
    return counters[static_cast<int>(kind)];
}

// ---- released objects, kept poisoned ----
//
// A requester that calls Release once too often (or any method after its last Release) uses freed memory:
// on Windows that corrupts the heap or crashes later. Here the destructor still runs at the last Release,
// so every effect of the release happens when it should; only the memory stays. Every pointer-sized word
// of it is overwritten with the address of kPoisonedVtable, so whichever interface of the object the stale
// pointer names, its vtable is this one, and each slot reports the mistake and returns a safe value.

namespace {

void reportPoisonedCall(const char *what) noexcept
{
    try {
        apiLog().error("{} on an object already released (its count reached 0): a use-after-free on Windows", what);
        if (std::shared_ptr<Service> service = Service::current()) {
            auto lock = service->lock();
            service->recordMistake("M19", fmt::format("{} on an object whose reference count had reached 0", what), 0);
        }
    } catch (...) {
    }
}

HRESULT STDMETHODCALLTYPE poisonedQueryInterface(void *, const IID *, void **ppv) noexcept
{
    reportPoisonedCall("QueryInterface");
    if (ppv)
        *ppv = nullptr;
    return E_POINTER;
}

ULONG STDMETHODCALLTYPE poisonedAddRef(void *) noexcept
{
    reportPoisonedCall("AddRef");
    return 0;
}

ULONG STDMETHODCALLTYPE poisonedRelease(void *) noexcept
{
    reportPoisonedCall("Release");
    return 0;
}

/// Any other method: the Itanium ABI passes `this` first and lets the caller clean up the rest, so one
/// function taking only `this` serves every slot.
HRESULT STDMETHODCALLTYPE poisonedMethod(void *) noexcept
{
    reportPoisonedCall("a method call");
    return E_POINTER;
}

/// More slots than the largest interface has methods (IVssBackupComponentsEx4: about 70).
constexpr std::size_t kPoisonedSlots = 128;

struct PoisonedVtable {
    const void *slots[kPoisonedSlots];
};

PoisonedVtable makePoisonedVtable() noexcept
{
    PoisonedVtable v{};
    v.slots[0] = reinterpret_cast<const void *>(&poisonedQueryInterface);
    v.slots[1] = reinterpret_cast<const void *>(&poisonedAddRef);
    v.slots[2] = reinterpret_cast<const void *>(&poisonedRelease);
    for (std::size_t i = 3; i < kPoisonedSlots; ++i)
        v.slots[i] = reinterpret_cast<const void *>(&poisonedMethod);
    return v;
}

const PoisonedVtable kPoisonedVtable = makePoisonedVtable();

struct Quarantine {
    std::mutex mutex;
    std::deque<std::pair<void *, std::size_t>> blocks;   ///< oldest first
    std::size_t bytes = 0;
};

Quarantine &quarantine() noexcept
{
    static auto *q = new Quarantine;   // never destroyed: objects may be released during static destruction
    return *q;
}

} // namespace

void *RefCounted::operator new(std::size_t size)
{
    return ::operator new(size);
}

void RefCounted::operator delete(void *block, std::size_t size) noexcept
{
    const void *vtable = kPoisonedVtable.slots;
    for (std::size_t at = 0; at + sizeof vtable <= size; at += sizeof vtable)
        std::memcpy(static_cast<char *>(block) + at, &vtable, sizeof vtable);
    {
        Quarantine &q = quarantine();
        std::lock_guard lock(q.mutex);
        try {
            q.blocks.emplace_back(block, size);
            q.bytes += size;
        } catch (...) {
            ::operator delete(block);   // no room to remember it: freed as on Windows (unsized: clang 14 has no sized delete by default)
            return;
        }
        while (q.bytes > kPoisonedBytesLimit && !q.blocks.empty()) {
            q.bytes -= q.blocks.front().second;
            ::operator delete(q.blocks.front().first);
            q.blocks.pop_front();
        }
    }
}

std::size_t poisonedBytes() noexcept
{
    Quarantine &q = quarantine();
    std::lock_guard lock(q.mutex);
    return q.bytes;
}

std::size_t liveObjectCount() noexcept
{
    return static_cast<std::size_t>(liveObjectCounter().load());
}

void reportInternalError(const char *method, const char *what) noexcept
{
    try {
        apiLog().error("{}: internal error: {}", method, what);
    } catch (...) {
    }
}

HRESULT notImplemented(const char *method) noexcept
{
    try {
        static std::mutex mutex;
        static std::set<std::string> logged;
        std::lock_guard lock(mutex);
        if (logged.insert(method).second)
            apiLog().warn("{} is outside vss-sim's scope: E_NOTIMPL", method);
    } catch (...) {
    }
    return E_NOTIMPL;
}

void attachCurrentThread() noexcept { tAttached = true; }
bool currentThreadAttached() noexcept { return tAttached; }

} // namespace vsssim
