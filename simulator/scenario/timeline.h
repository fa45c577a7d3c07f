// The timeline of one run, built from its trace records: a lane per writer and one for the requester,
// a box per event delivery (from delivery to the handler's return) with the state after it and the
// transition-table row that applied, the freeze and hold-writes windows, and the requester's steps.
// One model, three renderings: a self-contained HTML page, an SVG picture for docs/, and Chrome's
// trace-event JSON for Perfetto. `vss-sim step` walks the same model one delivery at a time.
#pragma once
#include "private.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <vss.h>

#include "core/clock.h"
#include "core/trace.h"
#include "scenario/runner.h"

namespace vsssim {

/// A step of the requester, as the run reached it: its label, result, and where it ended (virtual
/// time, and how many trace records existed then, which orders it among same-instant records).
struct RequesterStep {
    std::string label;
    HRESULT result = S_OK;
    SimTime at{};
    std::size_t afterRecord = 0;
};

enum class BoxKind : std::uint8_t {
    Delivery,       ///< an event handed to a writer, until its handler returned
    Expiry,         ///< the writer's freeze window expired (no delivery)
    NotDelivered,   ///< the record changed without a delivery (no free session slot)
    Requester,      ///< a requester step
    Mistake,        ///< a requester mistake the service detected
    Service,        ///< a service log entry (restart, event 8194, slot reclaim)
};

struct TimelineBox {
    BoxKind kind = BoxKind::Delivery;
    std::size_t lane = 0;
    std::string label;              ///< event name, step label, mistake id
    SimTime start{}, end{};
    std::size_t startOrder = 0;     ///< trace index at start and end: the order within an instant
    std::size_t endOrder = 0;
    std::uint32_t session = 0;
    HRESULT code = S_OK;            ///< the handler's code (deliveries) or the step's result
    std::string outcome;            ///< "ok", "non-fatal", "fatal", "hang", "window", "no-slot"
    std::string stateAfter;         ///< "VSS_WS_FAILED_AT_FREEZE", "(no record)", "listed", "absent"
    HRESULT failureAfter = S_OK;    ///< the record's writer failure code afterwards
    std::string row;                ///< "F2: Freeze / fatal, hang (abort)"; "" when none applies
    std::string detail;             ///< free text: a mistake's or service entry's description
    bool failed = false;            ///< painted as a failure
};

/// A shaded span: a writer's freeze window (one lane) or the provider's hold-writes window (all lanes).
struct TimelineWindow {
    bool holdWrites = false;
    std::size_t lane = 0;
    SimTime start{}, end{};
    std::size_t startOrder = 0, endOrder = 0;
    std::uint32_t session = 0;
    std::string why;                ///< how it ended: "Thaw", "Abort", "window expired", ...
};

struct Timeline {
    std::string title;
    std::string subtitle;
    std::vector<std::string> lanes;   ///< "requester" first, then writers in order of appearance
    std::vector<TimelineBox> boxes;   ///< in trace order
    std::vector<TimelineWindow> windows;
    SimTime end{};
};

/**
 * \brief The timeline of a run from its trace. `steps` are the scripted requester's; without them the
 *        requester lane is read from the trace's own call records (a requester under test).
 */
Timeline buildTimeline(std::span<const TraceRecord> records, const std::vector<RequesterStep> &steps,
                       std::string title, std::string subtitle);

/** \brief Run the scenario and build its timeline, the built-in or scripted requester's steps on its lane. */
Timeline scenarioTimeline(const Scenario &scenario, const RunOptions &options, RunReport *report = nullptr);

/** \brief What `vss-sim explain` says of a code, in one line, for tooltips and step output. */
std::string explainLine(HRESULT code);

/** \brief One self-contained page (inline CSS and script, nothing fetched) with hover and click details. */
std::string timelineHtml(const Timeline &timeline);
/** \brief The same picture as a standalone SVG document, with <title> tooltips. */
std::string timelineSvg(const Timeline &timeline);
/** \brief "svg" for a .svg path, "perfetto" for .json, else "html": what VSSSIM_TIMELINE and -o imply. */
std::string timelineFormatFor(std::string_view path);
/** \brief The rendering `format` names (html, svg, perfetto). */
std::string renderTimeline(const Timeline &timeline, std::string_view format);
/** \brief Chrome trace-event JSON ("traceEvents"), which Perfetto and chrome://tracing open. */
std::string timelinePerfetto(const Timeline &timeline);

} // namespace vsssim
