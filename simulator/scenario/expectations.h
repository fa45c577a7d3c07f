// The vocabulary of a scenario's expectations that hold for any requester: the operations whose end
// a machine expectation (`when`) names, and the reactions a correct requester owes a failure
// (docs/behaviour.md §17). One table each: the loader checks against them, the checker applies them,
// `vss-sim validate` and scenarios/README.md describe them.
#pragma once
#include "private.h"

#include <span>
#include <string_view>

namespace vsssim {

/** \brief The IVssBackupComponents operations whose end a `when` expectation names: each returns an
 *  IVssAsync, and the machine's state is checked the instant the operation ends (or fails to start). */
std::span<const std::string_view> machineOperations() noexcept;

/// A reaction a correct requester owes the scenario's failure, and the requester-mistake detectors
/// (docs/behaviour.md §19, M1..M18) that prove a program did otherwise.
struct Reaction {
    std::string_view name;          ///< what `reaction = "..."` names
    std::string_view requirement;   ///< the §17 guidance, as a verdict states it
    std::span<const std::string_view> mistakes;
};

std::span<const Reaction> reactionTable() noexcept;

/// A requester mistake the simulator detects (docs/behaviour.md §19): what `mistakes = [...]` names.
struct MistakeKind {
    std::string_view id;     ///< "M9"
    std::string_view title;  ///< "retrying sooner than advised, or a fourth retry"
};
std::span<const MistakeKind> mistakeTable() noexcept;
const Reaction *findReaction(std::string_view name) noexcept;

} // namespace vsssim
