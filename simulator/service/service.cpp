#include "service/service.h"

#include <algorithm>
#include <array>
#include <cstdlib>

#include <fmt/format.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "core/alloc_failure.h"
#include "core/guid.h"
#include "core/log.h"
#include "core/names.h"
#include "platform/platform.h"
#include "service/machine.h"
#include "service/session.h"

namespace vsssim {

namespace {

std::mutex gCurrentMutex;
std::shared_ptr<Service> gCurrent;

std::string narrow(std::wstring_view w)
{
    std::string s;
    s.reserve(w.size());
    for (wchar_t c : w)
        s += c < 0x80 ? static_cast<char>(c) : '?';
    return s;
}

class ScriptedHandler final : public WriterHandler
{
public:
    explicit ScriptedHandler(WriterMetadata metadata)
        : metadata_(std::make_shared<const WriterMetadata>(std::move(metadata))) {}
    // A scripted writer's own code always succeeds; what it does wrong comes from its WriterFaults,
    // which the service applies to every writer alike.
    void handle(EventCall &call) noexcept override
    {
        if (call.event == Input::Identify)
            call.declared = metadata_;
    }

private:
    std::shared_ptr<const WriterMetadata> metadata_;   ///< the same declaration every time: shared
};

} // namespace

Service::Service(ServiceOptions options)
    : options_(std::move(options)),
      clock_(options_.realTime ? makeRealClock(options_.timeScale, options_.wallClockLimit) : std::make_unique<VirtualClock>()),
      scheduler_(*clock_),
      rng_(options_.seed),
      log_(makeLogger("service", clock_.get()))
{
    trace_.keepRecords(options_.keepTrace);
    if (options_.settings.failAllocation > 0)
        failAllocationAt(static_cast<std::uint64_t>(options_.settings.failAllocation));
    else if (options_.settings.failAllocationProbability > 0)
        failAllocationWithProbability(options_.settings.failAllocationProbability, options_.seed);
    // Volume GUID names come from the seed too, so a run is reproducible from the seed alone.
    for (const wchar_t *letter : {L"C:\\", L"D:\\", L"E:\\"}) {
        Volume v;
        v.name = letter;
        const GUID g = rng_.guid();
        const std::string text = formatGuid(g);
        v.guidPath = L"\\\\?\\Volume" + std::wstring(text.begin(), text.end()) + L"\\";
        volumes_.push_back(std::move(v));
    }
    for (const std::string &profile : options_.profiles)
        for (const ProfileWriter &p : profileWriters(profile, *options_.settings.os))
            addScriptedWriter(profileIdentity(p), p.pinnedInstance.has_value(), {}, profileMetadata(p));
}

Service::~Service() = default;

WriterIdentity profileIdentity(const ProfileWriter &p)
{
    WriterIdentity id;
    id.classId = p.classId;
    id.instanceId = p.pinnedInstance.value_or(GUID{});
    id.name = std::string(p.name);
    id.wideName = fromUtf8(p.name).value_or(std::wstring{});   // as the runner decodes scenario names
    id.usage = p.usage;
    id.source = p.sourceType;
    id.level = VSS_APP_SYSTEM;
    return id;
}

namespace {

std::vector<FileSpec> fileSpecs(std::span<const ProfileFile> files)
{
    std::vector<FileSpec> out;
    for (const ProfileFile &f : files)
        out.push_back(FileSpec{std::wstring(f.path), std::wstring(f.filespec), f.recursive, {}, f.backupTypeMask});
    return out;
}

} // namespace

WriterMetadata profileMetadata(const ProfileWriter &p)
{
    WriterMetadata md;
    for (const ProfileComponent &pc : p.components) {
        ComponentDecl c;
        c.type = pc.type;
        c.logicalPath = pc.logicalPath;
        c.name = pc.name;
        c.caption = pc.caption;
        c.selectable = pc.selectable;
        c.selectableForRestore = pc.selectableForRestore;
        c.flags = pc.flags;
        c.files = fileSpecs(pc.files);
        c.logFiles = fileSpecs(pc.logFiles);
        md.components.push_back(std::move(c));
    }
    md.excludeFiles = fileSpecs(p.excludeFiles);
    md.excludeFromSnapshot = fileSpecs(p.excludeFromSnapshot);
    md.restoreMethod.method = p.restore.method;
    md.restoreMethod.writerRestore = p.restore.writerRestore;
    md.restoreMethod.rebootRequired = p.restore.rebootRequired;
    return md;
}

std::shared_ptr<Service> Service::current()
{
    std::lock_guard lock(gCurrentMutex);
    if (!gCurrent) {
        // A machine made for a scenario runs it unless the environment names another one.
        if (const char *scenario = std::getenv("VSSSIM_SCENARIO"); !scenario || !*scenario)
            if (const char *machine = std::getenv("VSSSIM_MACHINE"); machine && *machine)
                if (const std::string forMachine = machineScenario(machine); !forMachine.empty())
                    platform::setEnvironment("VSSSIM_SCENARIO", forMachine);
        gCurrent = makeDefaultService();
        attachMachine(*gCurrent);   // VSSSIM_MACHINE: what earlier processes left on this machine
    }
    return gCurrent;
}

std::shared_ptr<Service> Service::currentIfAny()
{
    std::lock_guard lock(gCurrentMutex);
    return gCurrent;
}

void Service::install(std::shared_ptr<Service> service)
{
    const Service *fresh = service.get();
    std::shared_ptr<Service> old;
    {
        std::lock_guard lock(gCurrentMutex);
        old = std::exchange(gCurrent, std::move(service));
    }
    if (old && old.get() != fresh) {
        // Work still scheduled in the old simulation holds its sessions, which hold the service:
        // nothing will ever run it, so drop it and let the old simulation go.
        auto lock = old->lock();
        old->scheduler().clear();
    }
}

Result<WriterEntry *> Service::subscribe(WriterIdentity identity, WriterHandler &handler, bool pinnedInstance)
{
    if (!pinnedInstance)
        identity.instanceId = rng_.guid();
    auto entry = std::make_unique<WriterEntry>();
    entry->identity = std::move(identity);
    entry->handler = &handler;
    entry->subscribed = true;
    WriterEntry &w = registry_.add(std::move(entry));
    log_->debug("subscribed {} {} instance {}", w.identity.name, w.identity.classId, w.identity.instanceId);
    return &w;
}

WriterEntry &Service::addScriptedWriter(WriterIdentity identity, bool pinnedInstance, WriterFaults faults,
                                        WriterMetadata metadata)
{
    auto handler = std::make_unique<ScriptedHandler>(std::move(metadata));
    WriterEntry *w = *subscribe(std::move(identity), *handler, pinnedInstance);
    w->ownedHandler = std::move(handler);
    w->faults = std::move(faults);
    return *w;
}

void Service::unsubscribe(WriterEntry &w)
{
    w.subscribed = false;
    log_->debug("unsubscribed {}", w.identity.name);
}

WriterEntry &Service::restartWriter(WriterEntry &w)
{
    // The old process is gone (its entries in running sessions stop answering); a new one
    // subscribes with a new instance id and a clean public status (Z1).
    w.vanished = true;
    w.subscribed = false;
    auto entry = std::make_unique<WriterEntry>();
    entry->identity = w.identity;
    entry->identity.instanceId = rng_.guid();
    entry->handler = w.handler;
    entry->ownedHandler = std::move(w.ownedHandler);
    // Scripted faults belong to the old process: a restart is what clears a writer stuck in a failure (S1, S6).
    entry->subscribed = true;
    WriterEntry &fresh = registry_.add(std::move(entry));
    traceService("restart", fmt::format("{} new instance {}", fresh.identity.name, fresh.identity.instanceId));
    return fresh;
}

void Service::vanishWriter(WriterEntry &w)
{
    w.vanished = true;
    w.subscribed = false;
    traceService("vanish", w.identity.name);
}

std::optional<std::size_t> Service::findVolume(std::wstring_view name) const
{
    auto equalsNoCase = [](std::wstring_view a, std::wstring_view b) {
        return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](wchar_t x, wchar_t y) {
                   return std::towlower(x) == std::towlower(y);
               });
    };
    for (std::size_t i = 0; i < volumes_.size(); ++i) {
        const Volume &v = volumes_[i];
        if (equalsNoCase(name, v.name) || equalsNoCase(name, v.guidPath))
            return i;
        for (const std::wstring &m : v.mountPoints)
            if (equalsNoCase(name, m))
                return i;
    }
    return std::nullopt;
}

