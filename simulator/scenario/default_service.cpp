#include <cstdlib>

#include <spdlog/spdlog.h>

#include "scenario/loader.h"
#include "scenario/runner.h"
#include "service/service.h"

namespace vsssim {

std::shared_ptr<Service> makeDefaultService()
{
    std::uint64_t seed = 0;
    parseSeed(std::getenv("VSSSIM_SEED"), seed);
    ServiceOptions options;
    options.seed = seed;
    return std::make_shared<Service>(std::move(options));
}

} // namespace vsssim
