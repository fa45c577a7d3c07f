// GetLastError, SetLastError and FormatMessage. The message of a code comes from one place: the Win32
// table below for <winerror.h> codes (and their HRESULT_FROM_WIN32 forms), the HRESULT table of
// core/names for the VSS and COM codes.
#include <winbase.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <cwchar>
#include <string>
#include <string_view>

#include "boundary/win32.h"
#include "core/names.h"

namespace {

thread_local DWORD lastError = ERROR_SUCCESS;

struct Win32Error {
    DWORD code;
    std::string_view name;
    std::string_view message;   ///< as Windows' system message table words it
};

#define ROW(code, message) Win32Error{static_cast<DWORD>(code), #code, message}
constexpr std::array kWin32Errors{
    ROW(ERROR_SUCCESS, "The operation completed successfully."),
    ROW(ERROR_INVALID_FUNCTION, "Incorrect function."),
    ROW(ERROR_FILE_NOT_FOUND, "The system cannot find the file specified."),
    ROW(ERROR_PATH_NOT_FOUND, "The system cannot find the path specified."),
    ROW(ERROR_ACCESS_DENIED, "Access is denied."),
    ROW(ERROR_INVALID_HANDLE, "The handle is invalid."),
    ROW(ERROR_NOT_ENOUGH_MEMORY, "Not enough memory resources are available to process this command."),
    ROW(ERROR_INVALID_DATA, "The data is invalid."),
    ROW(ERROR_OUTOFMEMORY, "Not enough memory resources are available to complete this operation."),
    ROW(ERROR_INVALID_DRIVE, "The system cannot find the drive specified."),
    ROW(ERROR_NO_MORE_FILES, "There are no more files."),
    ROW(ERROR_NOT_READY, "The device is not ready."),
    ROW(ERROR_BAD_LENGTH, "The program issued a command but the command length is incorrect."),
    ROW(ERROR_HANDLE_EOF, "Reached the end of the file."),
    ROW(ERROR_NOT_SUPPORTED, "The request is not supported."),
    ROW(ERROR_FILE_EXISTS, "The file exists."),
    ROW(ERROR_INVALID_PARAMETER, "The parameter is incorrect."),
    ROW(ERROR_CALL_NOT_IMPLEMENTED, "This function is not supported on this system."),
    ROW(ERROR_INSUFFICIENT_BUFFER, "The data area passed to a system call is too small."),
    ROW(ERROR_INVALID_NAME, "The filename, directory name, or volume label syntax is incorrect."),
    ROW(ERROR_MOD_NOT_FOUND, "The specified module could not be found."),
    ROW(ERROR_PROC_NOT_FOUND, "The specified procedure could not be found."),
    ROW(ERROR_DIR_NOT_EMPTY, "The directory is not empty."),
    ROW(ERROR_ALREADY_EXISTS, "Cannot create a file when that file already exists."),
    ROW(ERROR_FILENAME_EXCED_RANGE, "The filename or extension is too long."),
    ROW(ERROR_MORE_DATA, "More data is available."),
    ROW(ERROR_NO_MORE_ITEMS, "No more data is available."),
    ROW(ERROR_MR_MID_NOT_FOUND, "The system cannot find message text for message number 0x%1 in the message file for %2."),
    ROW(ERROR_SERVICE_DOES_NOT_EXIST, "The specified service does not exist as an installed service."),
    ROW(ERROR_NO_UNICODE_TRANSLATION, "No mapping for the Unicode character exists in the target multi-byte code page."),
    ROW(ERROR_NOT_FOUND, "Element not found."),
    ROW(ERROR_NOT_A_REPARSE_POINT, "The file or directory is not a reparse point."),
};
#undef ROW

/// The system message for `id`: a Win32 code, an HRESULT_FROM_WIN32 of one, or an HRESULT vss-sim knows.
std::string systemMessage(DWORD id)
{
    const auto hr = static_cast<HRESULT>(id);
    const bool win32Hresult = HRESULT_FACILITY(hr) == FACILITY_WIN32 && HRESULT_SEVERITY(hr) == SEVERITY_ERROR;
    const DWORD code = win32Hresult ? static_cast<DWORD>(HRESULT_CODE(hr)) : id;
    for (const Win32Error &e : kWin32Errors)
        if (e.code == code && (win32Hresult || id < 0x10000))
            return std::string(e.message);
    if (const vsssim::NamedValue *v = vsssim::hresultInfo(hr)) {
        // The table's meanings are phrases for `vss-sim explain`; a system message is a sentence.
        std::string text(v->meaning);
        if (!text.empty())
            text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
        if (!text.empty() && text.back() != '.')
            text += '.';
        return text;
    }
    return {};
}

bool supported(DWORD flags, LPCVOID source)
{
    if (flags & FORMAT_MESSAGE_FROM_STRING)
        return false;
    if (flags & FORMAT_MESSAGE_FROM_HMODULE)
        return source == nullptr || source == GetModuleHandleW(L"vssapi.dll");
    return (flags & FORMAT_MESSAGE_FROM_SYSTEM) != 0;
}

template <class Ch> DWORD formatMessage(DWORD flags, LPCVOID source, DWORD id, Ch *buffer, DWORD size)
{
    if (!supported(flags, source))
        return vsssim::win32::failWith(ERROR_CALL_NOT_IMPLEMENTED, DWORD{0});
    if (!buffer)
        return vsssim::win32::failWith(ERROR_INVALID_PARAMETER, DWORD{0});
    const std::string message = systemMessage(id);
    if (message.empty())
        return vsssim::win32::failWith(ERROR_MR_MID_NOT_FOUND, DWORD{0});
    // Windows ends system messages with CR LF unless a maximum width is asked for.
    const std::string text = (flags & FORMAT_MESSAGE_MAX_WIDTH_MASK) ? message : message + "\r\n";
    const std::basic_string<Ch> out(text.begin(), text.end());   // the table is ASCII
    const auto length = static_cast<DWORD>(out.size());
    Ch *target = buffer;
    if (flags & FORMAT_MESSAGE_ALLOCATE_BUFFER) {
        const std::size_t bytes = (std::max<std::size_t>(length, size) + 1) * sizeof(Ch);
        auto *allocated = static_cast<Ch *>(LocalAlloc(LMEM_FIXED, bytes));
        if (!allocated)
            return vsssim::win32::failWith(ERROR_NOT_ENOUGH_MEMORY, DWORD{0});
        *reinterpret_cast<Ch **>(buffer) = allocated;
        target = allocated;
    } else if (length + 1 > size) {
        return vsssim::win32::failWith(ERROR_INSUFFICIENT_BUFFER, DWORD{0});
    }
    std::memcpy(target, out.c_str(), (length + 1) * sizeof(Ch));
    return length;
}

} // namespace

