#include "core/trace.h"

#include <fmt/format.h>

#include "core/names.h"

namespace vsssim {

std::string_view traceKindName(TraceKind k) noexcept
{
    static constexpr std::string_view kNames[] = {"deliver", "return", "state", "call", "async", "mistake", "service"};
    return kNames[static_cast<int>(k)];
}

std::string formatSimTime(SimTime t)
{
    const auto msTotal = std::chrono::duration_cast<std::chrono::milliseconds>(t).count();
    return fmt::format("T+{}.{:03}s", msTotal / 1000, msTotal % 1000);
}

namespace {

std::string hrText(HRESULT hr)
{
    if (auto name = hresultName(hr))
        return std::string(*name);
    return fmt::format("0x{:08x}", static_cast<std::uint32_t>(hr));
}

std::string goldenLine(const TraceRecord &r)
{
    switch (r.kind) {
    case TraceKind::State:
        return fmt::format("{} {} {} {} -> {} {}", formatSimTime(r.at), r.actor, r.what,
                           r.fromNoRecord ? std::string_view("(no record)") : writerStateName(r.from),
                           writerStateName(r.to), hrText(r.hr));
    case TraceKind::Async:
        return fmt::format("{} session {} {} -> {}", formatSimTime(r.at), r.session, r.what, hrText(r.hr));
    case TraceKind::Mistake:
        return fmt::format("{} mistake {}", formatSimTime(r.at), r.detail);
    case TraceKind::Service:
        return fmt::format("{} service {} {}", formatSimTime(r.at), r.what, r.detail);
    default:
        return {};
    }
}

void jsonString(std::string &out, std::string_view s)
{
    out += '"';
    for (char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20)
                out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
            else
                out += c;
        }
    }
    out += '"';
}

} // namespace

std::string Trace::golden() const
{
    std::string out;
    for (const TraceRecord &r : records_) {
        std::string line = goldenLine(r);
        if (!line.empty()) {
            out += line;
            out += '\n';
        }
    }
    return out;
}

std::string Trace::jsonLines() const
{
    std::string out;
    for (const TraceRecord &r : records_) {
        out += fmt::format("{{\"t_ns\":{},\"kind\":\"{}\",\"actor\":", r.at.count(), traceKindName(r.kind));
        jsonString(out, r.actor);
        out += ",\"what\":";
        jsonString(out, r.what);
        if (r.session)
            out += fmt::format(",\"session\":{}", r.session);
        if (r.kind == TraceKind::State)
            out += fmt::format(",\"from\":\"{}\",\"to\":\"{}\"",
                               r.fromNoRecord ? std::string_view("none") : writerStateName(r.from), writerStateName(r.to));
        if (r.kind != TraceKind::Deliver)
            out += fmt::format(",\"hr\":\"{}\"", hrText(r.hr));
        if (!r.detail.empty()) {
            out += ",\"detail\":";
            jsonString(out, r.detail);
        }
        out += "}\n";
    }
    return out;
}

std::uint64_t Trace::hash() const
{
    std::uint64_t h = 0xcbf29ce484222325ULL;
    auto mix = [&h](std::string_view s) {
        for (unsigned char c : s) {
            h ^= c;
            h *= 0x100000001b3ULL;
        }
    };
    mix(jsonLines());
    return h;
}

} // namespace vsssim
