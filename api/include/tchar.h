// <tchar.h>: the generic-text names, wide under _UNICODE (or UNICODE) as in a Unicode build.
#pragma once
#include <windows.h>

#include <cstdio>
#include <cstring>
#include <cwchar>

#if defined(_UNICODE) || defined(UNICODE)
typedef wchar_t _TCHAR;
#define __T(x) L##x
#define _tmain wmain
#define _tcslen wcslen
#define _tcscpy wcscpy
#define _tcscmp wcscmp
#define _tcsicmp _wcsicmp
#define _tcsnicmp _wcsnicmp
#define _tcschr wcschr
#define _tcsrchr wcsrchr
#define _tcsstr wcsstr
#define _tprintf wprintf
#define _ftprintf fwprintf
#define _stprintf swprintf
#define _vtprintf vwprintf
#else
typedef char _TCHAR;
#define __T(x) x
#define _tmain main
#define _tcslen strlen
#define _tcscpy strcpy
#define _tcscmp strcmp
#define _tcsicmp _stricmp
#define _tcsnicmp _strnicmp
#define _tcschr strchr
#define _tcsrchr strrchr
#define _tcsstr strstr
#define _tprintf printf
#define _ftprintf fprintf
#define _stprintf snprintf
#define _vtprintf vprintf
#endif
#define _T(x) __T(x)
#define _TEXT(x) __T(x)