extern "C" DWORD GetLastError(void)
{
    return lastError;
}

extern "C" void SetLastError(DWORD dwErrCode)
{
    lastError = dwErrCode;
}

extern "C" DWORD FormatMessageW(DWORD dwFlags, LPCVOID lpSource, DWORD dwMessageId, DWORD dwLanguageId,
                                LPWSTR lpBuffer, DWORD nSize, va_list *Arguments)
{
    (void)dwLanguageId;
    (void)Arguments;
    return formatMessage(dwFlags, lpSource, dwMessageId, lpBuffer, nSize);
}

extern "C" DWORD FormatMessageA(DWORD dwFlags, LPCVOID lpSource, DWORD dwMessageId, DWORD dwLanguageId,
                                LPSTR lpBuffer, DWORD nSize, va_list *Arguments)
{
    (void)dwLanguageId;
    (void)Arguments;
    return formatMessage(dwFlags, lpSource, dwMessageId, lpBuffer, nSize);
}

extern "C" HLOCAL LocalAlloc(UINT uFlags, SIZE_T uBytes)
{
    void *p = (uFlags & LMEM_ZEROINIT) ? std::calloc(1, uBytes ? uBytes : 1) : std::malloc(uBytes ? uBytes : 1);
    if (!p)
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
    return p;
}

extern "C" HLOCAL LocalFree(HLOCAL hMem)
{
    std::free(hMem);
    return nullptr;
}
