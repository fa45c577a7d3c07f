// A requester written the way Microsoft's VShadow sample is: precompiled-header style includes with
// the standard headers after <windows.h>, ATL smart pointers, StringCch*, old SAL, wmain, the Win32
// volume functions and vssapi.dll loaded by name. It is built from nothing but the pkg-config line
// (tests/meson.build) and prints "vshadow-style: all checks passed" when every check holds.
#include <Windows.h>
#include <WinBase.h>
#include <tchar.h>
#include <atlbase.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>
using namespace std;

#include <StrSafe.h>
#include <Vss.h>
#include <VsWriter.h>
#include <VsBackup.h>
#include <VsMgmt.h>
#include <VersionHelpers.h>

static int g_failures = 0;

#define CHECK_TRUE(expr)                                                                      \
    do {                                                                                      \
        if (!(expr)) {                                                                        \
            wprintf(L"vshadow-style: check failed at line %d: %hs\n", __LINE__, #expr);       \
            ++g_failures;                                                                     \
        }                                                                                     \
    } while (0)

#define CHECK_COM(call)                                                                       \
    do {                                                                                      \
        HRESULT hrCall = (call);                                                              \
        if (FAILED(hrCall)) {                                                                 \
            wprintf(L"vshadow-style: %hs failed: 0x%08lx\n", #call, hrCall);                  \
            ++g_failures;                                                                     \
            return hrCall;                                                                    \
        }                                                                                     \
    } while (0)

typedef HRESULT(STDAPICALLTYPE *PFN_CreateVssBackupComponents)(IVssBackupComponents **ppBackup);
typedef void(APIENTRY *PFN_VssFreeSnapshotProperties)(VSS_SNAPSHOT_PROP *pProp);

static const char kCreateDecorated[] = "?CreateVssBackupComponents@@YAJPEAPEAVIVssBackupComponents@@@Z";

static HRESULT WaitFor(__in IVssAsync *pAsync, __out HRESULT *phrResult)
{
    CHECK_COM(pAsync->Wait());
    return pAsync->QueryStatus(phrResult, NULL);
}

static wstring UniqueVolumeName(__in const wstring &mountPoint)
{
    WCHAR wszName[MAX_PATH];
    ZeroMemory(wszName, sizeof(wszName));
    if (!GetVolumeNameForVolumeMountPointW(mountPoint.c_str(), wszName, MAX_PATH))
        return wstring();
    return wszName;
}

static void CheckStrsafe()
{
    WCHAR wsz[8];
    // Truncation keeps what fits and says so.
    CHECK_TRUE(StringCchPrintfW(wsz, 8, L"%s-%d", L"abcdef", 42) == STRSAFE_E_INSUFFICIENT_BUFFER);
    CHECK_TRUE(wcscmp(wsz, L"abcdef-") == 0);
    CHECK_TRUE(StringCchPrintfW(wsz, 8, L"0x%04lx", (DWORD)0xBEEF) == S_OK && wcscmp(wsz, L"0xbeef") == 0);
    CHECK_TRUE(StringCchCopyW(wsz, ARRAYSIZE(wsz), L"C:\\") == S_OK);
    CHECK_TRUE(StringCchCatW(wsz, ARRAYSIZE(wsz), L"Windows") == STRSAFE_E_INSUFFICIENT_BUFFER);
    CHECK_TRUE(wcscmp(wsz, L"C:\\Wind") == 0);
    size_t cch = 99;
    CHECK_TRUE(StringCchLengthW(wsz, ARRAYSIZE(wsz), &cch) == S_OK && cch == 7);
    CHECK_TRUE(StringCchLengthW(wsz, 3, &cch) == STRSAFE_E_INVALID_PARAMETER && cch == 0);
    CHECK_TRUE(StringCchCopyW(wsz, 0, L"x") == STRSAFE_E_INVALID_PARAMETER);
    char sz[16];
    CHECK_TRUE(StringCbPrintfA(sz, sizeof(sz), "%S=%I64u", L"cb", (ULONGLONG)1 << 40) == STRSAFE_E_INSUFFICIENT_BUFFER);
    CHECK_TRUE(strcmp(sz, "cb=109951162777") == 0);
    CHECK_TRUE(StringCbCopyA(sz, sizeof(sz), "vss") == S_OK && StringCbCatA(sz, sizeof(sz), "api") == S_OK &&
               strcmp(sz, "vssapi") == 0);
}

static void CheckAtl()
{
    CComBSTR bstr(L"Writer");
    CHECK_TRUE(bstr.Length() == 6);
    CHECK_TRUE(SUCCEEDED(bstr.Append(L" name")) && bstr == L"Writer name");
    CHECK_TRUE(SysStringLen((BSTR)bstr) == 11);
    CComBSTR narrow("narrow");
    CHECK_TRUE(narrow.Length() == 6 && wcscmp(narrow, L"narrow") == 0);
    CComBSTR copy(bstr);
    CHECK_TRUE(copy == bstr && copy.m_str != bstr.m_str);
    BSTR detached = copy.Detach();
    CHECK_TRUE(copy.m_str == NULL && !copy);
    copy.Attach(detached);
    BSTR out = NULL;
    CHECK_TRUE(copy.CopyTo(&out) == S_OK && wcscmp(out, L"Writer name") == 0);
    SysFreeString(out);
    CComBSTR empty;
    CHECK_TRUE(empty.Length() == 0 && empty == L"");
}

static void CheckVolumes(__in const wstring &volumeName)
{
    CHECK_TRUE(volumeName.compare(0, 11, L"\\\\?\\Volume{") == 0 && volumeName.back() == L'\\');
    // The unique name of a unique name is itself (VShadow asks twice).
    CHECK_TRUE(UniqueVolumeName(volumeName) == volumeName);

    WCHAR wszPaths[MAX_PATH];
    DWORD cchReturned = 0;
    CHECK_TRUE(GetVolumePathNamesForVolumeNameW(volumeName.c_str(), wszPaths, MAX_PATH, &cchReturned));
    CHECK_TRUE(wcscmp(wszPaths, L"C:\\") == 0 && cchReturned == 5);
    CHECK_TRUE(!GetVolumePathNamesForVolumeNameW(volumeName.c_str(), wszPaths, 2, &cchReturned));
    CHECK_TRUE(GetLastError() == ERROR_MORE_DATA && cchReturned == 5);

    WCHAR wszRoot[MAX_PATH];
    CHECK_TRUE(GetVolumePathNameW(L"c:\\Windows\\System32\\drivers", wszRoot, MAX_PATH) && _wcsicmp(wszRoot, L"C:\\") == 0);

    bool found = false;
    WCHAR wszVolume[MAX_PATH];
    HANDLE hFind = FindFirstVolumeW(wszVolume, ARRAYSIZE(wszVolume));
    CHECK_TRUE(hFind != INVALID_HANDLE_VALUE);
    if (hFind != INVALID_HANDLE_VALUE) {
        do
            found = found || _wcsicmp(wszVolume, volumeName.c_str()) == 0;
        while (FindNextVolumeW(hFind, wszVolume, ARRAYSIZE(wszVolume)));
        CHECK_TRUE(GetLastError() == ERROR_NO_MORE_FILES);
        CHECK_TRUE(FindVolumeClose(hFind));
    }
    CHECK_TRUE(found);

    WCHAR wszDevice[MAX_PATH];
    CHECK_TRUE(QueryDosDeviceW(L"C:", wszDevice, MAX_PATH) > 0 && wcsncmp(wszDevice, L"\\Device\\HarddiskVolume", 22) == 0);
    CHECK_TRUE(GetDriveTypeW(L"C:\\") == DRIVE_FIXED);
    WCHAR wszFs[MAX_PATH];
    DWORD serial = 0, maxComponent = 0, flags = 0;
    CHECK_TRUE(GetVolumeInformationW(volumeName.c_str(), NULL, 0, &serial, &maxComponent, &flags, wszFs, MAX_PATH));
    CHECK_TRUE(wcscmp(wszFs, L"NTFS") == 0 && maxComponent == 255);

    // Windows' errors, through GetLastError.
    CHECK_TRUE(UniqueVolumeName(L"C:").empty() && GetLastError() == ERROR_INVALID_NAME);
    CHECK_TRUE(UniqueVolumeName(L"Q:\\").empty() && GetLastError() == ERROR_FILE_NOT_FOUND);
    WCHAR wszSmall[10];
    CHECK_TRUE(!GetVolumeNameForVolumeMountPointW(L"C:\\", wszSmall, ARRAYSIZE(wszSmall)) &&
               GetLastError() == ERROR_FILENAME_EXCED_RANGE);
    CHECK_TRUE(!CloseHandle(INVALID_HANDLE_VALUE) && GetLastError() == ERROR_INVALID_HANDLE);
}

static void CheckMessages()
{
    LPWSTR pwszText = NULL;
    DWORD cch = FormatMessageW(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
                               NULL, ERROR_MOD_NOT_FOUND, MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT), (LPWSTR)&pwszText, 0, NULL);
    CHECK_TRUE(cch > 0 && wcscmp(pwszText, L"The specified module could not be found.\r\n") == 0);
    LocalFree(pwszText);
    pwszText = NULL;
    cch = FormatMessageW(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
                         NULL, (DWORD)VSS_E_BAD_STATE, 0, (LPWSTR)&pwszText, 0, NULL);
    CHECK_TRUE(cch > 0 && pwszText != NULL && wcsstr(pwszText, L"state") != NULL);
    LocalFree(pwszText);
    WCHAR wsz[8];
    CHECK_TRUE(FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM, NULL, ERROR_MOD_NOT_FOUND, 0, wsz, ARRAYSIZE(wsz), NULL) == 0 &&
               GetLastError() == ERROR_INSUFFICIENT_BUFFER);
    CHECK_TRUE(FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM, NULL, 0x2FFFFFFF, 0, wsz, ARRAYSIZE(wsz), NULL) == 0 &&
               GetLastError() == ERROR_MR_MID_NOT_FOUND);
    CHECK_TRUE(HRESULT_FROM_WIN32(ERROR_MOD_NOT_FOUND) == (HRESULT)0x8007007E);
}

