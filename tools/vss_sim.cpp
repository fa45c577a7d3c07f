// vss-sim: runs scenarios and checks them against their expectations and golden traces, prints the
// writer listings of vssadmin, DiskShadow and VShadow, explains codes and states, and draws the writer
// state machine. Data goes to stdout, diagnostics to stderr; exit codes are in `vss-sim help exit-codes`.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <vsssim/vsssim.h>

#include "core/guid.h"
#include "core/log.h"
#include "core/names.h"
#include "platform/platform.h"
#include "core/rng.h"
#include "core/trace.h"
#include "core/writer_state.h"
#include "scenario/diagram.h"
#include "scenario/guidance.h"
#include "scenario/listing.h"
#include "scenario/loader.h"
#include "scenario/runner.h"
#include "scenario/search_path.h"
#include "scenario/spelling.h"
#include "service/os_versions.h"
#include "service/service.h"
#include "machine_command.h"
#include "service/machine.h"
#include "junit.h"
#include "scenario_pool.h"
#include "selection.h"
#include "test_command.h"
#include "reference_command.h"
#include "step_command.h"
#include "timeline_command.h"

namespace vsssim {
namespace {

enum Exit : int {
    ExitOk = 0,
    ExitFailed = 1,
    ExitUsage = 2,
    ExitBadScenario = 3,
    ExitInternal = 70,   // EX_SOFTWARE
};

constexpr std::string_view kExitCodes =
    "Exit codes:\n"
    "  0   ok: every scenario ran and every expectation held\n"
    "  1   an expectation failed (or a golden trace differs, a run timed out, or vssadmin reported an error)\n"
    "  2   usage error: unknown command or flag, missing or malformed argument\n"
    "  3   bad scenario: parse or validation error, printed as file:line:col\n"
    "  70  internal error: a simulator bug (also a failed --check-determinism); please report it\n";

/// A mistake on the command line that CLI11 cannot see (a malformed seed, a flag that does not fit).
class UsageError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

/// What an internal error message names, so that any crash can be reproduced.
struct InFlight {
    std::string file;
    std::optional<std::uint64_t> seed;
} g_inFlight;

std::shared_ptr<spdlog::logger> g_log;

struct Options {
    // global
    bool json = false;
    bool noColor = false;
    int verbose = 0;
    // run, validate
    std::vector<std::string> files;
    std::string seed;
    std::string trace;
    std::vector<std::string> goldens;
    bool updateGolden = false;
    bool checkDeterminism = false;
    bool quiet = false;
    SelectionOptions selection;   ///< run: --list, -k, --shard, --fail-fast (test has its own)
    unsigned jobs = 0;            ///< run: scenarios at once; 0: the number of cores
    double timeout = 120;         ///< run: seconds of wall time a scenario may take
    std::string junit;            ///< run: JUnit XML here
    // list-writers, list-providers
    std::string file;
    std::string format = "vssadmin";
    std::string preamble = "auto";
    std::string os;                 ///< list-writers --os: a Windows version's own machine
    bool crlf = false;
    bool french = false;
    bool legacy = false;
    std::string after;     ///< list-writers: the run's view after this label
    int occurrence = 1;    ///< ... the nth time the requester reaches it
    bool atEnd = false;    ///< list-writers: the run's view at its end
    bool detailed = false; ///< list-writers: each writer's metadata, as `vshadow -wm` prints it
    // explain, graph, help
    std::string what;
    std::string graphFormat = "dot";
    ReferenceOptions reference;
    std::string graphView = "backup";
    std::vector<std::string> topic;
    // test, timeline: their own options, in tools/test_command.h and tools/timeline_command.h
    TestOptions test;
    TimelineOptions timeline;
    StepOptions step;
    // machine: its own options, in tools/machine_command.h
    MachineOptions machine;
    // list-writers --machine: the writers as a VSSSIM_MACHINE directory left them
    std::string listMachine;
};

// ---------------------------------------------------------------------------------------------
// Small helpers

/// Colour on stdout only for a terminal, and never with --no-color or a non-empty NO_COLOR.
bool colorOn(const Options &o)
{
    const char *noColor = std::getenv("NO_COLOR");
    return !o.noColor && !(noColor && *noColor) && isatty(STDOUT_FILENO);
}

std::string paint(const Options &o, std::string_view text, std::string_view sgr)
{
    if (!colorOn(o))
        return std::string(text);
    return fmt::format("\x1b[{}m{}\x1b[0m", sgr, text);
}

std::string hex(HRESULT hr) { return fmt::format("0x{:08x}", static_cast<std::uint32_t>(hr)); }

std::string upper(std::string_view s)
{
    std::string out(s);
    for (char &c : out)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

/// JSON string literal. Bytes >= 0x80 pass through: the text is UTF-8 already.
std::string jstr(std::string_view s)
{
    std::string out = "\"";
    for (char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20)
                out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
            else
                out += c;
        }
    }
    return out + '"';
}

std::string jbool(bool b) { return b ? "true" : "false"; }

std::string jseed(const std::optional<std::uint64_t> &seed) { return seed ? std::to_string(*seed) : "null"; }

template <class Range, class Fn>
std::string jarray(const Range &items, Fn fn)
{
    std::string out = "[";
    for (const auto &item : items) {
        if (out.size() > 1)
            out += ',';
        out += fn(item);
    }
    return out + ']';
}

/// --seed text, else VSSSIM_SEED; nullopt leaves each scenario its own seed.
std::optional<std::uint64_t> seedOption(const Options &o)
{
    std::uint64_t seed = 0;
    if (!o.seed.empty()) {
        if (!parseSeed(o.seed.c_str(), seed))
            throw UsageError(fmt::format("invalid --seed '{}': expected a decimal, 0x-hex or a 40-hex git SHA", o.seed));
        return seed;
    }
    const char *env = std::getenv("VSSSIM_SEED");
    if (env && *env) {
        if (!parseSeed(env, seed))
            throw UsageError(fmt::format("invalid VSSSIM_SEED '{}': expected a decimal, 0x-hex or a 40-hex git SHA", env));
        return seed;
    }
    return std::nullopt;
}

std::string readFile(const std::string &path, bool &found)
{
    std::ifstream in(path, std::ios::binary);
    found = static_cast<bool>(in);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void writeFile(const std::string &path, std::string_view text)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    // A path the user named that cannot be written is a bad argument, not a simulator bug.
    if (!out)
        throw UsageError(fmt::format("cannot write {}", path));
}

std::vector<std::string> splitLines(std::string_view text)
{
    std::vector<std::string> lines;
    while (!text.empty()) {
        const std::size_t nl = text.find('\n');
        lines.emplace_back(text.substr(0, nl));
        text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    }
    return lines;
}

/// One hunk around the first difference, like `diff -u`: enough to see what moved, short enough
/// for a CI log. Lines common to both ends are trimmed, so an inserted line shows as one `+`.
std::string goldenDiff(const std::string &path, std::string_view expected, std::string_view actual)
{
    constexpr std::size_t kContext = 3;
    constexpr std::size_t kMaxLines = 12;
    const std::vector<std::string> a = splitLines(expected);
    const std::vector<std::string> b = splitLines(actual);
    std::size_t first = 0;
    while (first < a.size() && first < b.size() && a[first] == b[first])
        ++first;
    std::size_t endA = a.size();
    std::size_t endB = b.size();
    while (endA > first && endB > first && a[endA - 1] == b[endB - 1]) {
        --endA;
        --endB;
    }
    const std::size_t from = first > kContext ? first - kContext : 0;
    const std::size_t toA = std::min(endA, first + kMaxLines);
    const std::size_t toB = std::min(endB, first + kMaxLines);
    std::string out = fmt::format("--- {} (golden)\n+++ this run\n@@ -{},{} +{},{} @@\n", path, from + 1,
                                  toA - from, from + 1, toB - from);
    for (std::size_t i = from; i < first; ++i)
        out += " " + a[i] + "\n";
    for (std::size_t i = first; i < toA; ++i)
        out += "-" + a[i] + "\n";
    for (std::size_t i = first; i < toB; ++i)
        out += "+" + b[i] + "\n";
    if (toA < endA || toB < endB)
        out += fmt::format("... {} more differing lines\n", (endA - toA) + (endB - toB));
    return out;
}

std::string defaultGoldenPath(const std::string &toml)
{
    constexpr std::string_view ext = ".toml";
    if (toml.size() > ext.size() && toml.compare(toml.size() - ext.size(), ext.size(), ext) == 0)
        return toml.substr(0, toml.size() - ext.size()) + ".trace";
    return toml + ".trace";
}

std::string errorJson(const ScenarioError &e)
{
    return fmt::format("{{\"file\":{},\"line\":{},\"column\":{},\"message\":{}}}", jstr(e.file), e.line, e.column,
                       jstr(e.message));
}

/// A scenario file, loaded; its errors are printed here so every command reports them alike.
std::optional<Scenario> load(const std::string &path, std::vector<ScenarioError> *errors = nullptr)
{
    LoadResult r = loadScenarioFile(path);
    for (const ScenarioError &e : r.errors)
        std::cerr << e.format() << '\n';
    if (errors)
        *errors = std::move(r.errors);
    return std::move(r.scenario);
}

// ---------------------------------------------------------------------------------------------
// run

struct ScenarioResult {
    std::string path;
    std::string name;                          ///< the scenario's name, else the file's stem
    std::optional<Scenario> scenario;          ///< as loaded
    std::size_t goldenIndex = 0;               ///< which --golden is this file's
    TaskEnd end = TaskEnd::Done;               ///< --timeout, --fail-fast
    std::exception_ptr error;                  ///< what escaped the run, rethrown once all have ended
    std::optional<RunReport> report;           ///< nullopt: the file did not load
    std::vector<ScenarioError> errors;
    std::string goldenPath;
    std::string goldenStatus;                  ///< "", "match", "mismatch", "missing", "updated"
    std::string goldenDiff;
    std::optional<std::uint64_t> secondHash;   ///< --check-determinism: the second run's hash
    double wallMs = 0;

