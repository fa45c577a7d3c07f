// The state the workers share lives on the heap, owned by them and by runPool alike: an abandoned
// worker may outlive the call.
#include "scenario_pool.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace vsssim {
namespace {

using Clock = std::chrono::steady_clock;

struct Slot {
    bool running = false;
    bool finished = false;
    bool abandoned = false;
    bool passed = false;
    Clock::time_point started;
};

struct Shared {
    std::mutex mutex;
    std::condition_variable changed;
    std::function<bool(std::size_t)> work;
    std::vector<Slot> slots;
    std::size_t next = 0;
    bool stop = false;
    bool failFast = false;
    std::deque<std::size_t> finished;
    std::exception_ptr error;
};

void worker(std::shared_ptr<Shared> s)
{
    std::unique_lock lock(s->mutex);
    while (!s->stop && s->next < s->slots.size()) {
        const std::size_t i = s->next++;
        s->slots[i].running = true;
        s->slots[i].started = Clock::now();
        lock.unlock();
        bool passed = false;
        std::exception_ptr error;
        try {
            passed = s->work(i);
        } catch (...) {
            error = std::current_exception();
        }
        lock.lock();
        Slot &slot = s->slots[i];
        slot.finished = true;
        slot.passed = passed;
        if (error && !s->error)
            s->error = error;
        // Here, not in runPool: this worker takes the next task before runPool hears of this one.
        if (s->failFast && !passed)
            s->stop = true;
        if (slot.abandoned)
            return;   // reported as TIMEOUT already; a replacement took this worker's place
        s->finished.push_back(i);
        s->changed.notify_all();
    }
}

void spawn(const std::shared_ptr<Shared> &s) { std::thread(worker, s).detach(); }

} // namespace

bool runPool(std::size_t count, const PoolOptions &o, std::function<bool(std::size_t)> work,
             const std::function<void(std::size_t, TaskEnd)> &onEnd)
{
    auto s = std::make_shared<Shared>();
    s->work = std::move(work);
    s->slots.resize(count);
    s->failFast = o.failFast;
    const unsigned jobs = o.jobs ? o.jobs : std::max(1u, std::thread::hardware_concurrency());
    const auto bound = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.timeout));
    for (std::size_t w = 0; w < std::min<std::size_t>(jobs, count); ++w)
        spawn(s);
    std::size_t ended = 0;
    bool abandonedAny = false;
    std::unique_lock lock(s->mutex);
    // onEnd runs unlocked: it prints, and the workers go on meanwhile.
    const auto report = [&](std::size_t i, TaskEnd how) {
        ++ended;
        lock.unlock();
        onEnd(i, how);
        lock.lock();
    };
    while (ended < count) {
        while (!s->finished.empty()) {
            const std::size_t i = s->finished.front();
            s->finished.pop_front();
            if (o.failFast && !s->slots[i].passed)
                s->stop = true;
            report(i, TaskEnd::Done);
        }
        if (s->stop)
            while (s->next < count)
                report(s->next++, TaskEnd::NotRun);
        std::optional<Clock::time_point> earliest;
        if (o.timeout > 0)
            for (std::size_t i = 0; i < count; ++i) {
                Slot &slot = s->slots[i];
                if (!slot.running || slot.finished || slot.abandoned)
                    continue;
                if (Clock::now() - slot.started >= bound) {
                    slot.abandoned = true;
                    abandonedAny = true;
                    if (o.failFast)
                        s->stop = true;
                    else if (s->next < count)
                        spawn(s);
                    report(i, TaskEnd::TimedOut);
                } else if (!earliest || slot.started + bound < *earliest) {
                    earliest = slot.started + bound;
                }
            }
        if (ended >= count || !s->finished.empty() || (s->stop && s->next < count))
            continue;
        if (earliest)
            s->changed.wait_until(lock, *earliest);
        else
            s->changed.wait(lock);
    }
    if (s->error)
        std::rethrow_exception(s->error);
    return !abandonedAny;
}

} // namespace vsssim
