// A system-state requester through the public COM API, as Windows Server Backup selects: every
// component of the writers whose usage type is VSS_UT_BOOTABLESYSTEMSTATE or VSS_UT_SYSTEMSERVICE.
// What it finds must be what the built-in table (service/profiles.cpp) says the real writers declare.
#include <doctest/doctest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include <windows.h>
#include <vsbackup.h>
#include <vsssim/vsssim.h>
#include <vswriter.h>

#include "fixture.h"
#include "scenario/listing.h"
#include "service/service.h"

using vsssim::Hr;
using vsssim::toUtf8;

namespace {

std::wstring text(BSTR b)
{
    return b ? std::wstring(b, SysStringLen(b)) : std::wstring();
}

struct FoundComponent {
    std::wstring logicalPath, name, caption;
    VSS_COMPONENT_TYPE type;
    bool selectable, selectableForRestore;
    std::vector<std::wstring> files;   ///< "path|filespec|recursive"
};

struct FoundWriter {
    VSS_USAGE_TYPE usage;
    VSS_SOURCE_TYPE source;
    VSS_RESTOREMETHOD_ENUM method;
    VSS_WRITERRESTORE_ENUM writerRestore;
    bool reboot;
    UINT excludes;
    std::vector<FoundComponent> components;
};

std::wstring describe(IVssWMFiledesc *f)
{
    BSTR path = nullptr, spec = nullptr;
    bool recursive = false;
    CHECK(Hr{f->GetPath(&path)} == Hr{S_OK});
    CHECK(Hr{f->GetFilespec(&spec)} == Hr{S_OK});
    CHECK(Hr{f->GetRecursive(&recursive)} == Hr{S_OK});
    std::wstring out = text(path) + L"|" + text(spec) + (recursive ? L"|r" : L"|");
    SysFreeString(path);
    SysFreeString(spec);
    f->Release();
    return out;
}

/// GatherWriterMetadata, then everything GetIdentity, GetRestoreMethod and the components say.
std::map<std::wstring, FoundWriter> examine(IVssBackupComponents *p)
{
    std::map<std::wstring, FoundWriter> out;
    IVssAsync *async = nullptr;
    REQUIRE(Hr{p->GatherWriterMetadata(&async)} == Hr{S_OK});
    HRESULT status = S_OK;
    REQUIRE(Hr{async->Wait()} == Hr{S_OK});
    REQUIRE(Hr{async->QueryStatus(&status, nullptr)} == Hr{S_OK});
    CHECK(Hr{status} == Hr{VSS_S_ASYNC_FINISHED});
    async->Release();
    UINT count = 0;
    REQUIRE(Hr{p->GetWriterMetadataCount(&count)} == Hr{S_OK});
    for (UINT i = 0; i < count; ++i) {
        VSS_ID instance{}, instanceAgain{}, writerId{};
        IVssExamineWriterMetadata *md = nullptr;
        REQUIRE(Hr{p->GetWriterMetadata(i, &instance, &md)} == Hr{S_OK});
        BSTR name = nullptr, service = nullptr, procedure = nullptr;
        FoundWriter w{};
        REQUIRE(Hr{md->GetIdentity(&instanceAgain, &writerId, &name, &w.usage, &w.source)} == Hr{S_OK});
        UINT includes = 0, components = 0, mappings = 0;
        REQUIRE(Hr{md->GetFileCounts(&includes, &w.excludes, &components)} == Hr{S_OK});
        const HRESULT restore = md->GetRestoreMethod(&w.method, &service, &procedure, &w.writerRestore, &w.reboot, &mappings);
        CHECK(Hr{restore} == Hr{S_OK});   // S_FALSE would mean no restore method declared
        for (UINT c = 0; c < components; ++c) {
            IVssWMComponent *comp = nullptr;
            REQUIRE(Hr{md->GetComponent(c, &comp)} == Hr{S_OK});
            PVSSCOMPONENTINFO info = nullptr;
            REQUIRE(Hr{comp->GetComponentInfo(&info)} == Hr{S_OK});
            FoundComponent fc{text(info->bstrLogicalPath), text(info->bstrComponentName), text(info->bstrCaption),
                              info->type, info->bSelectable, info->bSelectableForRestore, {}};
            for (UINT f = 0; f < info->cFileCount; ++f) {
                IVssWMFiledesc *d = nullptr;
                REQUIRE(Hr{comp->GetFile(f, &d)} == Hr{S_OK});
                fc.files.push_back(describe(d));
            }
            for (UINT f = 0; f < info->cDatabases; ++f) {
                IVssWMFiledesc *d = nullptr;
                REQUIRE(Hr{comp->GetDatabaseFile(f, &d)} == Hr{S_OK});
                fc.files.push_back(describe(d));
            }
            comp->FreeComponentInfo(info);
            comp->Release();
            w.components.push_back(std::move(fc));
        }
        out[text(name)] = std::move(w);
        SysFreeString(name);
        SysFreeString(service);
        SysFreeString(procedure);
        md->Release();
    }
    return out;
}

struct Backup {
    IVssBackupComponents *p = nullptr;
    explicit Backup(std::string profile)
    {
        vsssim::test::makeService(std::move(profile));
        REQUIRE(Hr{CreateVssBackupComponents(&p)} == Hr{S_OK});
        REQUIRE(Hr{p->InitializeForBackup(nullptr)} == Hr{S_OK});
        REQUIRE(Hr{p->SetBackupState(true, true, VSS_BT_FULL, false)} == Hr{S_OK});
    }
    ~Backup() { p->Release(); }
};

bool systemState(VSS_USAGE_TYPE u)
{
    return u == VSS_UT_BOOTABLESYSTEMSTATE || u == VSS_UT_SYSTEMSERVICE;
}

} // namespace