    bool deterministic() const { return !secondHash || !report || *secondHash == report->traceHash; }
    bool passed() const
    {
        return end == TaskEnd::Done && report && report->passed && goldenStatus != "mismatch" && goldenStatus != "missing" && deterministic();
    }
};

std::string position(const ExpectationFailure &f, const std::string &fallback)
{
    const std::string &file = f.pos.file.empty() ? fallback : f.pos.file;
    if (f.pos.line == 0)
        return file;
    return fmt::format("{}:{}:{}", file, f.pos.line, f.pos.column);
}

void checkGolden(const Options &o, ScenarioResult &out, std::size_t index)
{
    if (o.goldens.empty() && !o.updateGolden)
        return;
    out.goldenPath = o.goldens.empty() ? defaultGoldenPath(out.path) : o.goldens[index];
    if (o.updateGolden) {
        writeFile(out.goldenPath, out.report->golden);
        out.goldenStatus = "updated";
        if (!o.json)
            std::cerr << "updated " << out.goldenPath << '\n';
        return;
    }
    bool found = false;
    const std::string golden = readFile(out.goldenPath, found);
    if (!found)
        out.goldenStatus = "missing";
    else if (golden != out.report->golden) {
        out.goldenStatus = "mismatch";
        out.goldenDiff = goldenDiff(out.goldenPath, golden, out.report->golden);
    } else
        out.goldenStatus = "match";
}

/// Why a run that loaded did not pass, one line each, as printed and as JUnit's failure text.
std::string failureText(const ScenarioResult &out)
{
    const RunReport &r = *out.report;
    std::string text;
    for (const ExpectationFailure &f : r.failures)
        text += fmt::format("{}: expected {}, got {} ({})\n", position(f, out.path), f.expected, f.got, f.what);
    if (out.goldenStatus == "missing")
        text += fmt::format("{}: golden trace missing (write it with --update-golden)\n", out.goldenPath);
    if (out.goldenStatus == "mismatch")
        text += fmt::format("{}: golden trace differs\n{}", out.goldenPath, out.goldenDiff);
    if (!out.deterministic())
        text += fmt::format("{}: not deterministic: trace hash {:016x} on the first run, {:016x} on the second "
                            "(seed {}); this is a simulator bug, please report it\n",
                            out.path, r.traceHash, *out.secondHash, r.seed);
    return text + fmt::format("reproduce: vss-sim run {} --seed {}\n", out.path, r.seed);
}

/// The one line of a run that never finished: TIMEOUT or NOT-RUN, and why.
std::string unfinishedText(const Options &o, const ScenarioResult &out)
{
    if (out.end == TaskEnd::TimedOut)
        return fmt::format("still running after {} s of wall time (--timeout): abandoned", o.timeout);
    return "not run: --fail-fast stopped after the first failure";
}

void printOutcome(const Options &o, const ScenarioResult &out)
{
    if (out.end != TaskEnd::Done) {
        if (out.end == TaskEnd::TimedOut || !o.quiet)
            std::cout << fmt::format("{} {} ({})\n",
                                     out.end == TaskEnd::TimedOut ? paint(o, "TIMEOUT", "31") : std::string("NOT-RUN"),
                                     out.name, unfinishedText(o, out));
        return;
    }
    if (!out.report)
        return;   // its load errors are on stderr already
    const RunReport &r = *out.report;
    const bool ok = out.passed();
    if (ok && o.quiet)
        return;
    std::cout << fmt::format("{} {} ({} expectations, {} virtual, {:.1f} ms)\n",
                             ok ? paint(o, "PASS", "32") : paint(o, "FAIL", "31"), r.scenario,
                             r.expectationsChecked, formatSimTime(r.virtualEnd), out.wallMs);
    if (!ok)
        std::cout << failureText(out);
}

void writeRunJunit(const Options &o, const std::vector<ScenarioResult> &outcomes)
{
    std::vector<JunitCase> cases;
    for (const ScenarioResult &out : outcomes) {
        JunitCase c;
        c.classname = "vss-sim.run";
        c.name = out.name;
        c.file = out.path;
        c.seconds = out.wallMs / 1000;
        if (out.end != TaskEnd::Done) {
            const bool timedOut = out.end == TaskEnd::TimedOut;
            c.result = timedOut ? JunitCase::Result::Error : JunitCase::Result::Skipped;
            c.type = timedOut ? "TIMEOUT" : "NOT-RUN";
            c.seconds = timedOut ? o.timeout : 0;
            c.message = unfinishedText(o, out);
        } else if (!out.report) {
            c.result = JunitCase::Result::Error;
            c.type = "BAD";
            c.message = "the scenario cannot be loaded";
            for (const ScenarioError &e : out.errors)
                c.body += e.format() + "\n";
        } else if (!out.passed()) {
            c.result = JunitCase::Result::Failure;
            c.type = "verdict";
            c.message = fmt::format("{} of {} expectations failed", out.report->failures.size(),
                                    out.report->expectationsChecked);
            c.body = failureText(out);
        }
        cases.push_back(std::move(c));
    }
    writeJunit(o.junit, "vss-sim run", cases);
}

std::string outcomeJson(const ScenarioResult &out)
{
    const RunReport &r = *out.report;
    std::string j = fmt::format(
        "{{\"name\":{},\"path\":{},\"seed\":{},\"passed\":{},\"expectations\":{},\"failures\":{},"
        "\"virtual_end_ns\":{},\"trace_hash\":\"{:016x}\",\"wall_ms\":{:.3f},\"mistakes\":{}",
        jstr(r.scenario), jstr(out.path), r.seed, jbool(out.passed()), r.expectationsChecked,
        jarray(r.failures,
               [&](const ExpectationFailure &f) {
                   return fmt::format("{{\"file\":{},\"line\":{},\"column\":{},\"what\":{},\"expected\":{},\"got\":{}}}",
                                      jstr(f.pos.file.empty() ? out.path : f.pos.file), f.pos.line, f.pos.column,
                                      jstr(f.what), jstr(f.expected), jstr(f.got));
               }),
        r.virtualEnd.count(), r.traceHash, out.wallMs,
        jarray(r.mistakes, [](const Mistake &m) {
            return fmt::format("{{\"id\":{},\"detail\":{},\"at_ns\":{},\"session\":{}}}", jstr(m.id), jstr(m.detail),
                               m.at.count(), m.session);
        }));
    if (!out.goldenStatus.empty())
        j += fmt::format(",\"golden\":{{\"path\":{},\"status\":{},\"diff\":{}}}", jstr(out.goldenPath),
                         jstr(out.goldenStatus), jstr(out.goldenDiff));
    if (out.secondHash)
        j += fmt::format(",\"deterministic\":{}", jbool(out.deterministic()));
    return j + '}';
}

/// One scenario's run, on a worker thread: nothing here prints or touches what another run uses.
bool runOne(const Options &o, const std::optional<std::uint64_t> &seed, ScenarioResult &out)
{
    if (!out.scenario)
        return false;
    try {
        const Scenario &sc = *out.scenario;
        const RunOptions options{seed};
        g_log->info("running {} with seed {}", out.path, effectiveSeed(sc, options));
        const auto start = std::chrono::steady_clock::now();
        out.report = runScenario(sc, options);
        out.wallMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        // A real-clock run depends on wall-clock timing by design; comparing two would only flag that.
        if (o.checkDeterminism && !sc.realTime)
            out.secondHash = runScenario(sc, options).traceHash;
        checkGolden(o, out, out.goldenIndex);
    } catch (...) {
        out.error = std::current_exception();
        return false;
    }
    return out.passed();
}

int cmdRun(const Options &o)
{
    const std::optional<std::uint64_t> seed = seedOption(o);
    std::vector<std::string> files;
    try {
        files = expandScenarioPaths(o.files);
    } catch (const std::invalid_argument &e) {
        throw UsageError(e.what());
    }
    if (!o.goldens.empty() && o.goldens.size() != files.size())
        throw UsageError(fmt::format("--golden is given once per scenario file, in order ({} files, {} --golden)",
                                     files.size(), o.goldens.size()));
    std::vector<std::string> names;
    std::vector<ScenarioResult> all(files.size());
    for (std::size_t i = 0; i < files.size(); ++i) {
        ScenarioResult &out = all[i];
        out.path = files[i];
        out.goldenIndex = i;
        out.scenario = load(out.path, &out.errors);
        out.name = out.scenario ? out.scenario->name : std::filesystem::path(out.path).stem().string();
        names.push_back(out.name);
    }
    std::vector<std::size_t> selected;
    try {
        selected = selectScenarios(names, o.selection);
    } catch (const std::invalid_argument &e) {
        throw UsageError(e.what());
    }
    std::vector<ScenarioResult> outcomes;
    for (std::size_t i : selected)
        outcomes.push_back(std::move(all[i]));
    if (o.selection.list) {
        for (const ScenarioResult &out : outcomes)
            std::cout << out.path << '\n';
        return ExitOk;
    }
    for (const ScenarioResult &out : outcomes)
        if (out.scenario && o.checkDeterminism && out.scenario->realTime)
            std::cerr << fmt::format("{}: determinism check skipped: clock = \"real\"\n", out.path);

    // Results print in input order whatever order the runs end in, so CI logs compare.
    ProgressLine progress(o.json ? 0 : outcomes.size());
    std::vector<bool> ended(outcomes.size());
    std::size_t printed = 0, endedCount = 0;
    // A run abandoned at its timeout goes on in its thread: it works on a copy and never hands it back.
    std::mutex handBack;
    std::vector<bool> abandoned(outcomes.size());
    std::vector<std::string> pending;   // the progress line's names: outcomes[k] may be being handed back
    for (const ScenarioResult &out : outcomes)
        pending.push_back(out.name);
    const bool allReturned = runPool(
        outcomes.size(), PoolOptions{o.jobs, o.timeout, o.selection.failFast},
        [&](std::size_t k) {
            ScenarioResult copy = outcomes[k];
            const bool ok = runOne(o, seed, copy);
            const std::lock_guard lock(handBack);
            if (!abandoned[k])
                outcomes[k] = std::move(copy);
            return ok;
        },
        [&](std::size_t k, TaskEnd how) {
            if (how == TaskEnd::TimedOut) {
                const std::lock_guard lock(handBack);
                abandoned[k] = true;
            }
            outcomes[k].end = how;
            ended[k] = true;
            ++endedCount;
            progress.clear();
            for (; printed < outcomes.size() && ended[printed]; ++printed)
                if (!o.json)
                    printOutcome(o, outcomes[printed]);
            if (printed < outcomes.size())
                progress.show(endedCount, pending[printed]);
        });
    progress.clear();
    for (const ScenarioResult &out : outcomes)
        if (out.error) {
            g_inFlight = {out.path, out.scenario ? std::optional(effectiveSeed(*out.scenario, RunOptions{seed})) : seed};
            std::rethrow_exception(out.error);
        }
    std::string traces;
    for (const ScenarioResult &out : outcomes)
        if (out.report)
            traces += out.report->jsonTrace;
    g_inFlight = {};
    if (!o.trace.empty())
        writeFile(o.trace, traces);

    std::size_t passed = 0, failed = 0, invalid = 0, timedOut = 0, notRun = 0;
    bool nondeterministic = false;
    for (const ScenarioResult &out : outcomes) {
        if (out.end == TaskEnd::TimedOut)
            ++timedOut;
        else if (out.end == TaskEnd::NotRun)
            ++notRun;
        else if (!out.report)
            ++invalid;
        else if (out.passed())
            ++passed;
        else
            ++failed;
        nondeterministic = nondeterministic || !out.deterministic();
    }
    if (o.json) {
        std::vector<const ScenarioResult *> ran, bad;
        for (const ScenarioResult &out : outcomes)
            (out.report ? ran : bad).push_back(&out);
        std::vector<const ScenarioResult *> unfinished;
        for (const ScenarioResult &out : outcomes)
            if (out.end != TaskEnd::Done)
                unfinished.push_back(&out);
        std::erase_if(bad, [](const ScenarioResult *out) { return out->end != TaskEnd::Done; });
        std::cout << fmt::format("{{\"schema\":1,\"seed\":{},\"scenarios\":{},\"invalid\":{},\"unfinished\":{},"
                                 "\"passed\":{},\"failed\":{}}}\n",
                                 jseed(seed), jarray(ran, [](const ScenarioResult *out) { return outcomeJson(*out); }),
                                 jarray(bad,
                                        [](const ScenarioResult *out) {
                                            return fmt::format("{{\"path\":{},\"errors\":{}}}", jstr(out->path),
                                                               jarray(out->errors, errorJson));
                                        }),
                                 jarray(unfinished,
                                        [](const ScenarioResult *out) {
                                            return fmt::format("{{\"path\":{},\"name\":{},\"outcome\":{}}}",
                                                               jstr(out->path), jstr(out->name),
                                                               out->end == TaskEnd::TimedOut ? "\"TIMEOUT\""
                                                                                             : "\"NOT-RUN\"");
                                        }),
                                 passed, failed + timedOut);
    } else {
        std::cout << fmt::format("{} passed, {} failed", passed, failed)
                  << (timedOut ? fmt::format(", {} timed out", timedOut) : std::string())
                  << (invalid ? fmt::format(", {} not loaded", invalid) : std::string())
                  << (notRun ? fmt::format(", {} not run (--fail-fast)", notRun) : std::string()) << '\n';
    }
    if (!o.junit.empty())
        writeRunJunit(o, outcomes);
    // The most serious verdict wins: a simulator bug hides nothing, a broken file stops a CI gate.
    const int code = nondeterministic ? ExitInternal : invalid ? ExitBadScenario : failed || timedOut ? ExitFailed : ExitOk;
    if (!allReturned) {
        // An abandoned run still uses this frame and the simulator's objects: end here, output flushed.
        std::cout.flush();
        std::cerr.flush();
        std::_Exit(code);
    }
    return code;
}

// ---------------------------------------------------------------------------------------------
// validate

int cmdValidate(const Options &o)
{
    std::string files;
    bool allOk = true;
    for (const std::string &path : o.files) {
        std::vector<ScenarioError> errors;
        const std::optional<Scenario> sc = load(path, &errors);
        const bool ok = sc.has_value();
        allOk = allOk && ok;
        // Which expectations judge whom: machine and reaction ones any requester, script ones the script.
        std::array<std::size_t, 3> kinds{};
        if (sc)
            for (const Expectation &e : sc->expectations)
                ++kinds[static_cast<std::size_t>(e.kind())];
        const std::size_t steps = sc ? requesterScript(*sc).size() : 0;
        if (o.json)
            files += fmt::format("{}{{\"path\":{},\"ok\":{},\"expectations\":{{\"machine\":{},\"reaction\":{},"
                                 "\"script\":{}}},\"script_steps\":{},\"background\":{},\"errors\":{}}}",
                                 files.empty() ? "" : ",", jstr(path), jbool(ok), kinds[0], kinds[1], kinds[2], steps,
                                 sc ? sc->background.size() : 0, jarray(errors, errorJson));
        else if (ok)
            std::cout << fmt::format("OK {}: {} machine and {} reaction expectations (any requester), {} script "
                                     "expectations ({}){}\n",
                                     path, kinds[0], kinds[1], kinds[2],
                                     steps ? fmt::format("the script's {} steps", steps) : "no script: a program's calls",
                                     sc->background.empty() ? "" : fmt::format(", {} background", sc->background.size()));
    }
    if (o.json)
        std::cout << fmt::format("{{\"schema\":1,\"seed\":null,\"files\":[{}]}}\n", files);
    return allOk ? ExitOk : ExitBadScenario;
}

// ---------------------------------------------------------------------------------------------
// list-writers, list-providers

/// The scenario's service, or the Windows 10/11 client writer set when no file is given.
std::shared_ptr<Service> serviceFor(const Options &o, std::uint64_t &seed)
{
    const std::optional<std::uint64_t> given = seedOption(o);
    if (o.file.empty()) {
        ServiceOptions options;
        options.seed = seed = given.value_or(0);
        if (!o.os.empty()) {
            options.settings.os = findOsVersion(o.os);
            options.profiles = {options.settings.os->server ? "win-server" : "win-client"};
        }
        return std::make_shared<Service>(std::move(options));
    }
    if (!o.os.empty())
        throw UsageError("--os picks a Windows version's own machine; for a scenario set [service] os in FILE");
    g_inFlight.file = o.file;
    std::optional<Scenario> sc = load(o.file);
    if (!sc)
        return nullptr;
    seed = effectiveSeed(*sc, RunOptions{given});
    g_inFlight.seed = seed;
    return buildService(*sc, seed);
}

ListingOptions listingOptions(const Options &o, bool late)
{
    ListingOptions lo;
    lo.crlf = o.crlf;
    lo.french = o.french;
    // Windows 7 / Server 2008 R2 vssadmin still prints 2001-2005 (OsVersion::copyrightYears).
    lo.legacy = o.legacy || (!o.os.empty() && findOsVersion(o.os)->copyrightYears == "2001-2005");
    lo.preamble = o.preamble == "on" || (o.preamble == "auto" && late);
    return lo;
}

std::string statusJson(const StatusEntry &e)
{
    const auto failureName = hresultName(e.failure);
    return fmt::format("{{\"name\":{},\"writer_id\":{},\"instance_id\":{},\"state\":{},\"state_name\":{},"
                       "\"label\":{},\"failure\":{},\"failure_name\":{},\"last_error\":{}}}",
                       jstr(toUtf8(e.name)), jstr(formatGuid(e.classId)), jstr(formatGuid(e.instanceId)),
                       static_cast<int>(e.state), jstr(writerStateName(e.state)),
                       jstr(vssadminStateLabel(e.state).label), jstr(hex(e.failure)),
                       failureName ? jstr(*failureName) : "null", jstr(vssadminLastError(e.failure).text));
}

/// What vssadmin would list, looked at once: before any run, or at a point of the scenario's run.
struct Observation {
    std::vector<StatusEntry> writers;
    bool late = false;
    HRESULT hr = S_OK;
    bool taken = false;
};

/// --after LABEL / --at-end: run the scenario and let vssadmin look in when the requester gets there.
/// Its observer session moves virtual time, so the rest of the run differs; only this view is printed.
std::optional<Observation> observeDuringRun(const Options &o, std::uint64_t &seed)
{
    if (o.file.empty())
        throw UsageError("--after and --at-end need a scenario FILE: they show a point of its run");
    if (!o.after.empty() && o.atEnd)
        throw UsageError("--after and --at-end name different points of the run; give one");
    g_inFlight.file = o.file;
    std::optional<Scenario> sc = load(o.file);
    if (!sc)
        return std::nullopt;
    const std::vector<std::string> labels = scriptLabels(*sc);
    if (!o.after.empty() && std::find(labels.begin(), labels.end(), o.after) == labels.end()) {
        const auto closest = closestName(o.after, labels, 3);
        throw UsageError(fmt::format("--after '{}': the requester of {} has no such label{}; its labels: {}", o.after,
                                     o.file, closest ? fmt::format(" (did you mean '{}'?)", *closest) : std::string(),
                                     joinText(labels, ", ")));
    }
    Observation seen;
    std::vector<std::string> reached;
    int times = 0;
    const RunOptions options{seedOption(o)};
    const LabelObserver look = [&](const std::string &label, HRESULT, Service &svc) {
        if (!label.empty())
            reached.push_back(label);
        if (seen.taken || label != (o.atEnd ? std::string() : o.after) || (!o.atEnd && ++times < o.occurrence))
            return;
        seen.writers = observeWriters(svc, seen.late, &seen.hr);
        seen.taken = true;
    };
    seed = effectiveSeed(*sc, options);
    g_inFlight.seed = seed;
    runScenario(*sc, options, look);
    if (!seen.taken)
        throw UsageError(fmt::format("--after '{}' --occurrence {}: this run got there {} times (seed {}); it reached: {}",
                                     o.after, o.occurrence, times, seed, joinText(reached, ", ")));
    return seen;
}

/// list-writers --detailed: what GatherWriterMetadata gives, in VShadow's -wm layout (the one with a
/// public capture: Microsoft's FRS Writer sample).
int listWriterMetadata(const Options &o)
{
    if (o.format != "vshadow")
        throw UsageError("--detailed prints `vshadow -wm`; give --format vshadow (no capture of DiskShadow's "
                         "detailed layout was found, and vssadmin has none)");
    if (o.json || !o.after.empty() || o.atEnd || !o.listMachine.empty())
        throw UsageError("--detailed lists the writers' metadata before any run; --json, --after, --at-end and "
                         "--machine apply to the status listing");
    std::uint64_t seed = 0;
    auto svc = serviceFor(o, seed);
    if (!svc)
        return ExitBadScenario;
    HRESULT hr = S_OK;
    const std::vector<MetadataListingEntry> writers = observeWriterMetadata(*svc, &hr);
    if (FAILED(hr)) {
        std::cerr << fmt::format("error: the observer session failed: {}\n", Hr{hr});
        return ExitFailed;
    }
    auto lock = svc->lock();
    std::cout << formatVShadowMetadata(writers, svc->volumes(), listingOptions(o, false));
    return ExitOk;
}

int cmdListWriters(const Options &o)
{
    if (o.detailed)
        return listWriterMetadata(o);
    if (o.format != "vssadmin" && (o.french || o.legacy))
        throw UsageError("--french and --legacy apply to --format vssadmin only");
    std::uint64_t seed = 0;
    Observation seen;
    if (!o.after.empty() || o.atEnd) {
        std::optional<Observation> during = observeDuringRun(o, seed);
        if (!during)
            return ExitBadScenario;
        seen = std::move(*during);
    } else {
        auto svc = serviceFor(o, seed);
        if (!svc)
            return ExitBadScenario;
        if (!o.listMachine.empty())
            attachMachineDir(*svc, o.listMachine, MachineAccess::ReadOnly);   // what earlier processes left
        seen.writers = observeWriters(*svc, seen.late, &seen.hr);
    }
    const std::vector<StatusEntry> &writers = seen.writers;
    const bool late = seen.late;
    const HRESULT hr = seen.hr;
    const ListingOptions lo = listingOptions(o, late);
    if (o.json) {
        if (FAILED(hr))
            std::cout << fmt::format("{{\"schema\":1,\"seed\":{},\"format\":{},\"error\":{{\"code\":{},\"name\":{}}}}}\n",
                                     seed, jstr(o.format), jstr(hex(hr)), jstr(hresultName(hr).value_or("")));
        else
            std::cout << fmt::format("{{\"schema\":1,\"seed\":{},\"format\":{},\"waiting_preamble\":{},\"writers\":{}}}\n",
                                     seed, jstr(o.format), jbool(lo.preamble), jarray(writers, statusJson));
        return FAILED(hr) ? ExitFailed : ExitOk;
    }
    if (FAILED(hr)) {
        // vssadmin prints its own error text (§1.6); the other two tools were never captured failing.
        if (o.format == "vssadmin")
            std::cout << formatVssadminError(lo);
        else
            std::cerr << fmt::format("error: the observer session failed: {}\n", Hr{hr});
        return ExitFailed;
    }
    if (o.format == "diskshadow")
        std::cout << formatDiskShadowWriters(writers, lo);
    else if (o.format == "vshadow")
        std::cout << formatVShadowWriters(writers, lo);
    else
        std::cout << formatVssadminWriters(writers, lo);
    return ExitOk;
}

int cmdListShadows(const Options &o)
{
    std::uint64_t seed = 0;
    auto svc = serviceFor(o, seed);
    if (!svc)
        return ExitBadScenario;
    if (!o.listMachine.empty())
        attachMachineDir(*svc, o.listMachine, MachineAccess::ReadOnly);   // what earlier processes left
    return listShadows(svc, o.format, listingOptions(o, false));
}

int cmdListProviders(const Options &o)
{
    std::uint64_t seed = 0;
    auto svc = serviceFor(o, seed);
    if (!svc)
        return ExitBadScenario;
    auto lock = svc->lock();
    const HRESULT hr = svc->notReadyResult();
    const ListingOptions lo = listingOptions(o, false);
    const ProviderSettings &p = svc->provider();
    if (o.json) {
        if (FAILED(hr))
            std::cout << fmt::format("{{\"schema\":1,\"seed\":{},\"error\":{{\"code\":{},\"name\":{}}}}}\n", seed,
                                     jstr(hex(hr)), jstr(hresultName(hr).value_or("")));
        else
            std::cout << fmt::format("{{\"schema\":1,\"seed\":{},\"providers\":[{{\"name\":{},\"type\":\"System\","
                                     "\"id\":{},\"version\":\"1.0.0.7\"}}]}}\n",
                                     seed, jstr(toUtf8(p.providerName)), jstr(formatGuid(p.providerId)));
        return FAILED(hr) ? ExitFailed : ExitOk;
    }
    std::cout << (FAILED(hr) ? formatVssadminError(lo) : formatVssadminProviders(p, lo));
    return FAILED(hr) ? ExitFailed : ExitOk;
}

// ---------------------------------------------------------------------------------------------
// explain

/// NAME, ERROR_* (as HRESULT_FROM_WIN32 of it), 0xHEX or a signed or unsigned 32-bit decimal.
std::optional<HRESULT> parseCode(std::string_view text)
{
    if (auto named = hresultByName(upper(text)))
        return named;
    if (auto win32 = win32ErrorByName(upper(text)))
        return HRESULT_FROM_WIN32(*win32);
    std::string digits(text);
    int base = 10;
    if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
        digits = digits.substr(2);
        base = 16;
    }
    if (digits.empty() || digits.find_first_not_of(base == 16 ? "0123456789abcdefABCDEF" : "-0123456789") != std::string::npos)
        return std::nullopt;
    try {
        std::size_t used = 0;
        const long long v = std::stoll(digits, &used, base);
        if (used != digits.size() || v < INT32_MIN || v > static_cast<long long>(UINT32_MAX))
            return std::nullopt;
        return static_cast<HRESULT>(static_cast<std::uint32_t>(v));
    } catch (const std::logic_error &) {   // out of range or no digits: not a code
        return std::nullopt;
    }
}

