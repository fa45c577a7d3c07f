// `vss-sim machine init|show|reset DIR`: the machine state VSSSIM_MACHINE=DIR keeps between processes.
#pragma once

#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "scenario/listing.h"

namespace vsssim {

class Service;

struct MachineOptions {
    std::string action;   ///< init, show or reset
    std::string dir;
    std::string scenario;   ///< init: the scenario the machine's processes run under
};

/** \brief The arguments and help of `vss-sim machine` on its subcommand. */
void setupMachineCommand(CLI::App &command, MachineOptions &options);

/** \brief init: a fresh machine; show: its shadow copies as `vssadmin list shadows`; reset: forget it. */
int runMachineCommand(const MachineOptions &options);

/** \brief `vss-sim list-shadows`: the shadow copies `service` holds, as vssadmin, vshadow -q or diskshadow
 *  list them (Query through the public API). Exit status: 0, or 70 when the query fails. */
int listShadows(const std::shared_ptr<Service> &service, const std::string &format, const ListingOptions &options);

} // namespace vsssim
