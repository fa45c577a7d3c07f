// The -k match is a glob (fnmatch(3), PathMatchSpec on Windows: platform/platform.h) when the pattern has glob characters, else a substring:
// `-k exchange` and `-k 'exchange-*'` both read as a user expects.
#include "selection.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <iostream>
#include <numeric>
#include <stdexcept>

#include <unistd.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/names.h"
#include "platform/platform.h"
#include "scenario/search_path.h"

namespace vsssim {

namespace fs = std::filesystem;

void addSelectionOptions(CLI::App &c, SelectionOptions &o)
{
    c.add_flag("--list", o.list, "print the scenario files that would run, one per line, and exit 0");
    c.add_option("-k", o.patterns,
                 "run only scenarios whose name contains PATTERN, or matches it as a glob (* ? [...]); "
                 "repeat -k for any of several")
        ->allow_extra_args(false);
    c.add_option("--shard", o.shard,
                 "I/N: run the I-th of N stable parts (I from 1): the scenarios sorted by name, every N-th from the "
                 "I-th; for CI matrices");
    c.add_flag("--fail-fast", o.failFast, "start no new run after the first failure; the rest are reported as not run");
}

std::vector<std::string> expandScenarioPaths(const std::vector<std::string> &arguments)
{
    std::vector<std::string> files;
    for (const std::string &arg : arguments) {
        std::error_code ec;
        if (!fs::is_directory(arg, ec)) {
            files.push_back(resolveScenarioPath(arg));
            continue;
        }
        std::vector<std::string> found;
        for (const fs::directory_entry &e : fs::recursive_directory_iterator(arg, ec))
            if (e.is_regular_file() && e.path().extension() == ".toml")
                found.push_back(e.path().string());
        if (ec)
            throw std::invalid_argument(fmt::format("{}: cannot read the directory: {}", arg, ec.message()));
        std::sort(found.begin(), found.end());
        if (found.empty())
            throw std::invalid_argument(fmt::format("{}: no .toml scenario in this directory", arg));
        files.insert(files.end(), found.begin(), found.end());
    }
    return files;
}

bool matchesPatterns(const std::string &name, const std::vector<std::string> &patterns)
{
    if (patterns.empty())
        return true;
    return std::any_of(patterns.begin(), patterns.end(), [&](const std::string &p) {
        if (p.find_first_of("*?[") != std::string::npos)
            return platform::matchesGlob(p, name);
        return name.find(p) != std::string::npos;
    });
}

namespace {

struct Shard {
    std::size_t index = 0;   ///< 0-based
    std::size_t count = 1;
};

Shard parseShard(const std::string &text)
{
    const auto bad = [&] {
        return std::invalid_argument(
            fmt::format("--shard '{}': expected I/N with 1 <= I <= N, as in --shard 2/4", text));
    };
    const std::size_t slash = text.find('/');
    if (slash == std::string::npos)
        throw bad();
    std::size_t i = 0, n = 0;
    const char *begin = text.data();
    const char *end = text.data() + text.size();
    const auto r1 = std::from_chars(begin, begin + slash, i);
    const auto r2 = std::from_chars(begin + slash + 1, end, n);
    if (r1.ec != std::errc() || r1.ptr != begin + slash || r2.ec != std::errc() || r2.ptr != end || n == 0 || i == 0 ||
        i > n)
        throw bad();
    return {i - 1, n};
}

} // namespace

std::vector<std::size_t> selectScenarios(const std::vector<std::string> &names, const SelectionOptions &o)
{
    const Shard shard = o.shard.empty() ? Shard{} : parseShard(o.shard);
    std::vector<std::size_t> kept;
    for (std::size_t i = 0; i < names.size(); ++i)
        if (matchesPatterns(names[i], o.patterns))
            kept.push_back(i);
    // A -k that matches nothing is a typo in a CI config, not a green run of nothing.
    if (kept.empty() && !o.patterns.empty() && !names.empty())
        throw std::invalid_argument(fmt::format("-k {}: no scenario name matches (of {} scenarios; --list shows them)",
                                                joinText(o.patterns, " -k "), names.size()));
    if (shard.count == 1)
        return kept;
    std::vector<std::size_t> byName = kept;
    std::stable_sort(byName.begin(), byName.end(), [&](std::size_t a, std::size_t b) { return names[a] < names[b]; });
    std::vector<bool> inShard(names.size());
    for (std::size_t k = 0; k < byName.size(); ++k)
        if (k % shard.count == shard.index)
            inShard[byName[k]] = true;
    std::vector<std::size_t> out;
    std::copy_if(kept.begin(), kept.end(), std::back_inserter(out), [&](std::size_t i) { return inShard[i]; });
    return out;
}

ProgressLine::ProgressLine(std::size_t total) : total_(total), enabled_(total > 1 && ::isatty(STDOUT_FILENO)) {}

void ProgressLine::show(std::size_t done, const std::string &current)
{
    if (!enabled_)
        return;
    std::cout << fmt::format("\r\x1b[K[{}/{}] {}", done, total_, current) << std::flush;
    drawn_ = true;
}

void ProgressLine::clear()
{
    if (!drawn_)
        return;
    std::cout << "\r\x1b[K" << std::flush;
    drawn_ = false;
}

} // namespace vsssim
