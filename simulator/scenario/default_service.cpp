#include <cstdio>
#include <cstdlib>

#include <vsssim/vsssim.h>

#include <spdlog/spdlog.h>

#include "scenario/loader.h"
#include "scenario/runner.h"
#include "service/service.h"

namespace vsssim {

namespace {

/// VSSSIM_TRACE: the trace of a requester under test, as JSON lines, written when the process exits.
void writeTraceAtExit()
{
    const char *path = std::getenv("VSSSIM_TRACE");
    if (!path || !*path)
        return;
    auto service = Service::current();
    auto lock = service->lock();
    if (std::FILE *f = std::fopen(path, "w")) {
        const std::string lines = service->trace().jsonLines();
        std::fwrite(lines.data(), 1, lines.size(), f);
        std::fclose(f);
    }
}

std::shared_ptr<Service> serviceFor(const Scenario &scenario)
{
    std::uint64_t seed = 0;
    return buildService(scenario, parseSeed(std::getenv("VSSSIM_SEED"), seed) ? seed : scenario.seed);
}

} // namespace

bool useScenario(const char *path, std::string *errors) noexcept
{
    try {
        if (!path)
            return false;
        LoadResult loaded = loadScenarioFile(path);
        if (!loaded.scenario) {
            if (errors)
                for (const ScenarioError &e : loaded.errors)
                    *errors += e.format() + "\n";
            return false;
        }
        Service::install(serviceFor(*loaded.scenario));
        return true;
    } catch (const std::exception &e) {
        if (errors)
            *errors += std::string("internal error: ") + e.what() + "\n";
        return false;
    }
}

std::shared_ptr<Service> makeDefaultService()
{
    std::uint64_t seed = 0;
    parseSeed(std::getenv("VSSSIM_SEED"), seed);
    // VSSSIM_SCENARIO: unmodified requester code runs against a scenario's writers and faults.
    if (const char *path = std::getenv("VSSSIM_SCENARIO"); path && *path) {
        LoadResult loaded = loadScenarioFile(path);
        if (loaded.scenario) {
            static const bool registered = std::atexit(writeTraceAtExit) == 0;
            (void)registered;
            return serviceFor(*loaded.scenario);
        }
        for (const ScenarioError &e : loaded.errors)
            spdlog::error("VSSSIM_SCENARIO: {}", e.format());
        spdlog::error("VSSSIM_SCENARIO: falling back to the default writer set");
    }
    ServiceOptions options;
    options.seed = seed;
    return std::make_shared<Service>(std::move(options));
}

} // namespace vsssim
