#include "run_view.h"

#include <cstdlib>
#include <iostream>

#include "core/rng.h"
#include "scenario/loader.h"

namespace vsssim {

RunView runView(const RunViewOptions &o, const char *command)
{
    RunOptions options;
    std::uint64_t seed = 0;
    const char *env = std::getenv("VSSSIM_SEED");
    const std::string &text = !o.seed.empty() ? o.seed : std::string(env ? env : "");
    if (!text.empty()) {
        if (!parseSeed(text.c_str(), seed)) {
            std::cerr << "vss-sim " << command << ": invalid seed '" << text
                      << "': expected a decimal, 0x-hex or a 40-hex git SHA\n";
            return {std::nullopt, 2};
        }
        options.seed = seed;
    }
    LoadResult loaded = loadScenarioFile(o.file);
    for (const ScenarioError &e : loaded.errors)
        std::cerr << e.format() << '\n';
    if (!loaded.scenario)
        return {std::nullopt, 3};
    return {scenarioTimeline(*loaded.scenario, options), 0};
}

} // namespace vsssim
