// <VersionHelpers.h>. Simulator: the version answered is the simulation's, the scenario's [service] os
// (simulator/service/os_versions.cpp; default Windows 11, 10.0.26100).
#pragma once
#include <windows.h>

#define _WIN32_WINNT_WINXP 0x0501
#define _WIN32_WINNT_WS03 0x0502
#define _WIN32_WINNT_VISTA 0x0600
#define _WIN32_WINNT_WIN7 0x0601
#define _WIN32_WINNT_WIN8 0x0602
#define _WIN32_WINNT_WINBLUE 0x0603
#define _WIN32_WINNT_WIN10 0x0A00

extern "C" {
VSSSIM_API BOOL WINAPI IsWindowsVersionOrGreater(WORD wMajorVersion, WORD wMinorVersion, WORD wServicePackMajor);
VSSSIM_API BOOL WINAPI IsWindowsServer(void);
}

inline BOOL IsWindowsXPOrGreater() { return IsWindowsVersionOrGreater(5, 1, 0); }
inline BOOL IsWindowsXPSP3OrGreater() { return IsWindowsVersionOrGreater(5, 1, 3); }
inline BOOL IsWindowsVistaOrGreater() { return IsWindowsVersionOrGreater(6, 0, 0); }
inline BOOL IsWindowsVistaSP2OrGreater() { return IsWindowsVersionOrGreater(6, 0, 2); }
inline BOOL IsWindows7OrGreater() { return IsWindowsVersionOrGreater(6, 1, 0); }
inline BOOL IsWindows7SP1OrGreater() { return IsWindowsVersionOrGreater(6, 1, 1); }
inline BOOL IsWindows8OrGreater() { return IsWindowsVersionOrGreater(6, 2, 0); }
inline BOOL IsWindows8Point1OrGreater() { return IsWindowsVersionOrGreater(6, 3, 0); }
inline BOOL IsWindows10OrGreater() { return IsWindowsVersionOrGreater(10, 0, 0); }
