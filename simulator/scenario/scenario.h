// A scenario: writers that fail the way real ones do, the service settings, an optional scripted
// requester, and the expectations a run is checked against. The loader fills it from a TOML file
// (scenarios/README.md documents the format); the runner replays it on a fresh Service.
#pragma once
#include "private.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "service/model.h"
#include "service/service.h"

namespace vsssim {

/// Where a value came from, so that run-time verdicts can point at the file too.
struct SourcePos {
    std::string file;
    std::uint32_t line = 0;
    std::uint32_t column = 0;
};

struct ScenarioWriter {
    std::string name;                  ///< a profile writer's name (then only the fields given change it), or a new one
    std::optional<VSS_ID> classId;     ///< required for a writer not in the profiles
    std::optional<VSS_ID> instanceId;  ///< pinned (R12)
    std::optional<std::wstring> instanceName;
    std::optional<VSS_USAGE_TYPE> usage;
    std::optional<SimDuration> freezeTimeout;
    std::optional<std::vector<ComponentDecl>> components;
    WriterFaults faults;
    bool identifyFails = false;        ///< convenience for a bare false at Identify
    SourcePos pos;
};

/// One step of the scripted requester. `call` is an IVssBackupComponents method name or one of the
/// harness verbs (Sleep, Wait, Cancel, Release, NewRequester, RestartWriter, VanishWriter,
/// SelectAllComponents, SetBackupSucceededAll, SelectAllForRestore, SetFileRestoreStatusAll,
/// BackgroundSnapshot, RestartService, ListWriters).
struct Step {
    std::string call;
    std::string label;                 ///< what expectations name; defaults to `call`
    // Arguments; which ones a call uses is documented in scenarios/README.md.
    std::wstring volume;
    std::string writer;
    std::optional<HRESULT> expect;     ///< the call's synchronous or async result
    std::optional<SimDuration> duration;
    std::optional<LONG> context;
    std::optional<bool> selectComponents;
    std::optional<bool> bootable;
    std::optional<VSS_BACKUP_TYPE> backupType;
    std::optional<bool> succeeded;
    std::optional<VSS_FILE_RESTORE_STATUS> restoreStatus;
    std::vector<std::string> writers;  ///< Disable/EnableWriterClasses by writer name
    bool async = false;                ///< start the operation and go on without waiting
    SourcePos pos;
};

/// Something that happens on the machine besides the requester (scenarios/README.md "Background
/// activity"): another requester's creation, a writer process restarting or dying. It happens for
/// the built-in script and for a program under test alike.
struct Background {
    std::string action;                ///< BackgroundSnapshot, RestartWriter, VanishWriter
    std::optional<SimDuration> at;     ///< at this virtual time from the start
    std::string onCall;                ///< or just before the requester's nth call of this method
    int occurrence = 1;
    std::optional<SimDuration> duration;   ///< BackgroundSnapshot: how long the creation holds the lock
    std::string writer;                ///< RestartWriter, VanishWriter
    SourcePos pos;
};

/// Whom an expectation is about (scenarios/README.md, "Three kinds of expectation").
enum class ExpectationKind {
    Machine,   ///< what the simulated machine does when a requester's operation ends: any requester
    Reaction,  ///< what a correct requester does about the scenario's failure (docs/behaviour.md §17)
    Script,    ///< what the built-in script (or the [[step]]s) reads at its labels
};

/// A claim about the run: checked when an operation ends (`when`), after the step it names
/// (`after`), or at the end.
struct Expectation {
    std::string when;                  ///< machine: the requester operation whose end is checked
    std::string reaction;              ///< reaction: a name of reactionTable()
    std::string after;                 ///< step label; "" = at the end of the run
    int occurrence = 1;                ///< the nth step with that label, or the nth end of `when`
    int session = 0;                   ///< machine: only in the requester's nth session (0 = any)
    std::optional<bool> componentsSelected;  ///< machine: only in sessions of that mode (SetBackupState)
    std::string writer;                ///< status claims: this writer's entry in the held list
    std::optional<VSS_WRITER_STATE> state;
    std::optional<HRESULT> failure;
    std::optional<HRESULT> applicationCode;
    std::optional<std::wstring> message;
    std::optional<bool> listed;        ///< present in the status list or not
    std::optional<UINT> count;         ///< GetWriterStatusCount
    std::optional<HRESULT> result;     ///< the step's result
    std::vector<std::string> events;   ///< the events this writer received so far, in order
    std::vector<std::string> mistakes; ///< requester mistakes detected (M1..M17), at the end
    std::optional<std::string> publicState;  ///< vssadmin's view ("[8] Failed") at that point
    SourcePos pos;

    ExpectationKind kind() const noexcept
    {
        return !when.empty() ? ExpectationKind::Machine
             : !reaction.empty() ? ExpectationKind::Reaction
             : ExpectationKind::Script;
    }
};

struct Scenario {
    std::string path;
    std::string name;
    std::string description;
    std::vector<std::string> sources;
    std::uint64_t seed = 0;
    bool realTime = false;
    double timeScale = 1.0;
    std::vector<std::string> profiles{"win-client"};
    ServiceSettings settings;
    ProviderSettings provider;
    std::vector<Volume> volumes;       ///< extra volumes, or flags on C:\ D:\ E:\ by name
    std::vector<ScenarioWriter> writers;
    std::vector<CallFault> callFaults;
    std::vector<Background> background;
    std::optional<SimDuration> notReadyFor;   ///< S18: the service restarts at t = 0
    HRESULT notReadyResult = VSS_E_UNEXPECTED;
    std::string script = "backup";     ///< built-in requester: backup, restore, observer, none; or steps
    std::vector<Step> steps;           ///< explicit steps replace the built-in script
    // Built-in script settings.
    bool componentMode = true;
    std::vector<std::wstring> snapshotVolumes{L"C:\\"};
    VSS_BACKUP_TYPE backupType = VSS_BT_FULL;
    LONG context = VSS_CTX_BACKUP;
    std::vector<Expectation> expectations;
};

} // namespace vsssim
