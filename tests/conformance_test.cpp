// Conformance of the requester API with docs/behaviour.md §13 (status methods), §14 (IVssAsync) and §15
// (preconditions), driven the way a Windows requester drives it: CreateVssBackupComponents,
// QueryInterface(&pEx3), IVssAsync::Wait and QueryStatus. Each test installs its own deterministic
// simulation (win-client profile, 10 scripted writers) and scripts faults on its writers directly.
// Every test ends with the library's live BSTR and object counts back where they started.
#include <doctest/doctest.h>

#include <chrono>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <latch>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <windows.h>
#include <vss.h>
#include <vswriter.h>
#include <vsbackup.h>
#include <vsssim/vsssim.h>

#include "core/names.h"
#include "scenario/listing.h"
#include "service/service.h"

using vsssim::Hr;
using vsssim::Input;

namespace {

// ---------------------------------------------------------------------------------------------
// The simulation of one test

/// VSSSIM_SEED (a number, or a 40-hex commit whose last 16 digits count), else 42.
std::uint64_t testSeed()
{
    const char *s = std::getenv("VSSSIM_SEED");
    if (!s || !*s)
        return 42;
    const std::string text(s);
    if (text.size() == 40)
        return std::strtoull(text.substr(24).c_str(), nullptr, 16);
    return std::strtoull(s, nullptr, 0);
}

class Sim
{
public:
    explicit Sim(std::function<void(vsssim::ServiceOptions &)> tweak = {})
    {
        vsssim::ServiceOptions opts;
        opts.seed = seed;
        opts.profiles = {"win-client"};
        if (tweak)
            tweak(opts);
        svc = std::make_shared<vsssim::Service>(opts);
        vsssim::Service::install(svc);
        bstrs0_ = vsssim::liveBstrCount();
        objects0_ = vsssim::liveObjectCount();
    }
    Sim(const Sim &) = delete;
    Sim &operator=(const Sim &) = delete;
    ~Sim()
    {
        // Events still scheduled (BackupShutdown of released objects, late handler returns) run now,
        // so that no session keeps the service alive after the test.
        {
            auto lock = svc->lock();
            svc->runUntilIdle(svc->now() + std::chrono::hours(72));
        }
        INFO("seed=", seed);
        CHECK(vsssim::liveBstrCount() == bstrs0_);
        CHECK(vsssim::liveObjectCount() == objects0_);
    }

    vsssim::WriterEntry &writer(std::size_t i) { return *svc->writers().all().at(i); }
    VSS_ID instanceOf(std::size_t i) { return writer(i).identity.instanceId; }
    void fault(std::size_t i, vsssim::EventFault f) { writer(i).faults.events.push_back(std::move(f)); }
    /** \brief occurrence 0: every call; n: only the nth (counted from this call on). */
    void callFault(std::string method, HRESULT hr, bool async = false, int occurrence = 0)
    {
        vsssim::CallFault f;
        f.method = std::move(method);
        f.hr = hr;
        f.async = async;
        f.occurrence = occurrence;
        svc->callFaults().push_back(f);
    }

    const std::uint64_t seed = testSeed();
    std::shared_ptr<vsssim::Service> svc;

private:
    std::size_t bstrs0_ = 0;
    std::size_t objects0_ = 0;
};

// The win-client writers in subscription order (docs/listings.md §4.1).
constexpr std::size_t kTaskScheduler = 0;
constexpr std::size_t kPerfCounters = 2;
constexpr std::size_t kSystemWriter = 3;
constexpr std::size_t kMSSearch = 4;   // declares no component: never selected, yet takes part
constexpr std::size_t kRegistry = 7;
constexpr UINT kWriterCount = 10;
constexpr UINT kSelectedCount = 8;     // the writers that declare a component
constexpr std::size_t kComponentCount = 11;   // their components: System Writer has 2, ASR Writer 3 (profiles.cpp)

vsssim::EventFault failAt(Input event, HRESULT hr, bool veto = true)
{
    vsssim::EventFault f;
    f.event = event;
    f.fail = true;
    f.veto = veto;
    f.hrWriter = hr;
    return f;
}

vsssim::EventFault delayAt(Input event, std::chrono::seconds d)
{
    vsssim::EventFault f;
    f.event = event;
    f.delay = d;
    return f;
}

// ---------------------------------------------------------------------------------------------
// A requester, written against the public API only

/// Wait() then QueryStatus() then Release(), like VShadow's WaitAndCheckForAsyncOperation: the
/// operation's result. R13 (revised, restic#4875): Wait returns S_OK also for a failed operation;
/// with `wait_returns_failure` it returns the failure.
HRESULT finish(IVssAsync *pAsync)
{
    const HRESULT hrWait = pAsync->Wait();
    HRESULT hrResult = E_FAIL;
    const HRESULT hrQuery = pAsync->QueryStatus(&hrResult, NULL);
    pAsync->Release();
    if (FAILED(hrQuery))
        return hrQuery;
    const bool waitFails = vsssim::Service::current()->settings().waitReturnsFailure;
    CHECK(Hr{hrWait} == Hr{waitFails && FAILED(hrResult) ? hrResult : S_OK});
    return hrResult;
}

using AsyncMethod = HRESULT (IVssBackupComponents::*)(IVssAsync **);

struct Component {
    VSS_ID instanceId;
    VSS_ID writerId;
    VSS_COMPONENT_TYPE type;
    std::wstring logicalPath;
    std::wstring name;
};

struct Status {
    VSS_ID instanceId{};
    VSS_ID writerId{};
    std::wstring name;
    VSS_WRITER_STATE state = VSS_WS_UNKNOWN;
    HRESULT failure = E_FAIL;
    HRESULT application = E_FAIL;
    bool hasMessage = false;
    std::wstring message;
};

std::wstring fromBstr(BSTR b)
{
    return b ? std::wstring(b, SysStringLen(b)) : std::wstring();
}

class Requester
{
public:
    Requester()
    {
        created = CreateVssBackupComponents(&p);
        if (SUCCEEDED(created))
            created = p->QueryInterface(&ex3);
    }
    Requester(const Requester &) = delete;
    Requester &operator=(const Requester &) = delete;
    ~Requester() { release(); }

    void release()
    {
        if (pending) {
            pending->Release();
            pending = nullptr;
        }
        if (ex3)
            ex3->Release();
        if (p)
            p->Release();
        ex3 = nullptr;
        p = nullptr;
    }

    /** \brief The synchronous failure, or the asynchronous result after Wait. */
    HRESULT run(AsyncMethod m)
    {
        IVssAsync *pAsync = NULL;
        const HRESULT hr = (p->*m)(&pAsync);
        if (FAILED(hr))
            return hr;
        return finish(pAsync);
    }

    /** \brief Starts an operation and keeps its IVssAsync in `pending`, without waiting. */
    HRESULT start(AsyncMethod m)
    {
        if (pending)
            pending->Release();
        pending = NULL;
        return (p->*m)(&pending);
    }

    HRESULT initBackup()
    {
        HRESULT hr = p->InitializeForBackup();
        if (SUCCEEDED(hr))
            hr = p->SetBackupState(true, false, VSS_BT_FULL);
        return hr;
    }

    /** \brief AddComponent for every component every listed writer declares (a full component-mode backup). */
    HRESULT selectAll()
    {
        UINT cWriters = 0;
        HRESULT hr = p->GetWriterMetadataCount(&cWriters);
        for (UINT i = 0; SUCCEEDED(hr) && i < cWriters; ++i) {
            VSS_ID idInstance = GUID_NULL;
            IVssExamineWriterMetadata *pMetadata = NULL;
            hr = p->GetWriterMetadata(i, &idInstance, &pMetadata);
            if (FAILED(hr))
                break;
            VSS_ID idInstance2 = GUID_NULL, idWriter = GUID_NULL;
            BSTR bstrName = NULL;
            VSS_USAGE_TYPE usage;
            VSS_SOURCE_TYPE source;
            UINT cInclude = 0, cExclude = 0, cComponents = 0;
            hr = pMetadata->GetIdentity(&idInstance2, &idWriter, &bstrName, &usage, &source);
            SysFreeString(bstrName);
            if (SUCCEEDED(hr))
                hr = pMetadata->GetFileCounts(&cInclude, &cExclude, &cComponents);
            for (UINT j = 0; SUCCEEDED(hr) && j < cComponents; ++j) {
                IVssWMComponent *pComponent = NULL;
                hr = pMetadata->GetComponent(j, &pComponent);
                if (FAILED(hr))
                    break;
                PVSSCOMPONENTINFO pInfo = NULL;
                hr = pComponent->GetComponentInfo(&pInfo);
                if (SUCCEEDED(hr)) {
                    Component c{idInstance, idWriter, pInfo->type, fromBstr(pInfo->bstrLogicalPath),
                                fromBstr(pInfo->bstrComponentName)};
                    pComponent->FreeComponentInfo(pInfo);
                    hr = p->AddComponent(c.instanceId, c.writerId, c.type,
                                         c.logicalPath.empty() ? NULL : c.logicalPath.c_str(), c.name.c_str());
                    if (SUCCEEDED(hr))
                        components.push_back(c);
                }
                pComponent->Release();
            }
            pMetadata->Release();
        }
        return hr;
    }

    HRESULT markAllSucceeded()
    {
        for (const Component &c : components)
            if (HRESULT hr = p->SetBackupSucceeded(c.instanceId, c.writerId, c.type,
                                                   c.logicalPath.empty() ? NULL : c.logicalPath.c_str(),
                                                   c.name.c_str(), true);
                FAILED(hr))
                return hr;
        return S_OK;
    }

    /** \brief GatherWriterStatus, every entry through GetWriterStatusEx, FreeWriterStatus. */
    std::vector<Status> statuses(HRESULT *gatherResult = nullptr)
    {
        std::vector<Status> out;
        const HRESULT hr = run(&IVssBackupComponents::GatherWriterStatus);
        if (gatherResult)
            *gatherResult = hr;
        if (hr != VSS_S_ASYNC_FINISHED)
            return out;
        UINT cWriters = 0;
        if (FAILED(p->GetWriterStatusCount(&cWriters)))
            return out;
        for (UINT i = 0; i < cWriters; ++i) {
            Status s;
            BSTR bstrWriter = NULL, bstrMessage = NULL;
            if (FAILED(ex3->GetWriterStatusEx(i, &s.instanceId, &s.writerId, &bstrWriter, &s.state, &s.failure,
                                              &s.application, &bstrMessage)))
                continue;
            s.name = fromBstr(bstrWriter);
            s.hasMessage = bstrMessage != NULL;
            s.message = fromBstr(bstrMessage);
            SysFreeString(bstrWriter);
            SysFreeString(bstrMessage);
            out.push_back(s);
        }
        p->FreeWriterStatus();
        return out;
    }

    IVssBackupComponents *p = nullptr;
    IVssBackupComponentsEx3 *ex3 = nullptr;
    IVssAsync *pending = nullptr;
    HRESULT created = E_FAIL;
    std::vector<Component> components;
    VSS_ID setId = GUID_NULL;
    VSS_ID snapshotC = GUID_NULL;
};

const Status *find(const std::vector<Status> &list, const VSS_ID &instanceId)
{
    for (const Status &s : list)
        if (s.instanceId == instanceId)
            return &s;
    return nullptr;
}

/// The entry of one writer, or a failing check naming it.
Status entry(const std::vector<Status> &list, Sim &sim, std::size_t writer)
{
    const Status *s = find(list, sim.instanceOf(writer));
    INFO("writer ", sim.writer(writer).identity.name, " is in the status list");
    REQUIRE(s != nullptr);
    return *s;
}

// ---------------------------------------------------------------------------------------------
// Driving one object to a phase of docs/behaviour.md §15

enum class Stage {
    New,
    InitB,
    MetaPending,      // GatherWriterMetadata running (a slow Identify)
    Meta,
    MetaFreed,
    StatusPending,    // GatherWriterStatus running (a writer answers late)
    StatusHeld,
    StatusFailed,     // the last gather failed asynchronously
    StatusCancelled,
    StatusFreed,
    Selected,
    SetStarted,
    VolumeAdded,
    PreparePending,
    Prepared,
    SnapPending,      // DoSnapshotSet running (a slow PrepareForSnapshot)
    SnapFailed,       // a Freeze veto
    Snapped,
    Completed,
    Aborted,
    InitR,
    MetaR,
    PreRestored,
    PostRestored,
};

/// The BCD of a complete backup of every component, as SaveAsXML wrote it after DoSnapshotSet.
std::wstring savedBackupDocument()
{
    Requester r;
    REQUIRE(Hr{r.created} == Hr{S_OK});
    REQUIRE(Hr{r.initBackup()} == Hr{S_OK});
    REQUIRE(Hr{r.run(&IVssBackupComponents::GatherWriterMetadata)} == Hr{VSS_S_ASYNC_FINISHED});
    REQUIRE(Hr{r.selectAll()} == Hr{S_OK});
    REQUIRE(Hr{r.p->StartSnapshotSet(&r.setId)} == Hr{S_OK});
    REQUIRE(Hr{r.p->AddToSnapshotSet(const_cast<VSS_PWSZ>(L"C:\\"), GUID_NULL, &r.snapshotC)} == Hr{S_OK});
    REQUIRE(Hr{r.run(&IVssBackupComponents::PrepareForBackup)} == Hr{VSS_S_ASYNC_FINISHED});
    REQUIRE(Hr{r.run(&IVssBackupComponents::DoSnapshotSet)} == Hr{VSS_S_ASYNC_FINISHED});
    BSTR bstrXML = NULL;
    REQUIRE(Hr{r.p->SaveAsXML(&bstrXML)} == Hr{S_OK});
    std::wstring xml = fromBstr(bstrXML);
    SysFreeString(bstrXML);
    REQUIRE(Hr{r.markAllSucceeded()} == Hr{S_OK});
    REQUIRE(Hr{r.run(&IVssBackupComponents::BackupComplete)} == Hr{VSS_S_ASYNC_FINISHED});
    r.statuses();  // frees the session slots (R10)
    return xml;
}

/// A restore object's selection: every component of the BCD whose writer runs, through
/// GetWriterComponents as VShadow does it.
HRESULT selectForRestore(Requester &r, std::size_t onlyWriterOf, Sim *sim)
{
    UINT cWriters = 0;
    HRESULT hr = r.p->GetWriterComponentsCount(&cWriters);
    for (UINT i = 0; SUCCEEDED(hr) && i < cWriters; ++i) {
        IVssWriterComponentsExt *pWriter = NULL;
        hr = r.p->GetWriterComponents(i, &pWriter);
        if (FAILED(hr))
            break;
        VSS_ID idInstance = GUID_NULL, idWriter = GUID_NULL;
        UINT cComponents = 0;
        hr = pWriter->GetWriterInfo(&idInstance, &idWriter);
        if (SUCCEEDED(hr))
            hr = pWriter->GetComponentCount(&cComponents);
        const bool wanted = !sim || idWriter == sim->writer(onlyWriterOf).identity.classId;
        for (UINT j = 0; SUCCEEDED(hr) && wanted && j < cComponents; ++j) {
            IVssComponent *pComponent = NULL;
            hr = pWriter->GetComponent(j, &pComponent);
            if (FAILED(hr))
                break;
            BSTR bstrPath = NULL, bstrName = NULL;
            VSS_COMPONENT_TYPE ct = VSS_CT_UNDEFINED;
            pComponent->GetLogicalPath(&bstrPath);
            pComponent->GetComponentName(&bstrName);
            pComponent->GetComponentType(&ct);
            Component c{idInstance, idWriter, ct, fromBstr(bstrPath), fromBstr(bstrName)};
            SysFreeString(bstrPath);
            SysFreeString(bstrName);
            pComponent->Release();
            hr = r.p->SetSelectedForRestore(idWriter, ct, c.logicalPath.empty() ? NULL : c.logicalPath.c_str(),
                                            c.name.c_str(), true);
            if (SUCCEEDED(hr))
                r.components.push_back(c);
        }
        pWriter->Release();
    }
    return hr;
}

class Ctx
{
public:
    explicit Ctx(Sim &s) : sim(s) {}

    IVssBackupComponents *p() { return r->p; }
    IVssBackupComponentsEx3 *ex3() { return r->ex3; }

    void drive(Stage stage)
    {
        switch (stage) {
        case Stage::InitR:
        case Stage::MetaR:
        case Stage::PreRestored:
        case Stage::PostRestored:
            return driveRestore(stage);
        default:
            break;
        }
        r = std::make_unique<Requester>();
        REQUIRE(Hr{r->created} == Hr{S_OK});
        if (stage == Stage::New)
            return;
        REQUIRE(Hr{r->initBackup()} == Hr{S_OK});
        if (stage == Stage::InitB)
            return;
        if (stage == Stage::MetaPending) {
            sim.fault(kTaskScheduler, delayAt(Input::Identify, std::chrono::seconds(30)));
            REQUIRE(Hr{r->start(&IVssBackupComponents::GatherWriterMetadata)} == Hr{S_OK});
            return;
        }
        REQUIRE(Hr{r->run(&IVssBackupComponents::GatherWriterMetadata)} == Hr{VSS_S_ASYNC_FINISHED});
        switch (stage) {
        case Stage::Meta:
            return;
        case Stage::MetaFreed:
            REQUIRE(Hr{p()->FreeWriterMetadata()} == Hr{S_OK});
            return;
        case Stage::StatusPending:
        case Stage::StatusCancelled:
            sim.writer(kPerfCounters).faults.statusDelay = std::chrono::seconds(30);
            REQUIRE(Hr{r->start(&IVssBackupComponents::GatherWriterStatus)} == Hr{S_OK});
            if (stage == Stage::StatusCancelled)
                REQUIRE(Hr{r->pending->Cancel()} == Hr{S_OK});
            return;
        case Stage::StatusHeld:
        case Stage::StatusFreed:
            REQUIRE(Hr{r->run(&IVssBackupComponents::GatherWriterStatus)} == Hr{VSS_S_ASYNC_FINISHED});
            if (stage == Stage::StatusFreed)
                REQUIRE(Hr{p()->FreeWriterStatus()} == Hr{S_OK});
            return;
        case Stage::StatusFailed:
            sim.callFault("GatherWriterStatus", VSS_E_WRITER_INFRASTRUCTURE, /*async=*/true);
            REQUIRE(Hr{r->run(&IVssBackupComponents::GatherWriterStatus)} == Hr{VSS_E_WRITER_INFRASTRUCTURE});
            return;
        default:
            break;
        }
        REQUIRE(Hr{r->selectAll()} == Hr{S_OK});
        if (stage == Stage::Selected)
            return;
        REQUIRE(Hr{p()->StartSnapshotSet(&r->setId)} == Hr{S_OK});
        if (stage == Stage::SetStarted)
            return;
        REQUIRE(Hr{p()->AddToSnapshotSet(const_cast<VSS_PWSZ>(L"C:\\"), GUID_NULL, &r->snapshotC)} == Hr{S_OK});
        if (stage == Stage::VolumeAdded)
            return;
        if (stage == Stage::PreparePending) {
            sim.fault(kTaskScheduler, delayAt(Input::PrepareForBackup, std::chrono::seconds(30)));
            REQUIRE(Hr{r->start(&IVssBackupComponents::PrepareForBackup)} == Hr{S_OK});
            return;
        }
        REQUIRE(Hr{r->run(&IVssBackupComponents::PrepareForBackup)} == Hr{VSS_S_ASYNC_FINISHED});
        switch (stage) {
        case Stage::Prepared:
            return;
        case Stage::Aborted:
            REQUIRE(Hr{p()->AbortBackup()} == Hr{S_OK});
            return;
        case Stage::SnapPending:
            sim.fault(kTaskScheduler, delayAt(Input::PrepareForSnapshot, std::chrono::seconds(30)));
            REQUIRE(Hr{r->start(&IVssBackupComponents::DoSnapshotSet)} == Hr{S_OK});
            return;
        case Stage::SnapFailed:
            sim.fault(kTaskScheduler, failAt(Input::Freeze, VSS_E_WRITERERROR_RETRYABLE));
            REQUIRE(Hr{r->run(&IVssBackupComponents::DoSnapshotSet)} == Hr{VSS_E_UNEXPECTED_WRITER_ERROR});
            return;
        default:
            break;
        }
        REQUIRE(Hr{r->run(&IVssBackupComponents::DoSnapshotSet)} == Hr{VSS_S_ASYNC_FINISHED});
        if (stage == Stage::Snapped)
            return;
        REQUIRE(Hr{r->markAllSucceeded()} == Hr{S_OK});
        REQUIRE(Hr{r->run(&IVssBackupComponents::BackupComplete)} == Hr{VSS_S_ASYNC_FINISHED});
    }

