// The backup components document through the public COM API: what a writer and a requester put
// into it during a backup and a restore comes back, after SaveAsXML and InitializeForRestore, through
// the IVssComponent getters of another requester. Then the document as untrusted input: hostile
// texts are VSS_E_INVALID_XML_DOCUMENT or round-trip exactly, never a crash.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <vsbackup.h>
#include <vsserror.h>
#include <vswriter.h>

#include "fixture.h"
#include "service/bcd_xml.h"

using namespace vsssim;
using namespace vsssim::test;

namespace {

constexpr VSS_ID kClass = {0x5ca1ab1e, 0x0b0e, 0x4c0d, {0x9e, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77}};
constexpr const wchar_t *kName = L"Data";

// Text that a careless writer could break: markup, quotes, a tab, non-ASCII and non-BMP letters.
const std::wstring kTricky = L"a<b>&\"c'\td \u00e9\u4e2d\U0001F600";

/// Partial files in PostSnapshot, directed targets in PreRestore: the handlers Microsoft names.
class RangesWriter : public CVssWriterEx2
{
public:
    bool STDMETHODCALLTYPE OnIdentify(IVssCreateWriterMetadata *md) override
    {
        return SUCCEEDED(md->SetRestoreMethod(VSS_RME_RESTORE_TO_ALTERNATE_LOCATION, NULL, NULL, VSS_WRE_NEVER, false)) &&
               SUCCEEDED(md->AddComponent(VSS_CT_FILEGROUP, NULL, kName, L"Data files", NULL, 0, false, true, true, true));
    }
    bool STDMETHODCALLTYPE OnPrepareBackup(IVssWriterComponents *) override { return true; }
    bool STDMETHODCALLTYPE OnPrepareSnapshot() override { return true; }
    bool STDMETHODCALLTYPE OnFreeze() override { return true; }
    bool STDMETHODCALLTYPE OnThaw() override { return true; }
    bool STDMETHODCALLTYPE OnAbort() override { return true; }
    bool STDMETHODCALLTYPE OnPostSnapshot(IVssWriterComponents *components) override
    {
        return each(components, [](IVssComponent *c) {
            return c->AddPartialFile(L"C:\\Db", L"orders.mdf", L"0:4096,8192:4096", kTricky.c_str()) == S_OK &&
                   c->AddPartialFile(L"C:\\Db", L"log.ldf", L"C:\\Db\\ranges.bin", NULL) == S_OK;
        });
    }
    bool STDMETHODCALLTYPE OnPreRestore(IVssWriterComponents *components) override
    {
        return each(components, [](IVssComponent *c) {
            return c->AddDirectedTarget(L"C:\\Db", L"orders.mdf", L"0:4096", L"D:\\Moved", kTricky.c_str(), L"512:4096") == S_OK;
        });
    }

    HRESULT start()
    {
        HRESULT hr = Initialize(kClass, L"Ranges Writer", VSS_UT_USERDATA, VSS_ST_OTHER);
        return FAILED(hr) ? hr : Subscribe();
    }

    int handled = 0;

protected:
    template <class F>
    bool each(IVssWriterComponents *components, F f)
    {
        UINT n = 0;
        bool ok = components->GetComponentCount(&n) == S_OK && n == 1;
        for (UINT i = 0; ok && i < n; ++i) {
            IVssComponent *c = NULL;
            ok = components->GetComponent(i, &c) == S_OK && f(c);
            if (c)
                c->Release();
        }
        handled += ok;
        return ok;
    }
};

/// The rest of what a writer puts into the document: differenced files and a component failure in
/// PostSnapshot, restore metadata and a failure message in PreRestore; it notes whether the restore
/// still has partial-file support.
class StateWriter : public RangesWriter
{
public:
    bool STDMETHODCALLTYPE OnPostSnapshot(IVssWriterComponents *components) override
    {
        return each(components, [](IVssComponent *c) {
            IVssComponentEx2 *ex2 = NULL;
            bool ok = c->AddDifferencedFilesByLastModifyTime(L"C:\\Db", L"*.log", TRUE, kModified) == S_OK &&
                      c->QueryInterface(IID_IVssComponentEx2, reinterpret_cast<void **>(&ex2)) == S_OK &&
                      ex2->SetFailure(VSS_E_WRITERERROR_RETRYABLE, E_ACCESSDENIED, kTricky.c_str(), 0) == S_OK;
            if (ex2)
                ex2->Release();
            return ok;
        });
    }
    bool STDMETHODCALLTYPE OnPreRestore(IVssWriterComponents *components) override
    {
        partialFileSupport = IsPartialFileSupportEnabled();
        return each(components, [](IVssComponent *c) {
            IVssComponentEx *ex = NULL;
            bool ok = c->SetRestoreMetadata(kTricky.c_str()) == S_OK &&
                      c->QueryInterface(IID_IVssComponentEx, reinterpret_cast<void **>(&ex)) == S_OK &&
                      ex->SetPreRestoreFailureMsg(L"pre-restore note") == S_OK;
            if (ex)
                ex->Release();
            return ok;
        });
    }

