// Several requester objects on several threads, driven through the public COM API the way
// concurrent backup programs drive one machine, while writers subscribe and unsubscribe: every
// returned code must be one the reference lists for its method (return_codes.h), and the writer
// state table must never see an impossible pair (issue 15, defect 4). The normal suite runs it small;
// the ThreadSanitizer stage (.ci/stages/50-tsan.sh) and a longer local run size it with
// VSSSIM_STRESS_THREADS, VSSSIM_STRESS_SESSIONS (live at once, over all threads), VSSSIM_STRESS_ROUNDS
// and VSSSIM_STRESS_SEED.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <windows.h>
#include <vss.h>
#include <vswriter.h>
#include <vsbackup.h>
#include <vsssim/vsssim.h>

#include <fmt/format.h>

#include "core/names.h"
#include "return_codes.h"
#include "service/service.h"

namespace {

unsigned sizeFromEnv(const char *name, unsigned fallback)
{
    const char *s = std::getenv(name);
    if (!s || !*s)
        return fallback;
    const unsigned long v = std::strtoul(s, nullptr, 10);
    return v == 0 ? fallback : static_cast<unsigned>(v);
}

/// Codes outside the reference's list, with the method that returned them; any entry fails the test.
class Findings
{
public:
    void check(std::string_view method, HRESULT hr)
    {
        if (!vsssim::test::allowedResult(method, hr))
            add(fmt::format("{} returned {}", method, vsssim::Hr{hr}));
    }
    void add(std::string what)
    {
        std::lock_guard guard(mutex_);
        if (found_.size() < 20)
            found_.push_back(std::move(what));
    }
    void checkAsync(std::string_view operation, HRESULT hr)
    {
        if (!vsssim::test::allowedAsyncResult(operation, hr))
            add(fmt::format("{} ended with {}", operation, vsssim::Hr{hr}));
    }
    std::atomic<unsigned> snapshotSets{0};            ///< DoSnapshotSet operations that succeeded
    std::atomic<unsigned> releasedWhileRunning{0};    ///< objects released with an operation running

    std::vector<std::string> take()
    {
        std::lock_guard guard(mutex_);
        return std::move(found_);
    }

private:
    std::mutex mutex_;
    std::vector<std::string> found_;
};

/// One requester object and how far its backup got. Each step makes one call, so the objects of a
/// thread interleave call by call, and the threads interleave under the service's lock.
class Backup
{
public:
    enum class Step { Init, Metadata, StartSet, AddVolume, Prepare, Snapshot, Complete, Status, Done };

    Backup(Findings &findings, std::mt19937_64 &rng) : findings_(findings), rng_(rng)
    {
        created_ = CreateVssBackupComponents(&p_);
        findings_.check("CreateVssBackupComponents", created_);
        if (FAILED(created_))
            step_ = Step::Done;
    }
    Backup(const Backup &) = delete;
    Backup &operator=(const Backup &) = delete;
    ~Backup() { release(); }

    bool done() const noexcept { return step_ == Step::Done; }

    /** \brief The final Release, whatever is still running: what defect 4's threads did. */
    void release()
    {
        if (async_) {
            findings_.releasedWhileRunning.fetch_add(1);
            async_->Release();
        }
        async_ = nullptr;
        if (p_)
            p_->Release();
        p_ = nullptr;
        step_ = Step::Done;
    }

