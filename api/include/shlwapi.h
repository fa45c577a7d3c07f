// <shlwapi.h>: the one path function VSS requesters use. Simulator: no files are simulated, so
// what exists is a simulated volume's root or mount folder (see GetFileAttributesW).
#pragma once
#include <windows.h>

extern "C" {
VSSSIM_API BOOL WINAPI PathFileExistsW(LPCWSTR pszPath);
VSSSIM_API BOOL WINAPI PathFileExistsA(LPCSTR pszPath);
}
#ifdef UNICODE
#define PathFileExists PathFileExistsW
#else
#define PathFileExists PathFileExistsA
#endif