/// The shipped scenarios whose golden trace records `name` (the run shows it), and those whose file
/// only names it (a fault or an expectation). Read at run time, so a new scenario counts at once.
struct Sightings {
    std::vector<std::string> inTrace;
    std::vector<std::string> inScenario;
};

Sightings scenariosShowing(std::string_view name)
{
    Sightings out;
    std::error_code ec;
    std::vector<std::filesystem::path> tomls;
    for (const auto &entry : std::filesystem::directory_iterator(shippedScenarioDir(), ec))
        if (entry.path().extension() == ".toml")
            tomls.push_back(entry.path());
    std::sort(tomls.begin(), tomls.end());
    for (const std::filesystem::path &toml : tomls) {
        bool found = false;
        std::filesystem::path trace = toml;
        trace.replace_extension(".trace");
        if (readFile(trace.string(), found).find(name) != std::string::npos)
            out.inTrace.push_back(toml.stem().string());
        else if (readFile(toml.string(), found).find(name) != std::string::npos)
            out.inScenario.push_back(toml.stem().string());
    }
    return out;
}

/// "error", "FACILITY_ITF (4)", the Win32 error: what the bits say, whether or not the code has a name.
struct Decoded {
    HresultParts parts;
    const NamedValue *facility;
    const NamedValue *win32;
};

