// <objbase.h>: COM activation. Simulator: no COM class is registered in the simulation, so
// CoCreateInstance answers REGDB_E_CLASSNOTREG for every CLSID (VSS objects come from
// CreateVssBackupComponents, as on Windows).
#pragma once
#include <windows.h>

typedef enum tagCLSCTX {
    CLSCTX_INPROC_SERVER = 0x1,
    CLSCTX_INPROC_HANDLER = 0x2,
    CLSCTX_LOCAL_SERVER = 0x4,
    CLSCTX_REMOTE_SERVER = 0x10,
    CLSCTX_ALL = 0x17,
    CLSCTX_SERVER = 0x15
} CLSCTX;

extern "C" VSSSIM_API HRESULT STDAPICALLTYPE CoCreateInstance(REFCLSID rclsid, LPUNKNOWN pUnkOuter, DWORD dwClsContext,
                                                   REFIID riid, LPVOID *ppv);
