#include "scenario/diagram.h"

#include <array>
#include <cctype>
#include <map>
#include <vector>

#include <fmt/format.h>

#include "core/names.h"
#include "core/writer_state.h"
#include "scenario/listing.h"

namespace vsssim {

namespace {

constexpr int kNone = VSS_WS_COUNT;   // the "no record" bit, as in StateSet
constexpr std::array kSpine{VSS_WS_STABLE, VSS_WS_WAITING_FOR_FREEZE, VSS_WS_WAITING_FOR_THAW,
                            VSS_WS_WAITING_FOR_POST_SNAPSHOT, VSS_WS_WAITING_FOR_BACKUP_COMPLETE};
constexpr InputSet kRestoreEvents = inputs({Input::PreRestore, Input::PostRestore});

bool isFailed(int bit) { return bit < kNone && (kFailed & (1u << bit)); }

/// "[9] Failed at freeze": vssadmin's label for the spine, the enum name spelled out for failures
/// (vssadmin shows every one of them as "Failed", which would make the picture useless).
std::string stateTitle(int bit)
{
    if (bit == kNone)
        return "no record";
    const auto s = static_cast<VSS_WRITER_STATE>(bit);
    if (!isFailed(bit) && s != VSS_WS_UNKNOWN)
        return fmt::format("[{}] {}", bit, vssadminStateLabel(s).label);
    std::string words(writerStateName(s).substr(7));   // after "VSS_WS_"
    for (std::size_t i = 0; i < words.size(); ++i)
        words[i] = words[i] == '_' ? ' ' : static_cast<char>(i ? std::tolower(static_cast<unsigned char>(words[i])) : words[i]);
    return fmt::format("[{}] {}", bit, words);
}

std::string fromSetText(StateSet from, std::string_view separator = ", ")
{
    if (from == kFailed)
        return "any FAILED_AT_*";
    if (from == kNotFailed)
        return "any state not failed";
    std::string out;
    // Appended piece by piece: a temporary prepended to a string trips GCC 12's false -Wrestrict at -O3.
    for (int bit = 0; bit <= kNone; ++bit)
        if (from & (1u << bit)) {
            if (!out.empty())
                out.append(separator);
            out.append(stateTitle(bit));
        }
    return out;
}

/// Where a row sends a record that was in `bit`; -1 for "absent from the lists".
int targetOf(const Row &r, int bit)
{
    switch (r.target) {
    case Target::State: return r.to;
    case Target::Unchanged: return bit;
    case Target::Listed: return kNone;
    case Target::Absent: return -1;
    }
    return bit;
}

struct Part {
    std::string prefix;        ///< node-id prefix, should two parts ever share one picture
    std::vector<std::string> nodes, edges, notes;
    std::map<int, bool> used;
};

std::string nodeId(const Part &p, int bit)
{
    if (bit == -1)
        return p.prefix + "absent";
    return p.prefix + (bit == kNone ? std::string("none") : fmt::format("s{}", bit));
}

void useNode(Part &p, int bit) { p.used[bit] = true; }

void addRow(Part &p, const Row &r)
{
    const std::string label = transitionLabel(r);
    StateSet moving = 0;
    for (int bit = 0; bit <= kNone; ++bit)
        if ((r.from & (1u << bit)) && targetOf(r, bit) != bit)
            moving |= 1u << bit;
    // Rows that leave the record as it was: one line in the part's note instead of a loop per state.
    if (moving != r.from) {
        const StateSet staying = r.from & ~moving;
        p.notes.push_back(fmt::format("{}  [{}]", label, fromSetText(staying)));
    }
    if (!moving)
        return;
    const char *style = r.target == Target::Absent ? ", style=dashed" : "";
    const std::string colour = r.target == Target::State && isFailed(r.to) ? ", color=firebrick, fontcolor=firebrick"
                               : r.on & inputs({Input::Abort, Input::BackupShutdown}) ? ", color=gray40, fontcolor=gray30"
                                                                                     : "";
    int count = 0;
    for (int bit = 0; bit <= kNone; ++bit)
        count += (moving >> bit) & 1;
    // One row leaving three or more states (Abort, BackupShutdown) is drawn once, from a small
    // "from" box, instead of a fan of parallel arrows across the spine.
    if (count >= 3) {
        const std::string hub = p.prefix + "from_" + std::string(r.id);
        p.nodes.push_back(fmt::format("  {} [label=\"from {}\", shape=plaintext, fontsize=9];", hub, fromSetText(moving, "\\n")));
        const int to = targetOf(r, __builtin_ctz(moving));
        useNode(p, to);
        p.edges.push_back(fmt::format("  {} -> {} [label=\"{}\"{}{}];", hub, nodeId(p, to), label, style, colour));
        return;
    }
    for (int bit = 0; bit <= kNone; ++bit) {
        if (!(moving & (1u << bit)))
            continue;
        const int to = targetOf(r, bit);
        useNode(p, bit);
        useNode(p, to);
        const bool spine = r.when == outcomes({Outcome::Ok}) && bit < kNone && to >= 0 && to < kNone &&
                           !isFailed(bit) && !isFailed(to) && (r.on & ~kRestoreEvents);
        p.edges.push_back(fmt::format("  {} -> {} [label=\"{}\"{}{}{}];", nodeId(p, bit), nodeId(p, to), label, style,
                                      colour, spine ? ", weight=8, penwidth=2" : ""));
    }
}

std::string nodeLine(const Part &p, int bit)
{
    if (bit == -1)
        return fmt::format("  {} [label=\"absent from the lists\\n(FAILED_AT_IDENTIFY is never listed, R11)\", "
                           "shape=box, style=\"rounded,dashed\"];", nodeId(p, bit));
    if (bit == kNone)
        return fmt::format("  {} [label=\"no record\", shape=ellipse];", nodeId(p, bit));
    const auto s = static_cast<VSS_WRITER_STATE>(bit);
    const std::string fill = isFailed(bit) ? "mistyrose" : s == VSS_WS_UNKNOWN ? "lightyellow" : "honeydew";
    return fmt::format("  {} [label=\"{}\\n{}\", style=\"rounded,filled\", fillcolor={}];", nodeId(p, bit),
                       stateTitle(bit), writerStateName(s), fill);
}

std::string emit(const Part &p, std::string_view cluster, std::string_view title)
{
    std::string out = fmt::format("  subgraph {} {{\n  label=\"{}\"; labeljust=l; color=gray70;\n", cluster, title);
    for (const auto &[bit, used] : p.used)
        if (used)
            out += nodeLine(p, bit) + "\n";
    for (const std::string &n : p.nodes)
        out += n + "\n";
    // Each failure sits on the rank of the stage whose event produced it.
    std::map<int, std::vector<int>> beside;
    for (const Row &r : transitionTable())
        if (r.target == Target::State && isFailed(r.to) && p.used.count(r.to))
            for (int bit = 0; bit <= kNone; ++bit)
                if ((r.from & (1u << bit)) && !isFailed(bit) && p.used.count(bit)) {
                    auto &list = beside[bit];
                    bool placed = false;
                    for (const auto &[stage, failures] : beside)
                        for (int f : failures)
                            placed = placed || f == r.to;
                    if (!placed)
                        list.push_back(r.to);
                    break;
                }
    for (const auto &[stage, failures] : beside) {
        out += "  { rank=same; " + nodeId(p, stage) + ";";
        for (int f : failures)
            out.append(1, ' ').append(nodeId(p, f)).append(1, ';');  // not " " + ...: GCC 12 -Wrestrict at -O3
        out += " }\n";
    }
    for (const std::string &e : p.edges)
        out += e + "\n";
    if (!p.notes.empty()) {
        std::string text = "change nothing (drawn as loops in `vss-sim graph --view table`):\\l";
        for (const std::string &n : p.notes)
            text += n + "\\l";
        out += fmt::format("  {}note [label=\"{}\", shape=note, fontsize=9];\n", p.prefix, text);
    }
    return out + "  }\n";
}

} // namespace

std::uint64_t tableDigest()
{
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (const Row &r : transitionTable()) {
        const std::string line = fmt::format("{}|{}|{}|{}|{}\n", transitionLabel(r), r.from, static_cast<int>(r.target),
                                             static_cast<int>(r.to), static_cast<int>(r.code));
        for (unsigned char c : line) {
            h ^= c;
            h *= 0x100000001b3ULL;
        }
    }
    return h;
}

std::string formatLifecycleGraph(LifecycleView view)
{
    Part part;
    const bool restore = view == LifecycleView::Restore;
    if (!restore)
        for (const VSS_WRITER_STATE s : kSpine)
            useNode(part, s);
    for (const Row &r : transitionTable())
        if (((r.on & ~kRestoreEvents) != 0) != restore)
            addRow(part, r);
    std::string out = fmt::format("digraph vss_writer_{} {{\n  comment=\"transition table {:016x}\";\n"
                                  "  rankdir=TB; nodesep=0.35; ranksep=0.45;\n"
                                  "  node [shape=box, fontname=\"Helvetica\", fontsize=11];\n"
                                  "  edge [fontname=\"Helvetica\", fontsize=9];\n",
                                  restore ? "restore" : "backup", tableDigest());
    out += emit(part, restore ? "cluster_restore" : "cluster_backup",
                restore ? "a restore session's record (docs/behaviour.md §8): no Abort in restores"
                        : "a backup session's record (docs/behaviour.md §8); restore: vss-sim graph --view restore");
    return out + "}\n";
}

} // namespace vsssim
