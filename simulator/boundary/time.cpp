// Sleep and GetTickCount from <windows.h>, made aware of virtual time (R14): inside a writer's
// handler Sleep is the handler taking that long; on a requester thread of a virtual-time
// simulation it moves the simulation forward; elsewhere it is a real sleep.
#include <windows.h>

#include "boundary/com_object.h"
#include "core/clock.h"
#include "service/service.h"
#include "service/session.h"

namespace {

// Windows counts from boot; a machine that has been up an hour looks more real than zero.
constexpr std::uint64_t kUptimeAtStartMs = 3'600'000;

std::uint64_t virtualMilliseconds(vsssim::SimTime t)
{
    return kUptimeAtStartMs + static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(t).count());
}

} // namespace

extern "C" void Sleep(DWORD dwMilliseconds)
{
    using namespace vsssim;
    const auto d = std::chrono::milliseconds(dwMilliseconds);
    if (EventCall *call = currentEventCall()) {
        call->took = saturatingAdd(call->took, d);
        return;
    }
    if (currentThreadAttached()) {
        auto service = Service::current();
        if (service->isVirtual()) {
            auto lock = service->lock();
            service->advance(d);
            return;
        }
    }
    realSleep(d);
}

extern "C" ULONGLONG GetTickCount64(void)
{
    using namespace vsssim;
    if (EventCall *call = currentEventCall(); call && call->session)
        return virtualMilliseconds(saturatingAdd(call->session->service().now(), call->took));
    if (currentThreadAttached()) {
        auto service = Service::current();
        if (service->isVirtual())
            return virtualMilliseconds(service->now());
    }
    return realMonotonicMilliseconds();
}

extern "C" DWORD GetTickCount(void)
{
    return static_cast<DWORD>(GetTickCount64());
}
