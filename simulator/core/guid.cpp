#include "core/guid.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <iterator>
#include <stdexcept>

#include <boost/uuid/string_generator.hpp>
#include <boost/uuid/uuid.hpp>
#include <boost/uuid/uuid_io.hpp>

namespace vsssim {

namespace {

// Positions of the hyphens in the unbraced 36-character form.
constexpr std::array<std::size_t, 4> kHyphens{8, 13, 18, 23};

// The one place the two layouts meet: Windows keeps Data1-Data3 as native integers (printed as
// numbers), a Boost uuid is the 16 bytes in text order.
boost::uuids::uuid toUuid(const GUID &guid) noexcept
{
    boost::uuids::uuid u{};
    for (int i = 0; i < 4; ++i)
        u.data[i] = static_cast<std::uint8_t>(guid.Data1 >> (24 - 8 * i));
    u.data[4] = static_cast<std::uint8_t>(guid.Data2 >> 8);
    u.data[5] = static_cast<std::uint8_t>(guid.Data2);
    u.data[6] = static_cast<std::uint8_t>(guid.Data3 >> 8);
    u.data[7] = static_cast<std::uint8_t>(guid.Data3);
    std::copy(std::begin(guid.Data4), std::end(guid.Data4), u.data + 8);
    return u;
}

GUID fromUuid(const boost::uuids::uuid &u) noexcept
{
    GUID guid{};
    for (int i = 0; i < 4; ++i)
        guid.Data1 = (guid.Data1 << 8) | u.data[i];
    guid.Data2 = static_cast<decltype(guid.Data2)>((u.data[4] << 8) | u.data[5]);
    guid.Data3 = static_cast<decltype(guid.Data3)>((u.data[6] << 8) | u.data[7]);
    std::copy(u.data + 8, u.data + 16, std::begin(guid.Data4));
    return guid;
}

template <class Char>
void writeGuidChars(const GUID &guid, Char *out, GuidCase letters) noexcept
{
    char text[kGuidTextLength - 2];
    boost::uuids::to_chars(toUuid(guid), text);
    out[0] = static_cast<Char>('{');
    for (std::size_t i = 0; i < sizeof text; ++i) {
        const char c = letters == GuidCase::Upper && text[i] >= 'a' && text[i] <= 'f' ? static_cast<char>(text[i] - 'a' + 'A')
                                                                                        : text[i];
        out[i + 1] = static_cast<Char>(c);
    }
    out[kGuidTextLength - 1] = static_cast<Char>('}');
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
    // Boost also reads 32 digits with no hyphen at all; the forms VSS tools print have all four.
    for (std::size_t pos : kHyphens)
        if (text[pos] != '-')
            return std::nullopt;
    try {
        return fromUuid(boost::uuids::string_generator{}(text.begin(), text.end()));
    } catch (const std::runtime_error &) {   // not a hex digit where one belongs
        return std::nullopt;
    }
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
