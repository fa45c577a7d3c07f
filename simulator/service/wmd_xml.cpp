#include "service/wmd_xml.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <vector>

#include <fmt/format.h>

#include "service/xml.h"

namespace vsssim {

namespace {

using xml::put;

constexpr std::wstring_view kRoot = L"VssSimWriterMetadata";
constexpr std::wstring_view kRestoreMethod = L"RestoreMethod";
constexpr std::wstring_view kIncludeFile = L"IncludeFile";
constexpr std::wstring_view kExcludeFile = L"ExcludeFile";
constexpr std::wstring_view kExcludeFromSnapshot = L"ExcludeFromSnapshotFile";
constexpr std::wstring_view kAlternateMapping = L"AlternateLocationMapping";
constexpr std::wstring_view kComponent = L"Component";
constexpr std::wstring_view kFile = L"File";
constexpr std::wstring_view kLogFile = L"LogFile";
constexpr std::wstring_view kDependency = L"Dependency";

constexpr long long kDwordMax = 0xFFFFFFFFLL;

std::string narrow(std::wstring_view w)
{
    std::string s;
    for (wchar_t c : w)
        s += static_cast<std::uint32_t>(c) < 0x80 ? static_cast<char>(c) : '?';
    return s;
}

std::wstring flagText(bool b) { return b ? L"1" : L"0"; }

std::wstring hex(const std::vector<BYTE> &bytes)
{
    static constexpr wchar_t kDigits[] = L"0123456789abcdef";
    std::wstring out;
    for (BYTE b : bytes) {
        out += kDigits[b >> 4];
        out += kDigits[b & 0xf];
    }
    return out;
}

void putFile(std::wstring &out, std::wstring_view indent, std::wstring_view element, const FileSpec &f)
{
    out += indent;
    out += L'<';
    out += element;
    put(out, L"path", f.path);
    put(out, L"filespec", f.filespec);
    put(out, L"recursive", flagText(f.recursive));
    put(out, L"alternateLocation", f.alternateLocation);
    put(out, L"backupTypeMask", std::to_wstring(f.backupTypeMask));
    out += L"/>\n";
}

/// Reads the attributes of one element strictly: every getter names a required attribute, and
/// finish() reports the first problem, including attributes no getter asked for.
class Fields
{
public:
    explicit Fields(const xml::Element &e) : e_(e) {}

    std::wstring text(const wchar_t *key)
    {
        const std::wstring *v = find(key);
        return v ? *v : std::wstring();
    }

    long long integer(const wchar_t *key, long long min, long long max)
    {
        const std::wstring *v = find(key);
        if (!v)
            return min;
        auto n = xml::parseNumber(*v);
        if (!n || *n < min || *n > max) {
            problem(fmt::format("{} must be an integer from {} to {}", where(key), min, max));
            return min;
        }
        return *n;
    }

    DWORD dword(const wchar_t *key) { return static_cast<DWORD>(integer(key, 0, kDwordMax)); }

    bool flag(const wchar_t *key)
    {
        const std::wstring *v = find(key);
        if (v && *v != L"0" && *v != L"1")
            problem(where(key) + " must be 0 or 1");
        return v && *v == L"1";
    }

    GUID guid(const wchar_t *key)
    {
        if (!find(key))
            return GUID{};
        auto g = xml::guidAttr(e_.attributes, key);
        if (!g)
            problem(where(key) + " is not a GUID");
        return g.value_or(GUID{});
    }

    std::vector<BYTE> bytes(const wchar_t *key)
    {
        std::vector<BYTE> out;
        const std::wstring *v = find(key);
        if (!v)
            return out;
        auto digit = [](wchar_t c) -> int {
            if (c >= L'0' && c <= L'9')
                return static_cast<int>(c - L'0');
            if (c >= L'a' && c <= L'f')
                return static_cast<int>(c - L'a') + 10;
            return -1;
        };
        if (v->size() % 2 != 0) {
            problem(where(key) + " must have an even number of hex digits");
            return out;
        }
        for (std::size_t i = 0; i < v->size(); i += 2) {
            const int hi = digit((*v)[i]);
            const int lo = digit((*v)[i + 1]);
            if (hi < 0 || lo < 0) {
                problem(where(key) + " must be lower-case hex digits");
                return {};
            }
            out.push_back(static_cast<BYTE>(hi * 16 + lo));
        }
        return out;
    }

    std::optional<std::string> finish()
    {
        for (const auto &[key, value] : e_.attributes)
            if (!used_.count(key))
                problem(fmt::format("<{}> has an unknown attribute {}", narrow(e_.name), narrow(key)));
        return problem_;
    }

private:
    const std::wstring *find(const wchar_t *key)
    {
        used_.insert(key);
        auto it = e_.attributes.find(key);
        if (it == e_.attributes.end()) {
            problem(where(key) + " is missing");
            return nullptr;
        }
        return &it->second;
    }

    std::string where(const wchar_t *key) const
    {
        return fmt::format("attribute {} of <{}>", narrow(key), narrow(e_.name));
    }

    void problem(std::string what)
    {
        if (!problem_)
            problem_ = std::move(what);
    }

