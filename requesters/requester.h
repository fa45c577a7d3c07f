// What the proof requesters share: one backup session as docs/behaviour.md §2 and §17 prescribe it
// (AbortBackup once PrepareForBackup or StartSnapshotSet was called and the set failed, never
// BackupComplete after a failed DoSnapshotSet, SetBackupSucceeded(false) for every writer whose status
// shows a failure, every BSTR freed, every IVssAsync released, the status gathered after
// BackupComplete) and the retry loop of §17. Each program picks how it waits for an IVssAsync, how it
// reads the status list and whether it works in component mode; a deliberately wrong program flips
// exactly one of the RequesterOptions mistakes. Windows headers and the C library only.
#pragma once

#include <windows.h>
#include <vss.h>
#include <vswriter.h>
#include <vsbackup.h>

#include <string>
#include <cstdio>

#define MAX_COMPONENTS 256
#define MAX_WRITERS 64

// How the program learns an asynchronous operation's result; each releases the IVssAsync.
typedef HRESULT (*FinishAsync)(IVssAsync *pAsync);

// VSS_S_ASYNC_CANCELLED is a success code, but nothing was done.
inline HRESULT AsyncResult(HRESULT hr, HRESULT hrResult)
{
    if (FAILED(hr))
        return hr;
    return hrResult == VSS_S_ASYNC_CANCELLED ? E_ABORT : hrResult;
}

inline HRESULT WaitAndQuery(IVssAsync *pAsync)
{
    HRESULT hrResult = E_FAIL;
    HRESULT hrWait = pAsync->Wait();
    // Wait says whether the wait worked; only QueryStatus gives the operation's result (R13).
    HRESULT hr = pAsync->QueryStatus(&hrResult, NULL);
    if (SUCCEEDED(hr) && hrResult == VSS_S_ASYNC_PENDING)
        hr = FAILED(hrWait) ? hrWait : E_UNEXPECTED;
    pAsync->Release();
    return AsyncResult(hr, hrResult);
}

// Without Wait: each QueryStatus lets the operation advance, so the loop ends when it does.
inline HRESULT PollUntilDone(IVssAsync *pAsync)
{
    HRESULT hrResult = VSS_S_ASYNC_PENDING;
    HRESULT hr = S_OK;
    while (SUCCEEDED(hr) && hrResult == VSS_S_ASYNC_PENDING)
        hr = pAsync->QueryStatus(&hrResult, NULL);
    pAsync->Release();
    return AsyncResult(hr, hrResult);
}

struct WriterStatus {
    VSS_ID idInstance;
    VSS_ID idWriter;
    BSTR bstrWriter;
    VSS_WRITER_STATE eState;
    HRESULT hrFailure;
    HRESULT hrApplication;
    BSTR bstrApplicationMessage;   // NULL from the plain GetWriterStatus
};

// How the program reads one entry of the held status list.
typedef HRESULT (*ReadWriterStatus)(IVssBackupComponents *pBackup, UINT iWriter, WriterStatus *pStatus);

inline HRESULT ReadPlainStatus(IVssBackupComponents *pBackup, UINT iWriter, WriterStatus *s)
{
    s->hrApplication = S_OK;
    s->bstrApplicationMessage = NULL;
    return pBackup->GetWriterStatus(iWriter, &s->idInstance, &s->idWriter, &s->bstrWriter, &s->eState, &s->hrFailure);
}

inline HRESULT ReadStatusEx3(IVssBackupComponents *pBackup, UINT iWriter, WriterStatus *s)
{
    IVssBackupComponentsEx3 *pEx3 = NULL;
    HRESULT hr = pBackup->QueryInterface(IID_IVssBackupComponentsEx3, (void **)&pEx3);
    if (FAILED(hr))
        return hr;
    hr = pEx3->GetWriterStatusEx(iWriter, &s->idInstance, &s->idWriter, &s->bstrWriter, &s->eState, &s->hrFailure,
                                 &s->hrApplication, &s->bstrApplicationMessage);
    pEx3->Release();
    return hr;
}

