#include "scenario/timeline.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <tuple>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/names.h"
#include "core/writer_state.h"
#include "scenario/guidance.h"
#include "scenario/listing.h"
#include "scenario/runner.h"

namespace vsssim {

namespace {

std::string stateText(const WriterStatus &s)
{
    return s.stateBit == kNoRecord ? std::string("(no record)") : std::string(writerStateName(s.state));
}

/// The outcome the service saw, read back from a Return record (Session::applyResult writes them).
Outcome outcomeOf(const TraceRecord &ret)
{
    if (ret.detail == "no answer")
        return Outcome::Hang;
    if (ret.detail == "false")
        return Outcome::Fatal;
    return ret.hr != S_OK ? Outcome::NonFatal : Outcome::Ok;
}

struct Builder {
    Timeline t;
    // One sequence for records and steps: a step that ended after N records sits between record
    // N-1 and record N, whatever their times; several steps may sit in one gap.
    std::vector<std::size_t> recordOrders;
    std::vector<std::size_t> stepOrders;
    std::map<std::string, std::size_t, std::less<>> laneOf;
    std::map<std::pair<std::string, std::uint32_t>, WriterStatus> status;
    std::map<std::pair<std::string, std::uint32_t>, std::size_t> openFreeze;   // window index
    // Deliveries waiting for their Return, per (writer, session, event), oldest first.
    std::map<std::tuple<std::string, std::uint32_t, std::string>, std::vector<std::size_t>> open;
    std::optional<std::size_t> lastFreezeReturn;   // record index, per the session below
    std::uint32_t lastFreezeSession = 0;
    SimTime lastFreezeReturnAt{};
    bool holdOpen = false;

    void order(std::size_t records, const std::vector<RequesterStep> &steps)
    {
        std::size_t next = 1;
        std::size_t j = 0;
        for (std::size_t i = 0; i < records; ++i) {
            for (; j < steps.size() && steps[j].afterRecord <= i; ++j)
                stepOrders.push_back(next++);
            recordOrders.push_back(next++);
        }
        for (; j < steps.size(); ++j)
            stepOrders.push_back(next++);
    }
    std::size_t recordOrder(std::size_t index) const { return recordOrders[index]; }

    std::size_t lane(std::string_view name)
    {
        if (auto it = laneOf.find(name); it != laneOf.end())
            return it->second;
        t.lanes.emplace_back(name);
        laneOf.emplace(std::string(name), t.lanes.size() - 1);
        return t.lanes.size() - 1;
    }

    WriterStatus &statusOf(const TraceRecord &r)
    {
        auto [it, added] = status.try_emplace({std::string(r.actor), r.session}, WriterStatus{kNoRecord, VSS_WS_UNKNOWN, S_OK});
        return it->second;
    }

    void applyRow(TimelineBox &box, const WriterStatus &before, Input input, Outcome outcome, HRESULT setCode)
    {
        const Transition tr = step(before, input, outcome, setCode);
        box.outcome = std::string(outcomeName(outcome));
        if (!tr.legal) {
            box.stateAfter = stateText(before);
            box.failureAfter = before.failure;
            return;
        }
        box.row = transitionLabel(*tr.row);
        switch (tr.target) {
        case Target::State:
            box.stateAfter = std::string(writerStateName(tr.state));
            box.failureAfter = tr.failure;
            break;
        case Target::Unchanged:
            box.stateAfter = stateText(before);
            box.failureAfter = before.failure;
            break;
        case Target::Listed:
            box.stateAfter = "listed";
            break;
        case Target::Absent:
            box.stateAfter = "absent";
            break;
        }
        box.failed = box.failed || tr.target == Target::Absent || (tr.target == Target::State && tr.state != VSS_WS_UNKNOWN &&
                                                                   (kFailed & (1u << tr.state)) != 0 && before.state != tr.state);
    }

    void closeFreeze(const TraceRecord &r, std::size_t index, std::string why)
    {
        auto it = openFreeze.find({std::string(r.actor), r.session});
        if (it == openFreeze.end())
            return;
        TimelineWindow &w = t.windows[it->second];
        w.end = r.at;
        w.endOrder = recordOrder(index);
        w.why = std::move(why);
        openFreeze.erase(it);
    }