Decoded decode(HRESULT hr)
{
    const HresultParts parts = decodeHresult(hr);
    return {parts, facilityInfo(parts.facility), parts.win32 ? win32ErrorInfo(*parts.win32) : nullptr};
}

std::string facilityText(const Decoded &d)
{
    std::string text = d.facility ? fmt::format("{} ({}): {}", d.facility->name, d.parts.facility, d.facility->meaning)
                                  : fmt::format("{} (a number winerror.h does not name)", d.parts.facility);
    if (d.parts.customer)
        text += "; customer bit set: a vendor's own code, not Microsoft's";
    if (d.parts.ntstatus)
        text += "; N bit set: an NTSTATUS wrapped by HRESULT_FROM_NT";
    if (d.parts.reserved)
        text += "; R bit set: not a well-formed HRESULT (0xC... values are usually NTSTATUS STATUS_* codes)";
    return text;
}

int explainCode(const Options &o, HRESULT hr)
{
    const NamedValue *info = hresultInfo(hr);
    const Guidance *g = guidanceFor(hr);
    const bool lastError = hasOwnLastError(hr);
    const LastErrorText &text = vssadminLastError(hr);
    const Decoded d = decode(hr);
    const bool vss = info && info->name.starts_with("VSS_");
    const Sightings seen = vss ? scenariosShowing(info->name) : Sightings{};
    const std::string win32Name = d.win32 ? std::string(d.win32->name) : std::string();
    if (o.json) {
        auto strings = [](const std::vector<std::string> &v) { return jarray(v, [](const std::string &s) { return jstr(s); }); };
        std::string j = fmt::format("{{\"schema\":1,\"seed\":null,\"kind\":\"hresult\",\"name\":{},\"hex\":{},"
                                    "\"decimal\":{},\"severity\":{},\"facility\":{{\"number\":{},\"name\":{}}},"
                                    "\"customer\":{},\"ntstatus\":{},\"code\":{},\"meaning\":{},\"producer\":{}",
                                    info ? jstr(info->name) : "null", jstr(hex(hr)), hr,
                                    jstr(d.parts.failed ? "error" : "success"), d.parts.facility,
                                    d.facility ? jstr(d.facility->name) : "null", jbool(d.parts.customer),
                                    jbool(d.parts.ntstatus), d.parts.code, info ? jstr(info->meaning) : "null",
                                    jstr(producerOf(hr)));
        if (d.parts.win32)
            j += fmt::format(",\"win32\":{{\"code\":{},\"name\":{},\"message\":{}}}", *d.parts.win32,
                             d.win32 ? jstr(d.win32->name) : "null", d.win32 ? jstr(d.win32->meaning) : "null");
        if (lastError)
            j += fmt::format(",\"vssadmin_last_error\":{{\"text\":{},\"confirmed\":{}}}", jstr(text.text),
                             jbool(text.confirmed));
        if (g)
            j += fmt::format(",\"guidance\":{{\"seen_in\":{},\"meaning\":{},\"reaction\":{},\"retry\":{}}}",
                             jstr(g->seenIn), jstr(g->meaning), jstr(g->reaction), jstr(g->retry));
        if (vss)
            j += fmt::format(",\"scenarios\":{{\"trace\":{},\"named\":{}}}", strings(seen.inTrace), strings(seen.inScenario));
        std::cout << j << "}\n";
        return ExitOk;
    }
    const std::string title = info ? std::string(info->name)
                              : d.win32 ? fmt::format("HRESULT_FROM_WIN32({})", win32Name)
                                        : std::string("(no name known)");
    std::cout << fmt::format("{}\n  hex:          {}\n  decimal:      {}\n", title, hex(hr), hr);
    std::cout << fmt::format("  severity:     {}\n  facility:     {}\n  code:         0x{:04x} ({})\n",
                             d.parts.failed ? "error (bit 31 set: FAILED(hr) is true)" : "success (bit 31 clear: SUCCEEDED(hr) is true)",
                             facilityText(d), d.parts.code, d.parts.code);
    if (d.parts.win32)
        std::cout << fmt::format("  Win32 error:  {} {}\n", *d.parts.win32,
                                 d.win32 ? fmt::format("{}: {}", d.win32->name, d.win32->meaning)
                                         : std::string("(not in the simulator's table of Win32 errors)"));
    if (info)
        std::cout << fmt::format("  meaning:      {}\n", info->meaning);
    std::cout << fmt::format("  produced by:  {}\n", producerOf(hr));
    if (lastError)
        std::cout << fmt::format("  vssadmin:     Last error: {}{}\n", text.text,
                                 text.confirmed ? "" : " (unverified: no real capture shows it)");
    if (g)
        std::cout << fmt::format("requester guidance (docs/behaviour.md \u00a717):\n  seen in:      {}\n  means:        {}\n"
                                 "  reaction:     {}\n  retry:        {}\n",
                                 g->seenIn, g->meaning, g->reaction, g->retry);
    if (vss) {
        std::cout << "shipped scenarios (" << shippedScenarioDir() << "):\n";
        std::cout << fmt::format("  their run shows it:  {}\n",
                                 seen.inTrace.empty() ? std::string("none") : joinText(seen.inTrace, ", "));
        if (!seen.inScenario.empty())
            std::cout << fmt::format("  named, not in the trace: {}\n", joinText(seen.inScenario, ", "));
    }
    return ExitOk;
}


