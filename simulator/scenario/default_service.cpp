#include <cstdio>
#include <cstdlib>
#include <mutex>

#include <vsssim/vsssim.h>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "scenario/loader.h"
#include "scenario/runner.h"
#include "service/service.h"

namespace vsssim {

namespace {

/// The scenario a requester under test runs against, and what its calls showed so far.
struct UnderTest {
    Scenario scenario;
    std::shared_ptr<Service> service;
    std::unique_ptr<ExpectationChecker> checker;
    std::vector<StatusEntry> held;
    bool finished = false;
};

std::mutex gUnderTestMutex;
std::unique_ptr<UnderTest> gUnderTest;

/// The end of the run: expectations without `after`, once. Returns the number of failures.
std::size_t finishUnderTest(std::string *report)
{
    std::lock_guard guard(gUnderTestMutex);
    if (!gUnderTest)
        return 0;
    UnderTest &t = *gUnderTest;
    auto lock = t.service->lock();
    if (!t.finished) {
        t.checker->finish(t.held);
        t.finished = true;
    }
    if (report) {
        *report += fmt::format("vss-sim: scenario {} (seed {}): {} expectations checked, {} failed\n", t.scenario.name,
                               t.service->seed(), t.checker->checked(), t.checker->failures().size());
        for (const ExpectationFailure &f : t.checker->failures())
            *report += fmt::format("{}:{}:{}: expected {}, got {} ({})\n", f.pos.file, f.pos.line, f.pos.column,
                                   f.expected, f.got, f.what);
    }
    return t.checker->failures().size();
}

/// At exit: the verdict on stderr, and VSSSIM_TRACE gets the trace as JSON lines.
void reportAtExit()
{
    std::string report;
    finishUnderTest(&report);
    std::fputs(report.c_str(), stderr);
    const char *path = std::getenv("VSSSIM_TRACE");
    if (!path || !*path)
        return;
    auto service = Service::current();
    auto lock = service->lock();
    if (std::FILE *f = std::fopen(path, "w")) {
        const std::string lines = service->trace().jsonLines();
        std::fwrite(lines.data(), 1, lines.size(), f);
        std::fclose(f);
    }
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
    t->checker = std::make_unique<ExpectationChecker>(t->scenario, *t->service);
    UnderTest *raw = t.get();
    t->service->setCallObserver([raw](std::string_view label, HRESULT result, Session &session) {
        if (session.heldStatus())
            raw->held = *session.heldStatus();
        raw->checker->reached(std::string(label), result, raw->held);
    });
    std::shared_ptr<Service> service = t->service;
    std::lock_guard guard(gUnderTestMutex);
    if (gUnderTest) {
        // The old simulation may outlive its checker in a requester object: it reports to no one now.
        auto lock = gUnderTest->service->lock();
        gUnderTest->service->setCallObserver({});
    }
    gUnderTest = std::move(t);
    static const bool registered = std::atexit(reportAtExit) == 0;
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
        return finishUnderTest(report) == 0;
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
        for (const ScenarioError &e : loaded.errors)
            spdlog::error("VSSSIM_SCENARIO: {}", e.format());
        spdlog::error("VSSSIM_SCENARIO: falling back to the default writer set");
    }
    ServiceOptions options;
    options.seed = seed;
    return std::make_shared<Service>(std::move(options));
}

} // namespace vsssim
