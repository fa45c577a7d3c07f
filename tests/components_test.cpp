// Writer metadata (MetadataBuilder, IVssExamineWriterMetadataEx2 and its helpers, the WMD XML) and
// the BCD components (IVssComponentEx2 in handler and requester mode, IVssWriterComponents(Ext)):
// every field round trip, the return-code rules, BSTR ownership and reference counts.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <iterator>
#include <optional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <windows.h>
#include <vsbackup.h>
#include <vsssim/vsssim.h>
#include <vswriter.h>

#include "boundary/bstr.h"
#include "boundary/component.h"
#include "boundary/metadata.h"
#include "core/names.h"
#include "service/bcd_xml.h"
#include "service/service.h"
#include "service/session.h"
#include "service/wmd_xml.h"

namespace vsssim::detail {
EventCall *exchangeCurrentEventCall(EventCall *call) noexcept;
}

using vsssim::Hr;

namespace {

using namespace vsssim;

constexpr GUID kClass = {0x12345678, 0x9abc, 0xdef0, {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef}};
constexpr GUID kInstance = {0xfedcba98, 0x7654, 0x3210, {0xf0, 0xe1, 0xd2, 0xc3, 0xb4, 0xa5, 0x96, 0x87}};
constexpr GUID kOtherClass = {0x0badf00d, 0x1111, 0x2222, {0x33, 0x33, 0x44, 0x44, 0x55, 0x55, 0x66, 0x66}};
constexpr GUID kOtherInstance = {0xdeadbeef, 0x1234, 0x5678, {0x9a, 0xbc, 0xde, 0xf0, 0x12, 0x34, 0x56, 0x78}};

/// The text of a BSTR, which is then freed: every test hands back what it was given.
std::wstring take(BSTR &b)
{
    REQUIRE(b != nullptr);
    std::wstring s(b, SysStringLen(b));
    SysFreeString(b);
    b = nullptr;
    return s;
}

/// Releases an interface pointer at scope exit.
template <class T>
struct Ref {
    T *p = nullptr;
    Ref() = default;
    explicit Ref(T *ptr) : p(ptr) {}
    Ref(const Ref &) = delete;
    Ref &operator=(const Ref &) = delete;
    ~Ref()
    {
        if (p)
            p->Release();
    }
    T *operator->() const { return p; }
    T **operator&() { return &p; }
    explicit operator bool() const { return p != nullptr; }
};

/// liveBstrCount() and liveObjectCount() must be back where they started when a case ends.
struct LeakCheck {
    std::size_t bstrs = liveBstrCount();
    std::size_t objects = liveObjectCount();
    ~LeakCheck()
    {
        CHECK(liveBstrCount() == bstrs);
        CHECK(liveObjectCount() == objects);
    }
};

std::shared_ptr<Service> makeService()
{
    ServiceOptions o;
    o.profiles = {"none"};
    return std::make_shared<Service>(std::move(o));
}

WriterIdentity sampleIdentity()
{
    WriterIdentity id;
    id.classId = kClass;
    id.instanceId = kInstance;
    id.name = "Sample Writer \xc3\xa9";
    id.wideName = L"Sample Writer \u00e9 <&\"'>";
    id.instanceName = L"Instance\tone";
    id.versionMajor = 7;
    id.versionMinor = 0xFFFFFFFFu;
    id.usage = VSS_UT_USERDATA;
    id.source = VSS_ST_TRANSACTEDDB;
    id.level = VSS_APP_AUTO;
    id.freezeTimeout = ms(12'345'678'901LL);
    id.eventFlags = VSS_SM_POST_SNAPSHOT_FLAG | VSS_SM_BACKUP_EVENTS_FLAG;
    return id;
}

WriterMetadata sampleMetadata()
{
    WriterMetadata md;
    md.includeFiles.push_back(FileSpec{L"C:\\Data", L"*.db", true, L"D:\\Alt", 0x0F0F});
    md.excludeFiles.push_back(FileSpec{L"C:\\Data\\tmp", L"*.tmp", false, L"", 0x0001});
    md.excludeFromSnapshot.push_back(FileSpec{L"C:\\Cache", L"*", true, L"", 0x0100});
    md.alternateMappings.push_back(FileSpec{L"C:\\Data", L"*.log", false, L"E:\\Restore", 0x0F0F});

    ComponentDecl db;
    db.type = VSS_CT_DATABASE;
    db.logicalPath = L"Instances\\Main";
    db.name = L"Orders";
    db.caption = std::wstring(L"Orders \"db\"\nline\0two", 20);
    db.restoreMetadata = true;
    db.notifyOnBackupComplete = true;
    db.selectable = false;
    db.selectableForRestore = true;
    db.flags = VSS_CF_APP_ROLLBACK_RECOVERY;
    db.files.push_back(FileSpec{L"C:\\Db", L"orders.mdf", false, L"", 0x0F0F});
    db.logFiles.push_back(FileSpec{L"C:\\Logs", L"orders.ldf", false, L"", 0x0008});
    db.dependencies.push_back(Dependency{kOtherClass, L"Other\\Path", L"Other"});

    ComponentDecl fg;
    fg.type = VSS_CT_FILEGROUP;
    fg.name = L"Config";
    fg.icon = {0x00, 0x7f, 0x80, 0xff, 0x10};
    fg.files.push_back(FileSpec{L"C:\\Cfg", L"*.ini", true, L"F:\\AltCfg", 0x10000});

    md.components = {db, fg};
    md.restoreMethod = RestoreMethod{VSS_RME_STOP_RESTORE_START, L"OrdersSvc", L"http://x/restore?a=1&b=2",
                                     VSS_WRE_IF_REPLACE_FAILS, true};
    md.backupSchema = VSS_BS_DIFFERENTIAL | VSS_BS_LAST_MODIFY;
    return md;
}

void checkSame(const FileSpec &a, const FileSpec &b)
{
    CHECK(a.path == b.path);
    CHECK(a.filespec == b.filespec);
    CHECK(a.recursive == b.recursive);
    CHECK(a.alternateLocation == b.alternateLocation);
    CHECK(a.backupTypeMask == b.backupTypeMask);
}

void checkSame(const std::vector<FileSpec> &a, const std::vector<FileSpec> &b)
{
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i)
        checkSame(a[i], b[i]);
}

void checkSame(const WriterIdentity &a, const WriterIdentity &b)
{
    CHECK(a.classId == b.classId);
    CHECK(a.instanceId == b.instanceId);
    CHECK(a.name == b.name);
    CHECK(a.wideName == b.wideName);
    CHECK(a.instanceName == b.instanceName);
    CHECK(a.versionMajor == b.versionMajor);
    CHECK(a.versionMinor == b.versionMinor);
    CHECK(a.usage == b.usage);
    CHECK(a.source == b.source);
    CHECK(a.level == b.level);
    CHECK(a.freezeTimeout == b.freezeTimeout);
    CHECK(a.eventFlags == b.eventFlags);
}

void checkSame(const WriterMetadata &a, const WriterMetadata &b)
{
    checkSame(a.includeFiles, b.includeFiles);
    checkSame(a.excludeFiles, b.excludeFiles);
    checkSame(a.excludeFromSnapshot, b.excludeFromSnapshot);
    checkSame(a.alternateMappings, b.alternateMappings);
    CHECK(a.backupSchema == b.backupSchema);
    CHECK(a.restoreMethod.method == b.restoreMethod.method);
    CHECK(a.restoreMethod.service == b.restoreMethod.service);
    CHECK(a.restoreMethod.userProcedure == b.restoreMethod.userProcedure);
    CHECK(a.restoreMethod.writerRestore == b.restoreMethod.writerRestore);
    CHECK(a.restoreMethod.rebootRequired == b.restoreMethod.rebootRequired);
    REQUIRE(a.components.size() == b.components.size());
    for (std::size_t i = 0; i < a.components.size(); ++i) {
        const ComponentDecl &x = a.components[i];
        const ComponentDecl &y = b.components[i];
        CHECK(x.type == y.type);
        CHECK(x.logicalPath == y.logicalPath);
        CHECK(x.name == y.name);
        CHECK(x.caption == y.caption);
        CHECK(x.icon == y.icon);
        CHECK(x.restoreMetadata == y.restoreMetadata);
        CHECK(x.notifyOnBackupComplete == y.notifyOnBackupComplete);
        CHECK(x.selectable == y.selectable);
        CHECK(x.selectableForRestore == y.selectableForRestore);
        CHECK(x.flags == y.flags);
        checkSame(x.files, y.files);
        checkSame(x.logFiles, y.logFiles);
        REQUIRE(x.dependencies.size() == y.dependencies.size());
        for (std::size_t d = 0; d < x.dependencies.size(); ++d) {
            CHECK(x.dependencies[d].writerId == y.dependencies[d].writerId);
            CHECK(x.dependencies[d].logicalPath == y.dependencies[d].logicalPath);
            CHECK(x.dependencies[d].componentName == y.dependencies[d].componentName);
        }
    }
}

/// Reads one IVssWMFiledesc completely.
FileSpec readFiledesc(IVssWMFiledesc *f)
{
    FileSpec s;
    BSTR b = nullptr;
    REQUIRE(Hr{f->GetPath(&b)} == Hr{S_OK});
    s.path = take(b);
    REQUIRE(Hr{f->GetFilespec(&b)} == Hr{S_OK});
    s.filespec = take(b);
    REQUIRE(Hr{f->GetRecursive(&s.recursive)} == Hr{S_OK});
    const HRESULT alt = f->GetAlternateLocation(&b);
    if (alt == S_FALSE) {
        CHECK(b == nullptr);  // Microsoft: no alternate location, NULL
    } else {
        REQUIRE(Hr{alt} == Hr{S_OK});
        s.alternateLocation = take(b);
    }
    REQUIRE(Hr{f->GetBackupTypeMask(&s.backupTypeMask)} == Hr{S_OK});
    return s;
}

/// The writer side of an event: makes call current on this thread for the scope, as the service does.
struct Handler {
    EventCall call;
    EventCall *previous;
    Handler(Session &s, Input event) : previous(nullptr)
    {
        call.event = event;
        call.session = &s;
        previous = detail::exchangeCurrentEventCall(&call);
    }
    ~Handler() { detail::exchangeCurrentEventCall(previous); }
    Handler(const Handler &) = delete;
    Handler &operator=(const Handler &) = delete;
};

ComponentRecord record(const GUID &instance, const GUID &writer, std::wstring name, std::wstring path = L"")
{
    ComponentRecord c;
    c.instanceId = instance;
    c.writerId = writer;
    c.type = VSS_CT_FILEGROUP;
    c.logicalPath = std::move(path);
    c.name = std::move(name);
    return c;
}

/// A component of a fresh requester-side IVssWriterComponentsExt, as IVssComponentEx2.
IVssComponentEx2 *requesterComponent(const std::shared_ptr<Session> &s, UINT index, HRESULT writerOverride = S_OK)
{
    Ref<IVssWriterComponentsExt> ext(makeRequesterComponents(s, kInstance, kClass, writerOverride));
    Ref<IVssComponent> c;
    REQUIRE(Hr{ext->GetComponent(index, &c)} == Hr{S_OK});
    IVssComponentEx2 *ex2 = nullptr;
    REQUIRE(Hr{c->QueryInterface(IID_IVssComponentEx2, reinterpret_cast<void **>(&ex2))} == Hr{S_OK});
    return ex2;
}

std::size_t mistakes(const Service &svc, std::string_view id)
{
    std::size_t n = 0;
    for (const Mistake &m : svc.mistakes())
        if (m.id == id)
            ++n;
    return n;
}

} // namespace

