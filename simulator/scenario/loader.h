// Scenario files: TOML (toml++) into a Scenario. Every malformed or inconsistent file gets an error
// a person can act on, as `file:line:col: error: message`, naming the key, the value and what was
// expected; unknown keys and unknown names are errors, with a "did you mean" when one is close.
#pragma once
#include "private.h"

#include <string>
#include <string_view>
#include <vector>

#include "scenario/scenario.h"

namespace vsssim {

struct ScenarioError {
    std::string file;
    std::uint32_t line = 0;
    std::uint32_t column = 0;
    std::string message;
    /** \brief "file:line:col: error: message", the form editors jump to. */
    std::string format() const;
};

struct LoadResult {
    std::optional<Scenario> scenario;   ///< set only when there is no error
    std::vector<ScenarioError> errors;
};

/** \brief Read and check a scenario file: a path, or a bare name found by resolveScenarioPath(). */
LoadResult loadScenarioFile(const std::string &path);
/** \brief Parse scenario text; `path` is used in messages and as Scenario::path. */
LoadResult parseScenario(std::string_view text, const std::string &path);

/** \brief "65s", "10m", "2h", "2d", "500ms", "1.5s" → a duration; nullopt when malformed. */
std::optional<SimDuration> parseDuration(std::string_view text);

} // namespace vsssim
