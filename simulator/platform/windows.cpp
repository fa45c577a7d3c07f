// The Windows side of platform.h, and the BSTR allocator of vssapi.dll: oleaut32's, so that a
// requester's SysFreeString frees what the library hands out.
#include "platform/platform.h"

#include <cstdio>
#include <cstdlib>
#include <cwchar>

#include <windows.h>
#include <oleauto.h>
#include <shlwapi.h>

#include "boundary/bstr.h"
#include "core/process.h"

namespace vsssim::platform {

namespace {

std::string lastErrorText()
{
    const DWORD code = GetLastError();
    char *text = nullptr;
    const DWORD n = FormatMessageA(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM |
                                       FORMAT_MESSAGE_IGNORE_INSERTS,
                                   nullptr, code, 0, reinterpret_cast<LPSTR>(&text), 0, nullptr);
    std::string out = n && text ? std::string(text, n) : "Win32 error " + std::to_string(code);
    LocalFree(text);
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r' || out.back() == '.'))
        out.pop_back();
    return out;
}

} // namespace

void setEnvironment(const char *name, const std::string &value)
{
    // The CRT's copy, which getenv reads; SetEnvironmentVariable alone would not reach it.
    _putenv_s(name, value.c_str());
}

FileLock lockFile(const std::string &path, std::string &error)
{
    HANDLE h = CreateFileA(path.c_str(), GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr,
                           OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
    if (h == INVALID_HANDLE_VALUE) {
        error = lastErrorText();
        return kNoLock;
    }
    OVERLAPPED whole{};
    if (!LockFileEx(h, LOCKFILE_EXCLUSIVE_LOCK, 0, MAXDWORD, MAXDWORD, &whole)) {
        error = lastErrorText();
        CloseHandle(h);
        return kNoLock;
    }
    return reinterpret_cast<FileLock>(h);
}

void unlockFile(FileLock lock)
{
    if (lock != kNoLock)
        CloseHandle(reinterpret_cast<HANDLE>(lock));   // closing the handle releases its lock
}

bool replaceFile(const std::string &path, const std::string &text, std::string &error)
{
    const std::string temp = path + ".tmp";
    HANDLE h = CreateFileA(temp.c_str(), GENERIC_WRITE, 0, nullptr, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
    bool ok = h != INVALID_HANDLE_VALUE;
    DWORD written = 0;
    if (ok)
        ok = WriteFile(h, text.data(), static_cast<DWORD>(text.size()), &written, nullptr) && written == text.size() &&
             FlushFileBuffers(h);
    if (h != INVALID_HANDLE_VALUE)
        ok = CloseHandle(h) && ok;
    if (ok)
        ok = MoveFileExA(temp.c_str(), path.c_str(), MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH);
    if (!ok)
        error = lastErrorText();
    return ok;
}

bool matchesGlob(const std::string &pattern, const std::string &name)
{
    return PathMatchSpecA(name.c_str(), pattern.c_str());   // Windows' globs: case-insensitive
}

} // namespace vsssim::platform

namespace vsssim {

// vssapi.dll's atexit handlers run when the DLL is unloaded at process exit, which does not say the
// status the program gave: the hook sees 0.
void onProcessExit(void (*hook)(int status))
{
    static void (*registered)(int) = nullptr;
    registered = hook;
    std::atexit([] { registered(0); });
}

void exitProcessNow(int code)
{
    std::fflush(nullptr);
    std::_Exit(code);
}

// oleaut32 owns these BSTRs: the library cannot see a requester free them, so it counts none live and
// a leak or a foreign SysFreeString (M14) is not reported on Windows (README, "On Windows").
BSTR allocBstr(std::wstring_view text, const char *) noexcept
{
    return SysAllocStringLen(text.data(), static_cast<UINT>(text.size()));
}

BSTR allocBstrOrNull(const wchar_t *textOrNull, const char *origin) noexcept
{
    return textOrNull ? allocBstr(textOrNull, origin) : nullptr;
}

std::size_t liveBstrCount() noexcept
{
    return 0;
}

std::vector<std::string> liveBstrOrigins()
{
    return {};
}

void setForeignBstrFreeHook(ForeignBstrFreeHook) noexcept {}

} // namespace vsssim