TEST_CASE("system state: selecting by usage type finds the in-box system-state writers with their components")
{
    Backup b("win-client");
    const auto found = examine(b.p);
    std::set<std::wstring> stateWriters;
    std::size_t added = 0;
    for (const auto &[name, w] : found) {
        if (!systemState(w.usage))
            continue;
        stateWriters.insert(name);
        added += w.components.size();
    }
    for (const wchar_t *expected : {L"System Writer", L"ASR Writer", L"Registry Writer", L"COM+ REGDB Writer",
                                    L"WMI Writer", L"Task Scheduler Writer", L"Performance Counters Writer",
                                    L"VSS Metadata Store Writer"})
        CHECK_MESSAGE(stateWriters.count(expected) == 1, toUtf8(expected));
    CHECK(stateWriters.count(L"MSSearch Service Writer") == 0);
    CHECK(stateWriters.count(L"Shadow Copy Optimization Writer") == 0);
    CHECK(added >= 10);

    // The bootable-state / system-services split of IBM's system-state page: WMI is a service.
    CHECK(found.at(L"WMI Writer").usage == VSS_UT_SYSTEMSERVICE);
    CHECK(found.at(L"System Writer").usage == VSS_UT_BOOTABLESYSTEMSTATE);
    CHECK(found.at(L"Registry Writer").usage == VSS_UT_BOOTABLESYSTEMSTATE);
}

TEST_CASE("system state: every in-box writer declares a restore method, and the cited ones are what the table says")
{
    Backup b("win-client");
    const auto found = examine(b.p);
    for (const auto &entry : found) {
        const std::string name = toUtf8(entry.first);
        CHECK_MESSAGE(entry.second.method != VSS_RME_UNDEFINED, name);
        CHECK_MESSAGE(entry.second.writerRestore != VSS_WRE_UNDEFINED, name);
    }
    // Restoring COM+ takes ICOMAdminCatalog::RestoreREGDB, the System Writer's restore lays down
    // files, registry and ACLs (In-Box VSS Writers page): custom restores the writers take part in.
    for (const wchar_t *custom : {L"COM+ REGDB Writer", L"System Writer", L"ASR Writer", L"Registry Writer"}) {
        CHECK_MESSAGE(found.at(custom).method == VSS_RME_CUSTOM, toUtf8(custom));
        CHECK_MESSAGE(found.at(custom).writerRestore == VSS_WRE_ALWAYS, toUtf8(custom));
    }
    for (const vsssim::ProfileWriter &row : vsssim::profileWriters("win-client")) {
        const FoundWriter &w = found.at(std::wstring(row.name.begin(), row.name.end()));
        CHECK(w.method == row.restore.method);
        CHECK(w.writerRestore == row.restore.writerRestore);
        CHECK(w.reboot == row.restore.rebootRequired);
        CHECK(w.source == row.sourceType);
        CHECK(w.excludes == row.excludeFiles.size());
        REQUIRE(w.components.size() == row.components.size());
        for (std::size_t i = 0; i < row.components.size(); ++i) {
            CHECK(w.components[i].name == row.components[i].name);
            CHECK(w.components[i].logicalPath == row.components[i].logicalPath);
            CHECK(w.components[i].caption == row.components[i].caption);
            CHECK(w.components[i].selectable == row.components[i].selectable);
        }
    }
}