    void closeHold(const TraceRecord &r, std::size_t index)
    {
        if (!holdOpen || r.session != lastFreezeSession)
            return;
        holdOpen = false;
        if (r.at > lastFreezeReturnAt) {
            TimelineWindow w;
            w.holdWrites = true;
            w.start = lastFreezeReturnAt;
            w.startOrder = recordOrder(*lastFreezeReturn);
            w.end = r.at;
            w.endOrder = recordOrder(index);
            w.session = r.session;
            w.why = std::string(r.what);
            t.windows.push_back(w);
        }
    }

    void deliver(const TraceRecord &r, std::size_t index)
    {
        TimelineBox box;
        box.lane = lane(r.actor);
        box.label = std::string(r.what);
        box.start = box.end = r.at;
        box.startOrder = box.endOrder = recordOrder(index);
        box.session = r.session;
        box.outcome = "no answer recorded";
        box.stateAfter = stateText(statusOf(r));
        open[{std::string(r.actor), r.session, std::string(r.what)}].push_back(t.boxes.size());
        t.boxes.push_back(std::move(box));
        if (r.input == Input::Freeze) {
            TimelineWindow w;
            w.lane = lane(r.actor);
            w.start = w.end = r.at;
            w.startOrder = w.endOrder = recordOrder(index);
            w.session = r.session;
            w.why = "the run ended";
            openFreeze[{std::string(r.actor), r.session}] = t.windows.size();
            t.windows.push_back(w);
        }
        if (r.input == Input::Thaw || r.input == Input::Abort) {
            closeFreeze(r, index, std::string(r.what));
            closeHold(r, index);
        }
    }

    void returned(const TraceRecord &r, std::size_t index)
    {
        auto it = open.find({std::string(r.actor), r.session, std::string(r.what)});
        if (it == open.end() || it->second.empty())
            return;
        TimelineBox &box = t.boxes[it->second.front()];
        it->second.erase(it->second.begin());
        box.end = r.at;
        box.endOrder = recordOrder(index);
        box.code = r.hr;
        box.failed = r.hr != S_OK || r.detail != "true";
        const Outcome outcome = outcomeOf(r);
        applyRow(box, statusOf(r), r.input, outcome, outcome == Outcome::Hang ? S_OK : r.hr);
        if (r.input == Input::Freeze) {
            lastFreezeReturn = index;
            lastFreezeReturnAt = r.at;
            lastFreezeSession = r.session;
            holdOpen = true;
        }
    }

    void stateChanged(const TraceRecord &r, std::size_t index)
    {
        WriterStatus &s = statusOf(r);
        // A change no delivery explains: the freeze window expired, or there was no free slot.
        const bool explained = r.input != Input::FreezeWindowExpired && !t.boxes.empty() &&
                               std::any_of(t.boxes.rbegin(), t.boxes.rend(), [&](const TimelineBox &b) {
                                   return b.kind == BoxKind::Delivery && b.lane == lane(r.actor) && b.session == r.session &&
                                          b.label == r.what && b.end == r.at;
                               });
        if (!explained) {
            TimelineBox box;
            box.kind = r.input == Input::FreezeWindowExpired ? BoxKind::Expiry : BoxKind::NotDelivered;
            box.lane = lane(r.actor);
            box.label = r.input == Input::FreezeWindowExpired ? "freeze window expired" : std::string(r.what) + " (no slot)";
            box.start = box.end = r.at;
            box.startOrder = box.endOrder = recordOrder(index);
            box.session = r.session;
            box.code = r.hr;
            box.failed = true;
            applyRow(box, s, r.input, r.input == Input::FreezeWindowExpired ? Outcome::Window : Outcome::NoSlot, S_OK);
            t.boxes.push_back(std::move(box));
            if (r.input == Input::FreezeWindowExpired)
                closeFreeze(r, index, "window expired");
        }
        s = WriterStatus{1u << r.to, r.to, r.hr};
    }