struct RequesterOptions {
    bool bComponentMode;
    FinishAsync finish;
    ReadWriterStatus readStatus;
    BSTR *pbstrBcd;   // non-NULL: keep the Backup Components Document of a successful backup here
    // The one mistake of a deliberately wrong requester (docs/behaviour.md §19); all false in a correct one.
    bool bClaimEveryComponentBackedUp;   // M3
    bool bCompleteAfterFailedSnapshot;   // M7
    bool bLeakStatusStrings;             // M1
};

struct Component {
    VSS_ID idInstance;
    VSS_ID idWriter;
    VSS_COMPONENT_TYPE type;
    BSTR bstrLogicalPath;   // NULL when the component has none
    BSTR bstrName;
    bool bFailed;           // its writer's status showed a failure, or (after the set) it never reached [5]
};

inline Component g_components[MAX_COMPONENTS];
inline UINT g_cComponents = 0;

inline void FreeComponents()
{
    for (UINT i = 0; i < g_cComponents; i++) {
        SysFreeString(g_components[i].bstrLogicalPath);
        SysFreeString(g_components[i].bstrName);
    }
    g_cComponents = 0;
}

inline bool AddSelected(const VSS_ID &idInstance, const VSS_ID &idWriter, VSS_COMPONENT_TYPE type, LPCWSTR wszPath,
                        LPCWSTR wszName)
{
    if (g_cComponents == MAX_COMPONENTS)
        return false;
    Component &c = g_components[g_cComponents++];
    c.idInstance = idInstance;
    c.idWriter = idWriter;
    c.type = type;
    c.bstrLogicalPath = wszPath && wszPath[0] ? SysAllocString(wszPath) : NULL;
    c.bstrName = SysAllocString(wszName);
    c.bFailed = false;
    return true;
}

inline bool IsFailedState(VSS_WRITER_STATE state)
{
    return state >= VSS_WS_FAILED_AT_IDENTIFY && state <= VSS_WS_FAILED_AT_BACKUPSHUTDOWN;
}

// What docs/behaviour.md §17 (and scenarios/service-not-ready.toml for a service that is not ready yet) advises per
// failure code: how long to wait before retrying the whole backup (0: do not retry for it), whether
// the failed writer's data must be left out of any retry, and what to tell the operator.
struct FailureAdvice {
    HRESULT hr;
    DWORD dwRetryAfterMs;
    bool bLeaveOut;
    const char *pszOperator;
};

#define TEN_MINUTES (10 * 60 * 1000)

inline const FailureAdvice g_advice[] = {
    {VSS_E_WRITERERROR_RETRYABLE, TEN_MINUTES, false, "if it persists, restart the service hosting the writer"},
    {VSS_E_WRITERERROR_OUTOFRESOURCES, TEN_MINUTES, false, "reduce the system load"},
    {VSS_E_WRITERERROR_TIMEOUT, TEN_MINUTES, false, "reduce the system load"},
    {VSS_E_FLUSH_WRITES_TIMEOUT, TEN_MINUTES, false, "a provider problem: reduce the I/O load"},
    {VSS_E_HOLD_WRITES_TIMEOUT, TEN_MINUTES, false, "a provider problem: reduce the I/O load"},
    {VSS_E_PROVIDER_VETO, TEN_MINUTES, false, "a provider problem: see the provider's event log"},
    {VSS_E_UNEXPECTED_PROVIDER_ERROR, TEN_MINUTES, false, "a provider problem: see the provider's event log"},
    {VSS_E_SNAPSHOT_SET_IN_PROGRESS, 10 * 1000, false, "another shadow copy creation is running"},
    {VSS_E_UNEXPECTED, 10 * 1000, false, "check the VSS, COM+ and DTC services"},
    {VSS_E_WRITERERROR_NONRETRYABLE, 0, true, "its data is not backed up with VSS; the machine may need a restart"},
    {VSS_E_WRITER_NOT_RESPONDING, 0, true, "its data is not backed up with VSS; restart the service hosting it"},
};