    static constexpr FILETIME kModified{0x89abcdefu, 0x01d2a3b4u};
    bool partialFileSupport = false;
};

std::wstring take(BSTR b)
{
    std::wstring s = b ? std::wstring(b, SysStringLen(b)) : std::wstring();
    SysFreeString(b);
    return s;
}

/// One requester object, driven as VShadow drives it: Wait, then QueryStatus for the result.
struct ComRequester {
    IVssBackupComponents *p = NULL;
    ComRequester() { REQUIRE(Hr{CreateVssBackupComponents(&p)} == Hr{S_OK}); }
    ~ComRequester()
    {
        if (p)
            p->Release();
    }
    ComRequester(const ComRequester &) = delete;
    ComRequester &operator=(const ComRequester &) = delete;

    HRESULT run(HRESULT (STDMETHODCALLTYPE IVssBackupComponents::*method)(IVssAsync **))
    {
        IVssAsync *pAsync = NULL;
        HRESULT hr = (p->*method)(&pAsync);
        if (FAILED(hr))
            return hr;
        pAsync->Wait();
        HRESULT result = E_FAIL;
        pAsync->QueryStatus(&result, NULL);
        pAsync->Release();
        return result;
    }

    std::wstring save()
    {
        BSTR xml = NULL;
        REQUIRE(Hr{p->SaveAsXML(&xml)} == Hr{S_OK});
        return take(xml);
    }

    HRESULT restoreFrom(const std::wstring &xml)
    {
        BSTR b = SysAllocStringLen(xml.data(), static_cast<UINT>(xml.size()));
        const HRESULT hr = p->InitializeForRestore(b);
        SysFreeString(b);
        return hr;
    }

    /// The one component of the BCD, through GetWriterComponents; the caller releases it.
    IVssComponent *component()
    {
        UINT writers = 0;
        REQUIRE(Hr{p->GetWriterComponentsCount(&writers)} == Hr{S_OK});
        REQUIRE(writers == 1);
        IVssWriterComponentsExt *w = NULL;
        REQUIRE(Hr{p->GetWriterComponents(0, &w)} == Hr{S_OK});
        IVssComponent *c = NULL;
        const HRESULT hr = w->GetComponent(0, &c);
        w->Release();
        REQUIRE(Hr{hr} == Hr{S_OK});
        return c;
    }
};

struct Partial {
    std::wstring path, filename, ranges, metadata;
    bool operator==(const Partial &) const = default;
};

std::vector<Partial> partialFiles(IVssComponent *c)
{
    UINT n = 0;
    REQUIRE(Hr{c->GetPartialFileCount(&n)} == Hr{S_OK});
    std::vector<Partial> out;
    for (UINT i = 0; i < n; ++i) {
        BSTR path = NULL, name = NULL, ranges = NULL, metadata = NULL;
        REQUIRE(Hr{c->GetPartialFile(i, &path, &name, &ranges, &metadata)} == Hr{S_OK});
        out.push_back({take(path), take(name), take(ranges), take(metadata)});
    }
    return out;
}

const std::vector<Partial> kPartials = {{L"C:\\Db", L"orders.mdf", L"0:4096,8192:4096", kTricky},
                                        {L"C:\\Db", L"log.ldf", L"C:\\Db\\ranges.bin", L""}};

void checkDirectedTarget(IVssComponent *c)
{
    UINT n = 0;
    REQUIRE(Hr{c->GetDirectedTargetCount(&n)} == Hr{S_OK});
    REQUIRE(n == 1);
    BSTR sp = NULL, sf = NULL, sr = NULL, dp = NULL, df = NULL, dr = NULL;
    REQUIRE(Hr{c->GetDirectedTarget(0, &sp, &sf, &sr, &dp, &df, &dr)} == Hr{S_OK});
    CHECK(take(sp) == L"C:\\Db");
    CHECK(take(sf) == L"orders.mdf");
    CHECK(take(sr) == L"0:4096");
    CHECK(take(dp) == L"D:\\Moved");
    CHECK(take(df) == kTricky);
    CHECK(take(dr) == L"512:4096");
}

void checkRestoreRequest(IVssComponent *c)
{
    BSTR options = NULL;
    REQUIRE(Hr{c->GetRestoreOptions(&options)} == Hr{S_OK});
    CHECK(take(options) == L"/overwrite " + kTricky);
    UINT n = 0;
    REQUIRE(Hr{c->GetNewTargetCount(&n)} == Hr{S_OK});
    REQUIRE(n == 1);
    IVssWMFiledesc *f = NULL;
    REQUIRE(Hr{c->GetNewTarget(0, &f)} == Hr{S_OK});
    BSTR path = NULL, spec = NULL, alternate = NULL;
    bool recursive = false;
    CHECK(Hr{f->GetPath(&path)} == Hr{S_OK});
    CHECK(Hr{f->GetFilespec(&spec)} == Hr{S_OK});
    CHECK(Hr{f->GetRecursive(&recursive)} == Hr{S_OK});
    CHECK(Hr{f->GetAlternateLocation(&alternate)} == Hr{S_OK});
    f->Release();
    CHECK(take(path) == L"C:\\Db");
    CHECK(take(spec) == L"*.mdf");
    CHECK(recursive);
    CHECK(take(alternate) == L"E:\\New");
}

} // namespace

