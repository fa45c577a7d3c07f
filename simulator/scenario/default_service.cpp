#include <cstdlib>

#include <spdlog/spdlog.h>

#include "scenario/loader.h"
#include "scenario/runner.h"
#include "service/service.h"

namespace vsssim {

std::shared_ptr<Service> makeDefaultService()
{
    std::uint64_t seed = 0;
    const bool seeded = parseSeed(std::getenv("VSSSIM_SEED"), seed);
    // VSSSIM_SCENARIO: unmodified requester code runs against a scenario's writers and faults.
    if (const char *path = std::getenv("VSSSIM_SCENARIO"); path && *path) {
        LoadResult loaded = loadScenarioFile(path);
        if (loaded.scenario)
            return buildService(*loaded.scenario, seeded ? seed : loaded.scenario->seed);
        for (const ScenarioError &e : loaded.errors)
            spdlog::error("VSSSIM_SCENARIO: {}", e.format());
        spdlog::error("VSSSIM_SCENARIO: falling back to the default writer set");
    }
    ServiceOptions options;
    options.seed = seed;
    return std::make_shared<Service>(std::move(options));
}

} // namespace vsssim
