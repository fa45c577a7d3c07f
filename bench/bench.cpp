// The performance figures of issue 12 (B1-B6) on Google Benchmark. Each benchmark measures our
// figure and, in the same process and run, the reference it is judged against, and reports both
// with their ratio as counters ("ours", "ref", "ratio"), so a busy machine slows both alike.
// `--quick` shrinks every size to a smoke run: the suite keeps compiling and running in CI, and
// no figure is asserted anywhere (timings belong to `meson test --benchmark`, not to tests).
#include <windows.h>
#include <vss.h>
#include <vswriter.h>
#include <vsbackup.h>

#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <malloc.h>
#include <spawn.h>
#include <time.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/guid.h"
#include "scenario/loader.h"
#include "scenario/runner.h"
#include "service/service.h"

extern char **environ;

namespace {

// In-process figures are timed in this thread's CPU time: on a machine shared with other jobs, wall
// time would count the moments another process had the core. B5 starts processes and uses wall time.
struct ThreadCpuClock {
    using duration = std::chrono::nanoseconds;
    using time_point = std::chrono::time_point<ThreadCpuClock, duration>;
    static time_point now() noexcept
    {
        timespec ts{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return time_point(duration(ts.tv_sec * 1000000000LL + ts.tv_nsec));
    }
};
using Clock = ThreadCpuClock;
using WallClock = std::chrono::steady_clock;
using vsssim::Service;

struct Sizes {
    int repetitions = 5;
    long freshLifecycles = 2000;      // B1: lifecycles timed on a fresh service
    long agedLifecycles = 100000;     // B1: lifecycles run before the aged window
    std::vector<long> writerCounts{10, 100, 1000, 10000};   // B3
    std::vector<long> rssStages{100, 1000, 10000};          // B6
    long statusReads = 1000000;       // B2 per repetition and B6
    std::string vssSim;               // B5: the command under test
    std::string scenarios;            // B4, B5: the shipped library
};
Sizes gSizes;

template <class D>
double seconds(D d)
{
    return std::chrono::duration<double>(d).count();
}

void check(HRESULT hr, const char *what)
{
    if (FAILED(hr))
        throw std::runtime_error(std::string(what) + " failed");
}

/// The call's result and its IVssAsync, read after the call: waitFor(b->X(&a), &a, "X").
void waitFor(HRESULT hr, IVssAsync **slot, const char *what)
{
    check(hr, what);
    IVssAsync *async = *slot;
    HRESULT result = S_OK;
    check(async->Wait(), what);
    check(async->QueryStatus(&result, nullptr), what);
    async->Release();
    check(result, what);
}

/// Every status entry read as a requester reads it, both strings freed.
void readStatuses(IVssBackupComponents *b)
{
    auto *ex3 = static_cast<IVssBackupComponentsEx3 *>(b);
    UINT n = 0;
    check(b->GetWriterStatusCount(&n), "GetWriterStatusCount");
    for (UINT i = 0; i < n; ++i) {
        VSS_ID instance, cls;
        BSTR name = nullptr, message = nullptr;
        VSS_WRITER_STATE state;
        HRESULT failure, application;
        check(ex3->GetWriterStatusEx(i, &instance, &cls, &name, &state, &failure, &application, &message),
              "GetWriterStatusEx");
        SysFreeString(name);
        SysFreeString(message);
    }
}

/// A requester through DoSnapshotSet and a completed GatherWriterStatus, as the README's does it.
IVssBackupComponents *snapshotTaken()
{
    IVssBackupComponents *b = nullptr;
    IVssAsync *a = nullptr;
    check(CreateVssBackupComponents(&b), "CreateVssBackupComponents");
    check(b->InitializeForBackup(), "InitializeForBackup");
    check(b->SetBackupState(false, false, VSS_BT_FULL, false), "SetBackupState");
    waitFor(b->GatherWriterMetadata(&a), &a, "GatherWriterMetadata");
    VSS_ID set, snapshot;
    check(b->StartSnapshotSet(&set), "StartSnapshotSet");
    check(b->AddToSnapshotSet(const_cast<VSS_PWSZ>(L"C:\\"), GUID_NULL, &snapshot), "AddToSnapshotSet");
    waitFor(b->PrepareForBackup(&a), &a, "PrepareForBackup");
    waitFor(b->DoSnapshotSet(&a), &a, "DoSnapshotSet");
    waitFor(b->GatherWriterStatus(&a), &a, "GatherWriterStatus");
    return b;
}

/// One full backup through the public API, statuses read after the snapshot and after BackupComplete.
void backupLifecycle()
{
    IVssAsync *a = nullptr;
    IVssBackupComponents *b = snapshotTaken();
    readStatuses(b);
    check(b->FreeWriterStatus(), "FreeWriterStatus");
    waitFor(b->BackupComplete(&a), &a, "BackupComplete");
    waitFor(b->GatherWriterStatus(&a), &a, "GatherWriterStatus");
    readStatuses(b);
    check(b->FreeWriterStatus(), "FreeWriterStatus");
    b->Release();
}

/// `calls` GetWriterStatusEx calls cycling over the n held entries, both strings freed after each.
void readStatusesRepeatedly(IVssBackupComponents *b, UINT n, long calls)
{
    auto *ex3 = static_cast<IVssBackupComponentsEx3 *>(b);
    for (long k = 0; k < calls; ++k) {
        VSS_ID instance, cls;
        BSTR name, message;
        VSS_WRITER_STATE st;
        HRESULT failure, application;
        ex3->GetWriterStatusEx(static_cast<UINT>(k % n), &instance, &cls, &name, &st, &failure, &application, &message);
        benchmark::DoNotOptimize(name);
        SysFreeString(name);
        SysFreeString(message);
    }
}

/// The default machine of a requester process: Windows 10/11 client writers, nothing reads the trace.
void installDefaultService() { Service::install(vsssim::makeDefaultService()); }

/// A machine of n scripted writers, each declaring one component on C:\.
constexpr vsssim::ProfileFile kBenchFiles[] = {{L"C:\\Windows\\BenchData\\", L"*", true}};
constexpr vsssim::ProfileComponent kBenchComponents[] = {
    {VSS_CT_FILEGROUP, L"", L"BenchData", L"", true, false, 0, kBenchFiles, {}, {"bench", false}}};

void installWriters(long n)
{
    vsssim::ServiceOptions options;
    options.profiles = {"none"};
    options.keepTrace = false;
    auto svc = std::make_shared<Service>(std::move(options));
    for (long i = 0; i < n; ++i) {
        vsssim::ProfileWriter p{};
        const std::string name = "Bench Writer " + std::to_string(i);
        p.name = name;
        p.classId = svc->rng().guid();
        p.usage = VSS_UT_USERDATA;
        p.sourceType = VSS_ST_OTHER;
        p.components = kBenchComponents;
        svc->addScriptedWriter(vsssim::profileIdentity(p), false, {}, vsssim::profileMetadata(p));
    }
    Service::install(std::move(svc));
}

/// Bytes malloc has handed out and not had back, the large blocks it maps separately included.
std::size_t heapInUse()
{
    const struct mallinfo2 m = mallinfo2();
    return m.uordblks + m.hblkhd;
}

/// VmHWM, the peak resident set, in bytes; resetPeakRss() starts a new peak from the present.
std::size_t peakRss()
{
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmHWM:", 0) == 0)
            return std::stoul(line.substr(6)) * 1024;
    return 0;
}

void resetPeakRss()
{
    std::ofstream("/proc/self/clear_refs") << "5";
}

void report(benchmark::State &state, double ours, double ref)
{
    state.counters["ours"] = ours;
    state.counters["ref"] = ref;
    state.counters["ratio"] = ref > 0 ? ours / ref : 0;
}

// ---- B1: lifecycles per second, fresh and aged ----------------------------------------------

void timeLifecycles(long n, double &perLifecycle)
{
    const auto t0 = Clock::now();
    for (long i = 0; i < n; ++i)
        backupLifecycle();
    perLifecycle = seconds(Clock::now() - t0) / static_cast<double>(n);
}

void B1_lifecycles(benchmark::State &state)
{
    for (auto _ : state) {
        installDefaultService();
        double fresh = 0, aged = 0;
        timeLifecycles(gSizes.freshLifecycles, fresh);
        for (long i = gSizes.freshLifecycles; i < gSizes.agedLifecycles; ++i)
            backupLifecycle();
        timeLifecycles(gSizes.freshLifecycles, aged);
        state.SetIterationTime(aged);
        // ours: lifecycles/s after agedLifecycles; ref: the same process fresh (flat = ratio 1).
        report(state, 1.0 / aged, 1.0 / fresh);
        state.counters["aged_us"] = aged * 1e6;
    }
}

// ---- B2: GetWriterStatusEx against the physical floor ---------------------------------------

struct FloorEntry {
    VSS_ID instance, cls;
    std::wstring name, message;
    VSS_WRITER_STATE state;
    HRESULT failure, application;
};

/// A length-prefixed wide string as a BSTR is laid out, without any bookkeeping.
wchar_t *floorString(const std::wstring &s)
{
    const std::size_t bytes = s.size() * sizeof(wchar_t);
    auto *block = static_cast<unsigned char *>(std::malloc(8 + bytes + sizeof(wchar_t)));
    const auto prefix = static_cast<std::uint32_t>(bytes);
    std::memcpy(block + 4, &prefix, 4);
    std::memcpy(block + 8, s.data(), bytes);
    std::memset(block + 8 + bytes, 0, sizeof(wchar_t));
    return reinterpret_cast<wchar_t *>(block + 8);
}

void floorFree(wchar_t *s) { std::free(reinterpret_cast<unsigned char *>(s) - 8); }

void B2_status_read(benchmark::State &state)
{
    // Every writer carries an application message, so both of our BSTRs are made, as in the floor.
    installDefaultService();
    for (const auto &w : Service::current()->writers().all()) {
        vsssim::EventFault f;
        f.event = vsssim::Input::PostSnapshot;
        f.fail = true;
        f.veto = false;
        f.hrApplication = E_ACCESSDENIED;
        f.message = L"access denied on the log folder";
        w->faults.events.push_back(f);
    }
    IVssBackupComponents *b = snapshotTaken();
    auto *ex3 = static_cast<IVssBackupComponentsEx3 *>(b);
    UINT n = 0;
    check(b->GetWriterStatusCount(&n), "GetWriterStatusCount");
    std::vector<FloorEntry> floor;
    for (UINT i = 0; i < n; ++i) {
        FloorEntry e{};
        BSTR name = nullptr, message = nullptr;
        check(ex3->GetWriterStatusEx(i, &e.instance, &e.cls, &name, &e.state, &e.failure, &e.application, &message),
              "GetWriterStatusEx");
        e.name = name;
        e.message = message ? message : L"";
        SysFreeString(name);
        SysFreeString(message);
        floor.push_back(std::move(e));
    }
    const long calls = gSizes.statusReads;
    // Ours and the floor alternate in ten rounds, so a change of machine load touches both alike.
    constexpr int kRounds = 10;
    const long perRound = std::max(1L, calls / kRounds);
    for (auto _ : state) {
        Clock::duration oursTime{0}, floorTime{0};
        for (int round = 0; round < kRounds; ++round) {
            const auto t0 = Clock::now();
            readStatusesRepeatedly(b, n, perRound);
            const auto t1 = Clock::now();
            for (long k = 0; k < perRound; ++k) {
                const FloorEntry &e = floor[static_cast<std::size_t>(k % n)];
                VSS_ID instance = e.instance, cls = e.cls;
                VSS_WRITER_STATE st = e.state;
                HRESULT failure = e.failure, application = e.application;
                wchar_t *name = floorString(e.name);
                wchar_t *message = floorString(e.message);
                benchmark::DoNotOptimize(name);
                benchmark::DoNotOptimize(message);
                benchmark::DoNotOptimize(instance);
                benchmark::DoNotOptimize(cls);
                benchmark::DoNotOptimize(st);
                benchmark::DoNotOptimize(failure);
                benchmark::DoNotOptimize(application);
                floorFree(name);
                floorFree(message);
            }
            oursTime += t1 - t0;
            floorTime += Clock::now() - t1;
        }
        const double done = static_cast<double>(perRound * kRounds);
        state.SetIterationTime(seconds(oursTime));
        report(state, seconds(oursTime) / done * 1e9, seconds(floorTime) / done * 1e9);
    }
    b->Release();
}

// ---- B3: one lifecycle against the number of writers ----------------------------------------

double tenWriterLifecycle = 0;   // seconds, the base of the linear reference

void B3_writers(benchmark::State &state)
{
    const long n = state.range(0);
    for (auto _ : state) {
        const std::size_t before = heapInUse();
        installWriters(n);
        const auto t0 = Clock::now();
        backupLifecycle();
        const double once = seconds(Clock::now() - t0);
        const std::size_t afterOne = heapInUse();
        backupLifecycle();
        const std::size_t afterTwo = heapInUse();
        backupLifecycle();
        const std::size_t afterThree = heapInUse();
        state.SetIterationTime(once);
        if (n == 10)
            tenWriterLifecycle = once;
        // ref: the 10-writer lifecycle scaled linearly; ratio 1 is linear, n/10 would be quadratic.
        report(state, once * 1e3, tenWriterLifecycle * 1e3 * static_cast<double>(n) / 10.0);
        state.counters["bytes_per_writer"] = static_cast<double>(afterOne - std::min(before, afterOne)) / n;
        // What a lifecycle leaves once the first two have sized the tables they reuse.
        state.counters["kept_per_lifecycle"] = static_cast<double>(afterThree) - static_cast<double>(afterTwo);
        installDefaultService();
    }
}

// ---- B4: virtual speed-up on the longest shipped scenario -----------------------------------

std::vector<vsssim::Scenario> libraryScenarios()
{
    std::vector<std::string> paths;
    for (const auto &entry : std::filesystem::directory_iterator(gSizes.scenarios))
        if (entry.path().extension() == ".toml")
            paths.push_back(entry.path().string());
    std::sort(paths.begin(), paths.end());
    std::vector<vsssim::Scenario> out;
    for (const std::string &p : paths) {
        vsssim::LoadResult r = vsssim::loadScenarioFile(p);
        if (!r.scenario)
            throw std::runtime_error(p + " does not load");
        out.push_back(std::move(*r.scenario));
    }
    return out;
}

void B4_virtual_speedup(benchmark::State &state)
{
    std::vector<vsssim::Scenario> all = libraryScenarios();
    const vsssim::Scenario *longest = nullptr;
    vsssim::SimTime longestEnd{0};
    for (const vsssim::Scenario &sc : all) {
        if (sc.realTime)
            continue;
        const vsssim::SimTime end = vsssim::runScenario(sc).virtualEnd;
        if (!longest || end > longestEnd) {
            longest = &sc;
            longestEnd = end;
        }
    }
    state.SetLabel(longest->name);
    for (auto _ : state) {
        const auto t0 = Clock::now();
        const vsssim::RunReport r = vsssim::runScenario(*longest);
        const double wall = seconds(Clock::now() - t0);
        benchmark::DoNotOptimize(r.traceHash);
        state.SetIterationTime(wall);
        // ours: virtual seconds per wall second; ref: 1, the real clock.
        report(state, std::chrono::duration<double>(r.virtualEnd).count() / wall, 1.0);
        state.counters["wall_us"] = wall * 1e6;
    }
}

// ---- B5: the whole library from the command line, and start-up ------------------------------

double spawnSeconds(std::vector<std::string> args)
{
    std::vector<char *> argv;
    for (std::string &a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    const auto t0 = WallClock::now();
    pid_t pid = 0;
    if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) != 0)
        throw std::runtime_error("cannot start " + args[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    const double took = seconds(WallClock::now() - t0);
    posix_spawn_file_actions_destroy(&actions);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw std::runtime_error(args[0] + " " + args[1] + " failed");
    return took;
}

void B5_library(benchmark::State &state)
{
    std::vector<std::string> run{gSizes.vssSim, "run"};
    for (const auto &entry : std::filesystem::directory_iterator(gSizes.scenarios))
        if (entry.path().extension() == ".toml")
            run.push_back(entry.path().string());
    for (auto _ : state) {
        const double ours = spawnSeconds(run);
        // ref: starting a process that does nothing.
        const double ref = spawnSeconds({"/bin/true", "-"});
        state.SetIterationTime(ours);
        report(state, ours * 1e3, ref * 1e3);
    }
}

void B5_startup(benchmark::State &state)
{
    for (auto _ : state) {
        const double ours = spawnSeconds({gSizes.vssSim, "--version"});
        const double ref = spawnSeconds({"/bin/true", "-"});
        state.SetIterationTime(ours);
        report(state, ours * 1e3, ref * 1e3);
    }
}

// ---- B6: peak memory against the process's age ----------------------------------------------

void B6_rss_lifecycles(benchmark::State &state)
{
    // Arg 1: the trace streamed as VSSSIM_TRACE streams it (to /dev/null here), which keeps nothing either.
    const bool traced = state.range(0) != 0;
    for (auto _ : state) {
        installDefaultService();
        if (traced)
            Service::current()->trace().streamTo(
                vsssim::TraceSink(std::fopen("/dev/null", "w"), [](std::FILE *f) { std::fclose(f); }));
        backupLifecycle();
        long done = 1;
        double first = 0;
        resetPeakRss();
        for (std::size_t s = 0; s < gSizes.rssStages.size(); ++s) {
            for (; done < gSizes.rssStages[s]; ++done)
                backupLifecycle();
            const double mib = static_cast<double>(peakRss()) / (1 << 20);
            state.counters["rss_mib_after_" + std::to_string(gSizes.rssStages[s])] = mib;
            if (s == 0)
                first = mib;
            // ours: the peak after the most lifecycles; ref: the peak after the fewest.
            report(state, mib, first);
        }
        state.SetIterationTime(1);
    }
}

void B6_rss_status_reads(benchmark::State &state)
{
    for (auto _ : state) {
        installDefaultService();
        IVssBackupComponents *b = nullptr;
        IVssAsync *a = nullptr;
        check(CreateVssBackupComponents(&b), "CreateVssBackupComponents");
        check(b->InitializeForBackup(), "InitializeForBackup");
        waitFor(b->GatherWriterMetadata(&a), &a, "GatherWriterMetadata");
        waitFor(b->GatherWriterStatus(&a), &a, "GatherWriterStatus");
        readStatuses(b);
        resetPeakRss();
        const double before = static_cast<double>(peakRss()) / (1 << 20);
        UINT n = 0;
        check(b->GetWriterStatusCount(&n), "GetWriterStatusCount");
        readStatusesRepeatedly(b, n, gSizes.statusReads);
        const double after = static_cast<double>(peakRss()) / (1 << 20);
        b->Release();
        state.SetIterationTime(1);
        report(state, after, before);
        state.counters["bytes_per_read"] = (after - before) * (1 << 20) / static_cast<double>(gSizes.statusReads);
    }
}

void registerAll(bool quick, int repetitions)
{
    if (quick) {
        gSizes.repetitions = 1;
        gSizes.freshLifecycles = 5;
        gSizes.agedLifecycles = 20;
        gSizes.writerCounts = {10, 100};
        gSizes.rssStages = {5, 10};
        gSizes.statusReads = 1000;
    }
    const int reps = repetitions > 0 ? repetitions : gSizes.repetitions;
    auto timed = [&](benchmark::internal::Benchmark *b) {
        b->UseManualTime()->Iterations(1)->Repetitions(reps)->ReportAggregatesOnly(reps > 1)->Unit(benchmark::kMicrosecond);
    };
    // Peak memory first: the large-writer runs below would raise the peak this process starts from.
    timed(benchmark::RegisterBenchmark("B6/rss_lifecycles", B6_rss_lifecycles)->ArgName("traced")->Arg(0)->Repetitions(1));
    timed(benchmark::RegisterBenchmark("B6/rss_lifecycles", B6_rss_lifecycles)->ArgName("traced")->Arg(1)->Repetitions(1));
    timed(benchmark::RegisterBenchmark("B6/rss_status_reads", B6_rss_status_reads)->Repetitions(1));
    timed(benchmark::RegisterBenchmark("B1/lifecycles", B1_lifecycles));
    timed(benchmark::RegisterBenchmark("B2/GetWriterStatusEx", B2_status_read));
    for (long n : gSizes.writerCounts)
        timed(benchmark::RegisterBenchmark("B3/writers", B3_writers)->Arg(n));
    timed(benchmark::RegisterBenchmark("B4/virtual_speedup", B4_virtual_speedup));
    timed(benchmark::RegisterBenchmark("B5/library", B5_library));
    timed(benchmark::RegisterBenchmark("B5/startup", B5_startup));
}

} // namespace

int main(int argc, char **argv)
{
    // Our own arguments first; the rest are Google Benchmark's (--benchmark_filter=B2 ...).
    bool quick = false;
    int repetitions = 0;
    std::vector<char *> rest{argv[0]};
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--quick")
            quick = true;
        else if (a.rfind("--vss-sim=", 0) == 0)
            gSizes.vssSim = a.substr(10);
        else if (a.rfind("--repetitions=", 0) == 0)
            repetitions = std::stoi(a.substr(14));
        else if (a.rfind("--scenarios=", 0) == 0)
            gSizes.scenarios = a.substr(12);
        else
            rest.push_back(argv[i]);
    }
    if (gSizes.vssSim.empty() || gSizes.scenarios.empty()) {
        std::fprintf(stderr, "usage: %s --vss-sim=PATH --scenarios=DIR [--quick] [--repetitions=N] [benchmark options]\n", argv[0]);
        return 2;
    }
    // The library's scenarios warn about the requester mistakes they stage; the figures are the output here.
    setenv("SPDLOG_LEVEL", "off", 0);
    int n = static_cast<int>(rest.size());
    benchmark::Initialize(&n, rest.data());
    registerAll(quick, repetitions);
    try {
        benchmark::RunSpecifiedBenchmarks();
    } catch (const std::exception &e) {
        std::fprintf(stderr, "bench: %s\n", e.what());
        return 1;
    }
    benchmark::Shutdown();
    return 0;
}
