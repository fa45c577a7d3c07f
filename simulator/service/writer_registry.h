// Who is subscribed: writers in subscription order, keyed by (class id, instance id). Several
// writers may share a class id (the two Exchange writers do), so the instance id is the key.
#pragma once
#include "private.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "core/writer_state.h"
#include "service/model.h"

namespace vsssim {

class Session;
struct WriterEntry;

/// One event handed to a writer's code, and what the code did with it. The service points a
/// thread-local at it while the handler runs, so that SetWriterFailure(Ex), GetSessionId and
/// Sleep know which writer, session and handler they belong to (R6, R14).
struct EventCall {
    Input event = Input::Identify;
    Session *session = nullptr;
    WriterEntry *writer = nullptr;
    WriterMetadata *metadata = nullptr;   ///< Identify: the declaration to fill in
    /// Identify, instead: a declaration the handler makes the same every time, handed over shared
    /// rather than copied into every session's list (scripted writers).
    std::shared_ptr<const WriterMetadata> declared;
    VSS_ID snapshotSetId{};               ///< GetCurrentSnapshotSetId / OnBackupShutdown's argument

    // What the handler did.
    bool returned = true;                 ///< false: it never returns (a scripted hang)
    bool value = true;                    ///< the bool the On* method returned
    SimDuration took{0};                  ///< virtual time consumed (scripted delay, Sleep inside the handler)
    bool failureSet = false;
    Failure failure;
    bool threw = false;                   ///< an exception escaped the handler
};

/// The thread-local handler context: non-null only on the thread running a handler, while it runs.
EventCall *currentEventCall() noexcept;

/// A writer's code: a user's CVssWriter subclass (through its IVssWriterImpl) or a scripted writer.
class WriterHandler
{
public:
    virtual ~WriterHandler() = default;
    /** \brief Run the handler of `call.event`; record the outcome in `call`. Must not throw. */
    virtual void handle(EventCall &call) noexcept = 0;
    /** \brief The service stops (CVssWriter::OnVSSShutdown): no session, no state change. */
    virtual void shutdown() noexcept {}
};

/// The writer's public status (docs/behaviour.md §1.4): what sessions without a record of it see.
struct PublicStatus {
    VSS_WRITER_STATE state = VSS_WS_STABLE;
    HRESULT failure = S_OK;
    HRESULT hrApplication = S_OK;
    std::optional<std::wstring> message;
};

struct WriterEntry {
    std::uint32_t uid = 0;                ///< stable key within the service, never reused
    WriterIdentity identity;
    WriterHandler *handler = nullptr;
    std::unique_ptr<WriterHandler> ownedHandler;   ///< scripted writers own theirs
    bool subscribed = false;
    bool vanished = false;                ///< process gone: not responding everywhere
    WriterFaults faults;
    PublicStatus publicStatus;
    int backupSlotsHeld = 0;
    int restoreSlotsHeld = 0;
    bool shuttingDown = false;
};

class WriterRegistry
{
public:
    WriterEntry &add(std::unique_ptr<WriterEntry> entry);
    /** \brief Subscribed writers in subscription order. */
    std::vector<WriterEntry *> subscribed() const;
    const std::vector<std::unique_ptr<WriterEntry>> &all() const noexcept { return writers_; }
    WriterEntry *find(std::uint32_t uid) const noexcept;
    WriterEntry *findInstance(const VSS_ID &instanceId) const noexcept;
    /** \brief Move a (re)subscribing writer to the end of the subscription order. */
    void moveToEnd(WriterEntry &w);

private:
    std::vector<std::unique_ptr<WriterEntry>> writers_;
    std::vector<WriterEntry *> byUid_{nullptr};   ///< uid -> entry: uids are dense and never reused
    struct GuidHash {
        std::size_t operator()(const VSS_ID &id) const noexcept;
    };
    /// instance id -> every entry that had it, in subscription order (a restart keeps the old, vanished one):
    /// SetBackupSucceeded looks a writer up per component, which was quadratic with many writers.
    std::unordered_map<VSS_ID, std::vector<WriterEntry *>, GuidHash> byInstance_;
    std::uint32_t nextUid_ = 1;
};

} // namespace vsssim
