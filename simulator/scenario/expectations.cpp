#include "scenario/expectations.h"

#include <algorithm>
#include <array>

namespace vsssim {

namespace {

constexpr std::array<std::string_view, 7> kMachineOperations{
    "GatherWriterMetadata", "PrepareForBackup", "DoSnapshotSet", "BackupComplete",
    "GatherWriterStatus",   "PreRestore",       "PostRestore",
};

// Each row: docs/behaviour.md §17's "Correct reaction" column, split into what one detector can judge.
constexpr std::array<std::string_view, 1> kAbort{"M6"};
constexpr std::array<std::string_view, 2> kNoComplete{"M7", "M15"};
constexpr std::array<std::string_view, 2> kNotBackedUp{"M3", "M4"};
constexpr std::array<std::string_view, 1> kNoUnchangedRetry{"M8"};
constexpr std::array<std::string_view, 1> kRetryLater{"M9"};
constexpr std::array<std::string_view, 2> kFrees{"M1", "M13"};
constexpr std::array<std::string_view, 1> kGathers{"M10"};
constexpr std::array<std::string_view, 3> kReadsResults{"M2", "M15", "M18"};
constexpr std::array<std::string_view, 1> kMatches{"M5"};

constexpr std::array<Reaction, 9> kReactions{{
    {"abort-backup", "calls AbortBackup after a failed PrepareForBackup or DoSnapshotSet, before releasing the object",
     kAbort},
    {"no-backup-complete", "never calls BackupComplete after a failed or cancelled DoSnapshotSet", kNoComplete},
    {"failed-not-backed-up",
     "does not report the components of a writer whose status shows a failure (code or FAILED_AT_* state) as backed up",
     kNotBackedUp},
    {"no-unchanged-retry",
     "does not retry a writer that failed NONRETRYABLE or NOT_RESPONDING unchanged (until the writer restarts)",
     kNoUnchangedRetry},
    {"retry-after-10-minutes",
     "waits at least 10 minutes before retrying a retryable, load or provider failure, and retries at most 3 times",
     kRetryLater},
    {"frees-results", "frees every BSTR it was given and releases every IVssAsync and requester object", kFrees},
    {"gathers-after-complete",
     "gathers writer status after BackupComplete or PostRestore, so that the writers' session slots are freed",
     kGathers},
    {"reads-async-results",
     "reads each operation's result with QueryStatus (not Wait alone), stops polling a failed one, and treats "
     "VSS_S_ASYNC_CANCELLED as no result",
     kReadsResults},
    {"matches-by-instance", "matches writer status to metadata by instance id, not by index or class id", kMatches},
}};

constexpr std::array<MistakeKind, 19> kMistakeKinds{{
    {"M1", "BSTRs it was given never freed"},
    {"M2", "a polling loop that never ends on a failed operation"},
    {"M3", "a writer's failure code ignored: its components reported as backed up"},
    {"M4", "a writer's state ignored: success reported for a writer in FAILED_AT_* or UNKNOWN"},
    {"M5", "status matched to metadata by index or class id"},
    {"M6", "released without AbortBackup after PrepareForBackup or StartSnapshotSet"},
    {"M7", "BackupComplete after a failed DoSnapshotSet"},
    {"M8", "a non-retryable failure retried unchanged"},
    {"M9", "retried sooner than advised, or a fourth retry"},
    {"M10", "no GatherWriterStatus after BackupComplete or PostRestore"},
    {"M11", "status read before the gather completed, or after FreeWriterStatus"},
    {"M12", "writer classes disabled or enabled after GatherWriterMetadata"},
    {"M13", "an IVssAsync or requester object leaked"},
    {"M14", "SysFreeString on memory that is not a BSTR from the simulator"},
    {"M15", "VSS_S_ASYNC_CANCELLED treated as success"},
    {"M16", "a snapshot in a writer context without GatherWriterMetadata"},
    {"M17", "an IVssWriterComponentsExt used after it became invalid"},
    {"M18", "IVssAsync::Wait trusted alone: a failed operation's result never read"},
    {"M19", "Release or another call on an object whose reference count had reached 0"},
}};

} // namespace

std::span<const MistakeKind> mistakeTable() noexcept
{
    return kMistakeKinds;
}

std::span<const std::string_view> machineOperations() noexcept
{
    return kMachineOperations;
}

std::span<const Reaction> reactionTable() noexcept
{
    return kReactions;
}

const Reaction *findReaction(std::string_view name) noexcept
{
    const auto it = std::find_if(kReactions.begin(), kReactions.end(), [&](const Reaction &r) { return r.name == name; });
    return it == kReactions.end() ? nullptr : &*it;
}

} // namespace vsssim
