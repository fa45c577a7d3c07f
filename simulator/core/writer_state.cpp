#include "core/writer_state.h"

#include <array>

#include <vsserror.h>

namespace vsssim {

namespace {

constexpr std::array<std::string_view, kInputCount> kInputNames{
    "Identify", "PrepareForBackup", "PrepareForSnapshot", "Freeze", "Thaw", "PostSnapshot", "Abort",
    "BackupComplete", "BackupShutdown", "PreRestore", "PostRestore", "FreezeWindowExpired",
};
constexpr std::array<std::string_view, kOutcomeCount> kOutcomeNames{"ok", "non-fatal", "fatal", "hang", "window", "no-slot"};

using I = Input;
using O = Outcome;
constexpr OutcomeSet kFailing = outcomes({O::NonFatal, O::Fatal, O::Hang});
constexpr OutcomeSet kFatal = outcomes({O::Fatal, O::Hang});
constexpr StateSet kAbortable = states({VSS_WS_STABLE, VSS_WS_WAITING_FOR_FREEZE, VSS_WS_WAITING_FOR_THAW,
                                         VSS_WS_WAITING_FOR_POST_SNAPSHOT});
// Events a writer in a sticky failed state still receives and runs (docs/behaviour.md §8, below the table).
constexpr InputSet kStickyEvents = inputs({I::PrepareForSnapshot, I::Freeze, I::Thaw, I::PostSnapshot,
                                           I::BackupComplete, I::PostRestore});

constexpr VSS_WRITER_STATE kNone = VSS_WS_UNKNOWN;

// One row per row of docs/behaviour.md §8. Pairs no row covers are out of sequence: the service never
// produces them, and the exhaustive test proves that the table rejects them.
constexpr Row kRows[] = {
    // id    from                                on                            when                       target             to                                   code               abort  delivered
    {"I1",  kNoRecord,                           inputs({I::Identify}),         outcomes({O::Ok}),         Target::Listed,    kNone,                               Code::Unchanged,   false, true},
    {"I2",  kNoRecord,                           inputs({I::Identify}),         outcomes({O::Fatal, O::NonFatal}), Target::Absent, kNone,                       Code::Unchanged,   false, true},
    {"I3",  kNoRecord,                           inputs({I::Identify}),         outcomes({O::Hang}),       Target::Absent,    kNone,                               Code::Unchanged,   false, true},
    {"P0",  kNoRecord,                           inputs({I::PrepareForBackup}), outcomes({O::NoSlot}),     Target::State,     VSS_WS_UNKNOWN,                      Code::Failure,     false, false},
    {"P1",  kNoRecord,                           inputs({I::PrepareForBackup}), outcomes({O::Ok}),         Target::State,     VSS_WS_STABLE,                       Code::Success,     false, true},
    {"P2",  kNoRecord,                           inputs({I::PrepareForBackup}), kFailing,                  Target::State,     VSS_WS_FAILED_AT_PREPARE_BACKUP,     Code::Failure,     false, true},
    {"S1",  states({VSS_WS_STABLE}),             inputs({I::PrepareForSnapshot}), outcomes({O::Ok}),       Target::State,     VSS_WS_WAITING_FOR_FREEZE,           Code::Success,     false, true},
    {"S2",  states({VSS_WS_STABLE}),             inputs({I::PrepareForSnapshot}), kFailing,                Target::State,     VSS_WS_FAILED_AT_PREPARE_SNAPSHOT,   Code::Failure,     false, true},
    {"F1",  states({VSS_WS_WAITING_FOR_FREEZE}), inputs({I::Freeze}),           outcomes({O::Ok}),         Target::State,     VSS_WS_WAITING_FOR_THAW,             Code::Success,     false, true},
    {"F2",  states({VSS_WS_WAITING_FOR_FREEZE}), inputs({I::Freeze}),           kFatal,                    Target::State,     VSS_WS_FAILED_AT_FREEZE,             Code::Failure,     true,  true},
    {"F3",  states({VSS_WS_WAITING_FOR_FREEZE}), inputs({I::Freeze}),           outcomes({O::NonFatal}),   Target::State,     VSS_WS_FAILED_AT_FREEZE,             Code::Failure,     false, true},
    // F4: the window runs from Freeze delivery, so a writer still inside OnFreeze is covered too
    // (§5 precedence: a hung OnFreeze ends FAILED_AT_FREEZE + TIMEOUT with the default windows).
    {"F4",  states({VSS_WS_WAITING_FOR_FREEZE, VSS_WS_WAITING_FOR_THAW}), inputs({I::FreezeWindowExpired}), outcomes({O::Window}), Target::State, VSS_WS_FAILED_AT_FREEZE, Code::Failure, true, true},
    {"T1",  states({VSS_WS_WAITING_FOR_THAW}),   inputs({I::Thaw}),             outcomes({O::Ok}),         Target::State,     VSS_WS_WAITING_FOR_POST_SNAPSHOT,    Code::Success,     false, true},
    {"T2",  states({VSS_WS_WAITING_FOR_THAW}),   inputs({I::Thaw}),             kFatal,                    Target::State,     VSS_WS_FAILED_AT_THAW,               Code::Failure,     true,  true},
    {"T3",  states({VSS_WS_WAITING_FOR_THAW}),   inputs({I::Thaw}),             outcomes({O::NonFatal}),   Target::State,     VSS_WS_FAILED_AT_THAW,               Code::Failure,     false, true},
    {"Q1",  states({VSS_WS_WAITING_FOR_POST_SNAPSHOT}), inputs({I::PostSnapshot}), outcomes({O::Ok}),      Target::State,     VSS_WS_WAITING_FOR_BACKUP_COMPLETE,  Code::Success,     false, true},
    {"Q2",  states({VSS_WS_WAITING_FOR_POST_SNAPSHOT}), inputs({I::PostSnapshot}), kFailing,               Target::State,     VSS_WS_FAILED_AT_POST_SNAPSHOT,      Code::Failure,     false, true},
    {"C1",  states({VSS_WS_WAITING_FOR_BACKUP_COMPLETE}), inputs({I::BackupComplete}), outcomes({O::Ok}),  Target::State,     VSS_WS_STABLE,                       Code::Success,     false, true},
    {"C2",  states({VSS_WS_WAITING_FOR_BACKUP_COMPLETE}), inputs({I::BackupComplete}), kFailing,           Target::State,     VSS_WS_FAILED_AT_BACKUP_COMPLETE,    Code::Failure,     false, true},
    {"A1",  kAbortable,                          inputs({I::Abort}),            kAnyOutcome & ~outcomes({O::Window, O::NoSlot}), Target::State, VSS_WS_STABLE,      Code::SetInAbort,  false, true},
    {"A2",  kFailed,                             inputs({I::Abort}),            kAnyOutcome & ~outcomes({O::Window, O::NoSlot}), Target::Unchanged, kNone,          Code::Unchanged,   false, true},
    {"A3",  states({VSS_WS_WAITING_FOR_BACKUP_COMPLETE}), inputs({I::Abort}),   kAnyOutcome,               Target::Unchanged, kNone,                               Code::Unchanged,   false, false},
    {"X1",  kNotFailed,                          inputs({I::BackupShutdown}),   outcomes({O::Ok}),         Target::State,     VSS_WS_STABLE,                       Code::Success,     false, true},
    {"X2",  kNotFailed,                          inputs({I::BackupShutdown}),   kFailing,                  Target::State,     VSS_WS_FAILED_AT_BACKUPSHUTDOWN,     Code::Failure,     false, true},
    {"X3",  kFailed,                             inputs({I::BackupShutdown}),   kAnyOutcome & ~outcomes({O::Window, O::NoSlot}), Target::Unchanged, kNone,          Code::Unchanged,   false, true},
    {"RS0", kNoRecord,                           inputs({I::PreRestore}),       outcomes({O::NoSlot}),     Target::State,     VSS_WS_UNKNOWN,                      Code::Failure,     false, false},
    {"RS1", kNoRecord,                           inputs({I::PreRestore}),       outcomes({O::Ok}),         Target::State,     VSS_WS_STABLE,                       Code::Success,     false, true},
    {"RS2", kNoRecord,                           inputs({I::PreRestore}),       kFailing,                  Target::State,     VSS_WS_FAILED_AT_PRE_RESTORE,        Code::Failure,     false, true},
    {"RS3", states({VSS_WS_STABLE}),             inputs({I::PostRestore}),      outcomes({O::Ok}),         Target::State,     VSS_WS_STABLE,                       Code::Success,     false, true},
    {"RS4", states({VSS_WS_STABLE}),             inputs({I::PostRestore}),      kFailing,                  Target::State,     VSS_WS_FAILED_AT_POST_RESTORE,       Code::Failure,     false, true},
    // Sticky first failure (R4): later events run but change nothing; a fatal Freeze or Thaw, or an
    // expired window, still aborts the set (R5, F4 "unless already failed").
    {"K1",  kFailed,                             kStickyEvents,                 outcomes({O::Ok, O::NonFatal}), Target::Unchanged, kNone,                       Code::Unchanged,   false, true},
    {"K2",  kFailed,                             kStickyEvents & ~inputs({I::Freeze, I::Thaw}), kFatal,   Target::Unchanged, kNone,                               Code::Unchanged,   false, true},
    {"K3",  kFailed,                             inputs({I::Freeze, I::Thaw}),  kFatal,                    Target::Unchanged, kNone,                               Code::Unchanged,   true,  true},
    {"K4",  kFailed,                             inputs({I::FreezeWindowExpired}), outcomes({O::Window}),  Target::Unchanged, kNone,                               Code::Unchanged,   true,  true},
};


} // namespace

std::string_view inputName(Input i) noexcept { return kInputNames[static_cast<std::size_t>(i)]; }

std::optional<Input> inputByName(std::string_view name) noexcept
{
    for (std::size_t i = 0; i < kInputNames.size(); ++i)
        if (kInputNames[i] == name)
            return static_cast<Input>(i);
    return std::nullopt;
}

std::string_view outcomeName(Outcome o) noexcept { return kOutcomeNames[static_cast<std::size_t>(o)]; }

std::span<const Row> transitionTable() noexcept { return kRows; }

HRESULT outcomeFailureCode(Outcome o, HRESULT setCode) noexcept
{
    switch (o) {
    case Outcome::Ok:
        return S_OK;
    case Outcome::NonFatal:
        return setCode;
    case Outcome::Fatal:  // R5: a bare false is non-retryable
        return setCode != S_OK ? setCode : VSS_E_WRITERERROR_NONRETRYABLE;
    case Outcome::Hang:
        return VSS_E_WRITER_NOT_RESPONDING;
    case Outcome::Window:
        return VSS_E_WRITERERROR_TIMEOUT;
    case Outcome::NoSlot:
        return VSS_E_WRITER_STATUS_NOT_AVAILABLE;
    }
    return E_UNEXPECTED;
}

namespace {

const Row *findRow(WriterStatus current, Input input, OutcomeSet when) noexcept
{
    const InputSet in = inputs({input});
    for (const Row &r : kRows)
        if ((r.from & current.stateBit) && (r.on & in) && (r.when & when))
            return &r;
    return nullptr;
}

} // namespace

Transition step(WriterStatus current, Input input, Outcome outcome, HRESULT setCode) noexcept
{
    const Row *r = findRow(current, input, outcomes({outcome}));
    if (!r)
        return {false, nullptr, Target::Unchanged, current.state, current.failure, false, false};
    Transition t{true, r, r->target, current.state, current.failure, r->abort, r->delivered};
    if (r->target == Target::State)
        t.state = r->to;
    switch (r->code) {
    case Code::Success:
        t.failure = S_OK;
        break;
    case Code::Failure:
        t.failure = outcomeFailureCode(outcome, setCode);
        break;
    case Code::SetInAbort:
        t.failure = outcome == Outcome::Ok ? S_OK : setCode;
        break;
    case Code::Unchanged:
        break;
    }
    return t;
}

bool delivers(WriterStatus current, Input input) noexcept
{
    const Row *r = findRow(current, input, kAnyOutcome);
    return r && r->delivered;
}

VSS_WRITER_STATE failedStateOf(Input i) noexcept
{
    switch (i) {
    case Input::Identify: return VSS_WS_FAILED_AT_IDENTIFY;
    case Input::PrepareForBackup: return VSS_WS_FAILED_AT_PREPARE_BACKUP;
    case Input::PrepareForSnapshot: return VSS_WS_FAILED_AT_PREPARE_SNAPSHOT;
    case Input::Freeze: return VSS_WS_FAILED_AT_FREEZE;
    case Input::Thaw: return VSS_WS_FAILED_AT_THAW;
    case Input::PostSnapshot: return VSS_WS_FAILED_AT_POST_SNAPSHOT;
    case Input::BackupComplete: return VSS_WS_FAILED_AT_BACKUP_COMPLETE;
    case Input::BackupShutdown: return VSS_WS_FAILED_AT_BACKUPSHUTDOWN;
    case Input::PreRestore: return VSS_WS_FAILED_AT_PRE_RESTORE;
    case Input::PostRestore: return VSS_WS_FAILED_AT_POST_RESTORE;
    case Input::Abort:
    case Input::FreezeWindowExpired:
        return VSS_WS_UNKNOWN;
    }
    return VSS_WS_UNKNOWN;
}

} // namespace vsssim
