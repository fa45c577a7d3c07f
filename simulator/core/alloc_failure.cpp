#include "core/alloc_failure.h"

#include <atomic>
#include <cstdlib>

namespace vsssim {

namespace {

std::atomic<std::uint64_t> gPassed{0};
std::atomic<std::uint64_t> gFailAt{0};

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
    return at != 0 && n == at;
}

} // namespace vsssim
