#include "service/bcd_xml.h"

#include <optional>

#include "service/xml.h"

namespace vsssim {

namespace {

using xml::Attributes;
using xml::guidAttr;
using xml::guidText;
using xml::number;
using xml::optionalAttr;
using xml::put;
using xml::putOptional;
using xml::Reader;

constexpr std::wstring_view kRoot = L"VssSimBackupComponents";
constexpr std::wstring_view kComponent = L"Component";

} // namespace

std::wstring formatBcdXml(const BcdDocument &doc)
{
    std::wstring out = L"<?xml version=\"1.0\"?>\n<";
    out += kRoot;
    put(out, L"version", L"1");
    put(out, L"backupType", std::to_wstring(doc.backupType));
    put(out, L"context", std::to_wstring(doc.context));
    put(out, L"selectComponents", doc.selectComponents ? L"1" : L"0");
    put(out, L"bootable", doc.bootable ? L"1" : L"0");
    put(out, L"snapshotSetId", guidText(doc.snapshotSetId));
    out += L">\n";
    for (const ComponentRecord &c : doc.components) {
        out += L"  <";
        out += kComponent;
        put(out, L"instanceId", guidText(c.instanceId));
        put(out, L"writerId", guidText(c.writerId));
        put(out, L"type", std::to_wstring(c.type));
        put(out, L"logicalPath", c.logicalPath);
        put(out, L"name", c.name);
        put(out, L"backupSucceeded", c.backupSucceeded ? L"1" : L"0");
        put(out, L"backupOptions", c.backupOptions);
        put(out, L"backupStamp", c.backupStamp);
        put(out, L"previousBackupStamp", c.previousBackupStamp);
        putOptional(out, L"backupMetadata", c.backupMetadata);
        putOptional(out, L"prepareForBackupFailureMsg", c.prepareForBackupFailureMsg);
        putOptional(out, L"postSnapshotFailureMsg", c.postSnapshotFailureMsg);
        out += L"/>\n";
    }
    out += L"</";
    out += kRoot;
    out += L">\n";
    return out;
}

Result<BcdDocument> parseBcdXml(std::wstring_view xml)
{
    Reader reader(xml);
    auto invalid = [&](std::string why) {
        return fail(VSS_E_INVALID_XML_DOCUMENT, "not a backup components document saved by vss-sim: " + why);
    };
    auto root = reader.next();
    if (!root)
        return invalid(reader.error().value_or("empty"));
    if (root->closing || root->name != kRoot)
        return invalid("the root element is not " + std::string(kRoot.begin(), kRoot.end()));
    if (optionalAttr(root->attributes, L"version") != std::optional<std::wstring>(L"1"))
        return invalid("unsupported version");
    BcdDocument doc;
    auto type = number(root->attributes, L"backupType");
    auto context = number(root->attributes, L"context");
    auto set = guidAttr(root->attributes, L"snapshotSetId");
    if (!type || !context || !set)
        return invalid("backupType, context and snapshotSetId are required");
    doc.backupType = static_cast<VSS_BACKUP_TYPE>(*type);
    doc.context = static_cast<LONG>(*context);
    doc.snapshotSetId = *set;
    doc.selectComponents = number(root->attributes, L"selectComponents").value_or(0) != 0;
    doc.bootable = number(root->attributes, L"bootable").value_or(0) != 0;
    for (;;) {
        auto e = reader.next();
        if (!e)
            return invalid(reader.error().value_or("truncated"));
        if (e->closing && e->name == kRoot)
            break;
        if (e->closing || e->name != kComponent)
            return invalid("unexpected element");
        const Attributes &a = e->attributes;
        ComponentRecord c;
        auto instance = guidAttr(a, L"instanceId");
        auto writer = guidAttr(a, L"writerId");
        auto ctype = number(a, L"type");
        auto name = optionalAttr(a, L"name");
        if (!instance || !writer || !ctype || !name)
            return invalid("a Component needs instanceId, writerId, type and name");
        c.instanceId = *instance;
        c.writerId = *writer;
        c.type = static_cast<VSS_COMPONENT_TYPE>(*ctype);
        c.name = *name;
        c.logicalPath = optionalAttr(a, L"logicalPath").value_or(L"");
        c.backupSucceeded = number(a, L"backupSucceeded").value_or(0) != 0;
        c.backupOptions = optionalAttr(a, L"backupOptions").value_or(L"");
        c.backupStamp = optionalAttr(a, L"backupStamp").value_or(L"");
        c.previousBackupStamp = optionalAttr(a, L"previousBackupStamp").value_or(L"");
        c.backupMetadata = optionalAttr(a, L"backupMetadata");
        c.prepareForBackupFailureMsg = optionalAttr(a, L"prepareForBackupFailureMsg");
        c.postSnapshotFailureMsg = optionalAttr(a, L"postSnapshotFailureMsg");
        doc.components.push_back(std::move(c));
    }
    if (!reader.atEnd())
        return invalid("content after the root element");
    return doc;
}

} // namespace vsssim
