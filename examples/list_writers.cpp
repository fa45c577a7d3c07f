// vshadow -ws: gathers writer metadata and status and lists every writer the way the VShadow
// sample prints it. Written as a Windows requester: only the Windows headers and the C library.
#include <windows.h>
#include <vss.h>
#include <vswriter.h>
#include <vsbackup.h>

#include <cstdio>
#include <cwchar>

#define CASE_NAME(x) \
    case x:          \
        return #x

// The constants VShadow's HResult2String knows; everything else is printed as Windows' message
// text there, which the simulator has none of.
static const char *FailureName(HRESULT hr)
{
    switch (hr) {
        CASE_NAME(VSS_E_BAD_STATE);
        CASE_NAME(VSS_E_UNEXPECTED);
        CASE_NAME(VSS_E_PROVIDER_ALREADY_REGISTERED);
        CASE_NAME(VSS_E_PROVIDER_NOT_REGISTERED);
        CASE_NAME(VSS_E_PROVIDER_VETO);
        CASE_NAME(VSS_E_PROVIDER_IN_USE);
        CASE_NAME(VSS_E_OBJECT_NOT_FOUND);
        CASE_NAME(VSS_S_ASYNC_PENDING);
        CASE_NAME(VSS_S_ASYNC_FINISHED);
        CASE_NAME(VSS_S_ASYNC_CANCELLED);
        CASE_NAME(VSS_E_VOLUME_NOT_SUPPORTED);
        CASE_NAME(VSS_E_VOLUME_NOT_SUPPORTED_BY_PROVIDER);
        CASE_NAME(VSS_E_OBJECT_ALREADY_EXISTS);
        CASE_NAME(VSS_E_UNEXPECTED_PROVIDER_ERROR);
        CASE_NAME(VSS_E_INVALID_XML_DOCUMENT);
        CASE_NAME(VSS_E_MAXIMUM_NUMBER_OF_VOLUMES_REACHED);
        CASE_NAME(VSS_E_FLUSH_WRITES_TIMEOUT);
        CASE_NAME(VSS_E_HOLD_WRITES_TIMEOUT);
        CASE_NAME(VSS_E_UNEXPECTED_WRITER_ERROR);
        CASE_NAME(VSS_E_SNAPSHOT_SET_IN_PROGRESS);
        CASE_NAME(VSS_E_MAXIMUM_NUMBER_OF_SNAPSHOTS_REACHED);
        CASE_NAME(VSS_E_WRITER_INFRASTRUCTURE);
        CASE_NAME(VSS_E_WRITER_NOT_RESPONDING);
        CASE_NAME(VSS_E_WRITER_ALREADY_SUBSCRIBED);
        CASE_NAME(VSS_E_UNSUPPORTED_CONTEXT);
        CASE_NAME(VSS_E_VOLUME_IN_USE);
        CASE_NAME(VSS_E_MAXIMUM_DIFFAREA_ASSOCIATIONS_REACHED);
        CASE_NAME(VSS_E_INSUFFICIENT_STORAGE);
        CASE_NAME(VSS_E_NO_SNAPSHOTS_IMPORTED);
        CASE_NAME(VSS_S_SOME_SNAPSHOTS_NOT_IMPORTED);
        CASE_NAME(VSS_E_MAXIMUM_NUMBER_OF_REMOTE_MACHINES_REACHED);
        CASE_NAME(VSS_E_REMOTE_SERVER_UNAVAILABLE);
        CASE_NAME(VSS_E_REMOTE_SERVER_UNSUPPORTED);
        CASE_NAME(VSS_E_REVERT_IN_PROGRESS);
        CASE_NAME(VSS_E_REVERT_VOLUME_LOST);
        CASE_NAME(VSS_E_REBOOT_REQUIRED);
        CASE_NAME(VSS_E_TRANSACTION_FREEZE_TIMEOUT);
        CASE_NAME(VSS_E_TRANSACTION_THAW_TIMEOUT);
        CASE_NAME(VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT);
        CASE_NAME(VSS_E_WRITERERROR_OUTOFRESOURCES);
        CASE_NAME(VSS_E_WRITERERROR_TIMEOUT);
        CASE_NAME(VSS_E_WRITERERROR_RETRYABLE);
        CASE_NAME(VSS_E_WRITERERROR_NONRETRYABLE);
        CASE_NAME(VSS_E_WRITERERROR_RECOVERY_FAILED);
        CASE_NAME(VSS_E_BREAK_REVERT_ID_FAILED);
        CASE_NAME(VSS_E_LEGACY_PROVIDER);
        CASE_NAME(VSS_E_MISSING_DISK);
        CASE_NAME(VSS_E_MISSING_HIDDEN_VOLUME);
        CASE_NAME(VSS_E_MISSING_VOLUME);
        CASE_NAME(VSS_E_AUTORECOVERY_FAILED);
        CASE_NAME(VSS_E_DYNAMIC_DISK_ERROR);
        CASE_NAME(VSS_E_NONTRANSPORTABLE_BCD);
        CASE_NAME(VSS_E_CANNOT_REVERT_DISKID);
        CASE_NAME(VSS_E_RESYNC_IN_PROGRESS);
        CASE_NAME(VSS_E_CLUSTER_ERROR);
        CASE_NAME(VSS_E_ASRERROR_DISK_ASSIGNMENT_FAILED);
        CASE_NAME(VSS_E_ASRERROR_DISK_RECREATION_FAILED);
        CASE_NAME(VSS_E_ASRERROR_NO_ARCPATH);
        CASE_NAME(VSS_E_ASRERROR_MISSING_DYNDISK);
        CASE_NAME(VSS_E_ASRERROR_SHARED_CRIDISK);
        CASE_NAME(VSS_E_ASRERROR_DATADISK_RDISK0);
        CASE_NAME(VSS_E_ASRERROR_RDISK0_TOOSMALL);
        CASE_NAME(VSS_E_ASRERROR_CRITICAL_DISKS_TOO_SMALL);
        CASE_NAME(VSS_E_WRITER_STATUS_NOT_AVAILABLE);
        CASE_NAME(VSS_E_UNSELECTED_VOLUME);
        CASE_NAME(VSS_E_SNAPSHOT_NOT_IN_SET);
        CASE_NAME(VSS_E_NESTED_VOLUME_LIMIT);
        CASE_NAME(S_OK);
        CASE_NAME(S_FALSE);
        CASE_NAME(E_UNEXPECTED);
        CASE_NAME(E_OUTOFMEMORY);
    default:
        return "<Unknown error code>";
    }
}

