// What `vss-sim timeline` and `vss-sim step` share: a scenario FILE and a --seed, run once, seen
// through the timeline model (simulator/scenario/timeline.h).
#pragma once

#include <optional>
#include <string>

#include "scenario/timeline.h"

namespace vsssim {

struct RunViewOptions {
    std::string file;
    std::string seed;   ///< --seed text; empty: VSSSIM_SEED, else the scenario's
};

/// The timeline of FILE's run, or the exit code to end with: 3 for a scenario that does not load
/// (its errors printed as file:line:col), 2 for a malformed seed (said on stderr under `command`).
struct RunView {
    std::optional<Timeline> timeline;
    int exitCode = 0;
};
RunView runView(const RunViewOptions &options, const char *command);

} // namespace vsssim
