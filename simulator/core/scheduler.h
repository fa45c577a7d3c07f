// One scheduler for the whole simulation, ordered by (deadline, sequence); only the real clock waits,
// on Boost.Asio (core/real_clock.cpp), so no Asio here. Asio's own timer heap fires equal deadlines in an order that is not the order they were
// armed in; the sequence number keeps same-instant steps in the order they were scheduled, hence
// deterministic. A timer can be cancelled: its task (and whatever it captured, a session) goes at
// once, so a timer ends with what it guards instead of lingering until its deadline.
#pragma once
#include "private.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/clock.h"

namespace vsssim {

/// A move-only `void()` callable that keeps captures of up to kInlineBytes in place: the tasks the
/// simulation schedules (a session, a phase and an index) cost no allocation of their own.
class Task
{
public:
    static constexpr std::size_t kInlineBytes = 64;

    Task() noexcept = default;
    template <class F, class = std::enable_if_t<!std::is_same_v<std::decay_t<F>, Task>>>
    Task(F &&f)  // NOLINT: implicit, like std::function
    {
        using Fn = std::decay_t<F>;
        if constexpr (sizeof(Fn) <= kInlineBytes && alignof(Fn) <= alignof(std::max_align_t) &&
                      std::is_nothrow_move_constructible_v<Fn>) {
            ::new (static_cast<void *>(storage_)) Fn(std::forward<F>(f));
            ops_ = &kInline<Fn>;
        } else {
            ::new (static_cast<void *>(storage_)) Fn *(new Fn(std::forward<F>(f)));
            ops_ = &kBoxed<Fn>;
        }
    }
    Task(Task &&o) noexcept : ops_(std::exchange(o.ops_, nullptr))
    {
        if (ops_)
            ops_->move(storage_, o.storage_);
    }
    Task &operator=(Task &&o) noexcept
    {
        if (this != &o) {
            reset();
            if ((ops_ = std::exchange(o.ops_, nullptr)))
                ops_->move(storage_, o.storage_);
        }
        return *this;
    }
    Task(const Task &) = delete;
    Task &operator=(const Task &) = delete;
    ~Task() { reset(); }

    void operator()() { ops_->call(storage_); }
    explicit operator bool() const noexcept { return ops_ != nullptr; }
    void reset() noexcept
    {
        if (ops_)
            std::exchange(ops_, nullptr)->destroy(storage_);
    }

private:
    struct Ops {
        void (*call)(void *);
        void (*move)(void *to, void *from) noexcept;   ///< move-construct into `to`, destroy `from`
        void (*destroy)(void *) noexcept;
    };
    template <class Fn>
    static constexpr Ops kInline{
        [](void *p) { (*static_cast<Fn *>(p))(); },
        [](void *to, void *from) noexcept {
            ::new (to) Fn(std::move(*static_cast<Fn *>(from)));
            static_cast<Fn *>(from)->~Fn();
        },
        [](void *p) noexcept { static_cast<Fn *>(p)->~Fn(); },
    };
    template <class Fn>
    static constexpr Ops kBoxed{
        [](void *p) { (**static_cast<Fn **>(p))(); },
        [](void *to, void *from) noexcept { ::new (to) Fn *(*static_cast<Fn **>(from)); },
        [](void *p) noexcept { delete *static_cast<Fn **>(p); },
    };

    alignas(std::max_align_t) unsigned char storage_[kInlineBytes];
    const Ops *ops_ = nullptr;
};

/// A scheduled task, for cancelling it. The default value names no task.
struct TimerId {
    std::uint32_t slot = 0;
    std::uint64_t sequence = 0;   ///< 0: none
};

class Scheduler
{
public:
    using Task = vsssim::Task;

    explicit Scheduler(Clock &clock) : clock_(clock) {}
    Scheduler(const Scheduler &) = delete;
    Scheduler &operator=(const Scheduler &) = delete;

    SimTime now() const noexcept { return clock_.now(); }
    Clock &clock() noexcept { return clock_; }

    TimerId at(SimTime deadline, Task task);
    TimerId after(SimDuration delay, Task task) { return at(saturatingAdd(now(), delay), std::move(task)); }
    /** \brief Drop a task that has not run yet, and what it holds, now; nothing for one that ran. */
    void cancel(TimerId id) noexcept;

    /** \brief Run the earliest task, making its deadline the present; false when nothing is scheduled. */
    bool runOne();
    /** \brief Run every task due up to `limit`, then make `limit` the present. */
    void runUntil(SimTime limit);
    std::optional<SimTime> nextDeadline() const;
    /** \brief Drop every scheduled task (a simulation being replaced: its pending work will never run). */
    void clear();
    bool idle() const noexcept { return heap_.empty(); }
    std::uint64_t tasksRun() const noexcept { return tasksRun_; }
    /** \brief Tasks waiting to run. */
    std::size_t pending() const noexcept { return heap_.size(); }

private:
    // Tasks live in reused slots; the heap orders slot numbers and each slot knows its place in
    // the heap, so a cancelled task leaves the heap at once instead of waiting for its deadline.
    struct Slot {
        SimTime deadline{};
        std::uint64_t sequence = 0;   ///< 0: free
        std::size_t heapIndex = 0;
        Task task;
    };

    bool before(std::uint32_t a, std::uint32_t b) const noexcept
    {
        const Slot &x = slots_[a], &y = slots_[b];
        return x.deadline != y.deadline ? x.deadline < y.deadline : x.sequence < y.sequence;
    }
    void place(std::size_t heapIndex, std::uint32_t slot) noexcept
    {
        heap_[heapIndex] = slot;
        slots_[slot].heapIndex = heapIndex;
    }
    void siftUp(std::size_t i) noexcept;
    void siftDown(std::size_t i) noexcept;
    /** \brief Take the slot out of the heap and free it; its task is returned, still to run or drop. */
    Task remove(std::uint32_t slot) noexcept;

    Clock &clock_;
    std::vector<Slot> slots_;
    std::vector<std::uint32_t> freeSlots_;
    std::vector<std::uint32_t> heap_;
    std::uint64_t sequence_ = 0;
    std::uint64_t tasksRun_ = 0;
};

} // namespace vsssim
