// The simulator's data tables as Markdown: `vss-sim reference TABLE` prints them, docs/behaviour.md
// shows them (spliced in by docs/regenerate.sh), tests/views_test.cpp checks the two agree, so the
// reference a user reads is the table the simulator runs.
#pragma once
#include "private.h"

#include <span>
#include <string>
#include <string_view>

namespace vsssim {

struct ReferenceTable {
    std::string_view name;
    std::string_view what;
    std::string (*markdown)();
};

std::span<const ReferenceTable> referenceTables() noexcept;
/** \brief The Markdown of one table by name, or an empty string for an unknown name. */
std::string referenceTable(std::string_view name);

} // namespace vsssim
