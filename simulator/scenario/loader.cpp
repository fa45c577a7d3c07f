// Scenario files: TOML into a Scenario. The format is documented in scenarios/README.md; this file
// checks every table, key and value against it and reports what is wrong the way a compiler does,
// `file:line:col: error: message`, so editors jump to the spot. All errors of a file are collected
// (up to kMaxErrors) and sorted into file order: toml++ tables are sorted maps, so the walk below
// does not visit keys in the order they were written.
#include "scenario/loader.h"
#include "platform/platform.h"
#include "scenario/runner.h"
#include "scenario/expectations.h"

#include <algorithm>
#include <array>
#include <cwctype>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <set>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <toml++/toml.h>

#include "core/guid.h"
#include "core/names.h"
#include "core/rng.h"
#include "core/writer_state.h"
#include "scenario/search_path.h"
#include "scenario/spelling.h"
#include "service/service.h"

namespace vsssim {

namespace {

/// A value echoed in a message is cut here: a 1 MiB key must not fill the terminal.
constexpr std::size_t kMaxShownValue = 80;
/// The whole message, a last net for anything echoed without quoted().
constexpr std::size_t kMaxShownMessage = 400;

bool isContinuation(char c)
{
    return (static_cast<unsigned char>(c) & 0xc0u) == 0x80u;
}

/// The one helper for text from a scenario file in a message: control bytes (NUL, ESC, BEL, newlines)
/// escaped, so one error stays one line and cannot drive the terminal, and text past `limit` bytes cut
/// at a character boundary with the full length said.
std::string printable(std::string_view s, std::size_t limit)
{
    std::size_t cut = s.size();
    if (s.size() > limit) {
        cut = limit;
        while (cut > 0 && isContinuation(s[cut]))
            --cut;
    }
    std::string out;
    for (char c : s.substr(0, cut)) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '\n')
            out += "\\n";
        else if (c == '\t')
            out += "\\t";
        else if (c == '\r')
            out += "\\r";
        else if (u < 0x20 || u == 0x7f)
            out += fmt::format("\\x{:02x}", u);
        else
            out += c;
    }
    if (cut < s.size())
        out += fmt::format("... ({} bytes)", s.size());
    return out;
}

} // namespace

std::string ScenarioError::format() const
{
    const std::string shownFile = printable(file, kMaxShownMessage);
    const std::string shownMessage = printable(message, kMaxShownMessage);
    // A file that cannot be read has no position; editors still jump to the file.
    if (line == 0)
        return fmt::format("{}: error: {}", shownFile, shownMessage);
    return fmt::format("{}:{}:{}: error: {}", shownFile, line, column, shownMessage);
}

namespace {

/// Enough to fix a file in one pass without burying the first error under its consequences.
constexpr std::size_t kMaxErrors = 20;

using namespace std::string_view_literals;

// ---- durations ----

enum class DurationProblem { None, Malformed, Zero, TooLong };

struct DurationParse {
    SimDuration value{0};
    DurationProblem problem = DurationProblem::Malformed;
};

/// Integer arithmetic only: "1.5s" must give exactly 1'500'000'000 ns on every platform.
DurationParse parseDurationDetailed(std::string_view text)
{
    __extension__ using Wide = unsigned __int128;   // d × 10^18 fraction digits does not fit 64 bits
    auto isDigit = [](char c) { return c >= '0' && c <= '9'; };
    std::size_t i = 0;
    Wide whole = 0;
    bool tooLong = false;
    const std::size_t wholeStart = i;
    while (i < text.size() && isDigit(text[i])) {
        whole = whole * 10 + static_cast<unsigned>(text[i] - '0');
        if (whole > Wide{std::numeric_limits<std::uint64_t>::max()})
            tooLong = true, whole = Wide{std::numeric_limits<std::uint64_t>::max()};
        ++i;
    }
    if (i == wholeStart)
        return {};
    Wide fraction = 0;
    Wide scale = 1;
    if (i < text.size() && text[i] == '.') {
        ++i;
        const std::size_t fractionStart = i;
        std::size_t digits = 0;
        while (i < text.size() && isDigit(text[i])) {
            // Digits past the 18th weigh less than a nanosecond even in days; they are checked, not used.
            if (digits < 18) {
                fraction = fraction * 10 + static_cast<unsigned>(text[i] - '0');
                scale *= 10;
            }
            ++digits;
            ++i;
        }
        if (i == fractionStart)
            return {};
    }
    const std::string_view unit = text.substr(i);
    std::int64_t unitNs = 0;
    if (unit == "ms")
        unitNs = 1'000'000;
    else if (unit == "s")
        unitNs = 1'000'000'000;
    else if (unit == "m")
        unitNs = 60'000'000'000;
    else if (unit == "h")
        unitNs = 3'600'000'000'000;
    else if (unit == "d")
        unitNs = 86'400'000'000'000;
    else
        return {};
    const Wide total = whole * static_cast<Wide>(unitNs) + fraction * static_cast<Wide>(unitNs) / scale;
    if (tooLong || total > static_cast<Wide>(std::numeric_limits<std::int64_t>::max()))
        return {SimDuration{0}, DurationProblem::TooLong};
    const SimDuration value{static_cast<std::int64_t>(total)};
    return {value, value.count() == 0 ? DurationProblem::Zero : DurationProblem::None};
}

// ---- names the format accepts ----

/// Every IVssBackupComponents(Ex..Ex4) method: what [[fault]] `method` may name (a requester under test
/// may call any of them).
constexpr std::array<std::string_view, 62> kBackupMethods{
    "GetWriterComponentsCount", "GetWriterComponents", "InitializeForBackup", "SetBackupState",
    "InitializeForRestore", "SetRestoreState", "GatherWriterMetadata", "GetWriterMetadataCount",
    "GetWriterMetadata", "FreeWriterMetadata", "AddComponent", "PrepareForBackup", "AbortBackup",
    "GatherWriterStatus", "GetWriterStatusCount", "FreeWriterStatus", "GetWriterStatus",
    "SetBackupSucceeded", "SetBackupOptions", "SetSelectedForRestore", "SetRestoreOptions",
    "SetAdditionalRestores", "SetPreviousBackupStamp", "SaveAsXML", "BackupComplete",
    "AddAlternativeLocationMapping", "AddRestoreSubcomponent", "SetFileRestoreStatus", "AddNewTarget",
    "SetRangesFilePath", "PreRestore", "PostRestore", "SetContext", "StartSnapshotSet", "AddToSnapshotSet",
    "DoSnapshotSet", "DeleteSnapshots", "ImportSnapshots", "BreakSnapshotSet", "GetSnapshotProperties",
    "Query", "IsVolumeSupported", "DisableWriterClasses", "EnableWriterClasses", "DisableWriterInstances",
    "ExposeSnapshot", "RevertToSnapshot", "QueryRevertStatus", "GetWriterMetadataEx",
    "SetSelectedForRestoreEx", "UnexposeSnapshot", "SetAuthoritativeRestore", "SetRollForward",
    "SetRestoreName", "BreakSnapshotSetEx", "PreFastRecovery", "FastRecovery", "GetWriterStatusEx",
    "AddSnapshotToRecoverySet", "RecoverSet", "GetSessionId", "GetRootAndLogicalPrefixPaths",
};

/// The methods that hand back an IVssAsync: only these can fail "as the asynchronous result".
constexpr std::array<std::string_view, 13> kAsyncMethods{
    "GatherWriterMetadata", "PrepareForBackup", "GatherWriterStatus", "BackupComplete", "PreRestore",
    "PostRestore", "DoSnapshotSet", "ImportSnapshots", "QueryRevertStatus", "BreakSnapshotSetEx",
    "PreFastRecovery", "FastRecovery", "RecoverSet",
};

/// Faultable calls outside IVssBackupComponents: the boundary asks Service::injectedFault under these names.
constexpr std::array<std::string_view, 6> kOtherFaultMethods{
    "CreateVssBackupComponents", "CVssWriter::Initialize", "CVssWriter::Subscribe",
    "IVssAsync::Wait", "IVssAsync::Cancel", "IVssAsync::QueryStatus",
};



constexpr std::array<std::string_view, 4> kScripts{"backup", "restore", "observer", "none"};
constexpr std::array<std::string_view, 2> kClocks{"virtual", "real"};
constexpr double kMinTimeScale = 0.001;
constexpr double kMaxTimeScale = 1e6;

/// The Test Writer page spells PrepareForSnapshot this way; its configurations must replay unchanged.
constexpr std::string_view kTestWriterTypo = "PrepareForSnapsot";

/// The VSS events a handler receives (FreezeWindowExpired is an input of the state machine, not an event).
std::vector<std::string_view> eventNames()
{
    std::vector<std::string_view> out;
    for (int i = 0; i < kEventCount; ++i)
        out.push_back(inputName(static_cast<Input>(i)));
    return out;
}

std::optional<Input> eventByName(std::string_view name)
{
    if (name == kTestWriterTypo)
        return Input::PrepareForSnapshot;
    std::optional<Input> in = inputByName(name);
    if (in && static_cast<int>(*in) >= kEventCount)
        return std::nullopt;
    return in;
}

template <class Range>
bool contains(const Range &r, std::string_view s)
{
    return std::find(std::begin(r), std::end(r), s) != std::end(r);
}

// ---- text helpers ----

/// Values in messages: single-quoted as written (Windows paths stay readable), control characters escaped
/// so one error stays one line.
std::string quoted(std::string_view s)
{
    return "'" + printable(s, kMaxShownValue) + "'";
}

std::string didYouMean(std::optional<std::string_view> s)
{
    return s ? fmt::format(" (did you mean '{}'?)", *s) : std::string{};
}

std::string joined(std::span<const std::string> items)
{
    std::string out;
    for (const std::string &s : items) {
        if (!out.empty())
            out += ", ";
        out += s;
    }
    return out;
}

/// toml++ has checked that strings are UTF-8: one code point per wchar_t, or a surrogate pair where
/// wchar_t is UTF-16.
std::wstring widen(std::string_view s)
{
    std::wstring out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        int extra = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
        char32_t cp = extra == 3 ? c & 0x07u : extra == 2 ? c & 0x0fu : extra == 1 ? c & 0x1fu : c;
        ++i;
        for (; extra > 0 && i < s.size(); --extra, ++i)
            cp = (cp << 6) | (static_cast<unsigned char>(s[i]) & 0x3fu);
        platform::appendCodePoint(out, cp);
    }
    return out;
}

/// What a node is, for "expects X, got Y" messages: the type and, for scalars, the value.
std::string describe(const toml::node &n)
{
    switch (n.type()) {
    case toml::node_type::string:
        return "string " + quoted(n.as_string()->get());
    case toml::node_type::integer:
        return fmt::format("integer {}", n.as_integer()->get());
    case toml::node_type::floating_point:
        return fmt::format("float {}", n.as_floating_point()->get());
    case toml::node_type::boolean:
        return n.as_boolean()->get() ? "boolean true" : "boolean false";
    case toml::node_type::array:
        return "an array";
    case toml::node_type::table:
        return "a table";
    case toml::node_type::date:
        return "a date";
    case toml::node_type::time:
        return "a time";
    case toml::node_type::date_time:
        return "a date-time";
    case toml::node_type::none:
        break;
    }
    return "nothing";
}

