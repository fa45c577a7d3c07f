// `vss-sim test [SCENARIO|DIR]... -- PROGRAM ARGS...`: an unmodified requester run once per scenario
// with that scenario injected (VSSSIM_SCENARIO), each verdict read back from VSSSIM_VERDICT.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "selection.h"

namespace vsssim {

struct TestOptions {
    std::vector<std::string> scenarios;   ///< files and directories; empty: the shipped field library
    std::vector<std::string> program;     ///< after `--`: the program and its arguments
    std::string junit;                    ///< JUnit XML for CI
    std::string logs;                     ///< where each run's stdout/stderr go
    std::string seed;                     ///< VSSSIM_SEED for every run, else each scenario's own
    double timeout = 120;                 ///< seconds of wall time per run
    unsigned jobs = 0;                    ///< 0: the number of cores
    bool json = false;
    SelectionOptions selection;           ///< --list, -k, --shard, --fail-fast
};

/** \brief The options and help of `vss-sim test` on its subcommand. */
void setupTestCommand(CLI::App &command, TestOptions &options);

/** \brief Run the program against every scenario; 0 when every verdict held (or did not apply). */
int runTestCommand(const TestOptions &options);

} // namespace vsssim