void Service::holdCreationUntil(SimTime until)
{
    backgroundCreationUntil_ = until;
}

bool Service::backgroundCreationRunning() const noexcept
{
    return now() < backgroundCreationUntil_;
}

HRESULT Service::injectedFault(std::string_view method, bool async)
{
    for (CallFault &f : callFaults_) {
        if (f.method != method || f.async != async)
            continue;
        ++f.seen;
        if (f.occurrence == 0 || f.seen == f.occurrence) {
            log_->debug("fault injected: {} -> {}", method, Hr{f.hr});
            return f.hr;
        }
    }
    return S_OK;
}

int Service::takeSlot(WriterEntry &w, std::uint32_t session, bool restore, const VSS_ID &setId, SimDuration heldFor)
{
    int &held = restore ? w.restoreSlotsHeld : w.backupSlotsHeld;
    if (held >= (restore ? options_.settings.restoreSlots : options_.settings.backupSlots))
        return -1;
    ++held;
    int index = 0;
    if (!freeSlots_.empty()) {
        index = freeSlots_.back();
        freeSlots_.pop_back();
    } else {
        index = static_cast<int>(slots_.size());
        slots_.emplace_back();
    }
    Slot &s = slot(index);
    s.writerUid = w.uid;
    s.session = session;
    s.restore = restore;
    s.held = true;
    s.taken = now() - heldFor;
    s.snapshotSetId = setId;
    s.lastOperation.clear();
    s.lastState = VSS_WS_UNKNOWN;
    s.lastFailure = S_OK;
    s.lastApplication = S_OK;
    s.lastMessage.clear();
    // R10: a slot still held two virtual days later is a leftover; the service drops it and logs 12289.
    std::weak_ptr<Service> self = weak_from_this();
    s.reclaim = scheduler_.after(std::max(SimDuration{0}, options_.settings.slotReclaimAge - heldFor), [self, index] {
        auto service = self.lock();
        if (!service)
            return;
        Slot &slot = service->slot(index);
        if (!slot.held)
            return;
        WriterEntry *writer = service->writers().find(slot.writerUid);
        service->traceService("event 12289",
            fmt::format("an older writer session state is being removed (hr {}): snapshot set {}, operation {}, "
                        "state {}, failure {}, application code {}, message '{}', writer {} class {} instance {}",
                        Hr{VSS_E_WRITER_STATUS_NOT_AVAILABLE}, slot.snapshotSetId, slot.lastOperation,
                        writerStateName(slot.lastState), Hr{slot.lastFailure}, Hr{slot.lastApplication},
                        narrow(slot.lastMessage), writer ? writer->identity.name : "?",
                        writer ? formatGuid(writer->identity.classId) : "?",
                        writer ? formatGuid(writer->identity.instanceId) : "?"));
        service->freeSlot(index);
    });
    return index;
}

