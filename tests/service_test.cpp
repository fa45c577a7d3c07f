// The simulated service driven through its internal session API: one test or more per rule
// R4-R14, R17, R18 of docs/behaviour.md, plus the sequences of §2 and §8's worked answers.
#include <doctest/doctest.h>

#include <chrono>

#include <vsserror.h>

#include "fixture.h"

using namespace vsssim;
using namespace vsssim::test;
using namespace std::chrono_literals;

TEST_SUITE("service")
{

TEST_CASE("normal backup: STABLE after PrepareForBackup, [5] after DoSnapshotSet, STABLE after BackupComplete")
{
    auto svc = makeService();
    Requester r(svc);
    CHECK(Hr{r.backupUpToPrepare()} == Hr{VSS_S_ASYNC_FINISHED});
    CHECK(Hr{r.gather()} == Hr{VSS_S_ASYNC_FINISHED});
    CHECK(*r.s->writerStatusCount() == 10);
    CHECK(r.status("System Writer").state == VSS_WS_STABLE);
    CHECK(Hr{r.snapshot()} == Hr{VSS_S_ASYNC_FINISHED});
    r.gather();
    CHECK(r.status("System Writer").state == VSS_WS_WAITING_FOR_BACKUP_COMPLETE);
    // A writer without components is never selected, yet takes part like the others (§1.3).
    CHECK(r.status("MSSearch Service Writer").state == VSS_WS_WAITING_FOR_BACKUP_COMPLETE);
    CHECK(Hr{r.complete()} == Hr{VSS_S_ASYNC_FINISHED});
    r.gather();
    CHECK(r.status("System Writer").state == VSS_WS_STABLE);
    CHECK(Hr{r.status("System Writer").failure} == Hr{S_OK});
    CHECK(svc->mistakes().empty());
}

TEST_CASE("R4: the first failure is sticky; Abort returns the others to STABLE")
{
    auto svc = makeService();
    writer(*svc, "Registry Writer").faults.events.push_back(fault(Input::PrepareForSnapshot, VSS_E_WRITERERROR_RETRYABLE, false));
    writer(*svc, "WMI Writer").faults.events.push_back(fault(Input::Freeze, VSS_E_WRITERERROR_NONRETRYABLE, true));
    Requester r(svc);
    r.backupUpToPrepare();
    CHECK(Hr{r.snapshot()} == Hr{VSS_E_UNEXPECTED_WRITER_ERROR});
    r.gather();
    // Non-fatal at PrepareForSnapshot: sticky through Freeze, then the Abort changes nothing (A2).
    CHECK(r.status("Registry Writer").state == VSS_WS_FAILED_AT_PREPARE_SNAPSHOT);
    CHECK(Hr{r.status("Registry Writer").failure} == Hr{VSS_E_WRITERERROR_RETRYABLE});
    CHECK(r.status("WMI Writer").state == VSS_WS_FAILED_AT_FREEZE);
    CHECK(r.status("System Writer").state == VSS_WS_STABLE);
    CHECK(Hr{r.status("System Writer").failure} == Hr{S_OK});
}

TEST_CASE("R4: no Abort after PostSnapshot; AbortBackup after a successful DoSnapshotSet changes nothing")
{
    auto svc = makeService();
    Requester r(svc);
    r.backupUpToPrepare();
    r.snapshot();
    CHECK(r.s->abortBackup());
    r.gather();
    CHECK(r.status("System Writer").state == VSS_WS_WAITING_FOR_BACKUP_COMPLETE);
    for (const TraceRecord &t : svc->trace().records())
        CHECK_FALSE((t.kind == TraceKind::Deliver && t.input == Input::Abort));
}

TEST_CASE("R5: which failures abort: PrepareForSnapshot and PostSnapshot never, Freeze and Thaw vetoes always")
{
    struct Row { Input event; bool veto; HRESULT async; VSS_WRITER_STATE state; };
    const Row rows[] = {
        {Input::PrepareForSnapshot, true, VSS_S_ASYNC_FINISHED, VSS_WS_FAILED_AT_PREPARE_SNAPSHOT},
        {Input::Freeze, true, VSS_E_UNEXPECTED_WRITER_ERROR, VSS_WS_FAILED_AT_FREEZE},
        {Input::Freeze, false, VSS_S_ASYNC_FINISHED, VSS_WS_FAILED_AT_FREEZE},
        {Input::Thaw, true, VSS_E_UNEXPECTED_WRITER_ERROR, VSS_WS_FAILED_AT_THAW},
        {Input::Thaw, false, VSS_S_ASYNC_FINISHED, VSS_WS_FAILED_AT_THAW},
        {Input::PostSnapshot, true, VSS_S_ASYNC_FINISHED, VSS_WS_FAILED_AT_POST_SNAPSHOT},
    };
    for (const Row &row : rows) {
        INFO(std::string(inputName(row.event)), row.veto ? " veto" : " non-fatal");
        auto svc = makeService();
        writer(*svc, "System Writer").faults.events.push_back(fault(row.event, VSS_E_WRITERERROR_RETRYABLE, row.veto));
        Requester r(svc);
        r.backupUpToPrepare();
        CHECK(Hr{r.snapshot()} == Hr{row.async});
        r.gather();
        CHECK(r.status("System Writer").state == row.state);
        CHECK(Hr{r.status("System Writer").failure} == Hr{VSS_E_WRITERERROR_RETRYABLE});
        const VSS_WRITER_STATE other = r.status("Registry Writer").state;
        CHECK(other == (row.async == VSS_S_ASYNC_FINISHED ? VSS_WS_WAITING_FOR_BACKUP_COMPLETE : VSS_WS_STABLE));
    }
}

TEST_CASE("R5: a bare false is NONRETRYABLE; a failure at PrepareForBackup does not stop the backup")
{
    auto svc = makeService();
    EventFault bare = fault(Input::PrepareForBackup, S_OK, true);
    writer(*svc, "MSSearch Service Writer").faults.events.push_back(bare);
    writer(*svc, "System Writer").faults.events.push_back(bare);
    Requester r(svc);
    REQUIRE(r.s->initializeForBackup());
    REQUIRE(r.s->setBackupState(false, false, VSS_BT_FULL, false));  // non-component: every writer takes part
    r.run(r.s->gatherWriterMetadata());
    REQUIRE(r.s->startSnapshotSet());
    REQUIRE(r.s->addToSnapshotSet(L"C:\\", GUID_NULL));
    CHECK(Hr{r.run(r.s->prepareForBackup())} == Hr{VSS_S_ASYNC_FINISHED});
    r.gather();
    CHECK(r.status("System Writer").state == VSS_WS_FAILED_AT_PREPARE_BACKUP);
    CHECK(Hr{r.status("System Writer").failure} == Hr{VSS_E_WRITERERROR_NONRETRYABLE});
    CHECK(Hr{r.snapshot()} == Hr{VSS_S_ASYNC_FINISHED});
    r.gather();
    CHECK(r.status("System Writer").state == VSS_WS_FAILED_AT_PREPARE_BACKUP);  // vetoed: no more events
    CHECK(r.status("Registry Writer").state == VSS_WS_WAITING_FOR_BACKUP_COMPLETE);
}

TEST_CASE("R7: a 60-second freeze window expires in virtual time, at the right instant, in milliseconds")
{
    auto svc = makeService();
    writer(*svc, "Registry Writer").faults.events.push_back(delay(Input::Freeze, 65s));
    Requester r(svc);
    r.backupUpToPrepare();
    const auto wallStart = std::chrono::steady_clock::now();
    const SimTime t0 = svc->now();
    CHECK(Hr{r.snapshot()} == Hr{VSS_E_UNEXPECTED_WRITER_ERROR});
    CHECK(std::chrono::steady_clock::now() - wallStart < 5s);  // generous: proves no real waiting
    CHECK(svc->now() - t0 >= 65s);
    r.gather();
    // Every frozen writer's window expired (S8 freeze-timeout-default): all [9] TIMEOUT.
    CHECK(r.status("Registry Writer").state == VSS_WS_FAILED_AT_FREEZE);
    CHECK(Hr{r.status("Registry Writer").failure} == Hr{VSS_E_WRITERERROR_TIMEOUT});
    CHECK(r.status("System Writer").state == VSS_WS_FAILED_AT_FREEZE);
    bool sawExpiry = false;
    for (const TraceRecord &t : svc->trace().records())
        if (t.kind == TraceKind::State && t.input == Input::FreezeWindowExpired) {
            sawExpiry = true;
            CHECK(t.at - t0 == 60s);
        }
    CHECK(sawExpiry);
}

TEST_CASE("R7: a writer's own shorter window (Exchange's 20 s) expires alone; the rest are aborted to STABLE")
{
    auto svc = makeService("win-server");
    WriterIdentity ex;
    ex.classId = GUID{0x76fe1ac4, 0x15f7, 0x4bcd, {0x98, 0x7e, 0x8e, 0x1a, 0xcb, 0x46, 0x2f, 0xb7}};
    ex.name = "Microsoft Exchange Writer";
    ex.wideName = L"Microsoft Exchange Writer";
    ex.freezeTimeout = 20s;
    WriterMetadata md;
    md.components.push_back(ComponentDecl{VSS_CT_DATABASE, L"", L"Mailbox", {}, {}, false, false, true, false, 0, {}, {}, {}});
    svc->addScriptedWriter(ex, false, {}, md);
    writer(*svc, "System Writer").faults.events.push_back(delay(Input::Freeze, 25s));
    Requester r(svc);
    r.backupUpToPrepare();
    CHECK(Hr{r.snapshot()} == Hr{VSS_E_UNEXPECTED_WRITER_ERROR});
    r.gather();
    CHECK(r.status("Microsoft Exchange Writer").state == VSS_WS_FAILED_AT_FREEZE);
    CHECK(Hr{r.status("Microsoft Exchange Writer").failure} == Hr{VSS_E_WRITERERROR_TIMEOUT});
    CHECK(r.status("System Writer").state == VSS_WS_STABLE);
    CHECK(r.status("Registry Writer").state == VSS_WS_STABLE);
}

TEST_CASE("R7/R8: a commit longer than 10 s fails with VSS_E_HOLD_WRITES_TIMEOUT; writers end STABLE")
{
    auto svc = makeService();
    svc->provider().commitDuration = 12s;
    Requester r(svc);
    r.backupUpToPrepare();
    CHECK(Hr{r.snapshot()} == Hr{VSS_E_HOLD_WRITES_TIMEOUT});
    r.gather();
    CHECK(r.status("System Writer").state == VSS_WS_STABLE);
    CHECK(Hr{r.status("System Writer").failure} == Hr{S_OK});
    CHECK(svc->shadowCopies().empty());
    CHECK(Hr{r.complete()} == Hr{VSS_E_BAD_STATE});
}

TEST_CASE("R8: provider faults are the DoSnapshotSet result and abort the set")
{
    for (HRESULT fault : {VSS_E_PROVIDER_VETO, VSS_E_FLUSH_WRITES_TIMEOUT, VSS_E_UNEXPECTED_PROVIDER_ERROR}) {
        INFO(Hr{fault});
        auto svc = makeService();
        svc->provider().commitFault = fault;
        Requester r(svc);
        r.backupUpToPrepare();
        CHECK(Hr{r.snapshot()} == Hr{fault});
        CHECK(r.s->snapshotProperties(GUID_NULL).hr() == VSS_E_OBJECT_NOT_FOUND);
    }
}

TEST_CASE("R9: a hung handler is NOT_RESPONDING after the event timeout; ignored status requests too")
{
    auto svc = makeService();
    EventFault hang;
    hang.event = Input::PrepareForBackup;
    hang.hang = true;
    writer(*svc, "WMI Writer").faults.events.push_back(hang);
    writer(*svc, "Registry Writer").faults.ignoreStatus = true;
    Requester r(svc);
    const SimTime t0 = svc->now();
    r.backupUpToPrepare();
    CHECK(svc->now() - t0 >= 180s);
    const SimTime t1 = svc->now();
    r.gather();
    CHECK(svc->now() - t1 == 180s);  // the gather waits for the writer that does not answer
    CHECK(r.status("WMI Writer").state == VSS_WS_FAILED_AT_PREPARE_BACKUP);
    CHECK(Hr{r.status("WMI Writer").failure} == Hr{VSS_E_WRITER_NOT_RESPONDING});
    CHECK(r.status("Registry Writer").state == VSS_WS_STABLE);  // keeps its last state
    CHECK(Hr{r.status("Registry Writer").failure} == Hr{VSS_E_WRITER_NOT_RESPONDING});
}

TEST_CASE("R9/D3: a hang at Freeze aborts like a veto; the freeze window (60 s) decides before the event timeout")
{
    auto svc = makeService();
    EventFault hang;
    hang.event = Input::Freeze;
    hang.hang = true;
    writer(*svc, "WMI Writer").faults.events.push_back(hang);
    Requester r(svc);
    r.backupUpToPrepare();
    CHECK(Hr{r.snapshot()} == Hr{VSS_E_UNEXPECTED_WRITER_ERROR});
    r.gather();
    CHECK(r.status("WMI Writer").state == VSS_WS_FAILED_AT_FREEZE);
    CHECK(Hr{r.status("WMI Writer").failure} == Hr{VSS_E_WRITERERROR_TIMEOUT});
}

TEST_CASE("R10: 64 concurrent backup sessions hold a slot each; the 65th gets STATUS_NOT_AVAILABLE")
{
    auto svc = makeService();
    std::vector<std::unique_ptr<Requester>> sessions;
    for (int i = 0; i < 64; ++i) {
        sessions.push_back(std::make_unique<Requester>(svc));
        REQUIRE(Hr{sessions.back()->backupUpToPrepare()} == Hr{VSS_S_ASYNC_FINISHED});
    }
    CHECK(writer(*svc, "System Writer").backupSlotsHeld == 64);
    Requester late(svc);
    CHECK(Hr{late.backupUpToPrepare()} == Hr{VSS_S_ASYNC_FINISHED});
    late.gather();
    CHECK(late.status("System Writer").state == VSS_WS_UNKNOWN);
    CHECK(Hr{late.status("System Writer").failure} == Hr{VSS_E_WRITER_STATUS_NOT_AVAILABLE});
    // No further events for it in that session (P0).
    CHECK(Hr{late.snapshot()} == Hr{VSS_S_ASYNC_FINISHED});
    late.gather();
    CHECK(late.status("System Writer").state == VSS_WS_UNKNOWN);
    CHECK(late.status("Registry Writer").state == VSS_WS_UNKNOWN);
}

TEST_CASE("R10: BackupComplete then a completed gather frees the slot; release alone does not")
{
    auto svc = makeService();
    {
        Requester r(svc);
        r.backupUpToPrepare();
        r.snapshot();
        r.complete();
        CHECK(writer(*svc, "System Writer").backupSlotsHeld == 1);
        r.gather();
        CHECK(writer(*svc, "System Writer").backupSlotsHeld == 0);
    }
    {
        Requester r(svc);
        r.backupUpToPrepare();
        r.snapshot();
    }
    CHECK(writer(*svc, "System Writer").backupSlotsHeld == 1);  // a leftover
}

TEST_CASE("a finished backup leaves nothing scheduled: slot and freeze-window timers end with what they guard")
{
    auto svc = makeService();
    std::weak_ptr<Session> session;
    {
        Requester r(svc);
        session = r.s;
        r.backupUpToPrepare();
        r.snapshot();
        r.complete();
        r.gather();   // frees every slot (R10 a): their two-day timers go with them
    }
    // The final Release sends BackupShutdown and its instant handlers return within the call: the
    // session dies with its last reference, and nothing stays scheduled.
    CHECK(session.expired());
    CHECK(svc->scheduler().pending() == 0);
    CHECK(svc->now() < std::chrono::minutes(1));   // no timer was left to run out 60 s or 48 h later
    // Slots are reused: a second backup takes the same entries instead of growing the table.
    {
        Requester r(svc);
        r.backupUpToPrepare();
        r.snapshot();
        r.complete();
        r.gather();
        CHECK(writer(*svc, "System Writer").backupSlotsHeld == 0);
    }
    while (svc->scheduler().runOne()) {
    }
    CHECK(svc->scheduler().pending() == 0);
}

TEST_CASE("R10: a leftover slot is reclaimed after 2 virtual days with event 12289, in milliseconds")
{
    auto svc = makeService();
    {
        Requester r(svc);
        r.backupUpToPrepare();
        r.snapshot();
    }
    const auto wallStart = std::chrono::steady_clock::now();
    svc->advance(std::chrono::hours(47));
    CHECK(writer(*svc, "System Writer").backupSlotsHeld == 1);
    svc->advance(std::chrono::hours(2));
    CHECK(writer(*svc, "System Writer").backupSlotsHeld == 0);
    CHECK(std::chrono::steady_clock::now() - wallStart < 5s);
    int reclaims = 0;
    for (const TraceRecord &t : svc->trace().records())
        if (t.kind == TraceKind::Service && t.what == "event 12289") {
            ++reclaims;
            CHECK(t.detail.find("0x80042409") != std::string::npos);
        }
    CHECK(reclaims >= 1);
}

TEST_CASE("R11: a writer whose Identify fails or hangs is absent from metadata and status lists")
{
    auto svc = makeService();
    writer(*svc, "WMI Writer").faults.events.push_back(fault(Input::Identify, S_OK, true));
    EventFault hang;
    hang.event = Input::Identify;
    hang.hang = true;
    writer(*svc, "ASR Writer").faults.events.push_back(hang);
    Requester r(svc);
    REQUIRE(r.s->initializeForBackup());
    const SimTime t0 = svc->now();
    CHECK(Hr{r.run(r.s->gatherWriterMetadata())} == Hr{VSS_S_ASYNC_FINISHED});
    CHECK(svc->now() - t0 == 180s);
    CHECK(*r.s->writerMetadataCount() == 8);
    r.gather();
    CHECK(*r.s->writerStatusCount() == 8);
}

TEST_CASE("R12: same seed, same instance ids; another seed, other ids; pinned ids stay")
{
    auto ids = [](std::uint64_t seed) {
        auto svc = makeService("win-client", seed);
        std::vector<GUID> out;
        for (WriterEntry *w : svc->writers().subscribed())
            out.push_back(w->identity.instanceId);
        return out;
    };
    CHECK(ids(1) == ids(1));
    CHECK(ids(1) != ids(2));
    CHECK(ids(1)[0] == ids(2)[0]);  // Task Scheduler Writer's instance id is pinned
}

TEST_CASE("R12: a restarted writer has a new instance id and a clean public status (Z1)")
{
    auto svc = makeService();
    writer(*svc, "System Writer").faults.events.push_back(fault(Input::PrepareForSnapshot, VSS_E_WRITERERROR_RETRYABLE));
    {
        Requester r(svc);
        r.backupUpToPrepare();
        r.snapshot();
        REQUIRE(r.s->abortBackup());
    }
    WriterEntry &old = writer(*svc, "System Writer");
    CHECK(old.publicStatus.state == VSS_WS_FAILED_AT_PREPARE_SNAPSHOT);
    const GUID oldId = old.identity.instanceId;
    WriterEntry &fresh = svc->restartWriter(old);
    fresh.faults.events.clear();
    CHECK(fresh.identity.instanceId != oldId);
    Requester r(svc);
    REQUIRE(r.s->initializeForBackup());
    r.run(r.s->gatherWriterMetadata());
    r.gather();
    CHECK(r.status("System Writer").state == VSS_WS_STABLE);
    CHECK(r.status("System Writer").instanceId == fresh.identity.instanceId);
}

TEST_CASE("R13: Wait(ms) leaves a slow operation pending; QueryStatus steps time; Cancel ends it at once")
{
    auto svc = makeService();
    writer(*svc, "System Writer").faults.events.push_back(delay(Input::PrepareForSnapshot, std::chrono::minutes(12)));
    svc->settings().eventTimeout = std::chrono::minutes(30);
    Requester r(svc);
    r.backupUpToPrepare();
    auto op = *r.s->doSnapshotSet();
    r.s->wait(*op, std::chrono::minutes(5));
    CHECK(Hr{op->result} == Hr{VSS_S_ASYNC_PENDING});
    CHECK(Hr{r.s->cancel(*op)} == Hr{S_OK});
    CHECK(Hr{r.s->queryStatus(*op)} == Hr{VSS_S_ASYNC_CANCELLED});
    CHECK(Hr{r.s->cancel(*op)} == Hr{VSS_S_ASYNC_CANCELLED});
    // The running handler finishes at minute 12; the Abort reaches the writers then.
    REQUIRE(r.s->abortBackup());
    r.gather();
    CHECK(r.status("System Writer").state == VSS_WS_STABLE);
    CHECK(svc->shadowCopies().empty());
    CHECK(Hr{r.complete()} == Hr{VSS_E_BAD_STATE});
}

TEST_CASE("R13: a QueryStatus polling loop terminates in virtual time")
{
    auto svc = makeService();
    writer(*svc, "System Writer").faults.events.push_back(delay(Input::Freeze, 30s));
    Requester r(svc);
    r.backupUpToPrepare();
    auto op = *r.s->doSnapshotSet();
    int polls = 0;
    while (r.s->queryStatus(*op) == VSS_S_ASYNC_PENDING && polls < 1000)
        ++polls;
    CHECK(polls < 1000);
    CHECK(Hr{op->result} == Hr{VSS_S_ASYNC_FINISHED});
}

TEST_CASE("R17: injected faults on calls and as async results")
{
    auto svc = makeService();
    svc->callFaults().push_back(CallFault{"GatherWriterStatus", VSS_E_WRITER_INFRASTRUCTURE, 1, true, 0});
    svc->callFaults().push_back(CallFault{"InitializeForBackup", E_OUTOFMEMORY, 1, false, 0});
    Requester r(svc);
    CHECK(Hr{r.s->initializeForBackup().hr()} == Hr{E_OUTOFMEMORY});
    CHECK(r.s->initializeForBackup());  // only the first call
    r.run(r.s->gatherWriterMetadata());
    CHECK(Hr{r.gather()} == Hr{VSS_E_WRITER_INFRASTRUCTURE});
    CHECK(Hr{r.s->writerStatusCount().hr()} == Hr{VSS_E_BAD_STATE});  // D10: no list held
    CHECK(Hr{r.gather()} == Hr{VSS_S_ASYNC_FINISHED});
    CHECK(*r.s->writerStatusCount() == 10);
}

TEST_CASE("R18: one creation at a time; a second object gets SNAPSHOT_SET_IN_PROGRESS until it ends")
{
    auto svc = makeService();
    writer(*svc, "System Writer").faults.events.push_back(delay(Input::PrepareForSnapshot, 90s));
    Requester a(svc), b(svc);
    a.backupUpToPrepare();
    auto op = *a.s->doSnapshotSet();
    svc->advance(10s);
    REQUIRE(b.s->initializeForBackup());
    CHECK(Hr{b.s->startSnapshotSet().hr()} == Hr{VSS_E_SNAPSHOT_SET_IN_PROGRESS});
    a.s->wait(*op, std::nullopt);
    CHECK(Hr{op->result} == Hr{VSS_S_ASYNC_FINISHED});
    CHECK(b.s->startSnapshotSet());
    CHECK(Hr{a.s->startSnapshotSet().hr()} == Hr{VSS_E_BAD_STATE});  // same object: a second set
}

TEST_CASE("R18: 64 volumes per set, the 65th refused; unknown and duplicate volumes")
{
    auto svc = makeService();
    for (int i = 0; i < 70; ++i) {
        Volume v;
        v.name = L"C:\\Mount\\" + std::to_wstring(i) + L"\\";
        svc->volumes().push_back(v);
    }
    Requester r(svc);
    REQUIRE(r.s->initializeForBackup());
    REQUIRE(r.s->startSnapshotSet());
    CHECK(Hr{r.s->addToSnapshotSet(L"Q:\\", GUID_NULL).hr()} == Hr{VSS_E_OBJECT_NOT_FOUND});
    CHECK(Hr{r.s->addToSnapshotSet(L"C:", GUID_NULL).hr()} == Hr{VSS_E_OBJECT_NOT_FOUND});  // no trailing backslash
    for (int i = 0; i < 64; ++i)
        REQUIRE(r.s->addToSnapshotSet(L"C:\\Mount\\" + std::to_wstring(i) + L"\\", GUID_NULL));
    CHECK(Hr{r.s->addToSnapshotSet(L"C:\\Mount\\64\\", GUID_NULL).hr()} == Hr{VSS_E_MAXIMUM_NUMBER_OF_VOLUMES_REACHED});
    Requester d(svc);
    REQUIRE(d.s->initializeForBackup());
    REQUIRE(d.s->startSnapshotSet());
    CHECK(d.s->addToSnapshotSet(L"c:\\", GUID_NULL));
    CHECK(Hr{d.s->addToSnapshotSet(L"C:\\", GUID_NULL).hr()} == Hr{VSS_E_OBJECT_ALREADY_EXISTS});
}

TEST_CASE("public status: an observer sees [5] while another requester copies, and leftovers of failures")
{
    auto svc = makeService();
    Requester r(svc);
    r.backupUpToPrepare();
    r.snapshot();
    Requester observer(svc);
    REQUIRE(observer.s->initializeForBackup());
    observer.run(observer.s->gatherWriterMetadata());
    observer.gather();
    CHECK(observer.status("System Writer").state == VSS_WS_WAITING_FOR_BACKUP_COMPLETE);
    CHECK(writer(*svc, "System Writer").backupSlotsHeld == 1);  // observers take no slot
}

TEST_CASE("BackupShutdown at release: public status back to STABLE (X1)")
{
    auto svc = makeService();
    {
        Requester r(svc);
        r.backupUpToPrepare();
        r.snapshot();
    }
    svc->runUntilIdle(svc->now() + 1s);
    CHECK(writer(*svc, "System Writer").publicStatus.state == VSS_WS_STABLE);
    bool shutdown = false;
    for (const TraceRecord &t : svc->trace().records())
        shutdown = shutdown || (t.kind == TraceKind::Deliver && t.input == Input::BackupShutdown);
    CHECK(shutdown);
}

TEST_CASE("defect 4: released while a Freeze handler runs, Abort goes out before BackupShutdown and the table sees no impossible pair")
{
    // The reproducer of issue 15's defect 4, single-threaded: another requester's Wait drives time
    // after this object's release, as a second thread did. Before the fix, release sent
    // BackupShutdown at once (X1: STABLE) and the late Freeze answer, then the freeze window, met it:
    // "Freeze with outcome ok is out of sequence", "FreezeWindowExpired ... in state VSS_WS_STABLE".
    // 5 s: the late answer met the closed record; 70 s: the 60 s freeze window expired on it first.
    for (const SimDuration freezeTakes : {SimDuration{5s}, SimDuration{70s}}) {
        INFO("OnFreeze takes ", std::chrono::duration_cast<std::chrono::seconds>(freezeTakes).count(), " s");
        auto svc = makeService();
        writer(*svc, "System Writer").faults.events.push_back(delay(Input::Freeze, freezeTakes));
        {
            Requester r(svc);
            REQUIRE(Hr{r.backupUpToPrepare()} == Hr{VSS_S_ASYNC_FINISHED});
            REQUIRE(r.s->doSnapshotSet());
            svc->advance(1s);   // Freeze delivered, System Writer still in OnFreeze
        }
        svc->runUntilIdle(svc->now() + 72h);
        CHECK(svc->stateTableBreaks() == 0);
        std::vector<Input> systemWriterEvents;
        for (const TraceRecord &t : svc->trace().records())
            if (t.kind == TraceKind::Deliver && t.actor == "System Writer")
                systemWriterEvents.push_back(t.input);
        REQUIRE(systemWriterEvents.size() >= 3);
        CHECK(systemWriterEvents[systemWriterEvents.size() - 3] == Input::Freeze);
        CHECK(systemWriterEvents[systemWriterEvents.size() - 2] == Input::Abort);
        CHECK(systemWriterEvents.back() == Input::BackupShutdown);
        // Past the window the writer failed at Freeze, as R7 says; within it, Abort made it STABLE.
        CHECK(writer(*svc, "System Writer").publicStatus.state ==
              (freezeTakes < 60s ? VSS_WS_STABLE : VSS_WS_FAILED_AT_FREEZE));
    }
}

TEST_CASE("defect 4: a writer that unsubscribed while frozen and came back gets BackupShutdown, and its window ends there")
{
    // What the stress test's coming-and-going writers met under TSan: unsubscribed during OnFreeze, the
    // writer missed Thaw; subscribed again (the same entry), it received the release's BackupShutdown (X1:
    // STABLE) and the freeze window still armed then expired on that closed record.
    auto svc = makeService();
    WriterEntry &w = writer(*svc, "System Writer");
    w.faults.events.push_back(delay(Input::Freeze, 5s));
    {
        Requester r(svc);
        REQUIRE(Hr{r.backupUpToPrepare()} == Hr{VSS_S_ASYNC_FINISHED});
        REQUIRE(r.s->doSnapshotSet());
        svc->advance(1s);   // Freeze delivered, System Writer in OnFreeze
        w.subscribed = false;
        svc->advance(9s);   // its answer came back; Thaw and PostSnapshot went to the others only
        w.subscribed = true;
        svc->writers().moveToEnd(w);
    }
    svc->runUntilIdle(svc->now() + 72h);   // well past the 60 s window
    CHECK(svc->stateTableBreaks() == 0);
    bool shutdown = false;
    for (const TraceRecord &t : svc->trace().records())
        shutdown |= t.kind == TraceKind::Deliver && t.actor == "System Writer" && t.input == Input::BackupShutdown;
    CHECK(shutdown);
}

TEST_CASE("defect 4: a cancelled BackupComplete still being handled at release gets no BackupShutdown before it ends")
{
    auto svc = makeService();
    writer(*svc, "System Writer").faults.events.push_back(delay(Input::BackupComplete, 5s));
    {
        Requester r(svc);
        REQUIRE(Hr{r.backupUpToPrepare()} == Hr{VSS_S_ASYNC_FINISHED});
        REQUIRE(Hr{r.snapshot()} == Hr{VSS_S_ASYNC_FINISHED});
        REQUIRE(r.s->backupComplete());
        svc->advance(1s);
    }
    svc->runUntilIdle(svc->now() + 72h);
    CHECK(svc->stateTableBreaks() == 0);
}

TEST_CASE("component mode: a writer with no component added still receives every event (§1.3)")
{
    auto svc = makeService();
    Requester r(svc);
    REQUIRE(r.s->initializeForBackup());
    REQUIRE(r.s->setBackupState(true, false, VSS_BT_FULL, false));
    r.run(r.s->gatherWriterMetadata());
    const ListedWriter *sys = nullptr;
    for (UINT i = 0; i < *r.s->writerMetadataCount(); ++i)
        if ((*r.s->writerMetadata(i))->identity.name == "System Writer")
            sys = *r.s->writerMetadata(i);
    REQUIRE(sys);
    REQUIRE(r.s->addComponent(sys->identity.instanceId, sys->identity.classId, VSS_CT_FILEGROUP, L"", L"System Files"));
    CHECK(Hr{r.s->addComponent(sys->identity.instanceId, sys->identity.classId, VSS_CT_FILEGROUP, L"", L"System Files").hr()} ==
          Hr{VSS_E_OBJECT_ALREADY_EXISTS});
    CHECK(Hr{r.s->addComponent(sys->identity.instanceId, GUID_NULL, VSS_CT_FILEGROUP, L"", L"System Files").hr()} ==
          Hr{VSS_E_OBJECT_NOT_FOUND});
    REQUIRE(r.s->startSnapshotSet());
    REQUIRE(r.s->addToSnapshotSet(L"C:\\", GUID_NULL));
    r.run(r.s->prepareForBackup());
    r.snapshot();
    r.gather();
    CHECK(r.status("System Writer").state == VSS_WS_WAITING_FOR_BACKUP_COMPLETE);
    CHECK(r.status("Registry Writer").state == VSS_WS_WAITING_FOR_BACKUP_COMPLETE);
    CHECK(r.s->componentsSelected());
}

TEST_CASE("when_components_selected reads AreComponentsSelected(): component mode, not this writer's selection")
{
    for (const bool componentMode : {true, false}) {
        auto svc = makeService();
        // MSSearch Service Writer declares no component, so it is never selected.
        EventFault onlySelected = fault(Input::PrepareForBackup, VSS_E_WRITERERROR_RETRYABLE, false);
        onlySelected.whenComponentsSelected = true;
        writer(*svc, "MSSearch Service Writer").faults.events.push_back(onlySelected);
        EventFault onlyNonComponent = fault(Input::PrepareForBackup, VSS_E_WRITERERROR_NONRETRYABLE, false);
        onlyNonComponent.whenComponentsSelected = false;
        writer(*svc, "System Writer").faults.events.push_back(onlyNonComponent);
        Requester r(svc);
        REQUIRE(r.s->initializeForBackup());
        REQUIRE(r.s->setBackupState(componentMode, false, VSS_BT_FULL, false));
        r.run(r.s->gatherWriterMetadata());
        REQUIRE(r.s->startSnapshotSet());
        REQUIRE(r.s->addToSnapshotSet(L"C:\\", GUID_NULL));
        r.run(r.s->prepareForBackup());
        r.gather();
        INFO("component mode: ", componentMode);
        CHECK(Hr{r.status("MSSearch Service Writer").failure} == Hr{componentMode ? VSS_E_WRITERERROR_RETRYABLE : S_OK});
        CHECK(Hr{r.status("System Writer").failure} == Hr{componentMode ? S_OK : VSS_E_WRITERERROR_NONRETRYABLE});
        REQUIRE(r.s->abortBackup());
    }
}

TEST_CASE("N2: only a writer disabled before GatherWriterMetadata stays out of a component-mode backup")
{
    auto svc = makeService();
    Requester r(svc);
    REQUIRE(r.s->initializeForBackup());
    REQUIRE(r.s->setBackupState(true, false, VSS_BT_FULL, false));
    const VSS_ID registry = writer(*svc, "Registry Writer").identity.classId;
    REQUIRE(r.s->disableWriterClasses(&registry, 1));
    r.run(r.s->gatherWriterMetadata());
    REQUIRE(r.s->startSnapshotSet());
    REQUIRE(r.s->addToSnapshotSet(L"C:\\", GUID_NULL));
    CHECK(Hr{r.run(r.s->prepareForBackup())} == Hr{VSS_S_ASYNC_FINISHED});
    CHECK(Hr{r.snapshot()} == Hr{VSS_S_ASYNC_FINISHED});
    std::vector<Input> registryEvents, wmiEvents;
    for (const TraceRecord &t : svc->trace().records()) {
        if (t.kind != TraceKind::Deliver)
            continue;
        if (t.actor == "Registry Writer")
            registryEvents.push_back(t.input);
        if (t.actor == "WMI Writer")
            wmiEvents.push_back(t.input);
    }
    CHECK(registryEvents.empty());
    CHECK(wmiEvents == std::vector<Input>{Input::Identify, Input::PrepareForBackup, Input::PrepareForSnapshot, Input::Freeze,
                                          Input::Thaw, Input::PostSnapshot});
}

TEST_CASE("determinism: same seed twice gives an identical trace; another seed the same verdicts")
{
    auto runOnce = [](std::uint64_t seed) {
        auto svc = makeService("win-client", seed);
        writer(*svc, "System Writer").faults.events.push_back(fault(Input::Freeze, VSS_E_WRITERERROR_RETRYABLE));
        svc->settings().shuffleStatus = true;
        std::string verdict;
        {
            Requester r(svc);
            r.backupUpToPrepare();
            verdict = fmt::format("{}", Hr{r.snapshot()});
            r.gather();
            verdict += fmt::format(" {}", writerStateName(r.status("System Writer").state));
        }
        svc->runUntilIdle(svc->now() + std::chrono::hours(1));
        return std::make_tuple(svc->trace().jsonLines(), verdict, svc->trace().hash());
    };
    auto [traceA, verdictA, hashA] = runOnce(7);
    auto [traceB, verdictB, hashB] = runOnce(7);
    auto [traceC, verdictC, hashC] = runOnce(8);
    CHECK(traceA == traceB);
    CHECK(hashA == hashB);
    CHECK(verdictA == verdictC);
    CHECK(verdictA == "VSS_E_UNEXPECTED_WRITER_ERROR (0x80042315) VSS_WS_FAILED_AT_FREEZE");
}

TEST_CASE("restore: PreRestore and PostRestore reach only writers with selected components; slot 1 per writer")
{
    auto svc = makeService();
    std::wstring bcd;
    {
        Requester r(svc);
        r.backupUpToPrepare();
        r.snapshot();
        bcd = *r.s->saveAsXml();
        r.complete();
        r.gather();
    }
    writer(*svc, "Registry Writer").faults.events.push_back(fault(Input::PreRestore, VSS_E_WRITERERROR_NONRETRYABLE, false));
    Requester r(svc);
    REQUIRE(r.s->initializeForRestore(bcd));
    r.run(r.s->gatherWriterMetadata());
    const GUID registry = writer(*svc, "Registry Writer").identity.classId;
    const GUID system = writer(*svc, "System Writer").identity.classId;
    auto c1 = r.s->restoreComponent(registry, L"", L"Registry", nullptr);
    auto c2 = r.s->restoreComponent(system, L"", L"System Files", nullptr);
    REQUIRE(c1);
    REQUIRE(c2);
    (*c1)->selectedForRestore = true;
    (*c2)->selectedForRestore = true;
    CHECK(Hr{r.s->restoreComponent(registry, L"", L"Nope", nullptr).hr()} == Hr{VSS_E_OBJECT_NOT_FOUND});
    CHECK(Hr{r.run(r.s->preRestore())} == Hr{VSS_S_ASYNC_FINISHED});
    CHECK(r.s->setFileRestoreStatus(**r.s->restoreComponent(system, L"", L"System Files", nullptr), VSS_RS_ALL));
    CHECK(Hr{r.run(r.s->postRestore())} == Hr{VSS_S_ASYNC_FINISHED});
    r.gather();
    CHECK(r.status("Registry Writer").state == VSS_WS_FAILED_AT_PRE_RESTORE);
    CHECK(r.status("System Writer").state == VSS_WS_STABLE);
    CHECK(Hr{r.s->abortBackup().hr()} == Hr{VSS_E_BAD_STATE});  // restores have no Abort
    CHECK(Hr{r.s->initializeForRestore(L"<nope/>").hr()} == Hr{VSS_E_BAD_STATE});
    Requester bad(svc);
    CHECK(Hr{bad.s->initializeForRestore(L"<nope/>").hr()} == Hr{VSS_E_INVALID_XML_DOCUMENT});
}

// ---- retries across sessions (docs/behaviour.md §17): M8, M9, and what a correct requester does ----

static std::size_t count(const Service &svc, std::string_view id)
{
    std::size_t n = 0;
    for (const Mistake &m : svc.mistakes())
        n += m.id == id;
    return n;
}

static std::string detailOf(const Service &svc, std::string_view id)
{
    for (const Mistake &m : svc.mistakes())
        if (m.id == id)
            return m.detail;
    return {};
}

/// One failed attempt: the snapshot fails, AbortBackup, the object released.
static void failedAttempt(const std::shared_ptr<Service> &svc)
{
    Requester r(svc);
    REQUIRE(Hr{r.backupUpToPrepare()} == Hr{VSS_S_ASYNC_FINISHED});
    CHECK(FAILED(r.snapshot()));
    CHECK(r.s->abortBackup());
}

TEST_CASE("M9: a retry sooner than 10 minutes after a RETRYABLE writer failure, and a fourth retry")
{
    auto svc = makeService();
    writer(*svc, "System Writer").faults.events.push_back(fault(Input::Freeze, VSS_E_WRITERERROR_RETRYABLE, true));
    failedAttempt(svc);
    SUBCASE("retrying at once is reported") {
        failedAttempt(svc);
        CHECK(count(*svc, "M9") == 1);
        CHECK(detailOf(*svc, "M9").find("System Writer retried") != std::string::npos);
    }
    SUBCASE("three retries 10 minutes apart are correct; a fourth is reported once") {
        for (int retry = 1; retry <= 3; ++retry) {
            svc->advance(10min);
            failedAttempt(svc);
        }
        CHECK(count(*svc, "M9") == 0);
        svc->advance(10min);
        failedAttempt(svc);
        CHECK(count(*svc, "M9") == 1);
        CHECK(detailOf(*svc, "M9").find("fourth retry") != std::string::npos);
    }
}

TEST_CASE("M8: a NONRETRYABLE writer backed up again unchanged; a restart clears it")
{
    auto svc = makeService();
    writer(*svc, "Registry Writer").faults.events.push_back(fault(Input::PostSnapshot, VSS_E_WRITERERROR_NONRETRYABLE, false));
    {
        Requester r(svc);
        REQUIRE(Hr{r.backupUpToPrepare()} == Hr{VSS_S_ASYNC_FINISHED});
        r.snapshot();
        CHECK(r.s->abortBackup());
    }
    SUBCASE("selected again without a restart") {
        Requester r(svc);
        r.backupUpToPrepare();
        CHECK(count(*svc, "M8") == 1);
    }
    SUBCASE("after the writer restarted") {
        svc->restartWriter(writer(*svc, "Registry Writer"));
        Requester r(svc);
        r.backupUpToPrepare();
        CHECK(count(*svc, "M8") == 0);
    }
    SUBCASE("not selected: its data is left out, as §17 says") {
        Requester r(svc);
        r.backupUpToPrepare(false);
        CHECK(count(*svc, "M8") == 0);
    }
}

TEST_CASE("M18: a failed operation waited for and never read; QueryStatus reads it")
{
    auto svc = makeService();
    writer(*svc, "System Writer").faults.events.push_back(fault(Input::Freeze, VSS_E_WRITERERROR_RETRYABLE, true));
    Requester r(svc);
    REQUIRE(Hr{r.backupUpToPrepare()} == Hr{VSS_S_ASYNC_FINISHED});
    auto op = r.s->doSnapshotSet();
    REQUIRE(op);
    CHECK(Hr{r.s->wait(**op, std::nullopt)} == Hr{S_OK});
    SUBCASE("the next call without QueryStatus") {
        r.s->noteRequesterCall();
        r.s->noteRequesterCall();
        CHECK(count(*svc, "M18") == 1);
    }
    SUBCASE("QueryStatus first") {
        CHECK(FAILED(r.s->queryStatus(**op)));
        r.s->noteRequesterCall();
        CHECK(count(*svc, "M18") == 0);
    }
}

} // TEST_SUITE
