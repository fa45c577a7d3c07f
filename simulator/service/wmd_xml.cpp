#include "service/wmd_xml.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "core/names.h"
#include "service/xml.h"

namespace vsssim {

namespace {

constexpr const char *kRoot = "VssSimWriterMetadata";
constexpr const char *kRestoreMethod = "RestoreMethod";
constexpr const char *kComponent = "Component";
constexpr const char *kDependency = "Dependency";
/// The root, a component, its files.
constexpr int kDepth = 3;

/// The file lists of the writer and of each component, by element name.
struct FileList {
    const char *element;
    std::vector<FileSpec> WriterMetadata::*member;
};
constexpr FileList kWriterFiles[] = {
    {"IncludeFile", &WriterMetadata::includeFiles},
    {"ExcludeFile", &WriterMetadata::excludeFiles},
    {"ExcludeFromSnapshotFile", &WriterMetadata::excludeFromSnapshot},
    {"AlternateLocationMapping", &WriterMetadata::alternateMappings},
};
struct ComponentFileList {
    const char *element;
    std::vector<FileSpec> ComponentDecl::*member;
};
constexpr ComponentFileList kComponentFiles[] = {
    {"File", &ComponentDecl::files},
    {"LogFile", &ComponentDecl::logFiles},
};

template <class Table>
auto findList(const Table &table, std::string_view element) -> decltype(&table[0])
{
    for (const auto &row : table)
        if (element == row.element)
            return &row;
    return nullptr;
}

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

} // namespace

std::wstring formatWmdXml(const WriterIdentity &identity, const WriterMetadata &metadata)
{
    using xml::put;
    using xml::putFlag;
    pugi::xml_document doc;
    pugi::xml_node root = xml::startDocument(doc, kRoot);
    put(root, "version", 1);
    xml::putGuid(root, "classId", identity.classId);
    xml::putGuid(root, "instanceId", identity.instanceId);
    put(root, "writerName", identity.wideName);
    // The UTF-8 name byte for byte, each byte a character, as version 1 documents carry it.
    std::wstring nameBytes;
    for (char c : identity.name)
        nameBytes += static_cast<wchar_t>(static_cast<unsigned char>(c));
    put(root, "nameUtf8", nameBytes);
    put(root, "instanceName", identity.instanceName);
    put(root, "versionMajor", identity.versionMajor);
    put(root, "versionMinor", identity.versionMinor);
    put(root, "usage", identity.usage);
    put(root, "source", identity.source);
    put(root, "level", identity.level);
    put(root, "freezeTimeoutNs", static_cast<long long>(identity.freezeTimeout.count()));
    put(root, "eventFlags", identity.eventFlags);
    put(root, "backupSchema", metadata.backupSchema);

    const RestoreMethod &rm = metadata.restoreMethod;
    pugi::xml_node method = root.append_child(kRestoreMethod);
    put(method, "method", rm.method);
    put(method, "service", rm.service);
    put(method, "userProcedure", rm.userProcedure);
    put(method, "writerRestore", rm.writerRestore);
    putFlag(method, "rebootRequired", rm.rebootRequired);

    for (const FileList &list : kWriterFiles)
        for (const FileSpec &f : metadata.*list.member)
            xml::putFileSpec(root.append_child(list.element), f);

    for (const ComponentDecl &c : metadata.components) {
        pugi::xml_node node = root.append_child(kComponent);
        put(node, "type", c.type);
        put(node, "logicalPath", c.logicalPath);
        put(node, "name", c.name);
        put(node, "caption", c.caption);
        put(node, "icon", hex(c.icon));
        putFlag(node, "restoreMetadata", c.restoreMetadata);
        putFlag(node, "notifyOnBackupComplete", c.notifyOnBackupComplete);
        putFlag(node, "selectable", c.selectable);
        putFlag(node, "selectableForRestore", c.selectableForRestore);
        put(node, "flags", c.flags);
        for (const ComponentFileList &list : kComponentFiles)
            for (const FileSpec &f : c.*list.member)
                xml::putFileSpec(node.append_child(list.element), f);
        for (const Dependency &d : c.dependencies) {
            pugi::xml_node dep = node.append_child(kDependency);
            xml::putGuid(dep, "writerId", d.writerId);
            put(dep, "logicalPath", d.logicalPath);
            put(dep, "componentName", d.componentName);
        }
    }
    return xml::save(doc);
}

Result<std::pair<WriterIdentity, WriterMetadata>> parseWmdXml(std::wstring_view text)
{
    auto invalid = [](std::string why) {
        return xml::refuse("not a writer metadata document saved by vss-sim: " + why);
    };
    pugi::xml_document doc;
    if (auto problem = xml::load(doc, text, kDepth))
        return invalid(*problem);
    pugi::xml_node root = doc.document_element();
    if (std::string_view(root.name()) != kRoot)
        return invalid(std::string("the root element is not <") + kRoot + ">");
    if (std::string_view(root.attribute("version").value()) != "1")
        return invalid("unsupported version");

    WriterIdentity id;
    WriterMetadata md;
    {
        xml::Fields f(root);
        f.text("version");
        id.classId = f.guid("classId");
        id.instanceId = f.guid("instanceId");
        id.wideName = f.text("writerName");
        for (wchar_t c : f.text("nameUtf8")) {
            if (static_cast<std::uint32_t>(c) > 0xff)
                return invalid("attribute nameUtf8 holds a character that is not a byte");
            id.name += static_cast<char>(static_cast<unsigned char>(c));
        }
        id.instanceName = f.text("instanceName");
        id.versionMajor = f.dword("versionMajor");
        id.versionMinor = f.dword("versionMinor");
        id.usage = static_cast<VSS_USAGE_TYPE>(f.integer("usage", VSS_UT_UNDEFINED, VSS_UT_OTHER));
        id.source = static_cast<VSS_SOURCE_TYPE>(f.integer("source", VSS_ST_UNDEFINED, VSS_ST_OTHER));
        id.level = static_cast<VSS_APPLICATION_LEVEL>(f.integer("level", VSS_APP_AUTO, VSS_APP_SYSTEM_RM));
        id.freezeTimeout = SimDuration(f.integer("freezeTimeoutNs", 0, std::numeric_limits<long long>::max()));
        id.eventFlags = f.dword("eventFlags");
        md.backupSchema = f.dword("backupSchema");
        if (auto problem = f.finish())
            return invalid(*problem);
    }

    bool restoreMethodSeen = false;
    for (pugi::xml_node e : root.children()) {
        const std::string_view name = e.name();
        const FileList *files = findList(kWriterFiles, name);
        if (files || name == kRestoreMethod) {
            if (e.first_child())
                return invalid("<" + std::string(name) + "> must be an empty element");
            xml::Fields f(e);
            if (files) {
                (md.*files->member).push_back(xml::readFileSpec(f));
            } else {
                if (restoreMethodSeen)
                    return invalid("more than one <RestoreMethod>");
                restoreMethodSeen = true;
                RestoreMethod &rm = md.restoreMethod;
                rm.method = static_cast<VSS_RESTOREMETHOD_ENUM>(f.integer("method", VSS_RME_UNDEFINED, VSS_RME_RESTORE_STOP_START));
                rm.service = f.text("service");
                rm.userProcedure = f.text("userProcedure");
                rm.writerRestore = static_cast<VSS_WRITERRESTORE_ENUM>(f.integer("writerRestore", VSS_WRE_UNDEFINED, VSS_WRE_ALWAYS));
                rm.rebootRequired = f.flag("rebootRequired");
            }
            if (auto problem = f.finish())
                return invalid(*problem);
            continue;
        }
        if (name != kComponent)
            return invalid("unexpected element <" + xml::shown(name) + ">");

        ComponentDecl c;
        {
            xml::Fields f(e);
            c.type = static_cast<VSS_COMPONENT_TYPE>(f.integer("type", VSS_CT_UNDEFINED, VSS_CT_FILEGROUP));
            c.logicalPath = f.text("logicalPath");
            c.name = f.text("name");
            c.caption = f.text("caption");
            c.icon = f.bytes("icon");
            c.restoreMetadata = f.flag("restoreMetadata");
            c.notifyOnBackupComplete = f.flag("notifyOnBackupComplete");
            c.selectable = f.flag("selectable");
            c.selectableForRestore = f.flag("selectableForRestore");
            c.flags = f.dword("flags");
            if (auto problem = f.finish())
                return invalid(*problem);
        }
        for (pugi::xml_node child : e.children()) {
            const std::string_view childName = child.name();
            if (child.first_child())
                return invalid("<" + xml::shown(childName) + "> inside <Component> must be an empty element");
            xml::Fields f(child);
            if (const ComponentFileList *list = findList(kComponentFiles, childName)) {
                (c.*list->member).push_back(xml::readFileSpec(f));
            } else if (childName == kDependency) {
                Dependency d;
                d.writerId = f.guid("writerId");
                d.logicalPath = f.text("logicalPath");
                d.componentName = f.text("componentName");
                c.dependencies.push_back(std::move(d));
            } else {
                return invalid("unexpected element <" + xml::shown(childName) + "> inside <Component>");
            }
            if (auto problem = f.finish())
                return invalid(*problem);
        }
        md.components.push_back(std::move(c));
    }
    if (!restoreMethodSeen)
        return invalid("<RestoreMethod> is missing");
    return std::make_pair(std::move(id), std::move(md));
}

} // namespace vsssim
