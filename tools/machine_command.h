// `vss-sim machine init|show|reset DIR`: the machine state VSSSIM_MACHINE=DIR keeps between processes.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace vsssim {

struct MachineOptions {
    std::string action;   ///< init, show or reset
    std::string dir;
    std::string scenario;   ///< init: the scenario the machine's processes run under
};

/** \brief The arguments and help of `vss-sim machine` on its subcommand. */
void setupMachineCommand(CLI::App &command, MachineOptions &options);

/** \brief init: a fresh machine; show: its shadow copies as `vssadmin list shadows`; reset: forget it. */
int runMachineCommand(const MachineOptions &options);

} // namespace vsssim
