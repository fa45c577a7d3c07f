// What a correct requester does about each failure code (docs/behaviour.md §17), as data: `vss-sim explain`
// prints it, and the mistake detectors can cite the same rows.
#pragma once
#include "private.h"

#include <span>
#include <string_view>

#include <vss.h>

namespace vsssim {

/// One row per code; §17 rows naming several codes are repeated for each.
struct Guidance {
    HRESULT code;
    std::string_view seenIn;      ///< where a requester meets it
    std::string_view producer;    ///< who produces it
    std::string_view meaning;     ///< what it means for the requester
    std::string_view reaction;    ///< the correct reaction
    std::string_view retry;       ///< the retry policy
};
std::span<const Guidance> guidanceTable() noexcept;
/** \brief The row of `code`, or nullptr when §17 says nothing about it. */
const Guidance *guidanceFor(HRESULT code) noexcept;

/// §17's rows about writer states rather than codes ("writer in [5] after DoSnapshotSet").
struct StateGuidance {
    VSS_WRITER_STATE state;
    std::string_view situation;
    std::string_view meaning;     ///< "" where §17 gives none
    std::string_view reaction;
};
std::span<const StateGuidance> stateGuidanceTable() noexcept;

/** \brief Who produces a code §17 has no row for, judged from its name (writer, service, COM). */
std::string_view producerOf(HRESULT code) noexcept;

} // namespace vsssim
