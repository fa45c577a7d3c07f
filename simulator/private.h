// Included first by every header under simulator/: those headers are not part of the public API.
#pragma once
#ifndef VSSSIM_PRIVATE
#error "simulator/ headers are private; include <vss.h>, <vsbackup.h>, <vswriter.h> or <vsssim/vsssim.h>"
#endif

// The writer side (CVssWriter, and the metadata object its OnIdentify fills) is C++ whose Windows ABI
// is MSVC's, which mingw-w64 cannot produce: vssapi.dll built here is the requester side only.
#ifdef _WIN32
#define VSSSIM_WRITER_SIDE 0
#else
#define VSSSIM_WRITER_SIDE 1
#endif

namespace vsssim {
// The flag parameters of the COM methods: the Windows SDK's C++ headers (and ours) say bool; mingw-w64's,
// generated from the IDL, say boolean. Both are one byte passed the same way, so one binary serves both.
#ifdef _WIN32
using SdkBool = unsigned char;
#else
using SdkBool = bool;
#endif
} // namespace vsssim
