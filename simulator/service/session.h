// One requester object's backup or restore (docs/behaviour.md §2, §3): its preconditions (§13, §15),
// the events it sends, the per-writer session records (§8), its status snapshot and its BCD.
// The boundary's BackupComponents only checks pointers and copies values; every VSS rule is here.
#pragma once
#include "private.h"

#include <functional>
#include <memory>
#include <atomic>
#include <mutex>
#include <thread>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "core/scheduler.h"
#include "service/model.h"
#include "service/writer_registry.h"

namespace vsssim {

class Service;

/// An asynchronous operation (IVssAsync's subject). It belongs to the session: releasing the
/// IVssAsync does not stop it.
struct AsyncOp {
    std::string_view name;
    HRESULT result = VSS_S_ASYNC_PENDING;
    bool done() const noexcept { return result != VSS_S_ASYNC_PENDING; }
    int queriesAfterFailure = 0;     ///< M2: a polling loop that never ends
    bool waited = false;             ///< a Wait returned after the operation ended
    bool resultRead = false;         ///< QueryStatus or Cancel reported the ended operation's result (M18)
    bool unreadReported = false;
    std::function<void()> onCancel;  ///< what stops when it is cancelled
};
using AsyncPtr = std::shared_ptr<AsyncOp>;

/// A writer's record in this session (one per writer that got PrepareForBackup or PreRestore).
struct SessionRecord {
    WriterStatus status{kNoRecord, VSS_WS_UNKNOWN, S_OK};
    HRESULT hrApplication = S_OK;
    std::optional<std::wstring> message;
    bool fatal = false;          ///< vetoed or hung: only Abort and BackupShutdown from now on (D2)
    bool frozen = false;         ///< Freeze delivered, Thaw not yet: the freeze window runs
    std::uint64_t freezeSerial = 0;
    TimerId freezeWindow;        ///< R7's timer while the window runs, cancelled at Thaw or Abort
    bool gotPostSnapshot = false;
    int slotIndex = -1;          ///< the writer's session slot it holds (R10), in Service::slot()
    bool noSlot = false;         ///< P0 / RS0
};

/// One entry of the held status list (R2: a copy, not a view of live records).
struct StatusEntry {
    VSS_ID instanceId{};
    VSS_ID classId{};
    std::wstring name;
    VSS_WRITER_STATE state = VSS_WS_UNKNOWN;
    HRESULT failure = S_OK;
    HRESULT hrApplication = S_OK;
    std::optional<std::wstring> message;
    std::uint32_t writerUid = 0;
};

/// A lock for data held a few instructions at a time (the held status list): uncontended it costs
/// one exchange and one store, inline, where a mutex costs two calls into libpthread.
class SpinLock
{
public:
    void lock() noexcept
    {
        while (locked_.exchange(true, std::memory_order_acquire))
            while (locked_.load(std::memory_order_relaxed))
                std::this_thread::yield();
    }
    void unlock() noexcept { locked_.store(false, std::memory_order_release); }

private:
    std::atomic<bool> locked_{false};
};

/// A writer that answered Identify in this session, with the metadata it declared then.
struct ListedWriter {
    ListedWriter(WriterEntry *w, std::shared_ptr<const WriterMetadata> answer)
        : writer(w), identity(w->identity), declared(std::move(answer)), metadata(*declared) {}

    WriterEntry *writer;
    /// The writer's own: an entry's identity never changes once subscribed (a restart makes a new
    /// entry), and entries live as long as the service, so a session's list shares it.
    const WriterIdentity &identity;
    /// Its Identify answer; a scripted writer's is shared by every session that lists it.
    std::shared_ptr<const WriterMetadata> declared;
    const WriterMetadata &metadata;   ///< *declared, which a move of the entry does not move
};

class Session : public std::enable_shared_from_this<Session>
{
public:
    explicit Session(std::shared_ptr<Service> service);
    ~Session();
    Session(const Session &) = delete;
    Session &operator=(const Session &) = delete;

