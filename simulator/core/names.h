// One table per kind of named value: the HRESULTs and the enums scenarios use. The log formatter,
// the scenario parser, `vss-sim explain` and the tests all read these tables, so a name is spelled
// in exactly one place.
#pragma once
#include "private.h"

#include <cstdint>
#include <cstring>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

#include <fmt/format.h>

#include <windows.h>
#include <vss.h>
#include <vsserror.h>
#include <vswriter.h>

namespace vsssim {

struct NamedValue {
    std::string_view name;
    std::int32_t value;
    std::string_view meaning;
};

/// Every HRESULT of docs/api.md §3.1 (the 81 VSS codes, by value) then §3.2 (generic COM/Win32).
std::span<const NamedValue> hresultTable() noexcept;
/// Allocation-free: it runs on every log line that carries an HRESULT.
std::optional<std::string_view> hresultName(HRESULT hr) noexcept;
std::optional<HRESULT> hresultByName(std::string_view name) noexcept;
/// The table row for hr, or nullptr.
const NamedValue *hresultInfo(HRESULT hr) noexcept;
/// "VSS_E_WRITERERROR_TIMEOUT", or "0x80041234" for a code without a name: a code in a table cell.
std::string hresultText(HRESULT hr);

/// The Win32 error codes (winerror.h) a VSS caller meets, mostly inside HRESULT_FROM_WIN32 codes, with
/// the text Windows' FormatMessage gives for them. `value` is the Win32 code, not the HRESULT.
std::span<const NamedValue> win32ErrorTable() noexcept;
const NamedValue *win32ErrorInfo(std::uint32_t code) noexcept;
std::optional<std::uint32_t> win32ErrorByName(std::string_view name) noexcept;

/// The FACILITY_* numbers of winerror.h; `meaning` says what lives there.
std::span<const NamedValue> facilityTable() noexcept;
/// The row of `facility`, or nullptr for a number winerror.h does not name.
const NamedValue *facilityInfo(unsigned facility) noexcept;

/// An HRESULT taken apart as winerror.h lays it out: S R C N X bits, facility, code.
struct HresultParts {
    bool failed;      ///< bit 31, SEVERITY_ERROR
    bool customer;    ///< bit 29: defined by a vendor, not by Microsoft
    bool ntstatus;    ///< bit 28: an NTSTATUS carried by HRESULT_FROM_NT
    bool reserved;    ///< bit 30: never set in an HRESULT; an NTSTATUS error has it
    unsigned facility;
    unsigned code;    ///< the low 16 bits (HRESULT_CODE)
    /// The Win32 error an HRESULT_FROM_WIN32 code carries (facility 7, failure, no C/N bit).
    std::optional<std::uint32_t> win32;
};
HresultParts decodeHresult(HRESULT hr) noexcept;

enum class EnumKind {
    WriterState,
    BackupType,
    RestoreType,
    UsageType,
    SourceType,
    SnapshotContext,
    ComponentType,
    ApplicationLevel,
    ObjectType,
    FileRestoreStatus,
    VolumeSnapshotAttributes,
    RestoreTarget,
    RestoreMethod,
    WriterRestore,
    RollForwardType,
};

/// The rows of one enum in the spec's order; values as LONG, so VSS_CTX_ALL reads -1.
std::span<const NamedValue> enumTable(EnumKind kind) noexcept;
std::optional<std::int32_t> enumByName(EnumKind kind, std::string_view name) noexcept;
/// "" when value names no constant of kind.
std::string_view enumName(EnumKind kind, std::int32_t value) noexcept;
/// Whether an enum argument of the public API holds one of kind's values. The argument's bytes are read as
/// its underlying integer, never loaded as the enum: a requester may pass any integer, and loading one
/// outside the enumeration's range is undefined behaviour (clang's -fsanitize=enum). Take the argument by
/// reference up to this check, and use it as the enum only after it passed.
template <class E>
bool isEnumValue(const E &argument, EnumKind kind) noexcept
{
    static_assert(std::is_enum_v<E> && sizeof(E) == sizeof(std::int32_t), "a 32-bit Windows enum");
    std::int32_t raw = 0;
    std::memcpy(&raw, &argument, sizeof raw);
    return !enumName(kind, raw).empty();
}

/// "" for a value outside the enum.
std::string_view writerStateName(VSS_WRITER_STATE state) noexcept;

/// An HRESULT that prints by name: `VSS_E_BAD_STATE (0x80042301)`. HRESULT itself is a plain int32_t.
struct Hr {
    HRESULT value;
    friend bool operator==(Hr, Hr) = default;
};

/// For doctest and other stream users; same text as the fmt formatter.
std::ostream &operator<<(std::ostream &out, Hr hr);

/// UTF-8 of a writer name, message or document (BSTR text is UTF-16 on Windows, UTF-32 here). A
/// surrogate pair becomes one character; a lone surrogate or a value past U+10FFFF becomes U+FFFD.
std::string toUtf8(std::wstring_view text);
/// The wide text of well-formed UTF-8, or nullopt: an overlong form, a surrogate, a value past
/// U+10FFFF or a cut sequence comes from outside and is refused rather than guessed at.
std::optional<std::wstring> fromUtf8(std::string_view text);

} // namespace vsssim

template <>
struct fmt::formatter<vsssim::Hr> {
    constexpr auto parse(fmt::format_parse_context &ctx) -> decltype(ctx.begin())
    {
        auto it = ctx.begin();
        if (it != ctx.end() && *it != '}')
            throw fmt::format_error("Hr takes no format spec");
        return it;
    }

    template <class FormatContext>
    auto format(vsssim::Hr hr, FormatContext &ctx) const -> decltype(ctx.out())
    {
        const auto bits = static_cast<std::uint32_t>(hr.value);
        if (auto name = vsssim::hresultName(hr.value))
            return fmt::format_to(ctx.out(), "{} (0x{:08x})", *name, bits);
        return fmt::format_to(ctx.out(), "0x{:08x}", bits);
    }
};

namespace vsssim {

// Items separated by `sep`, for messages. Not fmt::join: with fmt 9 and GCC 12 at -O3 its run-time
// call to formatter<string_view>::parse trips a false -Wstringop-overflow, fatal under werror.
template <class Range>
std::string joinText(const Range &items, std::string_view sep)
{
    std::string out;
    for (const auto &item : items) {
        if (!out.empty())
            out.append(sep);
        out.append(std::string_view(item));
    }
    return out;
}

} // namespace vsssim

template <>
struct fmt::formatter<VSS_WRITER_STATE> {
    constexpr auto parse(fmt::format_parse_context &ctx) -> decltype(ctx.begin())
    {
        auto it = ctx.begin();
        if (it != ctx.end() && *it != '}')
            throw fmt::format_error("VSS_WRITER_STATE takes no format spec");
        return it;
    }

    template <class FormatContext>
    auto format(VSS_WRITER_STATE state, FormatContext &ctx) const -> decltype(ctx.out())
    {
        const std::string_view name = vsssim::writerStateName(state);
        if (!name.empty())
            return fmt::format_to(ctx.out(), "{}", name);
        // An out-of-range state is a bug somewhere; print the number rather than hide it.
        return fmt::format_to(ctx.out(), "VSS_WRITER_STATE({})", static_cast<int>(state));
    }
};
