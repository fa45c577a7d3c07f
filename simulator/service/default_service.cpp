#include "service/service.h"

#include <cstdlib>

namespace vsssim {

std::shared_ptr<Service> makeDefaultService()
{
    ServiceOptions options;
    if (const char *seed = std::getenv("VSSSIM_SEED"))
        parseSeed(seed, options.seed);
    return std::make_shared<Service>(std::move(options));
}

} // namespace vsssim
