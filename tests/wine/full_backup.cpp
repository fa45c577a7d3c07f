// A full backup as a Windows requester writes it, reading each writer's status with GetWriterStatusEx
// after every phase. One source, two builds: by mingw-w64 against mingw-w64's own <vss.h> and
// <vsbackup.h>, run under Wine against vssapi.dll; and on Linux against vss-sim's headers and
// libvsssim. tests/wine/parity.sh runs both on the same scenarios and diffs what they print, their
// verdicts and their VSSSIM_TRACE.
//   full-backup                   CreateVssBackupComponents as the headers declare it
//   full-backup --getprocaddress  the same, found in vssapi.dll by its MSVC-decorated name
#include <windows.h>
#include <vss.h>
#include <vswriter.h>
#include <vsbackup.h>

#include <cstdio>
#include <cstring>
#include <string>

namespace {

// UTF-8 for printing, from UTF-16 (Windows) or UTF-32 (glibc) alike: WideCharToMultiByte knows its wchar_t.
std::string utf8(const wchar_t *text)
{
    if (!text || !*text)
        return {};
    const int n = WideCharToMultiByte(CP_UTF8, 0, text, -1, nullptr, 0, nullptr, nullptr);
    std::string out(n > 0 ? static_cast<std::size_t>(n) : 0, '\0');
    if (n > 0)
        WideCharToMultiByte(CP_UTF8, 0, text, -1, out.data(), n, nullptr, nullptr);
    if (!out.empty())
        out.pop_back();   // the terminator that -1 counted
    return out;
}

unsigned hex(HRESULT hr)
{
    return static_cast<unsigned>(hr);
}

// Wait says whether the wait worked; QueryStatus gives the operation's result. async by reference:
// the call that fills it is a sibling argument, and arguments are evaluated in no fixed order.
HRESULT finish(const char *what, HRESULT hr, IVssAsync *&async)
{
    if (SUCCEEDED(hr)) {
        HRESULT result = E_FAIL;
        async->Wait();
        hr = async->QueryStatus(&result, nullptr);
        async->Release();
        if (SUCCEEDED(hr))
            hr = result;
    }
    std::printf("%s: 0x%08x\n", what, hex(hr));
    return hr;
}

void printStatus(IVssBackupComponents *backup, const char *after)
{
    IVssAsync *async = nullptr;
    if (FAILED(finish("GatherWriterStatus", backup->GatherWriterStatus(&async), async)))
        return;
    IVssBackupComponentsEx3 *ex3 = nullptr;
    HRESULT hr = backup->QueryInterface(IID_IVssBackupComponentsEx3, reinterpret_cast<void **>(&ex3));
    UINT count = 0;
    if (SUCCEEDED(hr))
        hr = backup->GetWriterStatusCount(&count);
    std::printf("after %s: %u writers\n", after, SUCCEEDED(hr) ? count : 0u);
    for (UINT i = 0; SUCCEEDED(hr) && i < count; ++i) {
        VSS_ID instance{}, writer{};
        BSTR name = nullptr;
        VSS_WRITER_STATE state{};
        HRESULT failure = S_OK, application = S_OK;
        BSTR message = nullptr;
        hr = ex3->GetWriterStatusEx(i, &instance, &writer, &name, &state, &failure, &application, &message);
        if (SUCCEEDED(hr))
            std::printf("  %s: state %d, failure 0x%08x, application 0x%08x, message \"%s\"\n", utf8(name).c_str(),
                        static_cast<int>(state), hex(failure), hex(application), utf8(message).c_str());
        SysFreeString(name);   // oleaut32's on Windows: the DLL's BSTRs are the system's
        SysFreeString(message);
    }
    if (FAILED(hr))
        std::printf("  GetWriterStatusEx: 0x%08x\n", hex(hr));
    if (ex3)
        ex3->Release();
    backup->FreeWriterStatus();
}

using CreateFn = HRESULT(STDAPICALLTYPE *)(IVssBackupComponents **);

CreateFn creator(bool byDecoratedName)
{
    if (!byDecoratedName)
        return &CreateVssBackupComponentsInternal;
    HMODULE vssapi = LoadLibraryW(L"vssapi.dll");
    if (!vssapi)
        return nullptr;
    // Through void (*)(): the one function type GCC lets any function pointer pass through unwarned.
    return reinterpret_cast<CreateFn>(reinterpret_cast<void (*)()>(
        GetProcAddress(vssapi, "?CreateVssBackupComponents@@YAJPEAPEAVIVssBackupComponents@@@Z")));
}

} // namespace

int main(int argc, char **argv)
{
    const bool byName = argc > 1 && std::strcmp(argv[1], "--getprocaddress") == 0;
    const CreateFn create = creator(byName);
    if (!create) {
        std::printf("vssapi.dll: no ?CreateVssBackupComponents@@YAJPEAPEAVIVssBackupComponents@@@Z\n");
        return 2;
    }
    CoInitializeEx(nullptr, COINIT_MULTITHREADED);
    IVssBackupComponents *backup = nullptr;
    HRESULT hr = create(&backup);
    std::printf("CreateVssBackupComponents%s: 0x%08x\n", byName ? " (by its decorated name)" : "", hex(hr));
    if (FAILED(hr))
        return 1;
    IVssAsync *async = nullptr;
    bool ok = SUCCEEDED(hr = backup->InitializeForBackup(nullptr)) &&
              SUCCEEDED(hr = backup->SetBackupState(false, true, VSS_BT_FULL, false)) &&
              SUCCEEDED(hr = finish("GatherWriterMetadata", backup->GatherWriterMetadata(&async), async));
    VSS_ID set{}, shadow{};
    bool started = false;
    if (ok) {
        UINT writers = 0;
        backup->GetWriterMetadataCount(&writers);
        std::printf("writers with metadata: %u\n", writers);
        started = SUCCEEDED(hr = backup->StartSnapshotSet(&set));
        ok = started && SUCCEEDED(hr = backup->AddToSnapshotSet(const_cast<VSS_PWSZ>(L"C:\\"), GUID_NULL, &shadow)) &&
             SUCCEEDED(hr = finish("PrepareForBackup", backup->PrepareForBackup(&async), async));
    }
    if (ok) {
        printStatus(backup, "PrepareForBackup");
        ok = SUCCEEDED(hr = finish("DoSnapshotSet", backup->DoSnapshotSet(&async), async));
        printStatus(backup, "DoSnapshotSet");
    }
    if (ok) {
        VSS_SNAPSHOT_PROP prop{};
        if (SUCCEEDED(backup->GetSnapshotProperties(shadow, &prop))) {
            std::printf("shadow copy of %s: %s\n", utf8(prop.m_pwszOriginalVolumeName).c_str(),
                        utf8(prop.m_pwszSnapshotDeviceObject).c_str());
            VssFreeSnapshotProperties(&prop);   // CoTaskMemFree on each string
        }
        finish("BackupComplete", backup->BackupComplete(&async), async);
        printStatus(backup, "BackupComplete");
    } else {
        std::printf("backup failed: 0x%08x\n", hex(hr));
        if (started)
            backup->AbortBackup();
    }
    backup->Release();
    CoUninitialize();
    return ok ? 0 : 1;
}
