// `vss-sim test`: the program under test is run once per scenario, each run supervised on one Asio
// event loop (SIGCHLD reaps, a wall-clock timer kills a hung run's process group, SIGINT stops all), and
// its verdict is read from the VSSSIM_VERDICT file the library writes at the program's exit.
#include "test_command.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/names.h"
#include "junit.h"
#include "scenario/loader.h"
#include "scenario/runner.h"
#include "scenario/search_path.h"

extern char **environ;

namespace vsssim {
namespace {

namespace fs = std::filesystem;

/// How one run ended, from the harness's point of view. The words are what the result lines print.
enum class RunOutcome { Pass, Fail, NotApplicable, BadScenario, Crash, Timeout, NoVss, CannotStart, NotRun };

struct OutcomeInfo {
    RunOutcome outcome;
    std::string_view word;
    bool failsTheRun;
};

constexpr OutcomeInfo kOutcomes[] = {
    {RunOutcome::Pass, "PASS", false},
    {RunOutcome::Fail, "FAIL", true},
    {RunOutcome::NotApplicable, "N/A", false},
    {RunOutcome::BadScenario, "BAD", true},
    {RunOutcome::Crash, "CRASH", true},
    {RunOutcome::Timeout, "TIMEOUT", true},
    {RunOutcome::NoVss, "NO-VSS", true},
    {RunOutcome::CannotStart, "ERROR", true},
    {RunOutcome::NotRun, "NOT-RUN", false},   // --fail-fast: the run already failed
};

const OutcomeInfo &info(RunOutcome o)
{
    return *std::find_if(std::begin(kOutcomes), std::end(kOutcomes), [o](const OutcomeInfo &i) { return i.outcome == o; });
}

/// What a scenario is about: a program that only backs up has nothing to show on a restore scenario.
enum class Kind { Backup, Restore, Any };

Kind kindOf(const Scenario &sc)
{
    if (sc.script == "restore")
        return Kind::Restore;
    if (std::any_of(sc.steps.begin(), sc.steps.end(), [](const Step &s) { return s.call == "InitializeForRestore"; }))
        return Kind::Restore;
    if (sc.script == "observer")
        return Kind::Any;
    return Kind::Backup;
}

struct Job {
    std::string path;
    std::string name;
    Kind kind = Kind::Backup;
    std::uint64_t seed = 0;
    std::string loadErrors;   ///< non-empty: the scenario cannot be used
    // Filled in by the run.
    RunOutcome outcome = RunOutcome::Pass;
    std::string reason;       ///< one line: why it failed or does not apply
    int status = -1;          ///< the program's exit status, -1 when it did not exit
    std::size_t checked = 0;
    std::size_t failedExpectations = 0;
    std::vector<std::string> mistakes;
    std::vector<std::string> details;   ///< the verdict's failure lines
    double seconds = 0;
    std::string stdoutLog, stderrLog, traceLog, verdictFile;
};

std::string shellQuote(const std::string &word)
{
    if (!word.empty() && word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                                                "-_./=:,+@%") == std::string::npos)
        return word;
    std::string quoted = "'";
    for (char c : word)
        quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
}

std::string reproduceLine(const Job &job, const TestOptions &o)
{
    std::string line = fmt::format("VSSSIM_SCENARIO={} VSSSIM_SEED={}", shellQuote(job.path), job.seed);
    for (const std::string &word : o.program)
        line += " " + shellQuote(word);
    return line;
}

std::string tail(const std::string &path, std::size_t maxBytes)
{
    std::ifstream in(path, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return text.size() > maxBytes ? "..." + text.substr(text.size() - maxBytes) : text;
}

/// The verdict file → the job's result. The program's own exit status does not decide it: a correct
/// backup program rightly exits non-zero when a writer failed.
void readVerdict(Job &job)
{
    std::ifstream in(job.verdictFile);
    if (!in) {
        job.outcome = RunOutcome::NoVss;
        job.reason = "no verdict: the program made no VSS call (does it load libvsssim?)";
        return;
    }
    nlohmann::json v;
    try {
        v = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception &e) {
        job.outcome = RunOutcome::NoVss;
        job.reason = fmt::format("unreadable verdict file {}: {}", job.verdictFile, e.what());
        return;
    }
    job.checked = v.value("checked", std::size_t{0});
    for (const auto &f : v["failures"]) {
        ++job.failedExpectations;
        job.details.push_back(fmt::format("{}:{}:{}: expected {}, got {} ({})", f.value("file", ""), f.value("line", 0),
                                          f.value("column", 0), f.value("expected", ""), f.value("got", ""),
                                          f.value("what", "")));
    }
    for (const auto &m : v["mistakes"]) {
        job.mistakes.push_back(m.value("id", "?"));
        job.details.push_back(fmt::format("requester mistake {} at {}: {}", m.value("id", "?"), m.value("at", ""),
                                          m.value("detail", "")));
    }
    const unsigned backups = v["sessions"].value("backup", 0u);
    const unsigned restores = v["sessions"].value("restore", 0u);
    // Applicability first: a backup program's verdict on the backup half of a restore scenario is
    // not the scenario's story.
    if (job.kind == Kind::Restore && restores == 0) {
        job.outcome = RunOutcome::NotApplicable;
        job.reason = "a restore scenario; the program did no restore";
    } else if (job.kind == Kind::Backup && backups == 0) {
        job.outcome = RunOutcome::NotApplicable;
        job.reason = restores > 0 ? "a backup scenario; the program did only restores"
                                  : "a backup scenario; the program started no backup";
    } else if (!v.value("held", false)) {
        job.outcome = RunOutcome::Fail;
        job.reason = fmt::format("{} of {} expectations failed, {} requester mistakes", job.failedExpectations,
                                 job.checked, job.mistakes.size());
    } else {
        job.outcome = RunOutcome::Pass;
    }
}

/// Runs the jobs, at most `jobs` at once, each in its own process group.
class Supervisor
{
public:
    Supervisor(std::vector<Job> &jobs, const TestOptions &o, std::vector<std::string> environment)
        : jobs_(jobs), o_(o), environment_(std::move(environment))
    {
    }

    /// \return false when interrupted (SIGINT/SIGTERM): the remaining runs are killed and not started.
    bool run(const std::function<void(const Job &)> &onDone)
    {
        onDone_ = onDone;
        waitChildren();
        interrupts_.async_wait([this](const boost::system::error_code &ec, int) {
            if (ec)
                return;
            interrupted_ = true;
            for (Running &r : running_)
                ::kill(-r.pid, SIGKILL);
        });
        startMore();
        io_.run();
        return !interrupted_;
    }

private:
    struct Running {
        pid_t pid;
        std::size_t job;
        std::chrono::steady_clock::time_point started;
        std::unique_ptr<boost::asio::steady_timer> timer;
        bool timedOut = false;
    };

    void waitChildren()
    {
        children_.async_wait([this](const boost::system::error_code &ec, int) {
            if (ec)
                return;
            reap();
            if (!running_.empty() || (next_ < jobs_.size() && !interrupted_))
                waitChildren();
            else
                interrupts_.cancel();
        });
    }

    void reap()
    {
        // SIGCHLDs coalesce: look at every running child.
        for (auto it = running_.begin(); it != running_.end();) {
            int status = 0;
            if (::waitpid(it->pid, &status, WNOHANG) != it->pid) {
                ++it;
                continue;
            }
            it->timer->cancel();
            const Running finished = std::move(*it);
            it = running_.erase(it);
            finish(finished, status);
        }
        startMore();
    }

    void finish(const Running &r, int status)
    {
        Job &job = jobs_[r.job];
        job.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - r.started).count();
        if (r.timedOut) {
            job.outcome = RunOutcome::Timeout;
            job.reason = fmt::format("still running after {} s of wall time: killed", o_.timeout);
        } else if (WIFSIGNALED(status)) {
            job.outcome = RunOutcome::Crash;
            job.reason = fmt::format("killed by signal {} ({})", WTERMSIG(status), ::strsignal(WTERMSIG(status)));
        } else {
            job.status = WEXITSTATUS(status);
            readVerdict(job);
        }
        done(job);
    }

    void done(const Job &job)
    {
        onDone_(job);
        if (o_.selection.failFast && info(job.outcome).failsTheRun)
            stopped_ = true;
    }

    void startMore()
    {
        const std::size_t limit = o_.jobs ? o_.jobs : std::max(1u, std::thread::hardware_concurrency());
        while (!interrupted_ && !stopped_ && running_.size() < limit && next_ < jobs_.size()) {
            const std::size_t index = next_++;
            Job &job = jobs_[index];
            if (!job.loadErrors.empty()) {
                job.outcome = RunOutcome::BadScenario;
                job.reason = "the scenario cannot be loaded";
                done(job);
                continue;
            }
            start(index);
        }
        while (stopped_ && !interrupted_ && next_ < jobs_.size()) {
            Job &job = jobs_[next_++];
            job.outcome = RunOutcome::NotRun;
            job.reason = "not run: --fail-fast stopped after the first failure";
            onDone_(job);
        }
        if (running_.empty() && (next_ >= jobs_.size() || interrupted_))
            children_.cancel(), interrupts_.cancel();
    }

    void start(std::size_t index)
    {
        Job &job = jobs_[index];
        std::vector<std::string> env = environment_;
        env.push_back("VSSSIM_SCENARIO=" + job.path);
        env.push_back("VSSSIM_VERDICT=" + job.verdictFile);
        env.push_back("VSSSIM_TRACE=" + job.traceLog);
        env.push_back("VSSSIM_EXITCODE=0");   // the program's own status is reported as it is
        if (!o_.seed.empty())
            env.push_back("VSSSIM_SEED=" + o_.seed);
        std::vector<char *> envp;
        for (std::string &e : env)
            envp.push_back(e.data());
        envp.push_back(nullptr);
        std::vector<std::string> argvStore = o_.program;
        std::vector<char *> argv;
        for (std::string &a : argvStore)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        std::error_code ignored;
        fs::remove(job.verdictFile, ignored);

        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_addopen(&actions, 1, job.stdoutLog.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        posix_spawn_file_actions_addopen(&actions, 2, job.stderrLog.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        posix_spawnattr_t attr;
        posix_spawnattr_init(&attr);
        posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);   // a timeout kills the run's whole group
        posix_spawnattr_setpgroup(&attr, 0);
        pid_t pid = 0;
        const int rc = ::posix_spawnp(&pid, argv[0], &actions, &attr, argv.data(), envp.data());
        posix_spawn_file_actions_destroy(&actions);
        posix_spawnattr_destroy(&attr);
        if (rc != 0) {
            job.outcome = RunOutcome::CannotStart;
            job.reason = fmt::format("cannot start {}: {}", o_.program.front(), std::strerror(rc));
            done(job);
            return;
        }
        Running r{pid, index, std::chrono::steady_clock::now(), std::make_unique<boost::asio::steady_timer>(io_)};
        r.timer->expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
            std::chrono::duration<double>(o_.timeout)));
        r.timer->async_wait([this, pid](const boost::system::error_code &ec) {
            if (ec)
                return;
            for (Running &x : running_)
                if (x.pid == pid) {
                    x.timedOut = true;
                    ::kill(-pid, SIGKILL);
                }
        });
        running_.push_back(std::move(r));
    }

