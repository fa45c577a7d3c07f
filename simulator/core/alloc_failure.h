// Allocation-failure injection: the Nth allocation point of the simulator's API paths fails, or each
// one with probability p from a seeded stream, so a requester can test its E_OUTOFMEMORY handling as it
// would meet it on Windows. Set by `[service] fail_allocation = N` / `fail_allocation_probability = p`,
// or VSSSIM_FAIL_ALLOC=N / VSSSIM_FAIL_ALLOC_PROBABILITY=p (seeded by VSSSIM_SEED) for a program under test.
#pragma once
#include "private.h"

#include <cstdint>

namespace vsssim {

/** \brief Counting restarts; the nth point from now fails (0: none fails). */
void failAllocationAt(std::uint64_t nth) noexcept;
/** \brief Points passed since the last failAllocationAt: how many a run has, for a sweep over them. */
std::uint64_t allocationPointsPassed() noexcept;
/** \brief Counting restarts; from now each point fails with probability p (0: none), drawn from `seed`. */
void failAllocationWithProbability(double p, std::uint64_t seed) noexcept;
/** \brief One allocation point: true when this one is to fail. The first call reads VSSSIM_FAIL_ALLOC. */
bool allocationFails() noexcept;

} // namespace vsssim
