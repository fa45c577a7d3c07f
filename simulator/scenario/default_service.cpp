#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>

#include <vsssim/vsssim.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "boundary/bstr.h"
#include "boundary/com_object.h"
#include "core/process.h"
#include "core/trace.h"
#include "scenario/expectations.h"
#include "scenario/loader.h"
#include "scenario/runner.h"
#include "scenario/timeline.h"
#include "service/service.h"

namespace vsssim {

namespace {

/// The scenario a requester under test runs against, and what its calls showed so far.
struct UnderTest {
    Scenario scenario;
    std::shared_ptr<Service> service;
    std::unique_ptr<ExpectationChecker> checker;
    Session::HeldStatus held;   ///< the last list a call left held, shared with its session
    bool finished = false;
    // What kind of requester the program is: a harness tells a backup scenario from a restore one.
    unsigned backups = 0;
    unsigned restores = 0;
};

std::mutex gUnderTestMutex;
std::unique_ptr<UnderTest> gUnderTest;

/// What the program under test did against its scenario: the expectations that failed and the
/// requester mistakes no expectation asked for. Either fails the verdict, as a sanitizer's report does.
struct Verdict {
    std::string scenario;
    std::string path;
    std::uint64_t seed = 0;
    std::size_t checked = 0;
    std::vector<ExpectationFailure> failures;
    std::size_t notReached = 0;
    std::vector<Mistake> mistakes;
    unsigned backups = 0;
    unsigned restores = 0;

