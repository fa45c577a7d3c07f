// The rest of the Win32 that requester code calls around VSS: the cluster, file and process
// functions the simulation has nothing behind (they fail with Windows' errors, never a pretend
// success), the command line, environment expansion, and time formatting for the simulated
// machine (en-US, time zone UTC).
#include <winbase.h>
#include <resapi.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

#include "boundary/win32.h"

using vsssim::win32::copyOut;
using vsssim::win32::failWith;

// ---- Cluster Shared Volumes: the simulated machine is no cluster node ----

extern "C" BOOL ClusterIsPathOnSharedVolume(LPCWSTR lpszPathName)
{
    (void)lpszPathName;
    return FALSE;
}

extern "C" DWORD ClusterPrepareSharedVolumeForBackup(LPCWSTR lpszFileName, LPWSTR lpszVolumePathName,
                                                     LPDWORD lpcchVolumePathName, LPWSTR lpszVolumeName,
                                                     LPDWORD lpcchVolumeName)
{
    (void)lpszFileName;
    (void)lpszVolumePathName;
    (void)lpcchVolumePathName;
    (void)lpszVolumeName;
    (void)lpcchVolumeName;
    return ERROR_NOT_SUPPORTED;
}

extern "C" BOOL ClusterGetVolumePathName(LPCWSTR lpszFileName, LPWSTR lpszVolumePathName, DWORD cchBufferLength)
{
    (void)lpszFileName;
    (void)lpszVolumePathName;
    (void)cchBufferLength;
    return failWith(ERROR_NOT_SUPPORTED, FALSE);
}

extern "C" BOOL ClusterGetVolumeNameForVolumeMountPoint(LPCWSTR lpszVolumeMountPoint, LPWSTR lpszVolumeName,
                                                        DWORD cchBufferLength)
{
    (void)lpszVolumeMountPoint;
    (void)lpszVolumeName;
    (void)cchBufferLength;
    return failWith(ERROR_NOT_SUPPORTED, FALSE);
}

// ---- Files and processes: not simulated. No handle of theirs can exist, so the functions that
// take one answer ERROR_INVALID_HANDLE, as Windows does for a handle it never gave out. ----

extern "C" HANDLE CreateFileW(LPCWSTR lpFileName, DWORD dwDesiredAccess, DWORD dwShareMode,
                              LPSECURITY_ATTRIBUTES lpSecurityAttributes, DWORD dwCreationDisposition,
                              DWORD dwFlagsAndAttributes, HANDLE hTemplateFile)
{
    (void)lpFileName;
    (void)dwDesiredAccess;
    (void)dwShareMode;
    (void)lpSecurityAttributes;
    (void)dwCreationDisposition;
    (void)dwFlagsAndAttributes;
    (void)hTemplateFile;
    return failWith(ERROR_CALL_NOT_IMPLEMENTED, INVALID_HANDLE_VALUE);
}

extern "C" BOOL ReadFile(HANDLE hFile, LPVOID lpBuffer, DWORD nNumberOfBytesToRead, LPDWORD lpNumberOfBytesRead,
                         LPOVERLAPPED lpOverlapped)
{
    (void)hFile;
    (void)lpBuffer;
    (void)nNumberOfBytesToRead;
    (void)lpNumberOfBytesRead;
    (void)lpOverlapped;
    return failWith(ERROR_INVALID_HANDLE, FALSE);
}

extern "C" BOOL WriteFile(HANDLE hFile, LPCVOID lpBuffer, DWORD nNumberOfBytesToWrite, LPDWORD lpNumberOfBytesWritten,
                          LPOVERLAPPED lpOverlapped)
{
    (void)hFile;
    (void)lpBuffer;
    (void)nNumberOfBytesToWrite;
    (void)lpNumberOfBytesWritten;
    (void)lpOverlapped;
    return failWith(ERROR_INVALID_HANDLE, FALSE);
}