int explainState(const Options &o, VSS_WRITER_STATE s)
{
    const NamedValue *info = nullptr;
    for (const NamedValue &v : enumTable(EnumKind::WriterState))
        if (v.value == s)
            info = &v;
    const StateLabel &label = vssadminStateLabel(s);
    std::vector<const Row *> reached, leaves;
    for (const Row &r : transitionTable()) {
        if (r.target == Target::State && r.to == s)
            reached.push_back(&r);
        if (r.from & states({s}))
            leaves.push_back(&r);
    }
    std::vector<const StateGuidance *> notes;
    for (const StateGuidance &g : stateGuidanceTable())
        if (g.state == s)
            notes.push_back(&g);
    if (o.json) {
        auto rowJson = [](const Row *r) {
            return fmt::format("{{\"row\":{},\"label\":{},\"from\":{},\"to\":{}}}", jstr(r->id), jstr(transitionLabel(*r)),
                               jstr(fromText(r->from)), jstr(targetText(*r)));
        };
        std::cout << fmt::format("{{\"schema\":1,\"seed\":null,\"kind\":\"writer_state\",\"name\":{},\"value\":{},"
                                 "\"meaning\":{},\"vssadmin_label\":{},\"label_confirmed\":{},\"reached_by\":{},"
                                 "\"leaves_by\":{},\"guidance\":{}}}\n",
                                 jstr(info->name), info->value, jstr(info->meaning), jstr(label.label),
                                 jbool(label.confirmed), jarray(reached, rowJson), jarray(leaves, rowJson),
                                 jarray(notes, [](const StateGuidance *g) {
                                     return fmt::format("{{\"situation\":{},\"meaning\":{},\"reaction\":{}}}",
                                                        jstr(g->situation), jstr(g->meaning), jstr(g->reaction));
                                 }));
        return ExitOk;
    }
    std::cout << fmt::format("{}\n  number:       {}\n  meaning:      {}\n  vssadmin:     State: [{}] {}{}\n"
                             "  DiskShadow:   - Status: {} ({})\n",
                             info->name, info->value, info->meaning, info->value, label.label,
                             label.confirmed ? "" : " (unverified: no real capture shows it)", info->value, info->name);
    std::cout << "reached by (docs/behaviour.md \u00a78):\n";
    if (reached.empty())
        std::cout << "  no row: the simulator never produces this state\n";
    for (const Row *r : reached)
        std::cout << fmt::format("  {}   from {}\n", transitionLabel(*r), fromText(r->from));
    std::cout << "from this state:\n";
    if (leaves.empty())
        std::cout << "  no row\n";
    for (const Row *r : leaves)
        std::cout << fmt::format("  {}   -> {}\n", transitionLabel(*r), targetText(*r));
    for (const StateGuidance *g : notes)
        std::cout << fmt::format("requester guidance (docs/behaviour.md \u00a717): {}: {}{}\n", g->situation,
                                 g->meaning.empty() ? "" : std::string(g->meaning) + "; ", g->reaction);
    return ExitOk;
}

