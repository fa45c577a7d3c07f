// The simulated VSS service: one per simulation. It owns the clock, the scheduler, the seeded
// generator, the trace, the writer registry, the volumes, the shadow copies and the sessions.
// Everything in it is guarded by one recursive lock: requester threads take it for each call,
// and the thread that drives time holds it while handlers run, so handlers run one at a time.
#pragma once
#include "private.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <map>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <spdlog/logger.h>

#include "core/clock.h"
#include "core/result.h"
#include "core/rng.h"
#include "core/scheduler.h"
#include "core/trace.h"
#include "service/model.h"
#include "service/writer_registry.h"

namespace vsssim {

class Session;

/// A real-clock run waits at most this long in all, whatever its time_scale, delays and timeouts say.
inline constexpr std::chrono::milliseconds kDefaultWallClockLimit = std::chrono::minutes(10);

struct ServiceOptions {
    std::uint64_t seed = 0;
    bool realTime = false;
    double timeScale = 1.0;
    /// Real clock only: the real time a run may wait in all; past it the clock jumps (clock.h).
    std::chrono::milliseconds wallClockLimit = kDefaultWallClockLimit;
    /** \brief Built-in writer profiles subscribed at start ("win-client", "win-server", "sql", "none"...). */
    std::vector<std::string> profiles{"win-client"};
    ServiceSettings settings;
    ProviderSettings provider;
    /** \brief Keep the trace's records in memory (tests, the scenario runner's golden traces); a
     *  requester process's default service turns it off and keeps only the hash. */
    bool keepTrace = true;
};

/// A requester mistake (docs/behaviour.md §19, M1..M17), recorded with the virtual time it happened.
struct Mistake {
    std::string id;
    std::string detail;
    SimTime at;
    std::uint32_t session;
};

class Service : public std::enable_shared_from_this<Service>
{
public:
    explicit Service(ServiceOptions options);
    ~Service();
    Service(const Service &) = delete;
    Service &operator=(const Service &) = delete;

    /** \brief The simulation requester and writer code in this process talks to; made on first use. */
    static std::shared_ptr<Service> current();
    /** \brief The current simulation if one exists; never makes one. */
    static std::shared_ptr<Service> currentIfAny();
    /** \brief Replace the current simulation (tests, the scenario runner, VSSSIM_SCENARIO). */
    static void install(std::shared_ptr<Service> service);

    std::unique_lock<std::recursive_mutex> lock() { return std::unique_lock(mutex_); }

    Scheduler &scheduler() noexcept { return scheduler_; }
    SimTime now() const noexcept { return clock_->now(); }
    bool isVirtual() const noexcept { return clock_->isVirtual(); }
    bool wallClockLimitReached() const noexcept { return clock_->wallLimitReached(); }
    Rng &rng() noexcept { return rng_; }
    Trace &trace() noexcept { return trace_; }
    spdlog::logger &log() noexcept { return *log_; }
    ServiceSettings &settings() noexcept { return options_.settings; }
    ProviderSettings &provider() noexcept { return options_.provider; }
    std::uint64_t seed() const noexcept { return options_.seed; }

    // ---- writers ----
    WriterRegistry &writers() noexcept { return registry_; }
    /** \brief Subscribe a writer: it gets a fresh instance id unless one is pinned (R12). */
    Result<WriterEntry *> subscribe(WriterIdentity identity, WriterHandler &handler, bool pinnedInstance = false);
    /** \brief A scripted writer: the service owns its handler. */
    WriterEntry &addScriptedWriter(WriterIdentity identity, bool pinnedInstance, WriterFaults faults,
                                   WriterMetadata metadata);
    void unsubscribe(WriterEntry &w);
    /** \brief The writer's process restarts: new instance id, no records, public status STABLE (Z1). */
    WriterEntry &restartWriter(WriterEntry &w);
    /** \brief The writer's process exits: it answers nothing any more (R9). */
    void vanishWriter(WriterEntry &w);

    // ---- volumes and shadow copies ----
    std::vector<Volume> &volumes() noexcept { return volumes_; }
    /** \brief Index of the volume a requester names (C:\, a mount folder, \\?\Volume{guid}\). */
    std::optional<std::size_t> findVolume(std::wstring_view name) const;
    std::vector<ShadowCopy> &shadowCopies() noexcept { return shadows_; }
    long nextDeviceNumber() noexcept { return ++deviceNumber_; }

    // ---- one creation at a time (R18) ----
    Session *creationRunning() const noexcept { return creation_; }
    void setCreationRunning(Session *s) noexcept { creation_ = s; }
    /** \brief A scenario's background creation holds the lock until `until` (S11). */
    void holdCreationUntil(SimTime until);
    bool backgroundCreationRunning() const noexcept;

