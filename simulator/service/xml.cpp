#include "service/xml.h"

#include <cstdint>
#include <cwctype>
#include <limits>

#include <fmt/format.h>

#include "core/guid.h"

namespace vsssim::xml {

namespace {

std::optional<std::wstring> unescape(std::wstring_view v)
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

} // namespace

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

std::wstring widen(std::string_view s)
{
    std::wstring out;
    out.reserve(s.size());
    for (char c : s)
        out += static_cast<wchar_t>(static_cast<unsigned char>(c));
    return out;
}

std::wstring guidText(const GUID &g) { return widen(formatGuid(g)); }

bool Reader::atEnd()
{
    skipSpace();
    return pos_ >= s_.size();
}

std::optional<Element> Reader::next()
{
    skipSpace();
    if (pos_ >= s_.size() || s_[pos_] != L'<')
        return bad("expected '<'");
    ++pos_;
    if (s_.compare(pos_, 4, L"?xml") == 0) {
        const std::size_t end = s_.find(L"?>", pos_);
        if (end == std::wstring_view::npos)
            return bad("unterminated XML declaration");
        pos_ = end + 2;
        return next();
    }
    Element e;
    if (pos_ < s_.size() && s_[pos_] == L'/') {
        e.closing = true;
        ++pos_;
    }
    e.name = name();
    if (e.name.empty())
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
            e.selfClosing = true;
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

void Reader::skipSpace()
{
    while (pos_ < s_.size() && std::iswspace(static_cast<wint_t>(s_[pos_])))
        ++pos_;
}

std::wstring Reader::name()
{
    const std::size_t start = pos_;
    while (pos_ < s_.size() && (std::iswalnum(static_cast<wint_t>(s_[pos_])) || s_[pos_] == L'_'))
        ++pos_;
    return std::wstring(s_.substr(start, pos_ - start));
}

std::nullopt_t Reader::bad(std::string what)
{
    if (!error_)
        error_ = fmt::format("{} at character {}", what, pos_);
    return std::nullopt;
}

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

std::optional<long long> number(const Attributes &a, const wchar_t *key)
{
    auto it = a.find(key);
    if (it == a.end())
        return std::nullopt;
    return parseNumber(it->second);
}

std::optional<GUID> guidAttr(const Attributes &a, const wchar_t *key)
{
    auto it = a.find(key);
    if (it == a.end())
        return std::nullopt;
    return parseGuid(std::wstring_view(it->second));
}

} // namespace vsssim::xml
