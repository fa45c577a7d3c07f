// What the Win32 functions of libvsssim share: the thread's last error, buffer copies with Windows'
// length rules, and the handles FindFirstVolume and its relatives hand out.
#pragma once
#include "private.h"

#include <cstdarg>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <windows.h>

namespace vsssim::win32 {

/** \brief Set the thread's last error and return `result`: the one-line failure of a Win32 function. */
template <class R> R failWith(DWORD error, R result) noexcept
{
    SetLastError(error);
    return result;
}

/** \brief Copy `text` and its terminator into a buffer of `cch` characters; false when it does not fit. */
bool copyOut(std::wstring_view text, LPWSTR buffer, DWORD cch) noexcept;

bool equalsNoCase(std::wstring_view a, std::wstring_view b) noexcept;

/// An object behind a HANDLE; the HANDLE is its address, so a stale or foreign value is found in
/// no table and gets ERROR_INVALID_HANDLE instead of a crash.
class HandleObject
{
public:
    virtual ~HandleObject() = default;
};

HANDLE addHandle(std::unique_ptr<HandleObject> object);
/** \brief The object behind `h` if it is a `T`; nullptr for anything else. */
HandleObject *findHandle(HANDLE h) noexcept;
template <class T> T *findHandleOf(HANDLE h) noexcept
{
    return dynamic_cast<T *>(findHandle(h));
}
bool closeHandle(HANDLE h) noexcept;

/** \brief printf with Microsoft's conversions (%s wide in a wide format, %ld 32 bits, %I64d); nullopt on a bad format. */
std::optional<std::wstring> formatMicrosoft(const wchar_t *format, va_list args);
std::optional<std::string> formatMicrosoft(const char *format, va_list args);

} // namespace vsssim::win32
