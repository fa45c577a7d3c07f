#include "reference_tables.h"

#include <array>

#include <fmt/format.h>

#include "core/names.h"
#include "scenario/expectations.h"
#include "scenario/guidance.h"
#include "scenario/listing.h"
#include "service/os_versions.h"

namespace vsssim {

namespace {

/// A cell must not end the row: Markdown tables have no escape but the backslash.
std::string cell(std::string_view text)
{
    std::string out;
    for (char c : text) {
        if (c == '|')
            out += '\\';
        out += c;
    }
    return out.empty() ? "–" : out;
}

/// Whole groups by their name: a row for "any FAILED_AT_*" lists ten states otherwise.
std::string statesCell(StateSet set)
{
    if (set == kFailed)
        return "any `FAILED_AT_*`";
    if (set == kNotFailed)
        return "any state not failed";
    return fromText(set);
}

std::string hresultCell(HRESULT code)
{
    const auto name = hresultName(code);
    return name ? fmt::format("`{}`", *name) : fmt::format("`0x{:08X}`", static_cast<std::uint32_t>(code));
}

std::string_view codeText(Code code)
{
    switch (code) {
    case Code::Success: return "S_OK";
    case Code::Failure: return "the outcome's code";
    case Code::SetInAbort: return "what OnAbort set, else S_OK";
    case Code::Unchanged: return "unchanged";
    }
    return {};
}


std::string transitionsMarkdown()
{
    std::string out = "| Row | From | Input / outcome | To | Failure code | Abort |\n|---|---|---|---|---|---|\n";
    for (const Row &r : transitionTable()) {
        std::string label = transitionLabel(r);
        label.erase(0, r.id.size() + 2);   // the id has its own column
        out += fmt::format("| {} | {} | {} | {} | {} | {} |\n", r.id, statesCell(r.from), label, targetText(r),
                           codeText(r.code), r.abort ? "yes" : "");
    }
    return out;
}

std::string guidanceMarkdown()
{
    std::string out = "| Code | Seen in | Produced by | Meaning | Correct reaction | Retry |\n|---|---|---|---|---|---|\n";
    for (const Guidance &g : guidanceTable())
        out += fmt::format("| {} | {} | {} | {} | {} | {} |\n", hresultCell(g.code), cell(g.seenIn), cell(g.producer),
                           cell(g.meaning), cell(g.reaction), cell(g.retry));
    return out;
}

std::string stateGuidanceMarkdown()
{
    std::string out = "| State | Situation | Meaning | Correct reaction |\n|---|---|---|---|\n";
    for (const StateGuidance &g : stateGuidanceTable())
        out += fmt::format("| `{}` | {} | {} | {} |\n", writerStateName(g.state), cell(g.situation), cell(g.meaning),
                           cell(g.reaction));
    return out;
}

std::string mistakesMarkdown()
{
    std::string out = "| Id | The requester mistake |\n|---|---|\n";
    for (const MistakeKind &m : mistakeTable())
        out += fmt::format("| {} | {} |\n", m.id, cell(m.title));
    return out;
}

std::string reactionsMarkdown()
{
    std::string out = "| `reaction =` | What it requires | Judged by |\n|---|---|---|\n";
    for (const Reaction &r : reactionTable())
        out += fmt::format("| `{}` | {} | {} |\n", r.name, cell(r.requirement), joinText(r.mistakes, ", "));
    return out;
}

std::string codesMarkdown()
{
    std::string out = "| Name | Value | Meaning |\n|---|---|---|\n";
    for (const NamedValue &v : hresultTable())
        out += fmt::format("| `{}` | `0x{:08X}` | {} |\n", v.name, static_cast<std::uint32_t>(v.value), cell(v.meaning));
    return out;
}

std::string stateLabelsMarkdown()
{
    std::string out = "| States | Label | French | Seen in a real capture |\n|---|---|---|---|\n";
    for (const StateLabel &l : vssadminStateLabels())
        out += fmt::format("| {} | `{}` | {} | {} |\n", statesCell(l.states), l.label,
                           l.french.empty() ? std::string("–") : fmt::format("`{}`", l.french),
                           l.confirmed ? "yes" : "no");
    return out;
}

std::string lastErrorsMarkdown()
{
    std::string out = "| Writer failure code | Last error | French | Seen in a real capture |\n|---|---|---|---|\n";
    for (const LastErrorText &e : vssadminLastErrors())
        out += fmt::format("| {} | `{}` | {} | {} |\n", e.code == S_OK ? std::string("`S_OK`") : hresultCell(e.code),
                           e.text, e.french.empty() ? std::string("–") : fmt::format("`{}`", e.french),
                           e.confirmed ? "yes" : "no");
    return out;
}

std::string osVersionsMarkdown()
{
    std::string out = "| `os =` | Windows | Version | Ex level | vssadmin banner | Writers it lacks | Source |\n"
                      "|---|---|---|---|---|---|---|\n";
    for (const OsVersion &v : osVersions())
        out += fmt::format("| `{}` | {} | {}.{}.{} | Ex{} | {} | {} | {} |\n", v.key, v.name, v.major, v.minor, v.build,
                           v.backupComponentsLevel, v.copyrightYears,
                           v.absentWriters.empty() ? std::string("–") : joinText(v.absentWriters, ", "), cell(v.source));
    return out;
}

} // namespace

std::span<const ReferenceTable> referenceTables() noexcept
{
    static constexpr std::array kTables{
        ReferenceTable{"transitions", "the writer state machine, one row per transition (§8)", transitionsMarkdown},
        ReferenceTable{"guidance", "what a correct requester does about each failure code (§17)", guidanceMarkdown},
        ReferenceTable{"state-guidance", "what a writer state means for the requester (§17)", stateGuidanceMarkdown},
        ReferenceTable{"mistakes", "the requester mistakes the simulator detects", mistakesMarkdown},
        ReferenceTable{"reactions", "what `[[expect]] reaction = ...` names", reactionsMarkdown},
        ReferenceTable{"vssadmin-states", "vssadmin's State labels (listings §1.3, rule R20)", stateLabelsMarkdown},
        ReferenceTable{"vssadmin-errors", "vssadmin's Last error texts (listings §1.4, rule R20)", lastErrorsMarkdown},
        ReferenceTable{"os-versions", "the Windows versions `[service] os` simulates (api §7)", osVersionsMarkdown},
        ReferenceTable{"codes", "every HRESULT the simulator names, with its value", codesMarkdown},
    };
    return kTables;
}

std::string referenceTable(std::string_view name)
{
    for (const ReferenceTable &t : referenceTables())
        if (t.name == name)
            return t.markdown();
    return {};
}

} // namespace vsssim
