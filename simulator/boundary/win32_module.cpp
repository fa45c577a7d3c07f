// vssapi.dll by name: LoadLibrary, GetProcAddress, FreeLibrary, GetModuleHandle. Requesters that load
// VSS at run time (to run on Windows versions without it) find the library's functions under the
// names vssapi.dll exports.
#include <winbase.h>
#include <vsbackup.h>
#include <vswriter.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "boundary/win32.h"

namespace {

struct Export {
    std::string_view name;
    FARPROC address;
};

// Through void (*)(): the one function type GCC lets any function pointer pass through unwarned.
template <class F> FARPROC proc(F *f) noexcept
{
    return reinterpret_cast<FARPROC>(reinterpret_cast<void (*)()>(f));
}

// vssapi.dll's x64 export table as Wine lists it (wine-mirror/wine, dlls/vssapi/vssapi.spec: the
// unconditional and -arch=win64 entries), restricted to the free functions libvsssim implements.
// The C++ names are MSVC's decorations: the x64 DLL exports no others. CVssWriter's members are
// exported too, but a caller cannot use them through GetProcAddress, so they are left out; so are
// DllCanUnloadNow and DllGetClassObject, which libvsssim does not implement.
const std::array kVssapiExports{
    Export{"CreateVssBackupComponentsInternal", proc(&CreateVssBackupComponentsInternal)},
    Export{"?CreateVssBackupComponents@@YAJPEAPEAVIVssBackupComponents@@@Z", proc(&CreateVssBackupComponentsInternal)},
    Export{"CreateVssExamineWriterMetadataInternal", proc(&CreateVssExamineWriterMetadataInternal)},
    Export{"?CreateVssExamineWriterMetadata@@YAJPEAGPEAPEAVIVssExamineWriterMetadata@@@Z",
           proc(&CreateVssExamineWriterMetadataInternal)},
    Export{"CreateVssExpressWriterInternal", proc(&CreateVssExpressWriterInternal)},
    Export{"CreateWriter", proc(&CreateWriter)},
    Export{"CreateWriterEx", proc(&CreateWriterEx)},
    Export{"GetProviderMgmtInterface", proc(&GetProviderMgmtInterfaceInternal)},
    Export{"GetProviderMgmtInterfaceInternal", proc(&GetProviderMgmtInterfaceInternal)},
    Export{"IsVolumeSnapshotted", proc(&IsVolumeSnapshottedInternal)},
    Export{"IsVolumeSnapshottedInternal", proc(&IsVolumeSnapshottedInternal)},
    Export{"ShouldBlockRevert", proc(&ShouldBlockRevertInternal)},
    Export{"ShouldBlockRevertInternal", proc(&ShouldBlockRevertInternal)},
    Export{"VssFreeSnapshotProperties", proc(&VssFreeSnapshotPropertiesInternal)},
    Export{"VssFreeSnapshotPropertiesInternal", proc(&VssFreeSnapshotPropertiesInternal)},
};

// The module handles are the addresses of these objects: distinct, stable, and never memory a caller
// could mistake for anything else.
struct Module {
    std::wstring_view baseName;
};
const Module kVssapi{L"vssapi.dll"};
const Module kMainProgram{L""};

HMODULE handleOf(const Module &m) noexcept
{
    return const_cast<Module *>(&m);
}

/// vssapi.dll by Windows' rules: the last path component, case-insensitive, ".dll" implied.
bool namesVssapi(std::wstring_view path) noexcept
{
    const std::size_t slash = path.find_last_of(L"\\/");
    std::wstring_view base = slash == std::wstring_view::npos ? path : path.substr(slash + 1);
    return vsssim::win32::equalsNoCase(base, L"vssapi.dll") || vsssim::win32::equalsNoCase(base, L"vssapi");
}

std::wstring widen(LPCSTR s)
{
    // Module names are ASCII on every system this runs on; a non-ASCII byte cannot name vssapi.dll.
    std::wstring out;
    for (; *s; ++s)
        out += static_cast<unsigned char>(*s) < 0x80 ? static_cast<wchar_t>(*s) : L'\xFFFD';
    return out;
}

HMODULE load(LPCWSTR name) noexcept
{
    if (!name || !*name)
        return vsssim::win32::failWith(ERROR_INVALID_PARAMETER, HMODULE{nullptr});
    if (!namesVssapi(name))
        return vsssim::win32::failWith(ERROR_MOD_NOT_FOUND, HMODULE{nullptr});
    return handleOf(kVssapi);
}

} // namespace

extern "C" HMODULE LoadLibraryW(LPCWSTR lpLibFileName)
{
    return load(lpLibFileName);
}

extern "C" HMODULE LoadLibraryA(LPCSTR lpLibFileName)
{
    return lpLibFileName ? load(widen(lpLibFileName).c_str()) : load(nullptr);
}

extern "C" HMODULE LoadLibraryExW(LPCWSTR lpLibFileName, HANDLE hFile, DWORD dwFlags)
{
    if (hFile)
        return vsssim::win32::failWith(ERROR_INVALID_PARAMETER, HMODULE{nullptr});
    (void)dwFlags;   // search-path and as-data flags change nothing when the only module is built in
    return load(lpLibFileName);
}

extern "C" HMODULE LoadLibraryExA(LPCSTR lpLibFileName, HANDLE hFile, DWORD dwFlags)
{
    return lpLibFileName ? LoadLibraryExW(widen(lpLibFileName).c_str(), hFile, dwFlags) : load(nullptr);
}

extern "C" BOOL FreeLibrary(HMODULE hLibModule)
{
    if (hLibModule != handleOf(kVssapi))
        return vsssim::win32::failWith(ERROR_INVALID_HANDLE, FALSE);
    // The library is part of the program, as an imported vssapi.dll is: it never unloads.
    return TRUE;
}

extern "C" HMODULE GetModuleHandleW(LPCWSTR lpModuleName)
{
    if (!lpModuleName)
        return handleOf(kMainProgram);
    if (!namesVssapi(lpModuleName))
        return vsssim::win32::failWith(ERROR_MOD_NOT_FOUND, HMODULE{nullptr});
    return handleOf(kVssapi);
}

extern "C" HMODULE GetModuleHandleA(LPCSTR lpModuleName)
{
    return lpModuleName ? GetModuleHandleW(widen(lpModuleName).c_str()) : GetModuleHandleW(nullptr);
}

extern "C" FARPROC GetProcAddress(HMODULE hModule, LPCSTR lpProcName)
{
    if (hModule != handleOf(kVssapi) && hModule != handleOf(kMainProgram))
        return vsssim::win32::failWith(ERROR_INVALID_HANDLE, FARPROC{nullptr});
    // An ordinal (high word zero): vssapi.dll's ordinals are not part of its contract.
    if (reinterpret_cast<std::uintptr_t>(lpProcName) <= 0xFFFF)
        return vsssim::win32::failWith(ERROR_PROC_NOT_FOUND, FARPROC{nullptr});
    if (hModule == handleOf(kVssapi))
        for (const Export &e : kVssapiExports)
            if (e.name == lpProcName)   // export names are case-sensitive
                return e.address;
    return vsssim::win32::failWith(ERROR_PROC_NOT_FOUND, FARPROC{nullptr});
}