int cmdExplain(const Options &o)
{
    const std::string name = upper(o.what);
    if (auto state = enumByName(EnumKind::WriterState, name); state && name != "VSS_WS_COUNT")
        return explainState(o, static_cast<VSS_WRITER_STATE>(*state));
    if (auto hr = parseCode(o.what))
        return explainCode(o, *hr);
    std::vector<std::string_view> names;
    for (const NamedValue &v : hresultTable())
        names.push_back(v.name);
    for (const NamedValue &v : enumTable(EnumKind::WriterState))
        names.push_back(v.name);
    for (const NamedValue &v : win32ErrorTable())
        names.push_back(v.name);
    std::string hint;
    if (auto closest = closestName(name, names, 3)) {
        hint = fmt::format(" (did you mean '{}'?)", *closest);
    } else {
        // A fragment such as TIMEOUT: list the names that contain it.
        std::vector<std::string_view> containing;
        for (std::string_view n : names)
            if (name.size() >= 3 && n != name && n.find(name) != std::string_view::npos && containing.size() < 6)
                containing.push_back(n);
        if (!containing.empty())
            hint = fmt::format(" (names containing it: {})", joinText(containing, ", "));
    }
    std::cerr << fmt::format("vss-sim explain: unknown name or code '{}'{}\n", o.what, hint);
    return ExitUsage;
}

