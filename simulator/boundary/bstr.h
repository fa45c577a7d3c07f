// BSTRs the library hands out, each with a cookie in its header that tells it apart from memory the
// library never allocated.
#pragma once
#include "private.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <windows.h>
#include <objbase.h>   // BSTR, which a lean <windows.h> leaves out
#include <vsssim/vsssim.h>

namespace vsssim {

/// Called with the pointer when SysFreeString receives memory that is not a live BSTR from this
/// library (requester mistake M14, or a double free). The memory is left alone.
using ForeignBstrFreeHook = void (*)(const void *ptr) noexcept;

/// A fresh BSTR holding text (embedded NULs kept), or NULL when memory runs out.
/// origin labels the allocation in liveBstrOrigins(); the origin table keeps the pointer, so pass a
/// string literal such as "GetWriterStatusEx".
BSTR allocBstr(std::wstring_view text, const char *origin) noexcept;

/// As allocBstr, for the many out-parameters where a NULL source means "no string": NULL in, NULL out.
BSTR allocBstrOrNull(const wchar_t *textOrNull, const char *origin) noexcept;

/// One entry per live BSTR: its origin label. Order is unspecified; sort before comparing.
std::vector<std::string> liveBstrOrigins();

/// Replaces the M14 reporter; nullptr restores the default (a warning on spdlog's default logger).
void setForeignBstrFreeHook(ForeignBstrFreeHook hook) noexcept;

// liveBstrCount() is declared in <vsssim/vsssim.h>.

} // namespace vsssim