    void driveRestore(Stage stage)
    {
        const std::wstring xml = savedBackupDocument();
        r = std::make_unique<Requester>();
        REQUIRE(Hr{r->created} == Hr{S_OK});
        BSTR bstrXML = SysAllocString(xml.c_str());
        const HRESULT hr = p()->InitializeForRestore(bstrXML);
        SysFreeString(bstrXML);
        REQUIRE(Hr{hr} == Hr{S_OK});
        if (stage == Stage::InitR)
            return;
        REQUIRE(Hr{r->run(&IVssBackupComponents::GatherWriterMetadata)} == Hr{VSS_S_ASYNC_FINISHED});
        REQUIRE(Hr{selectForRestore(*r, 0, nullptr)} == Hr{S_OK});
        if (stage == Stage::MetaR)
            return;
        REQUIRE(Hr{r->run(&IVssBackupComponents::PreRestore)} == Hr{VSS_S_ASYNC_FINISHED});
        if (stage == Stage::PreRestored)
            return;
        for (const Component &c : r->components)
            REQUIRE(Hr{p()->SetFileRestoreStatus(c.writerId, c.type, c.logicalPath.empty() ? NULL : c.logicalPath.c_str(),
                                                 c.name.c_str(), VSS_RS_ALL)} == Hr{S_OK});
        REQUIRE(Hr{r->run(&IVssBackupComponents::PostRestore)} == Hr{VSS_S_ASYNC_FINISHED});
    }

    /** \brief The first component added or selected: the Task Scheduler Writer's "TasksStore". */
    const Component &component() { return r->components.at(0); }

    Sim &sim;
    std::unique_ptr<Requester> r;
};

// ---------------------------------------------------------------------------------------------
// Calls the table uses; each frees what it receives, so that only the HRESULT matters.

/// Which out-parameters of GetWriterStatus(Ex) a row passes as NULL.
enum NullArg : unsigned {
    kNone = 0,
    kInstance = 1,
    kWriter = 2,
    kName = 4,
    kState = 8,
    kFailure = 16,
    kApplication = 32,
    kMessage = 64,
};

HRESULT getWriterStatus(Ctx &c, UINT i, unsigned nulls = kNone)
{
    VSS_ID idInstance, idWriter;
    BSTR bstrWriter = NULL;
    VSS_WRITER_STATE state;
    HRESULT failure;
    const HRESULT hr = c.p()->GetWriterStatus(i, (nulls & kInstance) ? NULL : &idInstance,
                                              (nulls & kWriter) ? NULL : &idWriter, (nulls & kName) ? NULL : &bstrWriter,
                                              (nulls & kState) ? NULL : &state, (nulls & kFailure) ? NULL : &failure);
    SysFreeString(bstrWriter);
    return hr;
}

HRESULT getWriterStatusEx(Ctx &c, UINT i, unsigned nulls = kNone)
{
    VSS_ID idInstance, idWriter;
    BSTR bstrWriter = NULL, bstrMessage = NULL;
    VSS_WRITER_STATE state;
    HRESULT failure, application;
    const HRESULT hr = c.ex3()->GetWriterStatusEx(
        i, (nulls & kInstance) ? NULL : &idInstance, (nulls & kWriter) ? NULL : &idWriter,
        (nulls & kName) ? NULL : &bstrWriter, (nulls & kState) ? NULL : &state, (nulls & kFailure) ? NULL : &failure,
        (nulls & kApplication) ? NULL : &application, (nulls & kMessage) ? NULL : &bstrMessage);
    SysFreeString(bstrWriter);
    SysFreeString(bstrMessage);
    return hr;
}

HRESULT statusCount(Ctx &c)
{
    UINT n = 0;
    return c.p()->GetWriterStatusCount(&n);
}

/// Starts an operation; a successful start is waited for and released, the result is the start's.
HRESULT startAndDrop(Ctx &c, AsyncMethod m)
{
    IVssAsync *pAsync = NULL;
    const HRESULT hr = (c.p()->*m)(&pAsync);
    if (SUCCEEDED(hr)) {
        pAsync->Wait();
        pAsync->Release();
    }
    return hr;
}

HRESULT qi(Ctx &c, const IID &iid)
{
    void *pv = reinterpret_cast<void *>(1);
    const HRESULT hr = c.p()->QueryInterface(iid, &pv);
    if (SUCCEEDED(hr))
        static_cast<IUnknown *>(pv)->Release();
    else
        CHECK(pv == nullptr);
    return hr;
}

HRESULT addVolume(Ctx &c, const wchar_t *name, VSS_ID provider = GUID_NULL)
{
    VSS_ID id;
    return c.p()->AddToSnapshotSet(const_cast<VSS_PWSZ>(name), provider, &id);
}

HRESULT addComponentAgain(Ctx &c)
{
    const Component &k = c.component();
    return c.p()->AddComponent(k.instanceId, k.writerId, k.type, k.logicalPath.empty() ? NULL : k.logicalPath.c_str(),
                               k.name.c_str());
}

HRESULT selectFirstForRestore(Ctx &c, bool selected = true)
{
    const Component &k = c.component();
    return c.p()->SetSelectedForRestore(k.writerId, k.type, k.logicalPath.empty() ? NULL : k.logicalPath.c_str(),
                                        k.name.c_str(), selected);
}

HRESULT fileRestoreStatus(Ctx &c)
{
    const Component &k = c.component();
    return c.p()->SetFileRestoreStatus(k.writerId, k.type, k.logicalPath.empty() ? NULL : k.logicalPath.c_str(),
                                       k.name.c_str(), VSS_RS_ALL);
}

HRESULT backupSucceeded(Ctx &c)
{
    const Component &k = c.component();
    return c.p()->SetBackupSucceeded(k.instanceId, k.writerId, k.type,
                                     k.logicalPath.empty() ? NULL : k.logicalPath.c_str(), k.name.c_str(), true);
}

HRESULT backupOptions(Ctx &c)
{
    const Component &k = c.component();
    return c.p()->SetBackupOptions(k.writerId, k.type, k.logicalPath.empty() ? NULL : k.logicalPath.c_str(),
                                   k.name.c_str(), L"/fast");
}

const VSS_ID kUnknownId = {0x12345678, 0x1234, 0x1234, {1, 2, 3, 4, 5, 6, 7, 8}};

struct Row {
    const char *what;
    Stage stage;
    std::function<void(Sim &)> prep;    // faults and settings, before the object is driven
    std::function<HRESULT(Ctx &)> call;
    HRESULT expected;
    const char *tag;                    // the spec row; "silent" where Microsoft's page says nothing
};

void runRows(const std::vector<Row> &rows)
{
    for (const Row &row : rows) {
        Sim sim;
        INFO("row: ", std::string(row.what), " [", std::string(row.tag), "] seed=", sim.seed);
        if (row.prep)
            row.prep(sim);
        Ctx c(sim);
        c.drive(row.stage);
        CHECK(Hr{row.call(c)} == Hr{row.expected});
    }
}

} // namespace

