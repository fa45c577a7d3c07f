// <VersionHelpers.h>: the Windows version of the simulation in force (`[service] os` of the
// scenario, service/os_versions.cpp; default Windows 11), so a requester's version checks and the
// interfaces QueryInterface gives agree.
#include <VersionHelpers.h>

#include "service/service.h"

namespace {

const vsssim::OsVersion &osInForce()
{
    std::shared_ptr<vsssim::Service> service = vsssim::Service::current();
    auto lock = service->lock();
    return *service->settings().os;
}

} // namespace

extern "C" BOOL IsWindowsVersionOrGreater(WORD wMajorVersion, WORD wMinorVersion, WORD wServicePackMajor)
{
    try {
        const vsssim::OsVersion &v = osInForce();
        if (v.major != wMajorVersion)
            return v.major > wMajorVersion ? TRUE : FALSE;
        if (v.minor != wMinorVersion)
            return v.minor > wMinorVersion ? TRUE : FALSE;
        return v.servicePack >= wServicePackMajor ? TRUE : FALSE;
    } catch (...) {
        return FALSE;
    }
}

extern "C" BOOL IsWindowsServer(void)
{
    try {
        return osInForce().server ? TRUE : FALSE;
    } catch (...) {
        return FALSE;
    }
}