extern "C" DWORD GetFileSize(HANDLE hFile, LPDWORD lpFileSizeHigh)
{
    (void)hFile;
    (void)lpFileSizeHigh;
    return failWith(ERROR_INVALID_HANDLE, INVALID_FILE_SIZE);
}

extern "C" HANDLE FindFirstFileW(LPCWSTR lpFileName, LPWIN32_FIND_DATAW lpFindFileData)
{
    (void)lpFileName;
    (void)lpFindFileData;
    return failWith(ERROR_CALL_NOT_IMPLEMENTED, INVALID_HANDLE_VALUE);
}

extern "C" BOOL FindNextFileW(HANDLE hFindFile, LPWIN32_FIND_DATAW lpFindFileData)
{
    (void)hFindFile;
    (void)lpFindFileData;
    return failWith(ERROR_INVALID_HANDLE, FALSE);
}

extern "C" BOOL FindClose(HANDLE hFindFile)
{
    (void)hFindFile;
    return failWith(ERROR_INVALID_HANDLE, FALSE);
}

extern "C" BOOL CreateProcessW(LPCWSTR lpApplicationName, LPWSTR lpCommandLine, LPSECURITY_ATTRIBUTES lpProcessAttributes,
                               LPSECURITY_ATTRIBUTES lpThreadAttributes, BOOL bInheritHandles, DWORD dwCreationFlags,
                               LPVOID lpEnvironment, LPCWSTR lpCurrentDirectory, LPSTARTUPINFOW lpStartupInfo,
                               LPPROCESS_INFORMATION lpProcessInformation)
{
    (void)lpApplicationName;
    (void)lpCommandLine;
    (void)lpProcessAttributes;
    (void)lpThreadAttributes;
    (void)bInheritHandles;
    (void)dwCreationFlags;
    (void)lpEnvironment;
    (void)lpCurrentDirectory;
    (void)lpStartupInfo;
    (void)lpProcessInformation;
    return failWith(ERROR_CALL_NOT_IMPLEMENTED, FALSE);
}

extern "C" DWORD WaitForSingleObject(HANDLE hHandle, DWORD dwMilliseconds)
{
    (void)hHandle;
    (void)dwMilliseconds;
    return failWith(ERROR_INVALID_HANDLE, WAIT_FAILED);
}

extern "C" BOOL GetExitCodeProcess(HANDLE hProcess, LPDWORD lpExitCode)
{
    (void)hProcess;
    (void)lpExitCode;
    return failWith(ERROR_INVALID_HANDLE, FALSE);
}

extern "C" BOOL HeapSetInformation(HANDLE HeapHandle, HEAP_INFORMATION_CLASS HeapInformationClass,
                                   PVOID HeapInformation, SIZE_T HeapInformationLength)
{
    (void)HeapHandle;
    (void)HeapInformation;
    (void)HeapInformationLength;
    // glibc's allocator already aborts the process when it detects heap corruption.
    if (HeapInformationClass == HeapEnableTerminationOnCorruption)
        return TRUE;
    return failWith(ERROR_NOT_SUPPORTED, FALSE);
}

// ---- The command line and the environment ----

extern "C" LPWSTR GetCommandLineW(void)
{
    // Windows keeps one command line per process; it is rebuilt once from the kernel's copy of
    // argv, quoting the arguments that hold spaces as Windows' parser expects.
    static std::wstring line = [] {
        std::ifstream in("/proc/self/cmdline", std::ios::binary);
        const std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        std::wstring out;
        std::size_t start = 0;
        while (start < raw.size()) {
            std::size_t end = raw.find('\0', start);
            if (end == std::string::npos)
                end = raw.size();
            const std::string arg = raw.substr(start, end - start);
            std::wstring wide(arg.size() + 1, L'\0');
            const int n = MultiByteToWideChar(CP_ACP, 0, arg.c_str(), -1, wide.data(), static_cast<int>(wide.size()));
            wide.resize(n > 0 ? static_cast<std::size_t>(n - 1) : 0);
            if (!out.empty())
                out += L' ';
            out += wide.find(L' ') == std::wstring::npos ? wide : L'"' + wide + L'"';
            start = end + 1;
        }
        return out;
    }();
    return line.data();
}

