#include "core/scheduler.h"

#include <boost/asio/post.hpp>

namespace vsssim {

void Scheduler::at(SimTime deadline, Task task)
{
    if (deadline < now())
        deadline = now();  // the past is not reachable; run it next, in scheduling order
    queue_.push(Entry{deadline, sequence_++, std::move(task)});
}

void Scheduler::drain()
{
    io_.poll();
    io_.restart();
}

bool Scheduler::runOne()
{
    drain();
    if (queue_.empty())
        return false;
    const SimTime deadline = queue_.top().deadline;
    Task task = std::move(queue_.top().task);
    queue_.pop();
    clock_.advanceTo(deadline, io_);
    ++tasksRun_;
    boost::asio::post(io_, std::move(task));
    drain();  // follow-up posts run before time moves again
    return true;
}

void Scheduler::runUntil(SimTime limit)
{
    while (!queue_.empty() && queue_.top().deadline <= limit)
        runOne();
    clock_.advanceTo(limit, io_);
}

void Scheduler::clear()
{
    drain();
    // Tasks may own sessions that own this scheduler's service: destroy them one by one, outside the queue.
    while (!queue_.empty()) {
        Task task = std::move(queue_.top().task);
        queue_.pop();
    }
}

std::optional<SimTime> Scheduler::nextDeadline() const
{
    if (queue_.empty())
        return std::nullopt;
    return queue_.top().deadline;
}

} // namespace vsssim
