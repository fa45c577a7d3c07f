// A requester run as three processes on one VSSSIM_MACHINE, as `vshadow -p C:`, `vshadow -q` and
// `vshadow -ds=ID` are: "create" makes a persistent shadow copy of C: and prints its id, "query"
// prints the id of every shadow copy on the machine, "delete ID" deletes one; "create-and-die" is
// killed right after DoSnapshotSet, "status" lists the writers' status as vssadmin would.
#include <windows.h>
#include <atlbase.h>
#include <vss.h>
#include <vsbackup.h>

#include <cstdio>
#include <cwchar>

#include <unistd.h>

#define CHECK_HR(call)                                                         \
    do {                                                                       \
        const HRESULT hrCheck = (call);                                        \
        if (FAILED(hrCheck)) {                                                 \
            wprintf(L"%hs failed: 0x%08lx\n", #call, hrCheck);                 \
            return 1;                                                          \
        }                                                                      \
    } while (0)

static HRESULT WaitFor(IVssAsync *pAsync)
{
    HRESULT hr = pAsync->Wait();
    HRESULT hrResult = S_OK;
    if (SUCCEEDED(hr))
        hr = pAsync->QueryStatus(&hrResult, NULL);
    return FAILED(hr) ? hr : hrResult;
}

static int Create(IVssBackupComponents *pBackup, bool dieAfterSnapshot)
{
    CHECK_HR(pBackup->InitializeForBackup());
    CHECK_HR(pBackup->SetContext(VSS_CTX_APP_ROLLBACK));
    CHECK_HR(pBackup->SetBackupState(false, false, VSS_BT_FULL, false));
    CComPtr<IVssAsync> pAsync;
    CHECK_HR(pBackup->GatherWriterMetadata(&pAsync));
    CHECK_HR(WaitFor(pAsync));
    pAsync.Release();
    WCHAR wszVolume[MAX_PATH];
    if (!GetVolumeNameForVolumeMountPointW(L"C:\\", wszVolume, MAX_PATH))
        return 1;
    VSS_ID setId, snapshotId;
    CHECK_HR(pBackup->StartSnapshotSet(&setId));
    CHECK_HR(pBackup->AddToSnapshotSet(wszVolume, GUID_NULL, &snapshotId));
    CHECK_HR(pBackup->PrepareForBackup(&pAsync));
    CHECK_HR(WaitFor(pAsync));
    pAsync.Release();
    CHECK_HR(pBackup->DoSnapshotSet(&pAsync));
    CHECK_HR(WaitFor(pAsync));
    pAsync.Release();
    if (dieAfterSnapshot)
        _exit(9);   // as if killed while copying: no BackupComplete, no exit handlers
    CHECK_HR(pBackup->BackupComplete(&pAsync));
    CHECK_HR(WaitFor(pAsync));
    pAsync.Release();
    CHECK_HR(pBackup->GatherWriterStatus(&pAsync));
    CHECK_HR(WaitFor(pAsync));
    CHECK_HR(pBackup->FreeWriterStatus());
    WCHAR wszId[40];
    StringFromGUID2(snapshotId, wszId, 40);
    wprintf(L"created %s\n", wszId);
    return 0;
}

static int Query(IVssBackupComponents *pBackup)
{
    CHECK_HR(pBackup->InitializeForBackup());
    CHECK_HR(pBackup->SetContext((LONG)VSS_CTX_ALL));
    CComPtr<IVssEnumObject> pEnum;
    CHECK_HR(pBackup->Query(GUID_NULL, VSS_OBJECT_NONE, VSS_OBJECT_SNAPSHOT, &pEnum));
    VSS_OBJECT_PROP prop;
    ULONG fetched = 0;
    while (pEnum->Next(1, &prop, &fetched) == S_OK && fetched == 1) {
        WCHAR wszId[40];
        StringFromGUID2(prop.Obj.Snap.m_SnapshotId, wszId, 40);
        wprintf(L"shadow %s of %s\n", wszId, prop.Obj.Snap.m_pwszOriginalVolumeName);
        VssFreeSnapshotProperties(&prop.Obj.Snap);
    }
    return 0;
}

static int Status(IVssBackupComponents *pBackup)
{
    // What vssadmin list writers does: writers that take no part in this session show the public
    // status an earlier session left them with.
    CHECK_HR(pBackup->InitializeForBackup());
    CComPtr<IVssAsync> pAsync;
    CHECK_HR(pBackup->GatherWriterMetadata(&pAsync));
    CHECK_HR(WaitFor(pAsync));
    pAsync.Release();
    CHECK_HR(pBackup->GatherWriterStatus(&pAsync));
    CHECK_HR(WaitFor(pAsync));
    UINT cWriters = 0;
    CHECK_HR(pBackup->GetWriterStatusCount(&cWriters));
    for (UINT i = 0; i < cWriters; ++i) {
        VSS_ID instance, writer;
        CComBSTR name;
        VSS_WRITER_STATE state;
        HRESULT hrFailure;
        CHECK_HR(pBackup->GetWriterStatus(i, &instance, &writer, &name, &state, &hrFailure));
        WCHAR wszInstance[40];
        StringFromGUID2(instance, wszInstance, 40);
        wprintf(L"writer %s %s state %d failure 0x%08lx\n", (BSTR)name, wszInstance, (int)state, hrFailure);
    }
    CHECK_HR(pBackup->FreeWriterStatus());
    return 0;
}

static int Delete(IVssBackupComponents *pBackup, const WCHAR *pwszId)
{
    VSS_ID id;
    CHECK_HR(CLSIDFromString(pwszId, &id));
    CHECK_HR(pBackup->InitializeForBackup());
    CHECK_HR(pBackup->SetContext((LONG)VSS_CTX_ALL));
    LONG deleted = 0;
    VSS_ID notDeleted;
    CHECK_HR(pBackup->DeleteSnapshots(id, VSS_OBJECT_SNAPSHOT, TRUE, &deleted, &notDeleted));
    wprintf(L"deleted %ld\n", deleted);
    return 0;
}

int wmain(int argc, WCHAR **argv)
{
    if (argc < 2)
        return 2;
    CHECK_HR(CoInitializeEx(NULL, COINIT_MULTITHREADED));
    int rc = 2;
    {
        CComPtr<IVssBackupComponents> pBackup;
        CHECK_HR(CreateVssBackupComponents(&pBackup));
        if (wcscmp(argv[1], L"create") == 0)
            rc = Create(pBackup, false);
        else if (wcscmp(argv[1], L"create-and-die") == 0)
            rc = Create(pBackup, true);
        else if (wcscmp(argv[1], L"status") == 0)
            rc = Status(pBackup);
        else if (wcscmp(argv[1], L"query") == 0)
            rc = Query(pBackup);
        else if (wcscmp(argv[1], L"delete") == 0 && argc == 3)
            rc = Delete(pBackup, argv[2]);
    }
    CoUninitialize();
    return rc;
}
