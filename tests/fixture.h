// Drives the simulated service through its internal session API, the way the requester object does,
// so service tests read like the backup sequence of docs/behaviour.md §2.
#pragma once

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <string_view>

#include "core/names.h"
#include "service/service.h"
#include "service/session.h"

namespace vsssim::test {

inline std::shared_ptr<Service> makeService(std::string profile = "win-client", std::uint64_t seed = 42,
                                            void (*tweak)(ServiceOptions &) = nullptr)
{
    ServiceOptions o;
    o.seed = seed;
    o.profiles = {std::move(profile)};
    if (tweak)
        tweak(o);
    auto svc = std::make_shared<Service>(std::move(o));
    Service::install(svc);
    return svc;
}

inline WriterEntry &writer(Service &svc, std::string_view name)
{
    for (const auto &w : svc.writers().all())
        if (w->identity.name == name && !w->vanished)
            return *w;
    FAIL("no writer named ", std::string(name));
    throw std::logic_error("unreachable");
}

inline EventFault fault(Input event, HRESULT hr, bool veto = true)
{
    EventFault f;
    f.event = event;
    f.fail = true;
    f.veto = veto;
    f.hrWriter = hr;
    return f;
}

inline EventFault delay(Input event, SimDuration d)
{
    EventFault f;
    f.event = event;
    f.delay = d;
    return f;
}

/// One requester object's sequence; every step waits for its async like Wait(INFINITE).
class Requester
{
public:
    explicit Requester(std::shared_ptr<Service> svc) : svc_(std::move(svc)), s(std::make_shared<Session>(svc_)) {}
    ~Requester() { s->release(); }

    /** \brief The synchronous result, or the async result after waiting for it. */
    HRESULT run(Result<AsyncPtr> r)
    {
        if (!r)
            return r.hr();
        last = *r;
        s->wait(*last, std::nullopt);
        return last->result;
    }

    HRESULT backupUpToPrepare(bool selectAll = true, std::initializer_list<const wchar_t *> volumes = {L"C:\\"})
    {
        if (auto r = s->initializeForBackup(); !r)
            return r.hr();
        if (auto r = s->setBackupState(true, false, VSS_BT_FULL, false); !r)
            return r.hr();
        if (HRESULT hr = run(s->gatherWriterMetadata()); hr != VSS_S_ASYNC_FINISHED)
            return hr;
        if (selectAll)
            selectEverything();
        if (auto r = s->startSnapshotSet(); !r)
            return r.hr();
        for (const wchar_t *v : volumes)
            if (auto r = s->addToSnapshotSet(v, GUID_NULL); !r)
                return r.hr();
        return run(s->prepareForBackup());
    }

    void selectEverything()
    {
        for (UINT i = 0; i < *s->writerMetadataCount(); ++i) {
            const ListedWriter *l = *s->writerMetadata(i);
            for (const ComponentDecl &c : l->metadata.components)
                REQUIRE(s->addComponent(l->identity.instanceId, l->identity.classId, c.type, c.logicalPath, c.name));
        }
    }

    HRESULT snapshot() { return run(s->doSnapshotSet()); }
    HRESULT complete() { return run(s->backupComplete()); }
    HRESULT gather() { return run(s->gatherWriterStatus()); }

    /** \brief The held status entry of a writer, by name (after gather()). */
    const StatusEntry &status(std::string_view name)
    {
        const std::wstring wide(name.begin(), name.end());
        for (UINT i = 0; i < *s->writerStatusCount(); ++i)
            if ((*s->writerStatus(i))->name == wide)
                return **s->writerStatus(i);
        FAIL("no status entry for ", std::string(name));
        throw std::logic_error("unreachable");
    }

    std::shared_ptr<Service> svc_;
    std::shared_ptr<Session> s;
    AsyncPtr last;
};

} // namespace vsssim::test
