// The state machine of docs/behaviour.md §8, exhaustively: every row as the spec writes it, and every
// (state, input, outcome) triple the table does not cover is rejected without changing anything.
#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

#include <vsserror.h>

#include "core/names.h"
#include "core/writer_state.h"

using namespace vsssim;

namespace {

WriterStatus at(VSS_WRITER_STATE s, HRESULT failure = S_OK) { return WriterStatus{1u << s, s, failure}; }
const WriterStatus kNone{kNoRecord, VSS_WS_UNKNOWN, S_OK};

constexpr HRESULT kSet = VSS_E_WRITERERROR_RETRYABLE;   // what a handler passed to SetWriterFailure

struct Expect {
    const char *row;
    WriterStatus from;
    Input input;
    Outcome outcome;
    VSS_WRITER_STATE to;
    HRESULT code;
    bool abort;
};

// Transcribed from docs/behaviour.md §8, one line per row and outcome (NF/F/H spelled out).
const Expect kSpec[] = {
    {"P0", kNone, Input::PrepareForBackup, Outcome::NoSlot, VSS_WS_UNKNOWN, VSS_E_WRITER_STATUS_NOT_AVAILABLE, false},
    {"P1", kNone, Input::PrepareForBackup, Outcome::Ok, VSS_WS_STABLE, S_OK, false},
    {"P2", kNone, Input::PrepareForBackup, Outcome::NonFatal, VSS_WS_FAILED_AT_PREPARE_BACKUP, kSet, false},
    {"P2", kNone, Input::PrepareForBackup, Outcome::Fatal, VSS_WS_FAILED_AT_PREPARE_BACKUP, kSet, false},
    {"P2", kNone, Input::PrepareForBackup, Outcome::Hang, VSS_WS_FAILED_AT_PREPARE_BACKUP, VSS_E_WRITER_NOT_RESPONDING, false},
    {"S1", at(VSS_WS_STABLE), Input::PrepareForSnapshot, Outcome::Ok, VSS_WS_WAITING_FOR_FREEZE, S_OK, false},
    {"S2", at(VSS_WS_STABLE), Input::PrepareForSnapshot, Outcome::NonFatal, VSS_WS_FAILED_AT_PREPARE_SNAPSHOT, kSet, false},
    {"S2", at(VSS_WS_STABLE), Input::PrepareForSnapshot, Outcome::Fatal, VSS_WS_FAILED_AT_PREPARE_SNAPSHOT, kSet, false},
    {"S2", at(VSS_WS_STABLE), Input::PrepareForSnapshot, Outcome::Hang, VSS_WS_FAILED_AT_PREPARE_SNAPSHOT, VSS_E_WRITER_NOT_RESPONDING, false},
    {"F1", at(VSS_WS_WAITING_FOR_FREEZE), Input::Freeze, Outcome::Ok, VSS_WS_WAITING_FOR_THAW, S_OK, false},
    {"F2", at(VSS_WS_WAITING_FOR_FREEZE), Input::Freeze, Outcome::Fatal, VSS_WS_FAILED_AT_FREEZE, kSet, true},
    {"F2", at(VSS_WS_WAITING_FOR_FREEZE), Input::Freeze, Outcome::Hang, VSS_WS_FAILED_AT_FREEZE, VSS_E_WRITER_NOT_RESPONDING, true},
    {"F3", at(VSS_WS_WAITING_FOR_FREEZE), Input::Freeze, Outcome::NonFatal, VSS_WS_FAILED_AT_FREEZE, kSet, false},
    {"F4", at(VSS_WS_WAITING_FOR_FREEZE), Input::FreezeWindowExpired, Outcome::Window, VSS_WS_FAILED_AT_FREEZE, VSS_E_WRITERERROR_TIMEOUT, true},
    {"F4", at(VSS_WS_WAITING_FOR_THAW), Input::FreezeWindowExpired, Outcome::Window, VSS_WS_FAILED_AT_FREEZE, VSS_E_WRITERERROR_TIMEOUT, true},
    {"T1", at(VSS_WS_WAITING_FOR_THAW), Input::Thaw, Outcome::Ok, VSS_WS_WAITING_FOR_POST_SNAPSHOT, S_OK, false},
    {"T2", at(VSS_WS_WAITING_FOR_THAW), Input::Thaw, Outcome::Fatal, VSS_WS_FAILED_AT_THAW, kSet, true},
    {"T2", at(VSS_WS_WAITING_FOR_THAW), Input::Thaw, Outcome::Hang, VSS_WS_FAILED_AT_THAW, VSS_E_WRITER_NOT_RESPONDING, true},
    {"T3", at(VSS_WS_WAITING_FOR_THAW), Input::Thaw, Outcome::NonFatal, VSS_WS_FAILED_AT_THAW, kSet, false},
    {"Q1", at(VSS_WS_WAITING_FOR_POST_SNAPSHOT), Input::PostSnapshot, Outcome::Ok, VSS_WS_WAITING_FOR_BACKUP_COMPLETE, S_OK, false},
    {"Q2", at(VSS_WS_WAITING_FOR_POST_SNAPSHOT), Input::PostSnapshot, Outcome::Fatal, VSS_WS_FAILED_AT_POST_SNAPSHOT, kSet, false},
    {"Q2", at(VSS_WS_WAITING_FOR_POST_SNAPSHOT), Input::PostSnapshot, Outcome::Hang, VSS_WS_FAILED_AT_POST_SNAPSHOT, VSS_E_WRITER_NOT_RESPONDING, false},
    {"C1", at(VSS_WS_WAITING_FOR_BACKUP_COMPLETE), Input::BackupComplete, Outcome::Ok, VSS_WS_STABLE, S_OK, false},
    {"C2", at(VSS_WS_WAITING_FOR_BACKUP_COMPLETE), Input::BackupComplete, Outcome::NonFatal, VSS_WS_FAILED_AT_BACKUP_COMPLETE, kSet, false},
    {"A1", at(VSS_WS_WAITING_FOR_THAW), Input::Abort, Outcome::Ok, VSS_WS_STABLE, S_OK, false},
    {"A1", at(VSS_WS_WAITING_FOR_FREEZE), Input::Abort, Outcome::NonFatal, VSS_WS_STABLE, kSet, false},  // D4: code set in OnAbort
    {"A1", at(VSS_WS_STABLE), Input::Abort, Outcome::Fatal, VSS_WS_STABLE, kSet, false},
    {"A2", at(VSS_WS_FAILED_AT_FREEZE, VSS_E_WRITERERROR_TIMEOUT), Input::Abort, Outcome::Ok, VSS_WS_FAILED_AT_FREEZE, VSS_E_WRITERERROR_TIMEOUT, false},
    {"X1", at(VSS_WS_WAITING_FOR_BACKUP_COMPLETE), Input::BackupShutdown, Outcome::Ok, VSS_WS_STABLE, S_OK, false},
    {"X2", at(VSS_WS_STABLE), Input::BackupShutdown, Outcome::Fatal, VSS_WS_FAILED_AT_BACKUPSHUTDOWN, kSet, false},
    {"X3", at(VSS_WS_FAILED_AT_POST_SNAPSHOT, kSet), Input::BackupShutdown, Outcome::Fatal, VSS_WS_FAILED_AT_POST_SNAPSHOT, kSet, false},
    {"RS0", kNone, Input::PreRestore, Outcome::NoSlot, VSS_WS_UNKNOWN, VSS_E_WRITER_STATUS_NOT_AVAILABLE, false},
    {"RS1", kNone, Input::PreRestore, Outcome::Ok, VSS_WS_STABLE, S_OK, false},
    {"RS2", kNone, Input::PreRestore, Outcome::Hang, VSS_WS_FAILED_AT_PRE_RESTORE, VSS_E_WRITER_NOT_RESPONDING, false},
    {"RS3", at(VSS_WS_STABLE), Input::PostRestore, Outcome::Ok, VSS_WS_STABLE, S_OK, false},
    {"RS4", at(VSS_WS_STABLE), Input::PostRestore, Outcome::NonFatal, VSS_WS_FAILED_AT_POST_RESTORE, kSet, false},
    // The sticky first failure: later events run but change nothing; Freeze/Thaw vetoes still abort.
    {"K1", at(VSS_WS_FAILED_AT_PREPARE_SNAPSHOT, kSet), Input::Freeze, Outcome::Ok, VSS_WS_FAILED_AT_PREPARE_SNAPSHOT, kSet, false},
    {"K1", at(VSS_WS_FAILED_AT_FREEZE, kSet), Input::BackupComplete, Outcome::NonFatal, VSS_WS_FAILED_AT_FREEZE, kSet, false},
    {"K3", at(VSS_WS_FAILED_AT_FREEZE, kSet), Input::Thaw, Outcome::Fatal, VSS_WS_FAILED_AT_FREEZE, kSet, true},
    {"K4", at(VSS_WS_FAILED_AT_FREEZE, kSet), Input::FreezeWindowExpired, Outcome::Window, VSS_WS_FAILED_AT_FREEZE, kSet, true},
};

} // namespace

