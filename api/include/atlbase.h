// <atlbase.h>: what COM client code takes from ATL (the smart pointers, CComBSTR, the string
// conversions). ATL's module, window and registry classes are not provided.
#pragma once
#include <windows.h>
#include <objbase.h>
#include <tchar.h>

#include <atlcomcli.h>
#include <atlconv.h>
