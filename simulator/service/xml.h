// The small XML dialect of the simulator's own documents (the backup components document, writer
// metadata): elements with attributes, no text content, no comments, no namespaces. Anything outside
// that dialect is an error, so a document another tool wrote is refused rather than half-read.
#pragma once
#include "private.h"

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <windows.h>

namespace vsssim::xml {

/// Attribute-value escaping; every character outside printable ASCII becomes a character reference,
/// so the document survives any transport that mangles non-ASCII text.
std::wstring escape(std::wstring_view s);

/// One wide character per byte: for ASCII text such as GUIDs and numbers.
std::wstring widen(std::string_view s);

std::wstring guidText(const GUID &g);

using Attributes = std::map<std::wstring, std::wstring>;

struct Element {
    std::wstring name;
    Attributes attributes;
    bool closing = false;      ///< </Name>
    bool selfClosing = false;  ///< <Name ... />
};

class Reader
{
public:
    explicit Reader(std::wstring_view text) : s_(text) {}

    /// What went wrong and where, once next() has returned nullopt.
    std::optional<std::string> error() const { return error_; }

    /// True when only white space is left.
    bool atEnd();

    /// The next element; an XML declaration is skipped.
    std::optional<Element> next();

private:
    void skipSpace();
    std::wstring name();
    std::nullopt_t bad(std::string what);

    std::wstring_view s_;
    std::size_t pos_ = 0;
    std::optional<std::string> error_;
};

/// Appends ` key="escaped value"`.
void put(std::wstring &out, std::wstring_view key, std::wstring_view value);
/// As put, and nothing at all for nullopt: absence is how a document says "never set".
void putOptional(std::wstring &out, std::wstring_view key, const std::optional<std::wstring> &value);

std::optional<std::wstring> optionalAttr(const Attributes &a, const wchar_t *key);
/// A decimal integer with an optional '-'; nullopt when absent, malformed or outside long long.
std::optional<long long> number(const Attributes &a, const wchar_t *key);
std::optional<long long> parseNumber(std::wstring_view text);
std::optional<GUID> guidAttr(const Attributes &a, const wchar_t *key);

} // namespace vsssim::xml
