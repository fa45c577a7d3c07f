#include "service/bcd_xml.h"

#include <limits>
#include <optional>

#include "service/xml.h"

namespace vsssim {

namespace {

constexpr const char *kRoot = "VssSimBackupComponents";
constexpr const char *kComponent = "Component";
constexpr const char *kPartialFile = "PartialFile";
constexpr const char *kDirectedTarget = "DirectedTarget";
constexpr const char *kNewTarget = "NewTarget";
constexpr const char *kSubcomponent = "Subcomponent";
constexpr const char *kDifferencedFiles = "DifferencedFiles";
/// Version 2 added the restore options and the child elements; version 3 the restore metadata, the
/// restore-time failure messages, SetFailure, subcomponents, differenced files and partial-file
/// support. An older document reads as one without them.
constexpr long long kVersion = 3;
/// The root, a component, its files.
constexpr int kDepth = 3;

// Absent in a version 1 document when empty, so read as optional.
constexpr xml::TextField<ComponentRecord> kComponentText[] = {
    {"logicalPath", &ComponentRecord::logicalPath},
    {"backupOptions", &ComponentRecord::backupOptions},
    {"restoreOptions", &ComponentRecord::restoreOptions},
    {"backupStamp", &ComponentRecord::backupStamp},
    {"previousBackupStamp", &ComponentRecord::previousBackupStamp},
};

struct OptionalTextField {
    const char *attribute;
    std::optional<std::wstring> ComponentRecord::*member;
};
constexpr OptionalTextField kComponentOptionalText[] = {
    {"backupMetadata", &ComponentRecord::backupMetadata},
    {"prepareForBackupFailureMsg", &ComponentRecord::prepareForBackupFailureMsg},
    {"postSnapshotFailureMsg", &ComponentRecord::postSnapshotFailureMsg},
    {"restoreMetadata", &ComponentRecord::restoreMetadata},
    {"preRestoreFailureMsg", &ComponentRecord::preRestoreFailureMsg},
    {"postRestoreFailureMsg", &ComponentRecord::postRestoreFailureMsg},
};

constexpr xml::TextField<RestoreSubcomponent> kSubcomponentText[] = {
    {"logicalPath", &RestoreSubcomponent::logicalPath},
    {"name", &RestoreSubcomponent::name},
};

constexpr xml::TextField<DifferencedFiles> kDifferencedFilesText[] = {
    {"path", &DifferencedFiles::path},
    {"filespec", &DifferencedFiles::filespec},
};

constexpr long long kHresultMin = std::numeric_limits<HRESULT>::min();
constexpr long long kHresultMax = std::numeric_limits<HRESULT>::max();

long long fileTimeValue(const FILETIME &t)
{
    return static_cast<long long>((static_cast<unsigned long long>(t.dwHighDateTime) << 32) | t.dwLowDateTime);
}

FILETIME fileTimeOf(long long value)
{
    const auto bits = static_cast<unsigned long long>(value);
    return FILETIME{static_cast<DWORD>(bits & 0xffffffffu), static_cast<DWORD>(bits >> 32)};
}

constexpr xml::TextField<PartialFile> kPartialFileText[] = {
    {"path", &PartialFile::path},
    {"filename", &PartialFile::filename},
    {"ranges", &PartialFile::ranges},
    {"metadata", &PartialFile::metadata},
};

constexpr xml::TextField<DirectedTarget> kDirectedTargetText[] = {
    {"sourcePath", &DirectedTarget::sourcePath},
    {"sourceFilename", &DirectedTarget::sourceFilename},
    {"sourceRanges", &DirectedTarget::sourceRanges},
    {"destinationPath", &DirectedTarget::destinationPath},
    {"destinationFilename", &DirectedTarget::destinationFilename},
    {"destinationRanges", &DirectedTarget::destinationRanges},
};

} // namespace

std::wstring formatBcdXml(const BcdDocument &doc)
{
    using xml::put;
    using xml::putFlag;
    pugi::xml_document out;
    pugi::xml_node root = xml::startDocument(out, kRoot);
    put(root, "version", kVersion);
    put(root, "backupType", doc.backupType);
    put(root, "context", doc.context);
    putFlag(root, "selectComponents", doc.selectComponents);
    putFlag(root, "bootable", doc.bootable);
    putFlag(root, "partialFileSupport", doc.partialFileSupport);
    xml::putGuid(root, "snapshotSetId", doc.snapshotSetId);
    for (const ComponentRecord &c : doc.components) {
        pugi::xml_node node = root.append_child(kComponent);
        xml::putGuid(node, "instanceId", c.instanceId);
        xml::putGuid(node, "writerId", c.writerId);
        put(node, "type", c.type);
        put(node, "name", c.name);
        putFlag(node, "backupSucceeded", c.backupSucceeded);
        xml::putText(node, c, kComponentText);
        for (const OptionalTextField &f : kComponentOptionalText)
            xml::putOptional(node, f.attribute, c.*f.member);
        for (const PartialFile &f : c.partialFiles)
            xml::putText(node.append_child(kPartialFile), f, kPartialFileText);
        for (const DirectedTarget &t : c.directedTargets)
            xml::putText(node.append_child(kDirectedTarget), t, kDirectedTargetText);
        for (const FileSpec &t : c.newTargets)
            xml::putFileSpec(node.append_child(kNewTarget), t);
        if (c.failure) {
            put(node, "failureWriter", c.failure->hrWriter);
            put(node, "failureApplication", c.failure->hrApplication);
            xml::putOptional(node, "failureMessage", c.failure->message);
        }
        for (const RestoreSubcomponent &sub : c.subcomponents) {
            pugi::xml_node child = node.append_child(kSubcomponent);
            xml::putText(child, sub, kSubcomponentText);
            putFlag(child, "repair", sub.repair);
        }
        for (const DifferencedFiles &d : c.differencedFiles) {
            pugi::xml_node child = node.append_child(kDifferencedFiles);
            xml::putText(child, d, kDifferencedFilesText);
            putFlag(child, "recursive", d.recursive);
            put(child, "lastModifyTime", fileTimeValue(d.lastModifyTime));
        }
    }
    return xml::save(out);
}

Result<BcdDocument> parseBcdXml(std::wstring_view text)
{
    auto invalid = [&](std::string why) {
        return xml::refuse("not a backup components document saved by vss-sim: " + why);
    };
    pugi::xml_document parsed;
    if (auto problem = xml::load(parsed, text, kDepth))
        return invalid(*problem);
    pugi::xml_node root = parsed.document_element();
    if (std::string_view(root.name()) != kRoot)
        return invalid(std::string("the root element is not <") + kRoot + ">");

    BcdDocument doc;
    {
        xml::Fields f(root);
        if (!f.optionalInteger("version", 1, kVersion))
            return invalid("unsupported version: this vss-sim reads versions 1 to 3");
        doc.backupType = static_cast<VSS_BACKUP_TYPE>(f.integer("backupType", VSS_BT_UNDEFINED, VSS_BT_OTHER));
        doc.context = static_cast<LONG>(f.integer("context", std::numeric_limits<LONG>::min(), std::numeric_limits<LONG>::max()));
        doc.snapshotSetId = f.guid("snapshotSetId");
        doc.selectComponents = f.optionalFlag("selectComponents");
        doc.bootable = f.optionalFlag("bootable");
        doc.partialFileSupport = f.optionalFlag("partialFileSupport");
        if (auto problem = f.finish())
            return invalid(*problem);
    }
    for (pugi::xml_node e : root.children()) {
        if (std::string_view(e.name()) != kComponent)
            return invalid("unexpected element <" + xml::shown(e.name()) + ">");
        ComponentRecord c;
        {
            xml::Fields f(e);
            c.instanceId = f.guid("instanceId");
            c.writerId = f.guid("writerId");
            c.type = static_cast<VSS_COMPONENT_TYPE>(f.integer("type", VSS_CT_UNDEFINED, VSS_CT_FILEGROUP));
            c.name = f.text("name");
            c.backupSucceeded = f.optionalFlag("backupSucceeded");
            for (const xml::TextField<ComponentRecord> &t : kComponentText)
                c.*t.member = f.optionalText(t.attribute).value_or(std::wstring());
            for (const OptionalTextField &t : kComponentOptionalText)
                c.*t.member = f.optionalText(t.attribute);
            if (auto hrWriter = f.optionalInteger("failureWriter", kHresultMin, kHresultMax))
                c.failure = Failure{static_cast<HRESULT>(*hrWriter),
                                    static_cast<HRESULT>(f.integer("failureApplication", kHresultMin, kHresultMax)),
                                    f.optionalText("failureMessage")};
            if (auto problem = f.finish())
                return invalid(*problem);
        }
        for (pugi::xml_node child : e.children()) {
            const std::string_view name = child.name();
            if (child.first_child())
                return invalid("<" + xml::shown(name) + "> inside <Component> must be an empty element");
            xml::Fields f(child);
            if (name == kPartialFile) {
                xml::readText(f, c.partialFiles.emplace_back(), kPartialFileText);
            } else if (name == kDirectedTarget) {
                xml::readText(f, c.directedTargets.emplace_back(), kDirectedTargetText);
            } else if (name == kNewTarget) {
                c.newTargets.push_back(xml::readFileSpec(f));
            } else if (name == kSubcomponent) {
                RestoreSubcomponent &sub = c.subcomponents.emplace_back();
                xml::readText(f, sub, kSubcomponentText);
                sub.repair = f.optionalFlag("repair");
            } else if (name == kDifferencedFiles) {
                DifferencedFiles &d = c.differencedFiles.emplace_back();
                xml::readText(f, d, kDifferencedFilesText);
                d.recursive = f.optionalFlag("recursive");
                d.lastModifyTime = fileTimeOf(f.integer("lastModifyTime", std::numeric_limits<long long>::min(),
                                                        std::numeric_limits<long long>::max()));
            } else {
                return invalid("unexpected element <" + xml::shown(name) + "> inside <Component>");
            }
            if (auto problem = f.finish())
                return invalid(*problem);
        }
        doc.components.push_back(std::move(c));
    }
    return doc;
}

} // namespace vsssim
