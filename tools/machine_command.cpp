// `vss-sim machine`: made, shown and reset below the Windows boundary where that is all it takes, and
// through the public VSS API for `show`, so the listing is what a requester on the machine would Query.
#include "machine_command.h"

#include <cstdio>
#include <vector>

#include <winbase.h>
#include <vsbackup.h>

#include "core/names.h"
#include "scenario/listing.h"
#include "service/machine.h"
#include "service/service.h"

namespace vsssim {

namespace {

std::wstring driveOf(const std::wstring &guidPath)
{
    wchar_t names[MAX_PATH];
    DWORD needed = 0;
    if (!GetVolumePathNamesForVolumeNameW(guidPath.c_str(), names, MAX_PATH, &needed) || !names[0])
        return L"";
    return names;
}

int show(const std::string &dir)
{
    auto service = std::make_shared<Service>(ServiceOptions{});
    attachMachineDir(*service, dir, MachineAccess::ReadOnly);
    Service::install(service);
    IVssBackupComponents *backup = nullptr;
    HRESULT hr = CreateVssBackupComponents(&backup);
    if (SUCCEEDED(hr))
        hr = backup->InitializeForBackup();
    if (SUCCEEDED(hr))
        hr = backup->SetContext(static_cast<LONG>(VSS_CTX_ALL));
    IVssEnumObject *items = nullptr;
    if (SUCCEEDED(hr))
        hr = backup->Query(GUID_NULL, VSS_OBJECT_NONE, VSS_OBJECT_SNAPSHOT, &items);
    std::vector<ShadowListingEntry> entries;
    VSS_OBJECT_PROP prop;
    ULONG fetched = 0;
    while (SUCCEEDED(hr) && items && items->Next(1, &prop, &fetched) == S_OK && fetched == 1) {
        entries.push_back(shadowListingEntry(prop.Obj.Snap, driveOf(prop.Obj.Snap.m_pwszOriginalVolumeName),
                                             service->provider().providerName));
        VssFreeSnapshotProperties(&prop.Obj.Snap);
    }
    if (items)
        items->Release();
    if (backup)
        backup->Release();
    if (FAILED(hr)) {
        std::fprintf(stderr, "vss-sim machine show: Query failed: %s\n", fmt::format("{}", Hr{hr}).c_str());
        return 70;   // the machine loaded, so a failed Query is the simulator's own fault
    }
    std::fputs(formatVssadminShadows(entries, {}).c_str(), stdout);
    return 0;
}

} // namespace

void setupMachineCommand(CLI::App &command, MachineOptions &options)
{
    command.add_option("ACTION", options.action,
                       "init (a fresh machine), show (its shadow copies, as vssadmin list shadows), reset (forget it)")
        ->required()
        ->check(CLI::IsMember({"init", "show", "reset"}));
    command.add_option("DIR", options.dir, "the directory VSSSIM_MACHINE names")->required();
}

int runMachineCommand(const MachineOptions &options)
{
    std::string error;
    if (options.action == "show")
        return show(options.dir);
    bool ok = false;
    if (options.action == "init") {
        auto service = std::make_shared<Service>(ServiceOptions{});
        ok = initMachine(*service, options.dir, error);
    } else {
        ok = resetMachine(options.dir, error);
    }
    if (!ok) {
        std::fprintf(stderr, "vss-sim machine %s: %s\n", options.action.c_str(), error.c_str());
        return 1;
    }
    return 0;
}

} // namespace vsssim