TEST_SUITE("components")
{

// ---------------------------------------------------------------------------------------------
// Writer metadata

TEST_CASE("MetadataBuilder -> WriterMetadata -> IVssExamineWriterMetadataEx2: every field through the COM getters")
{
    LeakCheck leaks;
    const WriterIdentity id = sampleIdentity();
    WriterMetadata md;
    MetadataBuilder builder(md, id);
    IVssCreateWriterMetadataEx *w = &builder;
    const BYTE icon[] = {0x00, 0x7f, 0x80, 0xff, 0x10};

    REQUIRE(Hr{w->AddIncludeFiles(L"C:\\Data", L"*.db", true, L"D:\\Alt")} == Hr{S_OK});
    REQUIRE(Hr{w->AddExcludeFiles(L"C:\\Data\\tmp", L"*.tmp", false)} == Hr{S_OK});
    REQUIRE(Hr{w->AddExcludeFilesFromSnapshot(L"C:\\Cache", L"*", true)} == Hr{S_OK});
    REQUIRE(Hr{w->AddComponent(VSS_CT_DATABASE, L"Instances\\Main", L"Orders", L"Orders db", nullptr, 0, true, true,
                               false, true, VSS_CF_APP_ROLLBACK_RECOVERY)} == Hr{S_OK});
    REQUIRE(Hr{w->AddComponent(VSS_CT_FILEGROUP, nullptr, L"Config", nullptr, icon, sizeof icon, false, false, true)} ==
            Hr{S_OK});
    REQUIRE(Hr{w->AddDatabaseFiles(L"Instances\\Main", L"Orders", L"C:\\Db", L"orders.mdf")} == Hr{S_OK});
    REQUIRE(Hr{w->AddDatabaseLogFiles(L"Instances\\Main", L"Orders", L"C:\\Logs", L"orders.ldf", 0x0008)} == Hr{S_OK});
    REQUIRE(Hr{w->AddFilesToFileGroup(nullptr, L"Config", L"C:\\Cfg", L"*.ini", true, L"F:\\AltCfg", 0x10000)} ==
            Hr{S_OK});
    REQUIRE(Hr{w->AddComponentDependency(L"Instances\\Main", L"Orders", kOtherClass, L"Other\\Path", L"Other")} ==
            Hr{S_OK});
    REQUIRE(Hr{w->SetRestoreMethod(VSS_RME_STOP_RESTORE_START, L"OrdersSvc", L"http://x/restore", VSS_WRE_ALWAYS, true)} ==
            Hr{S_OK});
    REQUIRE(Hr{w->AddAlternateLocationMapping(L"C:\\Data", L"*.log", false, L"E:\\Restore")} == Hr{S_OK});
    REQUIRE(Hr{w->SetBackupSchema(VSS_BS_DIFFERENTIAL | VSS_BS_LAST_MODIFY)} == Hr{S_OK});

    Ref<IVssExamineWriterMetadata> base(makeExamineWriterMetadata(id, md));
    Ref<IVssExamineWriterMetadataEx2> ex2;
    REQUIRE(Hr{base->QueryInterface(IID_IVssExamineWriterMetadataEx2, reinterpret_cast<void **>(&ex2))} == Hr{S_OK});

    VSS_ID instance{}, writer{};
    VSS_USAGE_TYPE usage{};
    VSS_SOURCE_TYPE source{};
    BSTR name = nullptr, instanceName = nullptr;
    REQUIRE(Hr{ex2->GetIdentity(&instance, &writer, &name, &usage, &source)} == Hr{S_OK});
    CHECK(instance == kInstance);
    CHECK(writer == kClass);
    CHECK(take(name) == id.wideName);
    CHECK(usage == VSS_UT_USERDATA);
    CHECK(source == VSS_ST_TRANSACTEDDB);
    REQUIRE(Hr{ex2->GetIdentityEx(&instance, &writer, &name, &instanceName, &usage, &source)} == Hr{S_OK});
    CHECK(take(name) == id.wideName);
    CHECK(take(instanceName) == L"Instance\tone");
    DWORD major = 0, minor = 0;
    REQUIRE(Hr{ex2->GetVersion(&major, &minor)} == Hr{S_OK});
    CHECK(major == 7);
    CHECK(minor == 0xFFFFFFFFu);

    UINT includes = 0, excludes = 0, components = 0, fromSnapshot = 0;
    REQUIRE(Hr{ex2->GetFileCounts(&includes, &excludes, &components)} == Hr{S_OK});
    CHECK(includes == 1);
    CHECK(excludes == 1);
    CHECK(components == 2);
    REQUIRE(Hr{ex2->GetExcludeFromSnapshotCount(&fromSnapshot)} == Hr{S_OK});
    CHECK(fromSnapshot == 1);
    {
        Ref<IVssWMFiledesc> f;
        REQUIRE(Hr{ex2->GetIncludeFile(0, &f)} == Hr{S_OK});
        checkSame(readFiledesc(f.p), FileSpec{L"C:\\Data", L"*.db", true, L"D:\\Alt", 0x0F0F});
    }
    {
        Ref<IVssWMFiledesc> f;
        REQUIRE(Hr{ex2->GetExcludeFile(0, &f)} == Hr{S_OK});
        checkSame(readFiledesc(f.p), FileSpec{L"C:\\Data\\tmp", L"*.tmp", false, L"", 0x0F0F});
    }
    {
        Ref<IVssWMFiledesc> f;
        REQUIRE(Hr{ex2->GetExcludeFromSnapshotFile(0, &f)} == Hr{S_OK});
        checkSame(readFiledesc(f.p), FileSpec{L"C:\\Cache", L"*", true, L"", 0x0F0F});
    }

    {
        Ref<IVssWMComponent> c;
        REQUIRE(Hr{ex2->GetComponent(0, &c)} == Hr{S_OK});
        PVSSCOMPONENTINFO info = nullptr;
        REQUIRE(Hr{c->GetComponentInfo(&info)} == Hr{S_OK});
        CHECK(info->type == VSS_CT_DATABASE);
        CHECK(std::wstring(info->bstrLogicalPath) == L"Instances\\Main");
        CHECK(std::wstring(info->bstrComponentName) == L"Orders");
        CHECK(std::wstring(info->bstrCaption) == L"Orders db");
        CHECK(info->pbIcon == nullptr);
        CHECK(info->cbIcon == 0);
        CHECK(info->bRestoreMetadata);
        CHECK(info->bNotifyOnBackupComplete);
        CHECK_FALSE(info->bSelectable);
        CHECK(info->bSelectableForRestore);
        CHECK(info->dwComponentFlags == VSS_CF_APP_ROLLBACK_RECOVERY);
        CHECK(info->cFileCount == 0);
        CHECK(info->cDatabases == 1);
        CHECK(info->cLogFiles == 1);
        CHECK(info->cDependencies == 1);
        REQUIRE(Hr{c->FreeComponentInfo(info)} == Hr{S_OK});

        Ref<IVssWMFiledesc> db, log, none;
        REQUIRE(Hr{c->GetDatabaseFile(0, &db)} == Hr{S_OK});
        checkSame(readFiledesc(db.p), FileSpec{L"C:\\Db", L"orders.mdf", false, L"", 0x0F0F});
        REQUIRE(Hr{c->GetDatabaseLogFile(0, &log)} == Hr{S_OK});
        checkSame(readFiledesc(log.p), FileSpec{L"C:\\Logs", L"orders.ldf", false, L"", 0x0008});
        CHECK(Hr{c->GetFile(0, &none)} == Hr{VSS_E_OBJECT_NOT_FOUND});  // a database has no file-group files
        CHECK(none.p == nullptr);

        Ref<IVssWMDependency> dep;
        REQUIRE(Hr{c->GetDependency(0, &dep)} == Hr{S_OK});
        VSS_ID on{};
        BSTR b = nullptr;
        REQUIRE(Hr{dep->GetWriterId(&on)} == Hr{S_OK});
        CHECK(on == kOtherClass);
        REQUIRE(Hr{dep->GetLogicalPath(&b)} == Hr{S_OK});
        CHECK(take(b) == L"Other\\Path");
        REQUIRE(Hr{dep->GetComponentName(&b)} == Hr{S_OK});
        CHECK(take(b) == L"Other");
    }
    {
        Ref<IVssWMComponent> c;
        REQUIRE(Hr{ex2->GetComponent(1, &c)} == Hr{S_OK});
        PVSSCOMPONENTINFO info = nullptr;
        REQUIRE(Hr{c->GetComponentInfo(&info)} == Hr{S_OK});
        CHECK(info->type == VSS_CT_FILEGROUP);
        CHECK(SysStringLen(info->bstrLogicalPath) == 0);
        CHECK(std::wstring(info->bstrComponentName) == L"Config");
        REQUIRE(info->cbIcon == sizeof icon);
        CHECK(std::memcmp(info->pbIcon, icon, sizeof icon) == 0);
        CHECK_FALSE(info->bSelectableForRestore);  // the default argument
        CHECK(info->dwComponentFlags == 0);
        CHECK(info->cFileCount == 1);
        CHECK(info->cDatabases == 0);
        REQUIRE(Hr{c->FreeComponentInfo(info)} == Hr{S_OK});
        Ref<IVssWMFiledesc> f;
        REQUIRE(Hr{c->GetFile(0, &f)} == Hr{S_OK});
        checkSame(readFiledesc(f.p), FileSpec{L"C:\\Cfg", L"*.ini", true, L"F:\\AltCfg", 0x10000});
    }

    VSS_RESTOREMETHOD_ENUM method{};
    VSS_WRITERRESTORE_ENUM writerRestore{};
    bool reboot = false;
    UINT mappings = 0;
    BSTR service = nullptr, procedure = nullptr;
    REQUIRE(Hr{ex2->GetRestoreMethod(&method, &service, &procedure, &writerRestore, &reboot, &mappings)} == Hr{S_OK});
    CHECK(method == VSS_RME_STOP_RESTORE_START);
    CHECK(take(service) == L"OrdersSvc");
    CHECK(take(procedure) == L"http://x/restore");
    CHECK(writerRestore == VSS_WRE_ALWAYS);
    CHECK(reboot);
    CHECK(mappings == 1);
    {
        Ref<IVssWMFiledesc> f;
        REQUIRE(Hr{ex2->GetAlternateLocationMapping(0, &f)} == Hr{S_OK});
        checkSame(readFiledesc(f.p), FileSpec{L"C:\\Data", L"*.log", false, L"E:\\Restore", 0x0F0F});
    }
    DWORD schema = 0;
    REQUIRE(Hr{ex2->GetBackupSchema(&schema)} == Hr{S_OK});
    CHECK(schema == (VSS_BS_DIFFERENTIAL | VSS_BS_LAST_MODIFY));

    // The builder's own SaveAsXML writes the same document.
    BSTR fromBuilder = nullptr, fromExamine = nullptr;
    REQUIRE(Hr{w->SaveAsXML(&fromBuilder)} == Hr{S_OK});
    REQUIRE(Hr{ex2->SaveAsXML(&fromExamine)} == Hr{S_OK});
    CHECK(take(fromBuilder) == take(fromExamine));
}

TEST_CASE("GetRestoreMethod: service only for stop/start methods, NULL user procedure, S_FALSE when undefined")
{
    LeakCheck leaks;
    WriterMetadata md;
    md.restoreMethod = RestoreMethod{VSS_RME_RESTORE_IF_CAN_REPLACE, L"IgnoredSvc", L"", VSS_WRE_NEVER, false};
    Ref<IVssExamineWriterMetadata> m(makeExamineWriterMetadata(sampleIdentity(), md));
    VSS_RESTOREMETHOD_ENUM method{};
    VSS_WRITERRESTORE_ENUM wr{};
    bool reboot = true;
    UINT mappings = 9;
    BSTR service = reinterpret_cast<BSTR>(1), procedure = reinterpret_cast<BSTR>(1);
    CHECK(Hr{m->GetRestoreMethod(&method, &service, &procedure, &wr, &reboot, &mappings)} == Hr{S_OK});
    CHECK(service == nullptr);
    CHECK(procedure == nullptr);
    CHECK(method == VSS_RME_RESTORE_IF_CAN_REPLACE);
    CHECK(mappings == 0);

    Ref<IVssExamineWriterMetadata> undefined(makeExamineWriterMetadata(sampleIdentity(), WriterMetadata{}));
    CHECK(Hr{undefined->GetRestoreMethod(&method, &service, &procedure, &wr, &reboot, &mappings)} == Hr{S_FALSE});
    CHECK(method == VSS_RME_UNDEFINED);
}

TEST_CASE("MetadataBuilder rejects bad calls and records nothing")
{
    LeakCheck leaks;
    const WriterIdentity id = sampleIdentity();
    WriterMetadata md;
    MetadataBuilder builder(md, id);
    // Writers call through the interface, where the SDK's default arguments live.
    IVssCreateWriterMetadataEx &b = builder;
    REQUIRE(Hr{b.AddComponent(VSS_CT_FILEGROUP, L"P", L"Files", nullptr, nullptr, 0, false, false, true)} == Hr{S_OK});
    REQUIRE(Hr{b.AddComponent(VSS_CT_DATABASE, L"P", L"Db", nullptr, nullptr, 0, false, false, true)} == Hr{S_OK});
    const BYTE icon[] = {1};

    struct Row {
        const char *what;
        std::function<HRESULT()> call;
        HRESULT expected;
    };
    const Row rows[] = {
        {"AddIncludeFiles NULL path", [&] { return b.AddIncludeFiles(nullptr, L"*", false, nullptr); }, E_INVALIDARG},
        {"AddIncludeFiles NULL filespec", [&] { return b.AddIncludeFiles(L"C:\\", nullptr, false, nullptr); }, E_INVALIDARG},
        {"AddExcludeFiles NULL path", [&] { return b.AddExcludeFiles(nullptr, L"*", false); }, E_INVALIDARG},
        {"AddExcludeFilesFromSnapshot NULL filespec", [&] { return b.AddExcludeFilesFromSnapshot(L"C:\\", nullptr, false); }, E_INVALIDARG},
        {"AddComponent NULL name", [&] { return b.AddComponent(VSS_CT_FILEGROUP, nullptr, nullptr, nullptr, nullptr, 0, false, false, true); }, E_INVALIDARG},
        {"AddComponent empty name", [&] { return b.AddComponent(VSS_CT_FILEGROUP, nullptr, L"", nullptr, nullptr, 0, false, false, true); }, E_INVALIDARG},
        {"AddComponent name with a backslash", [&] { return b.AddComponent(VSS_CT_FILEGROUP, nullptr, L"a\\b", nullptr, nullptr, 0, false, false, true); }, E_INVALIDARG},
        {"AddComponent VSS_CT_UNDEFINED", [&] { return b.AddComponent(VSS_CT_UNDEFINED, nullptr, L"U", nullptr, nullptr, 0, false, false, true); }, E_INVALIDARG},
        {"AddComponent icon size without icon", [&] { return b.AddComponent(VSS_CT_FILEGROUP, nullptr, L"I", nullptr, nullptr, 4, false, false, true); }, E_INVALIDARG},
        {"AddComponent duplicate path and name", [&] { return b.AddComponent(VSS_CT_DATABASE, L"P", L"Files", nullptr, icon, 1, false, false, true); }, VSS_E_OBJECT_ALREADY_EXISTS},
        {"AddDatabaseFiles undeclared", [&] { return b.AddDatabaseFiles(L"P", L"Nope", L"C:\\", L"*"); }, VSS_E_OBJECT_NOT_FOUND},
        {"AddDatabaseFiles wrong logical path", [&] { return b.AddDatabaseFiles(nullptr, L"Db", L"C:\\", L"*"); }, VSS_E_OBJECT_NOT_FOUND},
        {"AddDatabaseFiles on a file group", [&] { return b.AddDatabaseFiles(L"P", L"Files", L"C:\\", L"*"); }, E_INVALIDARG},
        {"AddDatabaseFiles NULL path", [&] { return b.AddDatabaseFiles(L"P", L"Db", nullptr, L"*"); }, E_INVALIDARG},
        {"AddDatabaseLogFiles undeclared", [&] { return b.AddDatabaseLogFiles(L"P", L"Nope", L"C:\\", L"*"); }, VSS_E_OBJECT_NOT_FOUND},
        {"AddDatabaseLogFiles NULL name", [&] { return b.AddDatabaseLogFiles(L"P", nullptr, L"C:\\", L"*"); }, E_INVALIDARG},
        {"AddFilesToFileGroup undeclared", [&] { return b.AddFilesToFileGroup(L"P", L"Nope", L"C:\\", L"*", false, nullptr); }, VSS_E_OBJECT_NOT_FOUND},
        {"AddFilesToFileGroup on a database", [&] { return b.AddFilesToFileGroup(L"P", L"Db", L"C:\\", L"*", false, nullptr); }, E_INVALIDARG},
        {"AddFilesToFileGroup NULL filespec", [&] { return b.AddFilesToFileGroup(L"P", L"Files", L"C:\\", nullptr, false, nullptr); }, E_INVALIDARG},
        {"AddComponentDependency undeclared", [&] { return b.AddComponentDependency(L"P", L"Nope", kOtherClass, nullptr, L"X"); }, VSS_E_OBJECT_NOT_FOUND},
        {"AddComponentDependency NULL on-name", [&] { return b.AddComponentDependency(L"P", L"Files", kOtherClass, nullptr, nullptr); }, E_INVALIDARG},
        {"AddAlternateLocationMapping NULL destination", [&] { return b.AddAlternateLocationMapping(L"C:\\", L"*", false, nullptr); }, E_INVALIDARG},
        // 9 names no method yet fits the enum's value range, so passing it is defined behaviour.
        {"SetRestoreMethod out of range", [&] { return b.SetRestoreMethod(static_cast<VSS_RESTOREMETHOD_ENUM>(9), nullptr, nullptr, VSS_WRE_NEVER, false); }, E_INVALIDARG},
        {"SaveAsXML NULL", [&] { return b.SaveAsXML(nullptr); }, E_INVALIDARG},
        {"GetDocument", [&] { IXMLDOMDocument *d = nullptr; return b.GetDocument(&d); }, E_NOTIMPL},
    };
    for (const Row &r : rows) {
        INFO(r.what);
        CHECK(Hr{r.call()} == Hr{r.expected});
    }
    CHECK(md.includeFiles.empty());
    CHECK(md.excludeFiles.empty());
    CHECK(md.excludeFromSnapshot.empty());
    CHECK(md.alternateMappings.empty());
    REQUIRE(md.components.size() == 2);
    for (const ComponentDecl &c : md.components) {
        CHECK(c.files.empty());
        CHECK(c.logFiles.empty());
        CHECK(c.dependencies.empty());
    }
    CHECK(md.restoreMethod.method == VSS_RME_UNDEFINED);

    // The same (path, name) under another logical path is another component.
    CHECK(Hr{b.AddComponent(VSS_CT_FILEGROUP, L"Q", L"Files", nullptr, nullptr, 0, false, false, true)} == Hr{S_OK});
}

TEST_CASE("MetadataBuilder QueryInterface: IUnknown and IVssCreateWriterMetadataEx, fixed count")
{
    WriterMetadata md;
    const WriterIdentity id = sampleIdentity();
    MetadataBuilder b(md, id);
    IUnknown *unknown = &b;
    void *p = reinterpret_cast<void *>(1);
    CHECK(Hr{unknown->QueryInterface(IID_IUnknown, &p)} == Hr{S_OK});
    CHECK(p == static_cast<IUnknown *>(&b));
    CHECK(Hr{unknown->QueryInterface(IID_IVssCreateWriterMetadataEx, &p)} == Hr{S_OK});
    CHECK(p == static_cast<IVssCreateWriterMetadataEx *>(&b));
    CHECK(Hr{unknown->QueryInterface(IID_IVssComponent, &p)} == Hr{E_NOINTERFACE});
    CHECK(p == nullptr);
    CHECK(Hr{unknown->QueryInterface(IID_IUnknown, nullptr)} == Hr{E_POINTER});
    CHECK(unknown->AddRef() == 1);
    CHECK(unknown->Release() == 1);
}

TEST_CASE("IVssExamineWriterMetadata: NULL out-pointers and indexes out of range allocate nothing")
{
    LeakCheck leaks;
    Ref<IVssExamineWriterMetadata> m(makeExamineWriterMetadata(sampleIdentity(), sampleMetadata()));
    Ref<IVssExamineWriterMetadataEx2> ex2;
    REQUIRE(Hr{m->QueryInterface(IID_IVssExamineWriterMetadataEx2, reinterpret_cast<void **>(&ex2))} == Hr{S_OK});
    VSS_ID i{}, w{};
    BSTR b = nullptr, b2 = nullptr;
    VSS_USAGE_TYPE u{};
    VSS_SOURCE_TYPE s{};
    UINT n = 0;
    DWORD d = 0;
    bool flag = false;
    VSS_RESTOREMETHOD_ENUM method{};
    VSS_WRITERRESTORE_ENUM wr{};
    IVssWMFiledesc *f = nullptr;
    IVssWMComponent *c = nullptr;

    struct Row {
        const char *what;
        std::function<HRESULT()> call;
        HRESULT expected;
    };
    const Row rows[] = {
        {"GetIdentity NULL name", [&] { return ex2->GetIdentity(&i, &w, nullptr, &u, &s); }, E_INVALIDARG},
        {"GetIdentity NULL instance", [&] { return ex2->GetIdentity(nullptr, &w, &b, &u, &s); }, E_INVALIDARG},
        {"GetIdentity NULL source", [&] { return ex2->GetIdentity(&i, &w, &b, &u, nullptr); }, E_INVALIDARG},
        {"GetIdentityEx NULL instance name", [&] { return ex2->GetIdentityEx(&i, &w, &b, nullptr, &u, &s); }, E_INVALIDARG},
        {"GetIdentityEx NULL usage", [&] { return ex2->GetIdentityEx(&i, &w, &b, &b2, nullptr, &s); }, E_INVALIDARG},
        {"GetFileCounts NULL", [&] { return ex2->GetFileCounts(&n, nullptr, &n); }, E_INVALIDARG},
        {"GetIncludeFile NULL", [&] { return ex2->GetIncludeFile(0, nullptr); }, E_INVALIDARG},
        {"GetIncludeFile out of range", [&] { return ex2->GetIncludeFile(1, &f); }, VSS_E_OBJECT_NOT_FOUND},
        {"GetExcludeFile out of range", [&] { return ex2->GetExcludeFile(1, &f); }, VSS_E_OBJECT_NOT_FOUND},
        {"GetComponent NULL", [&] { return ex2->GetComponent(0, nullptr); }, E_INVALIDARG},
        {"GetComponent out of range", [&] { return ex2->GetComponent(2, &c); }, VSS_E_OBJECT_NOT_FOUND},
        {"GetRestoreMethod NULL service", [&] { return ex2->GetRestoreMethod(&method, nullptr, &b, &wr, &flag, &n); }, E_INVALIDARG},
        {"GetRestoreMethod NULL mappings", [&] { return ex2->GetRestoreMethod(&method, &b, &b2, &wr, &flag, nullptr); }, E_INVALIDARG},
        {"GetAlternateLocationMapping out of range", [&] { return ex2->GetAlternateLocationMapping(1, &f); }, VSS_E_OBJECT_NOT_FOUND},
        {"GetAlternateLocationMapping NULL", [&] { return ex2->GetAlternateLocationMapping(0, nullptr); }, E_INVALIDARG},
        {"GetBackupSchema NULL", [&] { return ex2->GetBackupSchema(nullptr); }, E_INVALIDARG},
        {"SaveAsXML NULL", [&] { return ex2->SaveAsXML(nullptr); }, E_INVALIDARG},
        {"LoadFromXML NULL", [&] { return ex2->LoadFromXML(nullptr); }, E_INVALIDARG},
        {"GetVersion NULL", [&] { return ex2->GetVersion(&d, nullptr); }, E_INVALIDARG},
        {"GetExcludeFromSnapshotCount NULL", [&] { return ex2->GetExcludeFromSnapshotCount(nullptr); }, E_INVALIDARG},
        {"GetExcludeFromSnapshotFile out of range", [&] { return ex2->GetExcludeFromSnapshotFile(1, &f); }, VSS_E_OBJECT_NOT_FOUND},
        {"GetDocument", [&] { IXMLDOMDocument *doc = reinterpret_cast<IXMLDOMDocument *>(1); HRESULT hr = ex2->GetDocument(&doc); CHECK(doc == nullptr); return hr; }, E_NOTIMPL},
    };
    for (const Row &r : rows) {
        INFO(r.what);
        const std::size_t before = liveBstrCount();
        const std::size_t objects = liveObjectCount();
        CHECK(Hr{r.call()} == Hr{r.expected});
        CHECK(liveBstrCount() == before);
        CHECK(liveObjectCount() == objects);
    }

    Ref<IVssWMComponent> comp;
    REQUIRE(Hr{ex2->GetComponent(0, &comp)} == Hr{S_OK});
    CHECK(Hr{comp->GetComponentInfo(nullptr)} == Hr{E_INVALIDARG});
    CHECK(Hr{comp->GetDatabaseFile(1, &f)} == Hr{VSS_E_OBJECT_NOT_FOUND});
    CHECK(Hr{comp->GetDatabaseLogFile(1, &f)} == Hr{VSS_E_OBJECT_NOT_FOUND});
    CHECK(Hr{comp->GetDependency(1, nullptr)} == Hr{E_INVALIDARG});
    IVssWMDependency *dep = nullptr;
    CHECK(Hr{comp->GetDependency(1, &dep)} == Hr{VSS_E_OBJECT_NOT_FOUND});
    Ref<IVssWMFiledesc> fd;
    REQUIRE(Hr{comp->GetDatabaseFile(0, &fd)} == Hr{S_OK});
    CHECK(Hr{fd->GetPath(nullptr)} == Hr{E_INVALIDARG});
    CHECK(Hr{fd->GetRecursive(nullptr)} == Hr{E_INVALIDARG});
    CHECK(Hr{fd->GetAlternateLocation(nullptr)} == Hr{E_INVALIDARG});
    CHECK(Hr{fd->GetBackupTypeMask(nullptr)} == Hr{E_INVALIDARG});
}

TEST_CASE("VSS_COMPONENTINFO: allocation and FreeComponentInfo keep the BSTR count")
{
    LeakCheck leaks;
    Ref<IVssExamineWriterMetadata> m(makeExamineWriterMetadata(sampleIdentity(), sampleMetadata()));
    Ref<IVssWMComponent> c;
    REQUIRE(Hr{m->GetComponent(1, &c)} == Hr{S_OK});
    const std::size_t start = liveBstrCount();
    PVSSCOMPONENTINFO a = nullptr, b = nullptr;
    REQUIRE(Hr{c->GetComponentInfo(&a)} == Hr{S_OK});
    CHECK(liveBstrCount() == start + 3);  // logical path, name, caption
    REQUIRE(Hr{c->GetComponentInfo(&b)} == Hr{S_OK});
    CHECK(a != b);
    CHECK(liveBstrCount() == start + 6);
    REQUIRE(Hr{c->FreeComponentInfo(a)} == Hr{S_OK});
    CHECK(liveBstrCount() == start + 3);
    CHECK(Hr{c->FreeComponentInfo(a)} == Hr{E_INVALIDARG});  // freed already: left alone
    CHECK(Hr{c->FreeComponentInfo(nullptr)} == Hr{E_INVALIDARG});
    VSS_COMPONENTINFO foreign{};
    CHECK(Hr{c->FreeComponentInfo(&foreign)} == Hr{E_INVALIDARG});
    // Any IVssWMComponent may free it: the registry is process-wide.
    Ref<IVssWMComponent> other;
    REQUIRE(Hr{m->GetComponent(0, &other)} == Hr{S_OK});
    REQUIRE(Hr{other->FreeComponentInfo(b)} == Hr{S_OK});
    CHECK(liveBstrCount() == start);
}

TEST_CASE("Reference counts and QueryInterface of the metadata objects")
{
    LeakCheck leaks;
    const std::size_t start = liveObjectCount();
    IVssExamineWriterMetadata *m = makeExamineWriterMetadata(sampleIdentity(), sampleMetadata());
    CHECK(liveObjectCount() == start + 1);
    CHECK(m->AddRef() == 2);
    CHECK(m->Release() == 1);
    for (const IID &iid : {IID_IUnknown, IID_IVssExamineWriterMetadata, IID_IVssExamineWriterMetadataEx,
                           IID_IVssExamineWriterMetadataEx2}) {
        void *p = nullptr;
        REQUIRE(Hr{m->QueryInterface(iid, &p)} == Hr{S_OK});
        CHECK(p == static_cast<void *>(m));
        CHECK(m->Release() == 1);
    }
    void *p = reinterpret_cast<void *>(1);
    CHECK(Hr{m->QueryInterface(IID_IVssComponent, &p)} == Hr{E_NOINTERFACE});
    CHECK(p == nullptr);
    CHECK(Hr{m->QueryInterface(IID_IUnknown, nullptr)} == Hr{E_POINTER});

    IVssWMComponent *c = nullptr;
    REQUIRE(Hr{m->GetComponent(0, &c)} == Hr{S_OK});
    IVssWMFiledesc *f = nullptr;
    REQUIRE(Hr{c->GetDatabaseFile(0, &f)} == Hr{S_OK});
    IVssWMDependency *d = nullptr;
    REQUIRE(Hr{c->GetDependency(0, &d)} == Hr{S_OK});
    CHECK(liveObjectCount() == start + 4);
    for (IUnknown *u : std::initializer_list<IUnknown *>{c, f, d}) {
        p = nullptr;
        CHECK(Hr{u->QueryInterface(IID_IUnknown, &p)} == Hr{S_OK});
        CHECK(p == static_cast<void *>(u));
        CHECK(u->Release() == 1);
        p = reinterpret_cast<void *>(1);
        CHECK(Hr{u->QueryInterface(IID_IVssExamineWriterMetadata, &p)} == Hr{E_NOINTERFACE});
        CHECK(p == nullptr);
        CHECK(Hr{u->QueryInterface(IID_IUnknown, nullptr)} == Hr{E_POINTER});
    }
    // The helpers outlive the metadata object that made them.
    CHECK(m->Release() == 0);
    CHECK(liveObjectCount() == start + 3);
    BSTR b = nullptr;
    REQUIRE(Hr{f->GetPath(&b)} == Hr{S_OK});
    CHECK(take(b) == L"C:\\Db");
    CHECK(d->Release() == 0);
    CHECK(f->Release() == 0);
    CHECK(c->Release() == 0);
    CHECK(liveObjectCount() == start);
}

// ---------------------------------------------------------------------------------------------
// The WMD XML document

TEST_CASE("WMD XML: every field of WriterIdentity and WriterMetadata survives format and parse")
{
    const WriterIdentity id = sampleIdentity();
    const WriterMetadata md = sampleMetadata();
    const std::wstring xml = formatWmdXml(id, md);
    auto parsed = parseWmdXml(xml);
    REQUIRE(parsed);
    checkSame(parsed->first, id);
    checkSame(parsed->second, md);
    CHECK(formatWmdXml(parsed->first, parsed->second) == xml);

    // Defaults and empty lists round-trip too.
    auto empty = parseWmdXml(formatWmdXml(WriterIdentity{}, WriterMetadata{}));
    REQUIRE(empty);
    checkSame(empty->first, WriterIdentity{});
    checkSame(empty->second, WriterMetadata{});
}

TEST_CASE("WMD XML: malformed documents are VSS_E_INVALID_XML_DOCUMENT, never a crash")
{
    const std::wstring good = formatWmdXml(sampleIdentity(), sampleMetadata());
    auto replace = [&](std::wstring_view from, std::wstring_view to) {
        std::wstring s = good;
        const std::size_t at = s.find(from);
        REQUIRE(at != std::wstring::npos);
        s.replace(at, from.size(), to);
        return s;
    };
    auto eraseLine = [&](std::wstring_view marker) {
        std::wstring s = good;
        const std::size_t at = s.find(marker);
        REQUIRE(at != std::wstring::npos);
        s.erase(at, s.find(L'\n', at) + 1 - at);
        return s;
    };
    const std::wstring closeRoot = L"</VssSimWriterMetadata>";
    struct Row {
        const char *what;
        std::wstring xml;
    };
    const Row rows[] = {
        {"empty", L""},
        {"only white space", L"  \n "},
        {"not XML", L"hello"},
        {"the backup components document", formatBcdXml(BcdDocument{})},
        {"unsupported version", replace(L"version=\"1\"", L"version=\"2\"")},
        {"missing version", replace(L" version=\"1\"", L"")},
        {"self-closing root", L"<VssSimWriterMetadata version=\"1\"/>"},
        {"truncated", good.substr(0, good.size() / 2)},
        {"no closing root", good.substr(0, good.find(closeRoot))},
        {"content after the root", good + L"<Extra/>"},
        {"text after the root", good + L"trailing"},
        {"bad class GUID", replace(L"classId=\"{", L"classId=\"{zz")},
        {"missing instanceId", replace(L" instanceId=", L" instanceIx=")},
        {"unknown root attribute", replace(L" version=\"1\"", L" version=\"1\" colour=\"red\"")},
        {"usage out of range", replace(L"usage=\"3\"", L"usage=\"9\"")},
        {"level below VSS_APP_AUTO", replace(L"level=\"-1\"", L"level=\"-2\"")},
        {"versionMinor beyond DWORD", replace(L"versionMinor=\"4294967295\"", L"versionMinor=\"4294967296\"")},
        {"number with a plus sign", replace(L"versionMajor=\"7\"", L"versionMajor=\"+7\"")},
        {"number too large for 64 bits", replace(L"freezeTimeoutNs=\"", L"freezeTimeoutNs=\"99999999999999999999")},
        {"negative freeze timeout", replace(L"freezeTimeoutNs=\"", L"freezeTimeoutNs=\"-")},
        {"boolean not 0 or 1", replace(L"rebootRequired=\"1\"", L"rebootRequired=\"yes\"")},
        {"odd number of icon digits", replace(L"icon=\"007f80ff10\"", L"icon=\"007f80ff1\"")},
        {"upper-case icon digits", replace(L"icon=\"007f80ff10\"", L"icon=\"007F80FF10\"")},
        {"bad character reference", replace(L"&amp;", L"&bogus;")},
        {"unterminated character reference", replace(L"&amp;", L"&amp")},
        {"unterminated attribute value", good.substr(0, good.find(L"classId=\"") + 12)},
        {"unknown element", replace(L"<IncludeFile ", L"<IncludeFiles ")},
        {"two RestoreMethod elements", replace(L"<IncludeFile ", L"<RestoreMethod method=\"0\" service=\"\" userProcedure=\"\" writerRestore=\"0\" rebootRequired=\"0\"/><IncludeFile ")},
        {"no RestoreMethod", eraseLine(L"  <RestoreMethod ")},
        {"File outside a Component", replace(L"<IncludeFile ", L"<File ")},
        {"IncludeFile inside a Component", replace(L"<File ", L"<IncludeFile ")},
        {"IncludeFile with content", replace(L"\" backupTypeMask=\"3855\" />\n  <ExcludeFile", L"\" backupTypeMask=\"3855\"><File/></IncludeFile>\n  <ExcludeFile")},
        {"Component never closed", replace(L"  </Component>\n</VssSimWriterMetadata>", L"</VssSimWriterMetadata>")},
        {"closing tag with attributes", replace(closeRoot, L"</VssSimWriterMetadata a=\"b\">")},
        {"mismatched closing tag", replace(closeRoot, L"</Component>")},
        {"duplicate attribute", replace(L" version=\"1\"", L" version=\"1\" version=\"1\"")},
        {"attribute without quotes", replace(L"version=\"1\"", L"version=1")},
        {"missing Dependency attribute", replace(L" componentName=\"Other\"", L"")},
        {"nameUtf8 beyond a byte", replace(L"nameUtf8=\"", L"nameUtf8=\"&#x100;")},
        {"declaration never closed", L"<?xml version=\"1.0\""},
        {"internal entities", L"<!DOCTYPE VssSimWriterMetadata [<!ENTITY a \"x\">]>" + replace(L"&amp;", L"&a;")},
        {"a comment", replace(closeRoot, L"<!-- x -->" + closeRoot)},
        {"text inside a Component", replace(L"<File ", L"text<File ")},
        {"nested too deep", replace(L"<File ", L"<File><File/></File><File ")},
        {"a raw NUL", replace(L"&amp;", std::wstring(1, L'\0'))},
        {"a reference past U+10FFFF", replace(L"&amp;", L"&#x110000;")},
    };
    for (const Row &r : rows) {
        INFO(std::string(r.what));
        auto parsed = parseWmdXml(r.xml);
        REQUIRE_FALSE(parsed);
        CHECK(Hr{parsed.error().hr} == Hr{VSS_E_INVALID_XML_DOCUMENT});
        CHECK_FALSE(parsed.error().message.empty());
    }

    // Every proper prefix that stops before the root closes is refused.
    const std::size_t end = good.find(closeRoot) + closeRoot.size();
    for (std::size_t n = 0; n < end; ++n) {
        INFO("prefix of ", n, " characters");
        auto parsed = parseWmdXml(std::wstring_view(good).substr(0, n));
        REQUIRE_FALSE(parsed);
        CHECK(Hr{parsed.error().hr} == Hr{VSS_E_INVALID_XML_DOCUMENT});
    }
}

TEST_CASE("CreateVssExamineWriterMetadata and LoadFromXML accept only our documents")
{
    LeakCheck leaks;
    const std::wstring xml = formatWmdXml(sampleIdentity(), sampleMetadata());
    BSTR doc = allocBstr(xml, "test");
    BSTR bad = allocBstr(L"<VssSimWriterMetadata", "test");

    IVssExamineWriterMetadata *m = reinterpret_cast<IVssExamineWriterMetadata *>(1);
    CHECK(Hr{CreateVssExamineWriterMetadata(doc, nullptr)} == Hr{E_INVALIDARG});
    CHECK(Hr{CreateVssExamineWriterMetadata(nullptr, &m)} == Hr{E_INVALIDARG});
    CHECK(m == nullptr);
    m = reinterpret_cast<IVssExamineWriterMetadata *>(1);
    CHECK(Hr{CreateVssExamineWriterMetadata(bad, &m)} == Hr{VSS_E_INVALID_XML_DOCUMENT});
    CHECK(m == nullptr);

    REQUIRE(Hr{CreateVssExamineWriterMetadata(doc, &m)} == Hr{S_OK});
    Ref<IVssExamineWriterMetadata> owner(m);
    BSTR saved = nullptr;
    REQUIRE(Hr{m->SaveAsXML(&saved)} == Hr{S_OK});
    CHECK(take(saved) == xml);

    // LoadFromXML replaces everything; a failed load changes nothing.
    WriterIdentity otherId;
    otherId.classId = kOtherClass;
    otherId.wideName = L"Other";
    BSTR other = allocBstr(formatWmdXml(otherId, WriterMetadata{}), "test");
    CHECK(Hr{m->LoadFromXML(bad)} == Hr{VSS_E_INVALID_XML_DOCUMENT});
    REQUIRE(Hr{m->SaveAsXML(&saved)} == Hr{S_OK});
    CHECK(take(saved) == xml);
    REQUIRE(Hr{m->LoadFromXML(other)} == Hr{S_OK});
    VSS_ID i{}, w{};
    BSTR name = nullptr;
    VSS_USAGE_TYPE u{};
    VSS_SOURCE_TYPE s{};
    REQUIRE(Hr{m->GetIdentity(&i, &w, &name, &u, &s)} == Hr{S_OK});
    CHECK(w == kOtherClass);
    CHECK(take(name) == L"Other");
    UINT a = 9, b = 9, c = 9;
    REQUIRE(Hr{m->GetFileCounts(&a, &b, &c)} == Hr{S_OK});
    CHECK(a + b + c == 0);

    SysFreeString(doc);
    SysFreeString(bad);
    SysFreeString(other);
}

TEST_CASE("BCD XML keeps its behaviour on the shared reader")
{
    BcdDocument doc;
    doc.backupType = VSS_BT_INCREMENTAL;
    doc.context = VSS_CTX_APP_ROLLBACK;
    doc.selectComponents = true;
    doc.snapshotSetId = kOtherInstance;
    ComponentRecord c = record(kInstance, kClass, L"Name <&>", L"Path\\\u00e9");
    c.backupSucceeded = true;
    c.backupStamp = L"stamp";
    c.backupMetadata = L"";
    c.postSnapshotFailureMsg = L"ps";
    doc.components.push_back(c);
    auto parsed = parseBcdXml(formatBcdXml(doc));
    REQUIRE(parsed);
    CHECK(parsed->backupType == VSS_BT_INCREMENTAL);
    CHECK(parsed->context == VSS_CTX_APP_ROLLBACK);
    CHECK(parsed->selectComponents);
    CHECK(parsed->snapshotSetId == kOtherInstance);
    REQUIRE(parsed->components.size() == 1);
    const ComponentRecord &p = parsed->components[0];
    CHECK(p.name == c.name);
    CHECK(p.logicalPath == c.logicalPath);
    CHECK(p.backupSucceeded);
    CHECK(p.backupStamp == L"stamp");
    CHECK(p.backupMetadata == std::optional<std::wstring>(L""));
    CHECK_FALSE(p.prepareForBackupFailureMsg);
    CHECK(p.postSnapshotFailureMsg == std::optional<std::wstring>(L"ps"));

    for (const wchar_t *bad : {L"", L"</VssSimBackupComponents>", L"<VssSimWriterMetadata version=\"1\">",
                               L"<VssSimBackupComponents version=\"1\" backupType=\"1\" context=\"0\" "
                               L"snapshotSetId=\"{00000000-0000-0000-0000-000000000000}\"></Component>"}) {
        INFO(std::wstring(bad).size());
        auto r = parseBcdXml(bad);
        REQUIRE_FALSE(r);
        CHECK(Hr{r.error().hr} == Hr{VSS_E_INVALID_XML_DOCUMENT});
    }
}

// ---------------------------------------------------------------------------------------------
// Components, requester mode

TEST_CASE("Requester-mode IVssComponentEx2: getters read the BCD entry")
{
    LeakCheck leaks;
    auto svc = makeService();
    auto s = std::make_shared<Session>(svc);
    ComponentRecord full = record(kInstance, kClass, L"Orders", L"Instances\\Main");
    full.type = VSS_CT_DATABASE;
    full.backupSucceeded = true;
    full.backupOptions = L"opts";
    full.restoreOptions = L"ropts";
    full.backupStamp = L"stamp-1";
    full.previousBackupStamp = L"stamp-0";
    full.backupMetadata = L"bm";
    full.restoreMetadata = L"rm";
    full.prepareForBackupFailureMsg = L"pfb";
    full.postSnapshotFailureMsg = L"";
    full.preRestoreFailureMsg = L"pre";
    full.postRestoreFailureMsg = L"post";
    full.selectedForRestore = true;
    full.additionalRestores = true;
    full.restoreTarget = VSS_RT_DIRECTED;
    full.fileRestoreStatus = VSS_RS_FAILED;
    full.authoritativeRestore = true;
    full.rollForwardType = VSS_RF_PARTIAL;
    full.rollForwardPoint = L"lsn:42";
    full.restoreName = L"Orders_copy";
    full.subcomponents.push_back(RestoreSubcomponent{L"Sub\\Path", L"Part", true});
    full.alternateMappings.push_back(FileSpec{L"C:\\A", L"*.a", true, L"D:\\A", 0x0F0F});
    full.newTargets.push_back(FileSpec{L"C:\\N", L"*.n", false, L"E:\\N", 0x0F0F});
    full.partialFiles.push_back(PartialFile{L"C:\\P", L"p.dat", L"0:100,200:50", L"meta"});
    full.directedTargets.push_back(DirectedTarget{L"C:\\S", L"s.dat", L"0:10", L"D:\\D", L"d.dat", L"10:10"});
    full.differencedFiles.push_back(DifferencedFiles{L"C:\\F", L"*.f", true, FILETIME{0x11111111, 0x02222222}});
    s->components().push_back(record(kOtherInstance, kOtherClass, L"NotMine"));
    s->components().push_back(full);
    s->components().push_back(record(kInstance, kClass, L"Bare"));

    Ref<IVssWriterComponentsExt> ext(makeRequesterComponents(s, kInstance, kClass, S_OK));
    UINT count = 0;
    REQUIRE(Hr{ext->GetComponentCount(&count)} == Hr{S_OK});
    CHECK(count == 2);
    VSS_ID instance{}, writer{};
    REQUIRE(Hr{ext->GetWriterInfo(&instance, &writer)} == Hr{S_OK});
    CHECK(instance == kInstance);
    CHECK(writer == kClass);
    IVssComponent *none = reinterpret_cast<IVssComponent *>(1);
    CHECK(Hr{ext->GetComponent(2, &none)} == Hr{VSS_E_OBJECT_NOT_FOUND});

    Ref<IVssComponentEx2> c(requesterComponent(s, 0));
    BSTR b = nullptr, b2 = nullptr, b3 = nullptr, b4 = nullptr, b5 = nullptr, b6 = nullptr;
    bool flag = false;
    UINT n = 0;
    REQUIRE(Hr{c->GetLogicalPath(&b)} == Hr{S_OK});
    CHECK(take(b) == L"Instances\\Main");
    REQUIRE(Hr{c->GetComponentName(&b)} == Hr{S_OK});
    CHECK(take(b) == L"Orders");
    VSS_COMPONENT_TYPE type{};
    REQUIRE(Hr{c->GetComponentType(&type)} == Hr{S_OK});
    CHECK(type == VSS_CT_DATABASE);
    REQUIRE(Hr{c->GetBackupSucceeded(&flag)} == Hr{S_OK});
    CHECK(flag);
    REQUIRE(Hr{c->GetBackupOptions(&b)} == Hr{S_OK});
    CHECK(take(b) == L"opts");
    REQUIRE(Hr{c->GetRestoreOptions(&b)} == Hr{S_OK});
    CHECK(take(b) == L"ropts");
    REQUIRE(Hr{c->GetBackupStamp(&b)} == Hr{S_OK});
    CHECK(take(b) == L"stamp-1");
    REQUIRE(Hr{c->GetPreviousBackupStamp(&b)} == Hr{S_OK});
    CHECK(take(b) == L"stamp-0");
    REQUIRE(Hr{c->GetBackupMetadata(&b)} == Hr{S_OK});
    CHECK(take(b) == L"bm");
    REQUIRE(Hr{c->GetRestoreMetadata(&b)} == Hr{S_OK});
    CHECK(take(b) == L"rm");
    REQUIRE(Hr{c->GetPrepareForBackupFailureMsg(&b)} == Hr{S_OK});
    CHECK(take(b) == L"pfb");
    REQUIRE(Hr{c->GetPostSnapshotFailureMsg(&b)} == Hr{S_OK});  // set, though empty
    CHECK(take(b).empty());
    REQUIRE(Hr{c->GetPreRestoreFailureMsg(&b)} == Hr{S_OK});
    CHECK(take(b) == L"pre");
    REQUIRE(Hr{c->GetPostRestoreFailureMsg(&b)} == Hr{S_OK});
    CHECK(take(b) == L"post");
    REQUIRE(Hr{c->IsSelectedForRestore(&flag)} == Hr{S_OK});
    CHECK(flag);
    flag = false;
    REQUIRE(Hr{c->GetAdditionalRestores(&flag)} == Hr{S_OK});
    CHECK(flag);
    VSS_RESTORE_TARGET target{};
    REQUIRE(Hr{c->GetRestoreTarget(&target)} == Hr{S_OK});
    CHECK(target == VSS_RT_DIRECTED);
    VSS_FILE_RESTORE_STATUS status{};
    REQUIRE(Hr{c->GetFileRestoreStatus(&status)} == Hr{S_OK});
    CHECK(status == VSS_RS_FAILED);
    flag = false;
    REQUIRE(Hr{c->GetAuthoritativeRestore(&flag)} == Hr{S_OK});
    CHECK(flag);
    VSS_ROLLFORWARD_TYPE roll{};
    REQUIRE(Hr{c->GetRollForward(&roll, &b)} == Hr{S_OK});
    CHECK(roll == VSS_RF_PARTIAL);
    CHECK(take(b) == L"lsn:42");
    REQUIRE(Hr{c->GetRestoreName(&b)} == Hr{S_OK});
    CHECK(take(b) == L"Orders_copy");

    REQUIRE(Hr{c->GetRestoreSubcomponentCount(&n)} == Hr{S_OK});
    CHECK(n == 1);
    flag = false;
    REQUIRE(Hr{c->GetRestoreSubcomponent(0, &b, &b2, &flag)} == Hr{S_OK});
    CHECK(take(b) == L"Sub\\Path");
    CHECK(take(b2) == L"Part");
    CHECK(flag);
    CHECK(Hr{c->GetRestoreSubcomponent(1, &b, &b2, &flag)} == Hr{VSS_E_OBJECT_NOT_FOUND});

    REQUIRE(Hr{c->GetAlternateLocationMappingCount(&n)} == Hr{S_OK});
    CHECK(n == 1);
    {
        Ref<IVssWMFiledesc> f;
        REQUIRE(Hr{c->GetAlternateLocationMapping(0, &f)} == Hr{S_OK});
        checkSame(readFiledesc(f.p), full.alternateMappings[0]);
        IVssWMFiledesc *g = nullptr;
        CHECK(Hr{c->GetAlternateLocationMapping(1, &g)} == Hr{VSS_E_OBJECT_NOT_FOUND});
    }
    REQUIRE(Hr{c->GetNewTargetCount(&n)} == Hr{S_OK});
    CHECK(n == 1);
    {
        Ref<IVssWMFiledesc> f;
        REQUIRE(Hr{c->GetNewTarget(0, &f)} == Hr{S_OK});
        checkSame(readFiledesc(f.p), full.newTargets[0]);
    }
    REQUIRE(Hr{c->GetPartialFileCount(&n)} == Hr{S_OK});
    CHECK(n == 1);
    REQUIRE(Hr{c->GetPartialFile(0, &b, &b2, &b3, &b4)} == Hr{S_OK});
    CHECK(take(b) == L"C:\\P");
    CHECK(take(b2) == L"p.dat");
    CHECK(take(b3) == L"0:100,200:50");
    CHECK(take(b4) == L"meta");
    REQUIRE(Hr{c->GetDirectedTargetCount(&n)} == Hr{S_OK});
    CHECK(n == 1);
    REQUIRE(Hr{c->GetDirectedTarget(0, &b, &b2, &b3, &b4, &b5, &b6)} == Hr{S_OK});
    CHECK(take(b) == L"C:\\S");
    CHECK(take(b2) == L"s.dat");
    CHECK(take(b3) == L"0:10");
    CHECK(take(b4) == L"D:\\D");
    CHECK(take(b5) == L"d.dat");
    CHECK(take(b6) == L"10:10");
    REQUIRE(Hr{c->GetDifferencedFilesCount(&n)} == Hr{S_OK});
    CHECK(n == 1);
    BOOL recursive = FALSE;
    FILETIME ft{};
    b3 = reinterpret_cast<BSTR>(1);
    REQUIRE(Hr{c->GetDifferencedFile(0, &b, &b2, &recursive, &b3, &ft)} == Hr{S_OK});
    CHECK(take(b) == L"C:\\F");
    CHECK(take(b2) == L"*.f");
    CHECK(recursive == TRUE);
    CHECK(b3 == nullptr);  // differencing by LSN is reserved for system use
    CHECK(ft.dwLowDateTime == 0x11111111u);
    CHECK(ft.dwHighDateTime == 0x02222222u);
    CHECK(Hr{c->GetDifferencedFile(1, &b, &b2, &recursive, &b3, &ft)} == Hr{VSS_E_OBJECT_NOT_FOUND});
}

TEST_CASE("Requester-mode getters of values never set: S_FALSE and a NULL BSTR")
{
    LeakCheck leaks;
    auto svc = makeService();
    auto s = std::make_shared<Session>(svc);
    s->components().push_back(record(kInstance, kClass, L"Bare"));
    Ref<IVssComponentEx2> c(requesterComponent(s, 0));

    struct Row {
        const char *what;
        HRESULT (IVssComponentEx2::*getter)(BSTR *);
    };
    const Row rows[] = {
        {"GetBackupMetadata", &IVssComponentEx2::GetBackupMetadata},
        {"GetRestoreMetadata", &IVssComponentEx2::GetRestoreMetadata},
        {"GetPreRestoreFailureMsg", &IVssComponentEx2::GetPreRestoreFailureMsg},
        {"GetPostRestoreFailureMsg", &IVssComponentEx2::GetPostRestoreFailureMsg},
        {"GetPrepareForBackupFailureMsg", &IVssComponentEx2::GetPrepareForBackupFailureMsg},
        {"GetPostSnapshotFailureMsg", &IVssComponentEx2::GetPostSnapshotFailureMsg},
        {"GetBackupStamp", &IVssComponentEx2::GetBackupStamp},
        {"GetPreviousBackupStamp", &IVssComponentEx2::GetPreviousBackupStamp},
        {"GetBackupOptions", &IVssComponentEx2::GetBackupOptions},
        {"GetRestoreOptions", &IVssComponentEx2::GetRestoreOptions},
        {"GetRestoreName", &IVssComponentEx2::GetRestoreName},
    };
    for (const Row &r : rows) {
        INFO(r.what);
        BSTR b = reinterpret_cast<BSTR>(1);
        CHECK(Hr{(c.p->*r.getter)(&b)} == Hr{S_FALSE});
        CHECK(b == nullptr);
    }
    // A logical path that was never given is an empty string, as the component was added with one.
    BSTR b = nullptr;
    REQUIRE(Hr{c->GetLogicalPath(&b)} == Hr{S_OK});
    CHECK(take(b).empty());
    VSS_ROLLFORWARD_TYPE roll = VSS_RF_ALL;
    b = reinterpret_cast<BSTR>(1);
    REQUIRE(Hr{c->GetRollForward(&roll, &b)} == Hr{S_OK});
    CHECK(roll == VSS_RF_UNDEFINED);
    CHECK(b == nullptr);
}

TEST_CASE("Writer-side setters through a requester's component are VSS_E_BAD_STATE and store nothing")
{
    LeakCheck leaks;
    auto svc = makeService();
    auto s = std::make_shared<Session>(svc);
    s->components().push_back(record(kInstance, kClass, L"C"));
    Ref<IVssComponentEx2> c(requesterComponent(s, 0));
    const FILETIME ft{1, 2};
    const std::function<HRESULT()> calls[] = {
        [&] { return c->SetBackupMetadata(L"m"); },
        [&] { return c->SetRestoreMetadata(L"m"); },
        [&] { return c->SetRestoreTarget(VSS_RT_ALTERNATE); },
        [&] { return c->SetPreRestoreFailureMsg(L"m"); },
        [&] { return c->SetPostRestoreFailureMsg(L"m"); },
        [&] { return c->SetBackupStamp(L"m"); },
        [&] { return c->SetPrepareForBackupFailureMsg(L"m"); },
        [&] { return c->SetPostSnapshotFailureMsg(L"m"); },
        [&] { return c->AddPartialFile(L"C:\\", L"f", L"0:1", nullptr); },
        [&] { return c->AddDirectedTarget(L"C:\\", L"f", nullptr, L"D:\\", L"g", nullptr); },
        [&] { return c->AddDifferencedFilesByLastModifyTime(L"C:\\", L"*", FALSE, ft); },
        [&] { return c->SetFailure(VSS_E_WRITERERROR_RETRYABLE, S_OK, L"m", 0); },
    };
    for (std::size_t i = 0; i < std::size(calls); ++i) {
        INFO("setter #", i);
        CHECK(Hr{calls[i]()} == Hr{VSS_E_BAD_STATE});
    }
    const ComponentRecord &r = s->components()[0];
    CHECK_FALSE(r.backupMetadata);
    CHECK_FALSE(r.restoreMetadata);
    CHECK(r.restoreTarget == VSS_RT_ORIGINAL);
    CHECK_FALSE(r.preRestoreFailureMsg);
    CHECK_FALSE(r.postRestoreFailureMsg);
    CHECK(r.backupStamp.empty());
    CHECK_FALSE(r.prepareForBackupFailureMsg);
    CHECK_FALSE(r.postSnapshotFailureMsg);
    CHECK(r.partialFiles.empty());
    CHECK(r.directedTargets.empty());
    CHECK(r.differencedFiles.empty());
    CHECK_FALSE(r.failure);
    CHECK(mistakes(*svc, "M17") == 0);  // a valid pointer used the wrong way is not a stale one
    CHECK(Hr{c->AddDifferencedFilesByLastModifyLSN(L"C:\\", L"*", FALSE, nullptr)} == Hr{E_NOTIMPL});
}

TEST_CASE("Stale requester pointers after PreRestore: VSS_E_BAD_STATE and mistake M17")
{
    LeakCheck leaks;
    auto svc = makeService();
    auto s = std::make_shared<Session>(svc);
    BcdDocument doc;
    doc.components.push_back(record(kInstance, kClass, L"First", L"P"));
    doc.components.push_back(record(kInstance, kClass, L"Second", L"P"));
    REQUIRE(s->initializeForRestore(formatBcdXml(doc)));
    auto gather = s->gatherWriterMetadata();
    REQUIRE(gather);
    s->wait(**gather, std::nullopt);

    Ref<IVssWriterComponentsExt> ext(makeRequesterComponents(s, kInstance, kClass, S_OK));
    Ref<IVssComponent> c;
    REQUIRE(Hr{ext->GetComponent(1, &c)} == Hr{S_OK});
    BSTR b = nullptr;
    REQUIRE(Hr{c->GetComponentName(&b)} == Hr{S_OK});
    CHECK(take(b) == L"Second");

    auto pre = s->preRestore();
    REQUIRE(pre);
    s->wait(**pre, std::nullopt);

    const std::size_t before = liveBstrCount();
    b = nullptr;
    CHECK(Hr{c->GetComponentName(&b)} == Hr{VSS_E_BAD_STATE});
    CHECK(b == nullptr);
    CHECK(liveBstrCount() == before);
    UINT n = 7;
    CHECK(Hr{ext->GetComponentCount(&n)} == Hr{VSS_E_BAD_STATE});
    CHECK(n == 7);
    IVssComponent *again = nullptr;
    CHECK(Hr{ext->GetComponent(0, &again)} == Hr{VSS_E_BAD_STATE});
    CHECK(again == nullptr);
    CHECK(mistakes(*svc, "M17") == 3);
    for (const Mistake &m : svc->mistakes())
        if (m.id == "M17")
            CHECK(m.session == s->number());

    // Lifetime still works through a stale pointer, and a fresh one sees the entry again.
    Ref<IVssComponentEx2> ex2;
    CHECK(Hr{c->QueryInterface(IID_IVssComponentEx2, reinterpret_cast<void **>(&ex2))} == Hr{S_OK});
    Ref<IVssWriterComponentsExt> fresh(makeRequesterComponents(s, kInstance, kClass, S_OK));
    REQUIRE(Hr{fresh->GetComponentCount(&n)} == Hr{S_OK});
    CHECK(n == 2);
    s->release();
}

TEST_CASE("IVssWriterComponentsExt: IUnknown through the second base, refcounts, NULL pointers")
{
    LeakCheck leaks;
    auto svc = makeService();
    auto s = std::make_shared<Session>(svc);
    s->components().push_back(record(kInstance, kClass, L"C"));
    const std::size_t start = liveObjectCount();
    IVssWriterComponentsExt *ext = makeRequesterComponents(s, kInstance, kClass, S_OK);
    CHECK(liveObjectCount() == start + 1);
    IUnknown *unknown = ext;
    CHECK(reinterpret_cast<char *>(unknown) - reinterpret_cast<char *>(ext) == static_cast<std::ptrdiff_t>(sizeof(void *)));
    void *p = nullptr;
    REQUIRE(Hr{unknown->QueryInterface(IID_IUnknown, &p)} == Hr{S_OK});
    CHECK(p == static_cast<void *>(unknown));
    CHECK(unknown->Release() == 1);
    p = reinterpret_cast<void *>(1);
    CHECK(Hr{unknown->QueryInterface(IID_IVssComponent, &p)} == Hr{E_NOINTERFACE});
    CHECK(p == nullptr);
    CHECK(Hr{unknown->QueryInterface(IID_IUnknown, nullptr)} == Hr{E_POINTER});
    CHECK(Hr{ext->GetComponentCount(nullptr)} == Hr{E_INVALIDARG});
    VSS_ID id{};
    CHECK(Hr{ext->GetWriterInfo(&id, nullptr)} == Hr{E_INVALIDARG});
    CHECK(Hr{ext->GetComponent(0, nullptr)} == Hr{E_INVALIDARG});

    IVssComponent *c = nullptr;
    REQUIRE(Hr{ext->GetComponent(0, &c)} == Hr{S_OK});
    CHECK(liveObjectCount() == start + 2);
    CHECK(c->AddRef() == 2);
    for (const IID &iid : {IID_IUnknown, IID_IVssComponent, IID_IVssComponentEx, IID_IVssComponentEx2}) {
        p = nullptr;
        REQUIRE(Hr{c->QueryInterface(iid, &p)} == Hr{S_OK});
        CHECK(p == static_cast<void *>(c));
        CHECK(c->Release() == 2);
    }
    p = reinterpret_cast<void *>(1);
    CHECK(Hr{c->QueryInterface(IID_IVssExamineWriterMetadata, &p)} == Hr{E_NOINTERFACE});
    CHECK(p == nullptr);
    CHECK(Hr{c->QueryInterface(IID_IUnknown, nullptr)} == Hr{E_POINTER});
    CHECK(c->Release() == 1);
    // The component keeps working after the object that made it is gone.
    CHECK(ext->Release() == 0);
    CHECK(liveObjectCount() == start + 1);
    BSTR b = nullptr;
    REQUIRE(Hr{c->GetComponentName(&b)} == Hr{S_OK});
    CHECK(take(b) == L"C");
    CHECK(c->Release() == 0);
    CHECK(liveObjectCount() == start);
}

TEST_CASE("Every NULL out-pointer of IVssComponentEx2 is E_INVALIDARG with nothing allocated")
{
    LeakCheck leaks;
    auto svc = makeService();
    auto s = std::make_shared<Session>(svc);
    ComponentRecord r = record(kInstance, kClass, L"C", L"P");
    r.backupMetadata = L"x";
    r.subcomponents.push_back(RestoreSubcomponent{L"a", L"b", false});
    r.partialFiles.push_back(PartialFile{L"a", L"b", L"c", L"d"});
    r.directedTargets.push_back(DirectedTarget{L"a", L"b", L"c", L"d", L"e", L"f"});
    r.differencedFiles.push_back(DifferencedFiles{L"a", L"b", false, FILETIME{}});
    r.failure = Failure{VSS_E_WRITERERROR_RETRYABLE, E_FAIL, L"msg"};
    s->components().push_back(r);
    Ref<IVssComponentEx2> c(requesterComponent(s, 0));
    BSTR b = nullptr;
    UINT n = 0;
    bool flag = false;
    BOOL big = FALSE;
    FILETIME ft{};
    HRESULT h = S_OK;
    DWORD d = 0;
    VSS_ROLLFORWARD_TYPE roll{};

    const std::pair<const char *, std::function<HRESULT()>> rows[] = {
        {"GetLogicalPath", [&] { return c->GetLogicalPath(nullptr); }},
        {"GetComponentType", [&] { return c->GetComponentType(nullptr); }},
        {"GetComponentName", [&] { return c->GetComponentName(nullptr); }},
        {"GetBackupSucceeded", [&] { return c->GetBackupSucceeded(nullptr); }},
        {"GetAlternateLocationMappingCount", [&] { return c->GetAlternateLocationMappingCount(nullptr); }},
        {"GetAlternateLocationMapping", [&] { return c->GetAlternateLocationMapping(0, nullptr); }},
        {"GetBackupMetadata", [&] { return c->GetBackupMetadata(nullptr); }},
        {"GetPartialFileCount", [&] { return c->GetPartialFileCount(nullptr); }},
        {"GetPartialFile path", [&] { return c->GetPartialFile(0, nullptr, &b, &b, &b); }},
        {"GetPartialFile metadata", [&] { return c->GetPartialFile(0, &b, &b, &b, nullptr); }},
        {"IsSelectedForRestore", [&] { return c->IsSelectedForRestore(nullptr); }},
        {"GetAdditionalRestores", [&] { return c->GetAdditionalRestores(nullptr); }},
        {"GetNewTargetCount", [&] { return c->GetNewTargetCount(nullptr); }},
        {"GetNewTarget", [&] { return c->GetNewTarget(0, nullptr); }},
        {"GetDirectedTargetCount", [&] { return c->GetDirectedTargetCount(nullptr); }},
        {"GetDirectedTarget first", [&] { return c->GetDirectedTarget(0, nullptr, &b, &b, &b, &b, &b); }},
        {"GetDirectedTarget last", [&] { return c->GetDirectedTarget(0, &b, &b, &b, &b, &b, nullptr); }},
        {"GetRestoreMetadata", [&] { return c->GetRestoreMetadata(nullptr); }},
        {"GetRestoreTarget", [&] { return c->GetRestoreTarget(nullptr); }},
        {"GetPreRestoreFailureMsg", [&] { return c->GetPreRestoreFailureMsg(nullptr); }},
        {"GetPostRestoreFailureMsg", [&] { return c->GetPostRestoreFailureMsg(nullptr); }},
        {"GetBackupStamp", [&] { return c->GetBackupStamp(nullptr); }},
        {"GetPreviousBackupStamp", [&] { return c->GetPreviousBackupStamp(nullptr); }},
        {"GetBackupOptions", [&] { return c->GetBackupOptions(nullptr); }},
        {"GetRestoreOptions", [&] { return c->GetRestoreOptions(nullptr); }},
        {"GetRestoreSubcomponentCount", [&] { return c->GetRestoreSubcomponentCount(nullptr); }},
        {"GetRestoreSubcomponent name", [&] { return c->GetRestoreSubcomponent(0, &b, nullptr, &flag); }},
        {"GetRestoreSubcomponent repair", [&] { return c->GetRestoreSubcomponent(0, &b, &b, nullptr); }},
        {"GetFileRestoreStatus", [&] { return c->GetFileRestoreStatus(nullptr); }},
        {"GetDifferencedFilesCount", [&] { return c->GetDifferencedFilesCount(nullptr); }},
        {"GetDifferencedFile recursive", [&] { return c->GetDifferencedFile(0, &b, &b, nullptr, &b, &ft); }},
        {"GetDifferencedFile time", [&] { return c->GetDifferencedFile(0, &b, &b, &big, &b, nullptr); }},
        {"GetPrepareForBackupFailureMsg", [&] { return c->GetPrepareForBackupFailureMsg(nullptr); }},
        {"GetPostSnapshotFailureMsg", [&] { return c->GetPostSnapshotFailureMsg(nullptr); }},
        {"GetAuthoritativeRestore", [&] { return c->GetAuthoritativeRestore(nullptr); }},
        {"GetRollForward type", [&] { return c->GetRollForward(nullptr, &b); }},
        {"GetRollForward point", [&] { return c->GetRollForward(&roll, nullptr); }},
        {"GetRestoreName", [&] { return c->GetRestoreName(nullptr); }},
        {"GetFailure hr", [&] { return c->GetFailure(nullptr, &h, &b, &d); }},
        {"GetFailure application", [&] { return c->GetFailure(&h, nullptr, &b, &d); }},
        {"GetFailure message", [&] { return c->GetFailure(&h, &h, nullptr, &d); }},
        {"GetFailure reserved", [&] { return c->GetFailure(&h, &h, &b, nullptr); }},
        {"SetBackupMetadata NULL", [&] { return c->SetBackupMetadata(nullptr); }},
        {"SetBackupStamp NULL", [&] { return c->SetBackupStamp(nullptr); }},
    };
    for (const auto &row : rows) {
        // Named, not a structured binding: clang 14 cannot capture one in INFO's lambda.
        const auto &what = row.first;
        const auto &call = row.second;
        INFO(what);
        const std::size_t before = liveBstrCount();
        const std::size_t objects = liveObjectCount();
        b = nullptr;
        CHECK(Hr{call()} == Hr{E_INVALIDARG});
        CHECK(b == nullptr);
        CHECK(liveBstrCount() == before);
        CHECK(liveObjectCount() == objects);
    }
    (void)n;
}

// ---------------------------------------------------------------------------------------------
// Components, handler mode

TEST_CASE("Writer-side setters work only in the handlers Microsoft names for them")
{
    LeakCheck leaks;
    const WriterIdentity id = sampleIdentity();
    const FILETIME ft{5, 6};
    struct Row {
        const char *what;
        std::function<HRESULT(IVssComponentEx2 *)> call;
        std::vector<Input> allowed;
        std::function<bool(const ComponentRecord &)> stored;
    };
    const Row rows[] = {
        {"SetBackupMetadata", [](IVssComponentEx2 *c) { return c->SetBackupMetadata(L"bm"); },
         {Input::PrepareForBackup, Input::PostSnapshot}, [](const ComponentRecord &r) { return r.backupMetadata == std::optional<std::wstring>(L"bm"); }},
        {"SetBackupStamp", [](IVssComponentEx2 *c) { return c->SetBackupStamp(L"st"); },
         {Input::PrepareForBackup, Input::PostSnapshot}, [](const ComponentRecord &r) { return r.backupStamp == L"st"; }},
        {"AddPartialFile", [](IVssComponentEx2 *c) { return c->AddPartialFile(L"C:\\", L"f", L"0:1", nullptr); },
         {Input::PrepareForBackup, Input::PostSnapshot}, [](const ComponentRecord &r) { return r.partialFiles.size() == 1 && r.partialFiles[0].metadata.empty(); }},
        {"AddDifferencedFilesByLastModifyTime", [&](IVssComponentEx2 *c) { return c->AddDifferencedFilesByLastModifyTime(L"C:\\", L"*", TRUE, ft); },
         {Input::PrepareForBackup, Input::PostSnapshot}, [](const ComponentRecord &r) { return r.differencedFiles.size() == 1 && r.differencedFiles[0].recursive && r.differencedFiles[0].lastModifyTime.dwHighDateTime == 6; }},
        {"SetPrepareForBackupFailureMsg", [](IVssComponentEx2 *c) { return c->SetPrepareForBackupFailureMsg(L"x"); },
         {Input::PrepareForBackup}, [](const ComponentRecord &r) { return r.prepareForBackupFailureMsg == std::optional<std::wstring>(L"x"); }},
        {"SetPostSnapshotFailureMsg", [](IVssComponentEx2 *c) { return c->SetPostSnapshotFailureMsg(L"x"); },
         {Input::PostSnapshot}, [](const ComponentRecord &r) { return r.postSnapshotFailureMsg == std::optional<std::wstring>(L"x"); }},
        {"SetRestoreMetadata", [](IVssComponentEx2 *c) { return c->SetRestoreMetadata(L"rm"); },
         {Input::PreRestore}, [](const ComponentRecord &r) { return r.restoreMetadata == std::optional<std::wstring>(L"rm"); }},
        {"SetPreRestoreFailureMsg", [](IVssComponentEx2 *c) { return c->SetPreRestoreFailureMsg(L"x"); },
         {Input::PreRestore}, [](const ComponentRecord &r) { return r.preRestoreFailureMsg == std::optional<std::wstring>(L"x"); }},
        {"SetPostRestoreFailureMsg", [](IVssComponentEx2 *c) { return c->SetPostRestoreFailureMsg(L"x"); },
         {Input::PostRestore}, [](const ComponentRecord &r) { return r.postRestoreFailureMsg == std::optional<std::wstring>(L"x"); }},
        {"SetRestoreTarget", [](IVssComponentEx2 *c) { return c->SetRestoreTarget(VSS_RT_ALTERNATE); },
         {Input::PreRestore, Input::PostRestore}, [](const ComponentRecord &r) { return r.restoreTarget == VSS_RT_ALTERNATE; }},
        {"AddDirectedTarget", [](IVssComponentEx2 *c) { return c->AddDirectedTarget(L"C:\\", L"f", nullptr, L"D:\\", L"g", L"0:1"); },
         {Input::PreRestore, Input::PostRestore}, [](const ComponentRecord &r) { return r.directedTargets.size() == 1 && r.directedTargets[0].destinationRanges == L"0:1"; }},
        {"SetFailure", [](IVssComponentEx2 *c) { return c->SetFailure(VSS_E_WRITERERROR_RETRYABLE, E_FAIL, L"m", 0); },
         {Input::PrepareForBackup, Input::PostSnapshot, Input::BackupComplete, Input::PreRestore, Input::PostRestore},
         [](const ComponentRecord &r) { return r.failure && r.failure->hrWriter == VSS_E_WRITERERROR_RETRYABLE; }},
    };
    const Input events[] = {Input::PrepareForBackup, Input::PostSnapshot, Input::BackupComplete, Input::PreRestore,
                            Input::PostRestore};
    for (const Row &r : rows) {
        for (Input event : events) {
            INFO(r.what, " in ", std::string(inputName(event)));
            auto svc = makeService();
            auto s = std::make_shared<Session>(svc);
            s->components().push_back(record(kInstance, kClass, L"C"));
            const bool allowed = std::find(r.allowed.begin(), r.allowed.end(), event) != r.allowed.end();
            Handler h(*s, event);
            HandlerComponents hc(s, id, &h.call);
            Ref<IVssComponent> c;
            REQUIRE(Hr{hc.GetComponent(0, &c)} == Hr{S_OK});
            Ref<IVssComponentEx2> ex2;
            REQUIRE(Hr{c->QueryInterface(IID_IVssComponentEx2, reinterpret_cast<void **>(&ex2))} == Hr{S_OK});
            CHECK(Hr{r.call(ex2.p)} == Hr{allowed ? S_OK : VSS_E_BAD_STATE});
            CHECK(r.stored(s->components()[0]) == allowed);
        }
    }
}

TEST_CASE("SetBackupMetadata and SetRestoreMetadata are written once")
{
    auto svc = makeService();
    auto s = std::make_shared<Session>(svc);
    s->components().push_back(record(kInstance, kClass, L"C"));
    const WriterIdentity id = sampleIdentity();
    {
        Handler h(*s, Input::PrepareForBackup);
        HandlerComponents hc(s, id, &h.call);
        Ref<IVssComponent> c;
        REQUIRE(Hr{hc.GetComponent(0, &c)} == Hr{S_OK});
        CHECK(Hr{c->SetBackupMetadata(L"one")} == Hr{S_OK});
        CHECK(Hr{c->SetBackupMetadata(L"two")} == Hr{VSS_E_OBJECT_ALREADY_EXISTS});
        CHECK(Hr{c->SetBackupStamp(L"a")} == Hr{S_OK});
        CHECK(Hr{c->SetBackupStamp(L"b")} == Hr{S_OK});  // no such rule for stamps
    }
    {
        Handler h(*s, Input::PreRestore);
        HandlerComponents hc(s, id, &h.call);
        Ref<IVssComponent> c;
        REQUIRE(Hr{hc.GetComponent(0, &c)} == Hr{S_OK});
        CHECK(Hr{c->SetRestoreMetadata(L"one")} == Hr{S_OK});
        CHECK(Hr{c->SetRestoreMetadata(L"two")} == Hr{VSS_E_OBJECT_ALREADY_EXISTS});
        CHECK(Hr{c->SetRestoreTarget(VSS_RT_UNDEFINED)} == Hr{E_INVALIDARG});
        CHECK(Hr{c->SetRestoreTarget(static_cast<VSS_RESTORE_TARGET>(5))} == Hr{E_INVALIDARG});
    }
    const ComponentRecord &r = s->components()[0];
    CHECK(r.backupMetadata == std::optional<std::wstring>(L"one"));
    CHECK(r.backupStamp == L"b");
    CHECK(r.restoreMetadata == std::optional<std::wstring>(L"one"));
    CHECK(r.restoreTarget == VSS_RT_ORIGINAL);
}

TEST_CASE("IVssComponentEx2::SetFailure: six codes, dwReserved 0, only in the handler that got the component")
{
    LeakCheck leaks;
    auto svc = makeService();
    auto s = std::make_shared<Session>(svc);
    s->components().push_back(record(kInstance, kClass, L"C"));
    const WriterIdentity id = sampleIdentity();
    const HRESULT accepted[] = {S_OK,
                                VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT,
                                VSS_E_WRITERERROR_OUTOFRESOURCES,
                                VSS_E_WRITERERROR_TIMEOUT,
                                VSS_E_WRITERERROR_RETRYABLE,
                                VSS_E_WRITERERROR_NONRETRYABLE};
    const HRESULT rejected[] = {E_FAIL, S_FALSE, VSS_E_WRITERERROR_PARTIAL_FAILURE, VSS_E_WRITER_NOT_RESPONDING,
                                VSS_E_WRITERERROR_RECOVERY_FAILED, VSS_E_BAD_STATE, E_INVALIDARG};

    Ref<IVssComponentEx2> kept;
    {
        Handler h(*s, Input::PostSnapshot);
        HandlerComponents hc(s, id, &h.call);
        Ref<IVssComponent> c;
        REQUIRE(Hr{hc.GetComponent(0, &c)} == Hr{S_OK});
        REQUIRE(Hr{c->QueryInterface(IID_IVssComponentEx2, reinterpret_cast<void **>(&kept))} == Hr{S_OK});
        for (HRESULT hr : rejected) {
            INFO(Hr{hr});
            CHECK(Hr{kept->SetFailure(hr, S_OK, L"m", 0)} == Hr{E_INVALIDARG});
            CHECK_FALSE(s->components()[0].failure);
        }
        CHECK(Hr{kept->SetFailure(VSS_E_WRITERERROR_RETRYABLE, S_OK, L"m", 1)} == Hr{E_INVALIDARG});
        CHECK_FALSE(s->components()[0].failure);
        for (HRESULT hr : accepted) {
            INFO(Hr{hr});
            CHECK(Hr{kept->SetFailure(hr, static_cast<HRESULT>(0x80070005), L"why", 0)} == Hr{S_OK});
            REQUIRE(s->components()[0].failure);
            CHECK(Hr{s->components()[0].failure->hrWriter} == Hr{hr});
            CHECK(Hr{s->components()[0].failure->hrApplication} == Hr{static_cast<HRESULT>(0x80070005)});
            CHECK(s->components()[0].failure->message == std::optional<std::wstring>(L"why"));
        }
        REQUIRE(Hr{kept->SetFailure(VSS_E_WRITERERROR_TIMEOUT, S_FALSE, nullptr, 0)} == Hr{S_OK});
        CHECK_FALSE(s->components()[0].failure->message);
    }
    // The handler returned: the writer's component pointer is dead, and no requester mistake is
    // recorded for a writer's misuse.
    CHECK(Hr{kept->SetFailure(VSS_E_WRITERERROR_RETRYABLE, S_OK, L"late", 0)} == Hr{VSS_E_BAD_STATE});
    BSTR b = nullptr;
    CHECK(Hr{kept->GetLogicalPath(&b)} == Hr{VSS_E_BAD_STATE});
    CHECK(b == nullptr);
    CHECK(Hr{s->components()[0].failure->hrWriter} == Hr{VSS_E_WRITERERROR_TIMEOUT});
    {
        // A later handler of the same writer: even at the same EventCall address, the old pointer stays dead.
        Handler h(*s, Input::BackupComplete);
        CHECK(Hr{kept->SetFailure(VSS_E_WRITERERROR_RETRYABLE, S_OK, L"late", 0)} == Hr{VSS_E_BAD_STATE});
    }
    CHECK(mistakes(*svc, "M17") == 0);

    // The requester reads back what the writer set.
    Ref<IVssComponentEx2> r(requesterComponent(s, 0));
    HRESULT hr = E_FAIL, app = E_FAIL;
    DWORD reserved = 9;
    b = reinterpret_cast<BSTR>(1);
    REQUIRE(Hr{r->GetFailure(&hr, &app, &b, &reserved)} == Hr{S_OK});
    CHECK(Hr{hr} == Hr{VSS_E_WRITERERROR_TIMEOUT});
    CHECK(Hr{app} == Hr{S_FALSE});
    CHECK(b == nullptr);
    CHECK(reserved == 0);
}

TEST_CASE("IVssComponentEx2::GetFailure: defaults, messages, writer overrides, injected faults")
{
    LeakCheck leaks;
    auto svc = makeService();
    auto s = std::make_shared<Session>(svc);
    s->components().push_back(record(kInstance, kClass, L"None"));
    ComponentRecord withMessage = record(kInstance, kClass, L"Message");
    withMessage.failure = Failure{VSS_E_WRITERERROR_NONRETRYABLE, E_ACCESSDENIED, L"disk gone"};
    s->components().push_back(withMessage);
    ComponentRecord empty = record(kInstance, kClass, L"Empty");
    empty.failure = Failure{S_OK, E_FAIL, L""};
    s->components().push_back(empty);

    HRESULT hr = E_FAIL, app = E_FAIL;
    DWORD reserved = 9;
    BSTR b = reinterpret_cast<BSTR>(1);
    {
        Ref<IVssComponentEx2> c(requesterComponent(s, 0));
        REQUIRE(Hr{c->GetFailure(&hr, &app, &b, &reserved)} == Hr{S_OK});
        CHECK(Hr{hr} == Hr{S_OK});
        CHECK(Hr{app} == Hr{S_OK});
        CHECK(b == nullptr);
        CHECK(reserved == 0);
    }
    {
        Ref<IVssComponentEx2> c(requesterComponent(s, 1));
        REQUIRE(Hr{c->GetFailure(&hr, &app, &b, &reserved)} == Hr{S_OK});
        CHECK(Hr{hr} == Hr{VSS_E_WRITERERROR_NONRETRYABLE});
        CHECK(Hr{app} == Hr{E_ACCESSDENIED});
        CHECK(take(b) == L"disk gone");
    }
    {
        Ref<IVssComponentEx2> c(requesterComponent(s, 2));
        REQUIRE(Hr{c->GetFailure(&hr, &app, &b, &reserved)} == Hr{S_OK});
        CHECK(Hr{hr} == Hr{S_OK});
        CHECK(Hr{app} == Hr{E_FAIL});
        REQUIRE(b != nullptr);  // an empty message is a zero-length BSTR, not NULL
        CHECK(take(b).empty());
    }
    for (HRESULT writerOverride : {VSS_E_WRITER_NOT_RESPONDING, VSS_E_WRITER_STATUS_NOT_AVAILABLE}) {
        INFO(Hr{writerOverride});
        Ref<IVssComponentEx2> c(requesterComponent(s, 1, writerOverride));
        b = reinterpret_cast<BSTR>(1);
        REQUIRE(Hr{c->GetFailure(&hr, &app, &b, &reserved)} == Hr{S_OK});
        CHECK(Hr{hr} == Hr{writerOverride});
        CHECK(Hr{app} == Hr{S_OK});
        CHECK(b == nullptr);
        CHECK(reserved == 0);
    }
    {
        Ref<IVssComponentEx2> c(requesterComponent(s, 1));
        svc->callFaults().push_back(CallFault{"GetFailure", E_OUTOFMEMORY, 0, false, 0});
        const std::size_t before = liveBstrCount();
        b = nullptr;
        CHECK(Hr{c->GetFailure(&hr, &app, &b, &reserved)} == Hr{E_OUTOFMEMORY});
        CHECK(b == nullptr);
        CHECK(liveBstrCount() == before);
        svc->callFaults().clear();
        REQUIRE(Hr{c->GetFailure(&hr, &app, &b, &reserved)} == Hr{S_OK});
        CHECK(take(b) == L"disk gone");
    }
}

TEST_CASE("IVssWriterComponents in a handler: this writer's components, only while the handler runs")
{
    LeakCheck leaks;
    const WriterIdentity id = sampleIdentity();
    auto svc = makeService();
    auto s = std::make_shared<Session>(svc);
    s->components().push_back(record(kOtherInstance, kClass, L"OtherInstance"));
    s->components().push_back(record(kInstance, kClass, L"Mine1"));
    s->components().push_back(record(kInstance, kOtherClass, L"Mine2"));  // matched by instance in a backup
    {
        Handler h(*s, Input::PrepareForBackup);
        HandlerComponents hc(s, id, &h.call);
        IVssWriterComponents *wc = &hc;
        UINT n = 0;
        REQUIRE(Hr{wc->GetComponentCount(&n)} == Hr{S_OK});
        CHECK(n == 2);
        VSS_ID instance{}, writer{};
        REQUIRE(Hr{wc->GetWriterInfo(&instance, &writer)} == Hr{S_OK});
        CHECK(instance == kInstance);
        CHECK(writer == kClass);
        CHECK(Hr{wc->GetComponentCount(nullptr)} == Hr{E_INVALIDARG});
        CHECK(Hr{wc->GetWriterInfo(nullptr, &writer)} == Hr{E_INVALIDARG});
        CHECK(Hr{wc->GetComponent(0, nullptr)} == Hr{E_INVALIDARG});
        IVssComponent *none = nullptr;
        CHECK(Hr{wc->GetComponent(2, &none)} == Hr{VSS_E_OBJECT_NOT_FOUND});
        CHECK(none == nullptr);
        Ref<IVssComponent> c;
        REQUIRE(Hr{wc->GetComponent(1, &c)} == Hr{S_OK});
        BSTR b = nullptr;
        REQUIRE(Hr{c->GetComponentName(&b)} == Hr{S_OK});
        CHECK(take(b) == L"Mine2");
    }
    {
        // Outside the handler (another handler is current, or none).
        EventCall other;
        HandlerComponents stale(s, id, &other);
        UINT n = 0;
        CHECK(Hr{stale.GetComponentCount(&n)} == Hr{VSS_E_BAD_STATE});
        VSS_ID a{}, b{};
        CHECK(Hr{stale.GetWriterInfo(&a, &b)} == Hr{VSS_E_BAD_STATE});
        IVssComponent *c = nullptr;
        CHECK(Hr{stale.GetComponent(0, &c)} == Hr{VSS_E_BAD_STATE});
        CHECK(c == nullptr);
    }

    // In a restore the writer has a new instance id: its components are found by class id.
    auto r = std::make_shared<Session>(svc);
    BcdDocument doc;
    doc.components.push_back(record(kOtherInstance, kClass, L"FromBackup"));
    doc.components.push_back(record(kOtherInstance, kOtherClass, L"SomeoneElse"));
    REQUIRE(r->initializeForRestore(formatBcdXml(doc)));
    {
        Handler h(*r, Input::PreRestore);
        HandlerComponents hc(r, id, &h.call);
        UINT n = 0;
        REQUIRE(Hr{hc.GetComponentCount(&n)} == Hr{S_OK});
        CHECK(n == 1);
        Ref<IVssComponent> c;
        REQUIRE(Hr{hc.GetComponent(0, &c)} == Hr{S_OK});
        BSTR b = nullptr;
        REQUIRE(Hr{c->GetComponentName(&b)} == Hr{S_OK});
        CHECK(take(b) == L"FromBackup");
    }
    r->release();
}

} // TEST_SUITE
