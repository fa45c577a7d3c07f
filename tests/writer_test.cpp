// A C++ program's own CVssWriterEx2 subclasses, subscribed in-process, through a backup driven by
// the service's internal session API: every state and code of docs/behaviour.md §5-§8 as they see them.
#include <doctest/doctest.h>

#include <algorithm>

#include <atomic>
#include <thread>

#include <vsbackup.h>
#include <vsserror.h>
#include <vswriter.h>

#include <vsssim/vsssim.h>

#include "fixture.h"

using namespace vsssim;
using namespace vsssim::test;
using namespace std::chrono_literals;

namespace {

constexpr VSS_ID kClass = {0x11111111, 0x2222, 0x3333, {0x44, 0x44, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55}};

/// A writer whose handlers do what the test says, and record what they saw.
class TestWriter : public CVssWriterEx2
{
public:
    std::function<bool(TestWriter &)> onFreeze = [](TestWriter &) { return true; };
    std::function<bool(TestWriter &)> onThaw = [](TestWriter &) { return true; };
    std::function<bool(TestWriter &)> onPrepareSnapshot = [](TestWriter &) { return true; };
    std::function<bool(TestWriter &)> onPostSnapshot = [](TestWriter &) { return true; };
    std::vector<std::string> events;
    VSS_ID sessionSeen{};
    VSS_ID snapshotSetSeenInFreeze{};
    UINT volumesSeen = 0;
    bool componentsSelectedSeen = false;
    HRESULT setFailureInIdentify = S_OK;

    bool STDMETHODCALLTYPE OnIdentify(IVssCreateWriterMetadata *md) override
    {
        events.push_back("Identify");
        setFailureInIdentify = SetWriterFailure(VSS_E_WRITERERROR_RETRYABLE);
        return SUCCEEDED(md->AddComponent(VSS_CT_FILEGROUP, nullptr, L"Data", L"Data files", nullptr, 0, false, true, true));
    }
    bool STDMETHODCALLTYPE OnPrepareBackup(IVssWriterComponents *c) override
    {
        events.push_back("PrepareForBackup");
        UINT n = 0;
        c->GetComponentCount(&n);
        componentsSelectedSeen = AreComponentsSelected() && n == 1;
        GetSessionId(&sessionSeen);
        return true;
    }
    bool STDMETHODCALLTYPE OnPrepareSnapshot() override
    {
        events.push_back("PrepareForSnapshot");
        volumesSeen = GetCurrentVolumeCount();
        return onPrepareSnapshot(*this);
    }
    bool STDMETHODCALLTYPE OnFreeze() override
    {
        events.push_back("Freeze");
        snapshotSetSeenInFreeze = GetCurrentSnapshotSetId();
        return onFreeze(*this);
    }
    bool STDMETHODCALLTYPE OnThaw() override
    {
        events.push_back("Thaw");
        return onThaw(*this);
    }
    bool STDMETHODCALLTYPE OnPostSnapshot(IVssWriterComponents *) override
    {
        events.push_back("PostSnapshot");
        return onPostSnapshot(*this);
    }
    bool STDMETHODCALLTYPE OnAbort() override
    {
        events.push_back("Abort");
        return true;
    }
    bool STDMETHODCALLTYPE OnBackupComplete(IVssWriterComponents *) override
    {
        events.push_back("BackupComplete");
        return true;
    }
    bool STDMETHODCALLTYPE OnBackupShutdown(VSS_ID) override
    {
        events.push_back("BackupShutdown");
        return true;
    }
    bool STDMETHODCALLTYPE OnVSSShutdown() override
    {
        events.push_back(IsWriterShuttingDown() ? "VSSShutdown (shutting down)" : "VSSShutdown");
        return true;
    }

    HRESULT start(const wchar_t *name, DWORD freezeTimeout = 60000)
    {
        HRESULT hr = Initialize(kClass, name, VSS_UT_USERDATA, VSS_ST_OTHER, VSS_APP_FRONT_END, freezeTimeout);
        if (FAILED(hr))
            return hr;
        return Subscribe();
    }
    HRESULT fail(HRESULT hr) { return SetWriterFailure(hr); }
    using CVssWriterEx2::SetWriterFailureEx;
};

/// The backup of §2 through the internal session API; the writer is found by name in the list.
struct Backup : Requester {
    using Requester::Requester;
};

} // namespace

