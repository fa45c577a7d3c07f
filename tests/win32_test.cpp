// The Win32 layer of the drop-in headers: strsafe's results, Microsoft's printf conversions, the
// vssapi.dll module functions, the volume functions on a scenario's volumes, FormatMessage, code
// pages, time formatting and the ATL smart pointers' reference counting. Expected codes are from
// Microsoft's pages; rows marked "page silent" follow what Windows is observed to do.
#include <doctest/doctest.h>

#include <cstdlib>
#include <cstring>
#include <cwchar>
#include <string>
#include <vector>

#include <windows.h>
#include <winbase.h>
#include <strsafe.h>
#include <atlbase.h>
#include <vsbackup.h>
#include <vsssim/msvc_printf.h>

#include "core/names.h"
#include "fixture.h"

using vsssim::Hr;

TEST_SUITE("win32")
{

TEST_CASE("StringCch and StringCb results and truncation")
{
    struct Row {
        const char *when;
        std::size_t cch;
        const wchar_t *initial;   // destination before the call (for Cat)
        const wchar_t *src;
        bool cat;
        HRESULT expected;
        const wchar_t *result;
    };
    const Row rows[] = {
        {"copy fits", 8, L"", L"abc", false, S_OK, L"abc"},
        {"copy exactly fills", 4, L"", L"abc", false, S_OK, L"abc"},
        {"copy truncated", 3, L"", L"abc", false, STRSAFE_E_INSUFFICIENT_BUFFER, L"ab"},
        {"copy into 1", 1, L"", L"abc", false, STRSAFE_E_INSUFFICIENT_BUFFER, L""},
        {"cat fits", 8, L"ab", L"cd", true, S_OK, L"abcd"},
        {"cat truncated", 4, L"ab", L"cd", true, STRSAFE_E_INSUFFICIENT_BUFFER, L"abc"},
        {"cat onto a full destination", 3, L"ab", L"cd", true, STRSAFE_E_INSUFFICIENT_BUFFER, L"ab"},
    };
    for (const Row &r : rows) {
        INFO(r.when);
        wchar_t buffer[16];
        std::wcscpy(buffer, r.initial);
        const HRESULT hr = r.cat ? StringCchCatW(buffer, r.cch, r.src) : StringCchCopyW(buffer, r.cch, r.src);
        CHECK(Hr{hr} == Hr{r.expected});
        CHECK(std::wstring(buffer) == r.result);
    }

    wchar_t w[4] = {L'x', L'y', L'z', L'w'};
    CHECK(Hr{StringCchCatW(w, 4, L"a")} == Hr{STRSAFE_E_INVALID_PARAMETER});   // destination not terminated
    CHECK(Hr{StringCchCopyW(w, 0, L"a")} == Hr{STRSAFE_E_INVALID_PARAMETER});
    CHECK(Hr{StringCchCopyW(w, std::size_t{STRSAFE_MAX_CCH} + 1, L"a")} == Hr{STRSAFE_E_INVALID_PARAMETER});
    CHECK(Hr{StringCchCopyW(w, 4, nullptr)} == Hr{STRSAFE_E_INVALID_PARAMETER});   // page silent
    CHECK(w[0] == L'\0');
    CHECK(Hr{StringCchCopyNW(w, 4, L"abcdef", 2)} == Hr{S_OK});
    CHECK(std::wstring(w) == L"ab");
    CHECK(Hr{StringCbCopyW(w, sizeof w, L"abcdef")} == Hr{STRSAFE_E_INSUFFICIENT_BUFFER});
    CHECK(std::wstring(w) == L"abc");

    size_t length = 99;
    CHECK(Hr{StringCchLengthW(L"abc", 4, &length)} == Hr{S_OK});
    CHECK(length == 3);
    CHECK(Hr{StringCchLengthW(L"abc", 3, &length)} == Hr{STRSAFE_E_INVALID_PARAMETER});
    CHECK(length == 0);
    CHECK(Hr{StringCbLengthW(L"abc", 16, &length)} == Hr{S_OK});
    CHECK(length == 3 * sizeof(wchar_t));
    CHECK(Hr{StringCchLengthA(nullptr, 4, &length)} == Hr{STRSAFE_E_INVALID_PARAMETER});

    char a[6];
    CHECK(Hr{StringCchPrintfA(a, sizeof a, "%d-%s", 12, "xyz")} == Hr{STRSAFE_E_INSUFFICIENT_BUFFER});
    CHECK(std::string(a) == "12-xy");
    CHECK(Hr{StringCbCatA(a, sizeof a, "!")} == Hr{STRSAFE_E_INSUFFICIENT_BUFFER});
}

TEST_CASE("printf with Microsoft's conversions")
{
    wchar_t out[64];
    auto wide = [&](auto... args) {
        vsssim_swprintf(out, 64, args...);
        return std::wstring(out);
    };
    CHECK(wide(L"%s|%ls|%ws", L"a", L"b", L"c") == L"a|b|c");
    CHECK(wide(L"%hs|%S", "narrow", "too") == L"narrow|too");
    CHECK(wide(L"%c%C%hc", L'w', 'n', 'h') == L"wnh");
    CHECK(wide(L"0x%08lx %ld %lu", static_cast<DWORD>(0x80042301), static_cast<LONG>(-1), static_cast<ULONG>(7)) ==
          L"0x80042301 -1 7");
    CHECK(wide(L"%I64d %I64x %lld", static_cast<LONGLONG>(1) << 40, static_cast<ULONGLONG>(255), -2LL) ==
          L"1099511627776 ff -2");
    CHECK(wide(L"%Iu %I32d", static_cast<size_t>(42), 5) == L"42 5");
    CHECK(wide(L"%-4s|%5.1f|%%|%*d", L"ab", 2.25, 3, 7) == L"ab  |  2.2|%|  7");
    // Too long for the buffer: vswprintf's contract, -1 and a terminated prefix.
    wchar_t small[4];
    CHECK(vsssim_swprintf(small, 4, L"%s", L"abcdef") == -1);
    CHECK(std::wstring(small) == L"abc");

    char narrow[64];
    CHECK(Hr{StringCchPrintfA(narrow, 64, "%s|%S|%ls|%ld", "n", L"w", L"l", static_cast<LONG>(-3))} == Hr{S_OK});
    CHECK(std::string(narrow) == "n|w|l|-3");
}

TEST_CASE("vssapi.dll by name")
{
    struct Row { const wchar_t *name; bool found; DWORD error; };
    const Row rows[] = {
        {L"vssapi.dll", true, 0},
        {L"VSSAPI.DLL", true, 0},
        {L"vssapi", true, 0},
        {L"C:\\Windows\\System32\\vssapi.dll", true, 0},
        {L"/opt/win/VssApi.dll", true, 0},
        {L"vssapi.dll.bak", false, ERROR_MOD_NOT_FOUND},
        {L"kernel32.dll", false, ERROR_MOD_NOT_FOUND},
        {L"", false, ERROR_INVALID_PARAMETER},   // page silent
    };
    for (const Row &r : rows) {
        INFO(std::string(r.name, r.name + std::wcslen(r.name)));
        SetLastError(0);
        HMODULE h = LoadLibraryW(r.name);
        CHECK((h != nullptr) == r.found);
        if (!r.found)
            CHECK(GetLastError() == r.error);
        if (h)
            CHECK(FreeLibrary(h));
    }

    HMODULE h = LoadLibraryA("vssapi.dll");
    REQUIRE(h != nullptr);
    CHECK(GetModuleHandleA("VSSAPI") == h);
    CHECK(GetModuleHandleW(nullptr) != nullptr);
    CHECK(GetModuleHandleW(nullptr) != h);
    // Every name vssapi.dll exports for a function vss-sim implements (Wine's vssapi.spec, x64).
    for (const char *name : {"CreateVssBackupComponentsInternal",
                             "?CreateVssBackupComponents@@YAJPEAPEAVIVssBackupComponents@@@Z",
                             "CreateVssExamineWriterMetadataInternal",
                             "?CreateVssExamineWriterMetadata@@YAJPEAGPEAPEAVIVssExamineWriterMetadata@@@Z",
                             "CreateVssExpressWriterInternal", "CreateWriter", "CreateWriterEx",
                             "GetProviderMgmtInterface", "GetProviderMgmtInterfaceInternal", "IsVolumeSnapshotted",
                             "IsVolumeSnapshottedInternal", "ShouldBlockRevert", "ShouldBlockRevertInternal",
                             "VssFreeSnapshotProperties", "VssFreeSnapshotPropertiesInternal"}) {
        INFO(name);
        CHECK((GetProcAddress(h, name) != nullptr));
    }
    CHECK((GetProcAddress(h, "?CreateVssBackupComponents@@YAJPEAPEAVIVssBackupComponents@@@Z") ==
           GetProcAddress(h, "CreateVssBackupComponentsInternal")));
    struct Miss { const char *name; HMODULE module; DWORD error; };
    const Miss misses[] = {
        {"createvssbackupcomponentsinternal", h, ERROR_PROC_NOT_FOUND},   // names are case-sensitive
        {"DllGetClassObject", h, ERROR_PROC_NOT_FOUND},                   // exported, not implemented
        {"?CreateVssBackupComponents@@YGJPAPAVIVssBackupComponents@@@Z", h, ERROR_PROC_NOT_FOUND},   // x86 name
        {reinterpret_cast<const char *>(std::uintptr_t{1}), h, ERROR_PROC_NOT_FOUND},                 // an ordinal
        {"CreateWriter", GetModuleHandleW(nullptr), ERROR_PROC_NOT_FOUND},
        {"CreateWriter", reinterpret_cast<HMODULE>(std::uintptr_t{0x1234}), ERROR_INVALID_HANDLE},
    };
    for (const Miss &m : misses) {
        SetLastError(0);
        CHECK((GetProcAddress(m.module, m.name) == nullptr));
        CHECK(GetLastError() == m.error);
    }
    CHECK(!FreeLibrary(reinterpret_cast<HMODULE>(std::uintptr_t{0x1234})));
    CHECK(GetLastError() == ERROR_INVALID_HANDLE);
}

TEST_CASE("volume functions answer from the scenario's volumes")
{
    auto svc = vsssim::test::makeService("none");
    // A data volume mounted both as F: and in a folder of C:.
    svc->volumes().push_back({L"F:\\", L"\\\\?\\Volume{0a0b0c0d-0000-4000-8000-000000000001}\\", {L"C:\\mnt\\data\\"}});
    const std::wstring dataGuid = svc->volumes().back().guidPath;
    const std::wstring systemGuid = svc->volumes().front().guidPath;

    wchar_t out[MAX_PATH];
    CHECK(GetVolumeNameForVolumeMountPointW(L"c:\\mnt\\data\\", out, MAX_PATH));
    CHECK(out == dataGuid);
    CHECK(GetVolumeNameForVolumeMountPointW(L"C:\\", out, MAX_PATH));
    CHECK(out == systemGuid);
    CHECK(GetVolumePathNameW(L"C:\\mnt\\data\\db\\file.mdf", out, MAX_PATH));
    CHECK(std::wstring(out) == L"C:\\mnt\\data\\");
    CHECK(GetVolumePathNameW(L"C:\\mnt\\other.txt", out, MAX_PATH));
    CHECK(std::wstring(out) == L"C:\\");

    DWORD needed = 0;
    CHECK(GetVolumePathNamesForVolumeNameW(dataGuid.c_str(), out, MAX_PATH, &needed));
    CHECK(std::wstring(out, needed) == std::wstring(L"F:\\\0C:\\mnt\\data\\\0\0", needed));

    HANDLE h = FindFirstVolumeMountPointW(L"C:\\", out, MAX_PATH);
    REQUIRE(h != INVALID_HANDLE_VALUE);
    CHECK(std::wstring(out) == L"mnt\\data\\");
    CHECK(!FindNextVolumeMountPointW(h, out, MAX_PATH));
    CHECK(GetLastError() == ERROR_NO_MORE_FILES);
    CHECK(!FindVolumeClose(h));   // a mount-point search is not a volume search
    CHECK(GetLastError() == ERROR_INVALID_HANDLE);
    CHECK(FindVolumeMountPointClose(h));
    CHECK(!FindVolumeMountPointClose(h));

    std::vector<std::wstring> found;
    h = FindFirstVolumeW(out, MAX_PATH);
    REQUIRE(h != INVALID_HANDLE_VALUE);
    do
        found.push_back(out);
    while (FindNextVolumeW(h, out, MAX_PATH));
    CHECK(GetLastError() == ERROR_NO_MORE_FILES);
    CHECK(CloseHandle(h));   // CloseHandle closes any handle the library gave out
    CHECK(found.size() == svc->volumes().size());

    const std::wstring dosName = dataGuid.substr(4, dataGuid.size() - 5);
    CHECK(QueryDosDeviceW(dosName.c_str(), out, MAX_PATH) > 0);
    const std::wstring device = out;
    CHECK(QueryDosDeviceW(L"F:", out, MAX_PATH) > 0);
    CHECK(out == device);

    struct Miss { const wchar_t *name; DWORD error; };
    const Miss misses[] = {
        {L"F:", ERROR_INVALID_NAME},
        {L"Q:\\", ERROR_FILE_NOT_FOUND},
        {L"C:\\mnt\\", ERROR_NOT_A_REPARSE_POINT},   // a folder, not a mount point
    };
    for (const Miss &m : misses) {
        SetLastError(0);
        CHECK(!GetVolumeNameForVolumeMountPointW(m.name, out, MAX_PATH));
        CHECK(GetLastError() == m.error);
    }
    CHECK(!GetVolumePathNamesForVolumeNameW(L"F:\\", out, MAX_PATH, &needed));
    CHECK(GetLastError() == ERROR_INVALID_NAME);
    CHECK(QueryDosDeviceW(L"Q:", out, MAX_PATH) == 0);
    CHECK(GetLastError() == ERROR_FILE_NOT_FOUND);
    CHECK(QueryDosDeviceW(L"F:", out, 3) == 0);
    CHECK(GetLastError() == ERROR_INSUFFICIENT_BUFFER);
    CHECK(GetDriveTypeW(L"F:\\") == DRIVE_FIXED);
    CHECK(GetDriveTypeW(L"Q:\\") == DRIVE_NO_ROOT_DIR);
    CHECK(GetLogicalDrives() == ((1u << (L'C' - L'A')) | (1u << (L'D' - L'A')) | (1u << (L'E' - L'A')) |
                                 (1u << (L'F' - L'A'))));
    CHECK(GetFileAttributesW(L"C:\\mnt\\data") == FILE_ATTRIBUTE_DIRECTORY);
    CHECK(GetFileAttributesW(L"C:\\Windows\\notepad.exe") == INVALID_FILE_ATTRIBUTES);
    CHECK(GetLastError() == ERROR_FILE_NOT_FOUND);

    // The same names reach VSS: the GUID path the volume functions give is the one VSS accepts.
    IVssBackupComponents *backup = nullptr;
    REQUIRE(Hr{CreateVssBackupComponents(&backup)} == Hr{S_OK});
    CHECK(Hr{backup->InitializeForBackup()} == Hr{S_OK});
    VSS_ID setId{}, snapshotId{};
    CHECK(Hr{backup->StartSnapshotSet(&setId)} == Hr{S_OK});
    CHECK(Hr{backup->AddToSnapshotSet(const_cast<VSS_PWSZ>(dataGuid.c_str()), GUID_NULL, &snapshotId)} == Hr{S_OK});
    CHECK(Hr{backup->AbortBackup()} == Hr{S_OK});
    backup->Release();
}

TEST_CASE("FormatMessage from the system table")
{
    struct Row { DWORD id; const wchar_t *text; };
    const Row rows[] = {
        {ERROR_FILE_NOT_FOUND, L"The system cannot find the file specified.\r\n"},
        {static_cast<DWORD>(HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND)), L"The system cannot find the file specified.\r\n"},
        {ERROR_MOD_NOT_FOUND, L"The specified module could not be found.\r\n"},
    };
    for (const Row &r : rows) {
        wchar_t buffer[128];
        CHECK(FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, nullptr, r.id, 0, buffer,
                             128, nullptr) == std::wcslen(r.text));
        CHECK(std::wstring(buffer) == r.text);
    }
    // Every HRESULT vss-sim names has a system message.
    for (const vsssim::NamedValue &v : vsssim::hresultTable()) {
        INFO(v.name);
        LPSTR text = nullptr;
        CHECK(FormatMessageA(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM, nullptr,
                             static_cast<DWORD>(v.value), 0, reinterpret_cast<LPSTR>(&text), 0, nullptr) > 0);
        LocalFree(text);
    }
    wchar_t buffer[128];
    CHECK(FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | 80, nullptr, ERROR_MOD_NOT_FOUND, 0, buffer, 128, nullptr) > 0);
    CHECK(std::wstring(buffer) == L"The specified module could not be found.");   // a width: no CR LF
    CHECK(FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM, nullptr, 0x2FFFFFFF, 0, buffer, 128, nullptr) == 0);
    CHECK(GetLastError() == ERROR_MR_MID_NOT_FOUND);
    CHECK(FormatMessageW(FORMAT_MESSAGE_FROM_STRING, L"%1", 0, 0, buffer, 128, nullptr) == 0);
    CHECK(GetLastError() == ERROR_CALL_NOT_IMPLEMENTED);
    CHECK(FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM, nullptr, ERROR_MOD_NOT_FOUND, 0, buffer, 8, nullptr) == 0);
    CHECK(GetLastError() == ERROR_INSUFFICIENT_BUFFER);
}