    void point(BoxKind kind, const TraceRecord &r, std::size_t index, std::string label)
    {
        TimelineBox box;
        box.kind = kind;
        box.lane = lane(kind == BoxKind::Mistake ? "requester" : "service");
        box.label = std::move(label);
        box.start = box.end = r.at;
        box.startOrder = box.endOrder = recordOrder(index);
        box.session = r.session;
        box.detail = r.detail;
        box.failed = kind == BoxKind::Mistake;
        t.boxes.push_back(std::move(box));
    }

    void requester(const std::vector<RequesterStep> &steps)
    {
        SimTime from{};
        std::size_t fromOrder = 0;
        for (std::size_t i = 0; i < steps.size(); ++i) {
            const RequesterStep &s = steps[i];
            TimelineBox box;
            box.kind = BoxKind::Requester;
            box.lane = 0;
            box.label = s.label;
            box.start = from;
            box.startOrder = fromOrder;
            box.end = s.at;
            box.endOrder = stepOrders[i];
            box.code = s.result;
            box.failed = FAILED(s.result);
            from = s.at;
            fromOrder = box.endOrder;
            t.boxes.push_back(std::move(box));
        }
    }
};

} // namespace

Timeline buildTimeline(std::span<const TraceRecord> records, const std::vector<RequesterStep> &steps, std::string title,
                       std::string subtitle)
{
    Builder b;
    b.t.title = std::move(title);
    b.t.subtitle = std::move(subtitle);
    b.lane("requester");
    // A requester under test has no script: each of its calls is a step, ending where it returned.
    std::vector<RequesterStep> calls = steps;
    if (steps.empty())
        for (std::size_t i = 0; i < records.size(); ++i)
            if (const TraceRecord &r = records[i]; r.kind == TraceKind::Call) {
                const std::size_t colon = r.what.rfind(':');
                calls.push_back(RequesterStep{std::string(r.what.substr(colon == std::string_view::npos ? 0 : colon + 1)),
                                              r.hr, r.at, i + 1});
            }
    b.order(records.size(), calls);
    for (std::size_t i = 0; i < records.size(); ++i) {
        const TraceRecord &r = records[i];
        b.t.end = std::max(b.t.end, r.at);
        switch (r.kind) {
        case TraceKind::Deliver: b.deliver(r, i); break;
        case TraceKind::Return: b.returned(r, i); break;
        case TraceKind::State: b.stateChanged(r, i); break;
        case TraceKind::Mistake: b.point(BoxKind::Mistake, r, i, r.detail.substr(0, r.detail.find(':'))); break;
        case TraceKind::Service: b.point(BoxKind::Service, r, i, std::string(r.what)); break;
        case TraceKind::Call:    // read above, as the requester's steps
        case TraceKind::Async: break;   // the step that waited for it ends with it
        }
    }
    for (const RequesterStep &s : calls)
        b.t.end = std::max(b.t.end, s.at);
    b.requester(calls);
    // The service lane goes under the writers, wherever its first entry came.
    if (auto it = b.laneOf.find("service"); it != b.laneOf.end() && it->second + 1 != b.t.lanes.size()) {
        const std::size_t from = it->second;
        auto moved = [&](std::size_t lane) { return lane == from ? b.t.lanes.size() - 1 : lane > from ? lane - 1 : lane; };
        for (TimelineBox &box : b.t.boxes)
            box.lane = moved(box.lane);
        for (TimelineWindow &w : b.t.windows)
            w.lane = moved(w.lane);
        std::rotate(b.t.lanes.begin() + static_cast<std::ptrdiff_t>(from), b.t.lanes.begin() + static_cast<std::ptrdiff_t>(from) + 1,
                    b.t.lanes.end());
    }
    std::stable_sort(b.t.boxes.begin(), b.t.boxes.end(),
                     [](const TimelineBox &x, const TimelineBox &y) { return x.startOrder < y.startOrder; });
    for (TimelineWindow &w : b.t.windows)
        if (w.why == "the run ended") {
            w.end = b.t.end;
            w.endOrder = records.size() + calls.size() + 1;
        }
    return std::move(b.t);
}

Timeline scenarioTimeline(const Scenario &scenario, const RunOptions &options, RunReport *report)
{
    std::vector<RequesterStep> steps;
    Timeline timeline;
    const std::uint64_t seed = effectiveSeed(scenario, options);
    const LabelObserver look = [&](const std::string &label, HRESULT result, Service &svc) {
        if (!label.empty()) {
            steps.push_back(RequesterStep{label, result, svc.now(), svc.trace().records().size()});
            return;
        }
        // No path in it: docs/ keeps these pictures, and they must not depend on where the tree lives.
        timeline = buildTimeline(svc.trace().records(), steps, scenario.name,
                                 fmt::format("{} (seed {})", scenario.description, seed));
    };
    RunReport r = runScenario(scenario, RunOptions{seed}, look);
    if (report)
        *report = std::move(r);
    return timeline;
}

std::string explainLine(HRESULT code)
{
    std::string text = hresultText(code);
    if (const NamedValue *info = hresultInfo(code))
        text += ": " + std::string(info->meaning);
    if (hasOwnLastError(code))
        text += fmt::format("; vssadmin: Last error: {}", vssadminLastError(code).text);
    if (const Guidance *g = guidanceFor(code))
        text += fmt::format("; a requester should: {} (retry: {})", g->reaction, g->retry);
    return text;
}

// ---------------------------------------------------------------------------------------------
// Layout: one block of columns per distinct instant, a column per group of same-instant records
// (the sixteen PrepareForBackup deliveries of one phase share one), and between instants a space
// that grows with the logarithm of the virtual time between them: a 48-hour slot reclaim must not
// squeeze a 20-second freeze window into a hair.

namespace {

constexpr double kGutter = 250;
constexpr double kColumn = 96;
constexpr double kRequesterColumn = 64;
constexpr double kLane = 40;
constexpr double kTop = 64;
constexpr double kPad = 3;

std::string groupOf(const TimelineBox &b, std::size_t index)
{
    switch (b.kind) {
    case BoxKind::Delivery: return fmt::format("d{}:{}", b.session, b.label);
    case BoxKind::Expiry: return fmt::format("e{}", b.session);
    case BoxKind::NotDelivered: return fmt::format("n{}:{}", b.session, b.label);
    default: return fmt::format("x{}", index);
    }
}

struct Layout {
    struct Column {
        std::size_t firstOrder;
        double x;
        double width;
    };
    struct Instant {
        SimTime at;
        double x;
        std::vector<Column> columns;   ///< ascending by first order
    };
    std::vector<Instant> instants;
    double width = 0;

