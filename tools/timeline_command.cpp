// `vss-sim timeline`: run a scenario and draw it. The page, the SVG and the Perfetto file are three
// renderings of one model, built from the run's trace records (simulator/scenario/timeline.*).
#include "timeline_command.h"

#include <fstream>
#include <iostream>

namespace vsssim {

void setupTimelineCommand(CLI::App &c, TimelineOptions &o)
{
    c.add_option("FILE", o.run.file, "scenario file (.toml)")->required();
    c.add_option("--seed", o.run.seed, "N, 0xHEX or a 40-hex git SHA; default VSSSIM_SEED, else the scenario's seed");
    c.add_option("-o,--output", o.output, "where to write it; - for stdout (the default)");
    c.add_option("--format", o.format,
                 "html (one self-contained page: hover or click a box for its table row and code), svg (for docs), "
                 "perfetto (Chrome trace-event JSON); default: from the output's extension, else html")
        ->check(CLI::IsMember({"html", "svg", "perfetto"}));
    c.footer("A program under test gets the same page at its exit with VSSSIM_TIMELINE=run.html (or .svg, .json).");
}

int runTimelineCommand(const TimelineOptions &o)
{
    const RunView view = runView(o.run, "timeline");
    if (!view.timeline)
        return view.exitCode;
    const std::string format = !o.format.empty() ? o.format : timelineFormatFor(o.output);
    const std::string text = renderTimeline(*view.timeline, format);
    if (o.output == "-") {
        std::cout << text;
        return 0;
    }
    std::ofstream out(o.output, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) {
        std::cerr << "vss-sim timeline: cannot write " << o.output << '\n';
        return 2;
    }
    return 0;
}

} // namespace vsssim
