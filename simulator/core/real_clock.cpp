// The only file of simulator/ allowed to read the wall clock or sleep (tests/no_ambient_time.sh checks it).
#include "core/clock.h"

#include <algorithm>
#include <atomic>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

namespace vsssim {

namespace {

class RealClock final : public Clock
{
public:
    RealClock(double scale, std::chrono::milliseconds wallLimit)
        : scale_(scale > 0 ? scale : 1.0), wallLimit_(wallLimit), start_(std::chrono::steady_clock::now())
    {
    }

    SimTime now() const noexcept override
    {
        const auto real = std::chrono::duration_cast<SimTime>(std::chrono::steady_clock::now() - start_);
        return saturatingAdd(saturatingFromDouble(static_cast<double>(real.count()) * scale_), SimDuration{jumped_.load()});
    }

    void advanceTo(SimTime t) override
    {
        const SimTime current = now();
        if (t <= current)
            return;
        if (!reached_) {
            const SimDuration wait = saturatingFromDouble(static_cast<double>((t - current).count()) / scale_);
            const SimDuration left = std::chrono::duration_cast<SimDuration>(wallLimit_ -
                                                                             (std::chrono::steady_clock::now() - start_));
            boost::asio::steady_timer timer(io_, std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                                    std::max(SimDuration{0}, std::min(wait, left))));
            timer.wait();
            if (wait <= left)
                return;
            reached_ = true;
        }
        if (const SimTime after = now(); t > after)
            jumped_ = saturatingAdd(SimDuration{jumped_.load()}, t - after).count();
    }

    bool isVirtual() const noexcept override { return false; }
    bool wallLimitReached() const noexcept override { return reached_; }

private:
    double scale_;
    // Real time is the one place the simulation waits: on an Asio timer, not a sleep, so the wait is
    // on the steady clock the timer queue keeps.
    boost::asio::io_context io_;
    std::chrono::milliseconds wallLimit_;
    std::chrono::steady_clock::time_point start_;
    std::atomic<bool> reached_{false};
    std::atomic<SimDuration::rep> jumped_{0};   ///< simulated time skipped past the limit
};

} // namespace

std::unique_ptr<Clock> makeRealClock(double scale, std::chrono::milliseconds wallLimit)
{
    return std::make_unique<RealClock>(scale, wallLimit);
}

void realSleep(std::chrono::milliseconds d)
{
    std::this_thread::sleep_for(d);
}

std::uint64_t realMonotonicMilliseconds() noexcept
{
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count());
}

} // namespace vsssim