inline const FailureAdvice *AdviceFor(HRESULT hr)
{
    for (UINT i = 0; i < sizeof g_advice / sizeof g_advice[0]; i++)
        if (g_advice[i].hr == hr)
            return &g_advice[i];
    return NULL;
}

// Writers whose data a retry leaves out (M8: never retry a non-retryable failure unchanged).
inline VSS_ID g_leftOut[MAX_WRITERS];
inline UINT g_cLeftOut = 0;

inline bool IsLeftOut(const VSS_ID &idInstance)
{
    for (UINT i = 0; i < g_cLeftOut; i++)
        if (IsEqualGUID(g_leftOut[i], idInstance))
            return true;
    return false;
}

// The failure code that calls for the longest wait before a retry; S_OK when none does.
inline HRESULT g_hrRetry = S_OK;
// Some involved writer's data is not application-consistent in the last attempt.
inline bool g_bWriterFailed = false;

inline void NoteFailure(const VSS_ID &idInstance, HRESULT hr)
{
    const FailureAdvice *advice = AdviceFor(hr);
    if (!advice)
        return;
    if (advice->bLeaveOut && !IsLeftOut(idInstance) && g_cLeftOut < MAX_WRITERS)
        g_leftOut[g_cLeftOut++] = idInstance;
    const FailureAdvice *current = AdviceFor(g_hrRetry);
    if (advice->dwRetryAfterMs > 0 && (!current || advice->dwRetryAfterMs > current->dwRetryAfterMs))
        g_hrRetry = hr;
}

// True when the writer has a selected component (in non-component mode every writer is involved).
inline bool MarkWriterFailed(const RequesterOptions &o, const VSS_ID &idInstance)
{
    bool involved = !o.bComponentMode;
    for (UINT i = 0; i < g_cComponents; i++)
        if (IsEqualGUID(g_components[i].idInstance, idInstance)) {
            g_components[i].bFailed = true;
            involved = true;
        }
    g_bWriterFailed = g_bWriterFailed || involved;
    return involved;
}

// Gathers the status and prints it; marks the components of failed writers, and after the set those
// of writers that did not reach [5] (their data is not application-consistent, §17).
inline HRESULT GatherStatus(IVssBackupComponents *pBackup, const RequesterOptions &o, const char *after,
                            bool bAfterSnapshot)
{
    IVssAsync *pAsync = NULL;
    HRESULT hr = pBackup->GatherWriterStatus(&pAsync);
    if (SUCCEEDED(hr))
        hr = o.finish(pAsync);
    if (FAILED(hr)) {
        printf("ERROR: GatherWriterStatus after %s failed: 0x%08x\n", after, (unsigned)hr);
        return hr;
    }
    UINT cWriters = 0;
    hr = pBackup->GetWriterStatusCount(&cWriters);
    printf("Writer status after %s:\n", after);
    for (UINT i = 0; SUCCEEDED(hr) && i < cWriters; i++) {
        WriterStatus s = {};
        hr = o.readStatus(pBackup, i, &s);
        if (FAILED(hr))
            break;
        printf("- \"%ls\": state %d, failure 0x%08x", s.bstrWriter, (int)s.eState, (unsigned)s.hrFailure);
        if (s.bstrApplicationMessage)
            printf(", application 0x%08x \"%ls\"", (unsigned)s.hrApplication, s.bstrApplicationMessage);
        printf("\n");
        bool failed = s.hrFailure != S_OK || IsFailedState(s.eState) || s.eState == VSS_WS_UNKNOWN;
        if (failed && MarkWriterFailed(o, s.idInstance)) {
            NoteFailure(s.idInstance, s.hrFailure);
            if (const FailureAdvice *advice = AdviceFor(s.hrFailure))
                printf("  %s\n", advice->pszOperator);
        }
        if (!failed && bAfterSnapshot && o.bComponentMode && s.eState != VSS_WS_WAITING_FOR_BACKUP_COMPLETE)
            MarkWriterFailed(o, s.idInstance);
        if (!o.bLeakStatusStrings) {
            SysFreeString(s.bstrWriter);
            SysFreeString(s.bstrApplicationMessage);
        }
    }
    pBackup->FreeWriterStatus();
    return hr;
}