// ---- TOML syntax errors ----

std::string_view lineOf(std::string_view text, std::uint32_t line)
{
    std::size_t start = 0;
    for (std::uint32_t l = 1; l < line; ++l) {
        const std::size_t nl = text.find('\n', start);
        if (nl == std::string_view::npos)
            return {};
        start = nl + 1;
    }
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos)
        end = text.size();
    std::string_view s = text.substr(start, end - start);
    if (!s.empty() && s.back() == '\r')
        s.remove_suffix(1);
    return s;
}

/// toml++ counts columns in code points; the hint below works in bytes of that line.
std::size_t byteOfColumn(std::string_view line, std::uint32_t column)
{
    std::size_t byte = 0;
    for (std::uint32_t col = 1; col < column && byte < line.size(); ++col) {
        ++byte;
        while (byte < line.size() && isContinuation(line[byte]))
            ++byte;
    }
    return byte;
}

std::uint32_t columnOfByte(std::string_view line, std::size_t byte)
{
    std::uint32_t column = 1;
    for (std::size_t i = 0; i < byte && i < line.size(); ++i)
        if (!isContinuation(line[i]))
            ++column;
    return column;
}

/// toml++ reads an unquoted word as a failed boolean, number or date ("expected 'false', saw 'F'").
/// When the failing token holds a letter or a backslash it was meant as a string: say so, and show
/// the quoted form, taken from the source line.
std::optional<ScenarioError> bareWordHint(std::string_view text, const std::string &path, std::string_view description,
                                          std::uint32_t line, std::uint32_t column)
{
    constexpr std::array<std::string_view, 9> kValueContexts{
        "Error while parsing value:", "Error while parsing boolean:", "Error while parsing floating-point:",
        "Error while parsing decimal integer:", "Error while parsing hexadecimal integer:",
        "Error while parsing octal integer:", "Error while parsing binary integer:", "Error while parsing date",
        "Error while parsing time",
    };
    if (std::none_of(kValueContexts.begin(), kValueContexts.end(),
                     [&](std::string_view p) { return description.substr(0, p.size()) == p; }))
        return std::nullopt;
    const std::string_view src = lineOf(text, line);
    auto delimiter = [](char c) {
        return c == ' ' || c == '\t' || c == '=' || c == ',' || c == '[' || c == ']' || c == '{' || c == '}' ||
               c == '#' || c == '"' || c == '\'';
    };
    std::size_t at = std::min(byteOfColumn(src, column), src.size());
    // toml++ points at the character it choked on, which may be just past the word.
    if ((at == src.size() || delimiter(src[at])) && at > 0 && !delimiter(src[at - 1]))
        --at;
    if (at >= src.size() || delimiter(src[at]))
        return std::nullopt;
    std::size_t start = at;
    while (start > 0 && !delimiter(src[start - 1]))
        --start;
    std::size_t end = at;
    while (end < src.size() && !delimiter(src[end]))
        ++end;
    std::string_view word = src.substr(start, end - start);
    if (std::none_of(word.begin(), word.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '\\' || c == '_';
        }))
        return std::nullopt;
    // Directly after '=' the whole rest of the line is what the author meant: `description = two words`.
    std::size_t before = start;
    while (before > 0 && (src[before - 1] == ' ' || src[before - 1] == '\t'))
        --before;
    if (before > 0 && src[before - 1] == '=') {
        std::string_view rest = src.substr(start);
        rest = rest.substr(0, rest.find('#'));
        while (!rest.empty() && (rest.back() == ' ' || rest.back() == '\t' || rest.back() == '"' || rest.back() == '\''))
            rest.remove_suffix(1);
        if (!rest.empty())
            word = rest;
    }
    const bool literal = word.find_first_of("\\\"") != std::string_view::npos;
    const std::string shown = literal ? fmt::format("'{}'", printable(word, kMaxShownValue))
                                      : fmt::format("\"{}\"", printable(word, kMaxShownValue));
    return ScenarioError{path, line, columnOfByte(src, start),
                         fmt::format("expected a value; strings must be quoted ({})", shown)};
}

ScenarioError syntaxError(std::string_view text, const std::string &path, const toml::parse_error &e)
{
    const std::string_view description = e.description();
    const std::uint32_t line = e.source().begin.line;
    const std::uint32_t column = e.source().begin.column;
    if (auto hint = bareWordHint(text, path, description, line, column))
        return *hint;
    // "Error while parsing array: encountered end-of-file" → "syntax error in array: encountered end-of-file"
    constexpr std::string_view kPrefix = "Error while parsing ";
    std::string message;
    if (description.substr(0, kPrefix.size()) == kPrefix)
        message = fmt::format("syntax error in {}", description.substr(kPrefix.size()));
    else
        message = fmt::format("syntax error: {}", description);
    return {path, std::max<std::uint32_t>(line, 1), std::max<std::uint32_t>(column, 1), std::move(message)};
}

// ---- bounds before toml++ ----

/// toml++ recurses once per key part and per nesting level; a 40,000-part dotted key overflows the stack
/// inside it. Scenario files are a few kilobytes; these bounds are far above any real one.
constexpr std::size_t kMaxScenarioBytes = 16u << 20;
constexpr std::size_t kMaxKeyParts = 64;
constexpr std::size_t kMaxNesting = 64;

/// A cheap pass over the raw text, before toml++ sees it: the longest dotted key (a run of bare or quoted
/// parts joined by '.') and the deepest nesting of arrays and inline tables. It does not parse TOML and
/// only needs to overestimate: a float or a date has at most a few dots, far below the bound.
std::optional<ScenarioError> boundsError(std::string_view text, const std::string &path)
{
    if (text.size() > kMaxScenarioBytes)
        return ScenarioError{path, 0, 0, fmt::format("scenario file is {} bytes; at most {} are read",
                                                     text.size(), kMaxScenarioBytes)};
    std::uint32_t line = 1;
    std::size_t lineStart = 0;
    std::size_t parts = 0;            // parts of the current dotted run
    std::size_t runStart = 0;         // where that run began
    bool afterDot = false;            // the last token was a '.' of the run
    std::size_t depth = 0;            // open '[' (values, not headers) and '{'
    std::vector<bool> headerBracket;  // per open '[': true when it opened a [table] header
    auto column = [&](std::size_t at) { return columnOfByte(text.substr(lineStart), at - lineStart); };
    auto part = [&](std::size_t at) -> std::optional<ScenarioError> {
        parts = afterDot ? parts + 1 : 1;
        if (!afterDot)
            runStart = at;
        afterDot = false;
        if (parts > kMaxKeyParts)
            return ScenarioError{path, line, column(runStart),
                                 fmt::format("key has more than {} dotted parts", kMaxKeyParts)};
        return std::nullopt;
    };
    auto bare = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
               c == '+' || c == ':';
    };
    for (std::size_t i = 0; i < text.size();) {
        const char c = text[i];
        if (c == '\n') {
            ++line;
            lineStart = ++i;
            afterDot = false;
            parts = 0;
        } else if (c == '#') {
            while (i < text.size() && text[i] != '\n')
                ++i;
        } else if (c == '"' || c == '\'') {
            const std::size_t start = i;
            const std::string_view triple = c == '"' ? "\"\"\""sv : "'''"sv;
            const bool multi = text.substr(i, 3) == triple;
            const std::string_view close = multi ? triple : triple.substr(0, 1);
            i += close.size();
            while (i < text.size() && text.substr(i, close.size()) != close) {
                if (c == '"' && text[i] == '\\' && i + 1 < text.size() && text[i + 1] != '\n')
                    ++i;   // an escaped quote does not close; a line-ending backslash still counts its line
                else if (text[i] == '\n') {
                    if (!multi)
                        break;   // toml++ reports the unterminated string
                    ++line;
                    lineStart = i + 1;
                }
                ++i;
            }
            i = std::min(text.size(), i + close.size());
            if (auto e = part(start))
                return e;
        } else if (bare(c)) {
            const std::size_t start = i;
            while (i < text.size() && bare(text[i]))
                ++i;
            if (auto e = part(start))
                return e;
        } else if (c == '.') {
            afterDot = parts > 0;
            ++i;
        } else if (c == ' ' || c == '\t' || c == '\r') {
            ++i;
        } else {
            afterDot = false;
            parts = 0;
            if (c == '[' || c == '{') {
                const bool header = c == '[' && depth == 0 &&
                                    text.substr(lineStart, i - lineStart).find_first_not_of(" \t[") == std::string_view::npos;
                headerBracket.push_back(header);
                if (!header && ++depth > kMaxNesting)
                    return ScenarioError{path, line, column(i),
                                         fmt::format("arrays and inline tables nest more than {} deep", kMaxNesting)};
            } else if ((c == ']' || c == '}') && !headerBracket.empty()) {
                if (!headerBracket.back())
                    --depth;
                headerBracket.pop_back();
            }
            ++i;
        }
    }
    return std::nullopt;
}

// ---- the loader ----

struct WriterInfo {
    std::string name;
    bool fromProfile = false;
    std::vector<std::pair<std::string, std::string>> components;   ///< (logical path, name)
};

class Loader
{
public:
    Loader(std::string_view text, const std::string &path) : text_(text), path_(path) {}

    LoadResult run()
    {
        LoadResult result;
        if (auto e = boundsError(text_, path_)) {
            result.errors.push_back(std::move(*e));
            return result;
        }
        toml::table root;
        try {
            root = toml::parse(text_, std::string_view{path_});
        } catch (const toml::parse_error &e) {
            result.errors.push_back(syntaxError(text_, path_, e));
            return result;
        }
        sc_.path = path_;
        walk(root);
        std::stable_sort(errors_.begin(), errors_.end(), [](const ScenarioError &a, const ScenarioError &b) {
            return std::pair(a.line, a.column) < std::pair(b.line, b.column);
        });
        if (errors_.size() > kMaxErrors)
            errors_.resize(kMaxErrors);
        result.errors = std::move(errors_);
        if (result.errors.empty())
            result.scenario = std::move(sc_);
        return result;
    }

private:
    std::string_view text_;
    const std::string &path_;
    std::vector<ScenarioError> errors_;
    Scenario sc_;
    bool profilesOk_ = true;
    std::vector<ProfileWriter> profileWriters_;
    std::vector<WriterInfo> writers_;   ///< profile writers, then the new [[writer]]s, in that order
    std::map<std::string, std::uint32_t> declaredAt_;   ///< [[writer]] name → line
    // Indexes, so that 100,000 writers or volumes validate in one pass, not in a pass each.
    std::map<std::string, std::size_t, std::less<>> writerIndex_;   ///< name → first entry of writers_
    std::map<std::string, std::string> pinnedInstances_;            ///< formatted instance_id → writer name
    std::set<std::wstring> volumeKeys_;                             ///< volume names, lower case