static const char *StateName(VSS_WRITER_STATE state)
{
    switch (state) {
        CASE_NAME(VSS_WS_UNKNOWN);
        CASE_NAME(VSS_WS_STABLE);
        CASE_NAME(VSS_WS_WAITING_FOR_FREEZE);
        CASE_NAME(VSS_WS_WAITING_FOR_THAW);
        CASE_NAME(VSS_WS_WAITING_FOR_POST_SNAPSHOT);
        CASE_NAME(VSS_WS_WAITING_FOR_BACKUP_COMPLETE);
        CASE_NAME(VSS_WS_FAILED_AT_IDENTIFY);
        CASE_NAME(VSS_WS_FAILED_AT_PREPARE_BACKUP);
        CASE_NAME(VSS_WS_FAILED_AT_PREPARE_SNAPSHOT);
        CASE_NAME(VSS_WS_FAILED_AT_FREEZE);
        CASE_NAME(VSS_WS_FAILED_AT_THAW);
        CASE_NAME(VSS_WS_FAILED_AT_POST_SNAPSHOT);
        CASE_NAME(VSS_WS_FAILED_AT_BACKUP_COMPLETE);
        CASE_NAME(VSS_WS_FAILED_AT_PRE_RESTORE);
        CASE_NAME(VSS_WS_FAILED_AT_POST_RESTORE);
        CASE_NAME(VSS_WS_FAILED_AT_BACKUPSHUTDOWN);
    default:
        return "Undefined";
    }
}

// VSS tools print GUIDs in lower case, in braces.
static void PrintGuid(const GUID &g)
{
    printf("{%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x}", (unsigned)g.Data1, (unsigned)g.Data2,
           (unsigned)g.Data3, g.Data4[0], g.Data4[1], g.Data4[2], g.Data4[3], g.Data4[4], g.Data4[5], g.Data4[6],
           g.Data4[7]);
}