    std::vector<Job> &jobs_;
    const TestOptions &o_;
    std::vector<std::string> environment_;
    std::function<void(const Job &)> onDone_;
    boost::asio::io_context io_;
    boost::asio::signal_set children_{io_, SIGCHLD};
    boost::asio::signal_set interrupts_{io_, SIGINT, SIGTERM};
    std::vector<Running> running_;
    std::size_t next_ = 0;
    bool interrupted_ = false;
    bool stopped_ = false;   ///< --fail-fast after a failure: start nothing more
};

/// The parent's environment without the variables each run sets for itself.
std::vector<std::string> childEnvironment(const TestOptions &o)
{
    std::vector<std::string> env;
    for (char **e = environ; *e; ++e) {
        const std::string_view entry = *e;
        const std::string_view name = entry.substr(0, entry.find('='));
        if (name == "VSSSIM_SCENARIO" || name == "VSSSIM_VERDICT" || name == "VSSSIM_TRACE" ||
            name == "VSSSIM_EXITCODE" || (name == "VSSSIM_SEED" && !o.seed.empty()))
            continue;
        env.emplace_back(entry);
    }
    return env;
}

std::string resultLine(const Job &job, const TestOptions &o, std::size_t width)
{
    std::string line = fmt::format("{:<7} {:<{}}  exit {:>3}  expectations {}/{}  mistakes {}", info(job.outcome).word,
                                   job.name, width, job.status < 0 ? std::string("-") : std::to_string(job.status),
                                   job.checked - job.failedExpectations, job.checked, job.mistakes.size());
    if (!job.mistakes.empty()) {
        std::vector<std::string> ids = job.mistakes;
        std::sort(ids.begin(), ids.end());
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
        line += " (" + joinText(ids, ", ") + ")";
    }
    if (!job.reason.empty())
        line += "  " + job.reason;
    line += "\n";
    for (const std::string &d : job.details)
        line += "        " + d + "\n";
    if (!job.loadErrors.empty())
        line += job.loadErrors;
    if (info(job.outcome).failsTheRun && job.outcome != RunOutcome::BadScenario)
        line += fmt::format("        reproduce: {}\n        logs: {} {}\n", reproduceLine(job, o), job.stdoutLog,
                            job.stderrLog);
    return line;
}

