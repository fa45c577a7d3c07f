// `vss-sim step FILE [--seed N]`: a scenario's run, one delivery at a time, in the terminal or on a pipe.
#pragma once

#include <CLI/CLI.hpp>

#include "run_view.h"

namespace vsssim {

struct StepOptions {
    RunViewOptions run;
};

void setupStepCommand(CLI::App &command, StepOptions &options);
int runStepCommand(const StepOptions &options);

} // namespace vsssim