    explicit Layout(const Timeline &t)
    {
        // Each group's first order at each instant where one of its ends lies, and whether only the
        // requester is there: such a column holds a step's label alone and can be narrower.
        struct Group {
            std::size_t order;
            bool requesterOnly;
        };
        std::map<SimTime, std::map<std::string, Group>> groups;
        auto note = [&](SimTime at, const std::string &group, std::size_t order, bool requester) {
            auto [it, added] = groups[at].try_emplace(group, Group{order, requester});
            it->second.order = std::min(it->second.order, order);
        };
        for (std::size_t i = 0; i < t.boxes.size(); ++i) {
            const TimelineBox &b = t.boxes[i];
            const std::string g = groupOf(b, i);
            const bool requester = b.kind == BoxKind::Requester;
            // A requester step's own column is where it ends; it spans back to where the last one ended.
            if (!requester)
                note(b.start, g, b.startOrder, false);
            note(b.end, g, b.endOrder, requester);
        }
        groups[SimTime{0}];
        double x = kGutter;
        SimTime previous{0};
        for (auto &[at, byGroup] : groups) {
            if (at > previous) {
                const double seconds = std::chrono::duration<double>(at - previous).count();
                x += std::round(18 + 22 * std::log2(1 + seconds / 0.1));   // whole pixels: short, stable SVG text
            }
            Instant in{at, x, {}};
            for (auto &[g, group] : byGroup)
                in.columns.push_back(Column{group.order, 0, group.requesterOnly ? kRequesterColumn : kColumn});
            std::sort(in.columns.begin(), in.columns.end(),
                      [](const Column &l, const Column &r) { return l.firstOrder < r.firstOrder; });
            if (in.columns.empty())
                in.columns.push_back(Column{0, 0, kColumn});
            for (Column &c : in.columns) {
                c.x = x;
                x += c.width;
            }
            instants.push_back(std::move(in));
            previous = at;
        }
        width = x + 40;
    }

