#include "core/trace.h"

#include <cstring>

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

void appendJsonLine(std::string &out, const TraceRecord &r)
{
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

namespace {

// FNV-1a's step on 64-bit words rather than bytes: the hash only has to tell runs apart, and a
// record is folded in at the cost of a few multiplications instead of one per byte.
constexpr std::uint64_t kPrime = 0x100000001b3ULL;

void mixWord(std::uint64_t &h, std::uint64_t v) noexcept
{
    h = (h ^ v) * kPrime;
    h ^= h >> 29;
}

void mixText(std::uint64_t &h, std::string_view s) noexcept
{
    mixWord(h, s.size());
    std::size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
        std::uint64_t w = 0;
        std::memcpy(&w, s.data() + i, 8);
        mixWord(h, w);
    }
    if (i < s.size()) {
        std::uint64_t w = 0;
        std::memcpy(&w, s.data() + i, s.size() - i);
        mixWord(h, w);
    }
}

} // namespace

void Trace::add(TraceRecord r)
{
    mixWord(hash_, static_cast<std::uint64_t>(r.at.count()));
    mixWord(hash_, static_cast<std::uint64_t>(r.kind) | static_cast<std::uint64_t>(r.input) << 8 |
                       static_cast<std::uint64_t>(r.fromNoRecord) << 16 | static_cast<std::uint64_t>(r.session) << 32);
    mixWord(hash_, static_cast<std::uint64_t>(static_cast<std::uint32_t>(r.from)) |
                       static_cast<std::uint64_t>(static_cast<std::uint32_t>(r.to)) << 32);
    mixWord(hash_, static_cast<std::uint32_t>(r.hr));
    mixText(hash_, r.actor);
    mixText(hash_, r.what);
    mixText(hash_, r.detail);
    if (sink_) {
        std::string line;
        appendJsonLine(line, r);
        std::fwrite(line.data(), 1, line.size(), sink_.get());
    }
    if (keep_)
        records_.push_back(std::move(r));
}

void Trace::streamTo(TraceSink sink)
{
    // What a scenario's set-up recorded (a restart at t = 0, background activity) belongs to the run.
    if (sink)
        for (const TraceRecord &r : records_) {
            std::string line;
            appendJsonLine(line, r);
            std::fwrite(line.data(), 1, line.size(), sink.get());
        }
    sink_ = std::move(sink);
}

void Trace::keepRecords(bool keep)
{
    keep_ = keep;
    if (!keep)
        std::vector<TraceRecord>().swap(records_);
}

void Trace::clear()
{
    records_.clear();
    hash_ = kHashBasis;
}

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
    for (const TraceRecord &r : records_)
        appendJsonLine(out, r);
    return out;
}

} // namespace vsssim
