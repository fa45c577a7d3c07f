// `vss-sim machine`: made, shown and reset below the Windows boundary where that is all it takes, and
// through the public VSS API for `show`, so the listing is what a requester on the machine would Query.
#include "machine_command.h"

#include <cstdio>
#include <filesystem>
#include <vector>

#include <winbase.h>
#include <vsbackup.h>

#include "core/names.h"
#include "scenario/listing.h"
#include "scenario/loader.h"
#include "scenario/runner.h"
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

/// The service a machine's processes get: its scenario's, or the default machine's.
std::shared_ptr<Service> serviceOf(const std::string &scenario)
{
    if (scenario.empty())
        return std::make_shared<Service>(ServiceOptions{});
    LoadResult loaded = loadScenarioFile(scenario);
    if (!loaded.scenario) {
        for (const ScenarioError &e : loaded.errors)
            std::fprintf(stderr, "%s\n", e.format().c_str());
        return nullptr;
    }
    return buildService(*loaded.scenario, loaded.scenario->seed);
}

int show(const std::string &dir)
{
    auto service = serviceOf(machineScenario(dir));
    if (!service)
        return 3;
    attachMachineDir(*service, dir, MachineAccess::ReadOnly);
    return listShadows(service, "vssadmin", {});
}

} // namespace

int listShadows(const std::shared_ptr<Service> &service, const std::string &format, const ListingOptions &options)
{
    // Through the public API, as a requester on the machine would Query them.
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
        std::fprintf(stderr, "vss-sim: listing the shadow copies: Query failed: %s\n", fmt::format("{}", Hr{hr}).c_str());
        return 70;   // the machine loaded, so a failed Query is the simulator's own fault
    }
    const std::string text = format == "vshadow"      ? formatVShadowShadows(entries, options)
                           : format == "diskshadow" ? formatDiskShadowShadows(entries, options)
                                                    : formatVssadminShadows(entries, options);
    std::fputs(text.c_str(), stdout);
    return 0;
}

void setupMachineCommand(CLI::App &command, MachineOptions &options)
{
    command.add_option("ACTION", options.action,
                       "init (a fresh machine), show (its shadow copies, as vssadmin list shadows), reset (forget it)")
        ->required()
        ->check(CLI::IsMember({"init", "show", "reset"}));
    command.add_option("DIR", options.dir, "the directory VSSSIM_MACHINE names")->required();
    command.add_option("SCENARIO", options.scenario,
                       "init: the scenario file the machine's processes run under (unless VSSSIM_SCENARIO names one)");
}

int runMachineCommand(const MachineOptions &options)
{
    std::string error;
    if (options.action != "init" && !options.scenario.empty()) {
        std::fprintf(stderr, "vss-sim machine %s: SCENARIO applies to init only\n", options.action.c_str());
        return 2;
    }
    if (options.action == "show")
        return show(options.dir);
    bool ok = false;
    if (options.action == "init") {
        auto service = serviceOf(options.scenario);
        if (!service)
            return 3;
        const std::string scenario = options.scenario.empty() ? "" : std::filesystem::absolute(options.scenario).string();
        ok = initMachine(*service, options.dir, scenario, error);
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
