// Allocation-failure injection: the Nth allocation point of the simulator's API paths fails, so a
// requester can test its E_OUTOFMEMORY handling as it would meet it on Windows. Set by
// `[service] fail_allocation = N` or VSSSIM_FAIL_ALLOC=N for a program under test.
#pragma once
#include "private.h"

#include <cstdint>

namespace vsssim {

/** \brief Counting restarts; the nth point from now fails (0: none fails). */
void failAllocationAt(std::uint64_t nth) noexcept;
/** \brief Points passed since the last failAllocationAt: how many a run has, for a sweep over them. */
std::uint64_t allocationPointsPassed() noexcept;
/** \brief One allocation point: true when this one is to fail. The first call reads VSSSIM_FAIL_ALLOC. */
bool allocationFails() noexcept;

} // namespace vsssim
