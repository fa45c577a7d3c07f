// Structured trace: every event delivery, handler result, state change, requester call and async
// result, stamped with virtual time. It is the basis of golden traces, `--trace` JSON lines and the
// user's debugging. Records hold views into stable strings, so appending one does not allocate
// beyond the vector's amortised growth.
#pragma once
#include "private.h"

#include <cstdint>
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
    Mistake,   ///< a requester mistake detected (field-scenarios.md M1..M17)
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

class Trace
{
public:
    void add(TraceRecord r) { records_.push_back(std::move(r)); }
    const std::vector<TraceRecord> &records() const noexcept { return records_; }
    void clear() { records_.clear(); }

    /** \brief One line per state change, async result, mistake and service entry: the golden form. */
    std::string golden() const;
    /** \brief Every record as one JSON object per line. */
    std::string jsonLines() const;
    /** \brief FNV-1a of the golden form plus deliveries: two runs with one seed must agree. */
    std::uint64_t hash() const;

private:
    std::vector<TraceRecord> records_;
};

/// "T+62.000s": simulated seconds with millisecond precision, never a date.
std::string formatSimTime(SimTime t);

} // namespace vsssim