TEST_CASE("code pages")
{
    const char utf8[] = "\xC3\xA9\xE2\x82\xAC\xF0\x9D\x84\x9E";   // é € 𝄞
    wchar_t wide[8];
    CHECK(MultiByteToWideChar(CP_UTF8, 0, utf8, -1, wide, 8) == 4);
    CHECK(std::wstring(wide) == L"\u00E9\u20AC\U0001D11E");
    char back[16];
    CHECK(WideCharToMultiByte(CP_UTF8, 0, wide, -1, back, 16, nullptr, nullptr) == 10);
    CHECK(std::string(back) == utf8);
    CHECK(MultiByteToWideChar(CP_UTF8, 0, utf8, -1, nullptr, 0) == 4);   // size query
    CHECK(MultiByteToWideChar(CP_UTF8, 0, utf8, -1, wide, 2) == 0);
    CHECK(GetLastError() == ERROR_INSUFFICIENT_BUFFER);
    CHECK(MultiByteToWideChar(CP_UTF8, 0, "a\xFF", 2, wide, 8) == 2);    // replaced by U+FFFD
    CHECK(wide[1] == L'\xFFFD');
    CHECK(MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, "a\xFF", 2, wide, 8) == 0);
    CHECK(GetLastError() == ERROR_NO_UNICODE_TRANSLATION);
    CHECK(MultiByteToWideChar(1252, 0, "a", -1, wide, 8) == 0);          // only the locale and UTF-8
    CHECK(GetLastError() == ERROR_INVALID_PARAMETER);
    CHECK(_wcsicmp(L"Volume{ABC}", L"volume{abc}") == 0);
    CHECK(_wcsnicmp(L"\\\\?\\GLOBALROOT\\x", L"\\\\?\\globalroot", 14) == 0);
    CHECK(_stricmp("a", "B") < 0);
    CComBSTR narrow("ascii");
    CHECK(narrow == L"ascii");
}

