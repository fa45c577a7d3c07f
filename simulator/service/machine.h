// VSSSIM_MACHINE=DIR: what outlives a process on Windows, kept in DIR/machine.toml so that a
// requester run in one process sees what another left (vshadow -p C: then vshadow -q). Today that
// is the volumes' GUID names, the persistent shadow copies, the writers' instance ids, public status
// and the session slots still held (R10 leftovers), and the machine's clock.
#pragma once
#include "private.h"

#include <string>

namespace vsssim {

class Service;

enum class MachineAccess {
    ReadWrite,   ///< a requester's process: saved at exit
    ReadOnly     ///< `vss-sim machine show`: looked at, never written
};

/**
 * \brief Give `service` the state VSSSIM_MACHINE holds, if it names a directory: the volumes' names,
 * the persistent shadow copies and the clock. The machine stays locked (flock) until the process
 * exits, so concurrent processes take turns, and is saved at exit. A machine file that is corrupt,
 * foreign or from a newer vss-sim stops the program with its error and exit status 3; it is never
 * overwritten.
 */
void attachMachine(Service &service);
/** \brief attachMachine for an explicit directory (`vss-sim machine`). */
void attachMachineDir(Service &service, const std::string &dir, MachineAccess access);

/**
 * \brief A fresh machine in DIR (made if missing), with `service`'s volumes and writers; `scenario`,
 * if not empty, is the scenario file its processes run under when VSSSIM_SCENARIO is not set.
 * False and why when DIR already has a machine.
 */
bool initMachine(Service &service, const std::string &dir, const std::string &scenario, std::string &error);

/** \brief The scenario file DIR's machine runs under, or empty (read without the lock: the file is replaced whole). */
std::string machineScenario(const std::string &dir);
/** \brief Forget what DIR's machine holds (under its lock); false and why when it cannot. */
bool resetMachine(const std::string &dir, std::string &error);

/** \brief Write the attached machine now (after DeleteSnapshots); nothing without VSSSIM_MACHINE. */
void saveMachine(Service &service);

} // namespace vsssim