// =============================================================================================
TEST_SUITE("conformance")
{

TEST_CASE("return codes of the status methods (§13) and the other MUST methods (§15), one row per case")
{
    const std::vector<Row> rows = {
        // ---- §13.1 GatherWriterStatus ----
        {"GatherWriterStatus(NULL)", Stage::Meta, {}, [](Ctx &c) { return c.p()->GatherWriterStatus(NULL); }, E_INVALIDARG, "13.1 row 1"},
        {"GatherWriterStatus, not initialised", Stage::New, {}, [](Ctx &c) { return startAndDrop(c, &IVssBackupComponents::GatherWriterStatus); }, VSS_E_BAD_STATE, "13.1 row 2"},
        {"GatherWriterStatus before GatherWriterMetadata", Stage::InitB, {}, [](Ctx &c) { return startAndDrop(c, &IVssBackupComponents::GatherWriterStatus); }, VSS_E_BAD_STATE, "13.1 row 3, R1"},
        {"GatherWriterStatus while GatherWriterMetadata runs", Stage::MetaPending, {}, [](Ctx &c) { return startAndDrop(c, &IVssBackupComponents::GatherWriterStatus); }, VSS_E_BAD_STATE, "13.1 row 3"},
        {"GatherWriterStatus while PrepareForBackup runs", Stage::PreparePending, {}, [](Ctx &c) { return startAndDrop(c, &IVssBackupComponents::GatherWriterStatus); }, VSS_E_BAD_STATE, "13.1 row 4"},
        {"GatherWriterStatus while another gather runs", Stage::StatusPending, {}, [](Ctx &c) { return startAndDrop(c, &IVssBackupComponents::GatherWriterStatus); }, VSS_E_BAD_STATE, "13.1 row 4"},
        {"GatherWriterStatus, injected E_OUTOFMEMORY", Stage::Meta, [](Sim &s) { s.callFault("GatherWriterStatus", E_OUTOFMEMORY); }, [](Ctx &c) { return startAndDrop(c, &IVssBackupComponents::GatherWriterStatus); }, E_OUTOFMEMORY, "13.1 row 5, R17"},
        {"GatherWriterStatus, injected VSS_E_WRITER_INFRASTRUCTURE", Stage::Meta, [](Sim &s) { s.callFault("GatherWriterStatus", VSS_E_WRITER_INFRASTRUCTURE); }, [](Ctx &c) { return startAndDrop(c, &IVssBackupComponents::GatherWriterStatus); }, VSS_E_WRITER_INFRASTRUCTURE, "13.1 row 5, R17"},
        {"GatherWriterStatus, injected E_ACCESSDENIED", Stage::Meta, [](Sim &s) { s.callFault("GatherWriterStatus", E_ACCESSDENIED); }, [](Ctx &c) { return startAndDrop(c, &IVssBackupComponents::GatherWriterStatus); }, E_ACCESSDENIED, "13.1 row 5, R17"},
        {"GatherWriterStatus, injected VSS_E_UNEXPECTED", Stage::Meta, [](Sim &s) { s.callFault("GatherWriterStatus", VSS_E_UNEXPECTED); }, [](Ctx &c) { return startAndDrop(c, &IVssBackupComponents::GatherWriterStatus); }, VSS_E_UNEXPECTED, "13.1 row 5, R17"},
        {"GatherWriterStatus, asynchronous VSS_E_WRITER_INFRASTRUCTURE", Stage::Meta, [](Sim &s) { s.callFault("GatherWriterStatus", VSS_E_WRITER_INFRASTRUCTURE, true); }, [](Ctx &c) { return c.r->run(&IVssBackupComponents::GatherWriterStatus); }, VSS_E_WRITER_INFRASTRUCTURE, "13.1 async part, R17"},
        {"GatherWriterStatus after GatherWriterMetadata", Stage::Meta, {}, [](Ctx &c) { return c.r->run(&IVssBackupComponents::GatherWriterStatus); }, VSS_S_ASYNC_FINISHED, "13.1 row 6"},
        {"GatherWriterStatus again without FreeWriterStatus", Stage::StatusHeld, {}, [](Ctx &c) { return c.r->run(&IVssBackupComponents::GatherWriterStatus); }, VSS_S_ASYNC_FINISHED, "13.1 async part"},
        {"GatherWriterStatus in a restore after GatherWriterMetadata", Stage::MetaR, {}, [](Ctx &c) { return c.r->run(&IVssBackupComponents::GatherWriterStatus); }, VSS_S_ASYNC_FINISHED, "13.1, R1 restore"},
        {"GatherWriterStatus after PrepareForBackup", Stage::Prepared, {}, [](Ctx &c) { return c.r->run(&IVssBackupComponents::GatherWriterStatus); }, VSS_S_ASYNC_FINISHED, "13.1 row 6, §2 step 12"},

        // ---- §13.2 GetWriterStatusCount ----
        {"GetWriterStatusCount(NULL)", Stage::StatusHeld, {}, [](Ctx &c) { return c.p()->GetWriterStatusCount(NULL); }, E_INVALIDARG, "13.2 row 1"},
        {"GetWriterStatusCount, not initialised", Stage::New, {}, statusCount, VSS_E_BAD_STATE, "13.2 row 2"},
        {"GetWriterStatusCount, no gather yet", Stage::Meta, {}, statusCount, VSS_E_BAD_STATE, "13.2 row 3, R1"},
        {"GetWriterStatusCount, gather still pending", Stage::StatusPending, {}, statusCount, VSS_E_BAD_STATE, "13.2 row 3"},
        {"GetWriterStatusCount, last gather failed", Stage::StatusFailed, {}, statusCount, VSS_E_BAD_STATE, "13.2 row 3, D10"},
        {"GetWriterStatusCount, last gather cancelled", Stage::StatusCancelled, {}, statusCount, VSS_E_BAD_STATE, "13.2 row 3, D10"},
        {"GetWriterStatusCount after FreeWriterStatus", Stage::StatusFreed, {}, statusCount, VSS_E_BAD_STATE, "13.2 row 3"},
        {"GetWriterStatusCount, list held", Stage::StatusHeld, {}, [](Ctx &c) { UINT n = 0; HRESULT hr = c.p()->GetWriterStatusCount(&n); CHECK(n == kWriterCount); return hr; }, S_OK, "13.2 row 4, R3"},

        // ---- §13.3 GetWriterStatus ----
        {"GetWriterStatus, pidInstance NULL", Stage::StatusHeld, {}, [](Ctx &c) { return getWriterStatus(c, 0, kInstance); }, E_INVALIDARG, "13.3 row 1"},
        {"GetWriterStatus, pidWriter NULL", Stage::StatusHeld, {}, [](Ctx &c) { return getWriterStatus(c, 0, kWriter); }, E_INVALIDARG, "13.3 row 1"},
        {"GetWriterStatus, pbstrWriter NULL", Stage::StatusHeld, {}, [](Ctx &c) { return getWriterStatus(c, 0, kName); }, E_INVALIDARG, "13.3 row 1"},
        {"GetWriterStatus, pnStatus NULL", Stage::StatusHeld, {}, [](Ctx &c) { return getWriterStatus(c, 0, kState); }, E_INVALIDARG, "13.3 row 1"},
        {"GetWriterStatus, phResultFailure NULL", Stage::StatusHeld, {}, [](Ctx &c) { return getWriterStatus(c, 0, kFailure); }, E_INVALIDARG, "13.3 row 1"},
        {"GetWriterStatus, NULL wins over a bad index", Stage::New, {}, [](Ctx &c) { return getWriterStatus(c, 99, kName); }, E_INVALIDARG, "13.3 order"},
        {"GetWriterStatus, not initialised", Stage::New, {}, [](Ctx &c) { return getWriterStatus(c, 0); }, VSS_E_BAD_STATE, "13.3 row 2"},
        {"GetWriterStatus, no held list", Stage::Meta, {}, [](Ctx &c) { return getWriterStatus(c, 0); }, VSS_E_BAD_STATE, "13.3 row 3, R1"},
        {"GetWriterStatus after FreeWriterStatus", Stage::StatusFreed, {}, [](Ctx &c) { return getWriterStatus(c, 0); }, VSS_E_BAD_STATE, "13.3 row 3"},
        {"GetWriterStatus, gather pending", Stage::StatusPending, {}, [](Ctx &c) { return getWriterStatus(c, 0); }, VSS_E_BAD_STATE, "13.3 row 3"},
        {"GetWriterStatus, index == count", Stage::StatusHeld, {}, [](Ctx &c) { return getWriterStatus(c, kWriterCount); }, VSS_E_OBJECT_NOT_FOUND, "13.3 row 4"},
        {"GetWriterStatus, index UINT_MAX", Stage::StatusHeld, {}, [](Ctx &c) { return getWriterStatus(c, UINT_MAX); }, VSS_E_OBJECT_NOT_FOUND, "13.3 row 4"},
        {"GetWriterStatus, injected E_OUTOFMEMORY", Stage::StatusHeld, [](Sim &s) { s.callFault("GetWriterStatus", E_OUTOFMEMORY); }, [](Ctx &c) { return getWriterStatus(c, 0); }, E_OUTOFMEMORY, "13.3 row 5, R17"},
        {"GetWriterStatus, last writer", Stage::StatusHeld, {}, [](Ctx &c) { return getWriterStatus(c, kWriterCount - 1); }, S_OK, "13.3 row 6"},

        // ---- §13.4 GetWriterStatusEx ----
        {"GetWriterStatusEx, pidInstance NULL", Stage::StatusHeld, {}, [](Ctx &c) { return getWriterStatusEx(c, 0, kInstance); }, E_INVALIDARG, "13.4 row 1"},
        {"GetWriterStatusEx, pidWriter NULL", Stage::StatusHeld, {}, [](Ctx &c) { return getWriterStatusEx(c, 0, kWriter); }, E_INVALIDARG, "13.4 row 1"},
        {"GetWriterStatusEx, pbstrWriter NULL", Stage::StatusHeld, {}, [](Ctx &c) { return getWriterStatusEx(c, 0, kName); }, E_INVALIDARG, "13.4 row 1"},
        {"GetWriterStatusEx, pnStatus NULL", Stage::StatusHeld, {}, [](Ctx &c) { return getWriterStatusEx(c, 0, kState); }, E_INVALIDARG, "13.4 row 1"},
        {"GetWriterStatusEx, phrFailureWriter NULL", Stage::StatusHeld, {}, [](Ctx &c) { return getWriterStatusEx(c, 0, kFailure); }, E_INVALIDARG, "13.4 row 1a, D9 (page silent)"},
        {"GetWriterStatusEx, application pointers NULL", Stage::StatusHeld, {}, [](Ctx &c) { return getWriterStatusEx(c, 0, kApplication | kMessage); }, S_OK, "13.4 row 6"},
        {"GetWriterStatusEx, only the message pointer NULL", Stage::StatusHeld, {}, [](Ctx &c) { return getWriterStatusEx(c, 0, kMessage); }, S_OK, "13.4 row 6"},
        {"GetWriterStatusEx, not initialised", Stage::New, {}, [](Ctx &c) { return getWriterStatusEx(c, 0); }, VSS_E_BAD_STATE, "13.4 rows 2-5"},
        {"GetWriterStatusEx, no held list", Stage::Meta, {}, [](Ctx &c) { return getWriterStatusEx(c, 0); }, VSS_E_BAD_STATE, "13.4 rows 2-5, R1"},
        {"GetWriterStatusEx, last gather failed", Stage::StatusFailed, {}, [](Ctx &c) { return getWriterStatusEx(c, 0); }, VSS_E_BAD_STATE, "13.4, D10"},
        {"GetWriterStatusEx, index == count", Stage::StatusHeld, {}, [](Ctx &c) { return getWriterStatusEx(c, kWriterCount); }, VSS_E_OBJECT_NOT_FOUND, "13.4 rows 2-5"},
        {"GetWriterStatusEx, injected E_OUTOFMEMORY", Stage::StatusHeld, [](Sim &s) { s.callFault("GetWriterStatusEx", E_OUTOFMEMORY); }, [](Ctx &c) { return getWriterStatusEx(c, 0); }, E_OUTOFMEMORY, "13.4 rows 2-5, R17"},
        {"GetWriterStatusEx, first writer", Stage::StatusHeld, {}, [](Ctx &c) { return getWriterStatusEx(c, 0); }, S_OK, "13.4 row 6"},

        // ---- §13.5 FreeWriterStatus ----
        {"FreeWriterStatus, not initialised", Stage::New, {}, [](Ctx &c) { return c.p()->FreeWriterStatus(); }, VSS_E_BAD_STATE, "13.5 row 1"},
        {"FreeWriterStatus, no held list", Stage::Meta, {}, [](Ctx &c) { return c.p()->FreeWriterStatus(); }, VSS_E_BAD_STATE, "13.5 row 2"},
        {"FreeWriterStatus twice", Stage::StatusFreed, {}, [](Ctx &c) { return c.p()->FreeWriterStatus(); }, VSS_E_BAD_STATE, "13.5 row 2"},
        {"FreeWriterStatus, injected E_OUTOFMEMORY", Stage::StatusHeld, [](Sim &s) { s.callFault("FreeWriterStatus", E_OUTOFMEMORY); }, [](Ctx &c) { return c.p()->FreeWriterStatus(); }, E_OUTOFMEMORY, "13.5 row 3"},
        {"FreeWriterStatus, list held", Stage::StatusHeld, {}, [](Ctx &c) { return c.p()->FreeWriterStatus(); }, S_OK, "13.5 row 4"},

        // ---- CreateVssBackupComponents and QueryInterface ----
        {"CreateVssBackupComponents(NULL)", Stage::New, {}, [](Ctx &) { return CreateVssBackupComponents(NULL); }, E_INVALIDARG, "docs/api.md §6"},
        {"CreateVssBackupComponents, no backup privilege", Stage::New, [](Sim &s) { s.callFault("CreateVssBackupComponents", E_ACCESSDENIED, false, /*occurrence=*/2); },
         [](Ctx &) { IVssBackupComponents *p = reinterpret_cast<IVssBackupComponents *>(1); HRESULT hr = CreateVssBackupComponents(&p); CHECK(p == nullptr); return hr; }, E_ACCESSDENIED, "§2 step 1, R17"},
        {"CreateVssBackupComponents, injected E_OUTOFMEMORY", Stage::New, [](Sim &s) { s.callFault("CreateVssBackupComponents", E_OUTOFMEMORY, false, /*occurrence=*/2); },
         [](Ctx &) { IVssBackupComponents *p = NULL; return CreateVssBackupComponents(&p); }, E_OUTOFMEMORY, "R17"},
        {"CreateVssBackupComponents, injected VSS_E_UNEXPECTED", Stage::New, [](Sim &s) { s.callFault("CreateVssBackupComponents", VSS_E_UNEXPECTED, false, /*occurrence=*/2); },
         [](Ctx &) { IVssBackupComponents *p = NULL; return CreateVssBackupComponents(&p); }, VSS_E_UNEXPECTED, "R17"},
        {"QueryInterface(ppv NULL)", Stage::New, {}, [](Ctx &c) { return c.p()->QueryInterface(IID_IVssBackupComponentsEx3, NULL); }, E_POINTER, "docs/api.md §1.5"},
        {"QueryInterface(IID_IVssAsync)", Stage::New, {}, [](Ctx &c) { return qi(c, IID_IVssAsync); }, E_NOINTERFACE, "docs/api.md §1.5"},
        {"QueryInterface(IID_IUnknown)", Stage::New, {}, [](Ctx &c) { return qi(c, IID_IUnknown); }, S_OK, "docs/api.md §1.5"},
        {"QueryInterface(IID_IVssBackupComponents)", Stage::New, {}, [](Ctx &c) { return qi(c, IID_IVssBackupComponents); }, S_OK, "docs/api.md §5.5"},
        {"QueryInterface(IID_IVssBackupComponentsEx)", Stage::New, {}, [](Ctx &c) { return qi(c, IID_IVssBackupComponentsEx); }, S_OK, "docs/api.md §5.5"},
        {"QueryInterface(IID_IVssBackupComponentsEx2)", Stage::New, {}, [](Ctx &c) { return qi(c, IID_IVssBackupComponentsEx2); }, S_OK, "docs/api.md §5.5"},
        {"QueryInterface(__uuidof(IVssBackupComponentsEx3))", Stage::New, {}, [](Ctx &c) { return qi(c, __uuidof(IVssBackupComponentsEx3)); }, S_OK, "docs/api.md §1.6"},
        {"QueryInterface(IID_IVssBackupComponentsEx4)", Stage::New, {}, [](Ctx &c) { return qi(c, IID_IVssBackupComponentsEx4); }, S_OK, "docs/api.md §7"},

        // ---- §15: initialisation and settings ----
        {"InitializeForBackup twice", Stage::InitB, {}, [](Ctx &c) { return c.p()->InitializeForBackup(); }, VSS_E_BAD_STATE, "§15 InitializeForBackup"},
        {"InitializeForBackup(transportable document)", Stage::New, {}, [](Ctx &c) { BSTR x = SysAllocString(L"<x/>"); HRESULT hr = c.p()->InitializeForBackup(x); SysFreeString(x); return hr; }, E_NOTIMPL, "§15, R19"},
        {"InitializeForRestore(NULL)", Stage::New, {}, [](Ctx &c) { return c.p()->InitializeForRestore(NULL); }, E_INVALIDARG, "§15 common"},
        {"InitializeForRestore(not a BCD)", Stage::New, {}, [](Ctx &c) { BSTR x = SysAllocString(L"<hello/>"); HRESULT hr = c.p()->InitializeForRestore(x); SysFreeString(x); return hr; }, VSS_E_INVALID_XML_DOCUMENT, "§15 InitializeForRestore"},
        {"InitializeForRestore after InitializeForBackup", Stage::InitB, {}, [](Ctx &c) { BSTR x = SysAllocString(L"<hello/>"); HRESULT hr = c.p()->InitializeForRestore(x); SysFreeString(x); return hr; }, VSS_E_BAD_STATE, "§15 InitializeForRestore"},
        {"SetContext, not initialised", Stage::New, {}, [](Ctx &c) { return c.p()->SetContext(VSS_CTX_BACKUP); }, VSS_E_BAD_STATE, "§15 SetContext"},
        {"SetContext(VSS_CTX_APP_ROLLBACK)", Stage::InitB, {}, [](Ctx &c) { return c.p()->SetContext(VSS_CTX_APP_ROLLBACK); }, S_OK, "§15 SetContext"},
        {"SetContext twice", Stage::InitB, {}, [](Ctx &c) { c.p()->SetContext(VSS_CTX_BACKUP); return c.p()->SetContext(VSS_CTX_BACKUP); }, VSS_E_BAD_STATE, "§15 SetContext"},
        {"SetContext after StartSnapshotSet", Stage::SetStarted, {}, [](Ctx &c) { return c.p()->SetContext(VSS_CTX_BACKUP); }, VSS_E_BAD_STATE, "§15 SetContext"},
        {"SetContext(not a context)", Stage::InitB, {}, [](Ctx &c) { return c.p()->SetContext(0x40000000); }, E_INVALIDARG, "§15 SetContext"},
        {"SetBackupState, not initialised", Stage::New, {}, [](Ctx &c) { return c.p()->SetBackupState(true, false, VSS_BT_FULL); }, VSS_E_BAD_STATE, "§15 SetBackupState"},
        {"SetBackupState after PrepareForBackup", Stage::Prepared, {}, [](Ctx &c) { return c.p()->SetBackupState(true, false, VSS_BT_FULL); }, VSS_E_BAD_STATE, "§15 SetBackupState"},
        {"SetBackupState(VSS_BT_UNDEFINED)", Stage::InitB, {}, [](Ctx &c) { return c.p()->SetBackupState(true, false, VSS_BT_UNDEFINED); }, E_INVALIDARG, "§15 SetBackupState"},
        {"SetRestoreState on a backup object", Stage::InitB, {}, [](Ctx &c) { return c.p()->SetRestoreState(VSS_RTYPE_BY_COPY); }, VSS_E_BAD_STATE, "§15 SetRestoreState"},
        {"SetRestoreState in a restore", Stage::InitR, {}, [](Ctx &c) { return c.p()->SetRestoreState(VSS_RTYPE_BY_COPY); }, S_OK, "§15 SetRestoreState"},
        {"DisableWriterClasses, not initialised", Stage::New, {}, [](Ctx &c) { return c.p()->DisableWriterClasses(&kUnknownId, 1); }, VSS_E_BAD_STATE, "§15 DisableWriterClasses"},
        {"DisableWriterClasses(NULL, 1)", Stage::InitB, {}, [](Ctx &c) { return c.p()->DisableWriterClasses(NULL, 1); }, E_INVALIDARG, "§15 DisableWriterClasses"},
        {"EnableWriterClasses(NULL, 2)", Stage::InitB, {}, [](Ctx &c) { return c.p()->EnableWriterClasses(NULL, 2); }, E_INVALIDARG, "§15 EnableWriterClasses"},
        {"DisableWriterInstances after GatherWriterMetadata: accepted, no effect", Stage::Meta, {}, [](Ctx &c) { return c.p()->DisableWriterInstances(&kUnknownId, 1); }, S_OK, "§1.3"},
        {"GetSessionId(NULL)", Stage::InitB, {}, [](Ctx &c) { return c.ex3()->GetSessionId(NULL); }, E_INVALIDARG, "§15 common"},
        {"GetSessionId, not initialised", Stage::New, {}, [](Ctx &c) { VSS_ID id; return c.ex3()->GetSessionId(&id); }, VSS_E_BAD_STATE, "§15 GetSessionId"},
        {"SaveAsXML, not initialised", Stage::New, {}, [](Ctx &c) { BSTR x = NULL; return c.p()->SaveAsXML(&x); }, VSS_E_BAD_STATE, "§15 SaveAsXML"},
        {"SaveAsXML(NULL)", Stage::InitB, {}, [](Ctx &c) { return c.p()->SaveAsXML(NULL); }, E_INVALIDARG, "§15 common"},

        // ---- §15: metadata ----
        {"GatherWriterMetadata(NULL)", Stage::InitB, {}, [](Ctx &c) { return c.p()->GatherWriterMetadata(NULL); }, E_INVALIDARG, "§15 common"},
        {"GatherWriterMetadata, not initialised", Stage::New, {}, [](Ctx &c) { return startAndDrop(c, &IVssBackupComponents::GatherWriterMetadata); }, VSS_E_BAD_STATE, "§15 GatherWriterMetadata"},
        {"GatherWriterMetadata twice", Stage::Meta, {}, [](Ctx &c) { return startAndDrop(c, &IVssBackupComponents::GatherWriterMetadata); }, VSS_E_BAD_STATE, "§15 GatherWriterMetadata"},
        {"GatherWriterMetadata, injected VSS_E_WRITER_INFRASTRUCTURE", Stage::InitB, [](Sim &s) { s.callFault("GatherWriterMetadata", VSS_E_WRITER_INFRASTRUCTURE); }, [](Ctx &c) { return startAndDrop(c, &IVssBackupComponents::GatherWriterMetadata); }, VSS_E_WRITER_INFRASTRUCTURE, "§15, R17"},
        {"GetWriterMetadataCount before GatherWriterMetadata", Stage::InitB, {}, [](Ctx &c) { UINT n; return c.p()->GetWriterMetadataCount(&n); }, VSS_E_BAD_STATE, "§15 GetWriterMetadataCount"},
        {"GetWriterMetadataCount after FreeWriterMetadata", Stage::MetaFreed, {}, [](Ctx &c) { UINT n; return c.p()->GetWriterMetadataCount(&n); }, VSS_E_BAD_STATE, "§15 GetWriterMetadataCount"},
        {"GetWriterMetadataCount(NULL)", Stage::Meta, {}, [](Ctx &c) { return c.p()->GetWriterMetadataCount(NULL); }, E_INVALIDARG, "§15 common"},
        {"GetWriterMetadata, index == count", Stage::Meta, {}, [](Ctx &c) { VSS_ID id; IVssExamineWriterMetadata *m = NULL; return c.p()->GetWriterMetadata(kWriterCount, &id, &m); }, VSS_E_OBJECT_NOT_FOUND, "§15 GetWriterMetadata"},
        {"GetWriterMetadata(ppMetadata NULL)", Stage::Meta, {}, [](Ctx &c) { VSS_ID id; return c.p()->GetWriterMetadata(0, &id, NULL); }, E_INVALIDARG, "§15 common"},
        {"GetWriterMetadataEx, index == count", Stage::Meta, {}, [](Ctx &c) { IVssBackupComponentsEx *ex = NULL; c.p()->QueryInterface(&ex); VSS_ID id; IVssExamineWriterMetadataEx *m = NULL; HRESULT hr = ex->GetWriterMetadataEx(kWriterCount, &id, &m); ex->Release(); return hr; }, VSS_E_OBJECT_NOT_FOUND, "§15 GetWriterMetadataEx"},
        {"GetWriterMetadataEx, first writer", Stage::Meta, {}, [](Ctx &c) { IVssBackupComponentsEx *ex = NULL; c.p()->QueryInterface(&ex); VSS_ID id; IVssExamineWriterMetadataEx *m = NULL; HRESULT hr = ex->GetWriterMetadataEx(0, &id, &m); if (m) m->Release(); ex->Release(); return hr; }, S_OK, "§15 GetWriterMetadataEx"},
        {"FreeWriterMetadata, nothing held", Stage::InitB, {}, [](Ctx &c) { return c.p()->FreeWriterMetadata(); }, VSS_E_BAD_STATE, "§15 FreeWriterMetadata"},
        {"FreeWriterMetadata twice", Stage::MetaFreed, {}, [](Ctx &c) { return c.p()->FreeWriterMetadata(); }, VSS_E_BAD_STATE, "§15 FreeWriterMetadata"},

        // ---- §15: component selection ----
        {"AddComponent(name NULL)", Stage::Meta, {}, [](Ctx &c) { return c.p()->AddComponent(c.sim.instanceOf(0), c.sim.writer(0).identity.classId, VSS_CT_FILEGROUP, NULL, NULL); }, E_INVALIDARG, "§15 AddComponent"},
        {"AddComponent before GatherWriterMetadata", Stage::InitB, {}, [](Ctx &c) { return c.p()->AddComponent(c.sim.instanceOf(0), c.sim.writer(0).identity.classId, VSS_CT_FILEGROUP, NULL, L"TasksStore"); }, VSS_E_BAD_STATE, "§15 AddComponent"},
        {"AddComponent, unknown instance", Stage::Meta, {}, [](Ctx &c) { return c.p()->AddComponent(kUnknownId, c.sim.writer(0).identity.classId, VSS_CT_FILEGROUP, NULL, L"TasksStore"); }, VSS_E_OBJECT_NOT_FOUND, "§15 AddComponent"},
        {"AddComponent, undeclared component", Stage::Meta, {}, [](Ctx &c) { return c.p()->AddComponent(c.sim.instanceOf(0), c.sim.writer(0).identity.classId, VSS_CT_FILEGROUP, NULL, L"No Such Component"); }, VSS_E_OBJECT_NOT_FOUND, "§15 AddComponent"},
        {"AddComponent twice", Stage::Selected, {}, addComponentAgain, VSS_E_OBJECT_ALREADY_EXISTS, "§15 AddComponent"},
        {"AddComponent after PrepareForBackup", Stage::Prepared, {}, addComponentAgain, VSS_E_BAD_STATE, "§15 AddComponent"},
        {"SetBackupOptions before PrepareForBackup", Stage::Selected, {}, backupOptions, S_OK, "§2 step 11"},
        {"SetBackupOptions after PrepareForBackup", Stage::Prepared, {}, backupOptions, VSS_E_BAD_STATE, "§2 step 11 (page silent)"},
        {"SetPreviousBackupStamp, component not added", Stage::Meta, {}, [](Ctx &c) { return c.p()->SetPreviousBackupStamp(c.sim.writer(0).identity.classId, VSS_CT_FILEGROUP, NULL, L"TasksStore", L"stamp"); }, VSS_E_OBJECT_NOT_FOUND, "§2 step 11"},

        // ---- §15: the snapshot set ----
        {"StartSnapshotSet(NULL)", Stage::Selected, {}, [](Ctx &c) { return c.p()->StartSnapshotSet(NULL); }, E_INVALIDARG, "§15 common"},
        {"StartSnapshotSet, not initialised", Stage::New, {}, [](Ctx &c) { VSS_ID id; return c.p()->StartSnapshotSet(&id); }, VSS_E_BAD_STATE, "§15 StartSnapshotSet"},
        {"StartSnapshotSet twice", Stage::SetStarted, {}, [](Ctx &c) { VSS_ID id; return c.p()->StartSnapshotSet(&id); }, VSS_E_BAD_STATE, "§15 StartSnapshotSet, §10.5"},
        {"StartSnapshotSet while another object's DoSnapshotSet runs", Stage::InitB, {},
         [](Ctx &c) {
             Ctx o(c.sim);
             o.drive(Stage::SnapPending);
             VSS_ID id;
             const HRESULT hr = c.p()->StartSnapshotSet(&id);
             CHECK(Hr{finish(o.r->pending)} == Hr{VSS_S_ASYNC_FINISHED});
             o.r->pending = nullptr;
             return hr;
         }, VSS_E_SNAPSHOT_SET_IN_PROGRESS, "§15 StartSnapshotSet, R18"},
        {"DoSnapshotSet while another object's DoSnapshotSet runs", Stage::Prepared, {},
         [](Ctx &c) {
             Ctx o(c.sim);
             o.drive(Stage::SnapPending);
             IVssAsync *a = NULL;
             const HRESULT hr = c.p()->DoSnapshotSet(&a);
             if (a)
                 a->Release();
             CHECK(Hr{finish(o.r->pending)} == Hr{VSS_S_ASYNC_FINISHED});
             o.r->pending = nullptr;
             return hr;
         }, VSS_E_SNAPSHOT_SET_IN_PROGRESS, "§15 DoSnapshotSet, R18"},
        {"AddToSnapshotSet before StartSnapshotSet", Stage::Selected, {}, [](Ctx &c) { return addVolume(c, L"C:\\"); }, VSS_E_BAD_STATE, "§15 AddToSnapshotSet"},
        {"AddToSnapshotSet(volume NULL)", Stage::SetStarted, {}, [](Ctx &c) { VSS_ID id; return c.p()->AddToSnapshotSet(NULL, GUID_NULL, &id); }, E_INVALIDARG, "§15 common"},
        {"AddToSnapshotSet, unknown volume", Stage::SetStarted, {}, [](Ctx &c) { return addVolume(c, L"Q:\\"); }, VSS_E_OBJECT_NOT_FOUND, "§10.4"},
        {"AddToSnapshotSet, no trailing backslash", Stage::SetStarted, {}, [](Ctx &c) { return addVolume(c, L"C:"); }, VSS_E_OBJECT_NOT_FOUND, "§10.4"},
        {"AddToSnapshotSet, same volume twice", Stage::VolumeAdded, {}, [](Ctx &c) { return addVolume(c, L"c:\\"); }, VSS_E_OBJECT_ALREADY_EXISTS, "§10.4"},
        {"AddToSnapshotSet, the volume's GUID name", Stage::SetStarted, {}, [](Ctx &c) { return addVolume(c, c.sim.svc->volumes()[1].guidPath.c_str()); }, S_OK, "§10.4"},
        {"AddToSnapshotSet, unknown provider", Stage::SetStarted, {}, [](Ctx &c) { return addVolume(c, L"C:\\", kUnknownId); }, VSS_E_PROVIDER_NOT_REGISTERED, "§15 AddToSnapshotSet"},
        {"AddToSnapshotSet, volume refused by the provider", Stage::SetStarted, [](Sim &s) { s.svc->volumes()[2].addFault = VSS_E_VOLUME_NOT_SUPPORTED; }, [](Ctx &c) { return addVolume(c, L"E:\\"); }, VSS_E_VOLUME_NOT_SUPPORTED, "§10.4"},
        {"AddToSnapshotSet after DoSnapshotSet", Stage::Snapped, {}, [](Ctx &c) { return addVolume(c, L"D:\\"); }, VSS_E_BAD_STATE, "§15 AddToSnapshotSet"},
        {"PrepareForBackup(NULL)", Stage::VolumeAdded, {}, [](Ctx &c) { return c.p()->PrepareForBackup(NULL); }, E_INVALIDARG, "§15 common"},
        {"PrepareForBackup before StartSnapshotSet", Stage::Selected, {}, [](Ctx &c) { return startAndDrop(c, &IVssBackupComponents::PrepareForBackup); }, VSS_E_BAD_STATE, "§15 PrepareForBackup"},
        {"PrepareForBackup twice", Stage::Prepared, {}, [](Ctx &c) { return startAndDrop(c, &IVssBackupComponents::PrepareForBackup); }, VSS_E_BAD_STATE, "§15 PrepareForBackup"},
        {"PrepareForBackup in VSS_CTX_FILE_SHARE_BACKUP", Stage::InitB, {},
         [](Ctx &c) {
             c.p()->SetContext(VSS_CTX_FILE_SHARE_BACKUP);
             VSS_ID id;
             c.p()->StartSnapshotSet(&id);
             return startAndDrop(c, &IVssBackupComponents::PrepareForBackup);
         }, VSS_E_BAD_STATE, "§1.3, §15 PrepareForBackup"},
        {"DoSnapshotSet(NULL)", Stage::Prepared, {}, [](Ctx &c) { return c.p()->DoSnapshotSet(NULL); }, E_INVALIDARG, "§15 common"},
        {"DoSnapshotSet before StartSnapshotSet", Stage::Selected, {}, [](Ctx &c) { return startAndDrop(c, &IVssBackupComponents::DoSnapshotSet); }, VSS_E_BAD_STATE, "§15 DoSnapshotSet"},
        {"DoSnapshotSet twice", Stage::Snapped, {}, [](Ctx &c) { return startAndDrop(c, &IVssBackupComponents::DoSnapshotSet); }, VSS_E_BAD_STATE, "§15 DoSnapshotSet"},
        {"DoSnapshotSet while PrepareForBackup runs", Stage::PreparePending, {}, [](Ctx &c) { return startAndDrop(c, &IVssBackupComponents::DoSnapshotSet); }, VSS_E_BAD_STATE, "§15 common"},
        {"DoSnapshotSet, injected E_OUTOFMEMORY", Stage::Prepared, [](Sim &s) { s.callFault("DoSnapshotSet", E_OUTOFMEMORY); }, [](Ctx &c) { return startAndDrop(c, &IVssBackupComponents::DoSnapshotSet); }, E_OUTOFMEMORY, "§16, R17"},
        {"GetSnapshotProperties(pProp NULL)", Stage::Snapped, {}, [](Ctx &c) { return c.p()->GetSnapshotProperties(c.r->snapshotC, NULL); }, E_INVALIDARG, "§15 common"},
        {"GetSnapshotProperties, not initialised", Stage::New, {}, [](Ctx &c) { VSS_SNAPSHOT_PROP prop; return c.p()->GetSnapshotProperties(kUnknownId, &prop); }, VSS_E_BAD_STATE, "§15 GetSnapshotProperties"},
        {"GetSnapshotProperties, unknown id", Stage::Snapped, {}, [](Ctx &c) { VSS_SNAPSHOT_PROP prop; return c.p()->GetSnapshotProperties(kUnknownId, &prop); }, VSS_E_OBJECT_NOT_FOUND, "§15 GetSnapshotProperties"},
        {"GetSnapshotProperties after a failed DoSnapshotSet", Stage::SnapFailed, {}, [](Ctx &c) { VSS_SNAPSHOT_PROP prop; return c.p()->GetSnapshotProperties(c.r->snapshotC, &prop); }, VSS_E_OBJECT_NOT_FOUND, "§9"},
        {"DeleteSnapshots(plDeletedSnapshots NULL)", Stage::Snapped, {}, [](Ctx &c) { VSS_ID bad; return c.p()->DeleteSnapshots(c.r->setId, VSS_OBJECT_SNAPSHOT_SET, FALSE, NULL, &bad); }, E_INVALIDARG, "§15 common"},
        {"DeleteSnapshots, type VSS_OBJECT_PROVIDER", Stage::Snapped, {}, [](Ctx &c) { LONG n; VSS_ID bad; return c.p()->DeleteSnapshots(c.r->setId, VSS_OBJECT_PROVIDER, FALSE, &n, &bad); }, E_INVALIDARG, "§15 DeleteSnapshots"},
        {"DeleteSnapshots, unknown id", Stage::Snapped, {}, [](Ctx &c) { LONG n; VSS_ID bad; return c.p()->DeleteSnapshots(kUnknownId, VSS_OBJECT_SNAPSHOT, FALSE, &n, &bad); }, VSS_E_OBJECT_NOT_FOUND, "§15 DeleteSnapshots"},
        {"DeleteSnapshots, not initialised", Stage::New, {}, [](Ctx &c) { LONG n; VSS_ID bad; return c.p()->DeleteSnapshots(kUnknownId, VSS_OBJECT_SNAPSHOT, FALSE, &n, &bad); }, VSS_E_BAD_STATE, "§15 DeleteSnapshots"},
        {"SetBackupSucceeded before DoSnapshotSet", Stage::Prepared, {}, backupSucceeded, VSS_E_BAD_STATE, "§15 SetBackupSucceeded"},
        {"SetBackupSucceeded after a failed DoSnapshotSet", Stage::SnapFailed, {}, backupSucceeded, VSS_E_BAD_STATE, "§15 SetBackupSucceeded, §10.2"},
        {"SetBackupSucceeded, component not in the BCD", Stage::Snapped, {}, [](Ctx &c) { return c.p()->SetBackupSucceeded(c.sim.instanceOf(kMSSearch), c.sim.writer(kMSSearch).identity.classId, VSS_CT_FILEGROUP, NULL, L"x", true); }, VSS_E_OBJECT_NOT_FOUND, "§15 SetBackupSucceeded"},
        {"SetBackupSucceeded after BackupComplete", Stage::Completed, {}, backupSucceeded, VSS_E_BAD_STATE, "§15 SetBackupSucceeded"},
        {"BackupComplete(NULL)", Stage::Snapped, {}, [](Ctx &c) { return c.p()->BackupComplete(NULL); }, E_INVALIDARG, "§15 common"},
        {"BackupComplete before DoSnapshotSet", Stage::Prepared, {}, [](Ctx &c) { return startAndDrop(c, &IVssBackupComponents::BackupComplete); }, VSS_E_BAD_STATE, "§15 BackupComplete"},
        {"BackupComplete after a failed DoSnapshotSet", Stage::SnapFailed, {}, [](Ctx &c) { return startAndDrop(c, &IVssBackupComponents::BackupComplete); }, VSS_E_BAD_STATE, "§15 BackupComplete, §2 step 16"},
        {"BackupComplete after AbortBackup", Stage::Aborted, {}, [](Ctx &c) { return startAndDrop(c, &IVssBackupComponents::BackupComplete); }, VSS_E_BAD_STATE, "§9"},
        {"BackupComplete twice", Stage::Completed, {}, [](Ctx &c) { return startAndDrop(c, &IVssBackupComponents::BackupComplete); }, VSS_E_BAD_STATE, "§15 BackupComplete"},
        {"BackupComplete, asynchronous VSS_E_UNEXPECTED_WRITER_ERROR", Stage::Snapped, [](Sim &s) { s.callFault("BackupComplete", VSS_E_UNEXPECTED_WRITER_ERROR, true); }, [](Ctx &c) { return c.r->run(&IVssBackupComponents::BackupComplete); }, VSS_E_UNEXPECTED_WRITER_ERROR, "§14, R8"},
        {"AbortBackup, not initialised", Stage::New, {}, [](Ctx &c) { return c.p()->AbortBackup(); }, VSS_E_BAD_STATE, "§15 AbortBackup"},
        {"AbortBackup, nothing in progress", Stage::InitB, {}, [](Ctx &c) { return c.p()->AbortBackup(); }, S_OK, "§2 abort path"},
        {"AbortBackup after a failed DoSnapshotSet", Stage::SnapFailed, {}, [](Ctx &c) { return c.p()->AbortBackup(); }, S_OK, "§2 abort path"},
        {"AbortBackup twice", Stage::Aborted, {}, [](Ctx &c) { return c.p()->AbortBackup(); }, S_OK, "§9"},
        {"AbortBackup while PrepareForBackup runs", Stage::PreparePending, {}, [](Ctx &c) { return c.p()->AbortBackup(); }, S_OK, "§15 AbortBackup, D13"},
        {"AbortBackup on a restore object", Stage::InitR, {}, [](Ctx &c) { return c.p()->AbortBackup(); }, VSS_E_BAD_STATE, "§2, §9"},

        // ---- §15: BCD and restore ----
        {"GetWriterComponentsCount, not initialised", Stage::New, {}, [](Ctx &c) { UINT n; return c.p()->GetWriterComponentsCount(&n); }, VSS_E_BAD_STATE, "§15 GetWriterComponentsCount"},
        {"GetWriterComponentsCount, backup before GatherWriterMetadata", Stage::InitB, {}, [](Ctx &c) { UINT n; return c.p()->GetWriterComponentsCount(&n); }, VSS_E_BAD_STATE, "§15 GetWriterComponentsCount"},
        {"GetWriterComponentsCount(NULL)", Stage::Selected, {}, [](Ctx &c) { return c.p()->GetWriterComponentsCount(NULL); }, E_INVALIDARG, "§15 common"},
        {"GetWriterComponentsCount, restore before GatherWriterMetadata", Stage::InitR, {}, [](Ctx &c) { UINT n = 0; HRESULT hr = c.p()->GetWriterComponentsCount(&n); CHECK(n == kSelectedCount); return hr; }, S_OK, "§3 step 6"},
        {"GetWriterComponents, index == count", Stage::Selected, {}, [](Ctx &c) { IVssWriterComponentsExt *w = NULL; return c.p()->GetWriterComponents(kSelectedCount, &w); }, VSS_E_OBJECT_NOT_FOUND, "§15 GetWriterComponents"},
        {"GetWriterComponents(NULL)", Stage::Selected, {}, [](Ctx &c) { return c.p()->GetWriterComponents(0, NULL); }, E_INVALIDARG, "§15 common"},
        {"GetWriterComponents while PrepareForBackup runs", Stage::PreparePending, {}, [](Ctx &c) { IVssWriterComponentsExt *w = NULL; return c.p()->GetWriterComponents(0, &w); }, VSS_E_BAD_STATE, "§15 common"},
        {"SetSelectedForRestore on a backup object", Stage::Selected, {}, [](Ctx &c) { return selectFirstForRestore(c); }, VSS_E_BAD_STATE, "§15 SetSelectedForRestore"},
        {"SetSelectedForRestore(name NULL)", Stage::MetaR, {}, [](Ctx &c) { return c.p()->SetSelectedForRestore(c.component().writerId, VSS_CT_FILEGROUP, NULL, NULL, true); }, E_INVALIDARG, "§15 common"},
        {"SetSelectedForRestore, unknown component", Stage::MetaR, {}, [](Ctx &c) { return c.p()->SetSelectedForRestore(c.component().writerId, VSS_CT_FILEGROUP, NULL, L"No Such Component", true); }, VSS_E_OBJECT_NOT_FOUND, "§15 SetSelectedForRestore"},
        {"SetSelectedForRestore, writer not running", Stage::MetaR, {}, [](Ctx &c) { return c.p()->SetSelectedForRestore(kUnknownId, VSS_CT_FILEGROUP, NULL, L"TasksStore", true); }, VSS_E_OBJECT_NOT_FOUND, "§1.3, §15"},
        {"SetSelectedForRestore after PreRestore", Stage::PreRestored, {}, [](Ctx &c) { return selectFirstForRestore(c); }, VSS_E_BAD_STATE, "§15 SetSelectedForRestore"},
        {"SetSelectedForRestore before GatherWriterMetadata", Stage::InitR, {},
         [](Ctx &c) { return c.p()->SetSelectedForRestore(c.sim.writer(0).identity.classId, VSS_CT_FILEGROUP, NULL, L"TasksStore", true); }, VSS_E_BAD_STATE, "§15 SetSelectedForRestore"},
        {"SetFileRestoreStatus before PreRestore", Stage::MetaR, {}, fileRestoreStatus, VSS_E_BAD_STATE, "§15 SetFileRestoreStatus"},
        {"SetFileRestoreStatus after PreRestore", Stage::PreRestored, {}, fileRestoreStatus, S_OK, "§3 step 9"},
        {"SetFileRestoreStatus after PostRestore", Stage::PostRestored, {}, fileRestoreStatus, VSS_E_BAD_STATE, "§15 SetFileRestoreStatus"},
        {"PreRestore(NULL)", Stage::MetaR, {}, [](Ctx &c) { return c.p()->PreRestore(NULL); }, E_INVALIDARG, "§15 common"},
        {"PreRestore on a backup object", Stage::Meta, {}, [](Ctx &c) { return startAndDrop(c, &IVssBackupComponents::PreRestore); }, VSS_E_BAD_STATE, "§15 PreRestore"},
        {"PreRestore before GatherWriterMetadata", Stage::InitR, {}, [](Ctx &c) { return startAndDrop(c, &IVssBackupComponents::PreRestore); }, VSS_E_BAD_STATE, "§15 PreRestore"},
        {"PreRestore twice", Stage::PreRestored, {}, [](Ctx &c) { return startAndDrop(c, &IVssBackupComponents::PreRestore); }, VSS_E_BAD_STATE, "§15 PreRestore"},
        {"PostRestore before PreRestore", Stage::MetaR, {}, [](Ctx &c) { return startAndDrop(c, &IVssBackupComponents::PostRestore); }, VSS_E_BAD_STATE, "§15 PostRestore"},
        {"PostRestore twice", Stage::PostRestored, {}, [](Ctx &c) { return startAndDrop(c, &IVssBackupComponents::PostRestore); }, VSS_E_BAD_STATE, "§15 PostRestore"},

        // ---- IVssAsync access errors (§14) ----
        {"IVssAsync::Wait, injected E_ACCESSDENIED", Stage::InitB, [](Sim &s) { s.callFault("IVssAsync::Wait", E_ACCESSDENIED); },
         [](Ctx &c) { IVssAsync *a = NULL; c.p()->GatherWriterMetadata(&a); HRESULT hr = a->Wait(); a->Release(); return hr; }, E_ACCESSDENIED, "§14, R17"},
        {"IVssAsync::QueryStatus, injected VSS_E_UNEXPECTED", Stage::InitB, [](Sim &s) { s.callFault("IVssAsync::QueryStatus", VSS_E_UNEXPECTED); },
         [](Ctx &c) { IVssAsync *a = NULL; c.p()->GatherWriterMetadata(&a); HRESULT st; HRESULT hr = a->QueryStatus(&st, NULL); a->Release(); return hr; }, VSS_E_UNEXPECTED, "§14, R17"},
        {"IVssAsync::QueryStatus(NULL)", Stage::InitB, {},
         [](Ctx &c) { IVssAsync *a = NULL; c.p()->GatherWriterMetadata(&a); HRESULT hr = a->QueryStatus(NULL, NULL); a->Release(); return hr; }, E_INVALIDARG, "§14"},
        {"IVssAsync::QueryInterface(IID_IVssBackupComponents)", Stage::InitB, {},
         [](Ctx &c) { IVssAsync *a = NULL; c.p()->GatherWriterMetadata(&a); void *pv = NULL; HRESULT hr = a->QueryInterface(IID_IVssBackupComponents, &pv); a->Release(); return hr; }, E_NOINTERFACE, "docs/api.md §1.5"},

        // ---- R19: out of scope ----
        {"ImportSnapshots", Stage::InitB, {}, [](Ctx &c) { IVssAsync *a = NULL; return c.p()->ImportSnapshots(&a); }, E_NOTIMPL, "§8, R19"},
        {"BreakSnapshotSet", Stage::InitB, {}, [](Ctx &c) { return c.p()->BreakSnapshotSet(kUnknownId); }, E_NOTIMPL, "§8, R19"},
        {"SetRangesFilePath", Stage::InitB, {}, [](Ctx &c) { return c.p()->SetRangesFilePath(kUnknownId, VSS_CT_FILEGROUP, NULL, L"x", 0, L"r"); }, E_NOTIMPL, "§8, R19"},
        {"ExposeSnapshot", Stage::InitB, {}, [](Ctx &c) { VSS_PWSZ out = NULL; return c.p()->ExposeSnapshot(kUnknownId, NULL, VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY, NULL, &out); }, E_NOTIMPL, "§8, R19"},
        {"RevertToSnapshot", Stage::InitB, {}, [](Ctx &c) { return c.p()->RevertToSnapshot(kUnknownId, TRUE); }, E_NOTIMPL, "§8, R19"},
        {"QueryRevertStatus", Stage::InitB, {}, [](Ctx &c) { IVssAsync *a = NULL; return c.p()->QueryRevertStatus(const_cast<VSS_PWSZ>(L"C:\\"), &a); }, E_NOTIMPL, "§8, R19"},
        {"UnexposeSnapshot", Stage::InitB, {}, [](Ctx &c) { IVssBackupComponentsEx2 *ex = NULL; c.p()->QueryInterface(&ex); HRESULT hr = ex->UnexposeSnapshot(kUnknownId); ex->Release(); return hr; }, E_NOTIMPL, "§8, R19"},
        {"BreakSnapshotSetEx", Stage::InitB, {}, [](Ctx &c) { IVssAsync *a = NULL; return c.ex3()->BreakSnapshotSetEx(kUnknownId, 0, &a); }, E_NOTIMPL, "§8, R19"},
        {"PreFastRecovery", Stage::InitB, {}, [](Ctx &c) { IVssAsync *a = NULL; return c.ex3()->PreFastRecovery(kUnknownId, 0, &a); }, E_NOTIMPL, "§8, R19"},
        {"FastRecovery", Stage::InitB, {}, [](Ctx &c) { IVssAsync *a = NULL; return c.ex3()->FastRecovery(kUnknownId, 0, &a); }, E_NOTIMPL, "§8, R19"},
        {"AddSnapshotToRecoverySet", Stage::InitB, {}, [](Ctx &c) { return c.ex3()->AddSnapshotToRecoverySet(kUnknownId, 0); }, E_NOTIMPL, "§8, R19"},
        {"RecoverSet", Stage::InitB, {}, [](Ctx &c) { IVssAsync *a = NULL; return c.ex3()->RecoverSet(0, &a); }, E_NOTIMPL, "§8, R19"},
        {"Query for one snapshot set", Stage::InitB, {}, [](Ctx &c) { IVssEnumObject *e = NULL; return c.p()->Query(kUnknownId, VSS_OBJECT_SNAPSHOT_SET, VSS_OBJECT_SNAPSHOT, &e); }, E_NOTIMPL, "§8 Query"},
        {"GetRootAndLogicalPrefixPaths(UNC)", Stage::InitB, {},
         [](Ctx &c) { IVssBackupComponentsEx4 *ex4 = NULL; c.p()->QueryInterface(&ex4); VSS_PWSZ root = NULL, prefix = NULL;
                      HRESULT hr = ex4->GetRootAndLogicalPrefixPaths(const_cast<VSS_PWSZ>(L"\\\\server\\share\\dir"), &root, &prefix); ex4->Release(); return hr; }, E_NOTIMPL, "§8"},
        {"GetProviderMgmtInterface", Stage::New, {}, [](Ctx &) { IUnknown *u = NULL; return GetProviderMgmtInterface(GUID_NULL, IID_IUnknown, &u); }, E_NOTIMPL, "docs/api.md §6, R19"},
        {"ShouldBlockRevert", Stage::New, {}, [](Ctx &) { bool b = false; return ShouldBlockRevert(L"C:\\", &b); }, E_NOTIMPL, "docs/api.md §6, R19"},
        {"CreateVssExpressWriter", Stage::New, {}, [](Ctx &) { IVssExpressWriter *w = NULL; return CreateVssExpressWriter(&w); }, E_NOTIMPL, "docs/api.md §6, R19"},

        // ---- SHOULD methods ----
        {"IsVolumeSupported(C:\\)", Stage::InitB, {}, [](Ctx &c) { BOOL b = FALSE; HRESULT hr = c.p()->IsVolumeSupported(GUID_NULL, const_cast<VSS_PWSZ>(L"C:\\"), &b); CHECK(b == TRUE); return hr; }, S_OK, "§8 IsVolumeSupported"},
        {"IsVolumeSupported, unsupported volume", Stage::InitB, [](Sim &s) { s.svc->volumes()[1].supportFault = VSS_E_VOLUME_NOT_SUPPORTED; },
         [](Ctx &c) { BOOL b = TRUE; HRESULT hr = c.p()->IsVolumeSupported(GUID_NULL, const_cast<VSS_PWSZ>(L"D:\\"), &b); CHECK(b == FALSE); return hr; }, S_OK, "§16 provider faults"},
        {"IsVolumeSupported, unknown volume", Stage::InitB, {}, [](Ctx &c) { BOOL b; return c.p()->IsVolumeSupported(GUID_NULL, const_cast<VSS_PWSZ>(L"Q:\\"), &b); }, VSS_E_OBJECT_NOT_FOUND, "§10.4"},
        {"IsVolumeSupported, unknown provider", Stage::InitB, {}, [](Ctx &c) { BOOL b; return c.p()->IsVolumeSupported(kUnknownId, const_cast<VSS_PWSZ>(L"C:\\"), &b); }, VSS_E_PROVIDER_NOT_REGISTERED, "§15"},
        {"IsVolumeSnapshotted(NULL)", Stage::New, {}, [](Ctx &) { BOOL b; LONG l; return IsVolumeSnapshotted(NULL, &b, &l); }, E_INVALIDARG, "docs/api.md §6"},
    };
    runRows(rows);
}

TEST_CASE("AddToSnapshotSet: the 65th volume of a set is refused")
{
    Sim sim;
    INFO("seed=", sim.seed);
    for (int i = 0; i < 62; ++i) {
        vsssim::Volume v;
        v.name = L"C:\\Mount\\" + std::to_wstring(i) + L"\\";
        v.guidPath = L"\\\\?\\Volume{00000000-0000-0000-0000-" + std::to_wstring(100000000000 + i) + L"}\\";
        sim.svc->volumes().push_back(v);
    }
    REQUIRE(sim.svc->volumes().size() == 65);
    Ctx c(sim);
    c.drive(Stage::SetStarted);
    for (std::size_t i = 0; i < 64; ++i) {
        INFO("volume ", i);
        CHECK(Hr{addVolume(c, sim.svc->volumes()[i].name.c_str())} == Hr{S_OK});
    }
    CHECK(Hr{addVolume(c, sim.svc->volumes()[64].name.c_str())} == Hr{VSS_E_MAXIMUM_NUMBER_OF_VOLUMES_REACHED});
    CHECK(Hr{c.p()->AbortBackup()} == Hr{S_OK});
}


TEST_CASE("a normal component-mode backup: STABLE, then [5] after DoSnapshotSet, then STABLE after BackupComplete")
{
    Sim sim;
    INFO("seed=", sim.seed);
    Requester r;
    REQUIRE(Hr{r.created} == Hr{S_OK});
    CHECK(Hr{r.initBackup()} == Hr{S_OK});
    CHECK(Hr{r.run(&IVssBackupComponents::GatherWriterMetadata)} == Hr{VSS_S_ASYNC_FINISHED});
    UINT cWriters = 0;
    CHECK(Hr{r.p->GetWriterMetadataCount(&cWriters)} == Hr{S_OK});
    CHECK(cWriters == kWriterCount);
    CHECK(Hr{r.selectAll()} == Hr{S_OK});
    CHECK(r.components.size() == kComponentCount);
    CHECK(Hr{r.p->StartSnapshotSet(&r.setId)} == Hr{S_OK});
    CHECK(Hr{r.p->AddToSnapshotSet(const_cast<VSS_PWSZ>(L"C:\\"), GUID_NULL, &r.snapshotC)} == Hr{S_OK});
    CHECK(Hr{r.run(&IVssBackupComponents::PrepareForBackup)} == Hr{VSS_S_ASYNC_FINISHED});

    auto afterPrepare = r.statuses();
    REQUIRE(afterPrepare.size() == kWriterCount);
    for (const Status &s : afterPrepare) {
        INFO("writer ", std::string(s.name.begin(), s.name.end()));
        CHECK(s.state == VSS_WS_STABLE);
        CHECK(Hr{s.failure} == Hr{S_OK});
        CHECK(Hr{s.application} == Hr{S_OK});
        CHECK_FALSE(s.hasMessage);
    }
    // R3: status order is subscription order, the same writers as the metadata list.
    for (std::size_t i = 0; i < afterPrepare.size(); ++i)
        CHECK(afterPrepare[i].instanceId == sim.instanceOf(i));

    CHECK(Hr{r.run(&IVssBackupComponents::DoSnapshotSet)} == Hr{VSS_S_ASYNC_FINISHED});
    auto afterSnapshot = r.statuses();
    REQUIRE(afterSnapshot.size() == kWriterCount);
    for (std::size_t i = 0; i < afterSnapshot.size(); ++i) {
        INFO("writer ", sim.writer(i).identity.name);
        // Selected or not (MSSearch and Shadow Copy Optimization declare no component), every
        // listed writer took part (docs/behaviour.md §1.3).
        CHECK(afterSnapshot[i].state == VSS_WS_WAITING_FOR_BACKUP_COMPLETE);
        CHECK(Hr{afterSnapshot[i].failure} == Hr{S_OK});
    }

    BSTR bstrXML = NULL;
    CHECK(Hr{r.p->SaveAsXML(&bstrXML)} == Hr{S_OK});
    CHECK(SysStringLen(bstrXML) > 0);
    SysFreeString(bstrXML);
    VSS_ID idSession = GUID_NULL;
    CHECK(Hr{r.ex3->GetSessionId(&idSession)} == Hr{S_OK});
    CHECK(idSession != GUID_NULL);

    CHECK(Hr{r.markAllSucceeded()} == Hr{S_OK});
    CHECK(Hr{r.run(&IVssBackupComponents::BackupComplete)} == Hr{VSS_S_ASYNC_FINISHED});
    auto afterComplete = r.statuses();
    REQUIRE(afterComplete.size() == kWriterCount);
    for (const Status &s : afterComplete) {
        INFO("writer ", std::string(s.name.begin(), s.name.end()));
        CHECK(s.state == VSS_WS_STABLE);
        CHECK(Hr{s.failure} == Hr{S_OK});
    }
    r.release();
    std::string mistakes;
    for (const auto &m : sim.svc->mistakes())
        mistakes += m.id + " " + m.detail + "; ";
    INFO("mistakes: ", mistakes);
    CHECK(sim.svc->mistakes().empty());
}

TEST_CASE("component mode without AddComponent: every listed writer still receives the backup events (bareos#1923)")
{
    // Bareos calls SetBackupState(true, ...) and never AddComponent; on a machine where MSSearch
    // Service Writer and Shadow Copy Optimization Writer veto, they end FAILED_AT_PREPARE_BACKUP
    // (https://github.com/bareos/bareos/issues/1923, docs/behaviour.md §1.3 corrected).
    Sim sim;
    INFO("seed=", sim.seed);
    constexpr std::size_t kShadowCopyOptimization = 6;
    sim.fault(kMSSearch, failAt(Input::PrepareForBackup, S_OK));
    sim.fault(kShadowCopyOptimization, failAt(Input::PrepareForBackup, S_OK));
    Requester r;
    REQUIRE(Hr{r.created} == Hr{S_OK});
    CHECK(Hr{r.initBackup()} == Hr{S_OK});
    CHECK(Hr{r.run(&IVssBackupComponents::GatherWriterMetadata)} == Hr{VSS_S_ASYNC_FINISHED});
    CHECK(Hr{r.p->StartSnapshotSet(&r.setId)} == Hr{S_OK});
    CHECK(Hr{r.p->AddToSnapshotSet(const_cast<VSS_PWSZ>(L"C:\\"), GUID_NULL, &r.snapshotC)} == Hr{S_OK});
    CHECK(Hr{r.run(&IVssBackupComponents::PrepareForBackup)} == Hr{VSS_S_ASYNC_FINISHED});
    UINT cComponents = 99;
    CHECK(Hr{r.p->GetWriterComponentsCount(&cComponents)} == Hr{S_OK});
    CHECK(cComponents == 0);

    auto prepared = r.statuses();
    REQUIRE(prepared.size() == kWriterCount);
    for (std::size_t i = 0; i < kWriterCount; ++i) {
        INFO("writer ", sim.writer(i).identity.name);
        const bool vetoed = i == kMSSearch || i == kShadowCopyOptimization;
        const Status s = entry(prepared, sim, i);
        CHECK(s.state == (vetoed ? VSS_WS_FAILED_AT_PREPARE_BACKUP : VSS_WS_STABLE));
        CHECK(Hr{s.failure} == Hr{vetoed ? VSS_E_WRITERERROR_NONRETRYABLE : S_OK});
    }

    // A PrepareForBackup veto aborts nothing (R5): the others freeze and reach [5].
    CHECK(Hr{r.run(&IVssBackupComponents::DoSnapshotSet)} == Hr{VSS_S_ASYNC_FINISHED});
    auto snapped = r.statuses();
    for (std::size_t i = 0; i < kWriterCount; ++i) {
        INFO("writer ", sim.writer(i).identity.name);
        const bool vetoed = i == kMSSearch || i == kShadowCopyOptimization;
        CHECK(entry(snapped, sim, i).state == (vetoed ? VSS_WS_FAILED_AT_PREPARE_BACKUP : VSS_WS_WAITING_FOR_BACKUP_COMPLETE));
    }
    CHECK(Hr{r.run(&IVssBackupComponents::BackupComplete)} == Hr{VSS_S_ASYNC_FINISHED});
    auto completed = r.statuses();
    CHECK(entry(completed, sim, kSystemWriter).state == VSS_WS_STABLE);
    CHECK(entry(completed, sim, kMSSearch).state == VSS_WS_FAILED_AT_PREPARE_BACKUP);
}

TEST_CASE("every FAILED_AT_* state of a backup, with its code and the DoSnapshotSet result")
{
    struct Case {
        const char *what;
        vsssim::EventFault fault;
        HRESULT snapshot;                // DoSnapshotSet's asynchronous result
        VSS_WRITER_STATE failedState;    // the faulted writer, at the end
        HRESULT failedCode;
        VSS_WRITER_STATE others;         // every other selected writer, at the end
        HRESULT othersCode;
        bool complete;                   // run BackupComplete (only after a successful DoSnapshotSet)
    };
    vsssim::EventFault hangAtFreeze = failAt(Input::Freeze, S_OK);
    hangAtFreeze.fail = false;
    hangAtFreeze.hang = true;
    const Case cases[] = {
        {"PrepareForBackup veto (P2)", failAt(Input::PrepareForBackup, VSS_E_WRITERERROR_RETRYABLE), VSS_S_ASYNC_FINISHED,
         VSS_WS_FAILED_AT_PREPARE_BACKUP, VSS_E_WRITERERROR_RETRYABLE, VSS_WS_WAITING_FOR_BACKUP_COMPLETE, S_OK, false},
        {"PrepareForSnapshot veto (S2): no Abort", failAt(Input::PrepareForSnapshot, VSS_E_WRITERERROR_NONRETRYABLE),
         VSS_S_ASYNC_FINISHED, VSS_WS_FAILED_AT_PREPARE_SNAPSHOT, VSS_E_WRITERERROR_NONRETRYABLE,
         VSS_WS_WAITING_FOR_BACKUP_COMPLETE, S_OK, false},
        {"Freeze veto, bare false (F2): Abort", failAt(Input::Freeze, S_OK), VSS_E_UNEXPECTED_WRITER_ERROR,
         VSS_WS_FAILED_AT_FREEZE, VSS_E_WRITERERROR_NONRETRYABLE, VSS_WS_STABLE, S_OK, false},
        {"Freeze non-fatal (F3): no Abort", failAt(Input::Freeze, VSS_E_WRITERERROR_RETRYABLE, false), VSS_S_ASYNC_FINISHED,
         VSS_WS_FAILED_AT_FREEZE, VSS_E_WRITERERROR_RETRYABLE, VSS_WS_WAITING_FOR_BACKUP_COMPLETE, S_OK, false},
        // The phase waits 180 s for the hung handler, so every frozen writer's 60 s window expires.
        {"Freeze hang: the freeze windows expire first (F4, R7, §5 precedence)", hangAtFreeze,
         VSS_E_UNEXPECTED_WRITER_ERROR, VSS_WS_FAILED_AT_FREEZE, VSS_E_WRITERERROR_TIMEOUT, VSS_WS_FAILED_AT_FREEZE,
         VSS_E_WRITERERROR_TIMEOUT, false},
        {"Thaw veto (T2): Abort", failAt(Input::Thaw, VSS_E_WRITERERROR_TIMEOUT), VSS_E_UNEXPECTED_WRITER_ERROR,
         VSS_WS_FAILED_AT_THAW, VSS_E_WRITERERROR_TIMEOUT, VSS_WS_STABLE, S_OK, false},
        {"PostSnapshot failure (Q2): no Abort", failAt(Input::PostSnapshot, VSS_E_WRITERERROR_OUTOFRESOURCES, false),
         VSS_S_ASYNC_FINISHED, VSS_WS_FAILED_AT_POST_SNAPSHOT, VSS_E_WRITERERROR_OUTOFRESOURCES,
         VSS_WS_WAITING_FOR_BACKUP_COMPLETE, S_OK, false},
        {"BackupComplete veto (C2)", failAt(Input::BackupComplete, VSS_E_WRITERERROR_RETRYABLE), VSS_S_ASYNC_FINISHED,
         VSS_WS_FAILED_AT_BACKUP_COMPLETE, VSS_E_WRITERERROR_RETRYABLE, VSS_WS_STABLE, S_OK, true},
    };
    for (const Case &k : cases) {
        Sim sim;
        INFO("case: ", std::string(k.what), " seed=", sim.seed);
        sim.fault(kRegistry, k.fault);
        Ctx c(sim);
        c.drive(Stage::Prepared);
        HRESULT gathered = E_FAIL;
        auto prepared = c.r->statuses(&gathered);
        REQUIRE(Hr{gathered} == Hr{VSS_S_ASYNC_FINISHED});
        if (k.fault.event == Input::PrepareForBackup)
            CHECK(entry(prepared, sim, kRegistry).state == VSS_WS_FAILED_AT_PREPARE_BACKUP);
        else
            CHECK(entry(prepared, sim, kRegistry).state == VSS_WS_STABLE);

        CHECK(Hr{c.r->run(&IVssBackupComponents::DoSnapshotSet)} == Hr{k.snapshot});
        if (k.complete) {
            CHECK(Hr{c.r->markAllSucceeded()} == Hr{S_OK});
            CHECK(Hr{c.r->run(&IVssBackupComponents::BackupComplete)} == Hr{VSS_S_ASYNC_FINISHED});
        } else if (FAILED(k.snapshot)) {
            // §17: after a failed DoSnapshotSet the requester aborts and never completes.
            CHECK(Hr{c.p()->AbortBackup()} == Hr{S_OK});
            CHECK(Hr{startAndDrop(c, &IVssBackupComponents::BackupComplete)} == Hr{VSS_E_BAD_STATE});
        }
        auto end = c.r->statuses();
        const Status failed = entry(end, sim, kRegistry);
        CHECK(failed.state == k.failedState);
        CHECK(Hr{failed.failure} == Hr{k.failedCode});
        const Status other = entry(end, sim, kSystemWriter);
        CHECK(other.state == k.others);
        CHECK(Hr{other.failure} == Hr{k.othersCode});
        // Not selected, yet part of the sequence like every other writer (§1.3).
        CHECK(entry(end, sim, kMSSearch).state == k.others);
        CHECK(Hr{entry(end, sim, kMSSearch).failure} == Hr{k.othersCode});
    }
}

TEST_CASE("R15: the writer's application code and message reach GetWriterStatusEx as fresh BSTRs")
{
    struct Case {
        const char *what;
        HRESULT hrWriter;
        std::optional<HRESULT> hrApplication;
        std::optional<std::wstring> message;
        VSS_WRITER_STATE state;
        HRESULT failure;
        HRESULT application;
    };
    const Case cases[] = {
        {"code, application code and message", VSS_E_WRITERERROR_RETRYABLE, static_cast<HRESULT>(0x8007000E),
         std::wstring(L"the database is busy"), VSS_WS_FAILED_AT_PREPARE_BACKUP, VSS_E_WRITERERROR_RETRYABLE,
         static_cast<HRESULT>(0x8007000E)},
        {"empty message: a zero-length BSTR", VSS_E_WRITERERROR_NONRETRYABLE, static_cast<HRESULT>(0x80004005),
         std::wstring(), VSS_WS_FAILED_AT_PREPARE_BACKUP, VSS_E_WRITERERROR_NONRETRYABLE, static_cast<HRESULT>(0x80004005)},
        {"no message: NULL", VSS_E_WRITERERROR_OUTOFRESOURCES, static_cast<HRESULT>(0x80070070), std::nullopt,
         VSS_WS_FAILED_AT_PREPARE_BACKUP, VSS_E_WRITERERROR_OUTOFRESOURCES, static_cast<HRESULT>(0x80070070)},
        {"application code only (D5): state unchanged", S_OK, static_cast<HRESULT>(0x00000001),
         std::wstring(L"informational"), VSS_WS_STABLE, S_OK, static_cast<HRESULT>(0x00000001)},
    };
    for (const Case &k : cases) {
        Sim sim;
        INFO("case: ", std::string(k.what), " seed=", sim.seed);
        vsssim::EventFault f = failAt(Input::PrepareForBackup, k.hrWriter, /*veto=*/false);
        f.hrApplication = k.hrApplication;
        f.message = k.message;
        sim.fault(kSystemWriter, f);
        Ctx c(sim);
        c.drive(Stage::Prepared);
        REQUIRE(Hr{c.r->run(&IVssBackupComponents::GatherWriterStatus)} == Hr{VSS_S_ASYNC_FINISHED});
        UINT index = UINT_MAX;
        for (UINT i = 0; i < kWriterCount; ++i) {
            VSS_ID idInstance, idWriter;
            BSTR bstrName = NULL;
            VSS_WRITER_STATE state;
            HRESULT failure;
            REQUIRE(Hr{c.p()->GetWriterStatus(i, &idInstance, &idWriter, &bstrName, &state, &failure)} == Hr{S_OK});
            SysFreeString(bstrName);
            if (idInstance == sim.instanceOf(kSystemWriter)) {
                index = i;
                CHECK(state == k.state);
                CHECK(Hr{failure} == Hr{k.failure});
            }
        }
        REQUIRE(index != UINT_MAX);
        VSS_ID idInstance, idWriter;
        BSTR bstrName = NULL, bstrMessage = reinterpret_cast<BSTR>(1);
        VSS_WRITER_STATE state;
        HRESULT failure = E_FAIL, application = E_FAIL;
        REQUIRE(Hr{c.ex3()->GetWriterStatusEx(index, &idInstance, &idWriter, &bstrName, &state, &failure, &application,
                                              &bstrMessage)} == Hr{S_OK});
        CHECK(fromBstr(bstrName) == L"System Writer");
        CHECK(idWriter == sim.writer(kSystemWriter).identity.classId);
        CHECK(state == k.state);
        CHECK(Hr{failure} == Hr{k.failure});
        CHECK(Hr{application} == Hr{k.application});
        if (k.message) {
            REQUIRE(bstrMessage != nullptr);
            CHECK(SysStringLen(bstrMessage) == k.message->size());
            CHECK(fromBstr(bstrMessage) == *k.message);
        } else {
            CHECK(bstrMessage == nullptr);
        }
        SysFreeString(bstrName);
        SysFreeString(bstrMessage);
        // The held list stays valid for a second read; the first caller's strings were its own.
        REQUIRE(Hr{c.ex3()->GetWriterStatusEx(index, &idInstance, &idWriter, &bstrName, &state, &failure)} == Hr{S_OK});
        SysFreeString(bstrName);
        CHECK(Hr{c.p()->FreeWriterStatus()} == Hr{S_OK});
    }
}

TEST_CASE("§13.3 and §13.4: a rejected GetWriterStatus(Ex) writes nothing and allocates nothing")
{
    Sim sim;
    INFO("seed=", sim.seed);
    Ctx c(sim);
    c.drive(Stage::StatusHeld);
    const BSTR kNameSentinel = reinterpret_cast<BSTR>(0x10);
    const BSTR kMessageSentinel = reinterpret_cast<BSTR>(0x20);
    VSS_ID idInstance = kUnknownId, idWriter = kUnknownId;
    BSTR bstrName = kNameSentinel, bstrMessage = kMessageSentinel;
    VSS_WRITER_STATE state = VSS_WS_COUNT;
    HRESULT failure = 0x1234, application = 0x5678;
    auto untouched = [&] {
        CHECK(idInstance == kUnknownId);
        CHECK(idWriter == kUnknownId);
        CHECK(bstrName == kNameSentinel);
        CHECK(bstrMessage == kMessageSentinel);
        CHECK(state == VSS_WS_COUNT);
        CHECK(failure == 0x1234);
        CHECK(application == 0x5678);
    };
    CHECK(Hr{c.ex3()->GetWriterStatusEx(0, &idInstance, &idWriter, &bstrName, &state, NULL, &application, &bstrMessage)} ==
          Hr{E_INVALIDARG});
    untouched();
    CHECK(Hr{c.p()->GetWriterStatus(0, &idInstance, &idWriter, &bstrName, NULL, &failure)} == Hr{E_INVALIDARG});
    untouched();
    CHECK(Hr{c.ex3()->GetWriterStatusEx(kWriterCount, &idInstance, &idWriter, &bstrName, &state, &failure, &application,
                                        &bstrMessage)} == Hr{VSS_E_OBJECT_NOT_FOUND});
    untouched();
    sim.callFault("GetWriterStatusEx", E_OUTOFMEMORY, false, /*occurrence=*/1);
    CHECK(Hr{c.ex3()->GetWriterStatusEx(0, &idInstance, &idWriter, &bstrName, &state, &failure, &application,
                                        &bstrMessage)} == Hr{E_OUTOFMEMORY});
    untouched();
    // The fault was for one call only: the next one succeeds.
    CHECK(Hr{c.ex3()->GetWriterStatusEx(0, &idInstance, &idWriter, &bstrName, &state, &failure, &application,
                                        &bstrMessage)} == Hr{S_OK});
    CHECK(idInstance == sim.instanceOf(0));
    CHECK(bstrMessage == nullptr);
    SysFreeString(bstrName);
}

TEST_CASE("partial failure: PARTIAL_FAILURE in the status, the component's failure through IVssComponentEx2::GetFailure")
{
    Sim sim;
    INFO("seed=", sim.seed);
    vsssim::EventFault f = failAt(Input::PostSnapshot, VSS_E_WRITERERROR_PARTIAL_FAILURE, /*veto=*/false);
    f.componentFailures.push_back({L"TasksStore", vsssim::Failure{VSS_E_WRITERERROR_RETRYABLE,
                                                                   static_cast<HRESULT>(0x80070020),
                                                                   std::wstring(L"a task file is locked")}});
    sim.fault(kTaskScheduler, f);
    Ctx c(sim);
    c.drive(Stage::Snapped);

    auto list = c.r->statuses();
    const Status s = entry(list, sim, kTaskScheduler);
    CHECK(s.state == VSS_WS_FAILED_AT_POST_SNAPSHOT);
    CHECK(Hr{s.failure} == Hr{VSS_E_WRITERERROR_PARTIAL_FAILURE});
    // R16: the legacy method passes PARTIAL_FAILURE through unchanged.
    REQUIRE(Hr{c.r->run(&IVssBackupComponents::GatherWriterStatus)} == Hr{VSS_S_ASYNC_FINISHED});
    {
        VSS_ID idInstance, idWriter;
        BSTR bstrName = NULL;
        VSS_WRITER_STATE state;
        HRESULT failure = S_OK;
        REQUIRE(Hr{c.p()->GetWriterStatus(kTaskScheduler, &idInstance, &idWriter, &bstrName, &state, &failure)} == Hr{S_OK});
        SysFreeString(bstrName);
        CHECK(idInstance == sim.instanceOf(kTaskScheduler));
        CHECK(Hr{failure} == Hr{VSS_E_WRITERERROR_PARTIAL_FAILURE});
    }

    UINT cWriters = 0;
    REQUIRE(Hr{c.p()->GetWriterComponentsCount(&cWriters)} == Hr{S_OK});
    CHECK(cWriters == kSelectedCount);
    bool found = false;
    for (UINT i = 0; i < cWriters; ++i) {
        IVssWriterComponentsExt *pWriter = NULL;
        REQUIRE(Hr{c.p()->GetWriterComponents(i, &pWriter)} == Hr{S_OK});
        VSS_ID idInstance, idWriter;
        REQUIRE(Hr{pWriter->GetWriterInfo(&idInstance, &idWriter)} == Hr{S_OK});
        UINT cComponents = 0;
        REQUIRE(Hr{pWriter->GetComponentCount(&cComponents)} == Hr{S_OK});
        for (UINT j = 0; j < cComponents; ++j) {
            IVssComponent *pComponent = NULL;
            REQUIRE(Hr{pWriter->GetComponent(j, &pComponent)} == Hr{S_OK});
            IVssComponentEx2 *pComponentEx2 = NULL;
            REQUIRE(Hr{pComponent->QueryInterface(&pComponentEx2)} == Hr{S_OK});
            HRESULT hr = E_FAIL, hrApplication = E_FAIL;
            BSTR bstrMessage = NULL;
            DWORD dwReserved = 1;
            REQUIRE(Hr{pComponentEx2->GetFailure(&hr, &hrApplication, &bstrMessage, &dwReserved)} == Hr{S_OK});
            if (idInstance == sim.instanceOf(kTaskScheduler)) {
                found = true;
                CHECK(Hr{hr} == Hr{VSS_E_WRITERERROR_RETRYABLE});
                CHECK(Hr{hrApplication} == Hr{static_cast<HRESULT>(0x80070020)});
                CHECK(fromBstr(bstrMessage) == L"a task file is locked");
            } else {
                // D8: a component without a failure reads S_OK, S_OK, NULL, 0.
                CHECK(Hr{hr} == Hr{S_OK});
                CHECK(Hr{hrApplication} == Hr{S_OK});
                CHECK(bstrMessage == nullptr);
            }
            CHECK(dwReserved == 0);
            SysFreeString(bstrMessage);
            pComponentEx2->Release();
            pComponent->Release();
        }
        pWriter->Release();
    }
    CHECK(found);
    CHECK(Hr{c.r->markAllSucceeded()} == Hr{S_OK});
    CHECK(Hr{c.r->run(&IVssBackupComponents::BackupComplete)} == Hr{VSS_S_ASYNC_FINISHED});
    c.r->statuses();
}

TEST_CASE("restore: SaveAsXML, InitializeForRestore, selection, PreRestore, SetFileRestoreStatus, PostRestore")
{
    struct Case {
        const char *what;
        std::optional<vsssim::EventFault> fault;
        VSS_WRITER_STATE afterPre;
        VSS_WRITER_STATE afterPost;
        HRESULT code;
    };
    const Case cases[] = {
        {"no fault (RS1, RS3)", std::nullopt, VSS_WS_STABLE, VSS_WS_STABLE, S_OK},
        {"PreRestore veto (RS2): no PostRestore for it", failAt(Input::PreRestore, VSS_E_WRITERERROR_NONRETRYABLE),
         VSS_WS_FAILED_AT_PRE_RESTORE, VSS_WS_FAILED_AT_PRE_RESTORE, VSS_E_WRITERERROR_NONRETRYABLE},
        {"PostRestore failure (RS4)", failAt(Input::PostRestore, VSS_E_WRITERERROR_RETRYABLE, false), VSS_WS_STABLE,
         VSS_WS_FAILED_AT_POST_RESTORE, VSS_E_WRITERERROR_RETRYABLE},
    };
    for (const Case &k : cases) {
        Sim sim;
        INFO("case: ", std::string(k.what), " seed=", sim.seed);
        const std::wstring xml = savedBackupDocument();
        if (k.fault)
            sim.fault(kRegistry, *k.fault);

        Requester r;
        REQUIRE(Hr{r.created} == Hr{S_OK});
        BSTR bstrXML = SysAllocString(xml.c_str());
        CHECK(Hr{r.p->InitializeForRestore(bstrXML)} == Hr{S_OK});
        SysFreeString(bstrXML);
        CHECK(Hr{r.p->SetRestoreState(VSS_RTYPE_BY_COPY)} == Hr{S_OK});
        CHECK(Hr{r.run(&IVssBackupComponents::GatherWriterMetadata)} == Hr{VSS_S_ASYNC_FINISHED});
        CHECK(Hr{selectForRestore(r, kRegistry, &sim)} == Hr{S_OK});
        REQUIRE(r.components.size() == 1);
        CHECK(r.components[0].name == L"Registry");

        CHECK(Hr{r.run(&IVssBackupComponents::PreRestore)} == Hr{VSS_S_ASYNC_FINISHED});
        auto pre = r.statuses();
        CHECK(entry(pre, sim, kRegistry).state == k.afterPre);
        // Not selected for restore: no record, its public status (N2).
        CHECK(entry(pre, sim, kSystemWriter).state == VSS_WS_STABLE);

        // VShadow: after a failed PreRestore, nothing was restored, and PostRestore is still sent.
        const VSS_FILE_RESTORE_STATUS restored = k.afterPre == VSS_WS_STABLE ? VSS_RS_ALL : VSS_RS_NONE;
        const Component &comp = r.components[0];
        CHECK(Hr{r.p->SetFileRestoreStatus(comp.writerId, comp.type, comp.logicalPath.empty() ? NULL : comp.logicalPath.c_str(),
                                           comp.name.c_str(), restored)} == Hr{S_OK});
        CHECK(Hr{r.run(&IVssBackupComponents::PostRestore)} == Hr{VSS_S_ASYNC_FINISHED});
        auto post = r.statuses();
        const Status s = entry(post, sim, kRegistry);
        CHECK(s.state == k.afterPost);
        CHECK(Hr{s.failure} == Hr{k.code});

        // The file restore status is in the BCD for the writer's PostRestore to read.
        IVssWriterComponentsExt *pWriter = NULL;
        UINT cWriters = 0;
        REQUIRE(Hr{r.p->GetWriterComponentsCount(&cWriters)} == Hr{S_OK});
        for (UINT i = 0; i < cWriters; ++i) {
            REQUIRE(Hr{r.p->GetWriterComponents(i, &pWriter)} == Hr{S_OK});
            VSS_ID idInstance, idWriter;
            pWriter->GetWriterInfo(&idInstance, &idWriter);
            if (idWriter == comp.writerId) {
                IVssComponent *pComponent = NULL;
                REQUIRE(Hr{pWriter->GetComponent(0, &pComponent)} == Hr{S_OK});
                VSS_FILE_RESTORE_STATUS status = VSS_RS_UNDEFINED;
                CHECK(Hr{pComponent->GetFileRestoreStatus(&status)} == Hr{S_OK});
                CHECK(status == restored);
                bool selected = false;
                CHECK(Hr{pComponent->IsSelectedForRestore(&selected)} == Hr{S_OK});
                CHECK(selected);
                pComponent->Release();
            }
            pWriter->Release();
        }
    }
}

TEST_CASE("restore selection setters store into the BCD the writers read")
{
    Sim sim;
    INFO("seed=", sim.seed);
    Ctx c(sim);
    c.drive(Stage::MetaR);
    const Component &k = c.component();
    const wchar_t *path = k.logicalPath.empty() ? NULL : k.logicalPath.c_str();
    IVssBackupComponentsEx2 *ex2 = NULL;
    REQUIRE(Hr{c.p()->QueryInterface(&ex2)} == Hr{S_OK});
    CHECK(Hr{c.p()->SetRestoreOptions(k.writerId, k.type, path, k.name.c_str(), L"/overwrite")} == Hr{S_OK});
    CHECK(Hr{c.p()->SetAdditionalRestores(k.writerId, k.type, path, k.name.c_str(), true)} == Hr{S_OK});
    CHECK(Hr{c.p()->AddRestoreSubcomponent(k.writerId, k.type, path, k.name.c_str(), L"sub", L"part", false)} == Hr{S_OK});
    CHECK(Hr{c.p()->AddNewTarget(k.writerId, k.type, path, k.name.c_str(), L"C:\\Windows\\Tasks", L"*", true, L"D:\\Tasks")} == Hr{S_OK});
    CHECK(Hr{ex2->SetAuthoritativeRestore(k.writerId, k.type, path, k.name.c_str(), true)} == Hr{S_OK});
    CHECK(Hr{ex2->SetRollForward(k.writerId, k.type, path, k.name.c_str(), VSS_RF_PARTIAL, L"LSN 42")} == Hr{S_OK});
    CHECK(Hr{ex2->SetRollForward(k.writerId, k.type, path, k.name.c_str(), VSS_RF_PARTIAL, NULL)} == Hr{E_INVALIDARG});
    CHECK(Hr{ex2->SetRestoreName(k.writerId, k.type, path, k.name.c_str(), L"Tasks (restored)")} == Hr{S_OK});
    // The type is part of the component's identity.
    CHECK(Hr{c.p()->SetRestoreOptions(k.writerId, VSS_CT_DATABASE, path, k.name.c_str(), L"x")} == Hr{VSS_E_OBJECT_NOT_FOUND});
    CHECK(Hr{c.r->run(&IVssBackupComponents::PreRestore)} == Hr{VSS_S_ASYNC_FINISHED});
    CHECK(Hr{c.p()->AddAlternativeLocationMapping(k.writerId, k.type, path, k.name.c_str(), L"C:\\Windows\\Tasks", L"*", false,
                                                  L"E:\\Tasks")} == Hr{S_OK});
    CHECK(Hr{c.p()->SetRestoreOptions(k.writerId, k.type, path, k.name.c_str(), L"late")} == Hr{VSS_E_BAD_STATE});

    IVssWriterComponentsExt *pWriter = NULL;
    REQUIRE(Hr{c.p()->GetWriterComponents(0, &pWriter)} == Hr{S_OK});
    IVssComponent *pComponent = NULL;
    REQUIRE(Hr{pWriter->GetComponent(0, &pComponent)} == Hr{S_OK});
    BSTR options = NULL;
    CHECK(Hr{pComponent->GetRestoreOptions(&options)} == Hr{S_OK});
    CHECK(fromBstr(options) == L"/overwrite");
    SysFreeString(options);
    bool additional = false;
    CHECK(Hr{pComponent->GetAdditionalRestores(&additional)} == Hr{S_OK});
    CHECK(additional);
    UINT n = 0;
    CHECK(Hr{pComponent->GetRestoreSubcomponentCount(&n)} == Hr{S_OK});
    CHECK(n == 1);
    CHECK(Hr{pComponent->GetNewTargetCount(&n)} == Hr{S_OK});
    CHECK(n == 1);
    CHECK(Hr{pComponent->GetAlternateLocationMappingCount(&n)} == Hr{S_OK});
    CHECK(n == 1);
    IVssComponentEx *pComponentEx = NULL;
    REQUIRE(Hr{pComponent->QueryInterface(&pComponentEx)} == Hr{S_OK});
    bool authoritative = false;
    CHECK(Hr{pComponentEx->GetAuthoritativeRestore(&authoritative)} == Hr{S_OK});
    CHECK(authoritative);
    VSS_ROLLFORWARD_TYPE roll = VSS_RF_UNDEFINED;
    BSTR point = NULL;
    CHECK(Hr{pComponentEx->GetRollForward(&roll, &point)} == Hr{S_OK});
    CHECK(roll == VSS_RF_PARTIAL);
    CHECK(fromBstr(point) == L"LSN 42");
    SysFreeString(point);
    BSTR name = NULL;
    CHECK(Hr{pComponentEx->GetRestoreName(&name)} == Hr{S_OK});
    CHECK(fromBstr(name) == L"Tasks (restored)");
    SysFreeString(name);
    pComponentEx->Release();
    pComponent->Release();
    pWriter->Release();
    ex2->Release();
}

TEST_CASE("AbortBackup: Abort before PostSnapshot, nothing after it, cancellation of a pending DoSnapshotSet")
{
    SUBCASE("after PrepareForBackup: every selected writer back to STABLE (A1)")
    {
        Sim sim;
        INFO("seed=", sim.seed);
        sim.fault(kRegistry, failAt(Input::PrepareForBackup, VSS_E_WRITERERROR_RETRYABLE, false));
        Ctx c(sim);
        c.drive(Stage::Prepared);
        CHECK(Hr{c.p()->AbortBackup()} == Hr{S_OK});
        auto list = c.r->statuses();
        CHECK(entry(list, sim, kSystemWriter).state == VSS_WS_STABLE);
        // A2: a failure stays.
        CHECK(entry(list, sim, kRegistry).state == VSS_WS_FAILED_AT_PREPARE_BACKUP);
        // §9: after an Abort only AbortBackup, the status methods, GetSnapshotProperties and Release.
        CHECK(Hr{startAndDrop(c, &IVssBackupComponents::DoSnapshotSet)} == Hr{VSS_E_BAD_STATE});
    }
    SUBCASE("after a successful DoSnapshotSet: no Abort, writers stay at [5] (A3)")
    {
        Sim sim;
        INFO("seed=", sim.seed);
        Ctx c(sim);
        c.drive(Stage::Snapped);
        CHECK(Hr{c.p()->AbortBackup()} == Hr{S_OK});
        auto list = c.r->statuses();
        CHECK(entry(list, sim, kSystemWriter).state == VSS_WS_WAITING_FOR_BACKUP_COMPLETE);
    }
    SUBCASE("while DoSnapshotSet runs: the operation is cancelled and the writers aborted")
    {
        Sim sim;
        INFO("seed=", sim.seed);
        Ctx c(sim);
        c.drive(Stage::SnapPending);
        CHECK(Hr{c.p()->AbortBackup()} == Hr{S_OK});
        HRESULT st = E_FAIL;
        CHECK(Hr{c.r->pending->QueryStatus(&st, NULL)} == Hr{S_OK});
        CHECK(Hr{st} == Hr{VSS_S_ASYNC_CANCELLED});
        auto list = c.r->statuses();
        CHECK(entry(list, sim, kSystemWriter).state == VSS_WS_STABLE);
        VSS_SNAPSHOT_PROP prop;
        CHECK(Hr{c.p()->GetSnapshotProperties(c.r->snapshotC, &prop)} == Hr{VSS_E_OBJECT_NOT_FOUND});
    }
}

TEST_CASE("IVssAsync: Wait(ms), QueryStatus, Cancel on a slow PrepareForSnapshot (R13, §14)")
{
    Sim sim;
    INFO("seed=", sim.seed);
    sim.fault(kSystemWriter, delayAt(Input::PrepareForSnapshot, std::chrono::seconds(90)));
    Ctx c(sim);
    c.drive(Stage::Prepared);
    IVssAsync *pAsync = NULL;
    REQUIRE(Hr{c.p()->DoSnapshotSet(&pAsync)} == Hr{S_OK});
    IUnknown *pUnknown = NULL;
    CHECK(Hr{pAsync->QueryInterface(&pUnknown)} == Hr{S_OK});
    pUnknown->Release();
    const vsssim::SimTime before = sim.svc->now();
    CHECK(Hr{pAsync->Wait(1000)} == Hr{S_OK});
    CHECK(sim.svc->now() - before <= std::chrono::milliseconds(1000));
    HRESULT st = E_FAIL;
    CHECK(Hr{pAsync->QueryStatus(&st, NULL)} == Hr{S_OK});
    CHECK(Hr{st} == Hr{VSS_S_ASYNC_PENDING});
    // Another object of the service sees the creation running (R18).
    {
        Requester other;
        CHECK(Hr{other.initBackup()} == Hr{S_OK});
        VSS_ID id;
        CHECK(Hr{other.p->StartSnapshotSet(&id)} == Hr{VSS_E_SNAPSHOT_SET_IN_PROGRESS});
    }
    CHECK(Hr{pAsync->Cancel()} == Hr{S_OK});
    CHECK(Hr{pAsync->QueryStatus(&st, NULL)} == Hr{S_OK});
    CHECK(Hr{st} == Hr{VSS_S_ASYNC_CANCELLED});
    CHECK(Hr{pAsync->Cancel()} == Hr{VSS_S_ASYNC_CANCELLED});
    // Wait succeeds on a cancelled operation in either reading: cancelled is not failed.
    CHECK(Hr{pAsync->Wait()} == Hr{S_OK});
    pAsync->Release();
    // Cancelled DoSnapshotSet: the requester still aborts; BackupComplete is refused.
    CHECK(Hr{c.p()->AbortBackup()} == Hr{S_OK});
    CHECK(Hr{startAndDrop(c, &IVssBackupComponents::BackupComplete)} == Hr{VSS_E_BAD_STATE});
    auto list = c.r->statuses();
    CHECK(entry(list, sim, kSystemWriter).state == VSS_WS_STABLE);
}

/// DoSnapshotSet failing (the registry writer fails at Thaw), waited on under the reading `sim` has:
/// Wait reports the wait or, with wait_returns_failure, the operation; QueryStatus the operation.
static void waitOnFailedSet(Sim &sim, bool waitReturnsFailure)
{
    INFO("seed=", sim.seed);
    sim.fault(kRegistry, failAt(Input::Thaw, VSS_E_WRITERERROR_NONRETRYABLE));
    Ctx c(sim);
    c.drive(Stage::Prepared);
    IVssAsync *pAsync = NULL;
    REQUIRE(Hr{c.p()->DoSnapshotSet(&pAsync)} == Hr{S_OK});
    const HRESULT waited = waitReturnsFailure ? VSS_E_UNEXPECTED_WRITER_ERROR : S_OK;
    CHECK(Hr{pAsync->Wait()} == Hr{waited});
    CHECK(Hr{pAsync->Wait(0)} == Hr{waited});
    HRESULT st = E_FAIL;
    CHECK(Hr{pAsync->QueryStatus(&st, NULL)} == Hr{S_OK});
    CHECK(Hr{st} == Hr{VSS_E_UNEXPECTED_WRITER_ERROR});
    if (!waitReturnsFailure)
        CHECK(Hr{pAsync->Cancel()} == Hr{VSS_E_UNEXPECTED_WRITER_ERROR});
    pAsync->Release();
    CHECK(Hr{c.p()->AbortBackup()} == Hr{S_OK});
}

TEST_CASE("IVssAsync: Cancel and Wait after the end report the result; a QueryStatus polling loop terminates")
{
    SUBCASE("finished")
    {
        Sim sim;
        INFO("seed=", sim.seed);
        Ctx c(sim);
        c.drive(Stage::InitB);
        IVssAsync *pAsync = NULL;
        REQUIRE(Hr{c.p()->GatherWriterMetadata(&pAsync)} == Hr{S_OK});
        CHECK(Hr{pAsync->Wait()} == Hr{S_OK});
        CHECK(Hr{pAsync->Cancel()} == Hr{VSS_S_ASYNC_FINISHED});
        HRESULT st = E_FAIL;
        CHECK(Hr{pAsync->QueryStatus(&st, NULL)} == Hr{S_OK});
        CHECK(Hr{st} == Hr{VSS_S_ASYNC_FINISHED});
        pAsync->Release();
    }
    SUBCASE("failed")
    {
        // R13 revised (restic#4875): the wait succeeded; only QueryStatus carries the failure.
        Sim sim;
        waitOnFailedSet(sim, false);
    }
    SUBCASE("failed, with wait_returns_failure: the other reading of Microsoft's Wait page")
    {
        Sim sim([](vsssim::ServiceOptions &o) { o.settings.waitReturnsFailure = true; });
        waitOnFailedSet(sim, true);
        // A finished operation still waits with S_OK in this reading.
        Requester r;
        REQUIRE(Hr{r.initBackup()} == Hr{S_OK});
        IVssAsync *pGather = NULL;
        REQUIRE(Hr{r.p->GatherWriterMetadata(&pGather)} == Hr{S_OK});
        CHECK(Hr{pGather->Wait()} == Hr{S_OK});
        pGather->Release();
    }
    SUBCASE("polling without Wait")
    {
        Sim sim;
        INFO("seed=", sim.seed);
        sim.fault(kSystemWriter, delayAt(Input::PrepareForSnapshot, std::chrono::seconds(120)));
        Ctx c(sim);
        c.drive(Stage::Prepared);
        IVssAsync *pAsync = NULL;
        REQUIRE(Hr{c.p()->DoSnapshotSet(&pAsync)} == Hr{S_OK});
        HRESULT st = VSS_S_ASYNC_PENDING;
        int polls = 0;
        while (st == VSS_S_ASYNC_PENDING && polls < 10000) {
            REQUIRE(Hr{pAsync->QueryStatus(&st, NULL)} == Hr{S_OK});
            ++polls;
        }
        CHECK(polls < 10000);
        CHECK(Hr{st} == Hr{VSS_S_ASYNC_FINISHED});
        pAsync->Release();
        CHECK(Hr{c.r->markAllSucceeded()} == Hr{S_OK});
        CHECK(Hr{c.r->run(&IVssBackupComponents::BackupComplete)} == Hr{VSS_S_ASYNC_FINISHED});
        c.r->statuses();
    }
    SUBCASE("releasing the IVssAsync does not stop the operation")
    {
        Sim sim;
        INFO("seed=", sim.seed);
        Ctx c(sim);
        c.drive(Stage::InitB);
        IVssAsync *pAsync = NULL;
        REQUIRE(Hr{c.p()->GatherWriterMetadata(&pAsync)} == Hr{S_OK});
        pAsync->Release();
        Sleep(1000);
        UINT n = 0;
        CHECK(Hr{c.p()->GetWriterMetadataCount(&n)} == Hr{S_OK});
        CHECK(n == kWriterCount);
    }
}

TEST_CASE("R9: a writer that ignores status requests keeps its last state with VSS_E_WRITER_NOT_RESPONDING")
{
    Sim sim;
    INFO("seed=", sim.seed);
    sim.writer(kSystemWriter).faults.ignoreStatus = true;
    Ctx c(sim);
    c.drive(Stage::Snapped);
    const vsssim::SimTime before = sim.svc->now();
    REQUIRE(Hr{c.r->run(&IVssBackupComponents::GatherWriterStatus)} == Hr{VSS_S_ASYNC_FINISHED});
    // D17: the service answers for it when the event timeout ends.
    CHECK(sim.svc->now() - before >= std::chrono::seconds(180));
    UINT index = UINT_MAX;
    for (UINT i = 0; i < kWriterCount; ++i) {
        VSS_ID idInstance, idWriter;
        BSTR bstrName = NULL, bstrMessage = NULL;
        VSS_WRITER_STATE state;
        HRESULT failure, application;
        REQUIRE(Hr{c.ex3()->GetWriterStatusEx(i, &idInstance, &idWriter, &bstrName, &state, &failure, &application,
                                              &bstrMessage)} == Hr{S_OK});
        if (idInstance == sim.instanceOf(kSystemWriter)) {
            index = i;
            CHECK(fromBstr(bstrName) == L"System Writer");
            CHECK(state == VSS_WS_WAITING_FOR_BACKUP_COMPLETE);
            CHECK(Hr{failure} == Hr{VSS_E_WRITER_NOT_RESPONDING});
            CHECK(Hr{application} == Hr{S_OK});
            CHECK(bstrMessage == nullptr);
        } else {
            CHECK(Hr{failure} == Hr{S_OK});
        }
        SysFreeString(bstrName);
        SysFreeString(bstrMessage);
    }
    CHECK(index != UINT_MAX);
    // §6.3: its components report the same through GetFailure.
    UINT cWriters = 0;
    REQUIRE(Hr{c.p()->GetWriterComponentsCount(&cWriters)} == Hr{S_OK});
    bool seen = false;
    for (UINT i = 0; i < cWriters; ++i) {
        IVssWriterComponentsExt *pWriter = NULL;
        REQUIRE(Hr{c.p()->GetWriterComponents(i, &pWriter)} == Hr{S_OK});
        VSS_ID idInstance, idWriter;
        pWriter->GetWriterInfo(&idInstance, &idWriter);
        IVssComponent *pComponent = NULL;
        REQUIRE(Hr{pWriter->GetComponent(0, &pComponent)} == Hr{S_OK});
        IVssComponentEx2 *pEx2 = NULL;
        REQUIRE(Hr{pComponent->QueryInterface(&pEx2)} == Hr{S_OK});
        HRESULT hr = E_FAIL, hrApplication = E_FAIL;
        BSTR bstrMessage = NULL;
        DWORD reserved = 1;
        CHECK(Hr{pEx2->GetFailure(&hr, &hrApplication, &bstrMessage, &reserved)} == Hr{S_OK});
        SysFreeString(bstrMessage);
        if (idInstance == sim.instanceOf(kSystemWriter)) {
            seen = true;
            CHECK(Hr{hr} == Hr{VSS_E_WRITER_NOT_RESPONDING});
        } else {
            CHECK(Hr{hr} == Hr{S_OK});
        }
        pEx2->Release();
        pComponent->Release();
        pWriter->Release();
    }
    CHECK(seen);
    CHECK(Hr{c.p()->FreeWriterStatus()} == Hr{S_OK});
    CHECK(Hr{c.p()->AbortBackup()} == Hr{S_OK});
}

TEST_CASE("R10: a writer without a free session slot reads VSS_WS_UNKNOWN with VSS_E_WRITER_STATUS_NOT_AVAILABLE")
{
    Sim sim([](vsssim::ServiceOptions &o) { o.settings.backupSlots = 1; });
    INFO("seed=", sim.seed);
    Ctx first(sim);
    first.drive(Stage::Prepared);
    Ctx second(sim);
    second.drive(Stage::Prepared);
    auto list = second.r->statuses();
    const Status s = entry(list, sim, kSystemWriter);
    CHECK(s.state == VSS_WS_UNKNOWN);
    CHECK(Hr{s.failure} == Hr{VSS_E_WRITER_STATUS_NOT_AVAILABLE});
    // Not selected in either session, yet a participant: it needs a slot like the others (§1.3).
    CHECK(entry(list, sim, kMSSearch).state == VSS_WS_UNKNOWN);
    CHECK(Hr{entry(list, sim, kMSSearch).failure} == Hr{VSS_E_WRITER_STATUS_NOT_AVAILABLE});
    // The first session holds the slot and is unaffected.
    auto firstList = first.r->statuses();
    CHECK(entry(firstList, sim, kSystemWriter).state == VSS_WS_STABLE);
    CHECK(Hr{entry(firstList, sim, kSystemWriter).failure} == Hr{S_OK});

    // GetFailure of its components reports the missing slot (§6.3) while the list is held.
    REQUIRE(Hr{second.r->run(&IVssBackupComponents::GatherWriterStatus)} == Hr{VSS_S_ASYNC_FINISHED});
    UINT cWriters = 0;
    REQUIRE(Hr{second.p()->GetWriterComponentsCount(&cWriters)} == Hr{S_OK});
    for (UINT i = 0; i < cWriters; ++i) {
        IVssWriterComponentsExt *pWriter = NULL;
        REQUIRE(Hr{second.p()->GetWriterComponents(i, &pWriter)} == Hr{S_OK});
        IVssComponent *pComponent = NULL;
        REQUIRE(Hr{pWriter->GetComponent(0, &pComponent)} == Hr{S_OK});
        IVssComponentEx2 *pEx2 = NULL;
        REQUIRE(Hr{pComponent->QueryInterface(&pEx2)} == Hr{S_OK});
        HRESULT hr = E_FAIL, hrApplication;
        BSTR bstrMessage = NULL;
        DWORD reserved;
        CHECK(Hr{pEx2->GetFailure(&hr, &hrApplication, &bstrMessage, &reserved)} == Hr{S_OK});
        CHECK(Hr{hr} == Hr{VSS_E_WRITER_STATUS_NOT_AVAILABLE});
        SysFreeString(bstrMessage);
        pEx2->Release();
        pComponent->Release();
        pWriter->Release();
    }
    CHECK(Hr{second.p()->FreeWriterStatus()} == Hr{S_OK});
    CHECK(Hr{second.p()->AbortBackup()} == Hr{S_OK});
    CHECK(Hr{first.p()->AbortBackup()} == Hr{S_OK});
}

namespace {

/// A whole backup from one thread, retrying while another object's creation runs (§17: bounded).
/// No doctest macros: it runs on a second thread.
HRESULT threadedBackup(std::vector<Status> &end, std::latch &bothSelected)
{
    Requester r;
    HRESULT hr = r.created;
    if (SUCCEEDED(hr))
        hr = r.initBackup();
    if (SUCCEEDED(hr))
        hr = r.run(&IVssBackupComponents::GatherWriterMetadata);
    if (hr == VSS_S_ASYNC_FINISHED)
        hr = r.selectAll();
    else if (SUCCEEDED(hr))
        hr = E_FAIL;
    // Both sessions exist and have their metadata before either starts a snapshot set; every
    // path arrives here, or the other thread would wait forever.
    bothSelected.arrive_and_wait();
    if (FAILED(hr))
        return hr;
    for (int attempt = 0; attempt < 100; ++attempt) {
        hr = r.p->StartSnapshotSet(&r.setId);
        if (hr != VSS_E_SNAPSHOT_SET_IN_PROGRESS)
            break;
        Sleep(1000);
    }
    if (FAILED(hr))
        return hr;
    if (FAILED(hr = r.p->AddToSnapshotSet(const_cast<VSS_PWSZ>(L"C:\\"), GUID_NULL, &r.snapshotC)))
        return hr;
    if ((hr = r.run(&IVssBackupComponents::PrepareForBackup)) != VSS_S_ASYNC_FINISHED)
        return FAILED(hr) ? hr : E_FAIL;
    for (int attempt = 0; attempt < 100; ++attempt) {
        hr = r.run(&IVssBackupComponents::DoSnapshotSet);
        if (hr != VSS_E_SNAPSHOT_SET_IN_PROGRESS)
            break;
        Sleep(1000);
    }
    if (hr != VSS_S_ASYNC_FINISHED) {
        r.p->AbortBackup();
        return FAILED(hr) ? hr : E_FAIL;
    }
    if (FAILED(hr = r.markAllSucceeded()))
        return hr;
    if ((hr = r.run(&IVssBackupComponents::BackupComplete)) != VSS_S_ASYNC_FINISHED)
        return FAILED(hr) ? hr : E_FAIL;
    end = r.statuses();
    return end.empty() ? E_FAIL : S_OK;
}

} // namespace

TEST_CASE("two concurrent sessions, one on another thread, share the writers and the one-creation rule")
{
    Sim sim;
    INFO("seed=", sim.seed);
    // Slow phases make the two sequences overlap in virtual time.
    sim.fault(kSystemWriter, delayAt(Input::PrepareForSnapshot, std::chrono::seconds(5)));
    sim.fault(kRegistry, delayAt(Input::PrepareForBackup, std::chrono::seconds(3)));
    std::vector<Status> endA, endB;
    HRESULT hrB = E_FAIL;
    std::latch bothSelected(2);
    std::thread other([&] { hrB = threadedBackup(endB, bothSelected); });
    const HRESULT hrA = threadedBackup(endA, bothSelected);
    other.join();
    CHECK(Hr{hrA} == Hr{S_OK});
    CHECK(Hr{hrB} == Hr{S_OK});
    REQUIRE(endA.size() == kWriterCount);
    REQUIRE(endB.size() == kWriterCount);
    for (std::size_t i = 0; i < kWriterCount; ++i) {
        INFO("writer ", sim.writer(i).identity.name);
        CHECK(endA[i].state == VSS_WS_STABLE);
        CHECK(endB[i].state == VSS_WS_STABLE);
        CHECK(Hr{endA[i].failure} == Hr{S_OK});
        CHECK(Hr{endB[i].failure} == Hr{S_OK});
    }
    // Both objects are released: their non-persistent shadow copies went with them (§10.3).
    CHECK(sim.svc->shadowCopies().empty());
}

TEST_CASE("m_lSnapshotAttributes per context, and the words vssadmin, VShadow and DiskShadow print for them (§6)")
{
    struct Case {
        LONG context;
        LONG attributes;           // what GetSnapshotProperties and Query report
        const char *vssadmin;      // vssadmin list shadows "Attributes:" and "Type:"
        const char *type;
        const char *vshadow;       // VShadow -q / DiskShadow list shadows "Attributes:"
    };
    // The rows with a capture behind them (docs/api.md §6): Backup (duplicati#7205), FileShareBackup
    // (vshadow -nw), the DiskShadow persistent contexts, ClientAccessible.
    const Case cases[] = {
        {VSS_CTX_BACKUP, VSS_VOLSNAP_ATTR_DIFFERENTIAL | VSS_VOLSNAP_ATTR_AUTORECOVER,
         "Differential, Auto recovered", "Backup", " Auto_Release Differential"},
        {VSS_CTX_FILE_SHARE_BACKUP, VSS_VOLSNAP_ATTR_NO_WRITERS | VSS_VOLSNAP_ATTR_DIFFERENTIAL,
         "No writers, Differential", "FileShareBackup", " Auto_Release No_Writers Differential"},
        {VSS_CTX_APP_ROLLBACK, LONG{VSS_CTX_APP_ROLLBACK} | VSS_VOLSNAP_ATTR_DIFFERENTIAL | VSS_VOLSNAP_ATTR_AUTORECOVER,
         "Persistent, No auto release, Differential, Auto recovered", "ApplicationRollback",
         " No_Auto_Release Persistent Differential"},
        {VSS_CTX_NAS_ROLLBACK, LONG{VSS_CTX_NAS_ROLLBACK} | VSS_VOLSNAP_ATTR_DIFFERENTIAL,
         "Persistent, No auto release, No writers, Differential", "DataVolumeRollback",
         " No_Auto_Release Persistent No_Writers Differential"},
        {VSS_CTX_CLIENT_ACCESSIBLE, LONG{VSS_CTX_CLIENT_ACCESSIBLE} | VSS_VOLSNAP_ATTR_DIFFERENTIAL,
         "Persistent, Client-accessible, No auto release, No writers, Differential", "ClientAccessible",
         " No_Auto_Release Persistent Client_accessible No_Writers Differential"},
        {LONG{VSS_CTX_BACKUP} | VSS_VOLSNAP_ATTR_NO_AUTORECOVERY, VSS_VOLSNAP_ATTR_NO_AUTORECOVERY | VSS_VOLSNAP_ATTR_DIFFERENTIAL,
         "No auto recovery, Differential", "Backup", " Auto_Release Differential"},
    };
    for (const Case &k : cases) {
        CAPTURE(k.context);
        Sim sim;
        Requester r;
        REQUIRE(Hr{r.created} == Hr{S_OK});
        REQUIRE(Hr{r.p->InitializeForBackup()} == Hr{S_OK});
        REQUIRE(Hr{r.p->SetContext(k.context)} == Hr{S_OK});
        REQUIRE(Hr{r.p->SetBackupState(false, false, VSS_BT_FULL)} == Hr{S_OK});
        REQUIRE(Hr{r.run(&IVssBackupComponents::GatherWriterMetadata)} == Hr{VSS_S_ASYNC_FINISHED});
        REQUIRE(Hr{r.p->StartSnapshotSet(&r.setId)} == Hr{S_OK});
        REQUIRE(Hr{r.p->AddToSnapshotSet(const_cast<VSS_PWSZ>(L"C:\\"), GUID_NULL, &r.snapshotC)} == Hr{S_OK});
        const bool writers = !(k.context & VSS_VOLSNAP_ATTR_NO_WRITERS);
        if (writers)   // a writer-less context has no PrepareForBackup (VShadow -nw skips it)
            REQUIRE(Hr{r.run(&IVssBackupComponents::PrepareForBackup)} == Hr{VSS_S_ASYNC_FINISHED});
        REQUIRE(Hr{r.run(&IVssBackupComponents::DoSnapshotSet)} == Hr{VSS_S_ASYNC_FINISHED});

        VSS_SNAPSHOT_PROP prop;
        REQUIRE(Hr{r.p->GetSnapshotProperties(r.snapshotC, &prop)} == Hr{S_OK});
        CHECK(prop.m_lSnapshotAttributes == k.attributes);
        const vsssim::ShadowListingEntry entry =
            vsssim::shadowListingEntry(prop, L"C:\\", L"Microsoft Software Shadow Copy provider 1.0");
        VssFreeSnapshotProperties(&prop);

        // Query hands out the same bits.
        IVssEnumObject *pEnum = NULL;
        REQUIRE(Hr{r.p->Query(GUID_NULL, VSS_OBJECT_NONE, VSS_OBJECT_SNAPSHOT, &pEnum)} == Hr{S_OK});
        VSS_OBJECT_PROP objectProp;
        ULONG fetched = 0;
        REQUIRE(Hr{pEnum->Next(1, &objectProp, &fetched)} == Hr{S_OK});
        REQUIRE(fetched == 1);
        CHECK(objectProp.Obj.Snap.m_lSnapshotAttributes == k.attributes);
        VssFreeSnapshotProperties(&objectProp.Obj.Snap);
        pEnum->Release();

        const std::string vssadmin = vsssim::formatVssadminShadows({entry}, {});
        CHECK(vssadmin.find(std::string("         Attributes: ") + k.vssadmin + "\n") != std::string::npos);
        CHECK(vssadmin.find(std::string("         Type: ") + k.type + "\n") != std::string::npos);
        const std::string vshadow = vsssim::formatVShadowShadows({entry}, {});
        CHECK(vshadow.find(std::string("   - Attributes: ") + k.vshadow + "\n") != std::string::npos);
        const std::string diskshadow = vsssim::formatDiskShadowShadows({entry}, {});
        CHECK(diskshadow.find(std::string("                - Attributes: ") + k.vshadow + "\n") != std::string::npos);
        if (writers) {
            REQUIRE(Hr{r.run(&IVssBackupComponents::BackupComplete)} == Hr{VSS_S_ASYNC_FINISHED});
            r.statuses();
        }
        r.release();
    }
}

TEST_CASE("GetSnapshotProperties, Query, IsVolumeSnapshotted, DeleteSnapshots and VssFreeSnapshotProperties")
{
    Sim sim;
    INFO("seed=", sim.seed);
    Ctx c(sim);
    c.drive(Stage::VolumeAdded);
    VSS_ID snapshotD = GUID_NULL;
    REQUIRE(Hr{c.p()->AddToSnapshotSet(const_cast<VSS_PWSZ>(L"D:\\"), GUID_NULL, &snapshotD)} == Hr{S_OK});
    CHECK(snapshotD != c.r->snapshotC);
    REQUIRE(Hr{c.r->run(&IVssBackupComponents::PrepareForBackup)} == Hr{VSS_S_ASYNC_FINISHED});
    REQUIRE(Hr{c.r->run(&IVssBackupComponents::DoSnapshotSet)} == Hr{VSS_S_ASYNC_FINISHED});

    VSS_SNAPSHOT_PROP prop;
    REQUIRE(Hr{c.p()->GetSnapshotProperties(c.r->snapshotC, &prop)} == Hr{S_OK});
    CHECK(prop.m_SnapshotId == c.r->snapshotC);
    CHECK(prop.m_SnapshotSetId == c.r->setId);
    CHECK(prop.m_lSnapshotsCount == 2);
    CHECK(std::wstring(prop.m_pwszSnapshotDeviceObject) == L"\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy1");
    CHECK(std::wstring(prop.m_pwszOriginalVolumeName) == sim.svc->volumes()[0].guidPath);
    CHECK(std::wstring(prop.m_pwszOriginatingMachine) == sim.svc->settings().hostName);
    CHECK(std::wstring(prop.m_pwszServiceMachine) == sim.svc->settings().hostName);
    CHECK(prop.m_pwszExposedName == nullptr);
    CHECK(prop.m_pwszExposedPath == nullptr);
    const VSS_ID softwareProvider = {0xb5946137, 0x7b9f, 0x4925, {0xaf, 0x80, 0x51, 0xab, 0xd6, 0x0b, 0x20, 0xd5}};
    CHECK(prop.m_ProviderId == softwareProvider);
    // The system provider adds Differential; writers took part, so the copy was auto-recovered (§6).
    CHECK(prop.m_lSnapshotAttributes == (LONG{VSS_CTX_BACKUP} | VSS_VOLSNAP_ATTR_DIFFERENTIAL | VSS_VOLSNAP_ATTR_AUTORECOVER));
    CHECK(prop.m_tsCreationTimestamp > sim.svc->settings().startFileTime);
    CHECK(prop.m_tsCreationTimestamp <= sim.svc->settings().startFileTime + sim.svc->now().count() / 100);
    CHECK(prop.m_eStatus == VSS_SS_CREATED);
    VssFreeSnapshotProperties(&prop);
    const VSS_SNAPSHOT_PROP zero{};
    CHECK(std::memcmp(&prop, &zero, sizeof prop) == 0);
    VssFreeSnapshotProperties(&prop);   // safe on a zeroed structure
    VssFreeSnapshotProperties(NULL);

    REQUIRE(Hr{c.p()->GetSnapshotProperties(snapshotD, &prop)} == Hr{S_OK});
    CHECK(std::wstring(prop.m_pwszSnapshotDeviceObject) == L"\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy2");
    CHECK(std::wstring(prop.m_pwszOriginalVolumeName) == sim.svc->volumes()[1].guidPath);
    VssFreeSnapshotProperties(&prop);

    // Query: every shadow copy of the object's context, freed entry by entry.
    IVssEnumObject *pEnum = NULL;
    REQUIRE(Hr{c.p()->Query(GUID_NULL, VSS_OBJECT_NONE, VSS_OBJECT_SNAPSHOT, &pEnum)} == Hr{S_OK});
    int seen = 0;
    for (;;) {
        VSS_OBJECT_PROP objectProp;
        ULONG fetched = 0;
        const HRESULT hr = pEnum->Next(1, &objectProp, &fetched);
        REQUIRE(SUCCEEDED(hr));
        if (fetched == 0) {
            CHECK(Hr{hr} == Hr{S_FALSE});
            break;
        }
        CHECK(objectProp.Type == VSS_OBJECT_SNAPSHOT);
        CHECK(objectProp.Obj.Snap.m_SnapshotSetId == c.r->setId);
        VssFreeSnapshotProperties(&objectProp.Obj.Snap);
        ++seen;
    }
    CHECK(seen == 2);
    CHECK(Hr{pEnum->Reset()} == Hr{S_OK});
    CHECK(Hr{pEnum->Skip(1)} == Hr{S_OK});
    IVssEnumObject *pClone = NULL;
    CHECK(Hr{pEnum->Clone(&pClone)} == Hr{S_OK});
    VSS_OBJECT_PROP two[2];
    ULONG fetched = 0;
    CHECK(Hr{pClone->Next(2, two, &fetched)} == Hr{S_FALSE});
    CHECK(fetched == 1);
    VssFreeSnapshotProperties(&two[0].Obj.Snap);
    CHECK(Hr{pClone->Skip(5)} == Hr{S_FALSE});
    pClone->Release();
    pEnum->Release();

    BOOL present = FALSE;
    LONG capability = -1;
    CHECK(Hr{IsVolumeSnapshotted(const_cast<VSS_PWSZ>(L"C:\\"), &present, &capability)} == Hr{S_OK});
    CHECK(present == TRUE);
    CHECK(capability == 0);
    CHECK(Hr{IsVolumeSnapshotted(const_cast<VSS_PWSZ>(L"E:\\"), &present, &capability)} == Hr{S_OK});
    CHECK(present == FALSE);

    LONG deleted = -1;
    VSS_ID notDeleted = kUnknownId;
    CHECK(Hr{c.p()->DeleteSnapshots(snapshotD, VSS_OBJECT_SNAPSHOT, FALSE, &deleted, &notDeleted)} == Hr{S_OK});
    CHECK(deleted == 1);
    CHECK(notDeleted == GUID_NULL);
    CHECK(Hr{c.p()->GetSnapshotProperties(snapshotD, &prop)} == Hr{VSS_E_OBJECT_NOT_FOUND});
    CHECK(Hr{c.p()->DeleteSnapshots(c.r->setId, VSS_OBJECT_SNAPSHOT_SET, TRUE, &deleted, &notDeleted)} == Hr{S_OK});
    CHECK(deleted == 1);
    REQUIRE(Hr{c.p()->Query(GUID_NULL, VSS_OBJECT_NONE, VSS_OBJECT_SNAPSHOT, &pEnum)} == Hr{S_FALSE});
    REQUIRE(pEnum != nullptr);
    pEnum->Release();
    CHECK(Hr{c.r->markAllSucceeded()} == Hr{S_OK});
    CHECK(Hr{c.r->run(&IVssBackupComponents::BackupComplete)} == Hr{VSS_S_ASYNC_FINISHED});
    c.r->statuses();
}

TEST_CASE("final Release deletes the non-persistent shadow copies (§10.3) and sends BackupShutdown")
{
    Sim sim;
    INFO("seed=", sim.seed);
    {
        Ctx c(sim);
        c.drive(Stage::Completed);
        c.r->statuses();
        BOOL present = FALSE;
        LONG capability;
        CHECK(Hr{IsVolumeSnapshotted(const_cast<VSS_PWSZ>(L"C:\\"), &present, &capability)} == Hr{S_OK});
        CHECK(present == TRUE);
    }
    BOOL present = TRUE;
    LONG capability;
    CHECK(Hr{IsVolumeSnapshotted(const_cast<VSS_PWSZ>(L"C:\\"), &present, &capability)} == Hr{S_OK});
    CHECK(present == FALSE);
    // An observer's list (§1.4 source b): public status STABLE after BackupShutdown (X1).
    Ctx observer(sim);
    observer.drive(Stage::Meta);
    auto list = observer.r->statuses();
    REQUIRE(list.size() == kWriterCount);
    for (const Status &s : list)
        CHECK(s.state == VSS_WS_STABLE);
    CHECK(sim.svc->mistakes().empty());
}

TEST_CASE("GetRootAndLogicalPrefixPaths: local paths map to the volume root and its GUID name")
{
    Sim sim;
    INFO("seed=", sim.seed);
    Ctx c(sim);
    c.drive(Stage::InitB);
    IVssBackupComponentsEx4 *ex4 = NULL;
    REQUIRE(Hr{c.p()->QueryInterface(&ex4)} == Hr{S_OK});
    VSS_PWSZ root = NULL, prefix = NULL;
    REQUIRE(Hr{ex4->GetRootAndLogicalPrefixPaths(const_cast<VSS_PWSZ>(L"d:\\data\\file.txt"), &root, &prefix)} == Hr{S_OK});
    CHECK(std::wstring(root) == L"D:\\");
    CHECK(std::wstring(prefix) == sim.svc->volumes()[1].guidPath);
    CoTaskMemFree(root);
    CoTaskMemFree(prefix);
    CHECK(Hr{ex4->GetRootAndLogicalPrefixPaths(const_cast<VSS_PWSZ>(L"Q:\\x"), &root, &prefix)} == Hr{VSS_E_OBJECT_NOT_FOUND});
    CHECK(Hr{ex4->GetRootAndLogicalPrefixPaths(NULL, &root, &prefix)} == Hr{E_INVALIDARG});
    ex4->Release();
}

} // TEST_SUITE

