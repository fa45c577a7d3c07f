#include "core/alloc_failure.h"

#include <atomic>
#include <cstdlib>
#include <mutex>

#include "core/rng.h"

namespace vsssim {

namespace {

std::atomic<std::uint64_t> gPassed{0};
std::atomic<std::uint64_t> gFailAt{0};
// The probability as a fraction of 2^32, so the draw is integer and the same on every platform.
std::atomic<std::uint64_t> gChance{0};
std::mutex gRngMutex;
Rng gRng;
constexpr std::uint64_t kChanceScale = 1ULL << 32;

std::uint64_t chanceOf(double p) noexcept
{
    if (!(p > 0))
        return 0;
    return p >= 1 ? kChanceScale : static_cast<std::uint64_t>(p * static_cast<double>(kChanceScale));
}

/// VSSSIM_FAIL_ALLOC=N, read once, before the first point counts.
void readEnvironment() noexcept
{
    static const bool once = [] {
        if (const char *s = std::getenv("VSSSIM_FAIL_ALLOC"); s && *s) {
            char *end = nullptr;
            const unsigned long long n = std::strtoull(s, &end, 10);
            if (end && *end == '\0')
                gFailAt = n;
        }
        if (const char *s = std::getenv("VSSSIM_FAIL_ALLOC_PROBABILITY"); s && *s) {
            char *end = nullptr;
            const double p = std::strtod(s, &end);
            std::uint64_t seed = 0;
            if (const char *seedText = std::getenv("VSSSIM_SEED"))
                seed = std::strtoull(seedText, nullptr, 0);
            if (end && *end == '\0' && p >= 0 && p <= 1) {
                std::lock_guard guard(gRngMutex);
                gRng = Rng{seed};
                gChance = chanceOf(p);
            }
        }
        return true;
    }();
    (void)once;
}

} // namespace

void failAllocationAt(std::uint64_t nth) noexcept
{
    readEnvironment();   // a later first point must not overwrite what was set here
    gPassed = 0;
    gFailAt = nth;
    gChance = 0;
}

void failAllocationWithProbability(double p, std::uint64_t seed) noexcept
{
    readEnvironment();
    gPassed = 0;
    gFailAt = 0;
    std::lock_guard guard(gRngMutex);
    gRng = Rng{seed};
    gChance = chanceOf(p);
}

std::uint64_t allocationPointsPassed() noexcept
{
    return gPassed.load();
}

bool allocationFails() noexcept
{
    readEnvironment();
    const std::uint64_t n = ++gPassed;
    const std::uint64_t at = gFailAt.load();
    if (at != 0)
        return n == at;
    if (const std::uint64_t chance = gChance.load(); chance != 0) {
        std::lock_guard guard(gRngMutex);
        return gRng.below(kChanceScale) < chance;
    }
    return false;
}

} // namespace vsssim
