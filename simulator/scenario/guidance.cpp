#include "scenario/guidance.h"

#include <vsserror.h>

#include "core/names.h"

namespace vsssim {

namespace {

constexpr std::string_view kStatus = "writer status (GetWriterStatus, GetWriterStatusEx)";
constexpr std::string_view kStatusEx = "writer status (GetWriterStatusEx; GetWriterStatus passes it through, R16)";
constexpr std::string_view kSnapshot = "the result of DoSnapshotSet";
constexpr std::string_view kWriterSets = "a writer, through SetWriterFailure(Ex)";
constexpr std::string_view kProvider = "the provider, through the VSS service";

constexpr std::string_view kRetryableReaction =
    "retry the whole backup unchanged; if it persists, restart the service hosting the writer (Registry, COM+ REGDB, "
    "Shadow Copy Optimization and ASR writers live in the VSS service; on WS2003/XP also event log and MSDE writers) "
    "or the hosting application";
constexpr std::string_view kSevereReaction = "do not back up that writer's data with VSS; report; do not retry unchanged";

// docs/behaviour.md §17, in its order.
constexpr Guidance kGuidance[] = {
    {VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT, kStatus, kWriterSets,
     "the set misses volumes the writer needs", "add the missing volumes to the set, then retry",
     "immediately, after reconfiguring"},
    {VSS_E_WRITERERROR_RETRYABLE, kStatus, kWriterSets, "transient", kRetryableReaction,
     "wait 10 minutes, at most 3 retries"},
    {VSS_E_WRITERERROR_OUTOFRESOURCES, kStatus, kWriterSets, "load problem", "reduce system load, then retry",
     "10 minutes, at most 3"},
    {VSS_E_WRITERERROR_TIMEOUT, kStatus,
     "the VSS service when a writer's freeze window expires before Thaw (R7), or a writer through SetWriterFailure(Ex)",
     "load problem", "reduce system load, then retry", "10 minutes, at most 3"},
    {VSS_E_WRITER_STATUS_NOT_AVAILABLE, kStatus, "the VSS service: the writer had no free session slot (R10)",
     "writer out of session slots",
     "retry when the system is less busy; complete own sessions properly (BackupComplete/PostRestore + "
     "GatherWriterStatus) so slots are freed",
     "later"},
    {VSS_E_WRITERERROR_NONRETRYABLE, kStatus,
     "a writer, through SetWriterFailure(Ex) or by returning false without a code (R5)", "severe", kSevereReaction,
     "none"},
    {VSS_E_WRITER_NOT_RESPONDING, kStatus,
     "the VSS service: the writer hung past the event timeout, exited, or ignores status requests (R9)", "severe",
     kSevereReaction, "none"},
    {VSS_E_WRITERERROR_PARTIAL_FAILURE, kStatusEx, "a writer, through SetWriterFailureEx after IVssComponentEx2::SetFailure",
     "some components failed",
     "read IVssComponentEx2::GetFailure per component; treat only failed components as failed", "per component code"},
    {VSS_E_FLUSH_WRITES_TIMEOUT, kSnapshot, kProvider, "provider-side, often transient", "AbortBackup, release",
     "10 minutes, at most 3"},
    {VSS_E_HOLD_WRITES_TIMEOUT, kSnapshot, kProvider, "provider-side, often transient", "AbortBackup, release",
     "10 minutes, at most 3"},
    {VSS_E_PROVIDER_VETO, kSnapshot, kProvider, "provider-side, often transient", "AbortBackup, release",
     "10 minutes, at most 3"},
    {VSS_E_UNEXPECTED_PROVIDER_ERROR, kSnapshot, kProvider, "provider-side, often transient", "AbortBackup, release",
     "10 minutes, at most 3"},
    {VSS_E_UNEXPECTED_WRITER_ERROR, kSnapshot, "the VSS service, after a writer caused an Abort (R8)",
     "a writer caused an Abort", "AbortBackup; read status to find the writer and act on its code", "per that code"},
    {VSS_E_SNAPSHOT_SET_IN_PROGRESS, "the result of StartSnapshotSet or DoSnapshotSet",
     "the VSS service: only one snapshot-set creation runs at a time (R18)", "another creation runs",
     "wait a few moments and retry, with a bound", "seconds, bounded"},
    {VSS_E_BAD_STATE, "any requester method", "the requester object: a call out of sequence (R1)",
     "sequence error in the requester", "fix the requester; never retry blindly", "none"},
};

constexpr std::string_view kVetoSituation = "a veto from a writer whose data is not needed";
constexpr std::string_view kVeto = "may be ignored; if the requester stops after PrepareForBackup it must call AbortBackup";

constexpr StateGuidance kStateGuidance[] = {
    {VSS_WS_WAITING_FOR_BACKUP_COMPLETE, "after DoSnapshotSet", "normal",
     "proceed; [1] or [5] both count as healthy for a new backup (VShadow documentation)"},
    // Not being selected is not the reason: unselected writers receive every event too (§1.3).
    {VSS_WS_STABLE, "after DoSnapshotSet in a component-mode backup",
     "it did not take part (disabled before GatherWriterMetadata, or a context without writers), or an Abort returned it to [1]",
     "do not assume its data is application-consistent"},
    {VSS_WS_FAILED_AT_PREPARE_BACKUP, kVetoSituation, "", kVeto},
    {VSS_WS_FAILED_AT_PREPARE_SNAPSHOT, kVetoSituation, "", kVeto},
    {VSS_WS_FAILED_AT_FREEZE, kVetoSituation, "", kVeto},
    {VSS_WS_FAILED_AT_THAW, kVetoSituation, "", kVeto},
    {VSS_WS_FAILED_AT_POST_SNAPSHOT, kVetoSituation, "", kVeto},
};

} // namespace

std::span<const Guidance> guidanceTable() noexcept { return kGuidance; }

const Guidance *guidanceFor(HRESULT code) noexcept
{
    for (const Guidance &g : kGuidance)
        if (g.code == code)
            return &g;
    return nullptr;
}

std::span<const StateGuidance> stateGuidanceTable() noexcept { return kStateGuidance; }

std::string_view producerOf(HRESULT code) noexcept
{
    if (const Guidance *g = guidanceFor(code))
        return g->producer;
    const std::string_view name = hresultName(code).value_or("");
    if (name.starts_with("VSS_"))
        return "VSS methods, as a synchronous return or an asynchronous result";
    if (name.empty())
        return "nothing in the simulator: a code from outside VSS, known here by its bits only";
    return "any method: a generic COM/Win32 code";
}

} // namespace vsssim