    void addWriterInfo(WriterInfo info)
    {
        writerIndex_.emplace(info.name, writers_.size());
        writers_.push_back(std::move(info));
    }

    // ---- reporting ----

    void fail(const toml::source_region &where, std::string message)
    {
        errors_.push_back({path_, std::max<std::uint32_t>(where.begin.line, 1),
                           std::max<std::uint32_t>(where.begin.column, 1), std::move(message)});
    }
    void fail(const toml::node &n, std::string message) { fail(n.source(), std::move(message)); }

    SourcePos posOf(const toml::node &n) const
    {
        return {path_, n.source().begin.line, n.source().begin.column};
    }

    void typeError(const toml::node &n, std::string_view key, std::string_view expected)
    {
        fail(n, fmt::format("'{}' expects {}, got {}", key, expected, describe(n)));
    }

    /// Unknown keys of one table. `where` names the table as written ("[[writer.on]]").
    void checkKeys(const toml::table &t, std::span<const std::string_view> allowed, std::string_view where)
    {
        for (auto &&[key, value] : t) {
            (void)value;
            if (contains(allowed, key.str()))
                continue;
            fail(key.source(), fmt::format("unknown key {} in {}{}", quoted(key.str()), where,
                                           didYouMean(closestName(key.str(), allowed))));
        }
    }

    // ---- typed readers: each reports a wrong type at the value and returns nullopt ----

    static const toml::node *find(const toml::table &t, std::string_view key) { return t.get(key); }

    const toml::node *required(const toml::table &t, std::string_view key, std::string_view where)
    {
        const toml::node *n = find(t, key);
        if (!n)
            fail(t, fmt::format("{} needs '{}'", where, key));
        return n;
    }

    std::optional<std::string> stringOf(const toml::node &n, std::string_view key)
    {
        if (const auto *s = n.as_string())
            return s->get();
        typeError(n, key, "a string");
        return std::nullopt;
    }

    std::optional<std::string> stringAt(const toml::table &t, std::string_view key)
    {
        const toml::node *n = find(t, key);
        return n ? stringOf(*n, key) : std::nullopt;
    }

    std::optional<bool> boolean(const toml::table &t, std::string_view key)
    {
        const toml::node *n = find(t, key);
        if (!n)
            return std::nullopt;
        if (const auto *b = n->as_boolean())
            return b->get();
        typeError(*n, key, "a boolean (true or false)");
        return std::nullopt;
    }

    std::optional<std::int64_t> integer(const toml::table &t, std::string_view key, std::int64_t min,
                                        std::int64_t max = std::numeric_limits<std::int32_t>::max())
    {
        const toml::node *n = find(t, key);
        if (!n)
            return std::nullopt;
        const auto *i = n->as_integer();
        if (!i) {
            typeError(*n, key, "an integer");
            return std::nullopt;
        }
        // Both bounds, always: "at least 1" told to INT64_MAX reads as a contradiction.
        if (i->get() < min || i->get() > max) {
            fail(*n, fmt::format("'{}' must be between {} and {}, got {}", key, min, max, i->get()));
            return std::nullopt;
        }
        return i->get();
    }

    /// `instant`: zero is a point in time ("at the start"), not an empty wait.
    std::optional<SimDuration> durationOf(const toml::node &n, std::string_view key, bool instant = false)
    {
        const auto *s = n.as_string();
        if (!s) {
            typeError(n, key, "a duration string such as \"25s\"");
            return std::nullopt;
        }
        const DurationParse d = parseDurationDetailed(s->get());
        switch (d.problem) {
        case DurationProblem::None:
            return d.value;
        case DurationProblem::Malformed:
            fail(n, fmt::format("malformed duration {}: expected a number and a unit (ms, s, m, h or d), "
                                "such as \"1.5s\"", quoted(s->get())));
            break;
        case DurationProblem::Zero:
            if (instant)
                return SimDuration{0};
            fail(n, fmt::format("duration {} must be greater than zero", quoted(s->get())));
            break;
        case DurationProblem::TooLong:
            fail(n, fmt::format("duration {} is too long (at most 106751d)", quoted(s->get())));
            break;
        }
        return std::nullopt;
    }

    std::optional<SimDuration> duration(const toml::table &t, std::string_view key, bool instant = false)
    {
        const toml::node *n = find(t, key);
        return n ? durationOf(*n, key, instant) : std::nullopt;
    }

