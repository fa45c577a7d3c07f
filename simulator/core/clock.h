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

/// Times and durations each within the documented maximum (106751d, about INT64_MAX ns) overflow when
/// added (two such Sleeps; an event timeout after a hang): the sum stops at the end of representable time,
/// which no run reaches, instead of wrapping into the past.
constexpr SimDuration saturatingAdd(SimDuration a, SimDuration b) noexcept
{
    SimDuration::rep sum = 0;
    if (__builtin_add_overflow(a.count(), b.count(), &sum))
        return b.count() > 0 ? SimDuration::max() : SimDuration::min();
    return SimDuration{sum};
}

/// A real-clock conversion (a scaled duration in nanoseconds, as a double) held in range: infinity or a
/// value past INT64_MAX converted to an integer is undefined behaviour.
constexpr SimDuration saturatingFromDouble(double ns) noexcept
{
    // 2^63 as a double; every double below it converts exactly to an int64.
    constexpr double kLimit = 9223372036854775808.0;
    if (!(ns > -kLimit))   // also nan
        return ns != ns ? SimDuration{0} : SimDuration::min();
    if (ns >= kLimit)
        return SimDuration::max();
    return SimDuration{static_cast<SimDuration::rep>(ns)};
}

class Clock
{
public:
    virtual ~Clock() = default;
    virtual SimTime now() const noexcept = 0;
    /** \brief Make `t` the present: jump (virtual) or wait for it on a real timer (real time). */
    virtual void advanceTo(SimTime t) = 0;
    virtual bool isVirtual() const noexcept = 0;
    /** \brief A real clock that reached its wall-clock limit and jumps from then on. */
    virtual bool wallLimitReached() const noexcept { return false; }
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
/// Past `wallLimit` of real time it stops waiting and jumps like the virtual clock, so a real-clock run
/// with an 800-year wait or a hanging handler under a 292-year timeout still ends; the run is then failed.
std::unique_ptr<Clock> makeRealClock(double scale, std::chrono::milliseconds wallLimit);

/// For threads not attached to a virtual-time simulation (R14): Sleep sleeps, GetTickCount counts.
void realSleep(std::chrono::milliseconds d);
std::uint64_t realMonotonicMilliseconds() noexcept;

} // namespace vsssim
