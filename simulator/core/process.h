// The process around the library: how it learns the exit status and how it stops a program. Defined
// with the rest of what differs between systems, in platform/posix.cpp and platform/windows.cpp.
#pragma once
#include "private.h"

namespace vsssim {

/**
 * \brief Run `hook` when the process exits normally (return from main or exit()), with the status the
 * program is exiting with; the hook may replace it by calling exitProcessNow(). Where the platform cannot
 * tell the status, the hook sees 0.
 */
void onProcessExit(void (*hook)(int status));

/** \brief End the process at once with `code`, after flushing stdio; no further exit handlers run. */
[[noreturn]] void exitProcessNow(int code);

} // namespace vsssim
