// The writer state machine of docs/behaviour.md §8: one table, one pure function.
// No clock, no logger, no allocation, so it can be tested exhaustively and drawn by `vss-sim graph`.
#pragma once
#include "private.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include <vss.h>

namespace vsssim {

/// What reaches a writer's session record: the VSS events, plus the expiry of its freeze window.
enum class Input : std::uint8_t {
    Identify,
    PrepareForBackup,
    PrepareForSnapshot,
    Freeze,
    Thaw,
    PostSnapshot,
    Abort,
    BackupComplete,
    BackupShutdown,
    PreRestore,
    PostRestore,
    FreezeWindowExpired,
};
inline constexpr int kInputCount = 12;
/// The VSS events proper (what a handler receives); FreezeWindowExpired is not one.
inline constexpr int kEventCount = 11;

std::string_view inputName(Input) noexcept;
std::optional<Input> inputByName(std::string_view) noexcept;

/// How a handler call ended (docs/behaviour.md §5), as the table distinguishes it.
enum class Outcome : std::uint8_t {
    Ok,        ///< returned true, no failure set
    NonFatal,  ///< set a failure, returned true
    Fatal,     ///< returned false (with or without a failure set)
    Hang,      ///< did not return within the event timeout
    Window,    ///< the freeze window expired before Thaw
    NoSlot,    ///< the writer had no free session slot
};
inline constexpr int kOutcomeCount = 6;
std::string_view outcomeName(Outcome) noexcept;

/// Sets of states, inputs and outcomes, so that one row can say "any FAILED_AT_*".
using StateSet = std::uint32_t;
/// The writer has no record in this session yet ("—" in §8): it shows its public status.
inline constexpr StateSet kNoRecord = 1u << VSS_WS_COUNT;
constexpr StateSet states(std::initializer_list<VSS_WRITER_STATE> list)
{
    StateSet s = 0;
    for (VSS_WRITER_STATE w : list)
        s |= 1u << w;
    return s;
}
inline constexpr StateSet kFailed = states({VSS_WS_FAILED_AT_IDENTIFY, VSS_WS_FAILED_AT_PREPARE_BACKUP,
    VSS_WS_FAILED_AT_PREPARE_SNAPSHOT, VSS_WS_FAILED_AT_FREEZE, VSS_WS_FAILED_AT_THAW,
    VSS_WS_FAILED_AT_POST_SNAPSHOT, VSS_WS_FAILED_AT_BACKUP_COMPLETE, VSS_WS_FAILED_AT_PRE_RESTORE,
    VSS_WS_FAILED_AT_POST_RESTORE, VSS_WS_FAILED_AT_BACKUPSHUTDOWN});
inline constexpr StateSet kNotFailed = states({VSS_WS_STABLE, VSS_WS_WAITING_FOR_FREEZE, VSS_WS_WAITING_FOR_THAW,
    VSS_WS_WAITING_FOR_POST_SNAPSHOT, VSS_WS_WAITING_FOR_BACKUP_COMPLETE});

using InputSet = std::uint16_t;
constexpr InputSet inputs(std::initializer_list<Input> list)
{
    InputSet s = 0;
    for (Input i : list)
        s |= static_cast<InputSet>(1u << static_cast<unsigned>(i));
    return s;
}
using OutcomeSet = std::uint8_t;
constexpr OutcomeSet outcomes(std::initializer_list<Outcome> list)
{
    OutcomeSet s = 0;
    for (Outcome o : list)
        s |= static_cast<OutcomeSet>(1u << static_cast<unsigned>(o));
    return s;
}
inline constexpr OutcomeSet kAnyOutcome = (1u << kOutcomeCount) - 1;

/// Where a row sends the record.
enum class Target : std::uint8_t {
    State,      ///< the row's `to` state
    Unchanged,  ///< sticky first failure, or an event that changes nothing
    Listed,     ///< Identify answered: listed, still no record
    Absent,     ///< Identify failed: absent from every list of the session
};

/// Which writer failure code the record carries afterwards.
enum class Code : std::uint8_t {
    Success,    ///< S_OK
    Failure,    ///< the outcome's code: the one set, NONRETRYABLE for a bare false, NOT_RESPONDING, TIMEOUT, STATUS_NOT_AVAILABLE
    SetInAbort, ///< whatever OnAbort set, else S_OK (D4)
    Unchanged,
};

struct Row {
    std::string_view id;  ///< the row name of docs/behaviour.md §8 (K rows are the sticky rule stated below that table)
    StateSet from;
    InputSet on;
    OutcomeSet when;
    Target target;
    VSS_WRITER_STATE to;
    Code code;
    bool abort;           ///< this outcome raises an Abort of the snapshot set
    bool delivered;       ///< false: the event does not reach the writer at all (A3)
};

std::span<const Row> transitionTable() noexcept;

/// A session record as the table sees it.
struct WriterStatus {
    StateSet stateBit;     ///< one bit: 1 << state, or kNoRecord
    VSS_WRITER_STATE state;
    HRESULT failure;
};

struct Transition {
    bool legal;            ///< a row covers (state, input, outcome); otherwise nothing changes
    const Row *row;
    Target target;
    VSS_WRITER_STATE state;
    HRESULT failure;
    bool abort;
    bool delivered;
};

/// The code an outcome records: `setCode` is what the handler passed to SetWriterFailure(Ex), S_OK if none.
HRESULT outcomeFailureCode(Outcome, HRESULT setCode) noexcept;

/// Apply one input with its outcome to a record. `current.stateBit == kNoRecord` means "—".
Transition step(WriterStatus current, Input input, Outcome outcome, HRESULT setCode) noexcept;

/// Whether `input` reaches a writer in `current` at all (false for A3 and for pairs no row covers).
bool delivers(WriterStatus current, Input input) noexcept;

/// The FAILED_AT_* state of an event, VSS_WS_UNKNOWN for inputs without one (Abort, window expiry).
VSS_WRITER_STATE failedStateOf(Input) noexcept;

} // namespace vsssim
