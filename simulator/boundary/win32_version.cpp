// <VersionHelpers.h>: the simulated machine's Windows version, VSSSIM_OS_VERSION or Windows 10 22H2.
#include <VersionHelpers.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

struct OsVersion {
    unsigned major = 10, minor = 0, build = 19045;
    bool server = false;
};

OsVersion osVersion()
{
    OsVersion v;
    const char *text = std::getenv("VSSSIM_OS_VERSION");
    if (!text || !*text)
        return v;
    OsVersion parsed{0, 0, 0, false};
    int used = 0;
    const int fields = std::sscanf(text, "%u.%u%n.%u%n", &parsed.major, &parsed.minor, &used, &parsed.build, &used);
    if (fields < 2) {
        // A version that cannot be read is a setup mistake: say so once, and answer the default.
        static bool warned = false;
        if (!warned)
            std::fprintf(stderr, "vsssim: VSSSIM_OS_VERSION=\"%s\" is not major.minor[.build][ server]; using 10.0.19045\n",
                         text);
        warned = true;
        return v;
    }
    parsed.server = std::strstr(text + used, "server") != nullptr;
    return parsed;
}

} // namespace

extern "C" BOOL IsWindowsVersionOrGreater(WORD wMajorVersion, WORD wMinorVersion, WORD wServicePackMajor)
{
    // Service packs ended with Windows 7 SP1; every simulated version is past its last one.
    (void)wServicePackMajor;
    const OsVersion v = osVersion();
    return (v.major > wMajorVersion || (v.major == wMajorVersion && v.minor >= wMinorVersion)) ? TRUE : FALSE;
}

extern "C" BOOL IsWindowsServer(void)
{
    return osVersion().server ? TRUE : FALSE;
}
