// Scenario text -> parseScenario: a Scenario, or errors each with a file:line:col position; never a
// crash, a hang, or an internal error escaping as the message.
#include "fuzz.h"

#include "scenario/loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace vsssim;
    const std::string path = "fuzz.toml";
    const LoadResult r = parseScenario(fuzz::bytes(data, size), path);
    fuzz::require(r.scenario.has_value() == r.errors.empty(), "a scenario and errors at once, or neither");
    for (const ScenarioError &e : r.errors) {
        fuzz::require(e.file == path, "an error naming another file: " + e.format());
        fuzz::require(e.line >= 1 && e.column >= 1, "an error without a position: " + e.format());
        fuzz::require(!e.message.empty(), "an empty error message at " + e.format());
        fuzz::require(e.message.rfind("internal error", 0) != 0, "an exception escaped the loader: " + e.format());
    }
    return 0;
}