    bool held() const noexcept { return failures.empty() && mistakes.empty(); }
};

/// Mistakes a scenario expects are its story (a `mistake = "M5"` expectation checks them), not a
/// defect. A mistake a reaction names stays in the list too: the reaction's failure points at the
/// scenario's line, the mistake at what the program did.
bool mistakeNamed(const Scenario &scenario, const ExpectationChecker &checker, const std::string &id)
{
    for (const Expectation &e : scenario.expectations) {
        if (!checker.applies(e))
            continue;  // the script's own mistakes are its story, not this program's
        if (std::find(e.mistakes.begin(), e.mistakes.end(), id) != e.mistakes.end())
            return true;
    }
    return false;
}

/// M1 and M13 at the end of the run: what the library handed out and the program still holds.
void reportLeaks(Service &service)
{
    std::map<std::string, std::size_t> bstrs;
    for (const std::string &origin : liveBstrOrigins())
        if (origin != "SysAllocString")  // the program's own strings are its business
            ++bstrs[origin];
    if (!bstrs.empty()) {
        std::string what;
        std::size_t total = 0;
        for (const auto &[origin, n] : bstrs) {
            what += fmt::format("{}{} from {}", what.empty() ? "" : ", ", n, origin);
            total += n;
        }
        service.recordMistake("M1", fmt::format("{} BSTR{} never freed at exit: {}", total, total == 1 ? "" : "s", what), 0);
    }
    const long requesters = liveObjectCounter(ComKind::Requester).load();
    const long asyncs = liveObjectCounter(ComKind::Async).load();
    if (requesters > 0 || asyncs > 0)
        service.recordMistake("M13", fmt::format("still referenced at exit: {} requester object{}, {} IVssAsync", requesters,
                                                 requesters == 1 ? "" : "s", asyncs), 0);
}

/// The end of the run: expectations without `after`, once; then the verdict so far.
std::optional<Verdict> finishUnderTest()
{
    std::lock_guard guard(gUnderTestMutex);
    if (!gUnderTest)
        return std::nullopt;
    UnderTest &t = *gUnderTest;
    auto lock = t.service->lock();
    if (!t.finished) {
        reportLeaks(*t.service);
        t.checker->finish(t.held ? *t.held : std::vector<StatusEntry>{});
        t.finished = true;
    }
    Verdict v{t.scenario.name, t.scenario.path, t.service->seed(), t.checker->checked(),
              t.checker->failures(), t.checker->notReached(), {}, t.backups, t.restores};
    for (const Mistake &m : t.service->mistakes())
        if (!mistakeNamed(t.scenario, *t.checker, m.id))
            v.mistakes.push_back(m);
    return v;
}

std::string verdictText(const Verdict &v)
{
    std::string text = fmt::format("vss-sim: scenario {} (seed {}): {} expectations checked, {} failed", v.scenario,
                                   v.seed, v.checked, v.failures.size());
    if (v.notReached > 0)
        text += fmt::format(", {} not reached (operations this program did not run)", v.notReached);
    if (!v.mistakes.empty())
        text += fmt::format(", {} requester mistake{}", v.mistakes.size(), v.mistakes.size() == 1 ? "" : "s");
    text += "\n";
    for (const ExpectationFailure &f : v.failures)
        text += fmt::format("{}:{}:{}: expected {}, got {} ({})\n", f.pos.file, f.pos.line, f.pos.column, f.expected,
                            f.got, f.what);
    for (const Mistake &m : v.mistakes)
        text += fmt::format("{}: requester mistake {} at {}: {}\n", v.path, m.id, formatSimTime(m.at), m.detail);
    return text;
}

/// VSSSIM_VERDICT=FILE: the same verdict for a harness (`vss-sim test`, a CI step) to read.
std::string verdictJson(const Verdict &v, int programStatus, int finalStatus)
{
    nlohmann::ordered_json j;
    j["scenario"] = v.scenario;
    j["path"] = v.path;
    j["seed"] = v.seed;
    j["held"] = v.held();
    j["checked"] = v.checked;
    j["not_reached"] = v.notReached;
    j["program_status"] = programStatus;
    j["exit_status"] = finalStatus;
    j["sessions"] = {{"backup", v.backups}, {"restore", v.restores}};
    j["failures"] = nlohmann::ordered_json::array();
    for (const ExpectationFailure &f : v.failures)
        j["failures"].push_back({{"file", f.pos.file}, {"line", f.pos.line}, {"column", f.pos.column},
                                 {"what", f.what}, {"expected", f.expected}, {"got", f.got}});
    j["mistakes"] = nlohmann::ordered_json::array();
    for (const Mistake &m : v.mistakes)
        j["mistakes"].push_back({{"id", m.id}, {"at", formatSimTime(m.at)}, {"session", m.session},
                                 {"detail", m.detail}});
    return j.dump(2) + "\n";
}

/// VSSSIM_EXITCODE: the status a failed verdict gives a program that would have exited 0 (default 1,
/// 0 disables), as ASAN_OPTIONS=exitcode does for a sanitizer report.
int failedVerdictStatus()
{
    const char *text = std::getenv("VSSSIM_EXITCODE");
    if (!text || !*text)
        return 1;
    char *end = nullptr;
    const long code = std::strtol(text, &end, 10);
    if (*end != '\0' || code < 0 || code > 255) {
        std::fprintf(stderr, "vss-sim: VSSSIM_EXITCODE=%s is not an exit status 0..255; using 1\n", text);
        return 1;
    }
    return static_cast<int>(code);
}

/// VSSSIM_TRACE, opened once a process: every simulation the process makes streams its records there
/// as they happen, so the file is complete however long the program runs and nothing is held for it.
const TraceSink &traceSink()
{
    static const TraceSink sink = []() -> TraceSink {
        const char *path = std::getenv("VSSSIM_TRACE");
        if (!path || !*path)
            return nullptr;
        if (std::FILE *f = std::fopen(path, "w"))
            return TraceSink(f, [](std::FILE *file) { std::fclose(file); });
        std::fprintf(stderr, "vss-sim: VSSSIM_TRACE=%s: cannot write: %s\n", path, std::strerror(errno));
        return nullptr;
    }();
    return sink;
}

/// Events a scenario's expectations list are read back from the kept trace; otherwise nothing is kept.
bool expectsEvents(const Scenario &scenario)
{
    return std::any_of(scenario.expectations.begin(), scenario.expectations.end(),
                       [](const Expectation &e) { return !e.events.empty(); });
}

void writeFile(const char *path, const std::string &text, const char *variable)
{
    if (std::FILE *f = std::fopen(path, "w")) {
        const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
        if (std::fclose(f) == 0 && ok)
            return;
    }
    std::fprintf(stderr, "vss-sim: %s=%s: cannot write: %s\n", variable, path, std::strerror(errno));
}

/// At exit: the verdict on stderr (and VSSSIM_VERDICT), the VSSSIM_TRACE stream flushed, and a failed verdict turns a successful exit into a failed one.
void reportAtExit(int status)
{
    const std::optional<Verdict> verdict = finishUnderTest();
    if (!verdict)
        return;
    std::fputs(verdictText(*verdict).c_str(), stderr);
    const int finalStatus = verdict->held() || status != 0 ? status : failedVerdictStatus();
    if (const char *path = std::getenv("VSSSIM_VERDICT"); path && *path)
        writeFile(path, verdictJson(*verdict, status, finalStatus), "VSSSIM_VERDICT");
    if (const TraceSink &sink = traceSink())
        std::fflush(sink.get());
    // VSSSIM_TIMELINE=run.html (or .svg, .json): the program's own calls on the requester lane.
    if (const char *path = std::getenv("VSSSIM_TIMELINE"); path && *path) {
        // At exit nothing may throw: a failure to draw is said, and the program's status stands.
        try {
            auto service = Service::current();
            auto lock = service->lock();
            const Timeline timeline = buildTimeline(service->trace().records(), {}, verdict->scenario,
                                                    fmt::format("a program under test against {} (seed {})",
                                                                verdict->path, verdict->seed));
            writeFile(path, renderTimeline(timeline, timelineFormatFor(path)), "VSSSIM_TIMELINE");
        } catch (const std::exception &e) {
            std::fprintf(stderr, "vss-sim: VSSSIM_TIMELINE=%s: cannot draw the run: %s\n", path, e.what());
        }
    }
    if (finalStatus != status)
        exitProcessNow(finalStatus);
}

/// A service for the scenario whose requester is the program itself: each of its calls reaches a label.
std::shared_ptr<Service> serviceUnderTest(Scenario scenario)
{
    std::uint64_t seed = 0;
    if (!parseSeed(std::getenv("VSSSIM_SEED"), seed))
        seed = scenario.seed;
    auto t = std::make_unique<UnderTest>();
    t->scenario = std::move(scenario);
    t->service = buildService(t->scenario, seed);
    t->service->trace().streamTo(traceSink());
    // Records stay in memory only for a reader: event expectations, or the timeline drawn at exit.
    const char *timeline = std::getenv("VSSSIM_TIMELINE");
    t->service->trace().keepRecords(expectsEvents(t->scenario) || (timeline && *timeline));
    t->checker = std::make_unique<ExpectationChecker>(t->scenario, *t->service,
                                                      ExpectationChecker::Requester::ProgramUnderTest);
    // A scripted scenario's script expectations name labels of its own requester script, which this
    // program never reaches; what the machine does and the reactions judge it instead. Say so once.
    if (const std::size_t steps = requesterScript(t->scenario).size(); steps > 0) {
        const auto counts = t->checker->applicableCounts();
        const std::size_t script = t->scenario.expectations.size() - counts[0] - counts[1];
        std::fprintf(stderr,
                     "vss-sim: scenario %s: its requester script (%zu steps) is skipped for this program: %zu machine "
                     "and %zu reaction expectations apply, %zu script expectations do not\n",
                     t->scenario.name.c_str(), steps, counts[0], counts[1], script);
    }
    UnderTest *raw = t.get();
    t->service->setCallObserver([raw](std::string_view label, HRESULT result, Session &session) {
        if (session.heldStatus())
            raw->held = session.heldStatus();
        // An attempt counts: a backup refused by a service that is not ready is still a backup scenario's.
        if (label == "InitializeForBackup")
            ++raw->backups;
        if (label == "InitializeForRestore")
            ++raw->restores;
        static const std::vector<StatusEntry> none;
        raw->checker->reached(std::string(label), result, raw->held ? *raw->held : none);
        raw->checker->operationEnded(label, result, session);
    });
    std::shared_ptr<Service> service = t->service;
    std::lock_guard guard(gUnderTestMutex);
    if (gUnderTest) {
        // The old simulation may outlive its checker in a requester object: it reports to no one now.
        auto lock = gUnderTest->service->lock();
        gUnderTest->service->setCallObserver({});
    }
    gUnderTest = std::move(t);
    static const bool registered = (onProcessExit(reportAtExit), true);
    (void)registered;
    return service;
}

} // namespace

bool useScenario(const char *path, std::string *errors) noexcept
{
    try {
        if (!path)
            return false;
        LoadResult loaded = loadScenarioFile(path);
        if (!loaded.scenario) {
            if (errors)
                for (const ScenarioError &e : loaded.errors)
                    *errors += e.format() + "\n";
            return false;
        }
        Service::install(serviceUnderTest(std::move(*loaded.scenario)));
        return true;
    } catch (const std::exception &e) {
        if (errors)
            *errors += std::string("internal error: ") + e.what() + "\n";
        return false;
    }
}

bool scenarioExpectationsHeld(std::string *report) noexcept
{
    try {
        const std::optional<Verdict> verdict = finishUnderTest();
        if (!verdict)
            return true;
        if (report)
            *report += verdictText(*verdict);
        return verdict->held();
    } catch (...) {
        return false;
    }
}

std::shared_ptr<Service> makeDefaultService()
{
    std::uint64_t seed = 0;
    parseSeed(std::getenv("VSSSIM_SEED"), seed);
    // VSSSIM_SCENARIO: unmodified requester code runs against a scenario's writers and faults.
    if (const char *path = std::getenv("VSSSIM_SCENARIO"); path && *path) {
        LoadResult loaded = loadScenarioFile(path);
        if (loaded.scenario)
            return serviceUnderTest(std::move(*loaded.scenario));
        // A typo in a CI configuration must fail the job, never test against the default machine.
        for (const ScenarioError &e : loaded.errors)
            std::fprintf(stderr, "%s\n", e.format().c_str());
        std::fprintf(stderr, "vss-sim: VSSSIM_SCENARIO=%s cannot be used; stopping (exit status 3)\n", path);
        exitProcessNow(3);
    }
    ServiceOptions options;
    options.seed = seed;
    options.keepTrace = false;
    auto service = std::make_shared<Service>(std::move(options));
    service->trace().streamTo(traceSink());
    return service;
}

} // namespace vsssim
