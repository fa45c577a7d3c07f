// Loggers: one per subsystem, stamped with simulated time (never dates: one seed, identical bytes).
// Levels come from SPDLOG_LEVEL ("info" or "warn,writer=debug"); logs go to stderr, data to stdout.
// spdlog checks the level before formatting, so a disabled level costs a comparison.
#pragma once
#include "private.h"

#include <memory>
#include <string>

#include <spdlog/logger.h>

#include "core/clock.h"

namespace vsssim {

std::shared_ptr<spdlog::logger> makeLogger(const std::string &name, const Clock *clock = nullptr);

} // namespace vsssim