    std::optional<HRESULT> hresultOf(const toml::node &n, std::string_view key)
    {
        if (const auto *i = n.as_integer()) {
            const std::int64_t v = i->get();
            if (v < std::numeric_limits<std::int32_t>::min() || v > std::numeric_limits<std::uint32_t>::max()) {
                fail(n, fmt::format("HRESULT {} is out of range: it must fit 32 bits", v));
                return std::nullopt;
            }
            return static_cast<HRESULT>(static_cast<std::uint32_t>(v));
        }
        const auto *s = n.as_string();
        if (!s) {
            typeError(n, key, "an HRESULT (a name such as \"VSS_E_BAD_STATE\", \"0x80042301\" or an integer)");
            return std::nullopt;
        }
        const std::string &text = s->get();
        if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
            std::uint32_t v = 0;
            const std::string_view digits = std::string_view(text).substr(2);
            bool ok = digits.size() <= 8;
            for (char c : digits) {
                const int d = c >= '0' && c <= '9' ? c - '0'
                            : c >= 'a' && c <= 'f' ? c - 'a' + 10
                            : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                   : -1;
                if (d < 0)
                    ok = false;
                else
                    v = v * 16 + static_cast<std::uint32_t>(d);
            }
            if (ok)
                return static_cast<HRESULT>(v);
            fail(n, fmt::format("malformed HRESULT {}: expected 0x followed by up to 8 hex digits", quoted(text)));
            return std::nullopt;
        }
        if (auto hr = hresultByName(text))
            return *hr;
        fail(n, fmt::format("unknown HRESULT {}{}", quoted(text),
                            didYouMean(closestNameBy(text, hresultTable(), [](const NamedValue &v) { return v.name; }))));
        return std::nullopt;
    }

    std::optional<HRESULT> hresult(const toml::table &t, std::string_view key)
    {
        const toml::node *n = find(t, key);
        return n ? hresultOf(*n, key) : std::nullopt;
    }

    /// An enum constant by name, or an integer that is one of its values; `what` names the enum in messages.
    std::optional<std::int32_t> enumOf(const toml::node &n, std::string_view key, EnumKind kind, std::string_view what,
                                       std::int32_t maxValue = std::numeric_limits<std::int32_t>::max())
    {
        const std::span<const NamedValue> table = enumTable(kind);
        auto inRange = [&](std::int32_t v) { return v <= maxValue; };
        if (const auto *i = n.as_integer()) {
            const std::int64_t v = i->get();
            const bool known = std::any_of(table.begin(), table.end(), [&](const NamedValue &row) {
                return row.value == v && inRange(row.value);
            });
            if (known)
                return static_cast<std::int32_t>(v);
            if (maxValue != std::numeric_limits<std::int32_t>::max())
                fail(n, fmt::format("{} is not a {} value (0 to {})", v, what, maxValue));
            else
                fail(n, fmt::format("{} is not a {} value", v, what));
            return std::nullopt;
        }
        const auto *s = n.as_string();
        if (!s) {
            typeError(n, key, fmt::format("a {} name", what));
            return std::nullopt;
        }
        if (auto v = enumByName(kind, s->get()); v && inRange(*v))
            return *v;
        std::vector<std::string_view> names;
        for (const NamedValue &row : table)
            if (inRange(row.value))
                names.push_back(row.name);
        fail(n, fmt::format("unknown {} {}{}", what, quoted(s->get()), didYouMean(closestName(s->get(), names))));
        return std::nullopt;
    }

    std::optional<std::int32_t> enumValue(const toml::table &t, std::string_view key, EnumKind kind,
                                          std::string_view what)
    {
        const toml::node *n = find(t, key);
        return n ? enumOf(*n, key, kind, what) : std::nullopt;
    }

    /// A snapshot context: one VSS_CTX_* name, optionally OR-ed with VSS_VOLSNAP_ATTR_* flags, or an integer.
    std::optional<LONG> contextOf(const toml::node &n, std::string_view key)
    {
        if (const auto *i = n.as_integer()) {
            if (i->get() < std::numeric_limits<std::int32_t>::min() || i->get() > std::numeric_limits<std::uint32_t>::max()) {
                fail(n, fmt::format("context {} is out of range: it must fit 32 bits", i->get()));
                return std::nullopt;
            }
            return static_cast<LONG>(static_cast<std::uint32_t>(i->get()));
        }
        const auto *s = n.as_string();
        if (!s) {
            typeError(n, key, "a snapshot context (\"VSS_CTX_BACKUP\", \"VSS_CTX_BACKUP|VSS_VOLSNAP_ATTR_NO_WRITERS\" or an integer)");
            return std::nullopt;
        }
        const std::string_view text = s->get();
        std::uint32_t value = 0;
        int contexts = 0;
        std::size_t start = 0;
        for (;;) {
            const std::size_t bar = text.find('|', start);
            std::string_view part = text.substr(start, bar == std::string_view::npos ? std::string_view::npos : bar - start);
            while (!part.empty() && part.front() == ' ')
                part.remove_prefix(1);
            while (!part.empty() && part.back() == ' ')
                part.remove_suffix(1);
            if (part.empty()) {
                fail(n, fmt::format("malformed context {}: a name is missing around '|'", quoted(text)));
                return std::nullopt;
            }
            if (auto v = enumByName(EnumKind::SnapshotContext, part)) {
                ++contexts;
                value |= static_cast<std::uint32_t>(*v);
            } else if (auto a = enumByName(EnumKind::VolumeSnapshotAttributes, part)) {
                value |= static_cast<std::uint32_t>(*a);
            } else {
                std::vector<std::string_view> names;
                for (const NamedValue &row : enumTable(EnumKind::SnapshotContext))
                    names.push_back(row.name);
                for (const NamedValue &row : enumTable(EnumKind::VolumeSnapshotAttributes))
                    names.push_back(row.name);
                fail(n, fmt::format("unknown snapshot context {}{}", quoted(part), didYouMean(closestName(part, names))));
                return std::nullopt;
            }
            if (bar == std::string_view::npos)
                break;
            start = bar + 1;
        }
        if (contexts > 1) {
            fail(n, fmt::format("context {} names more than one VSS_CTX_* value; combine one with "
                                "VSS_VOLSNAP_ATTR_* flags", quoted(text)));
            return std::nullopt;
        }
        return static_cast<LONG>(value);
    }

    std::optional<VSS_ID> guid(const toml::table &t, std::string_view key)
    {
        const toml::node *n = find(t, key);
        if (!n)
            return std::nullopt;
        auto s = stringOf(*n, key);
        if (!s)
            return std::nullopt;
        if (auto g = parseGuid(*s))
            return *g;
        fail(*n, fmt::format("malformed GUID {}: expected {{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}}", quoted(*s)));
        return std::nullopt;
    }

    /// The items of an array value; nullopt (after an error) when the key holds something else.
    std::optional<std::vector<const toml::node *>> array(const toml::table &t, std::string_view key,
                                                          std::string_view expected)
    {
        const toml::node *n = find(t, key);
        if (!n)
            return std::nullopt;
        const auto *a = n->as_array();
        if (!a) {
            typeError(*n, key, expected);
            return std::nullopt;
        }
        std::vector<const toml::node *> out;
        for (const toml::node &item : *a)
            out.push_back(&item);
        return out;
    }

    /// Strings of an array, each with its node so later checks can point at the item.
    std::optional<std::vector<std::pair<std::string, const toml::node *>>> strings(const toml::table &t,
                                                                                   std::string_view key)
    {
        auto items = array(t, key, "an array of strings");
        if (!items)
            return std::nullopt;
        std::vector<std::pair<std::string, const toml::node *>> out;
        bool ok = true;
        for (const toml::node *item : *items) {
            if (const auto *s = item->as_string())
                out.emplace_back(s->get(), item);
            else {
                fail(*item, fmt::format("items of '{}' must be strings, got {}", key, describe(*item)));
                ok = false;
            }
        }
        if (!ok)
            return std::nullopt;
        return out;
    }

    /// An array of tables ([[x]] headers, or an inline array of inline tables).
    std::vector<const toml::table *> tables(const toml::table &t, std::string_view key, std::string_view header)
    {
        std::vector<const toml::table *> out;
        const toml::node *n = find(t, key);
        if (!n)
            return out;
        const auto *a = n->as_array();
        if (!a) {
            if (n->is_table())
                fail(*n, fmt::format("'{}' must be an array of tables: write {}, not {}", key, header,
                                     std::string_view(header).substr(1, header.size() - 2)));
            else
                typeError(*n, key, fmt::format("an array of tables ({})", header));
            return out;
        }
        for (const toml::node &item : *a) {
            if (const auto *tt = item.as_table())
                out.push_back(tt);
            else
                fail(item, fmt::format("items of '{}' must be tables ({}), got {}", key, header, describe(item)));
        }
        return out;
    }

    const toml::table *table(const toml::table &t, std::string_view key, std::string_view header)
    {
        const toml::node *n = find(t, key);
        if (!n)
            return nullptr;
        if (const auto *tt = n->as_table())
            return tt;
        if (n->is_array_of_tables())
            fail(*n, fmt::format("'{}' must be a single table: write {}, not [{}]", key, header, header));
        else
            typeError(*n, key, fmt::format("a table ({})", header));
        return nullptr;
    }

    /// Volume names and mount folders: the simulator matches them as Windows prints them, with the backslash.
    std::optional<std::wstring> volumeName(const std::string &text, const toml::node &n, std::string_view what)
    {
        if (text.empty() || text.back() != '\\') {
            fail(n, fmt::format("{} {} must end with a backslash (as in 'D:\\')", what, quoted(text)));
            return std::nullopt;
        }
        return widen(text);
    }

    // ---- sections ----

    void walk(const toml::table &root)
    {
        static constexpr std::array<std::string_view, 9> kRootKeys{
            "scenario", "service", "volume", "writer", "fault", "requester", "step", "background", "expect"};
        for (auto &&[key, value] : root) {
            if (contains(kRootKeys, key.str()))
                continue;
            unknownRootKey(key, value);
        }
        const toml::table *scenario = table(root, "scenario", "[scenario]");
        if (scenario)
            parseScenarioTable(*scenario);
        else if (!find(root, "scenario"))
            fail(toml::source_region{{1, 1}, {1, 1}, nullptr},
                 "missing [scenario] table: every scenario needs a name and a description");
        if (const toml::table *service = table(root, "service", "[service]"))
            parseService(*service);
        resolveProfiles();
        for (const toml::table *v : tables(root, "volume", "[[volume]]"))
            parseVolume(*v);
        for (const toml::table *w : tables(root, "writer", "[[writer]]"))
            parseWriter(*w);
        for (const toml::table *f : tables(root, "fault", "[[fault]]"))
            parseFault(*f);
        if (const toml::table *r = table(root, "requester", "[requester]"))
            parseRequester(*r);
        for (const toml::table *s : tables(root, "step", "[[step]]"))
            parseStep(*s);
        for (const toml::table *b : tables(root, "background", "[[background]]"))
            parseBackground(*b);
        for (const toml::table *e : tables(root, "expect", "[[expect]]"))
            parseExpectation(*e);
    }

    void parseBackground(const toml::table &t)
    {
        static constexpr std::array<std::string_view, 6> kKeys{"action", "at", "on_call", "occurrence", "duration",
                                                               "writer"};
        static constexpr std::array<std::string_view, 5> kActions{"BackgroundSnapshot", "RestartWriter", "VanishWriter",
                                                                  "KilledRequester", "RestartService"};
        checkKeys(t, kKeys, "[[background]]");
        Background b;
        b.pos = posOf(t);
        if (const toml::node *n = required(t, "action", "[[background]]"))
            if (auto a = stringOf(*n, "action")) {
                if (contains(kActions, *a))
                    b.action = *a;
                else
                    fail(*n, fmt::format("unknown action {}: expected BackgroundSnapshot, RestartWriter, VanishWriter, "
                                         "KilledRequester or RestartService{}",
                                         quoted(*a), didYouMean(closestName(*a, kActions))));
            }
        b.at = duration(t, "at", true);
        if (const toml::node *n = find(t, "on_call"))
            if (auto c = stringOf(*n, "on_call")) {
                if (contains(kBackupMethods, *c)) {
                    b.onCall = *c;
                } else {
                    std::vector<std::string_view> methods(kBackupMethods.begin(), kBackupMethods.end());
                    fail(*n, fmt::format("'on_call' names {}, which is no IVssBackupComponents method{}", quoted(*c),
                                         didYouMean(closestName(*c, methods))));
                }
            }
        if (auto o = integer(t, "occurrence", 1))
            b.occurrence = static_cast<int>(*o);
        b.duration = duration(t, "duration");
        if (const toml::node *n = find(t, "writer"))
            if (auto w = stringOf(*n, "writer")) {
                checkWriterExists(*w, *n);
                b.writer = *w;
            }
        if (find(t, "at") && find(t, "on_call"))
            fail(*find(t, "on_call"), "[[background]] happens at a time ('at') or at a call ('on_call'), not both");
        else if (!find(t, "at") && !find(t, "on_call"))
            fail(t, "[[background]] needs 'at' (a virtual time) or 'on_call' (a requester method)");
        if (find(t, "occurrence") && !find(t, "on_call"))
            fail(*find(t, "occurrence"), "'occurrence' counts the calls of 'on_call': add 'on_call'");
        if ((b.action == "BackgroundSnapshot" || b.action == "RestartService") && !find(t, "duration"))
            fail(t, fmt::format("[[background]] '{}' needs 'duration'", b.action));
        if ((b.action == "RestartWriter" || b.action == "VanishWriter") && !find(t, "writer"))
            fail(t, fmt::format("[[background]] '{}' needs 'writer'", b.action));
        sc_.background.push_back(std::move(b));
    }

    void unknownRootKey(const toml::key &key, const toml::node &value)
    {
        static constexpr std::array<std::string_view, 9> kHeaders{
            "[scenario]", "[service]", "[[volume]]", "[[writer]]", "[[fault]]", "[requester]", "[[step]]",
            "[[background]]", "[[expect]]"};
        static constexpr std::array<std::string_view, 9> kNames{
            "scenario", "service", "volume", "writer", "fault", "requester", "step", "background", "expect"};
        if (value.is_table() || value.is_array_of_tables()) {
            const bool many = value.is_array_of_tables();
            const std::string shown = many ? fmt::format("[[{}]]", printable(key.str(), kMaxShownValue))
                                          : fmt::format("[{}]", printable(key.str(), kMaxShownValue));
            std::string hint;
            if (auto closest = closestName(key.str(), kNames)) {
                const auto i = static_cast<std::size_t>(std::find(kNames.begin(), kNames.end(), *closest) - kNames.begin());
                hint = fmt::format(" (did you mean '{}'?)", kHeaders[i]);
            }
            fail(key.source(), fmt::format("unknown table '{}'{}", shown, hint));
            return;
        }
        // A key written before the first header lands at the top level; name the table it belongs to.
        static constexpr std::array<std::string_view, 6> kScenarioKeys{"name", "description", "sources", "seed", "clock", "time_scale"};
        if (contains(kScenarioKeys, key.str())) {
            fail(key.source(), fmt::format("'{}' belongs in [scenario]: move it below the [scenario] header", key.str()));
            return;
        }
        fail(key.source(), fmt::format("unknown key {} at the top level; keys belong in a table such as [scenario]",
                                       quoted(key.str())));
    }

    void parseScenarioTable(const toml::table &t)
    {
        static constexpr std::array<std::string_view, 6> kKeys{"name", "description", "sources", "seed", "clock", "time_scale"};
        checkKeys(t, kKeys, "[scenario]");
        if (const toml::node *n = required(t, "name", "[scenario]")) {
            if (auto name = stringOf(*n, "name")) {
                const bool kebab = !name->empty() && std::all_of(name->begin(), name->end(), [](char c) {
                    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
                });
                if (kebab)
                    sc_.name = *name;
                else
                    fail(*n, fmt::format("scenario name {} must be kebab-case: lower-case letters, digits and '-'",
                                         quoted(*name)));
            }
        }
        if (const toml::node *n = required(t, "description", "[scenario]"))
            if (auto d = stringOf(*n, "description"))
                sc_.description = *d;
        if (auto s = strings(t, "sources"))
            for (auto &[text, node] : *s)
                sc_.sources.push_back(text);
        if (const toml::node *n = find(t, "seed")) {
            if (const auto *i = n->as_integer()) {
                if (i->get() < 0)
                    fail(*n, fmt::format("seed {} must not be negative", i->get()));
                else
                    sc_.seed = static_cast<std::uint64_t>(i->get());
            } else if (const auto *s = n->as_string()) {
                std::uint64_t seed = 0;
                if (parseSeed(s->get().c_str(), seed))
                    sc_.seed = seed;
                else
                    fail(*n, fmt::format("malformed seed {}: expected a decimal number, 0x followed by up to 16 hex "
                                         "digits, or a 40-hex git SHA", quoted(s->get())));
            } else {
                typeError(*n, "seed", "an integer or a string (\"0x2a\", a git SHA)");
            }
        }
        if (const toml::node *n = find(t, "clock")) {
            if (auto c = stringOf(*n, "clock")) {
                if (contains(kClocks, *c))
                    sc_.realTime = *c == "real";
                else
                    fail(*n, fmt::format("unknown clock {}: expected 'virtual' or 'real'{}", quoted(*c),
                                         didYouMean(closestName(*c, kClocks))));
            }
        }
        if (const toml::node *n = find(t, "time_scale")) {
            std::optional<double> scale = number(*n, "time_scale");
            // `!(x >= min)` also rejects nan. The bounds keep every scaled wait finite and in range: a 25 s
            // delay at 1e-9 would be 800 years of real time, 1e308 makes the clock read infinity.
            if (scale && !(*scale >= kMinTimeScale && *scale <= kMaxTimeScale)) {
                fail(*n, fmt::format("'time_scale' must be between {} and {}, got {}", kMinTimeScale, kMaxTimeScale,
                                     describe(*n)));
                scale.reset();
            }
            if (scale && !sc_.realTime) {
                const toml::node *clock = find(t, "clock");
                const bool clockBroken = clock && !(clock->is_string() && contains(kClocks, clock->as_string()->get()));
                if (!clockBroken)
                    fail(*n, "'time_scale' needs clock = \"real\": virtual time does not pass at any rate");
            } else if (scale) {
                sc_.timeScale = *scale;
            }
        }
    }

    /// A float or an integer, as a double; a type error otherwise.
    std::optional<double> number(const toml::node &n, std::string_view key)
    {
        if (const auto *f = n.as_floating_point())
            return f->get();
        if (const auto *i = n.as_integer())
            return static_cast<double>(i->get());
        typeError(n, key, "a number");
        return std::nullopt;
    }

    void parseService(const toml::table &t)
    {
        static constexpr std::array<std::string_view, 19> kKeys{
            "os", "profiles", "event_timeout", "hold_writes_limit", "commit_duration", "provider_fault",
            "writer_abort_result", "backup_slots", "restore_slots", "slot_reclaim_after", "shuffle_status", "strict",
            "not_ready_for", "not_ready_result", "unsupported_contexts", "host_name", "wait_returns_failure",
            "fail_allocation", "fail_allocation_probability"};
        checkKeys(t, kKeys, "[service]");
        ServiceSettings &s = sc_.settings;
        if (const toml::node *n = find(t, "os"))
            if (auto key = stringOf(*n, "os")) {
                if (const OsVersion *os = findOsVersion(*key)) {
                    s.os = os;
                    // Without 'profiles', the machine is that version's own writer set.
                    if (!find(t, "profiles"))
                        sc_.profiles = {os->server ? "win-server" : "win-client"};
                } else {
                    std::vector<std::string_view> keys;
                    for (const OsVersion &v : osVersions())
                        keys.push_back(v.key);
                    fail(*n, fmt::format("unknown Windows version {}: expected one of {}{}", quoted(*key),
                                         joinText(keys, ", "), didYouMean(closestName(*key, keys))));
                }
            }
        if (const toml::node *n = find(t, "profiles"))
            parseProfiles(t, *n);
        ProviderSettings &p = sc_.provider;
        if (auto d = duration(t, "event_timeout"))
            s.eventTimeout = *d;
        if (auto d = duration(t, "hold_writes_limit"))
            s.holdWritesLimit = *d;
        if (auto d = duration(t, "commit_duration"))
            p.commitDuration = *d;
        if (auto hr = hresult(t, "provider_fault"))
            p.commitFault = *hr;
        if (auto hr = hresult(t, "writer_abort_result"))
            p.writerAbortResult = *hr;
        if (auto i = integer(t, "backup_slots", 1))
            s.backupSlots = static_cast<int>(*i);
        if (auto i = integer(t, "fail_allocation", 1))
            s.failAllocation = *i;
        if (const toml::node *n = find(t, "fail_allocation_probability")) {
            const std::optional<double> p = number(*n, "fail_allocation_probability");
            if (p && !(*p > 0 && *p <= 1))   // `!(...)` rejects nan too
                fail(*n, fmt::format("'fail_allocation_probability' must be above 0 and at most 1, got {}", describe(*n)));
            else if (p && find(t, "fail_allocation"))
                fail(*n, "'fail_allocation_probability' and 'fail_allocation' exclude each other: one way of failing at a time");
            else if (p)
                s.failAllocationProbability = *p;
        }
        if (auto i = integer(t, "restore_slots", 1))
            s.restoreSlots = static_cast<int>(*i);
        if (auto d = duration(t, "slot_reclaim_after"))
            s.slotReclaimAge = *d;
        if (auto b = boolean(t, "shuffle_status"))
            s.shuffleStatus = *b;
        if (auto b = boolean(t, "strict"))
            s.strict = *b;
        if (auto b = boolean(t, "wait_returns_failure"))
            s.waitReturnsFailure = *b;
        if (auto d = duration(t, "not_ready_for"))
            sc_.notReadyFor = *d;
        if (auto hr = hresult(t, "not_ready_result"))
            sc_.notReadyResult = *hr;
        if (auto items = array(t, "unsupported_contexts", "an array of snapshot contexts"))
            for (const toml::node *item : *items)
                if (auto c = contextOf(*item, "unsupported_contexts"))
                    p.unsupportedContexts.push_back(*c);
        if (const toml::node *n = find(t, "host_name")) {
            if (auto h = stringOf(*n, "host_name")) {
                if (h->empty())
                    fail(*n, "'host_name' must not be empty");
                else
                    s.hostName = widen(*h);
            }
        }
    }

    void parseProfiles(const toml::table &t, const toml::node &n)
    {
        auto items = strings(t, "profiles");
        if (!items) {
            profilesOk_ = false;
            return;
        }
        if (items->empty()) {
            fail(n, "'profiles' is empty; write [\"none\"] for a scenario without built-in writers");
            profilesOk_ = false;
            return;
        }
        std::vector<std::string> chosen;
        for (auto &[name, node] : *items) {
            if (!contains(profileNames(), name)) {
                fail(*node, fmt::format("unknown profile {}{}", quoted(name), didYouMean(closestName(name, profileNames()))));
                profilesOk_ = false;
                continue;
            }
            if (std::find(chosen.begin(), chosen.end(), name) != chosen.end()) {
                fail(*node, fmt::format("profile {} is listed twice", quoted(name)));
                profilesOk_ = false;
                continue;
            }
            if (name == "none" && items->size() > 1) {
                fail(*node, "profile 'none' means no built-in writers and cannot be combined with other profiles");
                profilesOk_ = false;
                continue;
            }
            if (auto clash = overlap(chosen, name)) {
                fail(*node, fmt::format("profiles {} and {} overlap (both contain '{}'); "
                                        "win-server already includes the client writers",
                                        quoted(clash->first), quoted(name), clash->second));
                profilesOk_ = false;
                continue;
            }
            chosen.push_back(name);
        }
        if (profilesOk_)
            sc_.profiles = chosen;
    }

    /// Two profiles with a writer in common would subscribe it twice: (earlier profile, writer) when they do.
    static std::optional<std::pair<std::string, std::string>> overlap(const std::vector<std::string> &chosen,
                                                                      const std::string &profile)
    {
        for (const std::string &other : chosen)
            for (const ProfileWriter &a : profileWriters(other))
                for (const ProfileWriter &b : profileWriters(profile))
                    if (a.name == b.name)
                        return std::pair{other, std::string(a.name)};
        return std::nullopt;
    }

    void resolveProfiles()
    {
        for (const std::string &p : sc_.profiles)
            for (const ProfileWriter &w : profileWriters(p, *sc_.settings.os)) {
                profileWriters_.push_back(w);
                WriterInfo info{std::string(w.name), true, {}};
                for (const ProfileComponent &c : w.components)
                    info.components.emplace_back(toUtf8(c.logicalPath), toUtf8(c.name));
                addWriterInfo(std::move(info));
            }
    }

    std::string profileList() const { return joined(sc_.profiles); }

    void parseVolume(const toml::table &t)
    {
        static constexpr std::array<std::string_view, 5> kKeys{"name", "mount_points", "add_fault", "support_fault",
                                                               "max_shadow_copies"};
        checkKeys(t, kKeys, "[[volume]]");
        Volume v;
        if (const toml::node *n = required(t, "name", "[[volume]]")) {
            if (auto name = stringOf(*n, "name")) {
                if (auto w = volumeName(*name, *n, "volume name")) {
                    std::wstring key = *w;
                    for (wchar_t &c : key)
                        c = static_cast<wchar_t>(std::towlower(static_cast<wint_t>(c)));
                    if (!volumeKeys_.insert(std::move(key)).second)
                        fail(*n, fmt::format("volume {} is declared twice; one [[volume]] per volume", quoted(*name)));
                    v.name = *w;
                }
            }
        }
        if (auto mounts = strings(t, "mount_points"))
            for (auto &[text, node] : *mounts)
                if (auto w = volumeName(text, *node, "mount point"))
                    v.mountPoints.push_back(*w);
        if (auto hr = hresult(t, "add_fault"))
            v.addFault = *hr;
        if (auto hr = hresult(t, "support_fault"))
            v.supportFault = *hr;
        if (auto i = integer(t, "max_shadow_copies", 1))
            v.maxShadowCopies = static_cast<int>(*i);
        if (!v.name.empty())
            sc_.volumes.push_back(std::move(v));
    }

    const WriterInfo *findWriter(std::string_view name) const
    {
        const auto it = writerIndex_.find(name);
        return it == writerIndex_.end() ? nullptr : &writers_[it->second];
    }

    std::vector<std::string_view> writerNames() const
    {
        std::vector<std::string_view> out;
        for (const WriterInfo &w : writers_)
            out.push_back(w.name);
        return out;
    }

    /// Steps and expectations may name only writers that will exist: a profile writer or a [[writer]].
    void checkWriterExists(const std::string &name, const toml::node &n)
    {
        if (findWriter(name) || !profilesOk_)
            return;
        if (auto closest = closestName(name, writerNames()))
            fail(n, fmt::format("unknown writer {} (did you mean '{}'?)", quoted(name), *closest));
        else
            fail(n, fmt::format("unknown writer {}: not a writer of the profiles ({}) and not declared with [[writer]]",
                                quoted(name), profileList()));
    }

    void parseWriter(const toml::table &t)
    {
        static constexpr std::array<std::string_view, 13> kKeys{
            "name", "class_id", "instance_id", "instance_name", "usage", "freeze_timeout", "ignore_status",
            "status_delay", "identify_lost", "identify_fails", "component", "on", "FailEvent"};
        checkKeys(t, kKeys, "[[writer]]");
        ScenarioWriter w;
        w.pos = posOf(t);
        const toml::node *nameNode = required(t, "name", "[[writer]]");
        std::optional<std::string> name = nameNode ? stringOf(*nameNode, "name") : std::nullopt;
        if (name && name->empty()) {
            fail(*nameNode, "writer 'name' must not be empty");
            name.reset();
        }
        w.classId = guid(t, "class_id");
        w.instanceId = guid(t, "instance_id");
        bool fromProfile = false;
        if (name) {
            w.name = *name;
            if (auto it = declaredAt_.find(*name); it != declaredAt_.end()) {
                fail(*nameNode, fmt::format("writer {} is already declared at line {}; each [[writer]] needs its own name",
                                            quoted(*name), it->second));
                name.reset();
            } else {
                declaredAt_.emplace(*name, t.source().begin.line);
                const WriterInfo *known = findWriter(*name);
                fromProfile = known && known->fromProfile;
                if (!fromProfile && !find(t, "class_id")) {
                    std::vector<std::string_view> profileNamesOnly;
                    for (const ProfileWriter &p : profileWriters_)
                        profileNamesOnly.push_back(p.name);
                    if (auto closest = closestName(*name, profileNamesOnly))
                        fail(*nameNode, fmt::format("unknown writer {} (did you mean '{}'?); a writer that is not in "
                                                    "the profiles ({}) needs 'class_id'", quoted(*name), *closest,
                                                    profileList()));
                    else if (profilesOk_)
                        fail(*nameNode, fmt::format("new writer {} needs 'class_id' (it is not a writer of the "
                                                    "profiles: {})", quoted(*name), profileList()));
                }
            }
        }
        if (const toml::node *n = find(t, "instance_name"))
            if (auto s = stringOf(*n, "instance_name"))
                w.instanceName = widen(*s);
        if (auto u = enumValue(t, "usage", EnumKind::UsageType, "usage type"))
            w.usage = static_cast<VSS_USAGE_TYPE>(*u);
        if (auto d = duration(t, "freeze_timeout"))
            w.freezeTimeout = *d;
        if (auto b = boolean(t, "ignore_status"))
            w.faults.ignoreStatus = *b;
        if (auto d = duration(t, "status_delay"))
            w.faults.statusDelay = *d;
        if (auto b = boolean(t, "identify_lost"))
            w.faults.identifyLost = *b;
        if (auto b = boolean(t, "identify_fails"))
            w.identifyFails = *b;

        // Components first: component_failure names are checked against them.
        WriterInfo info{w.name, fromProfile, {}};
        if (const WriterInfo *known = name ? findWriter(*name) : nullptr)
            info.components = known->components;
        if (find(t, "component")) {
            info.components.clear();
            std::vector<ComponentDecl> components;
            for (const toml::table *c : tables(t, "component", "[[writer.component]]"))
                if (auto decl = parseComponent(*c, components))
                    components.push_back(std::move(*decl));
            for (const ComponentDecl &c : components)
                info.components.emplace_back(toUtf8(c.logicalPath), toUtf8(c.name));
            w.components = std::move(components);
        }
        for (const toml::table *on : tables(t, "on", "[[writer.on]]"))
            if (auto f = parseEventFault(*on, info))
                w.faults.events.push_back(std::move(*f));
        for (const toml::table *fe : tables(t, "FailEvent", "[[writer.FailEvent]]"))
            parseFailEvent(*fe, w);

        if (w.instanceId) {
            const auto [pinned, first] = pinnedInstances_.emplace(formatGuid(*w.instanceId), w.name);
            if (!first)
                fail(*find(t, "instance_id"), fmt::format("instance_id {} is already pinned by writer '{}'; "
                                                           "instance ids are unique (R12)",
                                                           pinned->first, pinned->second));
        }
        if (name) {
            if (fromProfile) {
                // Profiles do not overlap (checked above), so a profile writer's name is in writers_ once.
                writers_[writerIndex_.find(*name)->second].components = info.components;
            } else {
                addWriterInfo(std::move(info));
            }
            sc_.writers.push_back(std::move(w));
        }
    }

    std::optional<ComponentDecl> parseComponent(const toml::table &t, const std::vector<ComponentDecl> &earlier)
    {
        static constexpr std::array<std::string_view, 5> kKeys{"name", "logical_path", "type", "files", "selectable"};
        checkKeys(t, kKeys, "[[writer.component]]");
        ComponentDecl c;
        const toml::node *nameNode = required(t, "name", "[[writer.component]]");
        std::optional<std::string> name = nameNode ? stringOf(*nameNode, "name") : std::nullopt;
        if (name && name->empty()) {
            fail(*nameNode, "component 'name' must not be empty");
            name.reset();
        }
        if (auto lp = stringAt(t, "logical_path"))
            c.logicalPath = widen(*lp);
        if (auto ty = enumValue(t, "type", EnumKind::ComponentType, "component type"))
            c.type = static_cast<VSS_COMPONENT_TYPE>(*ty);
        if (auto files = strings(t, "files")) {
            for (auto &[text, node] : *files) {
                const std::size_t slash = text.rfind('\\');
                if (slash == std::string::npos) {
                    fail(*node, fmt::format("file {} needs a directory: write a full path such as 'C:\\Data\\*.mdf'",
                                            quoted(text)));
                    continue;
                }
                if (slash + 1 == text.size()) {
                    fail(*node, fmt::format("file {} ends with a backslash; add a file name or a wildcard ('{}*')",
                                            quoted(text), text));
                    continue;
                }
                FileSpec f;
                f.path = widen(text.substr(0, slash + 1));
                f.filespec = widen(text.substr(slash + 1));
                c.files.push_back(std::move(f));
            }
        }
        if (auto b = boolean(t, "selectable"))
            c.selectable = *b;
        if (!name)
            return std::nullopt;
        c.name = widen(*name);
        for (const ComponentDecl &o : earlier)
            if (o.name == c.name && o.logicalPath == c.logicalPath) {
                fail(*nameNode, fmt::format("component {} is declared twice in this writer", quoted(*name)));
                return std::nullopt;
            }
        return c;
    }

    /// "logical\path\name" or a bare name; nothing to check against when the writer declares no components.
    void checkComponentName(const std::string &text, const toml::node &n, const WriterInfo &writer)
    {
        if (writer.components.empty())
            return;
        std::vector<std::string> full;
        for (const auto &[path, name] : writer.components) {
            if (text == name)
                return;
            const std::string joinedName = path.empty() ? name : path + "\\" + name;
            // A profile component's logical path is the runner's business: match the last segment then.
            const std::size_t slash = text.rfind('\\');
            if (text == joinedName || (path.empty() && slash != std::string::npos && text.substr(slash + 1) == name))
                return;
            full.push_back(joinedName);
            full.push_back(name);
        }
        fail(n, fmt::format("writer '{}' has no component {}{}", writer.name, quoted(text),
                            didYouMean(closestName(text, full))));
    }

    std::optional<EventFault> parseEventFault(const toml::table &t, const WriterInfo &writer)
    {
        static constexpr std::array<std::string_view, 13> kKeys{
            "event", "fail", "bare_false", "veto", "application_code", "message", "delay", "hang", "first",
            "when_components_selected", "require_volumes", "random_retryable", "component_failure"};
        checkKeys(t, kKeys, "[[writer.on]]");
        EventFault f;
        bool ok = true;
        if (const toml::node *n = required(t, "event", "[[writer.on]]")) {
            if (auto e = eventOf(*n, "event"))
                f.event = *e;
            else
                ok = false;
        } else {
            ok = false;
        }
        const std::optional<HRESULT> failCode = hresult(t, "fail");
        const std::optional<bool> bareFalse = boolean(t, "bare_false");
        const std::optional<bool> veto = boolean(t, "veto");
        const std::optional<bool> randomRetryable = boolean(t, "random_retryable");
        const bool wantsBareFalse = bareFalse.value_or(false);
        const bool wantsRandom = randomRetryable.value_or(false);
        // A clash is reported at whichever of the two keys comes second, where the reader notices it.
        auto clash = [&](std::string_view a, std::string_view b, std::string_view why) {
            const toml::node &na = *find(t, a);
            const toml::node &nb = *find(t, b);
            const bool aLater = std::pair(na.source().begin.line, na.source().begin.column) >
                                std::pair(nb.source().begin.line, nb.source().begin.column);
            fail(aLater ? na : nb, fmt::format("'{}' and '{}' exclude each other: {}", aLater ? a : b, aLater ? b : a, why));
            ok = false;
        };
        if (find(t, "fail") && wantsBareFalse)
            clash("fail", "bare_false", "a bare false sets no code");
        if (find(t, "fail") && wantsRandom)
            clash("fail", "random_retryable", "the code is drawn from the seed");
        if (wantsBareFalse && wantsRandom)
            clash("bare_false", "random_retryable", "a bare false sets no code");
        if (wantsBareFalse && veto == false) {
            fail(*find(t, "veto"), "'veto = false' contradicts 'bare_false': a bare false is a return of false");
            ok = false;
        }
        if (veto && !find(t, "fail") && !wantsRandom && !wantsBareFalse) {
            fail(*find(t, "veto"), "'veto' applies to a failure: add 'fail' or 'random_retryable'");
            ok = false;
        }
        if (failCode) {
            f.fail = true;
            f.hrWriter = *failCode;
        }
        if (wantsBareFalse) {
            f.fail = true;
            f.hrWriter = S_OK;   // EventFault: S_OK with veto is a bare false
        }
        if (wantsRandom) {
            f.fail = true;
            f.randomRetryable = true;
            // The runner draws the code; RETRYABLE is what it reports if the draw is not made.
            f.hrWriter = VSS_E_WRITERERROR_RETRYABLE;
        }
        f.veto = veto.value_or(true);
        if (auto hr = hresult(t, "application_code"))
            f.hrApplication = *hr;
        if (auto m = stringAt(t, "message"))
            f.message = widen(*m);
        if (auto d = duration(t, "delay"))
            f.delay = *d;
        if (auto h = boolean(t, "hang")) {
            f.hang = *h;
            if (*h && find(t, "delay"))
                clash("hang", "delay", "a hung handler never returns");
        }
        if (auto n = integer(t, "first", 1))
            f.firstN = static_cast<int>(*n);
        if (auto b = boolean(t, "when_components_selected"))
            f.whenComponentsSelected = *b;
        if (auto vols = strings(t, "require_volumes"))
            for (auto &[text, node] : *vols)
                if (auto v = volumeName(text, *node, "volume"))
                    f.requireVolumes.push_back(*v);
        for (const toml::table *cf : tables(t, "component_failure", "[[writer.on.component_failure]]"))
            if (auto c = parseComponentFailure(*cf, writer))
                f.componentFailures.push_back(std::move(*c));
        if (!ok)
            return std::nullopt;
        return f;
    }

    std::optional<std::pair<std::wstring, Failure>> parseComponentFailure(const toml::table &t, const WriterInfo &writer)
    {
        static constexpr std::array<std::string_view, 4> kKeys{"component", "code", "application_code", "message"};
        checkKeys(t, kKeys, "[[writer.on.component_failure]]");
        std::optional<std::string> component;
        if (const toml::node *n = required(t, "component", "[[writer.on.component_failure]]")) {
            component = stringOf(*n, "component");
            if (component)
                checkComponentName(*component, *n, writer);
        }
        Failure failure;
        std::optional<HRESULT> code;
        if (const toml::node *n = required(t, "code", "[[writer.on.component_failure]]"))
            code = hresultOf(*n, "code");
        if (auto hr = hresult(t, "application_code"))
            failure.hrApplication = *hr;
        if (auto m = stringAt(t, "message"))
            failure.message = widen(*m);
        if (!component || !code)
            return std::nullopt;
        failure.hrWriter = *code;
        return std::pair{widen(*component), std::move(failure)};
    }

    std::optional<Input> eventOf(const toml::node &n, std::string_view key)
    {
        auto s = stringOf(n, key);
        if (!s)
            return std::nullopt;
        if (auto e = eventByName(*s))
            return *e;
        fail(n, fmt::format("unknown event {}{}", quoted(*s), didYouMean(closestName(*s, eventNames()))));
        return std::nullopt;
    }

    /// The VSS Test Writer's <FailEvent writerEvent= retryable= numFailures=>, attribute names kept.
    void parseFailEvent(const toml::table &t, ScenarioWriter &w)
    {
        static constexpr std::array<std::string_view, 3> kKeys{"writerEvent", "retryable", "numFailures"};
        checkKeys(t, kKeys, "[[writer.FailEvent]]");
        std::optional<Input> event;
        if (const toml::node *n = required(t, "writerEvent", "[[writer.FailEvent]]"))
            event = eventOf(*n, "writerEvent");
        // XML attributes are text, so "yes"/"no" and a quoted count are accepted as copied from a config.
        std::optional<bool> retryable;
        if (const toml::node *n = find(t, "retryable")) {
            if (const auto *b = n->as_boolean())
                retryable = b->get();
            else if (const auto *s = n->as_string(); s && (s->get() == "yes" || s->get() == "no"))
                retryable = s->get() == "yes";
            else if (n->is_string())
                fail(*n, fmt::format("'retryable' must be \"yes\" or \"no\", got {}", describe(*n)));
            else
                typeError(*n, "retryable", "\"yes\" or \"no\"");
        }
        std::optional<int> numFailures;
        if (const toml::node *n = find(t, "numFailures")) {
            std::optional<std::int64_t> v;
            if (const auto *i = n->as_integer())
                v = i->get();
            else if (const auto *s = n->as_string(); s && !s->get().empty() && s->get().size() <= 9 &&
                     std::all_of(s->get().begin(), s->get().end(), [](char c) { return c >= '0' && c <= '9'; }))
                v = std::stoll(s->get());
            else
                typeError(*n, "numFailures", "a positive integer");
            if (v && (*v < 1 || *v > std::numeric_limits<std::int32_t>::max()))
                fail(*n, fmt::format("'numFailures' must be between 1 and {}, got {}",
                                     std::numeric_limits<std::int32_t>::max(), *v));
            else if (v)
                numFailures = static_cast<int>(*v);
        }
        if (!event)
            return;
        if (*event == Input::Identify) {
            // Identify failing means "not reported at all" (R11): a bare false, whatever retryable says.
            if (!numFailures) {
                w.identifyFails = true;
                return;
            }
            EventFault f;
            f.event = Input::Identify;
            f.fail = true;
            f.hrWriter = S_OK;
            f.firstN = *numFailures;
            w.faults.events.push_back(std::move(f));
            return;
        }
        if (!retryable) {
            if (!find(t, "retryable"))
                fail(t, "[[writer.FailEvent]] needs 'retryable' (\"yes\" or \"no\")");
            return;
        }
        EventFault f;
        f.event = *event;
        f.fail = true;
        f.veto = true;
        if (*retryable) {
            f.randomRetryable = true;
            f.hrWriter = VSS_E_WRITERERROR_RETRYABLE;
        } else {
            f.hrWriter = VSS_E_WRITERERROR_NONRETRYABLE;
        }
        if (numFailures)
            f.firstN = *numFailures;
        w.faults.events.push_back(std::move(f));
    }

    void parseFault(const toml::table &t)
    {
        static constexpr std::array<std::string_view, 4> kKeys{"method", "result", "occurrence", "async"};
        checkKeys(t, kKeys, "[[fault]]");
        CallFault f;
        bool ok = true;
        if (const toml::node *n = required(t, "method", "[[fault]]")) {
            if (auto m = stringOf(*n, "method")) {
                if (contains(kBackupMethods, *m) || contains(kOtherFaultMethods, *m)) {
                    f.method = *m;
                } else {
                    std::vector<std::string_view> all(kBackupMethods.begin(), kBackupMethods.end());
                    all.insert(all.end(), kOtherFaultMethods.begin(), kOtherFaultMethods.end());
                    fail(*n, fmt::format("unknown method {}{}", quoted(*m), didYouMean(closestName(*m, all))));
                    ok = false;
                }
            } else {
                ok = false;
            }
        } else {
            ok = false;
        }
        if (const toml::node *n = required(t, "result", "[[fault]]")) {
            if (auto hr = hresultOf(*n, "result"))
                f.hr = *hr;
            else
                ok = false;
        } else {
            ok = false;
        }
        if (auto o = integer(t, "occurrence", 0))
            f.occurrence = static_cast<int>(*o);
        if (auto a = boolean(t, "async")) {
            f.async = *a;
            if (*a && !f.method.empty() && !contains(kAsyncMethods, f.method)) {
                fail(*find(t, "async"), fmt::format("'async = true' needs a method that returns an IVssAsync; "
                                                    "{} does not", f.method));
                ok = false;
            }
        }
        if (ok)
            sc_.callFaults.push_back(std::move(f));
    }

    void parseRequester(const toml::table &t)
    {
        static constexpr std::array<std::string_view, 5> kKeys{"script", "component_mode", "volumes", "backup_type", "context"};
        checkKeys(t, kKeys, "[requester]");
        if (const toml::node *n = find(t, "script")) {
            if (auto s = stringOf(*n, "script")) {
                if (contains(kScripts, *s))
                    sc_.script = *s;
                else
                    fail(*n, fmt::format("unknown script {}: expected backup, restore, observer or none{}", quoted(*s),
                                         didYouMean(closestName(*s, kScripts))));
            }
        }
        if (auto b = boolean(t, "component_mode"))
            sc_.componentMode = *b;
        if (auto vols = strings(t, "volumes")) {
            std::vector<std::wstring> list;
            for (auto &[text, node] : *vols)
                if (auto v = volumeName(text, *node, "volume"))
                    list.push_back(*v);
            sc_.snapshotVolumes = std::move(list);
        }
        if (auto bt = enumValue(t, "backup_type", EnumKind::BackupType, "backup type"))
            sc_.backupType = static_cast<VSS_BACKUP_TYPE>(*bt);
        if (const toml::node *n = find(t, "context"))
            if (auto c = contextOf(*n, "context"))
                sc_.context = *c;
    }

    /// `[[step]]` with `repeat = N` (and `every = T`): the steps of its `[[step.steps]]` N times over, each
    /// attempt after a Sleep of T, every label suffixed `#k` so that an expectation can name one attempt.
    /// It expands here, so the runner, the label checks and every tool see plain steps.
    void parseRepeat(const toml::table &t)
    {
        static constexpr std::array<std::string_view, 4> kKeys{"repeat", "every", "label", "steps"};
        if (const toml::node *n = find(t, "call")) {
            fail(*n, "a [[step]] with 'repeat' is a block: put its calls in [[step.steps]] tables below it");
            return;
        }
        checkKeys(t, kKeys, "a repeated [[step]] block");
        std::optional<std::int64_t> times;
        if (required(t, "repeat", "a [[step]] with [[step.steps]]"))
            times = integer(t, "repeat", 1, 1000);
        const std::optional<SimDuration> every = duration(t, "every");
        std::string label = "repeat";
        if (const toml::node *n = find(t, "label"))
            if (auto l = stringOf(*n, "label")) {
                if (l->empty())
                    fail(*n, "'label' must not be empty: an empty 'after' means the end of the run");
                else
                    label = *l;
            }
        const std::vector<const toml::table *> inner = tables(t, "steps", "[[step.steps]]");
        if (inner.empty() && !find(t, "steps"))
            fail(t, "a [[step]] with 'repeat' repeats the steps of its [[step.steps]] tables: add them");
        const std::size_t first = sc_.steps.size();
        for (const toml::table *s : inner) {
            if (find(*s, "repeat") || find(*s, "steps"))
                fail(*s, "a repeated block cannot hold another: write the inner repetition out, or repeat the outer "
                         "block more often");
            else
                parseStep(*s);
        }
        const std::vector<Step> body(sc_.steps.begin() + static_cast<std::ptrdiff_t>(first), sc_.steps.end());
        sc_.steps.resize(first);
        if (!times)
            return;
        for (std::int64_t attempt = 1; attempt <= *times; ++attempt) {
            if (every) {
                Step wait;
                wait.call = "Sleep";
                wait.label = fmt::format("{}#{}", label, attempt);
                wait.duration = every;
                wait.pos = posOf(*find(t, "every"));
                sc_.steps.push_back(std::move(wait));
            }
            for (Step s : body) {
                s.label += fmt::format("#{}", attempt);
                sc_.steps.push_back(std::move(s));
            }
        }
    }

    void parseStep(const toml::table &t)
    {
        if (find(t, "repeat") || find(t, "steps")) {
            parseRepeat(t);
            return;
        }
        static constexpr std::array<std::string_view, 14> kKeys{
            "call", "label", "volume", "writer", "writers", "expect", "duration", "context", "select_components",
            "bootable", "backup_type", "succeeded", "restore_status", "async"};
        checkKeys(t, kKeys, "[[step]]");
        Step s;
        s.pos = posOf(t);
        if (const toml::node *n = required(t, "call", "[[step]]")) {
            if (auto c = stringOf(*n, "call")) {
                if (contains(stepCalls(), *c)) {
                    s.call = *c;
                } else {
                    std::vector<std::string_view> all(stepCalls().begin(), stepCalls().end());
                    const std::string why = contains(kBackupMethods, *c)
                                                ? fmt::format("unsupported call {}: the scenario runner does not carry "
                                                              "out this method", quoted(*c))
                                                : fmt::format("unknown call {}", quoted(*c));
                    fail(*n, why + didYouMean(closestName(*c, all)));
                }
            }
        }
        s.label = s.call;
        if (const toml::node *n = find(t, "label")) {
            if (auto l = stringOf(*n, "label")) {
                if (l->empty())
                    fail(*n, "'label' must not be empty: an empty 'after' means the end of the run");
                else
                    s.label = *l;
            }
        }
        if (auto v = stringAt(t, "volume"))
            s.volume = widen(*v);
        if (const toml::node *n = find(t, "writer")) {
            if (auto w = stringOf(*n, "writer")) {
                checkWriterExists(*w, *n);
                s.writer = *w;
            }
        }
        if (auto ws = strings(t, "writers"))
            for (auto &[name, node] : *ws) {
                checkWriterExists(name, *node);
                s.writers.push_back(name);
            }
        s.expect = hresult(t, "expect");
        s.duration = duration(t, "duration");
        if (const toml::node *n = find(t, "context"))
            s.context = contextOf(*n, "context");
        s.selectComponents = boolean(t, "select_components");
        s.bootable = boolean(t, "bootable");
        if (auto bt = enumValue(t, "backup_type", EnumKind::BackupType, "backup type"))
            s.backupType = static_cast<VSS_BACKUP_TYPE>(*bt);
        s.succeeded = boolean(t, "succeeded");
        if (auto rs = enumValue(t, "restore_status", EnumKind::FileRestoreStatus, "file restore status"))
            s.restoreStatus = static_cast<VSS_FILE_RESTORE_STATUS>(*rs);
        if (auto a = boolean(t, "async"))
            s.async = *a;
        // Arguments without which the verb cannot run; a missing one would only surface mid-run.
        if ((s.call == "Sleep" || s.call == "BackgroundSnapshot") && !find(t, "duration"))
            fail(t, fmt::format("[[step]] '{}' needs 'duration'", s.call));
        if ((s.call == "RestartWriter" || s.call == "VanishWriter") && !find(t, "writer"))
            fail(t, fmt::format("[[step]] '{}' needs 'writer'", s.call));
        if ((s.call == "DisableWriterClasses" || s.call == "EnableWriterClasses" || s.call == "DisableWriterInstances") &&
            !find(t, "writers"))
            fail(t, fmt::format("[[step]] '{}' needs 'writers'", s.call));
        sc_.steps.push_back(std::move(s));
    }

    void parseExpectation(const toml::table &t)
    {
        static constexpr std::array<std::string_view, 17> kKeys{
            "when", "reaction", "session", "components_selected", "after", "occurrence", "writer", "state", "failure", "application_code", "message",
            "listed", "count", "result", "events", "mistakes", "public_state"};
        checkKeys(t, kKeys, "[[expect]]");
        Expectation e;
        e.pos = posOf(t);
        if (parseExpectationKind(t, e))
            return;
        if (const toml::node *n = find(t, "after")) {
            if (auto a = stringOf(*n, "after")) {
                e.after = *a;
                if (!a->empty())
                    checkLabel(*a, *n);
            }
        }
        if (auto o = integer(t, "occurrence", 1)) {
            e.occurrence = static_cast<int>(*o);
            checkOccurrence(e, *find(t, "occurrence"));
        }
        if (const toml::node *n = find(t, "writer")) {
            if (auto w = stringOf(*n, "writer")) {
                checkWriterExists(*w, *n);
                e.writer = *w;
            }
        }
        if (const toml::node *n = find(t, "state"))
            if (auto st = enumOf(*n, "state", EnumKind::WriterState, "writer state", VSS_WS_FAILED_AT_BACKUPSHUTDOWN))
                e.state = static_cast<VSS_WRITER_STATE>(*st);
        e.failure = hresult(t, "failure");
        e.applicationCode = hresult(t, "application_code");
        if (auto m = stringAt(t, "message"))
            e.message = widen(*m);
        e.listed = boolean(t, "listed");
        if (auto c = integer(t, "count", 0))
            e.count = static_cast<UINT>(*c);
        e.result = hresult(t, "result");
        if (auto events = strings(t, "events"))
            for (auto &[text, node] : *events)
                if (auto ev = eventOf(*node, "events"))
                    e.events.emplace_back(inputName(*ev));
        if (auto mistakes = strings(t, "mistakes"))
            for (auto &[text, node] : *mistakes) {
                std::vector<std::string_view> ids;
                for (const MistakeKind &m : mistakeTable())
                    ids.push_back(m.id);
                if (contains(ids, text))
                    e.mistakes.push_back(text);
                else
                    fail(*node, fmt::format("unknown requester mistake {}: expected M1 to M{}{}", quoted(text),
                                            ids.size(), didYouMean(closestName(text, ids, 1))));
            }
        e.publicState = stringAt(t, "public_state");

        // Claims about one writer's status entry need that writer; the rest are about the step or the run.
        static constexpr std::array<std::string_view, 6> kWriterClaims{"state", "failure", "application_code",
                                                                       "message", "listed", "events"};
        if (!find(t, "writer"))
            for (std::string_view key : kWriterClaims)
                if (const toml::node *n = find(t, key))
                    fail(*n, fmt::format("'{}' is a claim about one writer: add 'writer'", key));
        for (std::string_view key : {"session", "components_selected"})
            if (const toml::node *n = find(t, key); n && e.when.empty())
                fail(*n, fmt::format("'{}' picks the requester sessions of a 'when' expectation: add 'when'", key));
        if (find(t, "result") && e.after.empty() && e.when.empty())
            fail(*find(t, "result"), "'result' is the result of an operation: add 'when' (or 'after') to name it");
        static constexpr std::array<std::string_view, 10> kClaims{
            "state", "failure", "application_code", "message", "listed", "count", "result", "events", "mistakes",
            "public_state"};
        if (std::none_of(kClaims.begin(), kClaims.end(), [&](std::string_view k) { return find(t, k) != nullptr; }))
            fail(t, "[[expect]] checks nothing: add state, failure, application_code, message, listed, count, "
                    "result, events, mistakes or public_state");
        sc_.expectations.push_back(std::move(e));
    }

    /// `when` (a machine expectation) or `reaction`: the keys each kind takes. True when `e` is done:
    /// a reaction, or an error already reported.
    bool parseExpectationKind(const toml::table &t, Expectation &e)
    {
        const toml::node *when = find(t, "when");
        const toml::node *reaction = find(t, "reaction");
        if (!when && !reaction)
            return false;
        if (when && reaction) {
            fail(*reaction, "'when' (what the machine does) and 'reaction' (what the requester must do) are two "
                            "[[expect]]s: split them");
            return true;
        }
        if (const toml::node *after = find(t, "after")) {
            fail(*after, fmt::format("'after' names a step of the script; '{}' holds for any requester: use one of them",
                                     when ? "when" : "reaction"));
            return true;
        }
        if (reaction) {
            for (std::string_view key : {"session", "components_selected", "occurrence", "writer", "state", "failure", "application_code", "message",
                                         "listed", "count", "result", "events", "mistakes", "public_state"})
                if (const toml::node *n = find(t, key)) {
                    fail(*n, fmt::format("'{}' is no part of a reaction: a reaction is judged by its detectors", key));
                    return true;
                }
            if (auto r = stringOf(*reaction, "reaction")) {
                if (findReaction(*r)) {
                    e.reaction = *r;
                    sc_.expectations.push_back(std::move(e));
                } else {
                    std::vector<std::string_view> names;
                    for (const Reaction &x : reactionTable())
                        names.push_back(x.name);
                    fail(*reaction, fmt::format("unknown reaction {}: expected one of {}{}", quoted(*r),
                                                joinText(names, ", "), didYouMean(closestName(*r, names))));
                }
            }
            return true;
        }
        if (auto w = stringOf(*when, "when")) {
            const auto ops = machineOperations();
            if (contains(ops, *w)) {
                e.when = *w;
            } else {
                std::vector<std::string_view> names(ops.begin(), ops.end());
                fail(*when, fmt::format("'when' names {}, which is no asynchronous operation: expected one of {}{}",
                                        quoted(*w), joinText(names, ", "), didYouMean(closestName(*w, names))));
                return true;
            }
        }
        if (auto n = integer(t, "session", 1))
            e.session = static_cast<int>(*n);
        e.componentsSelected = boolean(t, "components_selected");
        if (const toml::node *n = find(t, "mistakes")) {
            fail(*n, "'mistakes' are judged at the end of the run, not when an operation ends: drop 'when'");
            return true;
        }
        if (const toml::node *n = find(t, "public_state")) {
            fail(*n, "'public_state' is vssadmin's view, read by the script's ListWriters: use 'state' with 'when'");
            return true;
        }
        return false;
    }

    /// The labels the run will produce, with repeats, in order. Without [[step]]s these are the built-in
    /// script's (scenario/runner.cpp backupScript and restoreScript), whose shape depends on [requester]:
    /// an expectation naming a label that never occurs would silently check nothing.
    std::vector<std::string> runLabels() const { return runLabels(sc_); }

    static std::vector<std::string> runLabels(const Scenario &sc) { return scriptLabels(sc); }

    /// [[expect]] is parsed after [requester] and every [[step]], so the labels are all known here.
    void checkLabel(const std::string &label, const toml::node &n)
    {
        const std::vector<std::string> labels = runLabels();
        if (contains(labels, label))
            return;
        if (labels.empty()) {
            // script = "none": the requester under test (VSSSIM_SCENARIO) reaches a label each time one
            // of its IVssBackupComponents calls returns, or, for an asynchronous one, completes.
            if (contains(kBackupMethods, label))
                return;
            std::vector<std::string_view> methods(kBackupMethods.begin(), kBackupMethods.end());
            fail(n, fmt::format("'after' names {}, which is no IVssBackupComponents method (script = \"none\": the "
                                "requester under test reaches a label at each of its calls){}",
                                quoted(label), didYouMean(closestName(label, methods))));
            return;
        }
        if (!sc_.steps.empty()) {
            fail(n, fmt::format("no [[step]] is labelled {}{}", quoted(label), didYouMean(closestName(label, labels))));
            return;
        }
        std::string hint = didYouMean(closestName(label, labels));
        // The usual slip: a restore label in a backup scenario.
        if (hint.empty() && sc_.script == "backup") {
            Scenario restore = sc_;
            restore.script = "restore";
            if (contains(Loader::runLabels(restore), label))
                hint = " (it is a step of script = \"restore\")";
        }
        fail(n, fmt::format("the built-in {} script has no step labelled {}{}", sc_.script, quoted(label), hint));
    }

    void checkOccurrence(const Expectation &e, const toml::node &n)
    {
        if (e.after.empty())
            return;
        const std::vector<std::string> labels = runLabels();
        const auto count = std::count(labels.begin(), labels.end(), e.after);
        if (count > 0 && e.occurrence > count)
            fail(n, fmt::format("occurrence {} of '{}' does not exist: the run has {}", e.occurrence, e.after, count));
    }
};

} // namespace

