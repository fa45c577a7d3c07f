// A component-mode backup of C:\ as a Windows requester writes it, following the VShadow sample:
// select the components whose files are on C:\, create the shadow copy, check every selected
// writer's status after PrepareForBackup, DoSnapshotSet and BackupComplete, and stop with
// AbortBackup when a selected writer has failed. Only the Windows headers and the C library.
#include <windows.h>
#include <vss.h>
#include <vswriter.h>
#include <vsbackup.h>

#include <cstdio>
#include <cwchar>

#define MAX_COMPONENTS 256

#define CASE_NAME(x) \
    case x:          \
        return #x

static const char *CodeName(HRESULT hr)
{
    switch (hr) {
        CASE_NAME(S_OK);
        CASE_NAME(S_FALSE);
        CASE_NAME(E_UNEXPECTED);
        CASE_NAME(E_OUTOFMEMORY);
        CASE_NAME(E_ACCESSDENIED);
        CASE_NAME(VSS_E_BAD_STATE);
        CASE_NAME(VSS_E_UNEXPECTED);
        CASE_NAME(VSS_E_OBJECT_NOT_FOUND);
        CASE_NAME(VSS_S_ASYNC_PENDING);
        CASE_NAME(VSS_S_ASYNC_FINISHED);
        CASE_NAME(VSS_S_ASYNC_CANCELLED);
        CASE_NAME(VSS_E_PROVIDER_VETO);
        CASE_NAME(VSS_E_FLUSH_WRITES_TIMEOUT);
        CASE_NAME(VSS_E_HOLD_WRITES_TIMEOUT);
        CASE_NAME(VSS_E_UNEXPECTED_WRITER_ERROR);
        CASE_NAME(VSS_E_SNAPSHOT_SET_IN_PROGRESS);
        CASE_NAME(VSS_E_WRITER_INFRASTRUCTURE);
        CASE_NAME(VSS_E_WRITER_NOT_RESPONDING);
        CASE_NAME(VSS_E_WRITER_STATUS_NOT_AVAILABLE);
        CASE_NAME(VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT);
        CASE_NAME(VSS_E_WRITERERROR_OUTOFRESOURCES);
        CASE_NAME(VSS_E_WRITERERROR_TIMEOUT);
        CASE_NAME(VSS_E_WRITERERROR_RETRYABLE);
        CASE_NAME(VSS_E_WRITERERROR_NONRETRYABLE);
        CASE_NAME(VSS_E_WRITERERROR_PARTIAL_FAILURE);
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

static void PrintGuid(const GUID &g)
{
    printf("{%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x}", (unsigned)g.Data1, (unsigned)g.Data2,
           (unsigned)g.Data3, g.Data4[0], g.Data4[1], g.Data4[2], g.Data4[3], g.Data4[4], g.Data4[5], g.Data4[6],
           g.Data4[7]);
}

struct SelectedComponent {
    VSS_ID idInstance;
    VSS_ID idWriter;
    VSS_COMPONENT_TYPE type;
    BSTR bstrLogicalPath;   // NULL when the component has none
    BSTR bstrName;
};

static SelectedComponent g_components[MAX_COMPONENTS];
static UINT g_cComponents = 0;

static bool IsSelectedWriter(const VSS_ID &idInstance)
{
    for (UINT i = 0; i < g_cComponents; i++)
        if (IsEqualGUID(g_components[i].idInstance, idInstance))
            return true;
    return false;
}

static bool IsFailedState(VSS_WRITER_STATE state)
{
    return state >= VSS_WS_FAILED_AT_IDENTIFY && state <= VSS_WS_FAILED_AT_BACKUPSHUTDOWN;
}

static HRESULT WaitAndQuery(IVssAsync *pAsync)
{
    HRESULT hr = pAsync->Wait();
    HRESULT hrResult = E_FAIL;
    if (SUCCEEDED(hr))
        hr = pAsync->QueryStatus(&hrResult, NULL);
    pAsync->Release();
    if (FAILED(hr))
        return hr;
    // VSS_S_ASYNC_CANCELLED is a success code, but nothing was done.
    return hrResult == VSS_S_ASYNC_CANCELLED ? E_ABORT : hrResult;
}

// "C:\..." in any case.
static bool IsOnVolumeC(BSTR bstrPath)
{
    return bstrPath && (bstrPath[0] == L'C' || bstrPath[0] == L'c') && bstrPath[1] == L':' && bstrPath[2] == L'\\';
}

static bool FileOnC(IVssWMComponent *pComponent, HRESULT (IVssWMComponent::*get)(UINT, IVssWMFiledesc **), UINT i)
{
    IVssWMFiledesc *pFile = NULL;
    if (FAILED((pComponent->*get)(i, &pFile)))
        return false;
    BSTR bstrPath = NULL;
    bool onC = SUCCEEDED(pFile->GetPath(&bstrPath)) && IsOnVolumeC(bstrPath);
    SysFreeString(bstrPath);
    pFile->Release();
    return onC;
}

// Adds every component whose files all lie on C:\ (VShadow's rule for the volumes of the set).
static HRESULT SelectComponents(IVssBackupComponents *pBackup)
{
    UINT cWriters = 0;
    HRESULT hr = pBackup->GetWriterMetadataCount(&cWriters);
    for (UINT iWriter = 0; SUCCEEDED(hr) && iWriter < cWriters; iWriter++) {
        VSS_ID idInstance = GUID_NULL;
        IVssExamineWriterMetadata *pMetadata = NULL;
        hr = pBackup->GetWriterMetadata(iWriter, &idInstance, &pMetadata);
        if (FAILED(hr))
            break;
        VSS_ID idInstanceAgain = GUID_NULL, idWriter = GUID_NULL;
        BSTR bstrWriterName = NULL;
        VSS_USAGE_TYPE usage;
        VSS_SOURCE_TYPE source;
        UINT cIncludeFiles = 0, cExcludeFiles = 0, cComponents = 0;
        hr = pMetadata->GetIdentity(&idInstanceAgain, &idWriter, &bstrWriterName, &usage, &source);
        if (SUCCEEDED(hr))
            hr = pMetadata->GetFileCounts(&cIncludeFiles, &cExcludeFiles, &cComponents);
        for (UINT iComponent = 0; SUCCEEDED(hr) && iComponent < cComponents; iComponent++) {
            IVssWMComponent *pComponent = NULL;
            hr = pMetadata->GetComponent(iComponent, &pComponent);
            if (FAILED(hr))
                break;
            PVSSCOMPONENTINFO pInfo = NULL;
            hr = pComponent->GetComponentInfo(&pInfo);
            if (SUCCEEDED(hr)) {
                UINT cFiles = pInfo->cFileCount + pInfo->cDatabases + pInfo->cLogFiles;
                bool onC = cFiles > 0;
                for (UINT i = 0; onC && i < pInfo->cFileCount; i++)
                    onC = FileOnC(pComponent, &IVssWMComponent::GetFile, i);
                for (UINT i = 0; onC && i < pInfo->cDatabases; i++)
                    onC = FileOnC(pComponent, &IVssWMComponent::GetDatabaseFile, i);
                for (UINT i = 0; onC && i < pInfo->cLogFiles; i++)
                    onC = FileOnC(pComponent, &IVssWMComponent::GetDatabaseLogFile, i);
                if (onC && g_cComponents < MAX_COMPONENTS) {
                    SelectedComponent &c = g_components[g_cComponents];
                    c.idInstance = idInstance;
                    c.idWriter = idWriter;
                    c.type = pInfo->type;
                    c.bstrLogicalPath = pInfo->bstrLogicalPath ? SysAllocString(pInfo->bstrLogicalPath) : NULL;
                    c.bstrName = SysAllocString(pInfo->bstrComponentName);
                    hr = pBackup->AddComponent(idInstance, idWriter, c.type, c.bstrLogicalPath, c.bstrName);
                    if (SUCCEEDED(hr)) {
                        printf("- Selected component \"%ls\" of writer \"%ls\"\n", c.bstrName, bstrWriterName);
                        g_cComponents++;
                    } else {
                        SysFreeString(c.bstrLogicalPath);
                        SysFreeString(c.bstrName);
                    }
                }
                pComponent->FreeComponentInfo(pInfo);
            }
            pComponent->Release();
        }
        SysFreeString(bstrWriterName);
        pMetadata->Release();
    }
    return hr;
}

// Gathers the status, prints every writer, and fails like VShadow on the first selected writer
// in a failed state.
static HRESULT CheckSelectedWriterStatus(IVssBackupComponents *pBackup, const char *after)
{
    IVssAsync *pAsync = NULL;
    HRESULT hr = pBackup->GatherWriterStatus(&pAsync);
    if (SUCCEEDED(hr))
        hr = WaitAndQuery(pAsync);
    if (FAILED(hr)) {
        printf("ERROR: GatherWriterStatus failed: 0x%08x (%s)\n", (unsigned)hr, CodeName(hr));
        return hr;
    }
    UINT cWriters = 0;
    hr = pBackup->GetWriterStatusCount(&cWriters);
    printf("\nWriter status after %s:\n", after);
    HRESULT hrCheck = S_OK;
    for (UINT iWriter = 0; SUCCEEDED(hr) && iWriter < cWriters; iWriter++) {
        VSS_ID idInstance = GUID_NULL, idWriter = GUID_NULL;
        BSTR bstrWriterName = NULL;
        VSS_WRITER_STATE eState = VSS_WS_UNKNOWN;
        HRESULT hrFailure = S_OK;
        hr = pBackup->GetWriterStatus(iWriter, &idInstance, &idWriter, &bstrWriterName, &eState, &hrFailure);
        if (FAILED(hr))
            break;
        printf("- \"%ls\": %d (%s), 0x%08x (%s)\n", bstrWriterName, (int)eState, StateName(eState),
               (unsigned)hrFailure, CodeName(hrFailure));
        if (hrCheck == S_OK && IsFailedState(eState) && IsSelectedWriter(idInstance)) {
            printf("\nERROR: Selected writer '%ls' is in failed state!\n", bstrWriterName);
            printf("   - Status: %d (%s)\n", (int)eState, StateName(eState));
            printf("   - Writer Failure code: 0x%08x (%s)\n", (unsigned)hrFailure, CodeName(hrFailure));
            printf("   - Writer ID: ");
            PrintGuid(idWriter);
            printf("\n   - Instance ID: ");
            PrintGuid(idInstance);
            printf("\n");
            hrCheck = FAILED(hrFailure) ? hrFailure : E_FAIL;
        }
        SysFreeString(bstrWriterName);
    }
    pBackup->FreeWriterStatus();
    return FAILED(hr) ? hr : hrCheck;
}

static HRESULT RunAsync(IVssBackupComponents *pBackup, HRESULT (IVssBackupComponents::*method)(IVssAsync **),
                        const char *name)
{
    IVssAsync *pAsync = NULL;
    HRESULT hr = (pBackup->*method)(&pAsync);
    if (SUCCEEDED(hr))
        hr = WaitAndQuery(pAsync);
    if (FAILED(hr))
        printf("ERROR: %s failed: 0x%08x (%s)\n", name, (unsigned)hr, CodeName(hr));
    return hr;
}

int main()
{
    HRESULT hr = CoInitializeEx(NULL, COINIT_MULTITHREADED);
    if (FAILED(hr))
        return 1;
    IVssBackupComponents *pBackup = NULL;
    bool abortRequired = false;
    VSS_ID idSnapshotSet = GUID_NULL, idSnapshot = GUID_NULL;

    // Right after a VSS service restart, the service answers VSS_E_UNEXPECTED for a few seconds:
    // retry after a short, bounded wait.
    for (int attempt = 0; attempt < 3; attempt++) {
        hr = CreateVssBackupComponents(&pBackup);
        if (SUCCEEDED(hr)) {
            hr = pBackup->InitializeForBackup();
            if (FAILED(hr)) {
                pBackup->Release();
                pBackup = NULL;
            }
        }
        if (hr != VSS_E_UNEXPECTED)
            break;
        printf("The VSS service is not ready (0x%08x); retrying in 10 seconds ...\n", (unsigned)hr);
        Sleep(10000);
    }
    if (SUCCEEDED(hr))
        hr = pBackup->SetBackupState(true, false, VSS_BT_FULL, false);
    if (SUCCEEDED(hr))
        hr = RunAsync(pBackup, &IVssBackupComponents::GatherWriterMetadata, "GatherWriterMetadata");
    if (SUCCEEDED(hr))
        hr = SelectComponents(pBackup);
    if (SUCCEEDED(hr)) {
        hr = pBackup->StartSnapshotSet(&idSnapshotSet);
        abortRequired = SUCCEEDED(hr);
    }
    if (SUCCEEDED(hr))
        hr = pBackup->AddToSnapshotSet(const_cast<VSS_PWSZ>(L"C:\\"), GUID_NULL, &idSnapshot);
    if (SUCCEEDED(hr))
        hr = RunAsync(pBackup, &IVssBackupComponents::PrepareForBackup, "PrepareForBackup");
    if (SUCCEEDED(hr))
        hr = CheckSelectedWriterStatus(pBackup, "PrepareForBackup");
    if (SUCCEEDED(hr))
        hr = RunAsync(pBackup, &IVssBackupComponents::DoSnapshotSet, "DoSnapshotSet");
    if (SUCCEEDED(hr))
        hr = CheckSelectedWriterStatus(pBackup, "DoSnapshotSet");
    if (SUCCEEDED(hr)) {
        VSS_SNAPSHOT_PROP prop;
        hr = pBackup->GetSnapshotProperties(idSnapshot, &prop);
        if (SUCCEEDED(hr)) {
            printf("\nShadow copy of %ls: %ls\n", prop.m_pwszOriginalVolumeName, prop.m_pwszSnapshotDeviceObject);
            VssFreeSnapshotProperties(&prop);
        }
    }
    // Here a real requester copies the files from the shadow copy device.
    for (UINT i = 0; SUCCEEDED(hr) && i < g_cComponents; i++) {
        const SelectedComponent &c = g_components[i];
        hr = pBackup->SetBackupSucceeded(c.idInstance, c.idWriter, c.type, c.bstrLogicalPath, c.bstrName, true);
    }
    if (SUCCEEDED(hr)) {
        // From BackupComplete on, the writers hear about the end of the backup; no Abort any more.
        abortRequired = false;
        hr = RunAsync(pBackup, &IVssBackupComponents::BackupComplete, "BackupComplete");
    }
    // The gather after BackupComplete also closes the writers' sessions.
    if (SUCCEEDED(hr))
        hr = CheckSelectedWriterStatus(pBackup, "BackupComplete");

    if (FAILED(hr) && abortRequired && pBackup) {
        printf("\nAborting the backup ...\n");
        pBackup->AbortBackup();
    }
    for (UINT i = 0; i < g_cComponents; i++) {
        SysFreeString(g_components[i].bstrLogicalPath);
        SysFreeString(g_components[i].bstrName);
    }
    if (pBackup)
        pBackup->Release();
    CoUninitialize();
    if (FAILED(hr)) {
        printf("\nBackup FAILED: 0x%08x (%s)\n", (unsigned)hr, CodeName(hr));
        return 1;
    }
    printf("\nBackup of C:\\ completed: %u components, shadow copy set ", g_cComponents);
    PrintGuid(idSnapshotSet);
    printf("\n");
    return 0;
}