    // ---- faults ----
    std::vector<CallFault> &callFaults() noexcept { return callFaults_; }
    /** \brief The injected result of this call of `method`, S_OK when none applies (R17). */
    HRESULT injectedFault(std::string_view method, bool async);
    void setNotReady(SimTime until, HRESULT hr) { notReadyUntil_ = until; notReadyHr_ = hr; }
    /** \brief The service has just started: requests get `hr` for `d` (S18); recorded in the trace. */
    void startNotReady(SimDuration d, HRESULT hr);
    HRESULT notReadyResult() const noexcept { return now() < notReadyUntil_ ? notReadyHr_ : S_OK; }

    // ---- session slots (R10): owned here, because a released session's slots stay leftovers ----
    struct Slot {
        std::uint32_t writerUid = 0;
        std::uint32_t session = 0;
        bool restore = false;
        bool held = false;
        SimTime taken{};
        VSS_ID snapshotSetId{};
        std::string lastOperation;
        VSS_WRITER_STATE lastState = VSS_WS_UNKNOWN;
        HRESULT lastFailure = S_OK;
        HRESULT lastApplication = S_OK;
        std::wstring lastMessage;
        TimerId reclaim;   ///< R10's two-day timer, cancelled when the slot is freed
    };
    /** \brief Take a slot of `w` for a session; -1 when none is free (P0, RS0). `heldFor`: how long it
     *  has been held already (a leftover an earlier process left, VSSSIM_MACHINE), which brings its
     *  two-day reclaim closer. */
    int takeSlot(WriterEntry &w, std::uint32_t session, bool restore, const VSS_ID &setId,
                 SimDuration heldFor = SimDuration{0});
    std::size_t slotCount() const noexcept { return slots_.size(); }
    /** \brief Free a slot; its index then serves the next takeSlot. */
    void freeSlot(int index);
    Slot &slot(int index) { return slots_[static_cast<std::size_t>(index)]; }
    /** \brief The slot at `index` while `session` holds it for writer `writerUid`; nullptr once it was
     *  freed or reclaimed (the index may serve another session by then). */
    Slot *heldSlot(int index, std::uint32_t session, std::uint32_t writerUid) noexcept
    {
        if (index < 0 || static_cast<std::size_t>(index) >= slots_.size())
            return nullptr;
        Slot &s = slots_[static_cast<std::size_t>(index)];
        return s.held && s.session == session && s.writerUid == writerUid ? &s : nullptr;
    }

    // ---- sessions ----
    std::uint32_t registerSession(Session *s);
    void unregisterSession(Session *s) noexcept;
    const std::vector<Session *> &sessions() const noexcept { return sessions_; }

    // ---- observation ----
    /// Told when a requester call returns, or its asynchronous operation ends: what a scenario's
    /// expectations are checked against when the requester is the program under test.
    using CallObserver = std::function<void(std::string_view label, HRESULT result, Session &session)>;
    void setCallObserver(CallObserver observer) { observer_ = std::move(observer); }
    /** \brief Swap the observer: the simulator's own observer sessions (vssadmin's view) report to no one. */
    CallObserver exchangeCallObserver(CallObserver observer) { return std::exchange(observer_, std::move(observer)); }
    bool callObserved() const noexcept { return static_cast<bool>(observer_); }
    void notifyCall(std::string_view label, HRESULT result, Session &session)
    {
        if (observer_)
            observer_(label, result, session);
    }
    /// Told before a requester call is carried out (a scenario's background activity on_call).
    using BeforeCall = std::function<void(std::string_view method)>;
    void setBeforeCall(BeforeCall hook) { beforeCall_ = std::move(hook); }
    void notifyBeforeCall(std::string_view method)
    {
        if (beforeCall_)
            beforeCall_(method);
    }
    void recordMistake(std::string id, std::string detail, std::uint32_t session);

    // ---- retries across sessions (docs/behaviour.md §17; mistakes M8, M9) ----
    /** \brief A failure a retry must respect: a writer's (w) or the provider's at DoSnapshotSet (w null). */
    void noteFailure(const WriterEntry *w, HRESULT code, std::uint32_t session);
    /** \brief A snapshot set was made: the retry count starts again. */
    void noteSnapshotSucceeded() noexcept { retries_ = 0; providerAdvice_.reset(); }
    /** \brief StartSnapshotSet of `session`: sooner than a provider failure advises, or a fourth retry (M9). */
    void checkRetry(std::uint32_t session);
    /** \brief `w` takes part in `session`'s PrepareForBackup, `selected` when the requester chose its data:
     *  sooner than its failure advises (M9), or unchanged after a non-retryable failure (M8). */
    void checkRetriedWriter(const WriterEntry &w, bool selected, std::uint32_t session);
    const std::vector<Mistake> &mistakes() const noexcept { return mistakes_; }
    void traceService(std::string_view what, std::string detail);
    /** \brief A pair the state table has no row for reached it: a simulator bug, never a requester's.
     *  Logged, traced and counted, so tests and the stress run can assert that none happened. */
    void noteStateTableBreak(std::string detail);
    std::uint64_t stateTableBreaks() const noexcept { return stateTableBreaks_; }