TEST_SUITE("writer")
{

TEST_CASE("a CVssWriterEx2 subclass goes through a whole backup: events in order, states at each checkpoint")
{
    auto svc = makeService("none");
    TestWriter w;
    REQUIRE(Hr{w.start(L"Test Writer")} == Hr{S_OK});
    CHECK(Hr{w.Subscribe()} == Hr{VSS_E_WRITER_ALREADY_SUBSCRIBED});
    {
        Backup b(svc);
        CHECK(Hr{b.backupUpToPrepare()} == Hr{VSS_S_ASYNC_FINISHED});
        b.gather();
        CHECK(b.status("Test Writer").state == VSS_WS_STABLE);
        CHECK(w.componentsSelectedSeen);
        CHECK(w.sessionSeen == *b.s->getSessionId());
        CHECK(Hr{b.snapshot()} == Hr{VSS_S_ASYNC_FINISHED});
        b.gather();
        CHECK(b.status("Test Writer").state == VSS_WS_WAITING_FOR_BACKUP_COMPLETE);
        CHECK(w.snapshotSetSeenInFreeze == b.s->snapshotSetId());
        CHECK(w.volumesSeen == 1);
        b.complete();
        b.gather();
        CHECK(b.status("Test Writer").state == VSS_WS_STABLE);
    }
    svc->runUntilIdle(svc->now() + 1s);
    CHECK(w.events == std::vector<std::string>{"Identify", "PrepareForBackup", "PrepareForSnapshot", "Freeze", "Thaw",
                                               "PostSnapshot", "BackupComplete", "BackupShutdown"});
    // R6: SetWriterFailure from OnIdentify is refused and records nothing.
    CHECK(Hr{w.setFailureInIdentify} == Hr{VSS_E_BAD_STATE});
}

TEST_CASE("OnVSSShutdown when the simulated service stops; after a restart the writer answers again")
{
    auto svc = makeService("none");
    TestWriter w;
    REQUIRE(Hr{w.start(L"Test Writer")} == Hr{S_OK});
    svc->restart(20s);
    CHECK(w.events == std::vector<std::string>{"VSSShutdown (shutting down)"});
    {
        Backup b(svc);
        CHECK(Hr{b.s->initializeForBackup().hr()} == Hr{VSS_E_UNEXPECTED});  // not ready for 20 s (S18)
    }
    svc->advance(21s);
    {
        Backup b(svc);
        CHECK(Hr{b.backupUpToPrepare()} == Hr{VSS_S_ASYNC_FINISHED});
        CHECK(w.events.back() == "PrepareForBackup");
        CHECK(b.s->abortBackup());
    }
    svc->shutdown();
    svc->shutdown();  // a stopped service does not stop again
    CHECK(std::count(w.events.begin(), w.events.end(), "VSSShutdown (shutting down)") == 2);
}

TEST_CASE("SetWriterFailureEx in OnFreeze: state, code, application code and message reach the status list")
{
    auto svc = makeService("none");
    TestWriter w;
    w.onFreeze = [](TestWriter &self) {
        CHECK(Hr{self.SetWriterFailureEx(VSS_E_WRITERERROR_RETRYABLE, static_cast<HRESULT>(0x80070020), L"database locked")} == Hr{S_OK});
        return true;  // non-fatal: no Abort, Thaw and PostSnapshot still come (F3)
    };
    REQUIRE(Hr{w.start(L"Test Writer")} == Hr{S_OK});
    Backup b(svc);
    b.backupUpToPrepare();
    CHECK(Hr{b.snapshot()} == Hr{VSS_S_ASYNC_FINISHED});
    b.gather();
    const StatusEntry &e = b.status("Test Writer");
    CHECK(e.state == VSS_WS_FAILED_AT_FREEZE);
    CHECK(Hr{e.failure} == Hr{VSS_E_WRITERERROR_RETRYABLE});
    CHECK(Hr{e.hrApplication} == Hr{static_cast<HRESULT>(0x80070020)});
    REQUIRE(e.message);
    CHECK(*e.message == L"database locked");
    CHECK(std::count(w.events.begin(), w.events.end(), "Thaw") == 1);
}

TEST_CASE("R6: SetWriterFailure(Ex) validation: codes, context and thread")
{
    auto svc = makeService("none");
    TestWriter w;
    HRESULT badCode = S_OK, badExCode = S_OK, okCode = S_OK, foreign = S_OK, partial = S_OK;
    w.onFreeze = [&](TestWriter &self) {
        badCode = self.fail(S_OK);                                   // S_OK is not one of the five
        badExCode = self.SetWriterFailureEx(E_FAIL);                 // not one of the seven
        std::thread other([&] { foreign = self.fail(VSS_E_WRITERERROR_TIMEOUT); });
        other.join();
        partial = self.SetWriterFailureEx(VSS_E_WRITERERROR_PARTIAL_FAILURE);
        okCode = self.fail(VSS_E_WRITERERROR_OUTOFRESOURCES);
        return true;
    };
    REQUIRE(Hr{w.start(L"Test Writer")} == Hr{S_OK});
    CHECK(Hr{w.fail(VSS_E_WRITERERROR_RETRYABLE)} == Hr{VSS_E_BAD_STATE});  // outside any handler
    Backup b(svc);
    b.backupUpToPrepare();
    b.snapshot();
    CHECK(Hr{badCode} == Hr{E_INVALIDARG});
    CHECK(Hr{badExCode} == Hr{E_INVALIDARG});
    CHECK(Hr{foreign} == Hr{VSS_E_BAD_STATE});
    CHECK(Hr{partial} == Hr{S_OK});
    CHECK(Hr{okCode} == Hr{S_OK});
    b.gather();
    // The last accepted call in the handler is what the handler reported.
    CHECK(Hr{b.status("Test Writer").failure} == Hr{VSS_E_WRITERERROR_OUTOFRESOURCES});
    CHECK(Hr{b.status("Test Writer").hrApplication} == Hr{S_OK});
    VSS_ID id;
    CHECK(Hr{w.GetSessionId(&id)} == Hr{VSS_E_BAD_STATE});   // outside a handler
}

TEST_CASE("a veto in OnThaw aborts the set; the vetoing writer keeps FAILED_AT_THAW, gets Abort, no PostSnapshot")
{
    auto svc = makeService("none");
    TestWriter vetoer, other;
    vetoer.onThaw = [](TestWriter &) { return false; };
    REQUIRE(Hr{vetoer.start(L"Vetoing Writer")} == Hr{S_OK});
    REQUIRE(Hr{other.start(L"Other Writer")} == Hr{S_OK});
    Backup b(svc);
    b.backupUpToPrepare();
    CHECK(Hr{b.snapshot()} == Hr{VSS_E_UNEXPECTED_WRITER_ERROR});
    b.gather();
    CHECK(b.status("Vetoing Writer").state == VSS_WS_FAILED_AT_THAW);
    CHECK(Hr{b.status("Vetoing Writer").failure} == Hr{VSS_E_WRITERERROR_NONRETRYABLE});  // bare false (R5)
    CHECK(b.status("Other Writer").state == VSS_WS_STABLE);
    CHECK(vetoer.events.back() == "Abort");
    CHECK(other.events.back() == "Abort");  // D5/§4: Thaw already received, still aborted
    CHECK(std::count(other.events.begin(), other.events.end(), "PostSnapshot") == 0);
}

TEST_CASE("R14: Sleep inside a handler is the handler taking that long; past the window it is FAILED_AT_FREEZE")
{
    auto svc = makeService("none");
    TestWriter slow;
    slow.onFreeze = [](TestWriter &) {
        const ULONGLONG before = GetTickCount64();
        Sleep(25000);
        CHECK(GetTickCount64() - before == 25000);
        return true;
    };
    REQUIRE(Hr{slow.start(L"Slow Writer", 20000)} == Hr{S_OK});
    Backup b(svc);
    b.backupUpToPrepare();
    const auto wall = std::chrono::steady_clock::now();
    CHECK(Hr{b.snapshot()} == Hr{VSS_E_UNEXPECTED_WRITER_ERROR});
    CHECK(std::chrono::steady_clock::now() - wall < 5s);
    b.gather();
    CHECK(b.status("Slow Writer").state == VSS_WS_FAILED_AT_FREEZE);
    CHECK(Hr{b.status("Slow Writer").failure} == Hr{VSS_E_WRITERERROR_TIMEOUT});
}

TEST_CASE("a handler that throws is a failed writer, and the exception never escapes")
{
    auto svc = makeService("none");
    TestWriter w;
    w.onPrepareSnapshot = [](TestWriter &) -> bool { throw std::runtime_error("boom"); };
    REQUIRE(Hr{w.start(L"Throwing Writer")} == Hr{S_OK});
    Backup b(svc);
    b.backupUpToPrepare();
    CHECK(Hr{b.snapshot()} == Hr{VSS_S_ASYNC_FINISHED});
    b.gather();
    CHECK(b.status("Throwing Writer").state == VSS_WS_FAILED_AT_PREPARE_SNAPSHOT);
    CHECK(Hr{b.status("Throwing Writer").failure} == Hr{VSS_E_WRITERERROR_NONRETRYABLE});
}

TEST_CASE("an unsubscribed writer is absent from new sessions; one destroyed mid-session is not responding")
{
    auto svc = makeService("none");
    auto w = std::make_unique<TestWriter>();
    REQUIRE(Hr{w->start(L"Leaving Writer")} == Hr{S_OK});
    Backup b(svc);
    b.backupUpToPrepare();
    w.reset();  // the writer's process goes away
    CHECK(Hr{b.snapshot()} == Hr{VSS_S_ASYNC_FINISHED});
    b.gather();
    CHECK(Hr{b.status("Leaving Writer").failure} == Hr{VSS_E_WRITER_NOT_RESPONDING});
    Backup later(svc);
    REQUIRE(later.s->initializeForBackup());
    later.run(later.s->gatherWriterMetadata());
    CHECK(*later.s->writerMetadataCount() == 0);
}

TEST_CASE("the CVssWriter helpers answer from nothing before Initialize (SDK no-impl results)")
{
    TestWriter w;
    CHECK(Hr{w.Subscribe()} == Hr{E_FAIL});
    CHECK(Hr{w.Unsubscribe()} == Hr{E_FAIL});
    CHECK(Hr{w.fail(VSS_E_WRITERERROR_RETRYABLE)} == Hr{E_FAIL});
    CHECK_FALSE(w.IsWriterShuttingDown());
}

TEST_CASE("several requester threads with their own sessions share the writers")
{
    auto svc = makeService();
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i)
        threads.emplace_back([&] {
            auto lock = svc->lock();
            Requester r(svc);
            if (r.backupUpToPrepare() == VSS_S_ASYNC_FINISHED)
                ++ok;
        });
    for (auto &t : threads)
        t.join();
    CHECK(ok == 4);
}

} // TEST_SUITE