/// A component-mode backup of the writer's one component with partial-file support; the document
/// SaveAsXML gives after DoSnapshotSet (after SetBackupSucceeded when `succeeded`).
std::wstring backUpWith(RangesWriter &writer, bool succeeded)
{
    ComRequester r;
    REQUIRE(Hr{r.p->InitializeForBackup(NULL)} == Hr{S_OK});
    REQUIRE(Hr{r.p->SetBackupState(true, false, VSS_BT_FULL, true)} == Hr{S_OK});
    REQUIRE(Hr{r.run(&IVssBackupComponents::GatherWriterMetadata)} == Hr{VSS_S_ASYNC_FINISHED});
    VSS_ID instance = GUID_NULL;
    IVssExamineWriterMetadata *md = NULL;
    REQUIRE(Hr{r.p->GetWriterMetadata(0, &instance, &md)} == Hr{S_OK});
    md->Release();
    REQUIRE(Hr{r.p->AddComponent(instance, kClass, VSS_CT_FILEGROUP, NULL, kName)} == Hr{S_OK});
    VSS_ID set = GUID_NULL, snapshot = GUID_NULL;
    REQUIRE(Hr{r.p->StartSnapshotSet(&set)} == Hr{S_OK});
    REQUIRE(Hr{r.p->AddToSnapshotSet(const_cast<VSS_PWSZ>(L"C:\\"), GUID_NULL, &snapshot)} == Hr{S_OK});
    REQUIRE(Hr{r.run(&IVssBackupComponents::PrepareForBackup)} == Hr{VSS_S_ASYNC_FINISHED});
    REQUIRE(Hr{r.run(&IVssBackupComponents::DoSnapshotSet)} == Hr{VSS_S_ASYNC_FINISHED});
    CHECK(writer.handled == 1);
    if (succeeded)
        REQUIRE(Hr{r.p->SetBackupSucceeded(instance, kClass, VSS_CT_FILEGROUP, NULL, kName, true)} == Hr{S_OK});
    std::wstring xml = r.save();
    REQUIRE(Hr{r.run(&IVssBackupComponents::BackupComplete)} == Hr{VSS_S_ASYNC_FINISHED});
    return xml;
}

