#include "scenario/search_path.h"

#include <cstdlib>
#include <filesystem>
#include <string_view>
#include <system_error>

#ifndef _WIN32
#include <dlfcn.h>
#include <errno.h>
#endif

namespace vsssim {

namespace fs = std::filesystem;

namespace {

// The build's own source tree counts only for code that runs from the build folder: an installed
// library must not find scenarios in whatever checkout it was once built from.
bool runsUninstalled()
{
#ifdef _WIN32
    return false;
#else
    Dl_info info{};
    if (::dladdr(reinterpret_cast<void *>(&runsUninstalled), &info) == 0 || !info.dli_fname)
        return false;
    std::error_code ec;
    // In the main program (the CLI and the tests link the code statically) dladdr names argv[0].
    std::string name = info.dli_fname;
    if (name.empty() || name == program_invocation_name)
        name = fs::read_symlink("/proc/self/exe", ec).string();
    const fs::path object = fs::weakly_canonical(name, ec);
    const fs::path build = fs::weakly_canonical(VSSSIM_BUILD_ROOT, ec);
    if (ec)
        return false;
    const std::string o = object.string(), b = build.string();
    return o.size() > b.size() && o.compare(0, b.size(), b) == 0 && o[b.size()] == '/';
#endif
}

bool isFile(const fs::path &p)
{
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

} // namespace

std::vector<std::string> scenarioSearchPath()
{
    std::vector<std::string> dirs{"."};
    if (const char *path = std::getenv("VSSSIM_SCENARIO_PATH"); path && *path) {
        std::string_view rest = path;
        while (!rest.empty()) {
            const std::size_t colon = rest.find(':');
            if (std::string_view dir = rest.substr(0, colon); !dir.empty())
                dirs.emplace_back(dir);
            rest = colon == std::string_view::npos ? std::string_view{} : rest.substr(colon + 1);
        }
    }
    dirs.emplace_back(VSSSIM_SCENARIO_INSTALL_DIR);
    if (runsUninstalled())
        dirs.emplace_back(VSSSIM_SCENARIO_SOURCE_DIR);
    return dirs;
}

std::string shippedScenarioDir()
{
    std::error_code ec;
    if (runsUninstalled() || !fs::is_directory(VSSSIM_SCENARIO_INSTALL_DIR, ec))
        return VSSSIM_SCENARIO_SOURCE_DIR;
    return VSSSIM_SCENARIO_INSTALL_DIR;
}

bool isBareScenarioName(const std::string &argument)
{
    const fs::path given = argument;
    return !argument.empty() && !given.has_parent_path() && given.extension() != ".toml" && !isFile(given);
}

std::string resolveScenarioPath(const std::string &argument)
{
    if (!isBareScenarioName(argument))
        return argument;
    for (const std::string &dir : scenarioSearchPath())
        if (fs::path candidate = fs::path(dir) / (argument + ".toml"); isFile(candidate))
            return dir == "." ? candidate.filename().string() : candidate.string();
    return argument;
}

} // namespace vsssim