// ---------------------------------------------------------------------------------------------
// graph, help

int cmdGraph(const Options &o)
{
    if (o.json)
        throw UsageError("graph writes DOT only; --json does not apply");
    std::cout << (o.graphView == "table"     ? formatTransitionGraph()
                  : o.graphView == "restore" ? formatLifecycleGraph(LifecycleView::Restore)
                                             : formatLifecycleGraph(LifecycleView::Backup));
    return ExitOk;
}

int cmdHelp(const Options &o);

struct Command {
    std::string_view name;
    std::string_view summary;
    void (*setup)(CLI::App &, Options &);
    int (*run)(const Options &);
};

void addSeed(CLI::App &c, Options &o)
{
    c.add_option("--seed", o.seed, "N, 0xHEX or a 40-hex git SHA (its last 16 digits); default VSSSIM_SEED, "
                                   "else the scenario's seed");
}

void addListing(CLI::App &c, Options &o)
{
    c.add_option("FILE", o.file, "scenario whose service to list; default: the Windows 10/11 client writers");
    addSeed(c, o);
    c.add_flag("--crlf", o.crlf, "end lines with \\r\\n, as the Windows console does");
    c.add_flag("--french", o.french, "the French strings known from real captures (vssadmin)");
    c.add_flag("--legacy", o.legacy, "copyright 2001-2005, as Windows Server 2003/2008-era vssadmin prints it");
}

// One table: the parser, `help`, and "did you mean" all read it.
const Command kCommands[] = {
    {"run", "run scenarios, check expectations and golden traces",
     [](CLI::App &c, Options &o) {
         c.add_option("FILE", o.files, "scenario files (.toml) or directories (their *.toml, sorted)")->required();
         addSeed(c, o);
         c.add_option("--trace", o.trace, "write the JSON-lines trace here (concatenated for several files)");
         c.add_option("--golden", o.goldens, "golden trace to compare with, once per FILE in order")
             ->allow_extra_args(false);   // one value per --golden: `--golden F a.toml` leaves a.toml a FILE
         c.add_flag("--update-golden", o.updateGolden, "rewrite the golden traces (default path: FILE with .trace)");
         c.add_flag("--check-determinism", o.checkDeterminism, "run twice and compare trace hashes (mismatch: exit 70)");
         c.add_flag("-q,--quiet", o.quiet, "print only failures and the total");
         c.add_option("--junit", o.junit, "write JUnit XML here, one test case per scenario");
         c.add_option("--jobs,-j", o.jobs, "scenarios at once, in threads (default: the number of cores); results "
                                          "print in input order")
             ->check(CLI::Range(1u, 1024u));
         c.add_option("--timeout", o.timeout, "seconds of wall time a scenario may take (default 120), also with "
                                              "clock = \"real\"; past it: TIMEOUT")
             ->check(CLI::Range(0.001, 86400.0));
         addSelectionOptions(c, o.selection);
     },
     cmdRun},
    {"validate", "parse and check scenario files without running them",
     [](CLI::App &c, Options &o) { c.add_option("FILE", o.files, "scenario files (.toml)")->required(); }, cmdValidate},
    {"list-writers", "print `vssadmin list writers` (or DiskShadow / VShadow) for a scenario's service",
     [](CLI::App &c, Options &o) {
         addListing(c, o);
         c.add_option("--format", o.format, "vssadmin, diskshadow or vshadow")
             ->check(CLI::IsMember({"vssadmin", "diskshadow", "vshadow"}));
         c.add_option("--preamble", o.preamble,
                      "the \"Waiting for responses.\" lines: auto (when a creation runs or a writer answers late), "
                      "on, off")
             ->check(CLI::IsMember({"auto", "on", "off"}));
         c.add_option("--after", o.after,
                      "run FILE and list what vssadmin shows once its requester reaches this step label "
                      "(e.g. after-snapshot; see its [[expect]] labels)");
         c.add_option("--occurrence", o.occurrence, "with --after: the nth time the requester reaches LABEL (default 1)")
             ->check(CLI::PositiveNumber);
         c.add_flag("--at-end", o.atEnd, "run FILE and list what vssadmin shows after the run, writers settled");
         c.add_flag("--detailed", o.detailed,
                    "with --format vshadow: each writer's metadata as `vshadow -wm` prints it (restore method, "
                    "excluded files, components with their files)");
         std::vector<std::string> versions;
         for (const OsVersion &v : osVersions())
             versions.emplace_back(v.key);
         c.add_option("--os", o.os, "without FILE: that Windows version's built-in writer set")
             ->check(CLI::IsMember(versions));
         c.add_option("--machine", o.listMachine,
                      "the writers' instance ids and status as the processes on VSSSIM_MACHINE=DIR left them");
     },
     cmdListWriters},
    {"list-shadows", "print the shadow copies as `vssadmin list shadows`, `vshadow -q` or DiskShadow list them",
     [](CLI::App &c, Options &o) {
         addListing(c, o);
         c.add_option("--format", o.format, "vssadmin, diskshadow or vshadow")
             ->check(CLI::IsMember({"vssadmin", "diskshadow", "vshadow"}));
         c.add_option("--machine", o.listMachine,
                      "the persistent shadow copies the processes on VSSSIM_MACHINE=DIR left");
     },
     cmdListShadows},
    {"list-providers", "print `vssadmin list providers`", addListing, cmdListProviders},
    {"explain", "what any HRESULT (severity, facility, Win32 error) or VSS_WS_* state means, what a requester should do",
     [](CLI::App &c, Options &o) {
         c.add_option("NAME", o.what, "any HRESULT (VSS_E_... name, 0xHEX, decimal), a Win32 ERROR_... name, or a "
                                      "VSS_WS_... state")
             ->required();
     },
     cmdExplain},
    {"graph", "the writer state machine (docs/behaviour.md \u00a78) as DOT",
     [](CLI::App &c, Options &o) {
         c.add_option("--format", o.graphFormat, "dot")->check(CLI::IsMember({"dot"}));
         c.add_option("--view", o.graphView,
                      "backup (default: the backup path as a spine, failures beside their stage), restore, "
                      "or table (one edge per row and state)")
             ->check(CLI::IsMember({"backup", "restore", "table"}));
     },
     cmdGraph},
    {"timeline", "run a scenario and draw it: a lane per writer, events at their virtual times (html, svg, perfetto)",
     [](CLI::App &c, Options &o) { setupTimelineCommand(c, o.timeline); },
     [](const Options &o) { return runTimelineCommand(o.timeline); }},
    {"step", "step through a scenario's run one delivery at a time: event, writer, outcome, table row, every state",
     [](CLI::App &c, Options &o) { setupStepCommand(c, o.step); }, [](const Options &o) { return runStepCommand(o.step); }},
#ifndef _WIN32   // it runs each requester through posix_spawn and process groups (README, "On Windows")
    {"test", "run a requester program once per scenario, with that scenario injected, and judge each run",
     [](CLI::App &c, Options &o) { setupTestCommand(c, o.test); },
     [](const Options &o) { return runTestCommand(o.test); }},
#endif
    {"machine", "make, show or reset the machine state VSSSIM_MACHINE=DIR keeps between processes",
     [](CLI::App &c, Options &o) { setupMachineCommand(c, o.machine); },
     [](const Options &o) { return runMachineCommand(o.machine); }},
    {"reference", "print one of the simulator's data tables (transitions, guidance, mistakes, codes...) as Markdown",
     [](CLI::App &c, Options &o) { setupReferenceCommand(c, o.reference); },
     [](const Options &o) { return runReferenceCommand(o.reference); }},
    {"help", "help on a command, or `help exit-codes`",
     [](CLI::App &c, Options &o) { c.add_option("TOPIC", o.topic, "a command name or exit-codes"); }, cmdHelp},
};

