#include "core/names.h"
#include "platform/platform.h"

#include <algorithm>
#include <array>
#include <ostream>

#include <fmt/format.h>

namespace vsssim {

namespace {

// The value comes from the header's macro or enumerator, the name from the same token, so the two
// cannot drift apart; the meaning is the spec's text (docs/api.md §2, §3.1, §3.2).
#define ROW(x, meaning) NamedValue{#x, static_cast<std::int32_t>(x), meaning}

constexpr std::array kHresults{
    // §3.1: the 81 codes of vsserror.h, by value.
    ROW(VSS_S_ASYNC_PENDING, "the asynchronous operation has not finished yet"),
    ROW(VSS_S_ASYNC_FINISHED, "the asynchronous operation ended successfully (a success code, distinct from S_OK)"),
    ROW(VSS_S_ASYNC_CANCELLED, "the asynchronous operation was cancelled (a success code)"),
    ROW(VSS_S_SOME_SNAPSHOTS_NOT_IMPORTED, "an import succeeded only for part of the shadow copies"),
    ROW(VSS_E_BAD_STATE, "the call is not valid in the object's current state or call sequence"),
    ROW(VSS_E_UNEXPECTED, "an unexpected internal VSS failure (logged); before Windows 7 / WS2008 R2, E_UNEXPECTED was used instead"),
    ROW(VSS_E_PROVIDER_ALREADY_REGISTERED, "a provider was registered twice"),
    ROW(VSS_E_PROVIDER_NOT_REGISTERED, "the provider id given does not name a registered provider"),
    ROW(VSS_E_PROVIDER_VETO, "the provider refused or failed the operation and logged why; may be transient"),
    ROW(VSS_E_PROVIDER_IN_USE, "the provider is busy and cannot be unregistered"),
    ROW(VSS_E_OBJECT_NOT_FOUND, "the referenced object (writer index, component, volume, shadow copy) does not exist"),
    ROW(VSS_E_VOLUME_NOT_SUPPORTED, "no provider can shadow-copy this volume"),
    ROW(VSS_E_OBJECT_ALREADY_EXISTS, "the object is a duplicate (for example the same component added twice)"),
    ROW(VSS_E_VOLUME_NOT_SUPPORTED_BY_PROVIDER, "the chosen provider cannot shadow-copy this volume"),
    ROW(VSS_E_UNEXPECTED_PROVIDER_ERROR, "the provider returned an error VSS did not expect; may be transient"),
    ROW(VSS_E_CORRUPT_XML_DOCUMENT, "deprecated twin of VSS_E_INVALID_XML_DOCUMENT"),
    ROW(VSS_E_INVALID_XML_DOCUMENT, "an XML document is malformed or does not match the expected schema"),
    ROW(VSS_E_MAXIMUM_NUMBER_OF_VOLUMES_REACHED, "the shadow copy set already holds the maximum number of volumes (64)"),
    ROW(VSS_E_FLUSH_WRITES_TIMEOUT, "the provider could not flush pending writes in time; usually heavy I/O"),
    ROW(VSS_E_HOLD_WRITES_TIMEOUT, "the provider could not hold writes long enough (10 s limit); usually heavy I/O"),
    ROW(VSS_E_UNEXPECTED_WRITER_ERROR, "VSS had problems delivering events to writers"),
    ROW(VSS_E_SNAPSHOT_SET_IN_PROGRESS, "another shadow copy set is being created; only one creation at a time"),
    ROW(VSS_E_MAXIMUM_NUMBER_OF_SNAPSHOTS_REACHED, "the volume already carries the maximum number of shadow copies"),
    ROW(VSS_E_WRITER_INFRASTRUCTURE, "writers could not be contacted (VSS or Event System service not working)"),
    ROW(VSS_E_WRITER_NOT_RESPONDING, "a writer did not answer; it is stuck or gone. Produced by the service, not by writers"),
    ROW(VSS_E_WRITER_ALREADY_SUBSCRIBED, "the writer called Subscribe a second time"),
    ROW(VSS_E_UNSUPPORTED_CONTEXT, "the provider does not support the requested shadow copy context"),
    ROW(VSS_E_VOLUME_IN_USE, "a shadow storage association is in use and cannot be deleted"),
    ROW(VSS_E_MAXIMUM_DIFFAREA_ASSOCIATIONS_REACHED, "no more shadow storage associations can be created"),
    ROW(VSS_E_INSUFFICIENT_STORAGE, "not enough space for the shadow storage or snapshot data"),
    ROW(VSS_E_NO_SNAPSHOTS_IMPORTED, "an import failed for every shadow copy"),
    ROW(VSS_E_SOME_SNAPSHOTS_NOT_IMPORTED, "an import failed for part of the shadow copies"),
    ROW(VSS_E_MAXIMUM_NUMBER_OF_REMOTE_MACHINES_REACHED, "too many remote machines for one operation"),
    ROW(VSS_E_REMOTE_SERVER_UNAVAILABLE, "the remote server cannot be reached"),
    ROW(VSS_E_REMOTE_SERVER_UNSUPPORTED, "the remote server's VSS cannot create remote shadow copies"),
    ROW(VSS_E_REVERT_IN_PROGRESS, "a revert is already running on that volume"),
    ROW(VSS_E_REVERT_VOLUME_LOST, "the volume disappeared during a revert"),
    ROW(VSS_E_REBOOT_REQUIRED, "the operation needs a restart of the machine"),
    ROW(VSS_E_TRANSACTION_FREEZE_TIMEOUT, "freezing a transaction manager (KTM/DTC) timed out"),
    ROW(VSS_E_TRANSACTION_THAW_TIMEOUT, "a transaction manager stayed frozen too long"),
    ROW(VSS_E_UNSELECTED_VOLUME, "the operation would overwrite a volume that was not selected"),
    ROW(VSS_E_SNAPSHOT_NOT_IN_SET, "the shadow copy id is not part of the set recorded in the BCD"),
    ROW(VSS_E_NESTED_VOLUME_LIMIT, "the volume is nested too deeply (for example a VHD inside a VHD)"),
    ROW(VSS_E_VOLUME_NOT_LOCAL, "the volume is not mounted on this host"),
    ROW(VSS_E_CLUSTER_TIMEOUT, "preparing a cluster shared volume timed out"),
    ROW(VSS_E_NOT_SUPPORTED, "the requested operation is not supported"),
    ROW(VSS_E_WRITERERROR_PARTIAL_FAILURE, "the writer failed for some components only; details per component via IVssComponentEx2::GetFailure"),
    ROW(VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT, "the set lacks volumes that the writer's selected components need"),
    ROW(VSS_E_WRITERERROR_OUTOFRESOURCES, "the writer could not allocate a resource it needed"),
    ROW(VSS_E_WRITERERROR_TIMEOUT, "the writer's freeze window passed before Thaw arrived"),
    ROW(VSS_E_WRITERERROR_RETRYABLE, "transient writer error; retrying the whole backup may succeed"),
    ROW(VSS_E_WRITERERROR_NONRETRYABLE, "persistent writer error; a retry is likely to fail again"),
    ROW(VSS_E_WRITERERROR_RECOVERY_FAILED, "the writer could not recover (auto-recover) the shadow copy volume"),
    ROW(VSS_E_BREAK_REVERT_ID_FAILED, "breaking the set failed because disk identities could not be reverted"),
    ROW(VSS_E_LEGACY_PROVIDER, "the hardware provider is too old for this operation"),
    ROW(VSS_E_MISSING_DISK, "an expected disk did not appear"),
    ROW(VSS_E_MISSING_HIDDEN_VOLUME, "an expected hidden volume did not appear"),
    ROW(VSS_E_MISSING_VOLUME, "an expected volume did not appear"),
    ROW(VSS_E_AUTORECOVERY_FAILED, "auto-recovery of the shadow copy did not complete"),
    ROW(VSS_E_DYNAMIC_DISK_ERROR, "processing the dynamic disks involved failed"),
    ROW(VSS_E_NONTRANSPORTABLE_BCD, "the BCD describes a non-transportable shadow copy; the operation needs a transportable one"),
    ROW(VSS_E_CANNOT_REVERT_DISKID, "an MBR signature or GPT id could not be set back"),
    ROW(VSS_E_RESYNC_IN_PROGRESS, "another LUN resynchronisation is running"),
    ROW(VSS_E_CLUSTER_ERROR, "clustered disks could not be enumerated or put into maintenance mode"),
    ROW(VSS_E_ASRERROR_DISK_ASSIGNMENT_FAILED, "ASR restore: too few disks, or disks too small"),
    ROW(VSS_E_ASRERROR_DISK_RECREATION_FAILED, "ASR restore: a needed disk could not be created"),
    ROW(VSS_E_ASRERROR_NO_ARCPATH, "ASR restore: a restart is needed to finish preparing a disk"),
    ROW(VSS_E_ASRERROR_MISSING_DYNDISK, "ASR backup: a disk of a dynamic volume is missing"),
    ROW(VSS_E_ASRERROR_SHARED_CRIDISK, "ASR: a critical volume sits on a cluster shared disk"),
    ROW(VSS_E_ASRERROR_DATADISK_RDISK0, "ASR restore: a data disk is the BIOS boot disk"),
    ROW(VSS_E_ASRERROR_RDISK0_TOOSMALL, "ASR restore: the BIOS boot disk is too small for the system disk"),
    ROW(VSS_E_ASRERROR_CRITICAL_DISKS_TOO_SMALL, "ASR restore: not enough suitable disks for the critical disks"),
    ROW(VSS_E_WRITER_STATUS_NOT_AVAILABLE, "status is unavailable for a writer, usually because it has no free session slot. Produced by the service"),
    ROW(VSS_E_ASRERROR_DYNAMIC_VHD_NOT_SUPPORTED, "ASR: a critical dynamic disk is a VHD"),
    ROW(VSS_E_CRITICAL_VOLUME_ON_INVALID_DISK, "ASR: a critical volume is on a disk ASR cannot back up"),
    ROW(VSS_E_ASRERROR_RDISK_FOR_SYSTEM_DISK_NOT_FOUND, "ASR restore: no disk can take the system disk"),
    ROW(VSS_E_ASRERROR_NO_PHYSICAL_DISK_AVAILABLE, "ASR restore: no fixed disk is available to recreate volumes"),
    ROW(VSS_E_ASRERROR_FIXED_PHYSICAL_DISK_AVAILABLE_AFTER_DISK_EXCLUSION, "ASR restore: no usable disk remains after exclusions"),
    ROW(VSS_E_ASRERROR_CRITICAL_DISK_CANNOT_BE_EXCLUDED, "ASR restore: a disk that was critical at backup time is excluded"),
    ROW(VSS_E_ASRERROR_SYSTEM_PARTITION_HIDDEN, "ASR: the active system partition is hidden or has an unknown file system"),
    ROW(VSS_E_FSS_TIMEOUT, "preparing a file-share shadow copy timed out"),
    // §3.2: generic COM and Win32 codes.
    ROW(S_OK, "success"),
    ROW(S_FALSE, "success with a qualification"),
    ROW(E_NOTIMPL, "not implemented"),
    ROW(E_NOINTERFACE, "the object does not implement the requested interface"),
    ROW(E_POINTER, "a required pointer is NULL"),
    ROW(E_ABORT, "operation aborted"),
    ROW(E_FAIL, "unspecified failure"),
    ROW(E_UNEXPECTED, "catastrophic/unexpected failure"),
    ROW(E_PENDING, "data not yet available"),
    ROW(E_ACCESSDENIED, "caller lacks backup privilege / is not an administrator"),
    ROW(E_HANDLE, "invalid handle"),
    ROW(E_OUTOFMEMORY, "out of memory or other resources"),
    ROW(E_INVALIDARG, "a parameter is invalid (often a NULL out-pointer)"),
    ROW(RPC_E_CHANGED_MODE, "COM already initialised on this thread with another apartment model"),
    ROW(RPC_E_TOO_LATE, "security already initialised"),
    ROW(CO_E_NOTINITIALIZED, "COM not initialised on this thread"),
};
static_assert(kHresults.size() == 81 + 16);

constexpr std::array kWriterState{
    ROW(VSS_WS_UNKNOWN, "state cannot be determined; documented as an error on the writer side"),
    ROW(VSS_WS_STABLE, "idle: current events handled, or PrepareForSnapshot not received yet"),
    ROW(VSS_WS_WAITING_FOR_FREEZE, "PrepareForSnapshot handled; Freeze is next"),
    ROW(VSS_WS_WAITING_FOR_THAW, "frozen; Thaw is next (freeze window running)"),
    ROW(VSS_WS_WAITING_FOR_POST_SNAPSHOT, "thawed; PostSnapshot is next"),
    ROW(VSS_WS_WAITING_FOR_BACKUP_COMPLETE, "shadow copy made; waiting for the requester's BackupComplete"),
    ROW(VSS_WS_FAILED_AT_IDENTIFY, "failed while answering Identify (such a writer is not listed, R11)"),
    ROW(VSS_WS_FAILED_AT_PREPARE_BACKUP, "failed or vetoed while handling PrepareForBackup"),
    ROW(VSS_WS_FAILED_AT_PREPARE_SNAPSHOT, "failed or vetoed while handling PrepareForSnapshot"),
    ROW(VSS_WS_FAILED_AT_FREEZE, "failed or vetoed at Freeze, or its freeze window expired"),
    ROW(VSS_WS_FAILED_AT_THAW, "failed or vetoed while handling Thaw"),
    ROW(VSS_WS_FAILED_AT_POST_SNAPSHOT, "failed or vetoed while handling PostSnapshot"),
    ROW(VSS_WS_FAILED_AT_BACKUP_COMPLETE, "shadow copy exists; writer failed while handling BackupComplete"),
    ROW(VSS_WS_FAILED_AT_PRE_RESTORE, "failed while handling PreRestore"),
    ROW(VSS_WS_FAILED_AT_POST_RESTORE, "failed while handling PostRestore"),
    ROW(VSS_WS_FAILED_AT_BACKUPSHUTDOWN, "failed while handling the end of the requester's session"),
    ROW(VSS_WS_COUNT, "reserved upper bound, never reported"),
};

constexpr std::array kBackupType{
    ROW(VSS_BT_UNDEFINED, "not set"),
    ROW(VSS_BT_FULL, "all data; backup history updated"),
    ROW(VSS_BT_INCREMENTAL, "data changed since the last full or incremental backup"),
    ROW(VSS_BT_DIFFERENTIAL, "data changed since the last full backup"),
    ROW(VSS_BT_LOG, "transaction logs only"),
    ROW(VSS_BT_COPY, "full copy that leaves backup history untouched"),
    ROW(VSS_BT_OTHER, "none of the above"),
};

constexpr std::array kRestoreType{
    ROW(VSS_RTYPE_UNDEFINED, "not set"),
    ROW(VSS_RTYPE_BY_COPY, "normal restore: files are copied back"),
    ROW(VSS_RTYPE_IMPORT, "no copy; a transportable shadow copy is imported"),
    ROW(VSS_RTYPE_OTHER, "none of the above"),
};

constexpr std::array kUsageType{
    ROW(VSS_UT_UNDEFINED, "not set"),
    ROW(VSS_UT_BOOTABLESYSTEMSTATE, "part of the bootable system state"),
    ROW(VSS_UT_SYSTEMSERVICE, "system service data outside the bootable state"),
    ROW(VSS_UT_USERDATA, "user data"),
    ROW(VSS_UT_OTHER, "none of the above"),
};

constexpr std::array kSourceType{
    ROW(VSS_ST_UNDEFINED, "not set"),
    ROW(VSS_ST_TRANSACTEDDB, "transactional database (SQL Server, Exchange ...)"),
    ROW(VSS_ST_NONTRANSACTEDDB, "non-transactional store"),
    ROW(VSS_ST_OTHER, "anything else"),
};

constexpr std::array kSnapshotContext{
    ROW(VSS_CTX_BACKUP, "default: non-persistent, auto-released, writers take part"),
    ROW(VSS_CTX_FILE_SHARE_BACKUP, "non-persistent, no writers"),
    ROW(VSS_CTX_NAS_ROLLBACK, "persistent, not auto-released, no writers"),
    ROW(VSS_CTX_APP_ROLLBACK, "persistent, not auto-released, writers take part"),
    ROW(VSS_CTX_CLIENT_ACCESSIBLE, "persistent, client-accessible (previous versions), no writers"),
    ROW(VSS_CTX_CLIENT_ACCESSIBLE_WRITERS, "as CLIENT_ACCESSIBLE but with writers"),
    ROW(VSS_CTX_ALL, "query filter matching every context; as LONG it is -1"),
};

constexpr std::array kComponentType{
    ROW(VSS_CT_UNDEFINED, "not set"),
    ROW(VSS_CT_DATABASE, "database component"),
    ROW(VSS_CT_FILEGROUP, "file-group component"),
};

constexpr std::array kRestoreMethod{
    ROW(VSS_RME_UNDEFINED, "not set: a writer error"),
    ROW(VSS_RME_RESTORE_IF_NOT_THERE, "restore only where the files are absent"),
    ROW(VSS_RME_RESTORE_IF_CAN_REPLACE, "restore if every file can be replaced in place"),
    ROW(VSS_RME_STOP_RESTORE_START, "stop the writer's service, restore, start it"),
    ROW(VSS_RME_RESTORE_TO_ALTERNATE_LOCATION, "restore to the alternate location mappings"),
    ROW(VSS_RME_RESTORE_AT_REBOOT, "replace the files at the next reboot"),
    ROW(VSS_RME_RESTORE_AT_REBOOT_IF_CANNOT_REPLACE, "in place, else at the next reboot"),
    ROW(VSS_RME_CUSTOM, "the writer's own documented procedure"),
    ROW(VSS_RME_RESTORE_STOP_START, "the requester stops and restarts the service"),
};

constexpr std::array kWriterRestore{
    ROW(VSS_WRE_UNDEFINED, "not set"),
    ROW(VSS_WRE_NEVER, "the writer takes no part in a restore"),
    ROW(VSS_WRE_IF_REPLACE_FAILS, "the writer takes part only if replacing files failed"),
    ROW(VSS_WRE_ALWAYS, "the writer takes part in every restore (PreRestore, PostRestore)"),
};

constexpr std::array kApplicationLevel{
    ROW(VSS_APP_UNKNOWN, "not set"),
    ROW(VSS_APP_SYSTEM, "system-level service"),
    ROW(VSS_APP_BACK_END, "back-end application (for example a database engine)"),
    ROW(VSS_APP_FRONT_END, "front-end application; default of CVssWriter::Initialize"),
    ROW(VSS_APP_SYSTEM_RM, "system resource manager"),
    ROW(VSS_APP_AUTO, "let VSS choose; also the no-implementation return of GetCurrentLevel"),
};

constexpr std::array kObjectType{
    ROW(VSS_OBJECT_UNKNOWN, "not set"),
    ROW(VSS_OBJECT_NONE, "no specific object (query: any)"),
    ROW(VSS_OBJECT_SNAPSHOT_SET, "a shadow copy set"),
    ROW(VSS_OBJECT_SNAPSHOT, "one shadow copy"),
    ROW(VSS_OBJECT_PROVIDER, "a provider"),
    ROW(VSS_OBJECT_TYPE_COUNT, "reserved bound"),
};

constexpr std::array kRestoreTarget{
    ROW(VSS_RT_UNDEFINED, "not set"),
    ROW(VSS_RT_ORIGINAL, "restore to the original location"),
    ROW(VSS_RT_ALTERNATE, "restore through the alternate location mappings"),
    ROW(VSS_RT_DIRECTED, "directed restore: only the parts of files the requester names"),
    ROW(VSS_RT_ORIGINAL_LOCATION, "restore to the original location, files the writer names"),
};

constexpr std::array kRollForwardType{
    ROW(VSS_RF_UNDEFINED, "not set"),
    ROW(VSS_RF_NONE, "no roll-forward"),
    ROW(VSS_RF_ALL, "roll forward through every log"),
    ROW(VSS_RF_PARTIAL, "roll forward up to a point"),
};

constexpr std::array kFileRestoreStatus{
    ROW(VSS_RS_UNDEFINED, "not set"),
    ROW(VSS_RS_NONE, "no file restored"),
    ROW(VSS_RS_ALL, "every file restored"),
    ROW(VSS_RS_FAILED, "some files restored, then failure"),
};

// The spec leaves three meanings blank; Microsoft's VSS_VOLUME_SNAPSHOT_ATTRIBUTES page calls
// those bits reserved for system use.
constexpr std::array kVolumeSnapshotAttributes{
    ROW(VSS_VOLSNAP_ATTR_PERSISTENT, "survives release of the requester object"),
    ROW(VSS_VOLSNAP_ATTR_NO_AUTORECOVERY, "no auto-recovery step on the shadow copy"),
    ROW(VSS_VOLSNAP_ATTR_CLIENT_ACCESSIBLE, "usable by shadow-copies-for-shared-folders clients"),
    ROW(VSS_VOLSNAP_ATTR_NO_AUTO_RELEASE, "not deleted when the requester object is released"),
    ROW(VSS_VOLSNAP_ATTR_NO_WRITERS, "writers are not involved (no writer events)"),
    ROW(VSS_VOLSNAP_ATTR_TRANSPORTABLE, "can be moved to another machine"),
    ROW(VSS_VOLSNAP_ATTR_NOT_SURFACED, "reserved for system use"),
    ROW(VSS_VOLSNAP_ATTR_NOT_TRANSACTED, "reserved for system use"),
    ROW(VSS_VOLSNAP_ATTR_HARDWARE_ASSISTED, "made by a hardware provider"),
    ROW(VSS_VOLSNAP_ATTR_DIFFERENTIAL, "copy-on-write style"),
    ROW(VSS_VOLSNAP_ATTR_PLEX, "full-copy (mirror split) style"),
    ROW(VSS_VOLSNAP_ATTR_IMPORTED, "imported from elsewhere"),
    ROW(VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY, "exposed as drive letter or mount point"),
    ROW(VSS_VOLSNAP_ATTR_EXPOSED_REMOTELY, "exposed as a share"),
    ROW(VSS_VOLSNAP_ATTR_AUTORECOVER, "writer auto-recovery requested"),
    ROW(VSS_VOLSNAP_ATTR_ROLLBACK_RECOVERY, "made for application rollback"),
    ROW(VSS_VOLSNAP_ATTR_DELAYED_POSTSNAPSHOT, "reserved for system use"),
    ROW(VSS_VOLSNAP_ATTR_TXF_RECOVERY, "TxF recovery enforced at creation"),
    ROW(VSS_VOLSNAP_ATTR_FILE_SHARE, "shadow copy of a remote file share"),
};

#undef ROW

// winerror.h numbers; the texts are what FormatMessage gives for them on an English system. A code
// without a row is still decoded (severity, facility, code); it just has no name.
constexpr NamedValue kWin32Errors[] = {
    {"ERROR_SUCCESS", 0, "The operation completed successfully."},
    {"ERROR_INVALID_FUNCTION", 1, "Incorrect function."},
    {"ERROR_FILE_NOT_FOUND", 2, "The system cannot find the file specified."},
    {"ERROR_PATH_NOT_FOUND", 3, "The system cannot find the path specified."},
    {"ERROR_TOO_MANY_OPEN_FILES", 4, "The system cannot open the file."},
    {"ERROR_ACCESS_DENIED", 5, "Access is denied."},
    {"ERROR_INVALID_HANDLE", 6, "The handle is invalid."},
    {"ERROR_NOT_ENOUGH_MEMORY", 8, "Not enough memory resources are available to process this command."},
    {"ERROR_INVALID_DATA", 13, "The data is invalid."},
    {"ERROR_OUTOFMEMORY", 14, "Not enough memory resources are available to complete this operation."},
    {"ERROR_INVALID_DRIVE", 15, "The system cannot find the drive specified."},
    {"ERROR_NOT_READY", 21, "The device is not ready."},
    {"ERROR_BAD_COMMAND", 22, "The device does not recognize the command."},
    {"ERROR_CRC", 23, "Data error (cyclic redundancy check)."},
    {"ERROR_WRITE_FAULT", 29, "The system cannot write to the specified device."},
    {"ERROR_READ_FAULT", 30, "The system cannot read from the specified device."},
    {"ERROR_GEN_FAILURE", 31, "A device attached to the system is not functioning."},
    {"ERROR_SHARING_VIOLATION", 32, "The process cannot access the file because it is being used by another process."},
    {"ERROR_LOCK_VIOLATION", 33, "The process cannot access the file because another process has locked a portion of the file."},
    {"ERROR_HANDLE_EOF", 38, "Reached the end of the file."},
    {"ERROR_HANDLE_DISK_FULL", 39, "The disk is full."},
    {"ERROR_NOT_SUPPORTED", 50, "The request is not supported."},
    {"ERROR_BAD_NETPATH", 53, "The network path was not found."},
    {"ERROR_NETWORK_BUSY", 54, "The network is busy."},
    {"ERROR_FILE_EXISTS", 80, "The file exists."},
    {"ERROR_INVALID_PARAMETER", 87, "The parameter is incorrect."},
    {"ERROR_BROKEN_PIPE", 109, "The pipe has been ended."},
    {"ERROR_DISK_FULL", 112, "There is not enough space on the disk."},
    {"ERROR_SEM_TIMEOUT", 121, "The semaphore timeout period has expired."},
    {"ERROR_INSUFFICIENT_BUFFER", 122, "The data area passed to a system call is too small."},
    {"ERROR_INVALID_NAME", 123, "The filename, directory name, or volume label syntax is incorrect."},
    {"ERROR_MOD_NOT_FOUND", 126, "The specified module could not be found."},
    {"ERROR_PROC_NOT_FOUND", 127, "The specified procedure could not be found."},
    {"ERROR_DIR_NOT_EMPTY", 145, "The directory is not empty."},
    {"ERROR_BUSY", 170, "The requested resource is in use."},
    {"ERROR_ALREADY_EXISTS", 183, "Cannot create a file when that file already exists."},
    {"ERROR_ENVVAR_NOT_FOUND", 203, "The system could not find the environment option that was entered."},
    {"ERROR_MORE_DATA", 234, "More data is available."},
    {"WAIT_TIMEOUT", 258, "The wait operation timed out."},
    {"ERROR_NO_MORE_ITEMS", 259, "No more data is available."},
    {"ERROR_DIRECTORY", 267, "The directory name is invalid."},
    {"ERROR_DISK_TOO_FRAGMENTED", 302, "The volume is too fragmented to complete this operation."},
    {"ERROR_OPERATION_ABORTED", 995, "The I/O operation has been aborted because of either a thread exit or an application request."},
    {"ERROR_IO_INCOMPLETE", 996, "Overlapped I/O event is not in a signaled state."},
    {"ERROR_IO_PENDING", 997, "Overlapped I/O operation is in progress."},
    {"ERROR_NOACCESS", 998, "Invalid access to memory location."},
    {"ERROR_INVALID_FLAGS", 1004, "Invalid flags."},
    {"ERROR_UNRECOGNIZED_VOLUME", 1005, "The volume does not contain a recognized file system."},
    {"ERROR_CANTOPEN", 1011, "The configuration registry key could not be opened."},
    {"ERROR_SERVICE_REQUEST_TIMEOUT", 1053, "The service did not respond to the start or control request in a timely fashion."},
    {"ERROR_SERVICE_ALREADY_RUNNING", 1056, "An instance of the service is already running."},
    {"ERROR_SERVICE_DISABLED", 1058, "The service cannot be started, either because it is disabled or because it has no enabled devices associated with it."},
    {"ERROR_SERVICE_DOES_NOT_EXIST", 1060, "The specified service does not exist as an installed service."},
    {"ERROR_SERVICE_NOT_ACTIVE", 1062, "The service has not been started."},
    {"ERROR_SERVICE_MARKED_FOR_DELETE", 1072, "The specified service has been marked for deletion."},
    {"ERROR_NO_UNICODE_TRANSLATION", 1113, "No mapping for the Unicode character exists in the target multi-byte code page."},
    {"ERROR_SHUTDOWN_IN_PROGRESS", 1115, "A system shutdown is in progress."},
    {"ERROR_DEVICE_NOT_CONNECTED", 1167, "The device is not connected."},
    {"ERROR_NOT_FOUND", 1168, "Element not found."},
    {"ERROR_CANCELLED", 1223, "The operation was canceled by the user."},
    {"ERROR_RETRY", 1237, "The operation could not be completed. A retry should be performed."},
    {"ERROR_PRIVILEGE_NOT_HELD", 1314, "A required privilege is not held by the client."},
    {"ERROR_LOGON_FAILURE", 1326, "The user name or password is incorrect."},
    {"ERROR_INTERNAL_ERROR", 1359, "An internal error occurred."},
    {"ERROR_FILE_CORRUPT", 1392, "The file or directory is corrupted and unreadable."},
    {"ERROR_DISK_CORRUPT", 1393, "The disk structure is corrupted and unreadable."},
    {"ERROR_NO_SYSTEM_RESOURCES", 1450, "Insufficient system resources exist to complete the requested service."},
    {"ERROR_COMMITMENT_LIMIT", 1455, "The paging file is too small for this operation to complete."},
    {"ERROR_TIMEOUT", 1460, "This operation returned because the timeout period expired."},
    {"RPC_S_SERVER_UNAVAILABLE", 1722, "The RPC server is unavailable."},
    {"RPC_S_SERVER_TOO_BUSY", 1723, "The RPC server is too busy to complete this operation."},
    {"RPC_S_CALL_FAILED", 1726, "The remote procedure call failed."},
    {"ERROR_NOT_ENOUGH_QUOTA", 1816, "Not enough quota is available to process this command."},
    {"ERROR_INVALID_STATE", 5023, "The group or resource is not in the correct state to perform the requested operation."},
};

constexpr NamedValue kFacilities[] = {
    {"FACILITY_NULL", 0, "general codes: S_OK, E_FAIL, E_NOTIMPL and their kin"},
    {"FACILITY_RPC", 1, "RPC and COM marshalling (RPC_E_*)"},
    {"FACILITY_DISPATCH", 2, "COM IDispatch"},
    {"FACILITY_STORAGE", 3, "COM structured storage (STG_E_*)"},
    {"FACILITY_ITF", 4, "interface-specific: each interface defines its own; the VSS_E_* and VSS_S_* codes live here"},
    {"FACILITY_WIN32", 7, "a Win32 error code wrapped by HRESULT_FROM_WIN32"},
    {"FACILITY_WINDOWS", 8, "Windows subsystems"},
    {"FACILITY_SECURITY", 9, "security and SSPI (also FACILITY_SSPI)"},
    {"FACILITY_CONTROL", 10, "ActiveX controls"},
    {"FACILITY_CERT", 11, "certificates and cryptography"},
    {"FACILITY_INTERNET", 12, "WinINet and URL monikers"},
    {"FACILITY_MEDIASERVER", 13, "Windows Media Server"},
    {"FACILITY_MSMQ", 14, "Message Queuing"},
    {"FACILITY_SETUPAPI", 15, "device setup (SetupAPI)"},
    {"FACILITY_SCARD", 16, "smart cards"},
    {"FACILITY_COMPLUS", 17, "COM+"},
    {"FACILITY_AAF", 18, "Advanced Authoring Format"},
    {"FACILITY_URT", 19, ".NET runtime"},
    {"FACILITY_ACS", 20, "Audit Collection Service"},
    {"FACILITY_DPLAY", 21, "DirectPlay"},
    {"FACILITY_UMI", 22, "Ubiquitous Memory-introspection service"},
    {"FACILITY_SXS", 23, "side-by-side assemblies"},
    {"FACILITY_WINDOWS_CE", 24, "Windows CE"},
    {"FACILITY_HTTP", 25, "HTTP support (WinHTTP)"},
    {"FACILITY_USERMODE_COMMONLOG", 26, "Common Log File System"},
    {"FACILITY_USERMODE_FILTER_MANAGER", 31, "file system filter manager"},
    {"FACILITY_BACKGROUNDCOPY", 32, "Background Intelligent Transfer Service (BITS)"},
    {"FACILITY_CONFIGURATION", 33, "configuration services"},
    {"FACILITY_STATE_MANAGEMENT", 34, "state management services"},
    {"FACILITY_METADIRECTORY", 35, "Microsoft Identity Server"},
    {"FACILITY_WINDOWSUPDATE", 36, "Windows Update"},
    {"FACILITY_DIRECTORYSERVICE", 37, "Active Directory"},
    {"FACILITY_GRAPHICS", 38, "graphics drivers"},
    {"FACILITY_SHELL", 39, "the Windows shell"},
    {"FACILITY_TPM_SERVICES", 40, "TPM base services"},
    {"FACILITY_TPM_SOFTWARE", 41, "TPM software stack"},
    {"FACILITY_PLA", 48, "performance logs and alerts"},
    {"FACILITY_FVE", 49, "BitLocker full-volume encryption"},
    {"FACILITY_FWP", 50, "Windows Filtering Platform"},
    {"FACILITY_WINRM", 51, "Windows Remote Management"},
    {"FACILITY_NDIS", 52, "network driver interface"},
    {"FACILITY_USERMODE_HYPERVISOR", 53, "Hyper-V hypervisor, user mode"},
    {"FACILITY_CMI", 54, "configuration management infrastructure"},
    {"FACILITY_USERMODE_VIRTUALIZATION", 55, "Hyper-V virtualization, user mode"},
    {"FACILITY_USERMODE_VOLMGR", 56, "volume manager, user mode"},
    {"FACILITY_BCD", 57, "boot configuration data"},
    {"FACILITY_USERMODE_VHD", 58, "virtual hard disks, user mode"},
};


// Meanings the spec leaves as "reserved for system use" (reserved attribute bits) read "reserved for system use", the
// wording of Microsoft's VSS_VOLUME_SNAPSHOT_ATTRIBUTES page.

template <std::size_t N>
constexpr std::span<const NamedValue> asSpan(const std::array<NamedValue, N> &rows) noexcept
{
    return {rows.data(), rows.size()};
}

const NamedValue *findValue(std::span<const NamedValue> rows, std::int32_t value) noexcept
{
    auto it = std::find_if(rows.begin(), rows.end(), [&](const NamedValue &r) { return r.value == value; });
    return it == rows.end() ? nullptr : &*it;
}

const NamedValue *findName(std::span<const NamedValue> rows, std::string_view name) noexcept
{
    auto it = std::find_if(rows.begin(), rows.end(), [&](const NamedValue &r) { return r.name == name; });
    return it == rows.end() ? nullptr : &*it;
}

} // namespace

std::span<const NamedValue> hresultTable() noexcept
{
    return asSpan(kHresults);
}

const NamedValue *hresultInfo(HRESULT hr) noexcept
{
    return findValue(kHresults, hr);
}

std::optional<std::string_view> hresultName(HRESULT hr) noexcept
{
    if (const NamedValue *row = hresultInfo(hr))
        return row->name;
    return std::nullopt;
}

std::string hresultText(HRESULT hr)
{
    if (const NamedValue *row = hresultInfo(hr))
        return std::string(row->name);
    return fmt::format("0x{:08x}", static_cast<std::uint32_t>(hr));
}

std::optional<HRESULT> hresultByName(std::string_view name) noexcept
{
    if (const NamedValue *row = findName(kHresults, name))
        return row->value;
    return std::nullopt;
}

std::span<const NamedValue> win32ErrorTable() noexcept
{
    return kWin32Errors;
}

const NamedValue *win32ErrorInfo(std::uint32_t code) noexcept
{
    return code > INT32_MAX ? nullptr : findValue(kWin32Errors, static_cast<std::int32_t>(code));
}

std::optional<std::uint32_t> win32ErrorByName(std::string_view name) noexcept
{
    if (const NamedValue *row = findName(kWin32Errors, name))
        return static_cast<std::uint32_t>(row->value);
    return std::nullopt;
}

std::span<const NamedValue> facilityTable() noexcept
{
    return kFacilities;
}

const NamedValue *facilityInfo(unsigned facility) noexcept
{
    return findValue(kFacilities, static_cast<std::int32_t>(facility));
}

HresultParts decodeHresult(HRESULT hr) noexcept
{
    const auto bits = static_cast<std::uint32_t>(hr);
    HresultParts p{};
    p.failed = (bits >> 31) != 0;
    p.customer = (bits & 0x20000000u) != 0;
    p.ntstatus = (bits & 0x10000000u) != 0;
    p.reserved = (bits & 0x40000000u) != 0;
    p.facility = (bits >> 16) & 0x7ffu;   // 11 bits: HRESULT_FACILITY's 0x1fff also takes in the N and X bits
    p.code = bits & 0xffffu;
    // HRESULT_FROM_WIN32 keeps only the low 16 bits, so this is the Win32 code exactly.
    if (p.failed && !p.reserved && !p.customer && !p.ntstatus && p.facility == FACILITY_WIN32)
        p.win32 = p.code;
    return p;
}

std::span<const NamedValue> enumTable(EnumKind kind) noexcept
{
    switch (kind) {
    case EnumKind::WriterState:
        return asSpan(kWriterState);
    case EnumKind::BackupType:
        return asSpan(kBackupType);
    case EnumKind::RestoreType:
        return asSpan(kRestoreType);
    case EnumKind::UsageType:
        return asSpan(kUsageType);
    case EnumKind::SourceType:
        return asSpan(kSourceType);
    case EnumKind::SnapshotContext:
        return asSpan(kSnapshotContext);
    case EnumKind::ComponentType:
        return asSpan(kComponentType);
    case EnumKind::ApplicationLevel:
        return asSpan(kApplicationLevel);
    case EnumKind::RestoreMethod:
        return asSpan(kRestoreMethod);
    case EnumKind::WriterRestore:
        return asSpan(kWriterRestore);
    case EnumKind::ObjectType:
        return asSpan(kObjectType);
    case EnumKind::FileRestoreStatus:
        return asSpan(kFileRestoreStatus);
    case EnumKind::VolumeSnapshotAttributes:
        return asSpan(kVolumeSnapshotAttributes);
    case EnumKind::RestoreTarget:
        return asSpan(kRestoreTarget);
    case EnumKind::RollForwardType:
        return asSpan(kRollForwardType);
    }
    return {};
}

std::optional<std::int32_t> enumByName(EnumKind kind, std::string_view name) noexcept
{
    if (const NamedValue *row = findName(enumTable(kind), name))
        return row->value;
    return std::nullopt;
}

std::string_view enumName(EnumKind kind, std::int32_t value) noexcept
{
    const NamedValue *row = findValue(enumTable(kind), value);
    return row ? row->name : std::string_view{};
}

std::string_view writerStateName(VSS_WRITER_STATE state) noexcept
{
    return enumName(EnumKind::WriterState, static_cast<std::int32_t>(state));
}

std::ostream &operator<<(std::ostream &out, Hr hr)
{
    return out << fmt::format("{}", hr);
}

std::string toUtf8(std::wstring_view text)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto c = static_cast<std::uint32_t>(text[i]);
        // A UTF-16 surrogate pair, as a Windows-compiled caller may hand over.
        if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.size()) {
            const auto low = static_cast<std::uint32_t>(text[i + 1]);
            if (low >= 0xdc00 && low < 0xe000) {
                c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
                ++i;
            }
        }
        if ((c >= 0xd800 && c < 0xe000) || c > 0x10ffff)
            c = 0xfffd;
        if (c < 0x80) {
            out += static_cast<char>(c);
        } else if (c < 0x800) {
            out += static_cast<char>(0xc0 | (c >> 6));
            out += static_cast<char>(0x80 | (c & 0x3f));
        } else if (c < 0x10000) {
            out += static_cast<char>(0xe0 | (c >> 12));
            out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
            out += static_cast<char>(0x80 | (c & 0x3f));
        } else {
            out += static_cast<char>(0xf0 | (c >> 18));
            out += static_cast<char>(0x80 | ((c >> 12) & 0x3f));
            out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
            out += static_cast<char>(0x80 | (c & 0x3f));
        }
    }
    return out;
}

std::optional<std::wstring> fromUtf8(std::string_view text)
{
    std::wstring out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const auto lead = static_cast<unsigned char>(text[i]);
        const std::size_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xe ? 3 : (lead >> 3) == 0x1e ? 4 : 0;
        if (length == 0 || i + length > text.size())
            return std::nullopt;
        std::uint32_t c = length == 1 ? lead : lead & (0x7fu >> length);
        for (std::size_t k = 1; k < length; ++k) {
            const auto next = static_cast<unsigned char>(text[i + k]);
            if ((next & 0xc0) != 0x80)
                return std::nullopt;
            c = (c << 6) | (next & 0x3f);
        }
        static constexpr std::uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
        if (c < kSmallest[length] || (c >= 0xd800 && c < 0xe000) || c > 0x10ffff)
            return std::nullopt;
        platform::appendCodePoint(out, c);
        i += length;
    }
    return out;
}

} // namespace vsssim