    /// The column that holds (at, order): the last one at that instant whose first order is not after it.
    const Column &column(SimTime at, std::size_t order) const
    {
        auto it = std::lower_bound(instants.begin(), instants.end(), at, [](const Instant &i, SimTime t) { return i.at < t; });
        const Instant &in = it == instants.end() ? instants.back() : *it;
        const Column *found = &in.columns.front();
        for (const Column &c : in.columns)
            if (c.firstOrder <= order)
                found = &c;
        return *found;
    }
    double left(SimTime at, std::size_t order) const { return column(at, order).x; }
    double right(SimTime at, std::size_t order) const
    {
        const Column &c = column(at, order);
        return c.x + c.width;
    }
};

std::string xml(std::string_view s)
{
    std::string out;
    for (char c : s) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        default: out += c;
        }
    }
    return out;
}

std::string shortState(std::string_view state)
{
    return std::string(state.starts_with("VSS_WS_") ? state.substr(7) : state);
}

std::string cssClass(const TimelineBox &b)
{
    switch (b.kind) {
    case BoxKind::Requester: return b.failed ? "req fail" : "req";
    case BoxKind::Mistake: return "mistake";
    case BoxKind::Service: return "service";
    case BoxKind::Expiry:
    case BoxKind::NotDelivered: return "fail";
    case BoxKind::Delivery: break;
    }
    if (b.failed)
        return "fail";
    if (b.label == "Abort")
        return "abort";
    if (b.label == "BackupShutdown")
        return "shutdown";
    if (b.label == "Identify")
        return "identify";
    return "ok";
}

std::string duration(const TimelineBox &b)
{
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(b.end - b.start).count();
    return fmt::format("{}.{:03}s", ms / 1000, ms % 1000);
}

/// Every fact of a box, one per line: the SVG <title> and the page's details panel.
std::string describe(const Timeline &t, const TimelineBox &b)
{
    std::string text = fmt::format("{} — {}\n{} .. {} ({})", t.lanes[b.lane], b.label, formatSimTime(b.start),
                                   formatSimTime(b.end), duration(b));
    if (b.session)
        text += fmt::format(", session {}", b.session);
    switch (b.kind) {
    case BoxKind::Requester:
        text += fmt::format("\nresult: {}", explainLine(b.code));
        break;
    case BoxKind::Mistake:
    case BoxKind::Service:
        text += "\n" + b.detail;
        break;
    default:
        text += fmt::format("\noutcome: {}", b.outcome);
        if (b.kind == BoxKind::Delivery)
            text += fmt::format(", handler code {}", hresultText(b.code));
        text += fmt::format("\nstate after: {}, failure {}", b.stateAfter, hresultText(b.failureAfter));
        text += "\ntable row: " + (b.row.empty() ? std::string("none (the event changes nothing here)") : b.row);
        if (b.code != S_OK)
            text += "\nexplain: " + explainLine(b.code);
        if (b.failureAfter != S_OK && b.failureAfter != b.code)
            text += "\nexplain: " + explainLine(b.failureAfter);
    }
    return text;
}

