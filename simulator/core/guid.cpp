#include "core/guid.h"

#include <array>
#include <cstdint>

namespace vsssim {

namespace {

// Positions of the hyphens in the unbraced 36-character form.
constexpr std::array<std::size_t, 4> kHyphens{8, 13, 18, 23};

template <class Char>
void writeGuidChars(const GUID &guid, Char *out, GuidCase letters) noexcept
{
    const char *digits = letters == GuidCase::Upper ? "0123456789ABCDEF" : "0123456789abcdef";
    std::size_t pos = 0;
    auto put = [&](std::uint64_t value, int hexDigits) {
        for (int shift = (hexDigits - 1) * 4; shift >= 0; shift -= 4)
            out[pos++] = static_cast<Char>(digits[(value >> shift) & 0xF]);
    };
    out[pos++] = static_cast<Char>('{');
    put(guid.Data1, 8);
    out[pos++] = static_cast<Char>('-');
    put(guid.Data2, 4);
    out[pos++] = static_cast<Char>('-');
    put(guid.Data3, 4);
    out[pos++] = static_cast<Char>('-');
    put(guid.Data4[0], 2);
    put(guid.Data4[1], 2);
    out[pos++] = static_cast<Char>('-');
    for (int i = 2; i < 8; ++i)
        put(guid.Data4[i], 2);
    out[pos++] = static_cast<Char>('}');
}

template <class Char>
int hexValue(Char c) noexcept
{
    if (c >= '0' && c <= '9')
        return static_cast<int>(c - '0');
    if (c >= 'a' && c <= 'f')
        return static_cast<int>(c - 'a') + 10;
    if (c >= 'A' && c <= 'F')
        return static_cast<int>(c - 'A') + 10;
    return -1;
}

template <class Char>
std::optional<GUID> parseGuidChars(std::basic_string_view<Char> text) noexcept
{
    if (text.size() == kGuidTextLength) {
        if (text.front() != '{' || text.back() != '}')
            return std::nullopt;
        text = text.substr(1, kGuidTextLength - 2);
    }
    if (text.size() != kGuidTextLength - 2)
        return std::nullopt;

    // 32 nibbles in text order; Data4 bytes follow the text order, which is their array order.
    std::array<std::uint8_t, 32> nibbles{};
    std::size_t n = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const bool hyphenHere = i == kHyphens[0] || i == kHyphens[1] || i == kHyphens[2] || i == kHyphens[3];
        if (hyphenHere) {
            if (text[i] != '-')
                return std::nullopt;
            continue;
        }
        const int v = hexValue(text[i]);
        if (v < 0)
            return std::nullopt;
        nibbles[n++] = static_cast<std::uint8_t>(v);
    }

    auto take = [&](std::size_t first, std::size_t count) {
        std::uint32_t value = 0;
        for (std::size_t i = first; i < first + count; ++i)
            value = (value << 4) | nibbles[i];
        return value;
    };
    GUID guid{};
    guid.Data1 = take(0, 8);
    guid.Data2 = static_cast<decltype(guid.Data2)>(take(8, 4));
    guid.Data3 = static_cast<decltype(guid.Data3)>(take(12, 4));
    for (std::size_t i = 0; i < 8; ++i)
        guid.Data4[i] = static_cast<std::uint8_t>(take(16 + 2 * i, 2));
    return guid;
}

} // namespace

void writeGuid(const GUID &guid, char *out, GuidCase letters) noexcept
{
    writeGuidChars(guid, out, letters);
}

void writeGuid(const GUID &guid, wchar_t *out, GuidCase letters) noexcept
{
    writeGuidChars(guid, out, letters);
}

std::string formatGuid(const GUID &guid)
{
    std::string text(kGuidTextLength, '\0');
    writeGuid(guid, text.data());
    return text;
}

std::optional<GUID> parseGuid(std::string_view text) noexcept
{
    return parseGuidChars(text);
}

std::optional<GUID> parseGuid(std::wstring_view text) noexcept
{
    return parseGuidChars(text);
}

} // namespace vsssim
