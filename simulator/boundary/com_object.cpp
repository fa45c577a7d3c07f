#include "boundary/com_object.h"

#include <mutex>
#include <set>
#include <string>

#include <vsssim/vsssim.h>

#include "core/log.h"

namespace vsssim {

namespace {
// Static TLS: every requester call sets it, and the default model costs a call into ld.so each time.
__attribute__((tls_model("initial-exec"))) thread_local bool tAttached = false;

spdlog::logger &apiLog()
{
    static std::shared_ptr<spdlog::logger> log = makeLogger("api");
    return *log;
}
} // namespace

std::atomic<long> &liveObjectCounter() noexcept
{
    static std::atomic<long> counter{0};
    return counter;
}

std::atomic<long> &liveObjectCounter(ComKind kind) noexcept
{
    static std::atomic<long> counters[3]{};
    return counters[static_cast<int>(kind)];
}

std::size_t liveObjectCount() noexcept
{
    return static_cast<std::size_t>(liveObjectCounter().load());
}

void reportInternalError(const char *method, const char *what) noexcept
{
    try {
        apiLog().error("{}: internal error: {}", method, what);
    } catch (...) {
    }
}

HRESULT notImplemented(const char *method) noexcept
{
    try {
        static std::mutex mutex;
        static std::set<std::string> logged;
        std::lock_guard lock(mutex);
        if (logged.insert(method).second)
            apiLog().warn("{} is outside vss-sim's scope: E_NOTIMPL", method);
    } catch (...) {
    }
    return E_NOTIMPL;
}

void attachCurrentThread() noexcept { tAttached = true; }
bool currentThreadAttached() noexcept { return tAttached; }

} // namespace vsssim
