// Simulator: the wide printf family with Microsoft's conversions. In Windows code %s and %c in a wide
// format are wide (%S, %hs narrow), %ld and %lx read 32 bits (LONG, DWORD) and %I64d reads 64; glibc
// reads %s as narrow and %ld as 64 bits, so wprintf(L"%s", wide) would print one character and
// wprintf(L"%08lx", hr) garbage. <windows.h> therefore maps the wide printf names onto libvsssim's
// versions, which translate the format and then call glibc. Define VSSSIM_NO_MSVC_PRINTF to keep
// glibc's meaning. The narrow printf family is left alone: there Microsoft and glibc agree on %s.
#pragma once

#include <cstdarg>
#include <cstddef>
#include <cstdio>
#include <cwchar>

#include <vsssim/export.h>

extern "C" {
/** \brief Format with Microsoft's wide conversions into a buffer of `count` characters (vswprintf's contract). */
VSSSIM_API int vsssim_vswprintf(wchar_t *buffer, std::size_t count, const wchar_t *format, va_list args);
VSSSIM_API int vsssim_swprintf(wchar_t *buffer, std::size_t count, const wchar_t *format, ...);
/** \brief Print with Microsoft's wide conversions; the text goes out in the locale's encoding. */
VSSSIM_API int vsssim_vfwprintf(std::FILE *stream, const wchar_t *format, va_list args);
VSSSIM_API int vsssim_fwprintf(std::FILE *stream, const wchar_t *format, ...);
VSSSIM_API int vsssim_vwprintf(const wchar_t *format, va_list args);
VSSSIM_API int vsssim_wprintf(const wchar_t *format, ...);
}

#ifndef VSSSIM_NO_MSVC_PRINTF
namespace std {
using ::vsssim_fwprintf;
using ::vsssim_swprintf;
using ::vsssim_vfwprintf;
using ::vsssim_vswprintf;
using ::vsssim_vwprintf;
using ::vsssim_wprintf;
} // namespace std
#define wprintf vsssim_wprintf
#define vwprintf vsssim_vwprintf
#define fwprintf vsssim_fwprintf
#define vfwprintf vsssim_vfwprintf
#define swprintf vsssim_swprintf
#define vswprintf vsssim_vswprintf
#endif