TEST_CASE("vsssim::useScenario: one C++ call puts a requester under test in front of a scenario's writers")
{
    std::string errors;
    REQUIRE(vsssim::useScenario(SCENARIOS_DIR "/writer-missing-identify-fails.toml", &errors));
    CHECK(errors.empty());
    auto svc = Service::current();
    Requester r(svc);
    REQUIRE(r.s->initializeForBackup());
    r.run(r.s->gatherWriterMetadata());
    CHECK(*r.s->writerMetadataCount() == 13);  // the Exchange writer fails Identify (R11)
    CHECK_FALSE(vsssim::useScenario(SCENARIOS_DIR "/no-such-file.toml", &errors));
    CHECK(errors.find("no-such-file.toml") != std::string::npos);
    CHECK_FALSE(vsssim::useScenario(nullptr));
    CHECK(Service::current() == svc);  // a bad file changes nothing
}

TEST_CASE("M14: SysFreeString on memory the simulator did not hand out is reported, not freed")
{
    auto svc = makeService("none");
    IVssBackupComponents *backup = nullptr;
    REQUIRE(Hr{CreateVssBackupComponents(&backup)} == Hr{S_OK});
    alignas(8) static wchar_t fake[8] = {0, 0, L'x', 0};  // shaped like a BSTR, but not ours
    const std::size_t before = svc->mistakes().size();
    SysFreeString(fake + 2);
    REQUIRE(svc->mistakes().size() == before + 1);
    CHECK(svc->mistakes().back().id == "M14");
    CHECK(fake[2] == L'x');
    backup->Release();
}
