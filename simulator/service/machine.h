// VSSSIM_MACHINE=DIR: what outlives a process on Windows, kept in DIR/machine.toml so that a
// requester run in one process sees what another left (vshadow -p C: then vshadow -q). Today that
// is the volumes' GUID names, the persistent shadow copies and the machine's clock.
#pragma once
#include "private.h"

namespace vsssim {

class Service;

/**
 * \brief Give `service` the state VSSSIM_MACHINE holds, if it names a directory: the volumes' names,
 * the persistent shadow copies and the clock. The machine stays locked (flock) until the process
 * exits, so concurrent processes take turns, and is saved at exit. A machine file that is corrupt,
 * foreign or from a newer vss-sim stops the program with its error and exit status 3; it is never
 * overwritten.
 */
void attachMachine(Service &service);

/** \brief Write the attached machine now (after DeleteSnapshots); nothing without VSSSIM_MACHINE. */
void saveMachine(Service &service);

} // namespace vsssim
