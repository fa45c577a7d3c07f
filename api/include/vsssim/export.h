// The one place that says how a public entry point leaves the library. Everything else is built with
// hidden visibility, so only what the public headers mark VSSSIM_API is part of the ABI
// (tests/exported-symbols.txt lists it, and the exported-symbols test fails on any other export).
#pragma once

#if defined(_WIN32) || defined(__CYGWIN__)
// vssapi.dll exports by a .def file, under the names (and MSVC decorations) the real DLL uses.
#define VSSSIM_API
#else
#define VSSSIM_API __attribute__((visibility("default")))
#endif