extern "C" DWORD ExpandEnvironmentStringsW(LPCWSTR lpSrc, LPWSTR lpDst, DWORD nSize)
{
    if (!lpSrc)
        return failWith(ERROR_INVALID_PARAMETER, DWORD{0});
    // %NAME% becomes the variable's value; an unset one, or a lone %, stays as written (Windows' rule).
    std::wstring out;
    const std::wstring src = lpSrc;
    for (std::size_t i = 0; i < src.size();) {
        const std::size_t close = src[i] == L'%' ? src.find(L'%', i + 1) : std::wstring::npos;
        if (close == std::wstring::npos) {
            out += src[i++];
            continue;
        }
        const std::wstring name = src.substr(i + 1, close - i - 1);
        std::string narrowName(name.size() * 4 + 1, '\0');
        const int n = WideCharToMultiByte(CP_ACP, 0, name.c_str(), -1, narrowName.data(),
                                          static_cast<int>(narrowName.size()), nullptr, nullptr);
        const char *value = (n > 1) ? std::getenv(narrowName.c_str()) : nullptr;
        if (!value) {
            out += src.substr(i, close - i + 1);
        } else {
            std::wstring wide(std::strlen(value) + 1, L'\0');
            const int w = MultiByteToWideChar(CP_ACP, 0, value, -1, wide.data(), static_cast<int>(wide.size()));
            wide.resize(w > 0 ? static_cast<std::size_t>(w - 1) : 0);
            out += wide;
        }
        i = close + 1;
    }
    const auto needed = static_cast<DWORD>(out.size() + 1);
    if (lpDst && needed <= nSize)
        copyOut(out, lpDst, nSize);
    return needed;
}

// ---- Time: FILETIME counts 100 ns from 1601-01-01 UTC ----

extern "C" BOOL FileTimeToLocalFileTime(const FILETIME *lpFileTime, LPFILETIME lpLocalFileTime)
{
    if (!lpFileTime || !lpLocalFileTime)
        return failWith(ERROR_INVALID_PARAMETER, FALSE);
    *lpLocalFileTime = *lpFileTime;   // the simulated machine's time zone is UTC
    return TRUE;
}

extern "C" BOOL FileTimeToSystemTime(const FILETIME *lpFileTime, LPSYSTEMTIME lpSystemTime)
{
    if (!lpFileTime || !lpSystemTime)
        return failWith(ERROR_INVALID_PARAMETER, FALSE);
    const std::uint64_t ticks = (std::uint64_t{lpFileTime->dwHighDateTime} << 32) | lpFileTime->dwLowDateTime;
    if (ticks >> 63)
        return failWith(ERROR_INVALID_PARAMETER, FALSE);
    const std::uint64_t ms = ticks / 10000;
    const std::int64_t days = static_cast<std::int64_t>(ms / 86400000);
    const std::uint64_t msOfDay = ms % 86400000;
    // Days since 1601-01-01 to a civil date (Howard Hinnant's days_from_civil, inverted), via 1970.
    const std::int64_t z = days - 134774 + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const std::int64_t day = doy - (153 * mp + 2) / 5 + 1;
    const std::int64_t month = mp < 10 ? mp + 3 : mp - 9;
    const std::int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    lpSystemTime->wYear = static_cast<WORD>(year);
    lpSystemTime->wMonth = static_cast<WORD>(month);
    lpSystemTime->wDay = static_cast<WORD>(day);
    lpSystemTime->wDayOfWeek = static_cast<WORD>((days + 1) % 7);   // 1601-01-01 was a Monday
    lpSystemTime->wHour = static_cast<WORD>(msOfDay / 3600000);
    lpSystemTime->wMinute = static_cast<WORD>(msOfDay / 60000 % 60);
    lpSystemTime->wSecond = static_cast<WORD>(msOfDay / 1000 % 60);
    lpSystemTime->wMilliseconds = static_cast<WORD>(msOfDay % 1000);
    return TRUE;
}

