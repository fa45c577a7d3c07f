// `vss-sim timeline FILE [--seed N] [-o run.html] [--format html|svg|perfetto]`: one run's timeline.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "run_view.h"

namespace vsssim {

struct TimelineOptions {
    RunViewOptions run;
    std::string output = "-";
    std::string format;   ///< html, svg, perfetto; empty: from the output's extension, else html
};

void setupTimelineCommand(CLI::App &command, TimelineOptions &options);
int runTimelineCommand(const TimelineOptions &options);

} // namespace vsssim