    // ---- time, as requesters see it ----
    /** \brief Run the simulation for `d` of virtual time (Sleep on a requester thread, R14). */
    void advance(SimDuration d);
    /** \brief Run until nothing is scheduled (end of a scenario), or until `limit`. */
    void runUntilIdle(SimTime limit);
    /** \brief The service stops: every subscribed writer is shutting down and gets OnVSSShutdown. */
    void shutdown();
    /** \brief The service stops and starts again: OnVSSShutdown, then not ready for `notReadyFor` (S18). */
    void restart(SimDuration notReadyFor, HRESULT notReadyResult = VSS_E_UNEXPECTED);

private:
    ServiceOptions options_;
    std::unique_ptr<Clock> clock_;
    Scheduler scheduler_;
    Rng rng_;
    Trace trace_;
    std::shared_ptr<spdlog::logger> log_;
    std::recursive_mutex mutex_;
    WriterRegistry registry_;
    std::vector<Volume> volumes_;
    std::vector<ShadowCopy> shadows_;
    long deviceNumber_ = 0;
    Session *creation_ = nullptr;
    SimTime backgroundCreationUntil_{-1};
    std::vector<CallFault> callFaults_;
    SimTime notReadyUntil_{0};
    HRESULT notReadyHr_ = S_OK;
    std::vector<Session *> sessions_;
    std::vector<Slot> slots_;
    std::vector<int> freeSlots_;
    std::uint32_t sessionCounter_ = 0;
    std::vector<Mistake> mistakes_;
    std::uint64_t stateTableBreaks_ = 0;
    /// The last failure of a writer (by uid: a restarted writer is a new entry) or of the provider.
    struct RetryAdvice {
        SimTime at;
        HRESULT code;
        std::uint32_t session;
    };
    std::map<std::uint32_t, RetryAdvice> writerAdvice_;
    std::optional<RetryAdvice> providerAdvice_;
    unsigned retries_ = 0;   ///< StartSnapshotSet calls after a failure, since the last snapshot set made
    CallObserver observer_;
    BeforeCall beforeCall_;
};

/// The simulation a process gets when it calls the API without installing one: VSSSIM_SCENARIO names
/// a scenario file, VSSSIM_SEED a seed; otherwise the Windows 10/11 client writer set, seed 0.
std::shared_ptr<Service> makeDefaultService();

/// Where a row's facts come from: a public capture of real output (confirmed), or Microsoft's
/// documentation / our best reading where no capture was found (unconfirmed).
struct Evidence {
    std::string_view source;   ///< URL, or "owner/repo path", of the capture or page
    bool confirmed;
};

/// A file descriptor of the built-in tables (IVssWMFiledesc): path, filespec, recursive.
struct ProfileFile {
    std::wstring_view path;
    std::wstring_view filespec;
    bool recursive = false;
    DWORD backupTypeMask = VSS_FSBT_ALL_BACKUP_REQUIRED | VSS_FSBT_ALL_SNAPSHOT_REQUIRED;
};

/// One component a built-in writer declares (IVssWMComponent::GetComponentInfo).
struct ProfileComponent {
    VSS_COMPONENT_TYPE type;
    std::wstring_view logicalPath;
    std::wstring_view name;
    std::wstring_view caption;
    bool selectable;
    bool selectableForRestore;
    DWORD flags;
    std::span<const ProfileFile> files;     ///< file-group files, or database files
    std::span<const ProfileFile> logFiles;  ///< database log files
    Evidence evidence;
};

/// What GetRestoreMethod answers for a built-in writer.
struct ProfileRestore {
    VSS_RESTOREMETHOD_ENUM method;
    VSS_WRITERRESTORE_ENUM writerRestore;
    bool rebootRequired;
    Evidence evidence;
};

/// A built-in writer as the real one declares itself (docs/listings.md §4): identity, restore
/// method, components and excluded files. One row serves the simulator, the listings and the tests.
struct ProfileWriter {
    std::string_view name;
    VSS_ID classId;
    std::optional<VSS_ID> pinnedInstance;
    VSS_USAGE_TYPE usage;
    VSS_SOURCE_TYPE sourceType;
    Evidence identityEvidence;              ///< name, class id, usage and source type
    ProfileRestore restore;
    std::span<const ProfileComponent> components;
    std::span<const ProfileFile> excludeFiles;
    std::span<const ProfileFile> excludeFromSnapshot;   ///< deleted from the shadow copy after creation
};
/** \brief The writers of a built-in profile in subscription order; empty for "none" or an unknown name. */
std::vector<ProfileWriter> profileWriters(std::string_view profile);
/** \brief As profileWriters, without the writers `os` does not have (OsVersion::absentWriters). */
std::vector<ProfileWriter> profileWriters(std::string_view profile, const OsVersion &os);
std::span<const std::string_view> profileNames();
/** \brief The identity and metadata a profile writer subscribes with: its row, as Identify declares it. */
WriterIdentity profileIdentity(const ProfileWriter &p);
WriterMetadata profileMetadata(const ProfileWriter &p);

} // namespace vsssim
