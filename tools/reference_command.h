// `vss-sim reference TABLE`: one of the simulator's data tables as Markdown (scenario/reference_tables.h).
#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace vsssim {

struct ReferenceOptions {
    std::string table;
};

void setupReferenceCommand(CLI::App &command, ReferenceOptions &options);
int runReferenceCommand(const ReferenceOptions &options);

} // namespace vsssim
