#include "core/log.h"

#include <cstdlib>
#include <string_view>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>

#include "core/trace.h"

namespace vsssim {

namespace {

class SimTimeFlag final : public spdlog::custom_flag_formatter
{
public:
    explicit SimTimeFlag(const Clock *clock) : clock_(clock) {}
    void format(const spdlog::details::log_msg &, const std::tm &, spdlog::memory_buf_t &dest) override
    {
        const std::string t = clock_ ? formatSimTime(clock_->now()) : std::string("T+?");
        dest.append(t.data(), t.data() + t.size());
    }
    std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<SimTimeFlag>(clock_); }

private:
    const Clock *clock_;
};

spdlog::level::level_enum levelFor(const std::string &name)
{
    // SPDLOG_LEVEL=warn,writer=debug: a bare level for all, name=level for one logger.
    const char *env = std::getenv("SPDLOG_LEVEL");
    spdlog::level::level_enum level = spdlog::level::warn;
    if (!env)
        return level;
    std::string_view spec(env);
    while (!spec.empty()) {
        const std::size_t comma = spec.find(',');
        std::string_view item = spec.substr(0, comma);
        const std::size_t eq = item.find('=');
        if (eq == std::string_view::npos)
            level = spdlog::level::from_str(std::string(item));
        else if (item.substr(0, eq) == name)
            return spdlog::level::from_str(std::string(item.substr(eq + 1)));
        spec = comma == std::string_view::npos ? std::string_view() : spec.substr(comma + 1);
    }
    return level;
}

} // namespace

std::shared_ptr<spdlog::logger> makeLogger(const std::string &name, const Clock *clock)
{
    // A sink of its own: set_formatter sets the sink's, and a shared one would stamp every logger with the
    // clock of the newest service, freed while another (or a parallel `vss-sim run` thread) still logs.
    // The _mt console sinks share one console mutex, so lines do not interleave.
    auto log = std::make_shared<spdlog::logger>(name, std::make_shared<spdlog::sinks::stderr_sink_mt>());
    auto formatter = std::make_unique<spdlog::pattern_formatter>();
    formatter->add_flag<SimTimeFlag>('*', clock).set_pattern("[%*] [%n] [%l] %v");
    log->set_formatter(std::move(formatter));
    log->set_level(levelFor(name));
    return log;
}

} // namespace vsssim
