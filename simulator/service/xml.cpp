#include "service/xml.h"
#include "platform/platform.h"

#include <cstdint>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

#include "core/guid.h"
#include "core/log.h"
#include "core/names.h"

namespace vsssim::xml {

namespace {

constexpr long long kDwordMax = 0xFFFFFFFFLL;

// Comments, processing instructions, document types and (as a fragment) text outside the root are
// parsed so that they can be refused; references are left to decode(), which takes &#0; as the NUL
// it is where pugixml would end the value there. Attribute values are normalised as XML says.
constexpr unsigned kParseOptions = (pugi::parse_default | pugi::parse_declaration | pugi::parse_doctype |
                                    pugi::parse_pi | pugi::parse_comments | pugi::parse_fragment) &
                                   ~pugi::parse_escapes;

std::string describe(pugi::xml_node node)
{
    switch (node.type()) {
    case pugi::node_pcdata:
    case pugi::node_cdata: return "text";
    case pugi::node_comment: return "a comment";
    case pugi::node_pi: return "a processing instruction";
    case pugi::node_declaration: return "an XML declaration";
    case pugi::node_doctype: return "a document type declaration";
    default: {
        // Appended, not "<" + ...: GCC 12's false -Wrestrict at -O3 (bug 105329).
        std::string out(1, '<');
        out.append(shown(node.name())).append(1, '>');
        return out;
    }
    }
}

/// Any code point a BSTR may hold: the writer references NUL, control characters and lone
/// surrogates as well, so that a document carries any text exactly.
bool referable(std::uint32_t c) { return c <= 0x10ffff; }

/// Every character outside printable ASCII becomes a character reference, so the document
/// survives any transport that mangles non-ASCII text, and NUL survives pugixml's C strings.
std::string escape(std::wstring_view s)
{
    std::string out;
    out.reserve(s.size());
    for (wchar_t c : s) {
        switch (c) {
        case L'&': out += "&amp;"; break;
        case L'<': out += "&lt;"; break;
        case L'>': out += "&gt;"; break;
        case L'"': out += "&quot;"; break;
        default: {
            const auto code = static_cast<std::uint32_t>(c);
            if (code < 0x20 || code > 0x7e)
                out += fmt::format("&#x{:x};", referable(code) ? code : 0xfffdu);
            else
                out += static_cast<char>(c);
        }
        }
    }
    return out;
}

std::optional<std::uint32_t> reference(std::string_view ref)
{
    if (ref == "amp") return '&';
    if (ref == "lt") return '<';
    if (ref == "gt") return '>';
    if (ref == "quot") return '"';
    if (ref == "apos") return '\'';
    if (ref.size() < 2 || ref[0] != '#')
        return std::nullopt;
    const bool hex = ref[1] == 'x';
    const std::string_view digits = ref.substr(hex ? 2 : 1);
    if (digits.empty() || digits.size() > 8)
        return std::nullopt;
    std::uint32_t code = 0;
    for (char c : digits) {
        int d = c >= '0' && c <= '9' ? c - '0' : -1;
        if (hex && d < 0)
            d = c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            return std::nullopt;
        code = code * (hex ? 16 : 10) + static_cast<std::uint32_t>(d);
    }
    if (!referable(code))
        return std::nullopt;
    return code;
}

/// An attribute value as pugixml left it (UTF-8, references untouched) as wide text.
std::optional<std::wstring> decode(std::string_view raw)
{
    std::wstring out;
    std::size_t start = 0;
    for (;;) {
        const std::size_t amp = raw.find('&', start);
        auto plain = fromUtf8(raw.substr(start, amp == std::string_view::npos ? std::string_view::npos : amp - start));
        if (!plain)
            return std::nullopt;
        out += *plain;
        if (amp == std::string_view::npos)
            return out;
        const std::size_t semi = raw.find(';', amp);
        if (semi == std::string_view::npos)
            return std::nullopt;
        auto code = reference(raw.substr(amp + 1, semi - amp - 1));
        if (!code)
            return std::nullopt;
        platform::appendCodePoint(out, static_cast<char32_t>(*code));
        start = semi + 1;
    }
}

/// Characters, not bytes, up to a parser offset: what the caller's wide text counts.
std::size_t characterOffset(const std::string &utf8, std::ptrdiff_t offset)
{
    std::size_t n = 0;
    for (std::ptrdiff_t i = 0; i < offset && static_cast<std::size_t>(i) < utf8.size(); ++i)
        n += (static_cast<unsigned char>(utf8[static_cast<std::size_t>(i)]) & 0xc0) != 0x80;
    return n;
}

class StringWriter : public pugi::xml_writer
{
public:
    void write(const void *data, std::size_t size) override { text.append(static_cast<const char *>(data), size); }
    std::string text;
};

} // namespace

Error refuse(std::string why)
{
    static const std::shared_ptr<spdlog::logger> log = makeLogger("xml");
    log->warn("{}", why);
    return fail(VSS_E_INVALID_XML_DOCUMENT, std::move(why));
}

std::string shown(std::string_view name)
{
    constexpr std::size_t kLongest = 40;
    return name.size() <= kLongest ? std::string(name) : std::string(name.substr(0, kLongest)) + "...";
}

std::optional<std::string> load(pugi::xml_document &doc, std::wstring_view text, int maxDepth)
{
    if (const std::size_t nul = text.find(L'\0'); nul != std::wstring_view::npos)
        return fmt::format("a NUL character at character {}", nul);
    const std::string utf8 = toUtf8(text);
    const pugi::xml_parse_result parsed = doc.load_buffer(utf8.data(), utf8.size(), kParseOptions, pugi::encoding_utf8);
    if (!parsed)
        return fmt::format("{} at character {}", parsed.description(), characterOffset(utf8, parsed.offset));

    pugi::xml_node root;
    for (pugi::xml_node n = doc.first_child(); n; n = n.next_sibling()) {
        if (n.type() == pugi::node_declaration && n == doc.first_child())
            continue;
        if (n.type() != pugi::node_element)
            return describe(n) + " outside the root element";
        if (root)
            return "a second root element " + describe(n);
        root = n;
    }
    if (!root)
        return std::string("no root element");

    // Iterative, so that no nesting depth reaches the stack; the dialect is shallow anyway.
    pugi::xml_node n = root;
    int depth = 1;
    for (;;) {
        if (n.type() != pugi::node_element)
            return describe(n) + " inside " + describe(n.parent());
        if (depth > maxDepth)
            return fmt::format("{} nested deeper than the {} levels of the document", describe(n), maxDepth);
        if (n.first_child()) {
            n = n.first_child();
            ++depth;
            continue;
        }
        while (n != root && !n.next_sibling()) {
            n = n.parent();
            --depth;
        }
        if (n == root)
            return std::nullopt;
        n = n.next_sibling();
    }
}

std::wstring save(const pugi::xml_document &doc)
{
    StringWriter out;
    // put() escaped every value already, to ASCII.
    doc.save(out, "  ", pugi::format_indent | pugi::format_no_escapes, pugi::encoding_utf8);
    auto wide = fromUtf8(out.text);
    if (!wide)
        throw std::logic_error("pugixml wrote a document that is not UTF-8");
    return *wide;
}

pugi::xml_node startDocument(pugi::xml_document &doc, const char *root)
{
    doc.reset();
    doc.append_child(pugi::node_declaration).append_attribute("version").set_value("1.0");
    return doc.append_child(root);
}

void put(pugi::xml_node node, const char *key, std::wstring_view value)
{
    node.append_attribute(key).set_value(escape(value).c_str());
}

void put(pugi::xml_node node, const char *key, long long value)
{
    node.append_attribute(key).set_value(std::to_string(value).c_str());
}

void putFlag(pugi::xml_node node, const char *key, bool value) { node.append_attribute(key).set_value(value ? "1" : "0"); }

void putGuid(pugi::xml_node node, const char *key, const GUID &value)
{
    node.append_attribute(key).set_value(formatGuid(value).c_str());
}

void putOptional(pugi::xml_node node, const char *key, const std::optional<std::wstring> &value)
{
    if (value)
        put(node, key, *value);
}

std::optional<long long> parseNumber(std::wstring_view text)
{
    bool negative = false;
    std::size_t i = 0;
    if (!text.empty() && text[0] == L'-') {
        negative = true;
        i = 1;
    }
    if (i == text.size())
        return std::nullopt;
    // Accumulate towards the negative side: its range is one larger, so LLONG_MIN parses too.
    constexpr long long kMin = std::numeric_limits<long long>::min();
    long long v = 0;
    for (; i < text.size(); ++i) {
        const wchar_t c = text[i];
        if (c < L'0' || c > L'9')
            return std::nullopt;
        const int d = c - L'0';
        if (v < (kMin + d) / 10)
            return std::nullopt;
        v = v * 10 - d;
    }
    if (!negative) {
        if (v == kMin)
            return std::nullopt;
        v = -v;
    }
    return v;
}

std::wstring Fields::text(const char *key) { return find(key, true).value_or(std::wstring()); }

std::optional<std::wstring> Fields::optionalText(const char *key) { return find(key, false); }

std::optional<long long> Fields::optionalInteger(const char *key, long long min, long long max)
{
    auto v = find(key, false);
    if (!v)
        return std::nullopt;
    auto n = parseNumber(*v);
    if (!n || *n < min || *n > max) {
        problem(fmt::format("{} must be an integer from {} to {}", where(key), min, max));
        return std::nullopt;
    }
    return n;
}

long long Fields::integer(const char *key, long long min, long long max)
{
    if (!node_.attribute(key))
        problem(where(key) + " is missing");
    return optionalInteger(key, min, max).value_or(min);
}

DWORD Fields::dword(const char *key) { return static_cast<DWORD>(integer(key, 0, kDwordMax)); }

bool Fields::optionalFlag(const char *key)
{
    auto v = find(key, false);
    if (v && *v != L"0" && *v != L"1")
        problem(where(key) + " must be 0 or 1");
    return v && *v == L"1";
}

bool Fields::flag(const char *key)
{
    if (!node_.attribute(key))
        problem(where(key) + " is missing");
    return optionalFlag(key);
}

GUID Fields::guid(const char *key)
{
    auto v = find(key, true);
    if (!v)
        return GUID{};
    auto g = parseGuid(std::wstring_view(*v));
    if (!g)
        problem(where(key) + " is not a GUID");
    return g.value_or(GUID{});
}

std::vector<BYTE> Fields::bytes(const char *key)
{
    std::vector<BYTE> out;
    auto v = find(key, true);
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

std::optional<std::string> Fields::finish()
{
    std::set<std::string_view> seen;
    for (pugi::xml_attribute a : node_.attributes()) {
        if (!seen.insert(a.name()).second)
            problem(fmt::format("<{}> repeats the attribute {}", shown(node_.name()), shown(a.name())));
        else if (!used_.count(std::string_view(a.name())))
            problem(fmt::format("<{}> has an unknown attribute {}", shown(node_.name()), shown(a.name())));
    }
    return problem_;
}

std::optional<std::wstring> Fields::find(const char *key, bool required)
{
    used_.insert(key);
    pugi::xml_attribute a = node_.attribute(key);
    if (!a) {
        if (required)
            problem(where(key) + " is missing");
        return std::nullopt;
    }
    auto v = decode(a.value());
    if (!v)
        problem(where(key) + " holds a reference or a byte sequence that is no Unicode character");
    return v;
}

std::string Fields::where(const char *key) const
{
    return fmt::format("attribute {} of <{}>", key, shown(node_.name()));
}

void Fields::problem(std::string what)
{
    if (!problem_)
        problem_ = std::move(what);
}

void putFileSpec(pugi::xml_node node, const FileSpec &file)
{
    put(node, "path", file.path);
    put(node, "filespec", file.filespec);
    putFlag(node, "recursive", file.recursive);
    put(node, "alternateLocation", file.alternateLocation);
    put(node, "backupTypeMask", static_cast<long long>(file.backupTypeMask));
}

FileSpec readFileSpec(Fields &fields)
{
    FileSpec s;
    s.path = fields.text("path");
    s.filespec = fields.text("filespec");
    s.recursive = fields.flag("recursive");
    s.alternateLocation = fields.text("alternateLocation");
    s.backupTypeMask = fields.dword("backupTypeMask");
    return s;
}

} // namespace vsssim::xml