static HRESULT Backup(__in HMODULE hVssapi, __out wstring *pOriginalVolume)
{
    PFN_CreateVssBackupComponents pfnCreate = (PFN_CreateVssBackupComponents)GetProcAddress(hVssapi, kCreateDecorated);
    PFN_VssFreeSnapshotProperties pfnFree =
        (PFN_VssFreeSnapshotProperties)GetProcAddress(hVssapi, "VssFreeSnapshotProperties");
    CHECK_TRUE(pfnCreate != NULL && pfnFree != NULL);
    if (!pfnCreate || !pfnFree)
        return E_UNEXPECTED;

    CComPtr<IVssBackupComponents> pBackup;
    CHECK_COM(pfnCreate(&pBackup));
    CComQIPtr<IVssBackupComponentsEx> pBackupEx = pBackup;
    CHECK_TRUE(pBackupEx != NULL);
    CHECK_COM(pBackup->InitializeForBackup());
    CHECK_COM(pBackup->SetBackupState(false, true, VSS_BT_FULL, false));

    HRESULT hrAsync = E_FAIL;
    CComPtr<IVssAsync> pAsync;
    CHECK_COM(pBackup->GatherWriterMetadata(&pAsync));
    CHECK_COM(WaitFor(pAsync, &hrAsync));
    CHECK_TRUE(hrAsync == VSS_S_ASYNC_FINISHED);
    pAsync.Release();
    UINT cWriters = 0;
    CHECK_COM(pBackup->GetWriterMetadataCount(&cWriters));
    CHECK_TRUE(cWriters > 0);

    const wstring volumeName = UniqueVolumeName(L"C:\\");
    VSS_ID setId = GUID_NULL, snapshotId = GUID_NULL;
    CHECK_COM(pBackup->StartSnapshotSet(&setId));
    BOOL bSupported = FALSE;
    CHECK_COM(pBackup->IsVolumeSupported(GUID_NULL, (VSS_PWSZ)volumeName.c_str(), &bSupported));
    CHECK_TRUE(bSupported);
    CHECK_COM(pBackup->AddToSnapshotSet((VSS_PWSZ)volumeName.c_str(), GUID_NULL, &snapshotId));
    CHECK_COM(pBackup->PrepareForBackup(&pAsync));
    CHECK_COM(WaitFor(pAsync, &hrAsync));
    pAsync.Release();
    CHECK_COM(pBackup->DoSnapshotSet(&pAsync));
    CHECK_COM(WaitFor(pAsync, &hrAsync));
    CHECK_TRUE(hrAsync == VSS_S_ASYNC_FINISHED);
    pAsync.Release();

    VSS_SNAPSHOT_PROP prop;
    ZeroMemory(&prop, sizeof(prop));
    CHECK_COM(pBackup->GetSnapshotProperties(snapshotId, &prop));
    *pOriginalVolume = prop.m_pwszOriginalVolumeName;
    // The shadow copy names its volume as the Win32 volume functions do.
    CHECK_TRUE(_wcsicmp(prop.m_pwszOriginalVolumeName, volumeName.c_str()) == 0);
    pfnFree(&prop);
    CheckVolumes(volumeName);

    CHECK_COM(pBackup->BackupComplete(&pAsync));
    CHECK_COM(WaitFor(pAsync, &hrAsync));
    pAsync.Release();
    // Writers' final status, as VShadow reads it (and so the session's slots are released).
    CHECK_COM(pBackup->GatherWriterStatus(&pAsync));
    CHECK_COM(WaitFor(pAsync, &hrAsync));
    CHECK_COM(pBackup->FreeWriterStatus());
    return S_OK;
}