std::string svgBody(const Timeline &t, const Layout &layout)
{
    std::string out;
    const double lanesBottom = kTop + kLane * static_cast<double>(t.lanes.size());
    // Lanes, names on the left.
    for (std::size_t i = 0; i < t.lanes.size(); ++i) {
        const double y = kTop + kLane * static_cast<double>(i);
        out += fmt::format("<g class=\"lane\" data-lane=\"{}\"><rect class=\"lane-bg{}\" x=\"0\" y=\"{}\" width=\"{}\" height=\"{}\"/>"
                           "<text class=\"lane-name\" x=\"8\" y=\"{}\">{}</text></g>\n",
                           xml(t.lanes[i]), i % 2 ? " odd" : "", y, layout.width, kLane, y + 24, xml(t.lanes[i]));
    }
    // Windows under the boxes.
    for (const TimelineWindow &w : t.windows) {
        // Writes are held from the end of the Freeze phase; a freeze window opens at the delivery.
        const double x1 = w.holdWrites ? layout.right(w.start, w.startOrder) : layout.left(w.start, w.startOrder);
        const double x2 = std::max(layout.left(w.end, w.endOrder), x1 + 4);
        if (w.holdWrites) {
            out += fmt::format("<g class=\"window hold\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>"
                               "<text x=\"{}\" y=\"{}\">hold writes</text><title>provider holds writes (flush and hold, "
                               "at most 10 s): {} .. {}, session {}</title></g>\n",
                               x1, kTop - 14, x2 - x1, lanesBottom - kTop + 14, x1 + 3, kTop - 4, formatSimTime(w.start),
                               formatSimTime(w.end), w.session);
        } else {
            const double y = kTop + kLane * static_cast<double>(w.lane);
            out += fmt::format("<g class=\"window freeze\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>"
                               "<title>{}: freeze window {} .. {} (ended by {})</title></g>\n",
                               x1, y + 1, x2 - x1, kLane - 2, xml(t.lanes[w.lane]), formatSimTime(w.start),
                               formatSimTime(w.end), xml(w.why));
        }
    }
    // Boxes.
    for (std::size_t i = 0; i < t.boxes.size(); ++i) {
        const TimelineBox &b = t.boxes[i];
        const double y = kTop + kLane * static_cast<double>(b.lane);
        double x1 = b.kind == BoxKind::Requester ? (b.startOrder == 0 ? kGutter : layout.right(b.start, b.startOrder))
                                                 : layout.left(b.start, b.startOrder);
        double x2 = layout.right(b.end, b.endOrder);
        if (x2 < x1 + 2 * kPad + 8)
            x2 = x1 + 2 * kPad + 8;
        x1 += kPad;
        x2 -= kPad;
        const std::size_t fit = static_cast<std::size_t>((x2 - x1 - 6) / 6.2);
        std::string label = b.label;
        if (b.failed && b.kind != BoxKind::Mistake && b.kind != BoxKind::Service) {
            const HRESULT shown = b.code != S_OK ? b.code : b.failureAfter;
            if (shown != S_OK)
                label += " " + hresultText(shown);
        }
        if (label.size() > fit)
            label = fit > 1 ? label.substr(0, fit - 1) + "\u2026" : std::string();
        out += fmt::format("<g class=\"box {}\" data-i=\"{}\" data-lane=\"{}\" data-event=\"{}\"><rect x=\"{}\" y=\"{}\" "
                           "width=\"{}\" height=\"22\" rx=\"3\"/><text x=\"{}\" y=\"{}\">{}</text>",
                           cssClass(b), i, xml(t.lanes[b.lane]), xml(b.label), x1, y + 4, x2 - x1, x1 + 3, y + 19, xml(label));
        if (!b.stateAfter.empty() && b.kind != BoxKind::Requester)
            out += fmt::format("<text class=\"state\" x=\"{}\" y=\"{}\">{}</text>", x1 + 1, y + 36,
                               xml(shortState(b.stateAfter)).substr(0, static_cast<std::size_t>((x2 - x1) / 5.2)));
        out += fmt::format("<title>{}</title></g>\n", xml(describe(t, b)));
    }
    // The time axis: every instant, its virtual time.
    out += fmt::format("<g class=\"axis\"><line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>", kGutter, lanesBottom + 8,
                       layout.width - 20, lanesBottom + 8);
    double lastLabel = -1e9;
    for (const Layout::Instant &in : layout.instants) {
        out += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/>", in.x, kTop - 2, lanesBottom + 12);
        if (in.x - lastLabel > 70) {
            out += fmt::format("<text x=\"{}\" y=\"{}\">{}</text>", in.x + 2, lanesBottom + 26, formatSimTime(in.at));
            lastLabel = in.x;
        }
    }
    out += fmt::format("<text x=\"8\" y=\"{}\">virtual time</text></g>\n", lanesBottom + 26);
    out += fmt::format("<text class=\"title\" x=\"8\" y=\"20\">{}</text><text class=\"subtitle\" x=\"8\" y=\"38\">{}</text>\n",
                       xml(t.title), xml(t.subtitle));
    return out;
}

