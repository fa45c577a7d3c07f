// Which scenarios a `vss-sim run` or `vss-sim test` invocation runs: files and directories expanded,
// then -k patterns and --shard applied, in that order; --list prints the result instead of running it.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace vsssim {

struct SelectionOptions {
    std::vector<std::string> patterns;   ///< -k: substring, or glob when it has * ? [; several: any one
    std::string shard;                   ///< --shard I/N, I 1-based; empty: every scenario
    bool list = false;                   ///< --list: print the selection, run nothing
    bool failFast = false;               ///< --fail-fast: start no new run after the first failure
};

/** \brief --list, -k, --shard and --fail-fast on a command, with the same help for run and test. */
void addSelectionOptions(CLI::App &command, SelectionOptions &options);

/** \brief Files as given; a directory gives its *.toml files, recursively, sorted by path.
 *  \throws std::invalid_argument for a directory without any scenario. */
std::vector<std::string> expandScenarioPaths(const std::vector<std::string> &arguments);

/** \brief Whether a scenario name matches one -k pattern (no patterns: every name). */
bool matchesPatterns(const std::string &name, const std::vector<std::string> &patterns);

/** \brief The indices of `names` that -k and --shard keep, in their input order.
 *  The shard split numbers the kept scenarios in the order of their names (ties: input order) and gives
 *  shard I the ones whose number is I-1 modulo N: it depends on the names only, not on the order the
 *  files were given in, and N shards together run each scenario exactly once.
 *  \throws std::invalid_argument for a malformed --shard, or -k patterns that match no name. */
std::vector<std::size_t> selectScenarios(const std::vector<std::string> &names, const SelectionOptions &options);

/** \brief The one-line progress display, drawn only when stdout is a terminal (never in pipes or CI logs). */
class ProgressLine
{
public:
    explicit ProgressLine(std::size_t total);
    void show(std::size_t done, const std::string &current);
    void clear();   ///< before printing a result line
    bool enabled() const { return enabled_; }

private:
    std::size_t total_;
    bool enabled_;
    bool drawn_ = false;
};

} // namespace vsssim