TEST_CASE("time on the simulated machine")
{
    struct Row { ULONGLONG ticks; SYSTEMTIME expected; const wchar_t *date, *time; };
    const Row rows[] = {
        {0, {1601, 1, 1, 1, 0, 0, 0, 0}, L"1/1/1601", L"12:00:00 AM"},
        {116444736000000000ULL, {1970, 1, 4, 1, 0, 0, 0, 0}, L"1/1/1970", L"12:00:00 AM"},
        {132999464011230000ULL, {2022, 6, 5, 17, 13, 33, 21, 123}, L"6/17/2022", L"1:33:21 PM"},
    };
    for (const Row &r : rows) {
        INFO(r.ticks);
        FILETIME ft{static_cast<DWORD>(r.ticks), static_cast<DWORD>(r.ticks >> 32)}, local{};
        CHECK(FileTimeToLocalFileTime(&ft, &local));
        SYSTEMTIME st{};
        REQUIRE(FileTimeToSystemTime(&local, &st));
        CHECK(std::memcmp(&st, &r.expected, sizeof st) == 0);
        wchar_t text[40];
        CHECK(GetDateFormatW(GetThreadLocale(), DATE_SHORTDATE, &st, nullptr, text, 40) ==
              static_cast<int>(std::wcslen(r.date) + 1));
        CHECK(std::wstring(text) == r.date);
        CHECK(GetTimeFormatW(GetThreadLocale(), 0, &st, nullptr, text, 40) > 0);
        CHECK(std::wstring(text) == r.time);
    }
    FILETIME negative{0, 0x80000000u};
    SYSTEMTIME st{};
    CHECK(!FileTimeToSystemTime(&negative, &st));
    CHECK(GetLastError() == ERROR_INVALID_PARAMETER);
    const SYSTEMTIME noon{2024, 2, 4, 29, 12, 5, 0, 0};
    wchar_t text[16];
    CHECK(GetDateFormatW(0, DATE_SHORTDATE, &noon, nullptr, nullptr, 0) == 10);   // "2/29/2024"
    CHECK(GetDateFormatW(0, DATE_SHORTDATE, &noon, nullptr, text, 8) == 0);
    CHECK(GetLastError() == ERROR_INSUFFICIENT_BUFFER);
    CHECK(GetTimeFormatW(0, TIME_NOSECONDS, &noon, nullptr, text, 16) == 9);
    CHECK(std::wstring(text) == L"12:05 PM");
    CHECK(GetDateFormatW(0, 0, &noon, L"yyyy", text, 8) == 0);
    CHECK(GetLastError() == ERROR_CALL_NOT_IMPLEMENTED);
}