    Service &service() noexcept { return *service_; }
    std::uint32_t number() const noexcept { return number_; }
    bool isRestore() const noexcept { return restore_; }
    bool initialized() const noexcept { return initialized_; }
    const VSS_ID &sessionId() const noexcept { return sessionId_; }
    const VSS_ID &snapshotSetId() const noexcept { return setId_; }
    LONG context() const noexcept { return context_; }
    VSS_BACKUP_TYPE backupType() const noexcept { return backupType_; }
    VSS_RESTORE_TYPE restoreType() const noexcept { return restoreType_; }
    bool componentsSelected() const noexcept { return selectComponents_; }
    bool bootableSystemState() const noexcept { return bootable_; }
    bool partialFileSupport() const noexcept { return partialFiles_; }
    /** \brief Volume names of the set, as the requester gave them (GetCurrentVolumeArray). */
    const std::vector<std::wstring> &volumeNames() const noexcept { return volumeNames_; }
    bool pathAffected(std::wstring_view path) const;
    /** \brief Whether the requester's snapshot set is being made or exists (GetCurrentSnapshotSetId). */
    bool snapshotInProgress() const noexcept { return snapCalled_ && !snapEnded_; }

    // ---- requester calls (docs/behaviour.md §15); each returns the HRESULT Windows gives ----
    Result<void> initializeForBackup();
    Result<void> initializeForRestore(std::wstring_view xml);
    Result<void> setContext(LONG context);
    Result<void> setBackupState(bool selectComponents, bool bootable, VSS_BACKUP_TYPE type, bool partialFiles);
    Result<void> setRestoreState(VSS_RESTORE_TYPE type);
    Result<void> disableWriterClasses(const VSS_ID *ids, UINT count);
    Result<void> enableWriterClasses(const VSS_ID *ids, UINT count);
    Result<void> disableWriterInstances(const VSS_ID *ids, UINT count);
    Result<AsyncPtr> gatherWriterMetadata();
    Result<UINT> writerMetadataCount() const;
    Result<const ListedWriter *> writerMetadata(UINT index) const;
    Result<void> freeWriterMetadata();
    Result<void> addComponent(const VSS_ID &instanceId, const VSS_ID &writerId, VSS_COMPONENT_TYPE type,
                              std::wstring_view logicalPath, std::wstring_view name);
    Result<VSS_ID> startSnapshotSet();
    Result<VSS_ID> addToSnapshotSet(std::wstring_view volume, const VSS_ID &providerId);
    Result<AsyncPtr> prepareForBackup();
    Result<AsyncPtr> doSnapshotSet();
    Result<void> setBackupSucceeded(const VSS_ID &instanceId, const VSS_ID &writerId, VSS_COMPONENT_TYPE type,
                                    std::wstring_view logicalPath, std::wstring_view name, bool succeeded);
    Result<AsyncPtr> backupComplete();
    Result<void> abortBackup();
    Result<AsyncPtr> gatherWriterStatus();
    Result<UINT> writerStatusCount() const;
    Result<const StatusEntry *> writerStatus(UINT index) const;
    Result<void> freeWriterStatus();
    /** \brief What a GatherWriterStatus started now would list, in listing order (no shuffle): the
     *  machine's view a scenario's `when` expectations are checked against, whatever the requester holds. */
    std::vector<StatusEntry> currentStatus() const;
    /// The held status list, shared: an observer keeps it without copying, a new gather replaces it.
    using HeldStatus = std::shared_ptr<const std::vector<StatusEntry>>;
    /** \brief The held status list, if any, without the M11 report the status methods make. */
    const HeldStatus &heldStatus() const noexcept { return status_; }
    /** \brief Guards the held list for the status getters, which read it without the service lock. */
    SpinLock &heldStatusMutex() const noexcept { return statusMutex_; }
    /** \brief Initialized and holding a status list: the status getters' path that records nothing. */
    bool holdsStatus() const noexcept { return initialized_ && status_ != nullptr; }
    Result<AsyncPtr> preRestore();
    Result<AsyncPtr> postRestore();
    Result<const ShadowCopy *> snapshotProperties(const VSS_ID &snapshotId) const;
    Result<std::pair<LONG, VSS_ID>> deleteSnapshots(const VSS_ID &id, VSS_OBJECT_TYPE type, bool force);
    Result<VSS_ID> getSessionId() const;
    /** \brief A requester call on this object begins: M18 for a failed, waited-for, unread operation. */
    void noteRequesterCall();
    /** \brief The final Release: BackupShutdown, shadow-copy clean-up, mistake checks. */
    void release();