TEST_CASE("system state: the captured component names, logical paths and captions")
{
    Backup b("win-client");
    const auto found = examine(b.p);
    auto component = [&](const wchar_t *writer, const wchar_t *name) -> const FoundComponent & {
        for (const FoundComponent &c : found.at(writer).components)
            if (c.name == name)
                return c;
        FAIL("no component ", toUtf8(name), " of ", toUtf8(writer));
        throw 0;
    };
    // "Registry Writer:\Registry" (vshadow-tool-examples.md): top level, named Registry.
    CHECK(component(L"Registry Writer", L"Registry").logicalPath.empty());
    CHECK_FALSE(component(L"Registry Writer", L"Registry").caption.empty());
    // diskshadow's "\TasksStore" (restic#340).
    CHECK(component(L"Task Scheduler Writer", L"TasksStore").files ==
          std::vector<std::wstring>{L"C:\\Windows\\System32\\Tasks|*|r", L"C:\\Windows\\Tasks|*|r"});
    // ASR: Disks\harddiskN and BCD\BCD (the ASR page); the ASR component is not optional.
    CHECK(component(L"ASR Writer", L"harddisk0").logicalPath == L"Disks");
    CHECK(component(L"ASR Writer", L"BCD").logicalPath == L"BCD");
    CHECK_FALSE(component(L"ASR Writer", L"BCD").caption.empty());
    CHECK_FALSE(component(L"ASR Writer", L"ASR").selectable);
    CHECK(component(L"COM+ REGDB Writer", L"COM+ REGDB").files == std::vector<std::wstring>{L"C:\\Windows\\Registration|R*.clb|"});
    CHECK(found.at(L"System Writer").excludes == 1);
    CHECK(found.at(L"Shadow Copy Optimization Writer").components.empty());
}

TEST_CASE("system state: NTDS declares its database exactly as Microsoft's page prints it")
{
    Backup b("ad-dc");
    const auto found = examine(b.p);
    const FoundWriter &ntds = found.at(L"NTDS");
    CHECK(ntds.usage == VSS_UT_BOOTABLESYSTEMSTATE);
    REQUIRE(ntds.components.size() == 1);
    const FoundComponent &c = ntds.components[0];
    CHECK(c.type == VSS_CT_DATABASE);
    CHECK(c.logicalPath == L"C:_Windows_NTDS");
    CHECK(c.name == L"ntds");
    CHECK_FALSE(c.selectable);
    CHECK_FALSE(c.selectableForRestore);
    CHECK(c.files == std::vector<std::wstring>{L"C:\\Windows\\NTDS|ntds.dit|"});
}

TEST_CASE("system state: SqlServerWriter's databases sit under the server's name")
{
    Backup b("sql");
    const auto found = examine(b.p);
    const FoundWriter &sql = found.at(L"SqlServerWriter");
    CHECK(sql.source == VSS_ST_TRANSACTEDDB);
    std::set<std::wstring> names;
    for (const FoundComponent &c : sql.components) {
        CHECK(c.type == VSS_CT_DATABASE);
        CHECK(c.logicalPath == L"VSSSIM-HOST");
        names.insert(c.name);
    }
    CHECK(names == std::set<std::wstring>{L"master", L"model", L"msdb"});
}

TEST_CASE("system state: vshadow -wm reads the same declarations")
{
    auto svc = vsssim::test::makeService("win-client");
    HRESULT hr = E_FAIL;
    const auto writers = vsssim::observeWriterMetadata(*svc, &hr);
    REQUIRE(Hr{hr} == Hr{S_OK});
    auto lock = svc->lock();
    const std::string out = vsssim::formatVShadowMetadata(writers, svc->volumes(), {});
    CHECK(out.find("* WRITER \"Registry Writer\"\n    - Writer ID   = {afbab4a2-367d-4d15-a586-71dbb18f8485}\n") !=
          std::string::npos);
    CHECK(out.find("    - Component \"Registry Writer:\\Registry\"\n       - Name: 'Registry'\n"
                   "       - Logical Path: ''\n       - Full Path: '\\Registry'\n") != std::string::npos);
    CHECK(out.find("    - Component \"ASR Writer:\\BCD\\BCD\"\n") != std::string::npos);
    CHECK(out.find("       - Is top level: 'TRUE'\n") != std::string::npos);
    CHECK(out.find("    - Excluded files:\n       - Exclude: Path = C:\\Windows\\Microsoft.NET") != std::string::npos);
    CHECK(out.find("- Number of writers that responded: 10\n") != std::string::npos);
}
