// The only file of simulator/ allowed to read the wall clock or sleep (tests/no_ambient_time.sh checks it).
#include "core/clock.h"

#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

namespace vsssim {

namespace {

class RealClock final : public Clock
{
public:
    explicit RealClock(double scale) : scale_(scale > 0 ? scale : 1.0), start_(std::chrono::steady_clock::now()) {}

    SimTime now() const noexcept override
    {
        const auto real = std::chrono::steady_clock::now() - start_;
        return std::chrono::duration_cast<SimTime>(real * scale_);
    }

    void advanceTo(SimTime t) override
    {
        const SimTime current = now();
        if (t <= current)
            return;
        boost::asio::steady_timer timer(io_, std::chrono::duration_cast<std::chrono::steady_clock::duration>((t - current) / scale_));
        timer.wait();
    }

    bool isVirtual() const noexcept override { return false; }

private:
    double scale_;
    // Real time is the one place the simulation waits: on an Asio timer, not a sleep, so the wait is
    // on the steady clock the timer queue keeps.
    boost::asio::io_context io_;
    std::chrono::steady_clock::time_point start_;
};

} // namespace

std::unique_ptr<Clock> makeRealClock(double scale)
{
    return std::make_unique<RealClock>(scale);
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