extern "C" int __cdecl wmain(__in int argc, __in_ecount(argc) WCHAR **argv)
{
    // Arguments arrive wide: the test passes "-wm", "C:" and "--os=<major.minor>".
    CHECK_TRUE(argc == 4 && argv[argc] == NULL);
    if (argc != 4)
        return 2;
    CHECK_TRUE(_wcsicmp(argv[1], L"-WM") == 0 && wcscmp(argv[2], L"C:") == 0);
    const bool win7 = wcscmp(argv[3], L"--os=6.1") == 0;
    CHECK_TRUE(IsWindows7OrGreater());
    CHECK_TRUE(IsWindows8OrGreater() == (win7 ? FALSE : TRUE));

    CheckStrsafe();
    CheckAtl();
    CheckMessages();

    CHECK_TRUE(LoadLibraryA("kernel33.dll") == NULL && GetLastError() == ERROR_MOD_NOT_FOUND);
    CHECK_TRUE(GetModuleHandleW(L"advapi32.dll") == NULL && GetLastError() == ERROR_MOD_NOT_FOUND);
    HMODULE hVssapi = LoadLibraryW(L"C:\\Windows\\System32\\VSSAPI.DLL");
    CHECK_TRUE(hVssapi != NULL && GetModuleHandle(_T("vssapi")) == hVssapi);
    if (!hVssapi)
        return 1;
    CHECK_TRUE(GetProcAddress(hVssapi, "CreateVssBackupComponentsINTERNAL") == NULL &&
               GetLastError() == ERROR_PROC_NOT_FOUND);

    CHECK_COM(CoInitialize(NULL));
    wstring originalVolume;
    HRESULT hr = Backup(hVssapi, &originalVolume);
    CoUninitialize();
    CHECK_TRUE(SUCCEEDED(hr));
    CHECK_TRUE(FreeLibrary(hVssapi));

    if (g_failures) {
        wprintf(L"vshadow-style: %d check(s) failed (last HRESULT 0x%08lx)\n", g_failures, hr);
        return 1;
    }
    wprintf(L"vshadow-style: all checks passed (%s on %s)\n", originalVolume.c_str(), argv[2]);
    return 0;
}
