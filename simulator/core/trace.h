// Structured trace: every event delivery, handler result, state change, requester call and async
// result, stamped with virtual time. It is the basis of golden traces, `--trace` JSON lines and the
// user's debugging. Records hold views into stable strings (writer names live as long as the
// service), so a record costs no allocation of its own.
#pragma once
#include "private.h"

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <vss.h>

#include "core/clock.h"
#include "core/writer_state.h"

namespace vsssim {

enum class TraceKind : std::uint8_t {
    Deliver,   ///< an event handed to a writer's handler
    Return,    ///< the handler's result took effect (value, code set)
    State,     ///< a session record changed state or failure code
    Call,      ///< a requester call and its synchronous HRESULT
    Async,     ///< an asynchronous operation ended
    Mistake,   ///< a requester mistake detected (docs/behaviour.md §19, M1..M17)
    Service,   ///< service log entries (event 12289 slot reclaim, 8194, restarts)
};
std::string_view traceKindName(TraceKind) noexcept;

struct TraceRecord {
    TraceRecord(SimTime t, TraceKind k, std::string_view who, std::string_view name)
        : at(t), kind(k), actor(who), what(name) {}

    SimTime at;
    TraceKind kind;
    std::string_view actor;      ///< writer name, or "requester"/"service"
    std::string_view what;       ///< event or method name
    Input input = Input::Identify;
    VSS_WRITER_STATE from = VSS_WS_UNKNOWN;
    VSS_WRITER_STATE to = VSS_WS_UNKNOWN;
    bool fromNoRecord = false;
    HRESULT hr = 0;
    std::uint32_t session = 0;   ///< 1-based session number in creation order, 0 for none
    std::string detail;          ///< free text for mistakes and service entries (rare)
};

/// Where a trace is streamed as it happens (VSSSIM_TRACE): one JSON line a record.
using TraceSink = std::shared_ptr<std::FILE>;

/// The trace serves only whoever reads it: records stay in memory only while `keepRecords` is on (a
/// golden comparison, an expectation about events, a test), are written to a sink as they happen,
/// and are always folded into a running hash, so a process that nobody traces keeps nothing.
class Trace
{
public:
    void add(TraceRecord r);
    /** \brief Keep records in memory for records(), golden() and jsonLines(); off drops the kept ones. */
    void keepRecords(bool keep);
    bool keepsRecords() const noexcept { return keep_; }
    /** \brief Write every record from now on to `sink` as a JSON line (nullptr: stop). */
    /** \brief Stream every record to `sink` from now on; the records kept so far go first. */
    void streamTo(TraceSink sink);
    const std::vector<TraceRecord> &records() const noexcept { return records_; }
    void clear();

    /** \brief One line per state change, async result, mistake and service entry: the golden form. */
    std::string golden() const;
    /** \brief Every kept record as one JSON object per line. */
    std::string jsonLines() const;
    /** \brief A running hash of every record's fields since the start or clear(), kept or not: two
     *  runs with one seed must agree. */
    std::uint64_t hash() const noexcept { return hash_; }

private:
    std::vector<TraceRecord> records_;
    bool keep_ = true;
    TraceSink sink_;
    std::uint64_t hash_ = kHashBasis;
    static constexpr std::uint64_t kHashBasis = 0xcbf29ce484222325ULL;
};

/// One record as the JSON line jsonLines() and a sink write, newline included.
void appendJsonLine(std::string &out, const TraceRecord &r);

/// "T+62.000s": simulated seconds with millisecond precision, never a date.
std::string formatSimTime(SimTime t);

} // namespace vsssim
