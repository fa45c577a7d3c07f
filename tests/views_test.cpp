// The teaching views: the readable state diagram, and the views of a run generated from its trace.
#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <string>

#include <fmt/format.h>

#include "core/writer_state.h"
#include "scenario/diagram.h"

using namespace vsssim;

namespace {

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
}