TEST_CASE("every row of docs/behaviour.md §8 gives the spec's state, code and abort")
{
    for (const Expect &e : kSpec) {
        INFO("row ", std::string(e.row), ": ", std::string(inputName(e.input)), " / ", std::string(outcomeName(e.outcome)));
        const Transition t = step(e.from, e.input, e.outcome, kSet);
        REQUIRE(t.legal);
        CHECK(std::string(t.row->id) == e.row);
        CHECK(t.state == e.to);
        CHECK(Hr{t.failure} == Hr{e.code});
        CHECK(t.abort == e.abort);
    }
}

TEST_CASE("a bare false records VSS_E_WRITERERROR_NONRETRYABLE (R5)")
{
    const Transition t = step(at(VSS_WS_WAITING_FOR_FREEZE), Input::Freeze, Outcome::Fatal, S_OK);
    CHECK(t.state == VSS_WS_FAILED_AT_FREEZE);
    CHECK(Hr{t.failure} == Hr{VSS_E_WRITERERROR_NONRETRYABLE});
    CHECK(t.abort);
}

TEST_CASE("false from OnAbort changes nothing (D4)")
{
    const Transition t = step(at(VSS_WS_WAITING_FOR_THAW), Input::Abort, Outcome::Fatal, S_OK);
    CHECK(t.state == VSS_WS_STABLE);
    CHECK(Hr{t.failure} == Hr{S_OK});
}

