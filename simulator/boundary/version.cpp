#include <vsssim/vsssim.h>

const char *vsssim::version() noexcept
{
    return VSSSIM_VERSION;
}