inline HRESULT RunAsync(IVssBackupComponents *pBackup, HRESULT (IVssBackupComponents::*method)(IVssAsync **),
                        const RequesterOptions &o, const char *name)
{
    IVssAsync *pAsync = NULL;
    HRESULT hr = (pBackup->*method)(&pAsync);
    if (SUCCEEDED(hr))
        hr = o.finish(pAsync);
    if (FAILED(hr))
        printf("ERROR: %s failed: 0x%08x\n", name, (unsigned)hr);
    return hr;
}

// "C:\..." in any case: the proof requesters back up C:\ only.
inline bool IsOnVolumeC(BSTR bstrPath)
{
    return bstrPath && (bstrPath[0] == L'C' || bstrPath[0] == L'c') && bstrPath[1] == L':' && bstrPath[2] == L'\\';
}

inline bool FilesOnC(IVssWMComponent *pComponent, HRESULT (IVssWMComponent::*get)(UINT, IVssWMFiledesc **), UINT cFiles)
{
    bool onC = true;
    for (UINT i = 0; onC && i < cFiles; i++) {
        IVssWMFiledesc *pFile = NULL;
        BSTR bstrPath = NULL;
        onC = SUCCEEDED((pComponent->*get)(i, &pFile)) && SUCCEEDED(pFile->GetPath(&bstrPath)) && IsOnVolumeC(bstrPath);
        SysFreeString(bstrPath);
        if (pFile)
            pFile->Release();
    }
    return onC;
}

// Whether no component of the writer has a full path ("logical\\name") that logicalPath lies under.
inline bool IsTopLevel(IVssExamineWriterMetadata *pMetadata, UINT cComponents, BSTR bstrLogicalPath)
{
    const std::wstring path = bstrLogicalPath ? bstrLogicalPath : L"";
    bool top = true;
    for (UINT i = 0; top && i < cComponents; i++) {
        IVssWMComponent *pOther = NULL;
        if (FAILED(pMetadata->GetComponent(i, &pOther)))
            break;
        PVSSCOMPONENTINFO pOtherInfo = NULL;
        if (SUCCEEDED(pOther->GetComponentInfo(&pOtherInfo))) {
            std::wstring full = pOtherInfo->bstrLogicalPath ? pOtherInfo->bstrLogicalPath : L"";
            full += (full.empty() ? L"" : L"\\") + std::wstring(pOtherInfo->bstrComponentName);
            top = !(path == full || (path.size() > full.size() && path.compare(0, full.size(), full) == 0 &&
                                     path[full.size()] == L'\\'));
            pOther->FreeComponentInfo(pOtherInfo);
        }
        pOther->Release();
    }
    return top;
}

