// vss-sim's own control API: what a test or a requester harness needs beyond the Windows headers.
#pragma once

#include <cstddef>
#include <cstdint>

namespace vsssim {

/** \brief The library version, "MAJOR.MINOR.PATCH". */
const char *version() noexcept;

/** \brief BSTRs handed out by the library and not yet freed (SysAllocString* included). */
std::size_t liveBstrCount() noexcept;

/** \brief COM objects handed out by the library and not yet released (requester objects, IVssAsync...). */
std::size_t liveObjectCount() noexcept;

} // namespace vsssim