std::optional<std::string_view> closestCommand(std::string_view word)
{
    return closestNameBy(word, kCommands, [](const Command &c) { return c.name; });
}

CLI::App *g_app = nullptr;   // for `help <command>`

int cmdHelp(const Options &o)
{
    if (o.topic.empty()) {
        std::cout << g_app->help();
        return ExitOk;
    }
    const std::string &t = o.topic.front();
    if (t == "exit-codes") {
        std::cout << kExitCodes;
        return ExitOk;
    }
    for (const Command &c : kCommands)
        if (c.name == t) {
            std::cout << g_app->get_subcommand(std::string(c.name))->help();
            return ExitOk;
        }
    const auto closest = closestCommand(t);
    std::cerr << fmt::format("vss-sim help: unknown topic '{}'{}; topics: exit-codes and the command names\n", t,
                             closest ? fmt::format(" (did you mean '{}'?)", *closest) : std::string());
    return ExitUsage;
}

/// CLI11 reports an unknown command as an unexpected argument; ninja's "did you mean" reads better.
std::optional<int> unknownCommand(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--")
            return std::nullopt;
        if (arg.starts_with("-"))
            continue;   // global options take no value, so the first word is the command
        for (const Command &c : kCommands)
            if (c.name == arg)
                return std::nullopt;
        const auto closest = closestCommand(arg);
        std::cerr << fmt::format("vss-sim: unknown command '{}'{}\nRun 'vss-sim --help' for the list of commands.\n",
                                 arg, closest ? fmt::format(" (did you mean '{}'?)", *closest) : std::string());
        return ExitUsage;
    }
    return std::nullopt;
}

/// -v info, -vv debug, -vvv trace. The service's loggers read SPDLOG_LEVEL when they are made, so
/// the flag takes effect through it; an explicit flag beats the environment.
void applyVerbosity(int verbose)
{
    if (verbose > 0) {
        const char *level = verbose == 1 ? "info" : verbose == 2 ? "debug" : "trace";
        platform::setEnvironment("SPDLOG_LEVEL", level);
        spdlog::set_level(spdlog::level::from_str(level));
    }
    g_log = makeLogger("cli");
}

int run(int argc, char **argv)
{
    if (auto code = unknownCommand(argc, argv))
        return *code;
    Options o;
    // `vss-sim test ... -- PROGRAM ARGS...`: what follows `--` is the program, never vss-sim's options.
    for (int i = 1; i < argc; ++i)
        if (std::string_view(argv[i]) == "--") {
            o.test.program.assign(argv + i + 1, argv + argc);
            argc = i;
            break;
        }
    CLI::App app{"vss-sim: a simulated Windows VSS writer-status service.\n"
                 "Runs scenarios, emulates the vssadmin/DiskShadow/VShadow writer listings, explains codes."};
    g_app = &app;
    app.name("vss-sim");
    app.set_version_flag("--version", std::string("vss-sim ") + vsssim::version());
    app.require_subcommand(1);
    app.fallthrough();   // before the subcommands exist: they copy it, so `explain X --json` parses
    app.add_flag("--json", o.json, "one JSON document on stdout (\"schema\": 1, \"seed\")");
    app.add_flag("--no-color", o.noColor, "no colour (also when NO_COLOR is set or stdout is not a terminal)");
    app.add_flag("-v,--verbose", o.verbose, "log to stderr: -v info, -vv debug, -vvv trace (or SPDLOG_LEVEL)");
    app.footer(std::string(kExitCodes));
    for (const Command &c : kCommands)
        c.setup(*app.add_subcommand(std::string(c.name), std::string(c.summary)), o);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError &e) {
        return app.exit(e) == 0 ? ExitOk : ExitUsage;   // --help and --version still exit 0
    }
    applyVerbosity(o.verbose);
    for (const Command &c : kCommands)
        if (app.got_subcommand(std::string(c.name))) {
            try {
                return c.run(o);
            } catch (const UsageError &e) {
                std::cerr << "vss-sim " << c.name << ": " << e.what() << '\n';
                return ExitUsage;
            }
        }
    return ExitUsage;   // require_subcommand(1) makes this unreachable
}

} // namespace
} // namespace vsssim

int main(int argc, char **argv)
{
    using namespace vsssim;
    try {
        return run(argc, argv);
    } catch (const std::exception &e) {
        // Anything that escapes is a simulator bug: say so, with what reproduces it.
        std::cout.flush();
        std::cerr << fmt::format("internal error: {} (seed {}); please report it\n", e.what(),
                                 g_inFlight.seed ? std::to_string(*g_inFlight.seed) : std::string("none"));
        if (!g_inFlight.file.empty() && g_inFlight.seed)
            std::cerr << fmt::format("reproduce: vss-sim run {} --seed {}\n", g_inFlight.file, *g_inFlight.seed);
        return ExitInternal;
    }
}
