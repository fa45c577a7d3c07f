// One scheduler for the whole simulation, ordered by (deadline, sequence) and running on Boost.Asio.
// Asio's own timer heap fires equal deadlines in an order that is not the order they were armed in;
// the sequence number keeps same-instant steps in the order they were scheduled, hence deterministic.
#pragma once
#include "private.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <queue>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "core/clock.h"

namespace vsssim {

class Scheduler
{
public:
    using Task = std::function<void()>;

    explicit Scheduler(Clock &clock) : clock_(clock) {}
    Scheduler(const Scheduler &) = delete;
    Scheduler &operator=(const Scheduler &) = delete;

    SimTime now() const noexcept { return clock_.now(); }
    Clock &clock() noexcept { return clock_; }

    void at(SimTime deadline, Task task);
    void after(SimDuration delay, Task task) { at(now() + delay, std::move(task)); }

    /** \brief Run the earliest task, making its deadline the present; false when nothing is scheduled. */
    bool runOne();
    /** \brief Run every task due up to `limit`, then make `limit` the present. */
    void runUntil(SimTime limit);
    std::optional<SimTime> nextDeadline() const;
    /** \brief Drop every scheduled task (a simulation being replaced: its pending work will never run). */
    void clear();
    bool idle() const noexcept { return queue_.empty(); }
    std::uint64_t tasksRun() const noexcept { return tasksRun_; }

private:
    struct Entry {
        SimTime deadline;
        std::uint64_t sequence;
        mutable Task task;
        bool operator>(const Entry &o) const noexcept
        {
            return deadline != o.deadline ? deadline > o.deadline : sequence > o.sequence;
        }
    };

    void drain();

    Clock &clock_;
    boost::asio::io_context io_;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> queue_;
    std::uint64_t sequence_ = 0;
    std::uint64_t tasksRun_ = 0;
};

} // namespace vsssim