    // ---- BCD ----
    std::vector<ComponentRecord> &components() noexcept { return bcd_; }
    /** \brief Component records of one writer instance, in the order they were added. */
    std::vector<ComponentRecord *> componentsOf(const VSS_ID &instanceId);
    ComponentRecord *findComponent(const VSS_ID &writerId, std::wstring_view logicalPath, std::wstring_view name,
                                   const VSS_ID *instanceId = nullptr);
    std::uint64_t componentGeneration() const noexcept { return componentGeneration_; }
    /** \brief Writers whose components are in the BCD, in BCD order (GetWriterComponentsCount). */
    std::vector<std::pair<VSS_ID, VSS_ID>> bcdWriters() const;
    Result<std::wstring> saveAsXml() const;
    /** \brief Restore selection (SetSelectedForRestore(Ex), AddRestoreSubcomponent...) shares this check. */
    Result<ComponentRecord *> restoreComponent(const VSS_ID &writerId, std::wstring_view logicalPath,
                                               std::wstring_view name, const VSS_ID *instanceId);
    Result<void> setFileRestoreStatus(ComponentRecord &c, VSS_FILE_RESTORE_STATUS status);
    /// What a requester edits in a restore's BCD, and until when (docs/behaviour.md §3).
    enum class RestoreEdit {
        Selection,   ///< SetSelectedForRestore(Ex), SetRestoreOptions, AddNewTarget...: before PreRestore
        Mapping,     ///< AddAlternativeLocationMapping: until PostRestore (the writer reads it there)
    };
    /** \brief The restore component an edit names, once its sequence and type checks pass. */
    Result<ComponentRecord *> restoreSelection(const VSS_ID &writerId, VSS_COMPONENT_TYPE type,
                                               std::wstring_view logicalPath, std::wstring_view name,
                                               const VSS_ID *instanceId, RestoreEdit edit);
    /** \brief The backup component a BCD string setter names (SetBackupOptions...): before PrepareForBackup. */
    Result<ComponentRecord *> backupComponent(const VSS_ID &writerId, VSS_COMPONENT_TYPE type,
                                              std::wstring_view logicalPath, std::wstring_view name);
    /** \brief GetWriterComponents(Count): an initialised object, a backup's after GatherWriterMetadata. */
    Result<void> requireBcdReadable() const;
    bool preRestoreCalled() const noexcept { return preRestoreCalled_; }
    bool prepareCalled() const noexcept { return prepareCalled_; }
    bool postRestoreCalled() const noexcept { return postRestoreCalled_; }
    /** \brief GatherWriterMetadata completed (FreeWriterMetadata since does not undo it). */
    bool metadataGathered() const noexcept { return metadataDone_; }

    /** \brief The session record of a writer, if it has one. */
    const SessionRecord *record(const WriterEntry &w) const;
    AsyncOp *pending() const noexcept { return pending_ && !pending_->done() ? pending_.get() : nullptr; }
    /** \brief Run the simulation until `op` ends or `limit` of virtual time passes (IVssAsync::Wait).
     *  \return What Wait returns: S_OK, also for a failed operation (R13 revised, restic#4875), unless
     *  the service is set to `waitReturnsFailure`. */
    HRESULT wait(AsyncOp &op, std::optional<SimDuration> limit);
    /** \brief IVssAsync::QueryStatus: due work, and one step of time while pending (R13). */
    HRESULT queryStatus(AsyncOp &op);
    HRESULT cancel(AsyncOp &op);

private:
    struct Phase;