std::optional<SimDuration> parseDuration(std::string_view text)
{
    const DurationParse d = parseDurationDetailed(text);
    if (d.problem == DurationProblem::Malformed || d.problem == DurationProblem::TooLong)
        return std::nullopt;
    return d.value;
}

LoadResult parseScenario(std::string_view text, const std::string &path)
{
    try {
        return Loader(text, path).run();
    } catch (const std::bad_alloc &) {
        throw;
    } catch (const std::exception &e) {
        // Every expected problem is an error entry; reaching here is a loader bug, still reported as one.
        return {std::nullopt, {ScenarioError{path, 1, 1, fmt::format("internal error while loading: {}", e.what())}}};
    }
}

LoadResult loadScenarioFile(const std::string &argument)
{
    const std::string path = resolveScenarioPath(argument);
    std::ifstream in(path, std::ios::binary);
    if (!in && isBareScenarioName(argument))
        return {std::nullopt, {ScenarioError{path, 0, 0, fmt::format("no scenario of this name ({}.toml) in {}", argument,
                                                                      joinText(scenarioSearchPath(), ", "))}}};
    if (!in)
        return {std::nullopt, {ScenarioError{path, 0, 0, "cannot open scenario file"}}};
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad())
        return {std::nullopt, {ScenarioError{path, 0, 0, "cannot read scenario file"}}};
    return parseScenario(text.str(), path);
}

} // namespace vsssim
