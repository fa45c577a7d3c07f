// The data the service keeps about writers, their metadata, the backup components document, volumes
// and injected faults. Plain structs: the scenario loader fills them, the boundary reads them.
#pragma once
#include "private.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <vsbackup.h>

#include "core/clock.h"
#include "service/os_versions.h"
#include "core/writer_state.h"

namespace vsssim {

/// What a writer reported through SetWriterFailure(Ex) or a component's SetFailure.
struct Failure {
    HRESULT hrWriter = S_OK;
    HRESULT hrApplication = S_OK;
    std::optional<std::wstring> message;  ///< nullopt: NULL was passed
};

// ---- Writer metadata (what OnIdentify declares) ----

struct FileSpec {
    std::wstring path;
    std::wstring filespec;
    bool recursive = false;
    std::wstring alternateLocation;
    DWORD backupTypeMask = VSS_FSBT_ALL_BACKUP_REQUIRED | VSS_FSBT_ALL_SNAPSHOT_REQUIRED;
};

struct Dependency {
    VSS_ID writerId{};
    std::wstring logicalPath;
    std::wstring componentName;
};

struct ComponentDecl {
    VSS_COMPONENT_TYPE type = VSS_CT_FILEGROUP;
    std::wstring logicalPath;
    std::wstring name;
    std::wstring caption;
    std::vector<BYTE> icon;
    bool restoreMetadata = false;
    bool notifyOnBackupComplete = false;
    bool selectable = true;
    bool selectableForRestore = false;
    DWORD flags = 0;
    std::vector<FileSpec> files;      ///< file-group files, or database files
    std::vector<FileSpec> logFiles;   ///< database log files
    std::vector<Dependency> dependencies;
};

struct RestoreMethod {
    VSS_RESTOREMETHOD_ENUM method = VSS_RME_UNDEFINED;
    std::wstring service;
    std::wstring userProcedure;
    VSS_WRITERRESTORE_ENUM writerRestore = VSS_WRE_UNDEFINED;
    bool rebootRequired = false;
};

struct WriterMetadata {
    std::vector<FileSpec> includeFiles;
    std::vector<FileSpec> excludeFiles;
    std::vector<FileSpec> excludeFromSnapshot;
    std::vector<ComponentDecl> components;
    RestoreMethod restoreMethod;
    std::vector<FileSpec> alternateMappings;
    DWORD backupSchema = 0;
};

/// Who the writer is: what Initialize / InitializeEx received.
struct WriterIdentity {
    VSS_ID classId{};
    VSS_ID instanceId{};
    std::string name;            ///< UTF-8 copy for logs and traces
    std::wstring wideName;       ///< exactly what Initialize received
    std::wstring instanceName;
    DWORD versionMajor = 0;
    DWORD versionMinor = 0;
    VSS_USAGE_TYPE usage = VSS_UT_UNDEFINED;
    VSS_SOURCE_TYPE source = VSS_ST_UNDEFINED;
    VSS_APPLICATION_LEVEL level = VSS_APP_FRONT_END;
    SimDuration freezeTimeout = ms(60000);
    DWORD eventFlags = VSS_SM_BACKUP_EVENTS_FLAG | VSS_SM_RESTORE_EVENTS_FLAG;
};

// ---- Backup components document (BCD) ----

struct RestoreSubcomponent {
    std::wstring logicalPath;
    std::wstring name;
    bool repair = false;
};

/// IVssComponent::AddPartialFile: only ranges of a file are backed up.
struct PartialFile {
    std::wstring path;
    std::wstring filename;
    std::wstring ranges;
    std::wstring metadata;
};

/// IVssComponent::AddDirectedTarget: a restore remaps a file, or ranges of it, to another place.
struct DirectedTarget {
    std::wstring sourcePath;
    std::wstring sourceFilename;
    std::wstring sourceRanges;
    std::wstring destinationPath;
    std::wstring destinationFilename;
    std::wstring destinationRanges;
};

/// IVssComponent::AddDifferencedFilesByLastModifyTime: whole files backed up if modified since then.
struct DifferencedFiles {
    std::wstring path;
    std::wstring filespec;
    bool recursive = false;
    FILETIME lastModifyTime{};
};

/// One component the requester added (backup) or that a restore selects; IVssComponent reads it.
struct ComponentRecord {
    VSS_ID instanceId{};
    VSS_ID writerId{};
    VSS_COMPONENT_TYPE type = VSS_CT_FILEGROUP;
    std::wstring logicalPath;
    std::wstring name;
    bool backupSucceeded = false;
    std::wstring backupOptions, restoreOptions, backupStamp, previousBackupStamp;
    std::optional<std::wstring> backupMetadata, restoreMetadata;
    std::optional<std::wstring> prepareForBackupFailureMsg, postSnapshotFailureMsg, preRestoreFailureMsg,
        postRestoreFailureMsg;
    bool selectedForRestore = false;
    bool additionalRestores = false;
    VSS_RESTORE_TARGET restoreTarget = VSS_RT_ORIGINAL;
    VSS_FILE_RESTORE_STATUS fileRestoreStatus = VSS_RS_UNDEFINED;
    bool authoritativeRestore = false;
    VSS_ROLLFORWARD_TYPE rollForwardType = VSS_RF_UNDEFINED;
    std::wstring rollForwardPoint, restoreName;
    std::vector<RestoreSubcomponent> subcomponents;
    std::vector<FileSpec> alternateMappings, newTargets;
    std::optional<Failure> failure;   ///< IVssComponentEx2::SetFailure
    std::vector<PartialFile> partialFiles;
    std::vector<DirectedTarget> directedTargets;
    std::vector<DifferencedFiles> differencedFiles;
};

// ---- Volumes and shadow copies ----

struct Volume {
    std::wstring name;            ///< "C:\"
    std::wstring guidPath;        ///< "\\?\Volume{...}\"
    std::vector<std::wstring> mountPoints;
    HRESULT addFault = S_OK;      ///< AddToSnapshotSet result (unsupported, nested, provider veto)
    HRESULT supportFault = S_OK;  ///< IsVolumeSupported result
    int maxShadowCopies = 64;
};

struct ShadowCopy {
    VSS_ID id{};
    VSS_ID setId{};
    std::size_t volume = 0;       ///< index into the service's volumes
    long deviceNumber = 0;        ///< HarddiskVolumeShadowCopy<N>
    LONG context = VSS_CTX_BACKUP;
    SimTime created{};
    bool committed = false;
    std::uint32_t session = 0;
};

// ---- Fault injection (docs/behaviour.md §16; R5, R9, R17) ----

/// What a writer does at one event, beyond (or instead of) its handler code.
struct EventFault {
    Input event = Input::Freeze;
    bool fail = false;                ///< report a failure
    bool veto = true;                 ///< with fail: return false (fatal); otherwise non-fatal
    HRESULT hrWriter = S_OK;          ///< S_OK with veto: a bare false
    std::optional<HRESULT> hrApplication;
    std::optional<std::wstring> message;
    bool randomRetryable = false;     ///< VSS Test Writer retryable="yes": drawn from the seed
    SimDuration delay{0};             ///< virtual time the handler takes
    bool hang = false;                ///< never returns: the event timeout decides
    int firstN = -1;                  ///< fail only the first N deliveries (counted across sessions); -1 always
    int seen = 0;
    std::optional<bool> whenComponentsSelected;   ///< condition on the session (S7)
    std::vector<std::wstring> requireVolumes;     ///< fail unless every one is in the set (S5)
    std::vector<std::pair<std::wstring, Failure>> componentFailures;  ///< "path\name" -> SetFailure (partial failure)
};

struct WriterFaults {
    std::vector<EventFault> events;
    bool ignoreStatus = false;        ///< R9: status requests answered by the service after the event timeout
    SimDuration statusDelay{0};       ///< answers status requests late (vssadmin preamble, S3)
    bool identifyLost = false;        ///< S15 B: the Identify answer never arrives
};

/// A requester-API fault: the nth call of a method (0: every call) returns hr.
struct CallFault {
    std::string method;
    HRESULT hr = E_OUTOFMEMORY;
    int occurrence = 0;
    bool async = false;               ///< as the asynchronous result instead of the synchronous return
    int seen = 0;
};

struct ProviderSettings {
    SimDuration commitDuration = ms(1000);
    HRESULT commitFault = S_OK;       ///< R8 list
    std::optional<HRESULT> writerAbortResult;   ///< DoSnapshotSet result after a writer-caused Abort
    VSS_ID providerId{0xb5946137, 0x7b9f, 0x4925, {0xaf, 0x80, 0x51, 0xab, 0xd6, 0x0b, 0x20, 0xd5}};
    std::wstring providerName = L"Microsoft Software Shadow Copy provider 1.0";
    std::vector<LONG> unsupportedContexts;
};

struct ServiceSettings {
    SimDuration eventTimeout = ms(180000);
    SimDuration holdWritesLimit = ms(10000);
    SimDuration slotReclaimAge = std::chrono::hours(48);
    int backupSlots = 64;
    int restoreSlots = 1;
    /// The Nth allocation point of the API paths fails (core/alloc_failure.h); 0: none.
    std::int64_t failAllocation = 0;
    /// Each allocation point fails with this probability, drawn from the run's seed; 0: none.
    double failAllocationProbability = 0;
    bool shuffleStatus = false;
    bool strict = false;              ///< strict profile: documented errors where shipped requesters get leniency
    /// R13's other reading of Microsoft's Wait page: Wait returns a failed operation's code. The
    /// default (false) is what restic#4875 shows: Wait S_OK, the failure only from QueryStatus.
    bool waitReturnsFailure = false;
    std::wstring hostName = L"VSSSIM-HOST";
    const OsVersion *os = &defaultOsVersion();   ///< `[service] os`: the Windows version simulated
    std::int64_t startFileTime = 133'000'000'000'000'000LL;  ///< 2022-06-18 in 100-ns units since 1601
};

} // namespace vsssim