void writeJunitReport(const std::vector<Job> &jobs, const TestOptions &o)
{
    std::vector<JunitCase> cases;
    for (const Job &job : jobs) {
        JunitCase c;
        c.classname = "vss-sim." + fs::path(o.program.front()).filename().string();
        c.name = job.name;
        c.file = job.path;
        c.seconds = job.seconds;
        c.message = job.reason;
        c.type = std::string(info(job.outcome).word);
        for (const std::string &d : job.details)
            c.body += d + "\n";
        c.body += job.loadErrors + "reproduce: " + reproduceLine(job, o) + "\n";
        c.result = job.outcome == RunOutcome::Pass ? JunitCase::Result::Passed
                   : job.outcome == RunOutcome::NotApplicable || job.outcome == RunOutcome::NotRun
                       ? JunitCase::Result::Skipped
                   : job.outcome == RunOutcome::Fail ? JunitCase::Result::Failure
                                                     : JunitCase::Result::Error;
        if (c.result == JunitCase::Result::Failure)
            c.type = "verdict";
        if (!job.stderrLog.empty() && fs::exists(job.stderrLog))
            c.systemErr = tail(job.stderrLog, 4096);
        cases.push_back(std::move(c));
    }
    writeJunit(o.junit, "vss-sim test -- " + o.program.front(), cases);
}

