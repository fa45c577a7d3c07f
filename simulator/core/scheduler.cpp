#include "core/scheduler.h"

namespace vsssim {

TimerId Scheduler::at(SimTime deadline, Task task)
{
    if (deadline < now())
        deadline = now();  // the past is not reachable; run it next, in scheduling order
    std::uint32_t slot = 0;
    if (!freeSlots_.empty()) {
        slot = freeSlots_.back();
        freeSlots_.pop_back();
    } else {
        slot = static_cast<std::uint32_t>(slots_.size());
        slots_.emplace_back();
    }
    Slot &s = slots_[slot];
    s.deadline = deadline;
    s.sequence = ++sequence_;
    s.task = std::move(task);
    heap_.push_back(slot);
    s.heapIndex = heap_.size() - 1;
    siftUp(s.heapIndex);
    return TimerId{slot, s.sequence};
}

void Scheduler::siftUp(std::size_t i) noexcept
{
    const std::uint32_t moving = heap_[i];
    while (i > 0) {
        const std::size_t parent = (i - 1) / 2;
        if (!before(moving, heap_[parent]))
            break;
        place(i, heap_[parent]);
        i = parent;
    }
    place(i, moving);
}

void Scheduler::siftDown(std::size_t i) noexcept
{
    const std::uint32_t moving = heap_[i];
    const std::size_t n = heap_.size();
    for (;;) {
        std::size_t child = 2 * i + 1;
        if (child >= n)
            break;
        if (child + 1 < n && before(heap_[child + 1], heap_[child]))
            ++child;
        if (!before(heap_[child], moving))
            break;
        place(i, heap_[child]);
        i = child;
    }
    place(i, moving);
}

Task Scheduler::remove(std::uint32_t slot) noexcept
{
    Slot &s = slots_[slot];
    const std::size_t i = s.heapIndex;
    const std::uint32_t last = heap_.back();
    heap_.pop_back();
    if (last != slot) {
        place(i, last);
        if (i > 0 && before(last, heap_[(i - 1) / 2]))
            siftUp(i);
        else
            siftDown(i);
    }
    s.sequence = 0;
    freeSlots_.push_back(slot);
    return std::move(s.task);
}

void Scheduler::cancel(TimerId id) noexcept
{
    if (id.sequence == 0 || id.slot >= slots_.size() || slots_[id.slot].sequence != id.sequence)
        return;  // ran, cancelled already, or never scheduled
    Task dropped = remove(id.slot);
}

bool Scheduler::runOne()
{
    if (heap_.empty())
        return false;
    const std::uint32_t slot = heap_.front();
    const SimTime deadline = slots_[slot].deadline;
    Task task = remove(slot);
    clock_.advanceTo(deadline);
    ++tasksRun_;
    task();
    return true;
}

void Scheduler::runUntil(SimTime limit)
{
    while (!heap_.empty() && slots_[heap_.front()].deadline <= limit)
        runOne();
    clock_.advanceTo(limit);
}

void Scheduler::clear()
{
    // Tasks may own sessions that own this scheduler's service: destroy them one by one, outside the heap.
    while (!heap_.empty()) {
        Task task = remove(heap_.back());
    }
}

std::optional<SimTime> Scheduler::nextDeadline() const
{
    if (heap_.empty())
        return std::nullopt;
    return slots_[heap_.front()].deadline;
}

} // namespace vsssim