    void advance()
    {
        if (step_ == Step::Done)
            return;
        // A requester that gives up anywhere, an operation running or not: released as it stands.
        if (rng_() % 100 < 2)
            return release();
        if (async_ && !poll())
            return;
        switch (step_) {
        case Step::Init:
            call("InitializeForBackup", p_->InitializeForBackup());
            call("SetBackupState", p_->SetBackupState(false, false, VSS_BT_FULL));
            step_ = Step::Metadata;
            break;
        case Step::Metadata:
            start("GatherWriterMetadata", &IVssBackupComponents::GatherWriterMetadata, Step::StartSet);
            break;
        case Step::StartSet: {
            VSS_ID set{};
            const HRESULT hr = call("StartSnapshotSet", p_->StartSnapshotSet(&set));
            if (SUCCEEDED(hr))
                step_ = Step::AddVolume;
            else if (hr != VSS_E_SNAPSHOT_SET_IN_PROGRESS || ++retries_ > 30)
                step_ = Step::Status;
            break;
        }
        case Step::AddVolume: {
            VSS_ID snapshot{};
            call("AddToSnapshotSet", p_->AddToSnapshotSet(const_cast<VSS_PWSZ>(L"C:\\"), GUID_NULL, &snapshot));
            step_ = Step::Prepare;
            break;
        }
        case Step::Prepare:
            start("PrepareForBackup", &IVssBackupComponents::PrepareForBackup, Step::Snapshot);
            break;
        case Step::Snapshot: {
            IVssAsync *a = nullptr;
            const HRESULT hr = call("DoSnapshotSet", p_->DoSnapshotSet(&a));
            if (SUCCEEDED(hr)) {
                track("DoSnapshotSet", a, Step::Complete);
            } else if (hr != VSS_E_SNAPSHOT_SET_IN_PROGRESS || ++retries_ > 30) {
                call("AbortBackup", p_->AbortBackup());
                step_ = Step::Status;
            }
            break;
        }
        case Step::Complete:
            if (!snapped_) {
                call("AbortBackup", p_->AbortBackup());
                step_ = Step::Status;
            } else {
                start("BackupComplete", &IVssBackupComponents::BackupComplete, Step::Status);
            }
            break;
        case Step::Status:
            start("GatherWriterStatus", &IVssBackupComponents::GatherWriterStatus, Step::Done);
            break;
        case Step::Done:
            break;
        }
        if (step_ == Step::Done && p_)
            readStatus();
    }

private:
    HRESULT call(std::string_view method, HRESULT hr)
    {
        findings_.check(method, hr);
        return hr;
    }

    using AsyncMethod = HRESULT (STDMETHODCALLTYPE IVssBackupComponents::*)(IVssAsync **);
    void start(std::string_view method, AsyncMethod m, Step next)
    {
        IVssAsync *a = nullptr;
        if (SUCCEEDED(call(method, (p_->*m)(&a))))
            track(method, a, next);
        else
            step_ = next;
    }

    void track(std::string_view operation, IVssAsync *a, Step next)
    {
        async_ = a;
        operation_ = operation;
        next_ = next;
    }

    /** \brief One look at the running operation: true once it ended (or was given up on). */
    bool poll()
    {
        const unsigned dice = static_cast<unsigned>(rng_() % 100);
        if (dice < 4) {
            findings_.check("IVssAsync::Cancel", async_->Cancel());
        } else if (dice < 40) {
            // A short wait: virtual time moves, other objects' handlers run on this thread.
            findings_.check("IVssAsync::Wait", async_->Wait(static_cast<DWORD>(rng_() % 3000)));
        }
        HRESULT result = E_FAIL;
        findings_.check("IVssAsync::QueryStatus", async_->QueryStatus(&result, nullptr));
        findings_.checkAsync(operation_, result);
        if (result == VSS_S_ASYNC_PENDING)
            return false;
        if (operation_ == "DoSnapshotSet" && result == VSS_S_ASYNC_FINISHED) {
            snapped_ = true;
            findings_.snapshotSets.fetch_add(1);
        }
        async_->Release();
        async_ = nullptr;
        step_ = next_;
        return true;
    }

    void readStatus()
    {
        UINT count = 0;
        if (FAILED(call("GetWriterStatusCount", p_->GetWriterStatusCount(&count))))
            return;
        for (UINT i = 0; i <= count; ++i) {   // one past the end: VSS_E_OBJECT_NOT_FOUND
            VSS_ID instance{}, writer{};
            BSTR name = nullptr;
            VSS_WRITER_STATE state = VSS_WS_UNKNOWN;
            HRESULT failure = S_OK;
            call("GetWriterStatus", p_->GetWriterStatus(i, &instance, &writer, &name, &state, &failure));
            SysFreeString(name);
        }
        call("FreeWriterStatus", p_->FreeWriterStatus());
    }

    Findings &findings_;
    std::mt19937_64 &rng_;
    HRESULT created_ = E_FAIL;
    IVssBackupComponents *p_ = nullptr;
    IVssAsync *async_ = nullptr;
    std::string_view operation_;
    Step step_ = Step::Init;
    Step next_ = Step::Done;
    int retries_ = 0;
    bool snapped_ = false;
};

constexpr VSS_ID kStressWriterClass = {0x5bd3b1a4, 0x3c1e, 0x4b8e, {0x9a, 0x61, 0x2f, 0x0c, 0x77, 0x1d, 0x40, 0x15}};

/// A writer of another process that comes and goes while backups run.
class ComingAndGoingWriter : public CVssWriter
{
public:
    bool STDMETHODCALLTYPE OnPrepareSnapshot() override { return true; }
    bool STDMETHODCALLTYPE OnFreeze() override { return true; }
    bool STDMETHODCALLTYPE OnThaw() override { return true; }
    bool STDMETHODCALLTYPE OnAbort() override { return true; }
};

} // namespace

