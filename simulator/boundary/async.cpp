#include "boundary/async.h"

#include <optional>

#include "service/machine.h"
#include "service/service.h"

namespace vsssim {

Async::Async(std::shared_ptr<Session> session, AsyncPtr op)
    : RefCounted(ComKind::Async), session_(std::move(session)), op_(std::move(op))
{
}

Async::~Async()
{
    // The last reference to the session may go with this object, and a session unregisters itself
    // from the service: that must not race a requester thread driving the simulation.
    try {
        std::shared_ptr<Service> service = session_->service().shared_from_this();
        auto lock = service->lock();
        op_.reset();
        session_.reset();
    } catch (...) {
    }
}

HRESULT Async::QueryInterface(REFIID riid, void **ppvObject) noexcept
{
    if (!ppvObject)
        return E_POINTER;
    if (riid == IID_IUnknown || riid == IID_IVssAsync) {
        *ppvObject = static_cast<IVssAsync *>(this);
        addRef();
        return S_OK;
    }
    *ppvObject = nullptr;
    return E_NOINTERFACE;
}

HRESULT Async::Cancel() noexcept
{
    return guarded("IVssAsync::Cancel", [&]() -> HRESULT {
        attachCurrentThread();
        Service &service = session_->service();
        auto lock = service.lock();
        if (HRESULT hr = service.injectedFault("IVssAsync::Cancel", false); hr != S_OK)
            return hr;
        return session_->cancel(*op_);
    });
}

HRESULT Async::Wait(DWORD dwMilliseconds) noexcept
{
    return guarded("IVssAsync::Wait", [&]() -> HRESULT {
        attachCurrentThread();
        Service &service = session_->service();
        auto lock = service.lock();
        if (HRESULT hr = service.injectedFault("IVssAsync::Wait", false); hr != S_OK)
            return hr;
        const std::optional<SimDuration> limit =
            dwMilliseconds == INFINITE ? std::nullopt : std::optional<SimDuration>(ms(dwMilliseconds));
        const HRESULT hr = session_->wait(*op_, limit);
        saveMadeShadowCopies();
        return hr;
    });
}

HRESULT Async::QueryStatus(HRESULT *pHrResult, INT *pReserved) noexcept
{
    (void)pReserved;  // documented as reserved; ignored like Windows does
    return guarded("IVssAsync::QueryStatus", [&]() -> HRESULT {
        if (!pHrResult)
            return E_INVALIDARG;
        attachCurrentThread();
        Service &service = session_->service();
        auto lock = service.lock();
        if (HRESULT hr = service.injectedFault("IVssAsync::QueryStatus", false); hr != S_OK)
            return hr;
        *pHrResult = session_->queryStatus(*op_);
        saveMadeShadowCopies();
        return S_OK;
    });
}

void Async::saveMadeShadowCopies()
{
    // A persistent shadow copy outlives a requester killed right after DoSnapshotSet, as on Windows.
    if (op_->done() && op_->name == "DoSnapshotSet" && !saved_) {
        saved_ = true;
        saveMachine(session_->service());
    }
}

IVssAsync *makeAsync(std::shared_ptr<Session> session, AsyncPtr op)
{
    return new Async(std::move(session), std::move(op));
}

} // namespace vsssim