TEST_CASE("ExpandEnvironmentStringsW")
{
    setenv("VSSSIM_WIN32_TEST", "C:\\Data", 1);
    unsetenv("VSSSIM_WIN32_UNSET");
    wchar_t out[64];
    const wchar_t *src = L"%VSSSIM_WIN32_TEST%\\db;%VSSSIM_WIN32_UNSET%;50%";
    const std::wstring expected = L"C:\\Data\\db;%VSSSIM_WIN32_UNSET%;50%";
    CHECK(ExpandEnvironmentStringsW(src, out, 64) == expected.size() + 1);
    CHECK(out == expected);
    CHECK(ExpandEnvironmentStringsW(src, nullptr, 0) == expected.size() + 1);
}

namespace {

// A COM object that counts its references, to watch the smart pointers.
struct Counted : IVssAsync {
    ULONG refs = 1;
    HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void **ppv) override
    {
        if (riid == IID_IUnknown || riid == IID_IVssAsync) {
            *ppv = this;
            AddRef();
            return S_OK;
        }
        *ppv = nullptr;
        return E_NOINTERFACE;
    }
    ULONG STDMETHODCALLTYPE AddRef() override { return ++refs; }
    ULONG STDMETHODCALLTYPE Release() override { return --refs; }
    HRESULT STDMETHODCALLTYPE Cancel() override { return S_OK; }
    HRESULT STDMETHODCALLTYPE Wait(DWORD) override { return S_OK; }
    HRESULT STDMETHODCALLTYPE QueryStatus(HRESULT *, INT *) override { return S_OK; }
};

} // namespace