std::string jsonReport(const std::vector<Job> &jobs, const TestOptions &o)
{
    nlohmann::ordered_json j;
    j["schema"] = 1;
    j["program"] = o.program;
    j["results"] = nlohmann::ordered_json::array();
    for (const Job &job : jobs)
        j["results"].push_back({{"scenario", job.name},
                                {"path", job.path},
                                {"seed", job.seed},
                                {"outcome", info(job.outcome).word},
                                {"reason", job.reason},
                                {"exit_status", job.status},
                                {"expectations_checked", job.checked},
                                {"expectations_failed", job.failedExpectations},
                                {"mistakes", job.mistakes},
                                {"details", job.details},
                                {"reproduce", reproduceLine(job, o)}});
    return j.dump(2) + "\n";
}

} // namespace

void setupTestCommand(CLI::App &c, TestOptions &o)
{
    c.add_option("SCENARIO", o.scenarios,
                 "scenario files or directories of them (default: the shipped field library, " + shippedScenarioDir() + ")");
    c.add_option("--junit", o.junit, "write JUnit XML here, one test case per scenario");
    c.add_option("--logs", o.logs, "keep each run's stdout, stderr, trace and verdict here (default: a temporary directory)");
    c.add_option("--seed", o.seed, "VSSSIM_SEED for every run (default: each scenario's own seed)");
    c.add_option("--timeout", o.timeout, "seconds of wall time a run may take before it is killed")
        ->check(CLI::Range(0.001, 86400.0));
    c.add_option("--jobs,-j", o.jobs, "runs at once (default: the number of cores)")->check(CLI::Range(1u, 1024u));
    c.add_flag("--json", o.json, "one JSON document on stdout instead of the result lines");
    addSelectionOptions(c, o.selection);
    c.footer("The program and its arguments follow `--`: vss-sim test scenarios/ -- build/examples/example-backup\n"
             "Each run gets VSSSIM_SCENARIO, VSSSIM_VERDICT, VSSSIM_TRACE and VSSSIM_EXITCODE=0; its verdict is the\n"
             "scenario's expectations that apply to a program plus the requester mistakes it made. Exit 0 when\n"
             "every verdict held or did not apply, 1 when one failed, 3 when a scenario cannot be loaded.");
}