TEST_CASE("Windows versions: QueryInterface gives the Ex levels the version has (docs/api.md §7)")
{
    for (const vsssim::OsVersion &os : vsssim::osVersions()) {
        INFO(os.name);
        Sim sim([&](vsssim::ServiceOptions &o) { o.settings.os = &os; });
        IVssBackupComponents *bc = nullptr;
        REQUIRE(Hr{CreateVssBackupComponents(&bc)} == Hr{S_OK});
        void *p = nullptr;
        CHECK(Hr{bc->QueryInterface(IID_IVssBackupComponentsEx3, &p)} == Hr{S_OK});
        if (p)
            static_cast<IUnknown *>(p)->Release();
        p = nullptr;
        const HRESULT ex4 = bc->QueryInterface(IID_IVssBackupComponentsEx4, &p);
        CHECK(Hr{ex4} == Hr{os.backupComponentsLevel >= 4 ? S_OK : E_NOINTERFACE});
        CHECK((p != nullptr) == SUCCEEDED(ex4));
        if (p)
            static_cast<IUnknown *>(p)->Release();
        bc->Release();
    }
    CHECK(vsssim::findOsVersion("windows-server-2008-r2")->backupComponentsLevel == 3);
    CHECK(&vsssim::defaultOsVersion() == vsssim::findOsVersion("windows-11"));
}
