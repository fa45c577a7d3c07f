// IVssAsync over one of a session's asynchronous operations (docs/behaviour.md §14). The operation belongs
// to the session: releasing this object does not stop it, and it keeps the session alive.
#pragma once
#include "private.h"

#include <memory>

#include <vss.h>

#include "boundary/com_object.h"
#include "service/session.h"

namespace vsssim {

class Async final : public IVssAsync, public RefCounted
{
public:
    Async(std::shared_ptr<Session> session, AsyncPtr op);
    ~Async() override;

    HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void **ppvObject) noexcept override;
    ULONG STDMETHODCALLTYPE AddRef() noexcept override { return addRef(); }
    ULONG STDMETHODCALLTYPE Release() noexcept override { return release(); }

    HRESULT STDMETHODCALLTYPE Cancel() noexcept override;
    HRESULT STDMETHODCALLTYPE Wait(DWORD dwMilliseconds = INFINITE) noexcept override;
    HRESULT STDMETHODCALLTYPE QueryStatus(HRESULT *pHrResult, INT *pReserved) noexcept override;

private:
    /** \brief VSSSIM_MACHINE: write the machine once DoSnapshotSet has finished. */
    void saveMadeShadowCopies();

    std::shared_ptr<Session> session_;
    AsyncPtr op_;
    bool saved_ = false;
};

/// A new IVssAsync (reference count 1) for `op`; the caller owns it.
IVssAsync *makeAsync(std::shared_ptr<Session> session, AsyncPtr op);

} // namespace vsssim
