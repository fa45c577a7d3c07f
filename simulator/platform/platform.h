// What differs between the systems libvsssim runs on, behind one interface: the process environment
// and its exit (core/process.h), the files of a VSSSIM_MACHINE directory, globs, and the width of
// wchar_t. posix.cpp or windows.cpp is built, as Meson's host_machine.system() says; a new system is
// a new file beside them. The BSTR allocator is the other such part: boundary/bstr.cpp (the simulator's own, tracked) where the
// system has no oleaut32, windows.cpp (oleaut32's, so a requester's SysFreeString frees it) where it has.
#pragma once
#include "private.h"

#include <cstdint>
#include <string>

namespace vsssim::platform {

/// Sets a variable of this process's environment, as later getenv calls see it.
void setEnvironment(const char *name, const std::string &value);

/// An exclusive lock on a file, held until unlockFile or the process's end; kNoLock on failure.
using FileLock = std::intptr_t;
inline constexpr FileLock kNoLock = -1;
FileLock lockFile(const std::string &path, std::string &error);
void unlockFile(FileLock lock);

/// Replaces path's content with text through a flushed temporary file and a rename, so a reader sees
/// the old file or the new one, never half of one.
bool replaceFile(const std::string &path, const std::string &text, std::string &error);

/// Whether name matches a shell glob (*, ?, [...]).
bool matchesGlob(const std::string &pattern, const std::string &name);

/// Appends one code point to wide text: one unit where wchar_t is UTF-32 (glibc, macOS), a surrogate
/// pair past U+FFFF where it is UTF-16 (Windows). The one place the library looks at wchar_t's width.
inline void appendCodePoint(std::wstring &out, char32_t c)
{
    if constexpr (sizeof(wchar_t) == 2) {
        if (c >= 0x10000) {
            c -= 0x10000;
            out += static_cast<wchar_t>(0xd800 + (c >> 10));
            out += static_cast<wchar_t>(0xdc00 + (c & 0x3ff));
            return;
        }
    }
    out += static_cast<wchar_t>(c);
}

} // namespace vsssim::platform
