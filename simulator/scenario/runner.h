// Replays a scenario on a fresh simulated service: its writers, its faults, its scripted requester,
// then checks its expectations. Same file and seed → byte-identical trace.
#pragma once
#include "private.h"

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <string>
#include <tuple>
#include <vector>

#include "scenario/scenario.h"
#include "service/service.h"
#include "service/session.h"

namespace vsssim {

struct RunOptions {
    std::optional<std::uint64_t> seed;   ///< overrides the scenario's (--seed, VSSSIM_SEED)
    /// clock = "real": the run's wall-clock limit; reaching it fails the run (the rest runs in virtual time).
    std::chrono::milliseconds wallClockLimit = kDefaultWallClockLimit;
};

/// Called at each label the requester reaches, with the step's result, and with "" at the end of the
/// run (after the drain), with the service as it stands then: how `vss-sim list-writers --after` and
/// `vss-sim timeline` look in.
using LabelObserver = std::function<void(const std::string &label, HRESULT result, Service &service)>;

struct ExpectationFailure {
    SourcePos pos;
    std::string what;        ///< "after DoSnapshotSet: System Writer state"
    std::string expected;
    std::string got;
};

struct RunReport {
    std::string scenario;
    std::string path;
    std::uint64_t seed = 0;
    bool passed = false;
    std::vector<ExpectationFailure> failures;
    std::vector<std::string> stepLog;    ///< "DoSnapshotSet -> VSS_E_UNEXPECTED_WRITER_ERROR (0x80042315)"
    std::string golden;                  ///< Trace::golden()
    std::string jsonTrace;               ///< Trace::jsonLines()
    std::uint64_t traceHash = 0;
    SimTime virtualEnd{};
    std::vector<Mistake> mistakes;
    std::size_t expectationsChecked = 0;
};

/// Checks a scenario's expectations as labels are reached. The scripted requester reaches them step
/// by step; a requester under test (VSSSIM_SCENARIO) reaches one at each of its calls.
/// Machine expectations (`when`) are checked whenever any requester's operation ends, reactions at
/// the end; script expectations only where the script runs (or where the scenario has none and a
/// program under test reaches method labels).
class ExpectationChecker
{
public:
    enum class Requester { Script, ProgramUnderTest };
    ExpectationChecker(const Scenario &scenario, Service &service, Requester requester = Requester::Script);

    /** \brief Whether `e` judges this run's requester. */
    bool applies(const Expectation &e) const noexcept;
    /** \brief How many of the scenario's expectations apply, by kind (machine, reaction, script). */
    std::array<std::size_t, 3> applicableCounts() const noexcept;
    /** \brief A requester's operation `op` ended with `result` (Service's call observer). */
    void operationEnded(std::string_view op, HRESULT result, const Session &session);

    /** \brief `label` was reached with `result`; `held` is the status list the requester holds now. */
    void reached(const std::string &label, HRESULT result, const std::vector<StatusEntry> &held);
    /** \brief The end of the run: expectations without `after`, and any whose label was never reached. */
    void finish(const std::vector<StatusEntry> &held);
    /** \brief A failure the caller found itself (a step's own `expect`). */
    void fail(const SourcePos &pos, std::string what, std::string expected, std::string got);

    const std::vector<ExpectationFailure> &failures() const noexcept { return failures_; }
    std::size_t checked() const noexcept { return checked_; }
    /** \brief Machine expectations about operations a program under test never ran. */
    std::size_t notReached() const noexcept { return notReached_; }

private:
    void checkWriter(const Expectation &e, const std::string &where, const std::vector<StatusEntry> &held);

    void checkEvents(const Expectation &e, const std::string &where);
    void checkReaction(const Expectation &e);

    const Scenario &sc_;
    Service &svc_;
    bool scriptRuns_;
    std::size_t notReached_ = 0;
    std::map<std::string, int> occurrences_;
    /// How often each machine operation ended, by (session ordinal or 0 for any, mode or -1 for any, op).
    std::map<std::tuple<int, int, std::string>, int> ends_;
    static std::tuple<int, int, std::string> endKey(const Expectation &e)
    {
        return {e.session, e.componentsSelected ? int(*e.componentsSelected) : -1, e.when};
    }
    std::map<std::uint32_t, int> sessionOrdinals_;   ///< Session::number() → 1, 2, ... as they first end one
    std::vector<ExpectationFailure> failures_;
    std::size_t checked_ = 0;
};

/** \brief A service set up as the scenario says (writers, faults, volumes, settings), not yet run. */
std::shared_ptr<Service> buildService(const Scenario &scenario, std::uint64_t seed,
                                      std::chrono::milliseconds wallClockLimit = kDefaultWallClockLimit);

/** \brief Build, run the requester script, check every expectation. */
RunReport runScenario(const Scenario &scenario, const RunOptions &options = {}, const LabelObserver &atLabel = {});

/** \brief Every `call` a [[step]] may name: what the runner carries out (the loader checks against it). */
std::span<const std::string_view> stepCalls() noexcept;

/** \brief The steps a run carries out: the scenario's [[step]]s, or its built-in script. */
std::vector<Step> requesterScript(const Scenario &scenario);

/** \brief Every label a run may reach, in order, with repeats (expectations' `after`). */
std::vector<std::string> scriptLabels(const Scenario &scenario);

/** \brief The seed a run uses: options, else VSSSIM_SEED, else the scenario's. */
std::uint64_t effectiveSeed(const Scenario &scenario, const RunOptions &options);

} // namespace vsssim
