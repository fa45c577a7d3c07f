// The teaching views: the readable state diagram, and the views of a run generated from its trace.
#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <string>

#include <fmt/format.h>

#include "core/names.h"
#include "core/writer_state.h"
#include "scenario/diagram.h"
#include "scenario/loader.h"
#include "scenario/reference_tables.h"
#include "scenario/timeline.h"

using namespace vsssim;

namespace {

Timeline timelineOf(const std::string &name)
{
    LoadResult loaded = loadScenarioFile(std::string(SCENARIOS_DIR) + "/" + name + ".toml");
    REQUIRE(loaded.scenario);
    return scenarioTimeline(*loaded.scenario, RunOptions{});
}

std::vector<const TimelineBox *> boxesOf(const Timeline &t, std::string_view lane, std::string_view label)
{
    std::vector<const TimelineBox *> found;
    for (const TimelineBox &b : t.boxes)
        if (t.lanes[b.lane] == lane && b.label == label)
            found.push_back(&b);
    return found;
}

std::string slurp(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    REQUIRE_MESSAGE(in, "cannot read " << path);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

} // namespace

TEST_SUITE("views")
{
    TEST_CASE("diagram: docs/ holds the current pictures of the transition table")
    {
        // The dot text is compared, not rendered bytes (Graphviz versions lay out differently); the
        // SVG is checked through the table digest Graphviz copies from the graph's comment.
        const std::string digest = fmt::format("transition table {:016x}", tableDigest());
        for (auto [view, name] : {std::pair{LifecycleView::Backup, "backup"}, std::pair{LifecycleView::Restore, "restore"}}) {
            const std::string base = std::string(DOCS_DIR) + "/states-" + name;
            INFO("stale picture: run `bash docs/regenerate.sh` and commit docs/ (" << base << ")");
            CHECK(slurp(base + ".dot") == formatLifecycleGraph(view));
            CHECK(slurp(base + ".svg").find("<!-- " + digest + " -->") != std::string::npos);
        }
    }

    TEST_CASE("reference: the tables docs/ shows are the tables the simulator runs")
    {
        int blocks = 0;
        for (const std::string page : {"behaviour.md", "listings.md", "api.md"}) {
            const std::string text = slurp(std::string(DOCS_DIR) + "/" + page);
            const std::string open = "<!-- reference ", close = "<!-- end -->";
            for (std::size_t at = text.find(open); at != std::string::npos; at = text.find(open, at + 1)) {
                const std::size_t nameEnd = text.find(" -->\n", at);
                REQUIRE(nameEnd != std::string::npos);
                const std::string name = text.substr(at + open.size(), nameEnd - at - open.size());
                const std::size_t body = nameEnd + 5, end = text.find(close, body);
                REQUIRE(end != std::string::npos);
                INFO("stale table in docs/" << page << ": run `bash docs/regenerate.sh` and commit docs/ (" << name << ")");
                const std::string table = referenceTable(name);
                CHECK(!table.empty());
                CHECK(text.substr(body, end - body) == table);
                ++blocks;
            }
        }
        CHECK(blocks == static_cast<int>(referenceTables().size()));   // every table is shown somewhere
    }

    TEST_CASE("diagram: the spine, the failures and the folded loops all come from the table")
    {
        const std::string dot = formatLifecycleGraph(LifecycleView::Backup);
        // The spine, bold, in order.
        for (const char *edge : {"s1 -> s2 [label=\"S1: PrepareForSnapshot / ok\"", "s2 -> s3 [label=\"F1: Freeze / ok\"",
                                 "s3 -> s4 [label=\"T1: Thaw / ok\"", "s4 -> s5 [label=\"Q1: PostSnapshot / ok\"",
                                 "s5 -> s1 [label=\"C1: BackupComplete / ok\""})
            CHECK(dot.find(edge) != std::string::npos);
        CHECK(dot.find("s2 -> s9 [label=\"F2: Freeze / fatal, hang (abort)\"") != std::string::npos);
        CHECK(dot.find("{ rank=same; s2; s9; }") != std::string::npos);
        // No edge returns to its own state: such rows are lines of the note.
        for (int s = 0; s <= VSS_WS_COUNT; ++s) {
            const std::string id = s == VSS_WS_COUNT ? "none" : fmt::format("s{}", s);
            CHECK(dot.find("  " + id + " -> " + id + " ") == std::string::npos);
        }
        CHECK(dot.find("K1: PrepareForSnapshot") != std::string::npos);
        CHECK(dot.find("absent") != std::string::npos);   // I2, I3: where FAILED_AT_IDENTIFY would be
        // Every row appears in one of the two views.
        const std::string restore = formatLifecycleGraph(LifecycleView::Restore);
        for (const Row &r : transitionTable())
            CHECK_MESSAGE((dot.find(std::string(r.id) + ": ") != std::string::npos ||
                           restore.find(std::string(r.id) + ": ") != std::string::npos), r.id);
        CHECK(restore.find("RS4: PostRestore") != std::string::npos);
        CHECK(restore.find("Freeze") == std::string::npos);
    }

    TEST_CASE("timeline: docs/ holds the current pictures of the tutorial's six runs")
    {
        // Our own SVG, so the bytes are compared: a change to the table, a scenario, the simulator or
        // the drawing shows here until `bash docs/regenerate.sh` is run and docs/ committed.
        static constexpr const char *kTutorialRuns[] = {"normal-backup", "exchange-retryable-shared-class",
                                                        "freeze-timeout", "exchange-writer-not-responding",
                                                        "third-party-provider-veto", "normal-restore"};
        const std::string tutorial = slurp(std::string(DOCS_DIR) + "/tutorial.md");
        for (const char *run : kTutorialRuns) {
            const std::string path = std::string(DOCS_DIR) + "/timeline-" + run + ".svg";
            INFO("stale picture: run `bash docs/regenerate.sh` and commit docs/ (" << path << ")");
            const bool current = slurp(path) == timelineSvg(timelineOf(run));   // not the bytes: they run to 350 kB
            CHECK(current);
            CHECK(tutorial.find(std::string("(timeline-") + run + ".svg)") != std::string::npos);
        }
    }

    TEST_CASE("timeline: a lane per writer, boxes from delivery to return, the row that applied")
    {
        const Timeline t = timelineOf("freeze-timeout");
        REQUIRE(t.lanes.size() == 17);
        CHECK(t.lanes.front() == "requester");

        // SqlServerWriter's OnFreeze takes 25 s: its box spans them, and F1 applied.
        const auto sqlFreeze = boxesOf(t, "SqlServerWriter", "Freeze");
        REQUIRE(sqlFreeze.size() == 1);
        CHECK(sqlFreeze[0]->end - sqlFreeze[0]->start == std::chrono::seconds(25));
        CHECK(sqlFreeze[0]->row == "F1: Freeze / ok");
        CHECK(sqlFreeze[0]->stateAfter == "VSS_WS_WAITING_FOR_THAW");

        // The Exchange Writer's 20 s window expires: no delivery, a failure, F4, [9] TIMEOUT.
        const auto expiry = boxesOf(t, "Microsoft Exchange Writer", "freeze window expired");
        REQUIRE(expiry.size() == 1);
        CHECK(expiry[0]->kind == BoxKind::Expiry);
        CHECK(expiry[0]->failed);
        CHECK(expiry[0]->start == std::chrono::seconds(20));
        CHECK(expiry[0]->row.starts_with("F4: "));
        CHECK(expiry[0]->stateAfter == "VSS_WS_FAILED_AT_FREEZE");
        CHECK(Hr{expiry[0]->failureAfter} == Hr{VSS_E_WRITERERROR_TIMEOUT});

        // Abort after the failed Freeze phase: A1 for the healthy, A2 (unchanged) for the failed one.
        const auto abortOk = boxesOf(t, "SqlServerWriter", "Abort");
        REQUIRE(abortOk.size() == 1);
        CHECK(abortOk[0]->row.starts_with("A1: "));
        const auto abortFailed = boxesOf(t, "Microsoft Exchange Writer", "Abort");
        REQUIRE(abortFailed.size() == 1);
        CHECK(abortFailed[0]->row.starts_with("A2: "));
        CHECK(abortFailed[0]->stateAfter == "VSS_WS_FAILED_AT_FREEZE");
        CHECK_FALSE(boxesOf(t, "SqlServerWriter", "BackupShutdown").empty());

        // Each writer's freeze window: the Exchange Writer's ends by expiry, the others' by Abort.
        std::size_t windows = 0;
        for (const TimelineWindow &w : t.windows) {
            CHECK_FALSE(w.holdWrites);   // Freeze failed: the provider never held writes
            ++windows;
            if (t.lanes[w.lane] == "Microsoft Exchange Writer")
                CHECK(w.why == "window expired");
            else
                CHECK(w.why == "Abort");
        }
        CHECK(windows == 16);

        // The requester's steps tile its lane, the failed DoSnapshotSet among them.
        const auto snap = boxesOf(t, "requester", "DoSnapshotSet");
        REQUIRE(snap.size() == 1);
        CHECK(snap[0]->failed);
        CHECK(Hr{snap[0]->code} == Hr{VSS_E_UNEXPECTED_WRITER_ERROR});
        CHECK(snap[0]->end == std::chrono::seconds(25));
        CHECK_FALSE(boxesOf(t, "requester", "AbortBackup").empty());
    }

    TEST_CASE("timeline: the hold-writes window runs from the end of Freeze to the Abort")
    {
        const Timeline t = timelineOf("hold-writes-timeout");
        std::vector<const TimelineWindow *> hold;
        for (const TimelineWindow &w : t.windows)
            if (w.holdWrites)
                hold.push_back(&w);
        REQUIRE(hold.size() == 1);
        CHECK(hold[0]->end - hold[0]->start == std::chrono::seconds(10));
        CHECK(hold[0]->why == "Abort");
        const std::string svg = timelineSvg(t);
        CHECK(svg.find("class=\"window hold\"") != std::string::npos);
        CHECK(timelinePerfetto(t).find("\"hold writes\"") != std::string::npos);
        CHECK(timelineHtml(t).find("VSS_E_HOLD_WRITES_TIMEOUT") != std::string::npos);
    }

    TEST_CASE("timeline: a requester under test, read from its call records")
    {
        Trace trace;
        TraceRecord call{SimTime{0}, TraceKind::Call, "requester", "IVssBackupComponents::InitializeForBackup"};
        trace.add(call);
        TraceRecord deliver{std::chrono::seconds(1), TraceKind::Deliver, "System Writer", "Identify"};
        deliver.input = Input::Identify;
        deliver.session = 1;
        trace.add(deliver);
        TraceRecord ret{std::chrono::seconds(2), TraceKind::Return, "System Writer", "Identify"};
        ret.input = Input::Identify;
        ret.session = 1;
        ret.detail = "true";
        trace.add(ret);
        TraceRecord wait{std::chrono::seconds(2), TraceKind::Call, "requester", "IVssAsync::Wait"};
        trace.add(wait);
        const Timeline t = buildTimeline(trace.records(), {}, "t", "");
        REQUIRE(t.lanes.size() == 2);
        const auto waited = boxesOf(t, "requester", "Wait");
        REQUIRE(waited.size() == 1);
        CHECK(waited[0]->start == std::chrono::seconds(0));
        CHECK(waited[0]->end == std::chrono::seconds(2));
        const auto identify = boxesOf(t, "System Writer", "Identify");
        REQUIRE(identify.size() == 1);
        CHECK(identify[0]->row.starts_with("I1: "));
        CHECK(identify[0]->stateAfter == "listed");
    }
}