TEST_CASE("Identify lists or drops a writer without creating a record (I1-I3)")
{
    CHECK(step(kNone, Input::Identify, Outcome::Ok, S_OK).target == Target::Listed);
    CHECK(step(kNone, Input::Identify, Outcome::Fatal, S_OK).target == Target::Absent);
    CHECK(step(kNone, Input::Identify, Outcome::Hang, S_OK).target == Target::Absent);
}

TEST_CASE("no Abort after PostSnapshot (A3, R4) and none to a writer without a slot")
{
    CHECK_FALSE(delivers(at(VSS_WS_WAITING_FOR_BACKUP_COMPLETE), Input::Abort));
    CHECK(delivers(at(VSS_WS_WAITING_FOR_THAW), Input::Abort));
    CHECK(delivers(at(VSS_WS_FAILED_AT_FREEZE, kSet), Input::Abort));
}

TEST_CASE("every (state, input, outcome) the table does not cover is out of sequence and changes nothing")
{
    std::vector<WriterStatus> all{kNone};
    for (int s = VSS_WS_UNKNOWN; s < VSS_WS_COUNT; ++s)
        all.push_back(at(static_cast<VSS_WRITER_STATE>(s), s >= VSS_WS_FAILED_AT_IDENTIFY ? kSet : S_OK));
    int legal = 0, illegal = 0;
    for (const WriterStatus &from : all)
        for (int i = 0; i < kInputCount; ++i)
            for (int o = 0; o < kOutcomeCount; ++o) {
                const Input input = static_cast<Input>(i);
                const Outcome outcome = static_cast<Outcome>(o);
                // Which rows match is decided independently of step(): the table's own sets.
                bool covered = false;
                for (const Row &r : transitionTable())
                    covered = covered || ((r.from & from.stateBit) && (r.on & inputs({input})) && (r.when & outcomes({outcome})));
                const Transition t = step(from, input, outcome, kSet);
                INFO(std::string(inputName(input)), " ", std::string(outcomeName(outcome)), " from ",
                     from.stateBit == kNoRecord ? std::string("(none)") : std::string(writerStateName(from.state)));
                CHECK(t.legal == covered);
                if (!t.legal) {
                    ++illegal;
                    CHECK(t.state == from.state);
                    CHECK(t.failure == from.failure);
                    CHECK_FALSE(t.abort);
                } else {
                    ++legal;
                }
            }
    // Spot checks of pairs that must be out of sequence.
    CHECK_FALSE(step(at(VSS_WS_STABLE), Input::Thaw, Outcome::Ok, S_OK).legal);
    CHECK_FALSE(step(at(VSS_WS_STABLE), Input::Freeze, Outcome::Ok, S_OK).legal);
    CHECK_FALSE(step(kNone, Input::PostSnapshot, Outcome::Ok, S_OK).legal);
    CHECK_FALSE(step(at(VSS_WS_UNKNOWN), Input::PrepareForSnapshot, Outcome::Ok, S_OK).legal);
    CHECK_FALSE(step(at(VSS_WS_WAITING_FOR_BACKUP_COMPLETE), Input::Freeze, Outcome::Ok, S_OK).legal);
    CHECK(legal > 0);
    CHECK(illegal > legal);
}

TEST_CASE("rows are unambiguous: no (state, input, outcome) matches two rows")
{
    std::vector<WriterStatus> all{kNone};
    for (int s = VSS_WS_UNKNOWN; s < VSS_WS_COUNT; ++s)
        all.push_back(at(static_cast<VSS_WRITER_STATE>(s)));
    for (const WriterStatus &from : all)
        for (int i = 0; i < kInputCount; ++i)
            for (int o = 0; o < kOutcomeCount; ++o) {
                int matches = 0;
                for (const Row &r : transitionTable())
                    matches += (r.from & from.stateBit) && (r.on & inputs({static_cast<Input>(i)})) &&
                               (r.when & outcomes({static_cast<Outcome>(o)}));
                INFO(std::string(inputName(static_cast<Input>(i))), " ", std::string(outcomeName(static_cast<Outcome>(o))));
                CHECK(matches <= 1);
            }
}

TEST_CASE("every FAILED_AT state has its event")
{
    CHECK(failedStateOf(Input::Freeze) == VSS_WS_FAILED_AT_FREEZE);
    CHECK(failedStateOf(Input::BackupShutdown) == VSS_WS_FAILED_AT_BACKUPSHUTDOWN);
    CHECK(failedStateOf(Input::Abort) == VSS_WS_UNKNOWN);
    for (int i = 0; i < kInputCount; ++i)
        CHECK(inputByName(inputName(static_cast<Input>(i))) == static_cast<Input>(i));
}