// Wait for an asynchronous operation and return its result, as VShadow's WaitAndCheckForAsyncOperation.
static HRESULT WaitAndQuery(IVssAsync *pAsync)
{
    HRESULT hr = pAsync->Wait();
    HRESULT hrResult = E_FAIL;
    if (SUCCEEDED(hr))
        hr = pAsync->QueryStatus(&hrResult, NULL);
    pAsync->Release();
    return FAILED(hr) ? hr : hrResult;
}

static int ListWriterStatus(IVssBackupComponents *pBackup)
{
    printf("Listing writer status ...\n");
    UINT cWriters = 0;
    HRESULT hr = pBackup->GetWriterStatusCount(&cWriters);
    if (FAILED(hr)) {
        fprintf(stderr, "ERROR: GetWriterStatusCount failed: 0x%08x (%s)\n", (unsigned)hr, FailureName(hr));
        return 1;
    }
    printf("- Number of writers that responded: %u\n", cWriters);
    for (UINT iWriter = 0; iWriter < cWriters; iWriter++) {
        VSS_ID idInstance = GUID_NULL;
        VSS_ID idWriter = GUID_NULL;
        BSTR bstrWriterName = NULL;
        VSS_WRITER_STATE eWriterStatus = VSS_WS_UNKNOWN;
        HRESULT hrWriterFailure = S_OK;
        hr = pBackup->GetWriterStatus(iWriter, &idInstance, &idWriter, &bstrWriterName, &eWriterStatus,
                                      &hrWriterFailure);
        if (FAILED(hr)) {
            fprintf(stderr, "ERROR: GetWriterStatus(%u) failed: 0x%08x (%s)\n", iWriter, (unsigned)hr, FailureName(hr));
            return 1;
        }
        printf("\n* WRITER \"%ls\"\n", bstrWriterName);
        printf("   - Status: %d (%s)\n", (int)eWriterStatus, StateName(eWriterStatus));
        printf("   - Writer Failure code: 0x%08x (%s)\n", (unsigned)hrWriterFailure, FailureName(hrWriterFailure));
        printf("   - Writer ID: ");
        PrintGuid(idWriter);
        printf("\n   - Instance ID: ");
        PrintGuid(idInstance);
        printf("\n\n");
        SysFreeString(bstrWriterName);
    }
    return 0;
}

int main()
{
    HRESULT hr = CoInitializeEx(NULL, COINIT_MULTITHREADED);
    if (FAILED(hr))
        return 1;
    hr = CoInitializeSecurity(NULL, -1, NULL, NULL, RPC_C_AUTHN_LEVEL_PKT_PRIVACY, RPC_C_IMP_LEVEL_IDENTIFY, NULL,
                              EOAC_DYNAMIC_CLOAKING, NULL);

    IVssBackupComponents *pBackup = NULL;
    int rc = 1;
    if (SUCCEEDED(hr))
        hr = CreateVssBackupComponents(&pBackup);
    if (SUCCEEDED(hr))
        hr = pBackup->InitializeForBackup();
    IVssAsync *pAsync = NULL;
    // WARNING (as in VShadow): GatherWriterMetadata can be called only once per object, and it
    // must come before GatherWriterStatus.
    if (SUCCEEDED(hr))
        hr = pBackup->GatherWriterMetadata(&pAsync);
    if (SUCCEEDED(hr))
        hr = WaitAndQuery(pAsync);
    if (SUCCEEDED(hr))
        hr = pBackup->GatherWriterStatus(&pAsync);
    if (SUCCEEDED(hr))
        hr = WaitAndQuery(pAsync);
    if (SUCCEEDED(hr)) {
        rc = ListWriterStatus(pBackup);
        pBackup->FreeWriterStatus();
    } else {
        fprintf(stderr, "ERROR: 0x%08x (%s)\n", (unsigned)hr, FailureName(hr));
    }
    if (pBackup)
        pBackup->Release();
    CoUninitialize();
    return rc;
}
