// Seeded randomness: splitmix64 with an integer-only API, so every compiler and standard library
// draws the same numbers (no std::*_distribution, no doubles).
#pragma once
#include "private.h"

#include <cstdint>

#include <windows.h>

namespace vsssim {

class Rng
{
public:
    explicit Rng(std::uint64_t seed = 0) noexcept : state_(seed) {}

    std::uint64_t next() noexcept
    {
        std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    /** \brief Uniform in [0, n); rejection avoids modulo bias. */
    std::uint64_t below(std::uint64_t n) noexcept;
    bool chance(std::uint64_t num, std::uint64_t den) noexcept { return below(den) < num; }
    /** \brief An independent stream: adding one consumer leaves the others' draws alone. */
    Rng fork() noexcept { return Rng{next()}; }
    /** \brief A version-4 GUID from this stream (instance ids, session ids, snapshot ids). */
    GUID guid() noexcept;

private:
    std::uint64_t state_;
};

/// Seed text: decimal, 0x-hex, or a 40-hex git SHA whose last 16 digits become the seed.
bool parseSeed(const char *text, std::uint64_t &seed) noexcept;

} // namespace vsssim
