// `vss-sim run --jobs N --timeout S --fail-fast`: scenarios run in worker threads, each bounded in wall
// time. A run past its bound is reported TIMEOUT and abandoned (a thread cannot be killed), so the caller
// must end the process soon after, without destroying what the abandoned run still uses.
#pragma once

#include <cstddef>
#include <functional>

namespace vsssim {

enum class TaskEnd {
    Done,       ///< the work returned: its result says whether it passed
    TimedOut,   ///< still running after the timeout: abandoned
    NotRun,     ///< --fail-fast: not started after a failure
};

struct PoolOptions {
    unsigned jobs = 0;        ///< 0: the number of cores
    double timeout = 0;       ///< seconds per task; 0: no bound
    bool failFast = false;    ///< start nothing after a task that did not pass
};

/** \brief Run work(i) for i in [0, count), at most `jobs` at once; onEnd(i, how) is called on this
 *  thread, once per task, in the order the tasks end. An exception from work is rethrown here once
 *  every task has ended.
 *  \return false when a task was abandoned (TimedOut): the caller must not return from main normally. */
bool runPool(std::size_t count, const PoolOptions &options, std::function<bool(std::size_t)> work,
             const std::function<void(std::size_t, TaskEnd)> &onEnd);

} // namespace vsssim