void Service::freeSlot(int index)
{
    if (index < 0)
        return;
    Slot &s = slot(index);
    if (!s.held)
        return;
    s.held = false;
    scheduler_.cancel(std::exchange(s.reclaim, TimerId{}));
    freeSlots_.push_back(index);
    if (WriterEntry *w = registry_.find(s.writerUid))
        --(s.restore ? w->restoreSlotsHeld : w->backupSlotsHeld);
}

std::uint32_t Service::registerSession(Session *s)
{
    sessions_.push_back(s);
    return ++sessionCounter_;
}

void Service::unregisterSession(Session *s) noexcept
{
    sessions_.erase(std::remove(sessions_.begin(), sessions_.end(), s), sessions_.end());
}

void Service::recordMistake(std::string id, std::string detail, std::uint32_t session)
{
    log_->warn("requester mistake {}: {}", id, detail);
    mistakes_.push_back(Mistake{id, detail, now(), session});
    TraceRecord r{now(), TraceKind::Mistake, "requester", {}};
    r.session = session;
    r.detail = fmt::format("{} {}", id, detail);
    r.what = "mistake";
    trace_.add(std::move(r));
}

namespace {

/// §17: "wait 10 minutes, at most 3 retries" for transient writer, load and provider failures.
constexpr SimDuration kAdvisedRetryWait = std::chrono::minutes(10);
constexpr unsigned kAdvisedRetries = 3;

bool retryAfterWait(HRESULT code) noexcept
{
    switch (code) {
    case VSS_E_WRITERERROR_RETRYABLE:
    case VSS_E_WRITERERROR_OUTOFRESOURCES:
    case VSS_E_WRITERERROR_TIMEOUT:
    case VSS_E_FLUSH_WRITES_TIMEOUT:
    case VSS_E_HOLD_WRITES_TIMEOUT:
    case VSS_E_PROVIDER_VETO:
    case VSS_E_UNEXPECTED_PROVIDER_ERROR:
        return true;
    default:
        return false;
    }
}

bool neverRetryUnchanged(HRESULT code) noexcept
{
    return code == VSS_E_WRITERERROR_NONRETRYABLE || code == VSS_E_WRITER_NOT_RESPONDING;
}

} // namespace