constexpr std::string_view kStyle = R"(
  .lane-bg { fill: #ffffff; } .lane-bg.odd { fill: #f4f6f8; }
  .lane-name { font: 13px sans-serif; fill: #222; }
  .box rect { stroke: #556; stroke-width: 0.8; }
  .box text { font: 11px sans-serif; fill: #111; }
  .box text.state { font: 9px monospace; fill: #555; }
  .box.ok rect { fill: #cfe3ff; } .box.identify rect { fill: #e4e4e4; }
  .box.fail rect { fill: #f6a5a5; stroke: #b00; } .box.fail text { fill: #700; }
  .box.abort rect { fill: #ffd59e; } .box.shutdown rect { fill: #dcc8f5; }
  .box.req rect { fill: #d8f0d8; } .box.req.fail rect { fill: #f6a5a5; }
  .box.mistake rect { fill: #ff6b6b; } .box.service rect { fill: #fff2b3; }
  .window.freeze rect { fill: #7fb2ff; opacity: 0.22; }
  .window.hold rect { fill: #ffe066; opacity: 0.35; } .window.hold text { font: 10px sans-serif; fill: #7a5d00; }
  .axis line { stroke: #bbb; stroke-width: 0.6; } .axis text { font: 10px monospace; fill: #444; }
  .title { font: bold 15px sans-serif; } .subtitle { font: 12px sans-serif; fill: #444; }
)";

std::string svgDocument(const Timeline &t, bool standalone)
{
    const Layout layout(t);
    const double height = kTop + kLane * static_cast<double>(t.lanes.size()) + 40;
    std::string out;
    if (standalone)
        out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += fmt::format("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"timeline\" width=\"{0}\" height=\"{1}\" "
                       "viewBox=\"0 0 {0} {1}\">\n<style>{2}</style>\n<rect x=\"0\" y=\"0\" width=\"{0}\" height=\"{1}\" "
                       "fill=\"#fff\"/>\n",
                       layout.width, height, kStyle);
    out += svgBody(t, layout);
    return out + "</svg>\n";
}

} // namespace

std::string timelineSvg(const Timeline &t)
{
    return svgDocument(t, true);
}

std::string timelineHtml(const Timeline &t)
{
    nlohmann::json details = nlohmann::json::array();
    for (const TimelineBox &b : t.boxes)
        details.push_back(describe(t, b));
    // "</" inside a script element would end it early.
    // Replace, never throw: a writer name with broken UTF-8 must not cost the page.
    std::string data = details.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    for (std::size_t at = data.find("</"); at != std::string::npos; at = data.find("</", at + 2))
        data.replace(at, 2, "<\\/");
    return fmt::format(R"PAGE(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{0}</title>
<style>
  body {{ font: 13px sans-serif; margin: 12px; }}
  #scroll {{ overflow-x: auto; border: 1px solid #ccc; }}
  #details {{ white-space: pre-wrap; font: 12px monospace; background: #f7f7f7; border: 1px solid #ccc;
             padding: 8px; margin-top: 8px; min-height: 7em; }}
  .box {{ cursor: pointer; }} .box.selected rect {{ stroke: #000; stroke-width: 2.5; }}
  .legend span {{ display: inline-block; padding: 1px 6px; margin-right: 6px; border: 1px solid #888; }}
</style></head>
<body>
<h1 style="font-size:16px">{0}</h1>
<p class="legend"><span style="background:#cfe3ff">event handled</span><span style="background:#f6a5a5">failure (code named)</span><span style="background:#ffd59e">Abort</span><span style="background:#dcc8f5">BackupShutdown</span><span style="background:#e4e4e4">Identify</span><span style="background:#d8f0d8">requester step</span><span style="background:rgba(127,178,255,0.35)">freeze window</span><span style="background:rgba(255,224,102,0.5)">hold writes</span>
Boxes run from delivery to the handler's return; the small text under each is the writer's state afterwards.
Same-instant events stand side by side in the order they happened; the space between instants grows with the time between them.</p>
<div id="scroll">
{1}</div>
<div id="details">Hover over or click a box: its times, the handler's outcome, the transition-table row that applied, and what explain says about its code.</div>
<script>
const DETAILS = {2};
const panel = document.getElementById('details');
let pinned = null;
for (const g of document.querySelectorAll('#timeline .box')) {{
  const text = DETAILS[Number(g.dataset.i)];
  g.addEventListener('mouseenter', () => {{ if (!pinned) panel.textContent = text; }});
  g.addEventListener('click', () => {{
    if (pinned) pinned.classList.remove('selected');
    pinned = pinned === g ? null : g;
    if (pinned) pinned.classList.add('selected');
    panel.textContent = text;
  }});
}}
// What a headless browser's DOM dump shows: the script ran, and over how many boxes.
document.body.dataset.boxes = document.querySelectorAll('#timeline .box').length;
</script>
</body></html>
)PAGE",
                       xml(t.title), svgDocument(t, false), data);
}

std::string timelinePerfetto(const Timeline &t)
{
    nlohmann::ordered_json events = nlohmann::ordered_json::array();
    auto us = [](SimTime at) { return std::chrono::duration_cast<std::chrono::microseconds>(at).count(); };
    for (std::size_t i = 0; i < t.lanes.size(); ++i) {
        events.push_back({{"ph", "M"}, {"name", "thread_name"}, {"pid", 1}, {"tid", i}, {"args", {{"name", t.lanes[i]}}}});
        events.push_back({{"ph", "M"}, {"name", "thread_sort_index"}, {"pid", 1}, {"tid", i}, {"args", {{"sort_index", i}}}});
    }
    events.push_back({{"ph", "M"}, {"name", "process_name"}, {"pid", 1}, {"args", {{"name", t.title}}}});
    for (const TimelineWindow &w : t.windows)
        events.push_back({{"ph", "X"}, {"cat", "window"}, {"name", w.holdWrites ? "hold writes" : "freeze window"},
                          {"pid", 1}, {"tid", w.holdWrites ? 0 : w.lane}, {"ts", us(w.start)}, {"dur", us(w.end) - us(w.start)},
                          {"args", {{"session", w.session}, {"ended by", w.why}}}});
    for (const TimelineBox &b : t.boxes) {
        nlohmann::ordered_json args = {{"session", b.session}, {"code", hresultText(b.code)}};
        if (b.kind != BoxKind::Requester && b.kind != BoxKind::Mistake && b.kind != BoxKind::Service) {
            args["outcome"] = b.outcome;
            args["state after"] = b.stateAfter;
            args["failure after"] = hresultText(b.failureAfter);
            args["table row"] = b.row;
        }
        if (b.failed || b.code != S_OK)
            args["explain"] = explainLine(b.code != S_OK ? b.code : b.failureAfter);
        if (!b.detail.empty())
            args["detail"] = b.detail;
        const char *cat = b.kind == BoxKind::Requester ? "requester" : b.kind == BoxKind::Mistake ? "mistake"
                        : b.kind == BoxKind::Service   ? "service"   : "writer";
        if (b.end == b.start && b.kind != BoxKind::Delivery && b.kind != BoxKind::Requester)
            events.push_back({{"ph", "i"}, {"s", "t"}, {"cat", cat}, {"name", b.label}, {"pid", 1}, {"tid", b.lane},
                              {"ts", us(b.start)}, {"args", args}});
        else
            events.push_back({{"ph", "X"}, {"cat", cat}, {"name", b.label}, {"pid", 1}, {"tid", b.lane}, {"ts", us(b.start)},
                              {"dur", us(b.end) - us(b.start)}, {"args", args}});
    }
    nlohmann::ordered_json doc;
    doc["traceEvents"] = std::move(events);
    doc["displayTimeUnit"] = "ms";
    doc["otherData"] = {{"title", t.title}, {"subtitle", t.subtitle}};
    return doc.dump(1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

} // namespace vsssim

namespace vsssim {

std::string timelineFormatFor(std::string_view path)
{
    if (path.ends_with(".svg"))
        return "svg";
    if (path.ends_with(".json"))
        return "perfetto";
    return "html";
}

std::string renderTimeline(const Timeline &timeline, std::string_view format)
{
    if (format == "svg")
        return timelineSvg(timeline);
    if (format == "perfetto")
        return timelinePerfetto(timeline);
    return timelineHtml(timeline);
}

} // namespace vsssim
