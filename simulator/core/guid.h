// GUID text in the form VSS tools print, and back. The scenario loader, CLSIDFromString/IIDFromString
// and every log line share this one parser and one formatter.
#pragma once
#include "private.h"

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include <windows.h>

namespace vsssim {

/// Length of the braced form "{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}", without a terminator.
inline constexpr std::size_t kGuidTextLength = 38;

enum class GuidCase { Lower, Upper };

/// Writes exactly kGuidTextLength characters and no terminator, so log lines format without allocating.
void writeGuid(const GUID &guid, char *out, GuidCase letters = GuidCase::Lower) noexcept;
void writeGuid(const GUID &guid, wchar_t *out, GuidCase letters = GuidCase::Lower) noexcept;

/// "{e8132975-6f93-4464-a53e-1050253ae220}": lower case in braces, as vssadmin and VShadow print.
std::string formatGuid(const GUID &guid);

/// Accepts 8-4-4-4-12 hex digits in either case, with both braces or with neither; nothing else.
std::optional<GUID> parseGuid(std::string_view text) noexcept;
std::optional<GUID> parseGuid(std::wstring_view text) noexcept;

} // namespace vsssim

template <>
struct fmt::formatter<GUID> {
    constexpr auto parse(fmt::format_parse_context &ctx) -> decltype(ctx.begin())
    {
        // Only "{}": a GUID has one text form here, so a stray spec is a caller bug worth a compile error.
        auto it = ctx.begin();
        if (it != ctx.end() && *it != '}')
            throw fmt::format_error("GUID takes no format spec");
        return it;
    }

    template <class FormatContext>
    auto format(const GUID &guid, FormatContext &ctx) const -> decltype(ctx.out())
    {
        char text[vsssim::kGuidTextLength];
        vsssim::writeGuid(guid, text);
        return std::copy(text, text + vsssim::kGuidTextLength, ctx.out());
    }
};