void Service::noteFailure(const WriterEntry *w, HRESULT code, std::uint32_t session)
{
    if (!retryAfterWait(code) && !neverRetryUnchanged(code))
        return;
    const RetryAdvice advice{now(), code, session};
    if (w)
        writerAdvice_[w->uid] = advice;
    else
        providerAdvice_ = advice;
}

void Service::checkRetry(std::uint32_t session)
{
    const bool afterFailure = providerAdvice_ || std::any_of(writerAdvice_.begin(), writerAdvice_.end(),
                                                             [&](const auto &kv) { return kv.second.session != session; });
    if (!afterFailure)
        return;
    if (++retries_ == kAdvisedRetries + 1)
        recordMistake("M9", fmt::format("a fourth retry: StartSnapshotSet after {} failed attempts (advised: at most {} retries)",
                                        retries_, kAdvisedRetries), session);
    if (providerAdvice_ && providerAdvice_->session != session && now() - providerAdvice_->at < kAdvisedRetryWait)
        recordMistake("M9", fmt::format("StartSnapshotSet {} after DoSnapshotSet failed with {} (advised: 10 minutes)",
                                        formatSimTime(now() - providerAdvice_->at).substr(2), Hr{providerAdvice_->code}),
                      session);
}

void Service::checkRetriedWriter(const WriterEntry &w, bool selected, std::uint32_t session)
{
    const auto it = writerAdvice_.find(w.uid);
    if (it == writerAdvice_.end() || it->second.session == session)
        return;
    const RetryAdvice &a = it->second;
    if (neverRetryUnchanged(a.code)) {
        if (selected)
            recordMistake("M8", fmt::format("{} backed up again after it failed with {}, without a restart",
                                            w.identity.name, Hr{a.code}), session);
    } else if (now() - a.at < kAdvisedRetryWait) {
        recordMistake("M9", fmt::format("{} retried {} after it failed with {} (advised: 10 minutes)", w.identity.name,
                                        formatSimTime(now() - a.at).substr(2), Hr{a.code}), session);
    }
}

void Service::traceService(std::string_view what, std::string detail)
{
    log_->info("{}: {}", what, detail);
    TraceRecord r{now(), TraceKind::Service, "service", what};
    r.detail = std::move(detail);
    trace_.add(std::move(r));
}

void Service::noteStateTableBreak(std::string detail)
{
    ++stateTableBreaks_;
    log_->error("{}", detail);
    TraceRecord r{now(), TraceKind::Service, "service", "state table break"};
    r.detail = std::move(detail);
    trace_.add(std::move(r));
}

void Service::advance(SimDuration d)
{
    scheduler_.runUntil(saturatingAdd(now(), d));
}

void Service::runUntilIdle(SimTime limit)
{
    while (auto next = scheduler_.nextDeadline()) {
        if (*next > limit)
            break;
        scheduler_.runOne();
    }
}

void Service::shutdown()
{
    std::vector<WriterEntry *> told;
    for (const auto &w : registry_.all()) {
        if (!w->subscribed || w->vanished || w->shuttingDown)
            continue;
        w->shuttingDown = true;  // IsWriterShuttingDown() is true inside OnVSSShutdown already
        told.push_back(w.get());
    }
    for (WriterEntry *w : told) {
        traceService("shutdown", "OnVSSShutdown to " + w->identity.name);
        if (w->handler)
            w->handler->shutdown();
    }
}

void Service::startNotReady(SimDuration d, HRESULT hr)
{
    setNotReady(saturatingAdd(now(), d), hr);
    traceService("restart", "the VSS service restarted: not ready for " + formatSimTime(d).substr(2));
}

void Service::restart(SimDuration notReadyFor, HRESULT notReadyResult)
{
    shutdown();
    startNotReady(notReadyFor, notReadyResult);
    // The writers' processes outlive the service: they answer the new one once it is up.
    for (const auto &w : registry_.all())
        w->shuttingDown = false;
}

} // namespace vsssim