// Every selectable or top-level component whose files all lie on C:\, added under the instance id its metadata
// came with, except the writers a retry leaves out.
inline HRESULT SelectComponents(IVssBackupComponents *pBackup)
{
    UINT cWriters = 0;
    HRESULT hr = pBackup->GetWriterMetadataCount(&cWriters);
    for (UINT iWriter = 0; SUCCEEDED(hr) && iWriter < cWriters; iWriter++) {
        VSS_ID idInstance = GUID_NULL, idInstanceAgain = GUID_NULL, idWriter = GUID_NULL;
        IVssExamineWriterMetadata *pMetadata = NULL;
        hr = pBackup->GetWriterMetadata(iWriter, &idInstance, &pMetadata);
        if (FAILED(hr))
            break;
        BSTR bstrWriterName = NULL;
        VSS_USAGE_TYPE usage;
        VSS_SOURCE_TYPE source;
        UINT cIncludeFiles = 0, cExcludeFiles = 0, cComponents = 0;
        hr = pMetadata->GetIdentity(&idInstanceAgain, &idWriter, &bstrWriterName, &usage, &source);
        if (SUCCEEDED(hr))
            hr = pMetadata->GetFileCounts(&cIncludeFiles, &cExcludeFiles, &cComponents);
        if (IsLeftOut(idInstance))
            cComponents = 0;
        for (UINT iComponent = 0; SUCCEEDED(hr) && iComponent < cComponents; iComponent++) {
            IVssWMComponent *pComponent = NULL;
            hr = pMetadata->GetComponent(iComponent, &pComponent);
            if (FAILED(hr))
                break;
            PVSSCOMPONENTINFO pInfo = NULL;
            hr = pComponent->GetComponentInfo(&pInfo);
            if (SUCCEEDED(hr)) {
                // As VShadow: a component can be included explicitly when it is selectable or top
                // level (a top-level one that is not selectable is not optional, like NTDS's).
                bool wanted = (pInfo->bSelectable || IsTopLevel(pMetadata, cComponents, pInfo->bstrLogicalPath)) &&
                              pInfo->cFileCount + pInfo->cDatabases + pInfo->cLogFiles > 0 &&
                              FilesOnC(pComponent, &IVssWMComponent::GetFile, pInfo->cFileCount) &&
                              FilesOnC(pComponent, &IVssWMComponent::GetDatabaseFile, pInfo->cDatabases) &&
                              FilesOnC(pComponent, &IVssWMComponent::GetDatabaseLogFile, pInfo->cLogFiles);
                if (wanted) {
                    hr = pBackup->AddComponent(idInstance, idWriter, pInfo->type, pInfo->bstrLogicalPath,
                                               pInfo->bstrComponentName);
                    if (SUCCEEDED(hr) && AddSelected(idInstance, idWriter, pInfo->type, pInfo->bstrLogicalPath,
                                                     pInfo->bstrComponentName))
                        printf("- Selected \"%ls\" of \"%ls\"\n", pInfo->bstrComponentName, bstrWriterName);
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

inline HRESULT ReportBackedUp(IVssBackupComponents *pBackup, const RequesterOptions &o)
{
    HRESULT hr = S_OK;
    for (UINT i = 0; SUCCEEDED(hr) && i < g_cComponents; i++) {
        const Component &c = g_components[i];
        const bool succeeded = o.bClaimEveryComponentBackedUp || !c.bFailed;
        hr = pBackup->SetBackupSucceeded(c.idInstance, c.idWriter, c.type, c.bstrLogicalPath, c.bstrName, succeeded);
    }
    return hr;
}

// One backup session of C:\, from CreateVssBackupComponents to Release. Sets g_hrRetry when §17
// advises a retry.
inline HRESULT BackupOnce(const RequesterOptions &o)
{
    IVssBackupComponents *pBackup = NULL;
    VSS_ID idSnapshotSet = GUID_NULL, idSnapshot = GUID_NULL;
    bool abortRequired = false;
    bool snapshotFailed = false;
    g_hrRetry = S_OK;
    g_bWriterFailed = false;

    HRESULT hr = CreateVssBackupComponents(&pBackup);
    if (SUCCEEDED(hr))
        hr = pBackup->InitializeForBackup();
    if (SUCCEEDED(hr))
        hr = pBackup->SetBackupState(o.bComponentMode, false, VSS_BT_FULL, false);
    if (SUCCEEDED(hr))
        hr = RunAsync(pBackup, &IVssBackupComponents::GatherWriterMetadata, o, "GatherWriterMetadata");
    if (SUCCEEDED(hr) && o.bComponentMode)
        hr = SelectComponents(pBackup);
    if (SUCCEEDED(hr)) {
        hr = pBackup->StartSnapshotSet(&idSnapshotSet);
        abortRequired = SUCCEEDED(hr);
    }
    if (SUCCEEDED(hr))
        hr = pBackup->AddToSnapshotSet(const_cast<VSS_PWSZ>(L"C:\\"), GUID_NULL, &idSnapshot);
    if (SUCCEEDED(hr))
        hr = RunAsync(pBackup, &IVssBackupComponents::PrepareForBackup, o, "PrepareForBackup");
    if (SUCCEEDED(hr))
        hr = GatherStatus(pBackup, o, "PrepareForBackup", false);
    if (SUCCEEDED(hr)) {
        hr = RunAsync(pBackup, &IVssBackupComponents::DoSnapshotSet, o, "DoSnapshotSet");
        snapshotFailed = FAILED(hr);
    }
    if (snapshotFailed) {
        if (o.bCompleteAfterFailedSnapshot)
            RunAsync(pBackup, &IVssBackupComponents::BackupComplete, o, "BackupComplete");
        // Abort even so: the requester cannot know whether the writers had one already (§2).
        pBackup->AbortBackup();
        abortRequired = false;
        // The status names the writer behind VSS_E_UNEXPECTED_WRITER_ERROR, and its code decides a retry.
        GatherStatus(pBackup, o, "the failed DoSnapshotSet", false);
    }
    if (SUCCEEDED(hr))
        hr = GatherStatus(pBackup, o, "DoSnapshotSet", true);
    // Here a real requester copies the files from the shadow copy device.
    if (SUCCEEDED(hr))
        hr = ReportBackedUp(pBackup, o);
    if (SUCCEEDED(hr) && o.pbstrBcd) {
        // A retry's document replaces the one of the attempt before.
        SysFreeString(*o.pbstrBcd);
        *o.pbstrBcd = NULL;
        hr = pBackup->SaveAsXML(o.pbstrBcd);
    }
    if (SUCCEEDED(hr)) {
        // From BackupComplete on, the writers hear about the end of the backup; no Abort any more.
        abortRequired = false;
        hr = RunAsync(pBackup, &IVssBackupComponents::BackupComplete, o, "BackupComplete");
    }
    // The gather after BackupComplete also closes the writers' sessions (R10).
    if (SUCCEEDED(hr))
        hr = GatherStatus(pBackup, o, "BackupComplete", false);
    if (abortRequired) {
        printf("Aborting the backup\n");
        pBackup->AbortBackup();
    }
    if (FAILED(hr))
        NoteFailure(GUID_NULL, hr);
    if (pBackup)
        pBackup->Release();
    FreeComponents();
    return hr;
}

// The whole backup again, unchanged but for writers left out, while §17 advises a retry: after the
// advised wait (or at once, as a wrong requester does), at most cMaxRetries times.
inline HRESULT BackupWithRetries(const RequesterOptions &o, UINT cMaxRetries, bool bWaitAsAdvised)
{
    HRESULT hr = BackupOnce(o);
    for (UINT retry = 1; retry <= cMaxRetries && g_hrRetry != S_OK; retry++) {
        printf("Retry %u of %u after 0x%08x\n", retry, cMaxRetries, (unsigned)g_hrRetry);
        if (bWaitAsAdvised)
            Sleep(AdviceFor(g_hrRetry)->dwRetryAfterMs);
        hr = BackupOnce(o);
    }
    if (const FailureAdvice *advice = AdviceFor(g_hrRetry))
        printf("Giving up after 0x%08x: %s\n", (unsigned)g_hrRetry, advice->pszOperator);
    return hr;
}

// The choices of the correct component-mode requester; each program changes what it does otherwise.
inline RequesterOptions ComponentModeOptions()
{
    RequesterOptions o = {};
    o.bComponentMode = true;
    o.finish = WaitAndQuery;
    o.readStatus = ReadStatusEx3;
    return o;
}

inline int ExitCode(HRESULT hr, const char *what)
{
    if (FAILED(hr)) {
        printf("%s FAILED: 0x%08x\n", what, (unsigned)hr);
        return 1;
    }
    if (g_bWriterFailed) {
        printf("%s completed, but not every writer's data is application-consistent (see above)\n", what);
        return 1;
    }
    printf("%s completed\n", what);
    return 0;
}

// A whole program: COM set up, the backup with its retries, the exit status.
inline int RunBackup(const RequesterOptions &o, UINT cMaxRetries = 3, bool bWaitAsAdvised = true)
{
    if (FAILED(CoInitializeEx(NULL, COINIT_MULTITHREADED)))
        return 1;
    HRESULT hr = BackupWithRetries(o, cMaxRetries, bWaitAsAdvised);
    CoUninitialize();
    return ExitCode(hr, "Backup");
}