    Result<void> requireInitialized() const;
    Result<void> requireNoPending() const;
    Result<void> injected(std::string_view method);
    AsyncPtr startOp(std::string_view name);
    void finishOp(const AsyncPtr &op, HRESULT hr);
    bool noWriterContext() const noexcept;
    bool namedNoWriterContext() const noexcept;
    std::vector<WriterEntry *> participants() const;
    SessionRecord &recordOf(WriterEntry &w);
    bool eligible(WriterEntry &w, Input event) const;

    // Event dispatch: deliver `event` to every recipient at this instant, apply each result when the
    // handler returns (or times out), then continue with `then` once the last one is in.
    void runPhase(Input event, std::vector<WriterEntry *> recipients, std::function<void(Phase &)> then);
    void deliver(const std::shared_ptr<Phase> &phase, std::size_t index, WriterEntry &w);
    void applyResult(WriterEntry &w, Input event, const EventCall &call, bool hung);
    void applyInput(WriterEntry &w, Input input, Outcome outcome, HRESULT setCode, const Failure *reported);
    void armFreezeWindow(WriterEntry &w);
    void endFreezeWindow(SessionRecord &r);
    void logCallbackDenied(const WriterEntry &w);

    // DoSnapshotSet (docs/behaviour.md §10) as a chain of phases.
    void snapshotFreeze(const AsyncPtr &op);
    void snapshotCommit(const AsyncPtr &op);
    void snapshotThaw(const AsyncPtr &op);
    void snapshotPostSnapshot(const AsyncPtr &op);
    void snapshotAbort(const AsyncPtr &op, HRESULT result);
    void endCreation();
    void discardShadowCopies();
    void drain(const std::function<bool()> &done);
    void settleCancelled();
    void freeSlot(WriterEntry &w, SessionRecord &r);
    void releaseSlotsAfterGather();

    std::shared_ptr<Service> service_;
    std::uint32_t number_ = 0;
    bool initialized_ = false;
    bool restore_ = false;
    VSS_ID sessionId_{};
    LONG context_ = VSS_CTX_BACKUP;
    bool contextSet_ = false;
    bool selectComponents_ = false;
    bool bootable_ = false;
    bool partialFiles_ = false;
    VSS_BACKUP_TYPE backupType_ = VSS_BT_FULL;
    VSS_RESTORE_TYPE restoreType_ = VSS_RTYPE_BY_COPY;

    std::vector<VSS_ID> disabledClasses_;
    std::optional<std::vector<VSS_ID>> enabledClasses_;
    std::vector<VSS_ID> disabledInstances_;

    bool metadataCalled_ = false;
    bool metadataDone_ = false;
    bool metadataFreed_ = false;
    std::vector<ListedWriter> listed_;

    VSS_ID setId_{};
    bool setStarted_ = false;
    std::vector<std::wstring> volumeNames_;
    std::vector<std::size_t> volumes_;
    std::vector<VSS_ID> snapshotIds_;
    bool prepareCalled_ = false;
    bool prepared_ = false;
    bool snapCalled_ = false;
    bool snapEnded_ = false;
    bool snapped_ = false;
    bool abortRaised_ = false;
    bool abortDelivered_ = false;
    bool completeCalled_ = false;
    bool completed_ = false;
    bool aborted_ = false;
    bool preRestoreCalled_ = false;
    bool preRestored_ = false;
    bool postRestoreCalled_ = false;
    bool postRestored_ = false;
    bool released_ = false;

    std::unordered_map<std::uint32_t, SessionRecord> records_;   ///< by writer uid
    std::vector<WriterEntry *> prepareRecipients_;   ///< writers that got PrepareForBackup (BackupShutdown)

    HeldStatus status_;
    mutable SpinLock statusMutex_;
    std::vector<ComponentRecord> bcd_;
    std::uint64_t componentGeneration_ = 0;

    AsyncPtr pending_;
    std::uint64_t freezeSerial_ = 0;
    int phasesRunning_ = 0;   ///< event phases delivered and not yet ended (their `then` not run)
};

} // namespace vsssim
