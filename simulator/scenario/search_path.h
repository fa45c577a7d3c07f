// Where a scenario named by its bare name ("freeze-timeout": no folder, no .toml) is found, for
// `vss-sim run NAME` and VSSSIM_SCENARIO=NAME alike.
#pragma once
#include "private.h"

#include <string>
#include <vector>

namespace vsssim {

/**
 * \brief The folders searched, in order: the current folder, each folder of VSSSIM_SCENARIO_PATH
 * (':'-separated), the installed library (DATADIR/vsssim/scenarios), and the source tree's
 * scenarios/ when this code runs from its build folder, uninstalled.
 */
std::vector<std::string> scenarioSearchPath();

/** \brief The shipped library: the installed one, or the source tree's when run uninstalled. */
std::string shippedScenarioDir();

/** \brief No folder, no .toml suffix, and no file of that name: to be looked up. */
bool isBareScenarioName(const std::string &argument);

/**
 * \brief `argument` itself when it has a folder or a .toml suffix, or names an existing file;
 * else the first FOLDER/argument.toml of scenarioSearchPath(), or `argument` unchanged when none
 * exists (the loader then says it cannot open it).
 */
std::string resolveScenarioPath(const std::string &argument);

} // namespace vsssim