TEST_CASE("CComPtr, CComQIPtr and CComBSTR")
{
    Counted object;
    {
        CComPtr<IVssAsync> p(&object);
        CHECK(object.refs == 2);
        CComPtr<IVssAsync> copy = p;
        CHECK(object.refs == 3);
        copy = nullptr;
        CHECK(object.refs == 2);
        IVssAsync *out = nullptr;
        CHECK(Hr{p.CopyTo(&out)} == Hr{S_OK});
        CHECK(object.refs == 3);
        out->Release();
        IVssAsync *raw = p.Detach();
        CHECK(!p);
        CHECK(object.refs == 2);
        p.Attach(raw);
        CHECK(object.refs == 2);
        CComQIPtr<IUnknown> unknown = p;
        CHECK(unknown != nullptr);
        CHECK(object.refs == 3);
        CComQIPtr<IVssBackupComponents> wrong(static_cast<IUnknown *>(p));
        CHECK(wrong == nullptr);   // E_NOINTERFACE leaves it empty
        CHECK(p.IsEqualObject(unknown));
        p.Release();
        CHECK(p == nullptr);
        CHECK(object.refs == 2);
    }
    CHECK(object.refs == 1);

    CComBSTR a(L"Writer");
    CComBSTR b(6, L"Writer and more");
    CHECK(a == b);
    CHECK(Hr{a.Append(L"s", 1)} == Hr{S_OK});
    CHECK(a.Length() == 7);
    CHECK(a != b);
    CHECK(b < a);
    CComBSTR empty;
    CHECK(empty == L"");
    CHECK(empty.Length() == 0);
    CHECK(Hr{empty.AppendBSTR(a)} == Hr{S_OK});
    CHECK(empty == a);
    CComBSTR moved(std::move(empty));
    CHECK(moved == L"Writers");
    CHECK(!empty);
}

} // TEST_SUITE
