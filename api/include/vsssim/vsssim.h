// vss-sim's own control API: what a test or a requester harness needs beyond the Windows headers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <vsssim/export.h>

namespace vsssim {

/** \brief The library version, "MAJOR.MINOR.PATCH". */
VSSSIM_API const char *version() noexcept;

/** \brief BSTRs handed out by the library and not yet freed (SysAllocString* included). */
VSSSIM_API std::size_t liveBstrCount() noexcept;

/** \brief COM objects handed out by the library and not yet released (requester objects, IVssAsync...). */
VSSSIM_API std::size_t liveObjectCount() noexcept;

/**
 * \brief Make the simulation this process talks to the one a scenario file describes: its writers,
 * faults, volumes and settings (what VSSSIM_SCENARIO does at the first API call).
 * \return false for a bad file; `errors`, if given, receives its `file:line:col: error: ...` lines.
 */
VSSSIM_API bool useScenario(const char *path, std::string *errors = nullptr) noexcept;

/**
 * \brief The verdict on the scenario installed by useScenario() or VSSSIM_SCENARIO, whose requester is
 * this program: each [[expect]] naming a method was checked when that call returned (or its
 * asynchronous operation ended); this checks the end-of-run ones, once. A requester mistake that no
 * expectation asked for fails the verdict too. The process prints the same report on stderr at exit
 * (and as JSON to VSSSIM_VERDICT), and a failed verdict turns exit status 0 into VSSSIM_EXITCODE (1).
 * \return true when the verdict held; `report`, if given, receives the verdict lines.
 */
VSSSIM_API bool scenarioExpectationsHeld(std::string *report = nullptr) noexcept;

} // namespace vsssim