extern "C" LCID GetThreadLocale(void)
{
    return 0x0409;   // en-US, the only locale the simulated machine formats in
}

namespace {

/// The en-US picture's result into the caller's buffer, by GetDateFormat/GetTimeFormat's rules.
int formatOut(const std::wstring &text, LPWSTR buffer, int cch)
{
    const int needed = static_cast<int>(text.size() + 1);
    if (cch == 0)
        return needed;
    if (cch < 0 || !buffer)
        return failWith(ERROR_INVALID_PARAMETER, 0);
    if (!copyOut(text, buffer, static_cast<DWORD>(cch)))
        return failWith(ERROR_INSUFFICIENT_BUFFER, 0);
    return needed;
}

} // namespace

extern "C" int GetDateFormatW(LCID Locale, DWORD dwFlags, const SYSTEMTIME *lpDate, LPCWSTR lpFormat,
                              LPWSTR lpDateStr, int cchDate)
{
    (void)Locale;
    // Only the locale's own short and long pictures of a given date; custom pictures and "today"
    // are not simulated.
    if (!lpDate || lpFormat)
        return failWith(ERROR_CALL_NOT_IMPLEMENTED, 0);
    static constexpr std::array<const wchar_t *, 7> kDays{L"Sunday", L"Monday", L"Tuesday", L"Wednesday",
                                                          L"Thursday", L"Friday", L"Saturday"};
    static constexpr std::array<const wchar_t *, 12> kMonths{L"January", L"February", L"March", L"April",
                                                             L"May", L"June", L"July", L"August",
                                                             L"September", L"October", L"November", L"December"};
    if (lpDate->wMonth < 1 || lpDate->wMonth > 12 || lpDate->wDayOfWeek > 6)
        return failWith(ERROR_INVALID_PARAMETER, 0);
    wchar_t text[80];
    if (dwFlags & DATE_LONGDATE)
        std::swprintf(text, 80, L"%ls, %ls %u, %u", kDays[lpDate->wDayOfWeek], kMonths[lpDate->wMonth - 1],
                      unsigned{lpDate->wDay}, unsigned{lpDate->wYear});
    else
        std::swprintf(text, 80, L"%u/%u/%u", unsigned{lpDate->wMonth}, unsigned{lpDate->wDay}, unsigned{lpDate->wYear});
    return formatOut(text, lpDateStr, cchDate);
}

extern "C" int GetTimeFormatW(LCID Locale, DWORD dwFlags, const SYSTEMTIME *lpTime, LPCWSTR lpFormat,
                              LPWSTR lpTimeStr, int cchTime)
{
    (void)Locale;
    if (!lpTime || lpFormat)
        return failWith(ERROR_CALL_NOT_IMPLEMENTED, 0);
    if (lpTime->wHour > 23 || lpTime->wMinute > 59 || lpTime->wSecond > 59)
        return failWith(ERROR_INVALID_PARAMETER, 0);
    const unsigned hour12 = lpTime->wHour % 12 == 0 ? 12u : lpTime->wHour % 12u;
    const wchar_t *half = lpTime->wHour < 12 ? L"AM" : L"PM";
    wchar_t text[40];
    if (dwFlags & TIME_NOSECONDS)
        std::swprintf(text, 40, L"%u:%02u %ls", hour12, unsigned{lpTime->wMinute}, half);
    else
        std::swprintf(text, 40, L"%u:%02u:%02u %ls", hour12, unsigned{lpTime->wMinute}, unsigned{lpTime->wSecond}, half);
    return formatOut(text, lpTimeStr, cchTime);
}
