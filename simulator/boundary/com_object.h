// What every COM object the library hands out shares: a reference count, a live-object counter for
// tests and leak reports (M13), the exception guard of the boundary, and R19's E_NOTIMPL.
#pragma once
#include "private.h"

#include <atomic>
#include <cstddef>
#include <new>
#include <stdexcept>

#include <windows.h>

namespace vsssim {

/// Objects alive right now (requester objects, IVssAsync, metadata and component objects).
std::atomic<long> &liveObjectCounter() noexcept;

/// The kinds a leak report (M13) names apart.
enum class ComKind { Requester, Async, Other };
std::atomic<long> &liveObjectCounter(ComKind kind) noexcept;

class RefCounted
{
public:
    explicit RefCounted(ComKind kind = ComKind::Other) noexcept : kind_(kind)
    {
        ++liveObjectCounter();
        ++liveObjectCounter(kind_);
    }
    RefCounted(const RefCounted &) = delete;
    RefCounted &operator=(const RefCounted &) = delete;
    virtual ~RefCounted()
    {
        --liveObjectCounter();
        --liveObjectCounter(kind_);
    }

    ULONG addRef() noexcept { return ++refs_; }
    ULONG release() noexcept
    {
        const ULONG n = --refs_;
        if (n == 0)
            delete this;
        return n;
    }
    ULONG refs() const noexcept { return refs_; }

    /// Simulator: the memory of a released object is not given back at once but kept poisoned (see
    /// com_object.cpp), so a Release or any call after the count reached 0 is reported as mistake M19
    /// instead of being a use-after-free in the program under test.
    static void *operator new(std::size_t size);   // pairs with the delete below
    static void operator delete(void *block, std::size_t size) noexcept;

private:
    std::atomic<ULONG> refs_{1};
    ComKind kind_;
};

/// Bytes of released objects kept poisoned; past it the oldest is really freed, so a long-running
/// process does not grow without bound.
inline constexpr std::size_t kPoisonedBytesLimit = 1u << 20;
/** \brief Bytes held poisoned right now (tests). */
std::size_t poisonedBytes() noexcept;

/// A simulator bug caught at the boundary: logged, never a VSS result.
void reportInternalError(const char *method, const char *what) noexcept;

/// The boundary turns every internal exception into an HRESULT; none crosses into client code.
template <class Body>
HRESULT guarded(const char *method, Body &&body) noexcept
{
    try {
        return body();
    } catch (const std::bad_alloc &) {
        return E_OUTOFMEMORY;
    } catch (const std::exception &e) {
        reportInternalError(method, e.what());
        return E_UNEXPECTED;
    } catch (...) {
        reportInternalError(method, "unknown exception");
        return E_UNEXPECTED;
    }
}

/// R19: a method outside the simulator's scope. Returns E_NOTIMPL and logs its name once.
HRESULT notImplemented(const char *method) noexcept;

/// Threads that have called the requester or writer API: Sleep and GetTickCount follow virtual
/// time on them (R14).
void attachCurrentThread() noexcept;
bool currentThreadAttached() noexcept;

} // namespace vsssim