    const xml::Element &e_;
    std::set<std::wstring> used_;
    std::optional<std::string> problem_;
};

FileSpec readFile(Fields &f)
{
    FileSpec s;
    s.path = f.text(L"path");
    s.filespec = f.text(L"filespec");
    s.recursive = f.flag(L"recursive");
    s.alternateLocation = f.text(L"alternateLocation");
    s.backupTypeMask = f.dword(L"backupTypeMask");
    return s;
}

} // namespace

std::wstring formatWmdXml(const WriterIdentity &identity, const WriterMetadata &metadata)
{
    std::wstring out = L"<?xml version=\"1.0\"?>\n<";
    out += kRoot;
    put(out, L"version", L"1");
    put(out, L"classId", xml::guidText(identity.classId));
    put(out, L"instanceId", xml::guidText(identity.instanceId));
    put(out, L"writerName", identity.wideName);
    put(out, L"nameUtf8", xml::widen(identity.name));
    put(out, L"instanceName", identity.instanceName);
    put(out, L"versionMajor", std::to_wstring(identity.versionMajor));
    put(out, L"versionMinor", std::to_wstring(identity.versionMinor));
    put(out, L"usage", std::to_wstring(identity.usage));
    put(out, L"source", std::to_wstring(identity.source));
    put(out, L"level", std::to_wstring(identity.level));
    put(out, L"freezeTimeoutNs", std::to_wstring(identity.freezeTimeout.count()));
    put(out, L"eventFlags", std::to_wstring(identity.eventFlags));
    put(out, L"backupSchema", std::to_wstring(metadata.backupSchema));
    out += L">\n";

    const RestoreMethod &rm = metadata.restoreMethod;
    out += L"  <";
    out += kRestoreMethod;
    put(out, L"method", std::to_wstring(rm.method));
    put(out, L"service", rm.service);
    put(out, L"userProcedure", rm.userProcedure);
    put(out, L"writerRestore", std::to_wstring(rm.writerRestore));
    put(out, L"rebootRequired", flagText(rm.rebootRequired));
    out += L"/>\n";

    for (const FileSpec &f : metadata.includeFiles)
        putFile(out, L"  ", kIncludeFile, f);
    for (const FileSpec &f : metadata.excludeFiles)
        putFile(out, L"  ", kExcludeFile, f);
    for (const FileSpec &f : metadata.excludeFromSnapshot)
        putFile(out, L"  ", kExcludeFromSnapshot, f);
    for (const FileSpec &f : metadata.alternateMappings)
        putFile(out, L"  ", kAlternateMapping, f);

    for (const ComponentDecl &c : metadata.components) {
        out += L"  <";
        out += kComponent;
        put(out, L"type", std::to_wstring(c.type));
        put(out, L"logicalPath", c.logicalPath);
        put(out, L"name", c.name);
        put(out, L"caption", c.caption);
        put(out, L"icon", hex(c.icon));
        put(out, L"restoreMetadata", flagText(c.restoreMetadata));
        put(out, L"notifyOnBackupComplete", flagText(c.notifyOnBackupComplete));
        put(out, L"selectable", flagText(c.selectable));
        put(out, L"selectableForRestore", flagText(c.selectableForRestore));
        put(out, L"flags", std::to_wstring(c.flags));
        out += L">\n";
        for (const FileSpec &f : c.files)
            putFile(out, L"    ", kFile, f);
        for (const FileSpec &f : c.logFiles)
            putFile(out, L"    ", kLogFile, f);
        for (const Dependency &d : c.dependencies) {
            out += L"    <";
            out += kDependency;
            put(out, L"writerId", xml::guidText(d.writerId));
            put(out, L"logicalPath", d.logicalPath);
            put(out, L"componentName", d.componentName);
            out += L"/>\n";
        }
        out += L"  </";
        out += kComponent;
        out += L">\n";
    }
    out += L"</";
    out += kRoot;
    out += L">\n";
    return out;
}

Result<std::pair<WriterIdentity, WriterMetadata>> parseWmdXml(std::wstring_view text)
{
    auto invalid = [](std::string why) {
        return fail(VSS_E_INVALID_XML_DOCUMENT, "not a writer metadata document saved by vss-sim: " + why);
    };
    xml::Reader reader(text);
    auto root = reader.next();
    if (!root)
        return invalid(reader.error().value_or("empty"));
    if (root->closing || root->selfClosing || root->name != kRoot)
        return invalid("the root element is not <" + narrow(kRoot) + ">");
    if (xml::optionalAttr(root->attributes, L"version") != std::optional<std::wstring>(L"1"))
        return invalid("unsupported version");

    WriterIdentity id;
    WriterMetadata md;
    {
        Fields f(*root);
        f.text(L"version");
        id.classId = f.guid(L"classId");
        id.instanceId = f.guid(L"instanceId");
        id.wideName = f.text(L"writerName");
        for (wchar_t c : f.text(L"nameUtf8")) {
            if (static_cast<std::uint32_t>(c) > 0xff)
                return invalid("attribute nameUtf8 holds a character that is not a byte");
            id.name += static_cast<char>(static_cast<unsigned char>(c));
        }
        id.instanceName = f.text(L"instanceName");
        id.versionMajor = f.dword(L"versionMajor");
        id.versionMinor = f.dword(L"versionMinor");
        id.usage = static_cast<VSS_USAGE_TYPE>(f.integer(L"usage", VSS_UT_UNDEFINED, VSS_UT_OTHER));
        id.source = static_cast<VSS_SOURCE_TYPE>(f.integer(L"source", VSS_ST_UNDEFINED, VSS_ST_OTHER));
        id.level = static_cast<VSS_APPLICATION_LEVEL>(f.integer(L"level", VSS_APP_AUTO, VSS_APP_SYSTEM_RM));
        id.freezeTimeout = SimDuration(f.integer(L"freezeTimeoutNs", 0, std::numeric_limits<long long>::max()));
        id.eventFlags = f.dword(L"eventFlags");
        md.backupSchema = f.dword(L"backupSchema");
        if (auto problem = f.finish())
            return invalid(*problem);
    }

    bool restoreMethodSeen = false;
    for (;;) {
        auto e = reader.next();
        if (!e)
            return invalid(reader.error().value_or("truncated"));
        if (e->closing) {
            if (e->name != kRoot || e->selfClosing || !e->attributes.empty())
                return invalid("unexpected closing tag </" + narrow(e->name) + ">");
            break;
        }
        std::vector<FileSpec> *files = e->name == kIncludeFile         ? &md.includeFiles
                                       : e->name == kExcludeFile        ? &md.excludeFiles
                                       : e->name == kExcludeFromSnapshot ? &md.excludeFromSnapshot
                                       : e->name == kAlternateMapping   ? &md.alternateMappings
                                                                        : nullptr;
        if (files || e->name == kRestoreMethod) {
            if (!e->selfClosing)
                return invalid("<" + narrow(e->name) + "> must be an empty element");
            Fields f(*e);
            if (files) {
                files->push_back(readFile(f));
            } else {
                if (restoreMethodSeen)
                    return invalid("more than one <RestoreMethod>");
                restoreMethodSeen = true;
                RestoreMethod &rm = md.restoreMethod;
                rm.method = static_cast<VSS_RESTOREMETHOD_ENUM>(f.integer(L"method", VSS_RME_UNDEFINED, VSS_RME_RESTORE_STOP_START));
                rm.service = f.text(L"service");
                rm.userProcedure = f.text(L"userProcedure");
                rm.writerRestore = static_cast<VSS_WRITERRESTORE_ENUM>(f.integer(L"writerRestore", VSS_WRE_UNDEFINED, VSS_WRE_ALWAYS));
                rm.rebootRequired = f.flag(L"rebootRequired");
            }
            if (auto problem = f.finish())
                return invalid(*problem);
            continue;
        }
        if (e->name != kComponent)
            return invalid("unexpected element <" + narrow(e->name) + ">");

        ComponentDecl c;
        {
            Fields f(*e);
            c.type = static_cast<VSS_COMPONENT_TYPE>(f.integer(L"type", VSS_CT_UNDEFINED, VSS_CT_FILEGROUP));
            c.logicalPath = f.text(L"logicalPath");
            c.name = f.text(L"name");
            c.caption = f.text(L"caption");
            c.icon = f.bytes(L"icon");
            c.restoreMetadata = f.flag(L"restoreMetadata");
            c.notifyOnBackupComplete = f.flag(L"notifyOnBackupComplete");
            c.selectable = f.flag(L"selectable");
            c.selectableForRestore = f.flag(L"selectableForRestore");
            c.flags = f.dword(L"flags");
            if (auto problem = f.finish())
                return invalid(*problem);
        }
        while (!e->selfClosing) {
            auto child = reader.next();
            if (!child)
                return invalid(reader.error().value_or("truncated inside <Component>"));
            if (child->closing) {
                if (child->name != kComponent || child->selfClosing || !child->attributes.empty())
                    return invalid("unexpected closing tag </" + narrow(child->name) + "> inside <Component>");
                break;
            }
            if (!child->selfClosing)
                return invalid("<" + narrow(child->name) + "> inside <Component> must be an empty element");
            Fields f(*child);
            if (child->name == kFile) {
                c.files.push_back(readFile(f));
            } else if (child->name == kLogFile) {
                c.logFiles.push_back(readFile(f));
            } else if (child->name == kDependency) {
                Dependency d;
                d.writerId = f.guid(L"writerId");
                d.logicalPath = f.text(L"logicalPath");
                d.componentName = f.text(L"componentName");
                c.dependencies.push_back(std::move(d));
            } else {
                return invalid("unexpected element <" + narrow(child->name) + "> inside <Component>");
            }
            if (auto problem = f.finish())
                return invalid(*problem);
        }
        md.components.push_back(std::move(c));
    }
    if (!restoreMethodSeen)
        return invalid("<RestoreMethod> is missing");
    if (!reader.atEnd())
        return invalid("content after the root element");
    return std::make_pair(std::move(id), std::move(md));
}

} // namespace vsssim