TEST_SUITE("bcd")
{

TEST_CASE("SaveAsXML -> InitializeForRestore keeps partial files, directed targets, restore options and new targets")
{
    auto svc = makeService("none");
    RangesWriter writer;
    REQUIRE(Hr{writer.start()} == Hr{S_OK});

    const std::wstring backupXml = backUpWith(writer, true);

    std::wstring restoreXml;
    {
        ComRequester r;
        REQUIRE(Hr{r.restoreFrom(backupXml)} == Hr{S_OK});
        REQUIRE(Hr{r.run(&IVssBackupComponents::GatherWriterMetadata)} == Hr{VSS_S_ASYNC_FINISHED});
        {
            IVssComponent *c = r.component();
            CHECK(partialFiles(c) == kPartials);
            bool succeeded = false;
            CHECK(Hr{c->GetBackupSucceeded(&succeeded)} == Hr{S_OK});
            CHECK(succeeded);
            c->Release();
        }
        REQUIRE(Hr{r.p->SetSelectedForRestore(kClass, VSS_CT_FILEGROUP, NULL, kName, true)} == Hr{S_OK});
        const std::wstring options = L"/overwrite " + kTricky;
        REQUIRE(Hr{r.p->SetRestoreOptions(kClass, VSS_CT_FILEGROUP, NULL, kName, options.c_str())} == Hr{S_OK});
        REQUIRE(Hr{r.p->AddNewTarget(kClass, VSS_CT_FILEGROUP, NULL, kName, L"C:\\Db", L"*.mdf", true, L"E:\\New")} == Hr{S_OK});
        REQUIRE(Hr{r.run(&IVssBackupComponents::PreRestore)} == Hr{VSS_S_ASYNC_FINISHED});
        CHECK(writer.handled == 2);
        // The restore document, as a requester that restores in two steps keeps it.
        restoreXml = r.save();
        REQUIRE(Hr{r.run(&IVssBackupComponents::PostRestore)} == Hr{VSS_S_ASYNC_FINISHED});
    }

    ComRequester r;
    REQUIRE(Hr{r.restoreFrom(restoreXml)} == Hr{S_OK});
    REQUIRE(Hr{r.run(&IVssBackupComponents::GatherWriterMetadata)} == Hr{VSS_S_ASYNC_FINISHED});
    IVssComponent *c = r.component();
    CHECK(partialFiles(c) == kPartials);
    checkDirectedTarget(c);
    checkRestoreRequest(c);
    c->Release();
    // Saved again unchanged, the document is the same text.
    CHECK(r.save() == restoreXml);
}

TEST_CASE("SaveAsXML -> InitializeForRestore keeps restore metadata, subcomponents, differenced files, SetFailure and partial-file support")
{
    auto svc = makeService("none");
    StateWriter writer;
    REQUIRE(Hr{writer.start()} == Hr{S_OK});

    const std::wstring backupXml = backUpWith(writer, false);

    std::wstring restoreXml;
    {
        ComRequester r;
        REQUIRE(Hr{r.restoreFrom(backupXml)} == Hr{S_OK});
        REQUIRE(Hr{r.run(&IVssBackupComponents::GatherWriterMetadata)} == Hr{VSS_S_ASYNC_FINISHED});
        REQUIRE(Hr{r.p->SetSelectedForRestore(kClass, VSS_CT_FILEGROUP, NULL, kName, true)} == Hr{S_OK});
        REQUIRE(Hr{r.p->AddRestoreSubcomponent(kClass, VSS_CT_FILEGROUP, NULL, kName, L"Data", L"orders", true)} == Hr{S_OK});
        REQUIRE(Hr{r.run(&IVssBackupComponents::PreRestore)} == Hr{VSS_S_ASYNC_FINISHED});
        CHECK(writer.handled == 2);
        CHECK(writer.partialFileSupport);   // bPartialFileSupport of the backup, through the document
        restoreXml = r.save();
        REQUIRE(Hr{r.run(&IVssBackupComponents::PostRestore)} == Hr{VSS_S_ASYNC_FINISHED});
    }

    ComRequester r;
    REQUIRE(Hr{r.restoreFrom(restoreXml)} == Hr{S_OK});
    REQUIRE(Hr{r.run(&IVssBackupComponents::GatherWriterMetadata)} == Hr{VSS_S_ASYNC_FINISHED});
    IVssComponent *c = r.component();
    BSTR text = NULL;
    REQUIRE(Hr{c->GetRestoreMetadata(&text)} == Hr{S_OK});
    CHECK(take(text) == kTricky);
    UINT count = 0;
    REQUIRE(Hr{c->GetRestoreSubcomponentCount(&count)} == Hr{S_OK});
    REQUIRE(count == 1);
    BSTR subPath = NULL, subName = NULL;
    bool repair = false;
    REQUIRE(Hr{c->GetRestoreSubcomponent(0, &subPath, &subName, &repair)} == Hr{S_OK});
    CHECK(take(subPath) == L"Data");
    CHECK(take(subName) == L"orders");
    CHECK(repair);
    REQUIRE(Hr{c->GetDifferencedFilesCount(&count)} == Hr{S_OK});
    REQUIRE(count == 1);
    BSTR path = NULL, spec = NULL, lsn = NULL;
    BOOL recursive = FALSE;
    FILETIME modified{};
    REQUIRE(Hr{c->GetDifferencedFile(0, &path, &spec, &recursive, &lsn, &modified)} == Hr{S_OK});
    CHECK(take(path) == L"C:\\Db");
    CHECK(take(spec) == L"*.log");
    take(lsn);
    CHECK(recursive);
    CHECK(modified.dwLowDateTime == StateWriter::kModified.dwLowDateTime);
    CHECK(modified.dwHighDateTime == StateWriter::kModified.dwHighDateTime);
    IVssComponentEx2 *ex2 = NULL;
    REQUIRE(Hr{c->QueryInterface(IID_IVssComponentEx2, reinterpret_cast<void **>(&ex2))} == Hr{S_OK});
    HRESULT hr = S_OK, hrApplication = S_OK;
    BSTR message = NULL;
    DWORD reserved = 1;
    REQUIRE(Hr{ex2->GetFailure(&hr, &hrApplication, &message, &reserved)} == Hr{S_OK});
    CHECK(Hr{hr} == Hr{VSS_E_WRITERERROR_RETRYABLE});
    CHECK(Hr{hrApplication} == Hr{E_ACCESSDENIED});
    CHECK(take(message) == kTricky);
    REQUIRE(Hr{ex2->GetPreRestoreFailureMsg(&message)} == Hr{S_OK});
    CHECK(take(message) == L"pre-restore note");
    ex2->Release();
    c->Release();
    CHECK(r.save() == restoreXml);
}

TEST_CASE("A version 1 document (before restore options and child elements) still loads")
{
    const std::wstring v1 =
        L"<?xml version=\"1.0\"?>\n<VssSimBackupComponents version=\"1\" backupType=\"1\" context=\"0\" selectComponents=\"1\" "
        L"bootable=\"0\" snapshotSetId=\"{00000000-0000-0000-0000-000000000001}\">\n"
        L"  <Component instanceId=\"{00000000-0000-0000-0000-000000000002}\" writerId=\"{00000000-0000-0000-0000-000000000003}\" "
        L"type=\"2\" logicalPath=\"\" name=\"N &#xe9;&#x1f600;\" backupSucceeded=\"1\" backupOptions=\"\" backupStamp=\"s\" "
        L"previousBackupStamp=\"\" backupMetadata=\"m\"/>\n</VssSimBackupComponents>\n";
    auto doc = parseBcdXml(v1);
    REQUIRE(doc);
    REQUIRE(doc->components.size() == 1);
    CHECK(doc->components[0].name == L"N \u00e9\U0001F600");
    CHECK(doc->components[0].backupStamp == L"s");
    CHECK(doc->components[0].restoreOptions.empty());
    CHECK(doc->components[0].backupMetadata == std::optional<std::wstring>(L"m"));
}

TEST_CASE("Hostile backup components documents: VSS_E_INVALID_XML_DOCUMENT or an exact round trip")
{
    const std::wstring head = L"<VssSimBackupComponents version=\"2\" backupType=\"1\" context=\"0\" "
                              L"snapshotSetId=\"{00000000-0000-0000-0000-000000000001}\">";
    const std::wstring tail = L"</VssSimBackupComponents>";
    auto component = [](std::wstring name) {
        return L"<Component instanceId=\"{00000000-0000-0000-0000-000000000002}\" writerId=\"{00000000-0000-0000-0000-"
               L"000000000003}\" type=\"2\" name=\"" + name + L"\"/>";
    };
    std::wstring deep = head;
    for (int i = 0; i < 200000; ++i)
        deep += L"<Component>";
    const std::wstring huge(1u << 20, L'x');

    struct Row {
        const char *what;
        std::wstring xml;
    };
    const Row invalid[] = {
        {"deep nesting", deep},
        {"text inside the root", head + std::wstring(50, L'a') + tail},
        {"a huge attribute name", head + L"<Component " + huge + L"=\"1\"/>" + tail},
        {"a huge element name", head + L"<" + huge + L"/>" + tail},
        {"a huge unknown reference", head + component(L"&" + huge + L";") + tail},
        {"internal entities (billion laughs)",
         L"<!DOCTYPE VssSimBackupComponents [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]>" + head +
             component(L"&b;") + tail},
        {"an external entity",
         L"<!DOCTYPE VssSimBackupComponents [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>" + head + component(L"&x;") + tail},
        {"a document type alone", L"<!DOCTYPE VssSimBackupComponents>" + head + tail},
        {"an undeclared entity", head + component(L"&nbsp;") + tail},
        {"a reference past U+10FFFF", head + component(L"&#x110000;") + tail},
        {"an upper-case X in a reference", head + component(L"&#X41;") + tail},
        {"a reference too long to be a number", head + component(L"&#x0000000041;") + tail},
        {"a raw NUL", head + component(std::wstring(L"a\0b", 3)) + tail},
        {"a NUL after the root", head + tail + std::wstring(1, L'\0')},
        {"a comment", head + L"<!-- hi -->" + tail},
        {"a processing instruction", head + L"<?php x ?>" + tail},
        {"CDATA", head + L"<![CDATA[x]]>" + tail},
        {"two roots", head + tail + head + tail},
        {"a repeated attribute", head + L"<Component name=\"a\" name=\"b\"/>" + tail},
        {"a namespace-prefixed root", L"<x:VssSimBackupComponents/>"},
        {"version 3", L"<VssSimBackupComponents version=\"3\"/>"},
        {"unknown child of a component", head + L"<Component instanceId=\"{00000000-0000-0000-0000-000000000002}\" "
                                                L"writerId=\"{00000000-0000-0000-0000-000000000003}\" type=\"2\" name=\"n\">"
                                                L"<Stuff/></Component>" + tail},
        {"a partial file without ranges", head + L"<Component instanceId=\"{00000000-0000-0000-0000-000000000002}\" "
                                                 L"writerId=\"{00000000-0000-0000-0000-000000000003}\" type=\"2\" name=\"n\">"
                                                 L"<PartialFile path=\"p\" filename=\"f\" metadata=\"\"/></Component>" + tail},
    };
    for (const Row &r : invalid) {
        INFO(std::string(r.what));
        auto parsed = parseBcdXml(r.xml);
        REQUIRE_FALSE(parsed);
        CHECK(Hr{parsed.error().hr} == Hr{VSS_E_INVALID_XML_DOCUMENT});
        CHECK(parsed.error().message.size() < 400);  // a megabyte name is not repeated in the log
    }

    // What is well-formed comes back as the same values and then as the same text.
    const std::wstring exact[] = {
        std::wstring(L"NUL\0inside", 10),
        L"\U0001F600 non-BMP, \u00e9 and \u4e2d",
        L"&<>\"'\t\n\r controls \x01\x1f",
        huge,
        std::wstring(1, static_cast<wchar_t>(0xd800)),  // a lone surrogate, as a UTF-16 caller may leave it
    };
    for (const std::wstring &name : exact) {
        INFO("name of ", name.size(), " characters");
        BcdDocument doc;
        ComponentRecord c;
        c.name = name;
        c.partialFiles.push_back({name, name, name, name});
        doc.components.push_back(c);
        const std::wstring text = formatBcdXml(doc);
        auto parsed = parseBcdXml(text);
        REQUIRE(parsed);
        REQUIRE(parsed->components.size() == 1);
        CHECK(parsed->components[0].name == name);
        CHECK(parsed->components[0].partialFiles.at(0).metadata == name);
        CHECK(formatBcdXml(*parsed) == text);
    }
    // Written by hand: a raw non-BMP letter, &#0; and references in both bases.
    auto parsed = parseBcdXml(head + component(L"\U0001F600&#0;&#65;&#x42;&#x4A;") + tail);
    REQUIRE(parsed);
    CHECK(parsed->components.at(0).name == std::wstring(L"\U0001F600\0ABJ", 5));
}

TEST_CASE("InitializeForRestore with a hostile document: VSS_E_INVALID_XML_DOCUMENT and a usable object")
{
    auto svc = makeService("none");
    ComRequester r;
    std::wstring deep;
    for (int i = 0; i < 100000; ++i)
        deep += L"<a>";
    CHECK(Hr{r.restoreFrom(deep)} == Hr{VSS_E_INVALID_XML_DOCUMENT});
    CHECK(Hr{r.restoreFrom(L"<!DOCTYPE a [<!ENTITY a \"x\">]><a>&a;</a>")} == Hr{VSS_E_INVALID_XML_DOCUMENT});
    // Nothing was initialised: a real document is still accepted.
    BcdDocument empty;
    CHECK(Hr{r.restoreFrom(formatBcdXml(empty))} == Hr{S_OK});
}

} // TEST_SUITE