TEST_SUITE("stress")
{

TEST_CASE("requester objects on several threads, writers coming and going: reference codes only, no impossible pair")
{
    const unsigned threads = sizeFromEnv("VSSSIM_STRESS_THREADS", 4);
    const unsigned sessions = std::max(sizeFromEnv("VSSSIM_STRESS_SESSIONS", 64), threads);
    const unsigned rounds = sizeFromEnv("VSSSIM_STRESS_ROUNDS", 1);
    const std::uint64_t seed = sizeFromEnv("VSSSIM_STRESS_SEED", 15);
    INFO("threads=", threads, " sessions=", sessions, " rounds=", rounds, " seed=", seed);

    vsssim::ServiceOptions options;
    options.seed = seed;
    options.profiles = {"win-client"};
    auto svc = std::make_shared<vsssim::Service>(options);
    vsssim::Service::install(svc);
    // Slow handlers keep events outstanding while other objects move on, are released or cancel.
    const char *slow[] = {"System Writer", "Registry Writer", "WMI Writer"};
    for (std::size_t i = 0; i < std::size(slow); ++i)
        for (const auto &w : svc->writers().all())
            if (w->identity.name == slow[i]) {
                vsssim::EventFault f;
                f.event = i == 0 ? vsssim::Input::Freeze : i == 1 ? vsssim::Input::Thaw : vsssim::Input::BackupComplete;
                f.delay = std::chrono::seconds(2 + 2 * i);
                w->faults.events.push_back(f);
            }
    const std::size_t objects0 = vsssim::liveObjectCount();
    const std::size_t bstrs0 = vsssim::liveBstrCount();

    Findings findings;
    std::atomic<bool> requestersRunning{true};
    std::atomic<unsigned> subscriptions{0};
    std::thread writers([&] {
        // A few writer processes, each subscribing and unsubscribing again and again: the same
        // entries come and go, so the listing stays the size of a real machine's.
        std::vector<std::unique_ptr<ComingAndGoingWriter>> own;
        for (int i = 0; i < 3; ++i) {
            own.push_back(std::make_unique<ComingAndGoingWriter>());
            const std::wstring name = L"Coming And Going Writer " + std::to_wstring(i);
            findings.check("CVssWriter::Initialize",
                           own.back()->Initialize(kStressWriterClass, name.c_str(), VSS_UT_USERDATA, VSS_ST_OTHER));
        }
        do {
            for (auto &w : own)
                if (SUCCEEDED(w->Subscribe()))
                    subscriptions.fetch_add(1);
            std::this_thread::sleep_for(std::chrono::microseconds(200));
            for (auto &w : own)
                w->Unsubscribe();
        } while (requestersRunning.load());
    });

    std::vector<std::thread> requesters;
    for (unsigned t = 0; t < threads; ++t)
        requesters.emplace_back([&, t] {
            std::mt19937_64 rng(seed * 1000 + t);
            const unsigned mine = sessions / threads + (t < sessions % threads ? 1 : 0);
            for (unsigned round = 0; round < rounds; ++round) {
                std::vector<std::unique_ptr<Backup>> live;
                for (unsigned i = 0; i < mine; ++i)
                    live.push_back(std::make_unique<Backup>(findings, rng));
                for (bool any = true; any;) {
                    any = false;
                    for (auto &b : live) {
                        b->advance();
                        any = any || !b->done();
                    }
                }
            }
        });
    for (std::thread &t : requesters)
        t.join();
    requestersRunning.store(false);
    writers.join();

    {
        auto lock = svc->lock();
        svc->runUntilIdle(svc->now() + std::chrono::hours(72));
    }
    for (const std::string &f : findings.take())
        FAIL_CHECK(f);
    CHECK(svc->stateTableBreaks() == 0);
    // Not vacuous: sets were made, objects were released mid-operation, writers came and went.
    MESSAGE("snapshot sets ", findings.snapshotSets.load(), ", released while running ",
            findings.releasedWhileRunning.load(), ", subscriptions ", subscriptions.load());
    CHECK(findings.snapshotSets.load() > 0);
    CHECK(findings.releasedWhileRunning.load() > 0);
    CHECK(subscriptions.load() > 0);
    CHECK(vsssim::liveObjectCount() == objects0);
    CHECK(vsssim::liveBstrCount() == bstrs0);
}

}
