// `vss-sim step`: walks the timeline of a run (simulator/scenario/timeline.h) one writer event at a
// time, in the order their outcomes took effect, like a debugger over the trace. The run itself is
// over before the first prompt: one seed gives one run, so stepping its record is stepping the run.
#include "step_command.h"

#include <algorithm>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include <unistd.h>

#include <fmt/format.h>

#include "core/names.h"
#include "scenario/spelling.h"

namespace vsssim {
namespace {

constexpr std::string_view kHelp = "n next, c continue, b WRITER|EVENT break there, q quit";

struct WriterView {
    std::string state = "(no record)";
    HRESULT code = S_OK;
    std::uint32_t session = 0;
};

class Stepper
{
public:
    explicit Stepper(const Timeline &t) : t_(t), interactive_(isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
    {
        for (const TimelineBox &b : t.boxes)
            if (b.kind == BoxKind::Delivery || b.kind == BoxKind::Expiry || b.kind == BoxKind::NotDelivered)
                steps_.push_back(&b);
        // In the order their outcomes took effect: the state column then reads as the service saw it.
        std::stable_sort(steps_.begin(), steps_.end(),
                         [](const TimelineBox *x, const TimelineBox *y) { return x->endOrder < y->endOrder; });
        for (std::size_t i = 1; i < t.lanes.size(); ++i)
            if (t.lanes[i] != "service")
                writers_.emplace_back(t.lanes[i], WriterView{});
        for (const TimelineBox *b : steps_) {
            events_.insert(b->label);
            if (b->kind == BoxKind::Expiry)
                events_.insert("FreezeWindowExpired");   // the table's name for it
        }
    }

    int run()
    {
        std::cout << fmt::format("{}: {} writer events; {}\n", t_.title, steps_.size(), kHelp);
        if (!command())
            return 0;
        for (std::size_t i = 0; i < steps_.size(); ++i) {
            const TimelineBox &b = *steps_[i];
            apply(b);
            const bool hit = breaks_.count(t_.lanes[b.lane]) || breaks_.count(b.label) ||
                             (b.kind == BoxKind::Expiry && breaks_.count("FreezeWindowExpired"));
            if (!stopping_ && !hit) {
                std::cout << line(i) << '\n';
                continue;
            }
            if (hit && !stopping_)
                std::cout << fmt::format("break at {}\n", breaks_.count(t_.lanes[b.lane]) ? t_.lanes[b.lane] : b.label);
            std::cout << (interactive_ ? block(i) : line(i) + "\n" + table(b)) << std::flush;
            if (!command())
                return 0;
        }
        std::cout << fmt::format("end of run at {}: {} writer events\n", formatSimTime(t_.end), steps_.size());
        return 0;
    }

private:
    void apply(const TimelineBox &b)
    {
        auto it = std::find_if(writers_.begin(), writers_.end(), [&](const auto &w) { return w.first == t_.lanes[b.lane]; });
        if (it == writers_.end())
            return;
        WriterView &w = it->second;
        w.state = b.stateAfter;
        w.code = b.failureAfter;
        w.session = b.session;
    }

    /// Reads commands until one moves on: false to quit. End of input continues to the end, so a
    /// plain pipe prints one line per step.
    bool command()
    {
        if (eof_) {
            stopping_ = false;
            return true;
        }
        for (;;) {
            if (interactive_)
                std::cout << "(step) " << std::flush;
            std::string text;
            if (!std::getline(std::cin, text)) {
                eof_ = true;
                stopping_ = false;
                if (interactive_)
                    std::cout << '\n';
                return true;
            }
            const std::size_t start = text.find_first_not_of(" \t");
            const std::string word = start == std::string::npos ? "" : text.substr(start, text.find_first_of(" \t", start) - start);
            std::string arg = start == std::string::npos ? "" : text.substr(std::min(text.size(), start + word.size()));
            arg.erase(0, arg.find_first_not_of(" \t"));
            arg.erase(arg.find_last_not_of(" \t\r") + 1);
            if (word.empty() || word == "n" || word == "next") {
                stopping_ = true;
                return true;
            }
            if (word == "c" || word == "continue") {
                stopping_ = false;
                return true;
            }
            if (word == "q" || word == "quit")
                return false;
            if (word == "b" || word == "break") {
                addBreak(arg);
                continue;
            }
            std::cout << fmt::format("unknown command '{}': {}\n", word, kHelp);
        }
    }

    void addBreak(const std::string &what)
    {
        std::vector<std::string_view> names;
        for (const auto &[name, view] : writers_)
            names.push_back(name);
        for (const std::string &e : events_)
            names.push_back(e);
        if (std::find(names.begin(), names.end(), what) == names.end()) {
            const auto closest = closestName(what, names, 3);
            std::cout << fmt::format("no writer or event '{}' in this run{}\n", what,
                                     closest ? fmt::format(" (did you mean '{}'?)", *closest) : std::string());
            return;
        }
        breaks_.insert(what);
        std::cout << fmt::format("break at every {} event\n", what);
    }

    std::string requesterAt(const TimelineBox &b) const
    {
        for (const TimelineBox &r : t_.boxes)
            if (r.kind == BoxKind::Requester && r.startOrder < b.endOrder && b.endOrder <= r.endOrder)
                return r.label;
        return "(between steps)";
    }

    std::string handlerText(const TimelineBox &b) const
    {
        if (b.kind == BoxKind::Expiry)
            return "no delivery: the freeze window expired before Thaw";
        if (b.kind == BoxKind::NotDelivered)
            return "not delivered: the writer had no free session slot";
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(b.end - b.start).count();
        return fmt::format("{} after {}.{:03}s, code {}", b.outcome, ms / 1000, ms % 1000, hresultText(b.code));
    }

    std::string line(std::size_t i) const
    {
        const TimelineBox &b = *steps_[i];
        return fmt::format("{} #{} {} {}: {}; {}; -> {} {}", formatSimTime(b.end), i + 1, t_.lanes[b.lane], b.label,
                           handlerText(b), b.row.empty() ? "no row: nothing changes" : "row " + b.row, b.stateAfter,
                           hresultText(b.failureAfter));
    }

    std::string table(const TimelineBox &current) const
    {
        std::size_t width = 0;
        for (const auto &[name, view] : writers_)
            width = std::max(width, name.size());
        std::string out;
        for (const auto &[name, view] : writers_)
            out += fmt::format("  {} {:<{}}  {:<36} {}{}\n", name == t_.lanes[current.lane] ? '>' : ' ', name, width,
                               view.state, hresultText(view.code), view.session ? fmt::format("  (session {})", view.session) : "");
        return out;
    }

    std::string block(std::size_t i) const
    {
        const TimelineBox &b = *steps_[i];
        std::string out = fmt::format("[{}/{}] {}  {} -> {}  (session {}, requester in {})\n", i + 1, steps_.size(),
                                      formatSimTime(b.end), b.label, t_.lanes[b.lane], b.session, requesterAt(b));
        out += fmt::format("  handler: {}\n  row:     {}\n  after:   {} {}\n", handlerText(b),
                           b.row.empty() ? "none: the event changes nothing here" : b.row, b.stateAfter,
                           hresultText(b.failureAfter));
        if (b.failureAfter != S_OK)
            out += "  explain: " + explainLine(b.failureAfter) + "\n";
        return out + table(b);
    }

    const Timeline &t_;
    bool interactive_;
    bool stopping_ = true;
    bool eof_ = false;
    std::vector<const TimelineBox *> steps_;
    std::vector<std::pair<std::string, WriterView>> writers_;   ///< in lane order, as the timeline draws them
    std::set<std::string, std::less<>> events_;
    std::set<std::string, std::less<>> breaks_;
};

} // namespace

void setupStepCommand(CLI::App &c, StepOptions &o)
{
    c.add_option("FILE", o.run.file, "scenario file (.toml)")->required();
    c.add_option("--seed", o.run.seed, "N, 0xHEX or a 40-hex git SHA; default VSSSIM_SEED, else the scenario's seed");
    c.footer("Commands on stdin: n (or Enter) next, c continue, b WRITER|EVENT break at it, q quit. On a pipe the\n"
             "prompt is left out and each step prints as one line; the end of the input continues to the end.");
}

int runStepCommand(const StepOptions &o)
{
    const RunView view = runView(o.run, "step");
    if (!view.timeline)
        return view.exitCode;
    return Stepper(*view.timeline).run();
}

} // namespace vsssim
