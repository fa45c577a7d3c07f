#include "service/bcd_xml.h"

#include <cwctype>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "core/guid.h"

namespace vsssim {

namespace {

constexpr std::wstring_view kRoot = L"VssSimBackupComponents";
constexpr std::wstring_view kComponent = L"Component";

std::wstring escape(std::wstring_view s)
{
    std::wstring out;
    for (wchar_t c : s) {
        switch (c) {
        case L'&': out += L"&amp;"; break;
        case L'<': out += L"&lt;"; break;
        case L'>': out += L"&gt;"; break;
        case L'"': out += L"&quot;"; break;
        default:
            if (c < 0x20 || c > 0x7e) {
                const std::string ref = fmt::format("&#x{:x};", static_cast<std::uint32_t>(c));
                out.append(ref.begin(), ref.end());
            } else {
                out += c;
            }
        }
    }
    return out;
}

std::wstring wide(std::string_view s) { return std::wstring(s.begin(), s.end()); }

std::wstring guidText(const GUID &g) { return wide(formatGuid(g)); }

using Attributes = std::map<std::wstring, std::wstring>;

struct Element {
    std::wstring name;
    Attributes attributes;
};

class Reader
{
public:
    explicit Reader(std::wstring_view text) : s_(text) {}

    std::optional<std::string> error() const { return error_; }

    bool atEnd()
    {
        skipSpace();
        return pos_ >= s_.size();
    }

    /// `<Name a="v" ...>` or `<Name .../>`, or `</Name>` (returned with a leading '/').
    std::optional<Element> next()
    {
        skipSpace();
        if (pos_ >= s_.size() || s_[pos_] != L'<')
            return bad("expected '<'");
        ++pos_;
        if (s_.compare(pos_, 4, L"?xml") == 0) {  // declaration: skip
            const std::size_t end = s_.find(L"?>", pos_);
            if (end == std::wstring_view::npos)
                return bad("unterminated XML declaration");
            pos_ = end + 2;
            return next();
        }
        Element e;
        if (pos_ < s_.size() && s_[pos_] == L'/') {
            e.name = L"/";
            ++pos_;
        }
        e.name += name();
        if (e.name.empty() || e.name == L"/")
            return bad("expected an element name");
        for (;;) {
            skipSpace();
            if (pos_ >= s_.size())
                return bad("unterminated element");
            if (s_[pos_] == L'>') {
                ++pos_;
                return e;
            }
            if (s_.compare(pos_, 2, L"/>") == 0) {
                pos_ += 2;
                e.attributes[L"/"] = L"";  // self-closing
                return e;
            }
            std::wstring key = name();
            if (key.empty())
                return bad("expected an attribute name");
            skipSpace();
            if (pos_ >= s_.size() || s_[pos_] != L'=')
                return bad("expected '=' after an attribute name");
            ++pos_;
            skipSpace();
            if (pos_ >= s_.size() || s_[pos_] != L'"')
                return bad("expected a quoted attribute value");
            ++pos_;
            const std::size_t end = s_.find(L'"', pos_);
            if (end == std::wstring_view::npos)
                return bad("unterminated attribute value");
            auto value = unescape(s_.substr(pos_, end - pos_));
            if (!value)
                return bad("bad character reference");
            if (!e.attributes.emplace(std::move(key), std::move(*value)).second)
                return bad("duplicate attribute");
            pos_ = end + 1;
        }
    }

private:
    void skipSpace()
    {
        while (pos_ < s_.size() && std::iswspace(static_cast<wint_t>(s_[pos_])))
            ++pos_;
    }
    std::wstring name()
    {
        const std::size_t start = pos_;
        while (pos_ < s_.size() && (std::iswalnum(static_cast<wint_t>(s_[pos_])) || s_[pos_] == L'_'))
            ++pos_;
        return std::wstring(s_.substr(start, pos_ - start));
    }
    static std::optional<std::wstring> unescape(std::wstring_view v)
    {
        std::wstring out;
        for (std::size_t i = 0; i < v.size(); ++i) {
            if (v[i] != L'&') {
                out += v[i];
                continue;
            }
            const std::size_t semi = v.find(L';', i);
            if (semi == std::wstring_view::npos)
                return std::nullopt;
            const std::wstring_view ref = v.substr(i + 1, semi - i - 1);
            if (ref == L"amp") out += L'&';
            else if (ref == L"lt") out += L'<';
            else if (ref == L"gt") out += L'>';
            else if (ref == L"quot") out += L'"';
            else if (ref == L"apos") out += L'\'';
            else if (ref.size() > 1 && ref[0] == L'#' && ref[1] == L'x') {
                std::uint32_t code = 0;
                if (ref.size() == 2 || ref.size() > 10)
                    return std::nullopt;
                for (wchar_t c : ref.substr(2)) {
                    const int d = std::iswdigit(static_cast<wint_t>(c)) ? c - L'0'
                                  : (c >= L'a' && c <= L'f') ? c - L'a' + 10 : -1;
                    if (d < 0)
                        return std::nullopt;
                    code = code * 16 + static_cast<std::uint32_t>(d);
                }
                out += static_cast<wchar_t>(code);
            } else {
                return std::nullopt;
            }
            i = semi;
        }
        return out;
    }
    std::nullopt_t bad(std::string what)
    {
        if (!error_)
            error_ = fmt::format("{} at character {}", what, pos_);
        return std::nullopt;
    }

    std::wstring_view s_;
    std::size_t pos_ = 0;
    std::optional<std::string> error_;
};

void put(std::wstring &out, std::wstring_view key, std::wstring_view value)
{
    out += L' ';
    out += key;
    out += L"=\"";
    out += escape(value);
    out += L'"';
}

void putOptional(std::wstring &out, std::wstring_view key, const std::optional<std::wstring> &value)
{
    if (value)
        put(out, key, *value);
}

std::optional<std::wstring> optionalAttr(const Attributes &a, const wchar_t *key)
{
    auto it = a.find(key);
    return it == a.end() ? std::nullopt : std::optional<std::wstring>(it->second);
}

std::optional<long long> number(const Attributes &a, const wchar_t *key)
{
    auto it = a.find(key);
    if (it == a.end() || it->second.empty())
        return std::nullopt;
    long long v = 0;
    bool negative = false;
    std::size_t i = 0;
    if (it->second[0] == L'-') {
        negative = true;
        i = 1;
    }
    if (i == it->second.size())
        return std::nullopt;
    for (; i < it->second.size(); ++i) {
        if (!std::iswdigit(static_cast<wint_t>(it->second[i])) || v > 1'000'000'000'000LL)
            return std::nullopt;
        v = v * 10 + (it->second[i] - L'0');
    }
    return negative ? -v : v;
}

std::optional<GUID> guidAttr(const Attributes &a, const wchar_t *key)
{
    auto it = a.find(key);
    if (it == a.end())
        return std::nullopt;
    return parseGuid(std::wstring_view(it->second));
}

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
    if (root->name != kRoot)
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
        if (e->name == L"/" + std::wstring(kRoot))
            break;
        if (e->name != kComponent)
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