int runTestCommand(const TestOptions &o)
{
    std::vector<std::string> files;
    try {
        files = expandScenarioPaths(o.scenarios.empty() ? std::vector<std::string>{shippedScenarioDir()} : o.scenarios);
    } catch (const std::invalid_argument &e) {
        std::cerr << "vss-sim test: " << e.what() << '\n';
        return 2;
    }
    std::vector<Job> jobs(files.size());
    std::vector<std::string> names;
    for (std::size_t i = 0; i < files.size(); ++i) {
        Job &job = jobs[i];
        job.path = files[i];
        LoadResult loaded = loadScenarioFile(files[i]);
        if (loaded.scenario) {
            job.name = loaded.scenario->name;
            job.kind = kindOf(*loaded.scenario);
            job.seed = loaded.scenario->seed;
            if (!o.seed.empty() && !parseSeed(o.seed.c_str(), job.seed)) {
                std::cerr << "vss-sim test: --seed " << o.seed << ": not a seed (N, 0xHEX or a 40-hex SHA)\n";
                return 2;
            }
        } else {
            job.name = fs::path(files[i]).stem().string();
            for (const ScenarioError &e : loaded.errors)
                job.loadErrors += e.format() + "\n";
        }
        names.push_back(job.name);
    }
    std::vector<std::size_t> selected;
    try {
        selected = selectScenarios(names, o.selection);
    } catch (const std::invalid_argument &e) {
        std::cerr << "vss-sim test: " << e.what() << '\n';
        return 2;
    }
    {
        std::vector<Job> kept;
        for (std::size_t i : selected)
            kept.push_back(std::move(jobs[i]));
        jobs = std::move(kept);
    }
    if (o.selection.list) {
        for (const Job &job : jobs)
            std::cout << job.path << '\n';
        return 0;
    }
    if (o.program.empty()) {
        std::cerr << "vss-sim test: no program: put it after `--` (vss-sim test [SCENARIO|DIR]... -- PROGRAM ARGS...)\n";
        return 2;
    }
    fs::path logs = o.logs;
    if (logs.empty()) {
        std::string dir = (fs::temp_directory_path() / "vss-sim-test.XXXXXX").string();
        if (!::mkdtemp(dir.data()))
            throw std::runtime_error(fmt::format("cannot make a log directory in {}", fs::temp_directory_path().string()));
        logs = dir;
    }
    fs::create_directories(logs);

    std::size_t width = 0;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        Job &job = jobs[i];
        const std::string base = (logs / fmt::format("{:03}-{}", i + 1, job.name)).string();
        job.stdoutLog = base + ".stdout";
        job.stderrLog = base + ".stderr";
        job.traceLog = base + ".trace.jsonl";
        job.verdictFile = base + ".verdict.json";
        width = std::max(width, job.name.size());
    }

    // Results print in scenario order whatever order the runs end in, so CI logs compare.
    std::vector<bool> done(jobs.size());
    std::size_t printed = 0;
    std::size_t finished = 0;
    ProgressLine progress(o.json ? 0 : jobs.size());
    Supervisor supervisor(jobs, o, childEnvironment(o));
    const bool completed = supervisor.run([&](const Job &job) {
        done[&job - jobs.data()] = true;
        ++finished;
        progress.clear();
        while (printed < jobs.size() && done[printed]) {
            if (!o.json)
                std::cout << resultLine(jobs[printed], o, width) << std::flush;
            ++printed;
        }
        if (printed < jobs.size())
            progress.show(finished, jobs[printed].name);
    });
    progress.clear();
    if (!completed) {
        std::cerr << "vss-sim test: interrupted\n";
        return 130;
    }
    if (!o.junit.empty())
        writeJunitReport(jobs, o);
    if (o.json)
        std::cout << jsonReport(jobs, o);
    std::size_t counts[std::size(kOutcomes)] = {};
    for (const Job &job : jobs)
        ++counts[static_cast<std::size_t>(job.outcome)];
    const std::size_t failed = std::count_if(jobs.begin(), jobs.end(), [](const Job &j) { return info(j.outcome).failsTheRun; });
    std::string summary = fmt::format("vss-sim test: {} scenarios: {} held, {} failed, {} not applicable",
                                      jobs.size(), counts[static_cast<std::size_t>(RunOutcome::Pass)], failed,
                                      counts[static_cast<std::size_t>(RunOutcome::NotApplicable)]);
    if (const std::size_t notRun = counts[static_cast<std::size_t>(RunOutcome::NotRun)])
        summary += fmt::format(", {} not run (--fail-fast)", notRun);
    (o.json ? std::cerr : std::cout) << summary << " (logs: " << logs.string() << ")\n";
    if (counts[static_cast<std::size_t>(RunOutcome::BadScenario)] > 0)
        return 3;
    return failed > 0 ? 1 : 0;
}

} // namespace vsssim
