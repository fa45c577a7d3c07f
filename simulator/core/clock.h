// The one seam through which simulator code learns the time. SimTime counts from the start of the
// run, so traces never contain dates and one seed gives identical bytes.
#pragma once
#include "private.h"

#include <chrono>
#include <cstdint>
#include <memory>

namespace vsssim {

using SimDuration = std::chrono::nanoseconds;
using SimTime = std::chrono::nanoseconds;  // since the start of the simulation

inline constexpr SimDuration ms(std::int64_t n) { return std::chrono::milliseconds(n); }

class Clock
{
public:
    virtual ~Clock() = default;
    virtual SimTime now() const noexcept = 0;
    /** \brief Make `t` the present: jump (virtual) or wait for it on a real timer (real time). */
    virtual void advanceTo(SimTime t) = 0;
    virtual bool isVirtual() const noexcept = 0;
};

/// Jumps straight to the next deadline: a ten-minute scenario must finish in milliseconds under CI.
class VirtualClock final : public Clock
{
public:
    SimTime now() const noexcept override { return now_; }
    void advanceTo(SimTime t) override
    {
        if (t > now_)
            now_ = t;
    }
    bool isVirtual() const noexcept override { return true; }

private:
    SimTime now_{0};
};

/// Wall-clock time, optionally scaled (scale 60: one real second is one simulated minute), for
/// requesters that measure elapsed time with real clocks (R14).
std::unique_ptr<Clock> makeRealClock(double scale);

/// For threads not attached to a virtual-time simulation (R14): Sleep sleeps, GetTickCount counts.
void realSleep(std::chrono::milliseconds d);
std::uint64_t realMonotonicMilliseconds() noexcept;

} // namespace vsssim
