#include "service/session.h"

#include <algorithm>

#include <fmt/format.h>

#include "core/alloc_failure.h"
#include "core/guid.h"
#include "core/names.h"
#include "service/bcd_xml.h"
#include "service/service.h"

namespace vsssim {

namespace detail {
EventCall *exchangeCurrentEventCall(EventCall *call) noexcept;
}

namespace {

constexpr LONG kKnownAttributes = VSS_VOLSNAP_ATTR_PERSISTENT | VSS_VOLSNAP_ATTR_NO_AUTORECOVERY |
    VSS_VOLSNAP_ATTR_CLIENT_ACCESSIBLE | VSS_VOLSNAP_ATTR_NO_AUTO_RELEASE | VSS_VOLSNAP_ATTR_NO_WRITERS |
    VSS_VOLSNAP_ATTR_TRANSPORTABLE | VSS_VOLSNAP_ATTR_NOT_SURFACED | VSS_VOLSNAP_ATTR_NOT_TRANSACTED |
    VSS_VOLSNAP_ATTR_HARDWARE_ASSISTED | VSS_VOLSNAP_ATTR_DIFFERENTIAL | VSS_VOLSNAP_ATTR_PLEX |
    VSS_VOLSNAP_ATTR_IMPORTED | VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY | VSS_VOLSNAP_ATTR_EXPOSED_REMOTELY |
    VSS_VOLSNAP_ATTR_AUTORECOVER | VSS_VOLSNAP_ATTR_ROLLBACK_RECOVERY | VSS_VOLSNAP_ATTR_DELAYED_POSTSNAPSHOT |
    VSS_VOLSNAP_ATTR_TXF_RECOVERY | VSS_VOLSNAP_ATTR_FILE_SHARE;

Error badState(std::string why) { return fail(VSS_E_BAD_STATE, std::move(why)); }

/// How far one QueryStatus moves virtual time while the operation is pending.
constexpr SimDuration kPollQuantum = std::chrono::seconds(1);

bool contains(const std::vector<VSS_ID> &ids, const VSS_ID &id)
{
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

bool equalsNoCase(std::wstring_view a, std::wstring_view b)
{
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](wchar_t x, wchar_t y) { return std::towlower(x) == std::towlower(y); });
}

std::string narrow(std::wstring_view w)
{
    std::string s;
    for (wchar_t c : w)
        s += c < 0x80 ? static_cast<char>(c) : '?';
    return s;
}

} // namespace

/// One event delivered to several writers at one instant; it lasts as long as its longest handler.
struct Session::Phase {
    Input event;
    int outstanding = 0;
    std::function<void(Phase &)> then;
    // By recipient, in the order of the phase's recipient list: sized once, so the scheduled
    // result of a delivery carries an index instead of a copy of its call.
    std::vector<EventCall> calls;
    std::vector<WriterMetadata> identified;   // Identify answers
    std::vector<char> answered;               // Identify: answered true in time
};

Session::Session(std::shared_ptr<Service> service) : service_(std::move(service))
{
    number_ = service_->registerSession(this);
}

Session::~Session()
{
    service_->unregisterSession(this);
}

// ---------------------------------------------------------------------------------------------
// Preconditions shared by every call

Result<void> Session::requireInitialized() const
{
    if (!initialized_)
        return badState("the object is not initialized (InitializeForBackup or InitializeForRestore first)");
    return {};
}

Result<void> Session::requireNoPending() const
{
    if (pending())
        return badState(fmt::format("{} of this object is still running", pending_->name));
    return {};
}

Result<void> Session::injected(std::string_view method)
{
    if (HRESULT hr = service_->injectedFault(method, false); hr != S_OK)
        return fail(hr, fmt::format("{}: injected fault", method));
    // Every method that calls this documents E_OUTOFMEMORY, and nothing of the call has happened yet:
    // an allocation point that leaves the object as it was (fail_allocation, VSSSIM_FAIL_ALLOC).
    if (allocationFails())
        return fail(E_OUTOFMEMORY, fmt::format("{}: allocation failed (fail_allocation)", method));
    return {};
}

AsyncPtr Session::startOp(std::string_view name)
{
    pending_ = std::make_shared<AsyncOp>();
    pending_->name = name;
    return pending_;
}

void Session::finishOp(const AsyncPtr &op, HRESULT hr)
{
    if (op->done())
        return;  // cancelled meanwhile: the cancellation is the result
    op->result = hr;
    if (op->name == "DoSnapshotSet") {
        if (SUCCEEDED(hr))
            service_->noteSnapshotSucceeded();
        else
            service_->noteFailure(nullptr, hr, number_);
    }
    TraceRecord r{service_->now(), TraceKind::Async, "requester", op->name};
    r.hr = hr;
    r.session = number_;
    service_->trace().add(std::move(r));
    service_->notifyCall(op->name, hr, *this);
}

bool Session::noWriterContext() const noexcept
{
    return (context_ & VSS_VOLSNAP_ATTR_NO_WRITERS) != 0;
}

bool Session::namedNoWriterContext() const noexcept
{
    return context_ == VSS_CTX_FILE_SHARE_BACKUP || context_ == VSS_CTX_NAS_ROLLBACK;
}

bool Session::pathAffected(std::wstring_view path) const
{
    for (std::size_t index : volumes_) {
        const Volume &v = service_->volumes()[index];
        auto under = [&](std::wstring_view root) {
            return path.size() >= root.size() && equalsNoCase(path.substr(0, root.size()), root);
        };
        if (under(v.name) || under(v.guidPath))
            return true;
        for (const std::wstring &m : v.mountPoints)
            if (under(m))
                return true;
    }
    return false;
}

// ---------------------------------------------------------------------------------------------
// Initialisation and settings

Result<void> Session::initializeForBackup()
{
    if (initialized_)
        return badState("InitializeForBackup: already initialized");
    if (HRESULT hr = service_->notReadyResult(); hr != S_OK)
        return fail(hr, "InitializeForBackup: the VSS service is not ready");
    if (auto r = injected("InitializeForBackup"); !r)
        return r;
    initialized_ = true;
    restore_ = false;
    sessionId_ = service_->rng().guid();
    return {};
}

Result<void> Session::initializeForRestore(std::wstring_view xml)
{
    if (initialized_)
        return badState("InitializeForRestore: already initialized");
    if (HRESULT hr = service_->notReadyResult(); hr != S_OK)
        return fail(hr, "InitializeForRestore: the VSS service is not ready");
    if (auto r = injected("InitializeForRestore"); !r)
        return r;
    auto doc = parseBcdXml(xml);
    if (!doc)
        return fail(VSS_E_INVALID_XML_DOCUMENT, "InitializeForRestore: " + doc.error().message);
    initialized_ = true;
    restore_ = true;
    sessionId_ = service_->rng().guid();
    bcd_ = std::move(doc->components);
    backupType_ = doc->backupType;
    context_ = doc->context;
    selectComponents_ = doc->selectComponents;
    bootable_ = doc->bootable;
    partialFiles_ = doc->partialFileSupport;
    setId_ = doc->snapshotSetId;
    return {};
}

Result<void> Session::setContext(LONG context)
{
    if (auto r = requireInitialized(); !r)
        return r;
    if (restore_)
        return badState("SetContext: not allowed in a restore");
    if (auto r = requireNoPending(); !r)
        return r;
    if (contextSet_)
        return badState("SetContext: may be called only once");
    if (setStarted_)
        return badState("SetContext: must come before StartSnapshotSet");
    // VSS_CTX_ALL is valid for every method except making shadow copies (StartSnapshotSet refuses it).
    if (context != static_cast<LONG>(VSS_CTX_ALL) && (context & ~kKnownAttributes) != 0)
        return fail(E_INVALIDARG, fmt::format("SetContext: 0x{:x} is not a context", static_cast<std::uint32_t>(context)));
    const auto &unsupported = service_->provider().unsupportedContexts;
    if (std::find(unsupported.begin(), unsupported.end(), context) != unsupported.end())
        return fail(VSS_E_UNSUPPORTED_CONTEXT, "SetContext: the provider does not support this context");
    context_ = context;
    contextSet_ = true;
    return {};
}

Result<void> Session::setBackupState(bool selectComponents, bool bootable, VSS_BACKUP_TYPE type, bool partialFiles)
{
    if (auto r = requireInitialized(); !r)
        return r;
    if (auto r = requireNoPending(); !r)
        return r;
    if (prepareCalled_ || preRestoreCalled_)
        return badState("SetBackupState: too late (after PrepareForBackup or PreRestore)");
    if (type < VSS_BT_FULL || type > VSS_BT_OTHER)
        return fail(E_INVALIDARG, "SetBackupState: invalid backup type");
    selectComponents_ = selectComponents;
    bootable_ = bootable;
    backupType_ = type;
    partialFiles_ = partialFiles;
    return {};
}

Result<void> Session::setRestoreState(VSS_RESTORE_TYPE type)
{
    if (auto r = requireInitialized(); !r)
        return r;
    if (!restore_)
        return badState("SetRestoreState: not a restore");
    if (auto r = requireNoPending(); !r)
        return r;
    if (preRestoreCalled_)
        return badState("SetRestoreState: after PreRestore");
    if (type < VSS_RTYPE_BY_COPY || type > VSS_RTYPE_OTHER)
        return fail(E_INVALIDARG, "SetRestoreState: invalid restore type");
    restoreType_ = type;
    return {};
}

namespace {

Result<void> checkIdList(const VSS_ID *ids, UINT count)
{
    if (!ids && count > 0)
        return fail(E_INVALIDARG, "NULL id array with a non-zero count");
    return {};
}

} // namespace

Result<void> Session::disableWriterClasses(const VSS_ID *ids, UINT count)
{
    if (auto r = requireInitialized(); !r)
        return r;
    if (auto r = requireNoPending(); !r)
        return r;
    if (auto r = checkIdList(ids, count); !r)
        return r;
    if (metadataCalled_) {
        service_->recordMistake("M12", "DisableWriterClasses after GatherWriterMetadata has no effect", number_);
        return {};
    }
    disabledClasses_.insert(disabledClasses_.end(), ids, ids + count);
    return {};
}

Result<void> Session::enableWriterClasses(const VSS_ID *ids, UINT count)
{
    if (auto r = requireInitialized(); !r)
        return r;
    if (auto r = requireNoPending(); !r)
        return r;
    if (auto r = checkIdList(ids, count); !r)
        return r;
    if (metadataCalled_) {
        service_->recordMistake("M12", "EnableWriterClasses after GatherWriterMetadata has no effect", number_);
        return {};
    }
    // The first EnableWriterClasses replaces every earlier DisableWriterClasses and enables only its list.
    if (!enabledClasses_) {
        enabledClasses_.emplace();
        disabledClasses_.clear();
    }
    enabledClasses_->insert(enabledClasses_->end(), ids, ids + count);
    return {};
}

Result<void> Session::disableWriterInstances(const VSS_ID *ids, UINT count)
{
    if (auto r = requireInitialized(); !r)
        return r;
    if (auto r = requireNoPending(); !r)
        return r;
    if (auto r = checkIdList(ids, count); !r)
        return r;
    if (metadataCalled_) {
        service_->recordMistake("M12", "DisableWriterInstances after GatherWriterMetadata has no effect", number_);
        return {};
    }
    disabledInstances_.insert(disabledInstances_.end(), ids, ids + count);
    return {};
}

// ---------------------------------------------------------------------------------------------
// Event dispatch

SessionRecord &Session::recordOf(WriterEntry &w)
{
    return records_[w.uid];
}

const SessionRecord *Session::record(const WriterEntry &w) const
{
    auto it = records_.find(w.uid);
    return it == records_.end() ? nullptr : &it->second;
}

bool Session::eligible(WriterEntry &w, Input event) const
{
    if (w.vanished || !w.subscribed)
        return false;
    const SessionRecord *r = record(w);
    if (!r || r->noSlot)
        return false;
    if (r->fatal && event != Input::Abort && event != Input::BackupShutdown)
        return false;
    return delivers(r->status, event);
}

void Session::runPhase(Input event, std::vector<WriterEntry *> recipients, std::function<void(Phase &)> then)
{
    auto phase = std::make_shared<Phase>();
    phase->event = event;
    ++phasesRunning_;
    phase->then = [self = shared_from_this(), then = std::move(then)](Phase &p) {
        --self->phasesRunning_;
        then(p);
    };
    phase->outstanding = static_cast<int>(recipients.size()) + 1;
    phase->calls.resize(recipients.size());
    if (event == Input::Identify) {
        phase->identified.resize(recipients.size());
        phase->answered.resize(recipients.size());
    }
    for (std::size_t i = 0; i < recipients.size(); ++i)
        deliver(phase, i, *recipients[i]);
    // The extra count keeps an empty phase (or all-instant handlers) from ending before every
    // delivery of this instant has been made; the phase then ends at the same virtual instant.
    service_->scheduler().after(SimDuration{0}, [phase] {
        if (--phase->outstanding == 0)
            phase->then(*phase);
    });
}

namespace {

/// The writer fault that applies to this delivery, if any (docs/behaviour.md §16).
EventFault *matchingFault(WriterEntry &w, Input event, const Session &s)
{
    for (EventFault &f : w.faults.events) {
        if (f.event != event)
            continue;
        if (f.whenComponentsSelected && *f.whenComponentsSelected != s.componentsSelected())
            continue;
        if (!f.requireVolumes.empty()) {
            const bool allPresent = std::all_of(f.requireVolumes.begin(), f.requireVolumes.end(),
                                                [&](const std::wstring &v) { return s.pathAffected(v); });
            if (allPresent)
                continue;
        }
        ++f.seen;
        if (f.firstN >= 0 && f.seen > f.firstN)
            continue;
        return &f;
    }
    return nullptr;
}

} // namespace

void Session::deliver(const std::shared_ptr<Phase> &phase, std::size_t index, WriterEntry &w)
{
    Service &svc = *service_;
    const Input event = phase->event;
    const SimTime t0 = svc.now();

    TraceRecord d{t0, TraceKind::Deliver, w.identity.name, inputName(event)};
    d.input = event;
    d.session = number_;
    svc.trace().add(std::move(d));

    if (event == Input::Freeze)
        armFreezeWindow(w);
    // BackupShutdown too: a writer that unsubscribed while frozen missed Thaw and Abort; subscribed again,
    // it still receives the session's BackupShutdown (X1), and a window left armed would then expire on a
    // closed record (the stress test's coming-and-going writers met exactly that).
    if (event == Input::Thaw || event == Input::Abort || event == Input::BackupShutdown)
        endFreezeWindow(recordOf(w));
    if (event == Input::PostSnapshot)
        recordOf(w).gotPostSnapshot = true;

    EventCall &call = phase->calls[index];
    call.event = event;
    call.session = this;
    call.writer = &w;
    call.snapshotSetId = (event == Input::BackupShutdown && !snapped_) ? GUID_NULL : setId_;
    if (event == Input::Identify)
        call.metadata = &phase->identified[index];

    if (w.handler) {
        EventCall *previous = detail::exchangeCurrentEventCall(&call);
        w.handler->handle(call);
        detail::exchangeCurrentEventCall(previous);
    } else {
        call.returned = false;  // its process is gone: only the event timeout answers (R9)
    }
    if (call.threw) {
        svc.log().error("{}: an exception escaped On{}: writer infrastructure unstable", w.identity.name, inputName(event));
        call.value = false;
        call.failureSet = false;
    }

    if (EventFault *f = matchingFault(w, event, *this)) {
        call.took = saturatingAdd(call.took, f->delay);
        if (f->hang)
            call.returned = false;
        if (f->fail) {
            call.value = !f->veto;
            HRESULT hr = f->hrWriter;
            if (f->randomRetryable) {
                static constexpr HRESULT kRetryable[] = {VSS_E_WRITERERROR_RETRYABLE, VSS_E_WRITERERROR_OUTOFRESOURCES,
                                                         VSS_E_WRITERERROR_TIMEOUT};
                hr = kRetryable[svc.rng().below(3)];
            }
            if (hr != S_OK || f->hrApplication || f->message) {
                call.failureSet = true;
                call.failure = Failure{hr, f->hrApplication.value_or(hr != S_OK ? S_OK : S_FALSE), f->message};
            }
            for (auto &[key, failure] : f->componentFailures)
                for (ComponentRecord *c : componentsOf(w.identity.instanceId)) {
                    const std::wstring full = c->logicalPath.empty() ? c->name : c->logicalPath + L"\\" + c->name;
                    if (full == key || c->name == key)
                        c->failure = failure;
                }
        }
    }
    if (event == Input::Identify && w.faults.identifyLost) {
        call.returned = false;
        logCallbackDenied(w);
    }

    const SimDuration timeout = svc.settings().eventTimeout;
    const bool hung = !call.returned || call.took > timeout;
    const SimDuration after = hung ? timeout : call.took;
    auto self = shared_from_this();
    WriterEntry *writer = &w;
    svc.scheduler().after(after, [self, phase, writer, index, hung] {
        const EventCall &answer = phase->calls[index];
        if (phase->event == Input::Identify)
            phase->answered[index] = !hung && answer.value;
        self->applyResult(*writer, phase->event, answer, hung);
        if (--phase->outstanding == 0)
            phase->then(*phase);
    });
}

void Session::logCallbackDenied(const WriterEntry &w)
{
    // What Windows logs when the service cannot call the writer back (S15): the answer is lost.
    service_->traceService("event 8194", fmt::format("Unexpected error querying for the IVssWriterCallback interface. "
                                                     "hr = 0x80070005, Access is denied. Writer {}", w.identity.name));
}

void Session::armFreezeWindow(WriterEntry &w)
{
    SessionRecord &r = recordOf(w);
    r.frozen = true;
    r.freezeSerial = ++freezeSerial_;
    const std::uint64_t serial = r.freezeSerial;
    auto self = shared_from_this();
    WriterEntry *writer = &w;
    service_->scheduler().cancel(r.freezeWindow);
    // R7: measured from Freeze delivery to Thaw delivery in virtual time, whatever the handlers do.
    r.freezeWindow = service_->scheduler().after(w.identity.freezeTimeout, [self, writer, serial] {
        SessionRecord &rec = self->recordOf(*writer);
        if (!rec.frozen || rec.freezeSerial != serial)
            return;
        rec.frozen = false;
        rec.freezeWindow = TimerId{};
        self->applyInput(*writer, Input::FreezeWindowExpired, Outcome::Window, S_OK, nullptr);
    });
}

void Session::endFreezeWindow(SessionRecord &r)
{
    // The timer holds the session: it goes with the window it guards, not 60 virtual seconds later.
    r.frozen = false;
    service_->scheduler().cancel(std::exchange(r.freezeWindow, TimerId{}));
}

void Session::applyResult(WriterEntry &w, Input event, const EventCall &call, bool hung)
{
    Service &svc = *service_;
    {
        TraceRecord r{svc.now(), TraceKind::Return, w.identity.name, inputName(event)};
        r.input = event;
        r.session = number_;
        r.hr = hung ? VSS_E_WRITER_NOT_RESPONDING : call.failureSet ? call.failure.hrWriter : S_OK;
        r.detail = hung ? "no answer" : call.value ? "true" : "false";
        svc.trace().add(std::move(r));
    }
    Outcome outcome = Outcome::Ok;
    if (hung)
        outcome = Outcome::Hang;
    else if (!call.value)
        outcome = Outcome::Fatal;
    else if (call.failureSet && call.failure.hrWriter != S_OK)
        outcome = Outcome::NonFatal;
    const HRESULT setCode = call.failureSet ? call.failure.hrWriter : S_OK;
    applyInput(w, event, outcome, setCode, call.failureSet ? &call.failure : nullptr);
}

void Session::applyInput(WriterEntry &w, Input input, Outcome outcome, HRESULT setCode, const Failure *reported)
{
    Service &svc = *service_;
    if (input == Input::Identify)
        return;  // Identify changes lists, not records; the phase's `then` builds them
    SessionRecord &rec = recordOf(w);
    const WriterStatus before = rec.status;
    const Transition t = step(before, input, outcome, setCode);
    if (!t.legal) {
        svc.noteStateTableBreak(fmt::format("{}: {} with outcome {} is out of sequence in state {}", w.identity.name,
                                            inputName(input), outcomeName(outcome),
                                            before.stateBit == kNoRecord ? std::string_view("(none)")
                                                                         : writerStateName(before.state)));
        return;
    }
    if (outcome == Outcome::Fatal || outcome == Outcome::Hang || outcome == Outcome::NoSlot)
        rec.fatal = true;
    if (input == Input::Freeze && (outcome == Outcome::Fatal || outcome == Outcome::Hang))
        endFreezeWindow(rec);
    if (t.abort)
        abortRaised_ = true;

    const bool firstFailure = before.failure == S_OK && t.failure != S_OK && t.target == Target::State;
    rec.status = WriterStatus{1u << t.state, t.state, t.failure};
    if (firstFailure)
        svc.noteFailure(&w, t.failure, number_);
    if (firstFailure || (t.target == Target::State && t.failure == S_OK)) {
        // The application's code and message go with the failure they explain (§7), or stand alone
        // when the writer reported only them (D5).
        rec.hrApplication = reported ? reported->hrApplication : S_OK;
        rec.message = reported ? reported->message : std::nullopt;
    } else if (reported && reported->hrWriter == S_OK && rec.status.failure == S_OK) {
        rec.hrApplication = reported->hrApplication;
        rec.message = reported->message;
    }

    w.publicStatus = PublicStatus{rec.status.state, rec.status.failure, rec.hrApplication, rec.message};
    if (Service::Slot *slot = svc.heldSlot(rec.slotIndex, number_, w.uid)) {
        slot->lastOperation = inputName(input);
        slot->lastState = rec.status.state;
        slot->lastFailure = rec.status.failure;
        slot->lastApplication = rec.hrApplication;
        slot->lastMessage = rec.message.value_or(L"");
    }
    if (before.stateBit != rec.status.stateBit || before.failure != rec.status.failure) {
        TraceRecord r{svc.now(), TraceKind::State, w.identity.name, inputName(input)};
        r.input = input;
        r.from = before.state;
        r.fromNoRecord = before.stateBit == kNoRecord;
        r.to = rec.status.state;
        r.hr = rec.status.failure;
        r.session = number_;
        svc.trace().add(std::move(r));
        svc.log().debug("{} {}: {} -> {} ({})", w.identity.name, inputName(input),
                        r.fromNoRecord ? std::string_view("(none)") : writerStateName(before.state),
                        writerStateName(rec.status.state), Hr{rec.status.failure});
    }
}

// ---------------------------------------------------------------------------------------------
// Identify and metadata

Result<AsyncPtr> Session::gatherWriterMetadata()
{
    if (auto r = requireInitialized(); !r)
        return r.error();
    if (auto r = requireNoPending(); !r)
        return r.error();
    if (metadataCalled_)
        return badState("GatherWriterMetadata: may be called only once per object");
    if (HRESULT hr = service_->notReadyResult(); hr != S_OK)
        return fail(hr, "GatherWriterMetadata: the VSS service is not ready");
    if (auto r = injected("GatherWriterMetadata"); !r)
        return r.error();
    metadataCalled_ = true;
    AsyncPtr op = startOp("GatherWriterMetadata");

    std::vector<WriterEntry *> recipients;
    for (WriterEntry *w : service_->writers().subscribed()) {
        const VSS_ID &cls = w->identity.classId;
        if (enabledClasses_ && !contains(*enabledClasses_, cls))
            continue;
        if (contains(disabledClasses_, cls) || contains(disabledInstances_, w->identity.instanceId))
            continue;
        recipients.push_back(w);
    }
    auto self = shared_from_this();
    runPhase(Input::Identify, recipients, [self, op, recipients](Phase &phase) {
        if (op->done())
            return;  // cancelled: no list
        // The list keeps subscription order (R3), whatever order the answers came back in; a writer
        // that returned false or never answered is absent from every list (R11, I2, I3).
        self->listed_.reserve(recipients.size());
        for (std::size_t i = 0; i < recipients.size(); ++i) {
            if (!phase.answered[i])
                continue;
            std::shared_ptr<const WriterMetadata> answer = std::move(phase.calls[i].declared);
            if (!answer)
                answer = std::make_shared<const WriterMetadata>(std::move(phase.identified[i]));
            self->listed_.emplace_back(recipients[i], std::move(answer));
        }
        self->metadataDone_ = true;
        const HRESULT fault = self->service_->injectedFault("GatherWriterMetadata", true);
        self->finishOp(op, fault != S_OK ? fault : VSS_S_ASYNC_FINISHED);
    });
    return op;
}

Result<UINT> Session::writerMetadataCount() const
{
    if (auto r = requireInitialized(); !r)
        return r.error();
    if (auto r = requireNoPending(); !r)
        return r.error();
    if (!metadataDone_ || metadataFreed_)
        return badState("GetWriterMetadataCount: no metadata held (GatherWriterMetadata not completed, or freed)");
    return static_cast<UINT>(listed_.size());
}

Result<const ListedWriter *> Session::writerMetadata(UINT index) const
{
    if (auto r = requireInitialized(); !r)
        return r.error();
    if (auto r = requireNoPending(); !r)
        return r.error();
    if (!metadataDone_ || metadataFreed_)
        return badState("GetWriterMetadata: no metadata held (GatherWriterMetadata not completed, or freed)");
    if (index >= listed_.size())
        return fail(VSS_E_OBJECT_NOT_FOUND, fmt::format("GetWriterMetadata: index {} >= count {}", index, listed_.size()));
    return &listed_[index];
}

Result<void> Session::freeWriterMetadata()
{
    if (auto r = requireInitialized(); !r)
        return r;
    if (auto r = requireNoPending(); !r)
        return r;
    if (!metadataDone_ || metadataFreed_)
        return badState("FreeWriterMetadata: no metadata held");
    // The listed writers stay: they still make up the status list (R3).
    metadataFreed_ = true;
    return {};
}

// ---------------------------------------------------------------------------------------------
// Component selection and the BCD

std::vector<ComponentRecord *> Session::componentsOf(const VSS_ID &instanceId)
{
    std::vector<ComponentRecord *> out;
    for (ComponentRecord &c : bcd_)
        if (c.instanceId == instanceId)
            out.push_back(&c);
    return out;
}

ComponentRecord *Session::findComponent(const VSS_ID &writerId, std::wstring_view logicalPath, std::wstring_view name,
                                        const VSS_ID *instanceId)
{
    for (ComponentRecord &c : bcd_)
        if (c.writerId == writerId && c.logicalPath == logicalPath && c.name == name &&
            (!instanceId || *instanceId == GUID_NULL || c.instanceId == *instanceId))
            return &c;
    return nullptr;
}

std::vector<std::pair<VSS_ID, VSS_ID>> Session::bcdWriters() const
{
    std::vector<std::pair<VSS_ID, VSS_ID>> out;
    for (const ComponentRecord &c : bcd_) {
        auto key = std::make_pair(c.instanceId, c.writerId);
        if (std::find(out.begin(), out.end(), key) == out.end())
            out.push_back(key);
    }
    return out;
}

Result<void> Session::addComponent(const VSS_ID &instanceId, const VSS_ID &writerId, VSS_COMPONENT_TYPE type,
                                   std::wstring_view logicalPath, std::wstring_view name)
{
    if (auto r = requireInitialized(); !r)
        return r;
    if (restore_)
        return badState("AddComponent: not allowed in a restore");
    if (!metadataDone_)
        return badState("AddComponent: GatherWriterMetadata has not completed");
    if (prepareCalled_ || aborted_)
        return badState("AddComponent: after PrepareForBackup or AbortBackup");
    if (namedNoWriterContext())
        return badState("AddComponent: the context has no writers");
    if (auto r = requireNoPending(); !r)
        return r;
    auto it = std::find_if(listed_.begin(), listed_.end(),
                           [&](const ListedWriter &l) { return l.identity.instanceId == instanceId; });
    if (it == listed_.end())
        return fail(VSS_E_OBJECT_NOT_FOUND, fmt::format("AddComponent: no listed writer has instance id {}", instanceId));
    if (it->identity.classId != writerId) {
        service_->recordMistake("M5", fmt::format("AddComponent pairs instance {} ({}) with class {}", instanceId,
                                                  it->identity.name, writerId), number_);
        return fail(VSS_E_OBJECT_NOT_FOUND, "AddComponent: instance id and writer class id belong to different writers");
    }
    const auto &decls = it->metadata.components;
    const bool declared = std::any_of(decls.begin(), decls.end(), [&](const ComponentDecl &c) {
        return c.name == name && c.logicalPath == logicalPath && c.type == type;
    });
    if (!declared)
        return fail(VSS_E_OBJECT_NOT_FOUND, fmt::format("AddComponent: {} declares no component '{}'", it->identity.name, narrow(name)));
    if (findComponent(writerId, logicalPath, name, &instanceId))
        return fail(VSS_E_OBJECT_ALREADY_EXISTS, "AddComponent: component added twice");
    ComponentRecord c;
    c.instanceId = instanceId;
    c.writerId = writerId;
    c.type = type;
    c.logicalPath = std::wstring(logicalPath);
    c.name = std::wstring(name);
    bcd_.push_back(std::move(c));
    return {};
}

Result<void> Session::setBackupSucceeded(const VSS_ID &instanceId, const VSS_ID &writerId, VSS_COMPONENT_TYPE type,
                                         std::wstring_view logicalPath, std::wstring_view name, bool succeeded)
{
    if (auto r = requireInitialized(); !r)
        return r;
    if (auto r = requireNoPending(); !r)
        return r;
    if (!snapped_) {
        if (snapEnded_)
            service_->recordMistake(pending_ && pending_->result == VSS_S_ASYNC_CANCELLED ? "M15" : "M7",
                                    "SetBackupSucceeded after a failed or cancelled DoSnapshotSet", number_);
        return badState("SetBackupSucceeded: DoSnapshotSet has not succeeded");
    }
    if (completeCalled_)
        return badState("SetBackupSucceeded: after BackupComplete");
    ComponentRecord *c = findComponent(writerId, logicalPath, name, &instanceId);
    if (!c || c->type != type)
        return fail(VSS_E_OBJECT_NOT_FOUND, "SetBackupSucceeded: component not in the backup components document");
    c->backupSucceeded = succeeded;
    if (succeeded) {
        // M3/M4: success claimed for a writer whose last status showed a failure.
        if (WriterEntry *w = service_->writers().findInstance(instanceId)) {
            const SessionRecord *r = record(*w);
            if (r && r->status.failure != S_OK)
                service_->recordMistake("M3", fmt::format("SetBackupSucceeded(true) for {} although it reported {} in {}",
                                                          w->identity.name, Hr{r->status.failure}, writerStateName(r->status.state)),
                                        number_);
            else if (r && ((r->status.stateBit & kFailed) || r->status.state == VSS_WS_UNKNOWN))
                service_->recordMistake("M4", fmt::format("SetBackupSucceeded(true) for {} although its state is {}",
                                                          w->identity.name, writerStateName(r->status.state)),
                                        number_);
        }
    }
    return {};
}

Result<std::wstring> Session::saveAsXml() const
{
    if (auto r = requireInitialized(); !r)
        return r.error();
    if (auto r = requireNoPending(); !r)
        return r.error();
    BcdDocument doc;
    doc.components = bcd_;
    doc.backupType = backupType_;
    doc.context = context_;
    doc.selectComponents = selectComponents_;
    doc.bootable = bootable_;
    doc.partialFileSupport = partialFiles_;
    doc.snapshotSetId = setId_;
    return formatBcdXml(doc);
}

// ---------------------------------------------------------------------------------------------
// The snapshot set

Result<VSS_ID> Session::startSnapshotSet()
{
    if (auto r = requireInitialized(); !r)
        return r.error();
    if (restore_)
        return badState("StartSnapshotSet: not allowed in a restore");
    if (auto r = requireNoPending(); !r)
        return r.error();
    if (setStarted_)
        return badState("StartSnapshotSet: already called on this object");
    if (context_ == static_cast<LONG>(VSS_CTX_ALL))
        return badState("StartSnapshotSet: VSS_CTX_ALL cannot make shadow copies");
    if ((service_->creationRunning() && service_->creationRunning() != this) || service_->backgroundCreationRunning())
        return fail(VSS_E_SNAPSHOT_SET_IN_PROGRESS, "StartSnapshotSet: another shadow copy set is being created");
    if (auto r = injected("StartSnapshotSet"); !r)
        return r.error();
    setStarted_ = true;
    service_->checkRetry(number_);
    setId_ = service_->rng().guid();
    return setId_;
}

Result<VSS_ID> Session::addToSnapshotSet(std::wstring_view volume, const VSS_ID &providerId)
{
    if (auto r = requireInitialized(); !r)
        return r.error();
    if (!setStarted_)
        return badState("AddToSnapshotSet: StartSnapshotSet has not been called");
    if (snapCalled_ || aborted_)
        return badState("AddToSnapshotSet: DoSnapshotSet has been called, or the backup was aborted");
    if (auto r = requireNoPending(); !r)
        return r.error();
    if (providerId != GUID_NULL && providerId != service_->provider().providerId)
        return fail(VSS_E_PROVIDER_NOT_REGISTERED, "AddToSnapshotSet: unknown provider id");
    if (volumes_.size() >= 64)
        return fail(VSS_E_MAXIMUM_NUMBER_OF_VOLUMES_REACHED, "AddToSnapshotSet: the set already holds 64 volumes");
    auto index = service_->findVolume(volume);
    if (!index)
        return fail(VSS_E_OBJECT_NOT_FOUND, fmt::format("AddToSnapshotSet: no volume '{}' (names need a trailing backslash)", narrow(volume)));
    if (std::find(volumes_.begin(), volumes_.end(), *index) != volumes_.end())
        return fail(VSS_E_OBJECT_ALREADY_EXISTS, "AddToSnapshotSet: volume already in the set");
    const Volume &v = service_->volumes()[*index];
    if (v.addFault != S_OK)
        return fail(v.addFault, "AddToSnapshotSet: the provider refuses this volume");
    const auto existing = std::count_if(service_->shadowCopies().begin(), service_->shadowCopies().end(),
                                        [&](const ShadowCopy &s) { return s.volume == *index && s.committed; });
    if (existing >= v.maxShadowCopies)
        return fail(VSS_E_MAXIMUM_NUMBER_OF_SNAPSHOTS_REACHED, "AddToSnapshotSet: the volume holds its maximum of shadow copies");
    if (auto r = injected("AddToSnapshotSet"); !r)
        return r.error();
    volumes_.push_back(*index);
    volumeNames_.emplace_back(volume);
    snapshotIds_.push_back(service_->rng().guid());
    return snapshotIds_.back();
}

std::vector<WriterEntry *> Session::participants() const
{
    std::vector<WriterEntry *> out;
    if (noWriterContext())
        return out;
    // Selection does not filter: in component mode a writer none of whose components was added
    // still receives every backup event and reads the selection itself (docs/behaviour.md §1.3, corrected
    // from bareos#1923, where unselected writers ended FAILED_AT_PREPARE_BACKUP). Disabled writers
    // never got listed, so they are already out (N2).
    for (const ListedWriter &l : listed_)
        out.push_back(l.writer);
    return out;
}

Result<AsyncPtr> Session::prepareForBackup()
{
    if (auto r = requireInitialized(); !r)
        return r.error();
    if (restore_)
        return badState("PrepareForBackup: not allowed in a restore");
    if (!setStarted_)
        return badState("PrepareForBackup: StartSnapshotSet has not been called");
    if (prepareCalled_ || aborted_)
        return badState("PrepareForBackup: already called, or the backup was aborted");
    if (namedNoWriterContext())
        return badState("PrepareForBackup: the context has no writers");
    if (auto r = requireNoPending(); !r)
        return r.error();
    if (auto r = injected("PrepareForBackup"); !r)
        return r.error();
    prepareCalled_ = true;
    ++componentGeneration_;  // component pointers handed out before this call go stale (§3)
    AsyncPtr op = startOp("PrepareForBackup");
    std::vector<WriterEntry *> recipients;
    for (WriterEntry *w : participants()) {
        if (w->vanished || !w->subscribed)
            continue;
        prepareRecipients_.push_back(w);
        service_->checkRetriedWriter(*w, !selectComponents_ || !componentsOf(w->identity.instanceId).empty(), number_);
        SessionRecord &rec = recordOf(*w);
        rec.slotIndex = service_->takeSlot(*w, number_, false, setId_);
        if (rec.slotIndex < 0) {
            rec.noSlot = true;  // P0: listed as not available, no further events
            applyInput(*w, Input::PrepareForBackup, Outcome::NoSlot, S_OK, nullptr);
            continue;
        }
        recipients.push_back(w);
    }
    auto self = shared_from_this();
    runPhase(Input::PrepareForBackup, recipients, [self, op](Phase &) {
        self->prepared_ = true;
        self->finishOp(op, VSS_S_ASYNC_FINISHED);
    });
    return op;
}

Result<AsyncPtr> Session::doSnapshotSet()
{
    if (auto r = requireInitialized(); !r)
        return r.error();
    if (restore_)
        return badState("DoSnapshotSet: not allowed in a restore");
    if (!setStarted_)
        return badState("DoSnapshotSet: StartSnapshotSet has not been called");
    if (snapCalled_ || aborted_)
        return badState("DoSnapshotSet: already called, or the backup was aborted");
    if (auto r = requireNoPending(); !r)
        return r.error();
    if ((service_->creationRunning() && service_->creationRunning() != this) || service_->backgroundCreationRunning())
        return fail(VSS_E_SNAPSHOT_SET_IN_PROGRESS, "DoSnapshotSet: another shadow copy set is being created");
    if (!noWriterContext() && !metadataDone_) {
        if (service_->settings().strict)
            return badState("DoSnapshotSet: GatherWriterMetadata was not called in a writer context");
        service_->recordMistake("M16", "DoSnapshotSet in a writer context without GatherWriterMetadata: no writer takes part", number_);
    }
    if (auto r = injected("DoSnapshotSet"); !r)
        return r.error();
    snapCalled_ = true;
    ++componentGeneration_;
    service_->setCreationRunning(this);
    AsyncPtr op = startOp("DoSnapshotSet");
    auto self = shared_from_this();
    // Weak: the session owns the operation, so a strong capture would keep both alive forever.
    op->onCancel = [weak = weak_from_this()] {
        if (auto session = weak.lock())
            session->endCreation();
    };
    std::vector<WriterEntry *> recipients;
    for (WriterEntry *w : prepareRecipients_)
        if (eligible(*w, Input::PrepareForSnapshot))
            recipients.push_back(w);
    runPhase(Input::PrepareForSnapshot, recipients, [self, op](Phase &) {
        if (op->done())
            return self->snapshotAbort(op, VSS_S_ASYNC_CANCELLED);
        self->snapshotFreeze(op);
    });
    return op;
}

void Session::snapshotFreeze(const AsyncPtr &op)
{
    std::vector<WriterEntry *> recipients;
    for (WriterEntry *w : prepareRecipients_)
        if (eligible(*w, Input::Freeze))
            recipients.push_back(w);
    auto self = shared_from_this();
    runPhase(Input::Freeze, recipients, [self, op](Phase &) {
        if (op->done())
            return self->snapshotAbort(op, VSS_S_ASYNC_CANCELLED);
        if (self->abortRaised_)
            return self->snapshotAbort(op, self->service_->provider().writerAbortResult.value_or(VSS_E_UNEXPECTED_WRITER_ERROR));
        self->snapshotCommit(op);
    });
}

void Session::snapshotCommit(const AsyncPtr &op)
{
    const ProviderSettings &p = service_->provider();
    const SimDuration limit = service_->settings().holdWritesLimit;
    auto self = shared_from_this();
    // Flush-and-hold: the provider may hold writes for at most 10 s (R7).
    service_->scheduler().after(std::min(p.commitDuration, limit), [self, op] {
        const ProviderSettings &provider = self->service_->provider();
        if (op->done())
            return self->snapshotAbort(op, VSS_S_ASYNC_CANCELLED);
        if (provider.commitDuration > self->service_->settings().holdWritesLimit)
            return self->snapshotAbort(op, VSS_E_HOLD_WRITES_TIMEOUT);
        if (provider.commitFault != S_OK)
            return self->snapshotAbort(op, provider.commitFault);
        if (self->abortRaised_)
            return self->snapshotAbort(op, provider.writerAbortResult.value_or(VSS_E_UNEXPECTED_WRITER_ERROR));
        for (std::size_t i = 0; i < self->volumes_.size(); ++i) {
            ShadowCopy s;
            s.id = self->snapshotIds_[i];
            s.setId = self->setId_;
            s.volume = self->volumes_[i];
            s.deviceNumber = self->service_->nextDeviceNumber();
            s.context = self->context_;
            s.created = self->service_->now();
            s.committed = true;
            s.session = self->number_;
            self->service_->shadowCopies().push_back(s);
        }
        self->snapshotThaw(op);
    });
}

void Session::snapshotThaw(const AsyncPtr &op)
{
    std::vector<WriterEntry *> recipients;
    for (WriterEntry *w : prepareRecipients_)
        if (eligible(*w, Input::Thaw) && recordOf(*w).frozen)
            recipients.push_back(w);
    auto self = shared_from_this();
    runPhase(Input::Thaw, recipients, [self, op](Phase &) {
        if (op->done())
            return self->snapshotAbort(op, VSS_S_ASYNC_CANCELLED);
        if (self->abortRaised_)
            return self->snapshotAbort(op, self->service_->provider().writerAbortResult.value_or(VSS_E_UNEXPECTED_WRITER_ERROR));
        self->snapshotPostSnapshot(op);
    });
}

void Session::snapshotPostSnapshot(const AsyncPtr &op)
{
    std::vector<WriterEntry *> recipients;
    for (WriterEntry *w : prepareRecipients_)
        if (eligible(*w, Input::PostSnapshot))
            recipients.push_back(w);
    auto self = shared_from_this();
    runPhase(Input::PostSnapshot, recipients, [self, op](Phase &) {
        if (op->done() && op->result == VSS_S_ASYNC_CANCELLED) {
            // Cancelled during PostSnapshot: every writer has it, so no Abort; the copies go.
            self->discardShadowCopies();
            self->snapEnded_ = true;
            return;
        }
        self->snapped_ = true;
        self->snapEnded_ = true;
        self->endCreation();
        self->finishOp(op, VSS_S_ASYNC_FINISHED);
    });
}

void Session::discardShadowCopies()
{
    auto &all = service_->shadowCopies();
    all.erase(std::remove_if(all.begin(), all.end(), [&](const ShadowCopy &s) { return s.setId == setId_; }), all.end());
}

void Session::snapshotAbort(const AsyncPtr &op, HRESULT result)
{
    discardShadowCopies();
    abortDelivered_ = true;
    std::vector<WriterEntry *> recipients;
    for (WriterEntry *w : prepareRecipients_)
        if (eligible(*w, Input::Abort) && !recordOf(*w).gotPostSnapshot)
            recipients.push_back(w);
    auto self = shared_from_this();
    runPhase(Input::Abort, recipients, [self, op, result, recipients](Phase &) {
        for (WriterEntry *w : recipients)
            self->freeSlot(*w, self->recordOf(*w));   // R10 (c): an Abort frees the slot
        self->snapEnded_ = true;
        self->endCreation();
        if (result != VSS_S_ASYNC_CANCELLED)
            self->finishOp(op, result);
    });
}

void Session::endCreation()
{
    if (service_->creationRunning() == this)
        service_->setCreationRunning(nullptr);
}

void Session::freeSlot(WriterEntry &w, SessionRecord &r)
{
    // Reclaimed meanwhile, the index may be another session's now: free only what is still ours.
    if (service_->heldSlot(r.slotIndex, number_, w.uid))
        service_->freeSlot(r.slotIndex);
}

Result<AsyncPtr> Session::backupComplete()
{
    if (auto r = requireInitialized(); !r)
        return r.error();
    if (restore_)
        return badState("BackupComplete: not allowed in a restore");
    if (!snapped_) {
        if (snapEnded_)
            service_->recordMistake(pending_ && pending_->result == VSS_S_ASYNC_CANCELLED ? "M15" : "M7",
                                    "BackupComplete after a failed or cancelled DoSnapshotSet", number_);
        return badState("BackupComplete: DoSnapshotSet has not succeeded");
    }
    if (completeCalled_)
        return badState("BackupComplete: already called");
    if (namedNoWriterContext())
        return badState("BackupComplete: the context has no writers");
    if (auto r = requireNoPending(); !r)
        return r.error();
    if (auto r = injected("BackupComplete"); !r)
        return r.error();
    completeCalled_ = true;
    ++componentGeneration_;
    // M3: a writer whose status showed a failure, none of whose components was marked failed.
    for (WriterEntry *w : prepareRecipients_) {
        const SessionRecord *rec = record(*w);
        if (!rec || rec->status.failure == S_OK)
            continue;
        auto mine = componentsOf(w->identity.instanceId);
        if (!mine.empty() && std::none_of(mine.begin(), mine.end(), [](ComponentRecord *c) { return !c->backupSucceeded; }))
            service_->recordMistake("M3", fmt::format("BackupComplete reports every component of {} as backed up although it reported {}",
                                                      w->identity.name, Hr{rec->status.failure}), number_);
    }
    AsyncPtr op = startOp("BackupComplete");
    std::vector<WriterEntry *> recipients;
    for (WriterEntry *w : prepareRecipients_)
        if (eligible(*w, Input::BackupComplete))
            recipients.push_back(w);
    auto self = shared_from_this();
    runPhase(Input::BackupComplete, recipients, [self, op](Phase &) {
        if (op->done())
            return;
        self->completed_ = true;
        const HRESULT fault = self->service_->injectedFault("BackupComplete", true);
        self->finishOp(op, fault != S_OK ? fault : VSS_S_ASYNC_FINISHED);
    });
    return op;
}

void Session::drain(const std::function<bool()> &done)
{
    // Synchronous calls that must wait for handlers (AbortBackup, Release) drive time themselves.
    while (!done() && service_->scheduler().runOne()) {
    }
}

void Session::settleCancelled()
{
    // Handlers already running finish and a cancelled creation's Abort goes out (§14) before the
    // next event this object sends: an AbortBackup or BackupShutdown sent while a Freeze (or any
    // handler) is still out would meet its late answer, or its freeze window, on a closed record.
    drain([this] { return phasesRunning_ == 0 && !(snapCalled_ && !snapEnded_); });
}

Result<void> Session::abortBackup()
{
    if (auto r = requireInitialized(); !r)
        return r;
    if (restore_)
        return badState("AbortBackup: restores cannot be aborted");
    if (AsyncOp *op = pending())
        cancel(*op);
    settleCancelled();
    if ((setStarted_ || prepareCalled_) && !snapped_ && !abortDelivered_ && !aborted_) {
        abortDelivered_ = true;
        auto finished = std::make_shared<bool>(false);
        std::vector<WriterEntry *> recipients;
        for (WriterEntry *w : prepareRecipients_)
            if (eligible(*w, Input::Abort) && !recordOf(*w).gotPostSnapshot)
                recipients.push_back(w);
        auto self = shared_from_this();
        runPhase(Input::Abort, recipients, [self, recipients, finished](Phase &) {
            for (WriterEntry *w : recipients)
                self->freeSlot(*w, self->recordOf(*w));
            *finished = true;
        });
        drain([finished] { return *finished; });
    }
    if (setStarted_ || prepareCalled_)
        aborted_ = true;
    return {};
}

// ---------------------------------------------------------------------------------------------
// Status (docs/behaviour.md §13)

Result<AsyncPtr> Session::gatherWriterStatus()
{
    if (auto r = requireInitialized(); !r)
        return r.error();
    if (!metadataDone_)
        return badState("GatherWriterStatus: GatherWriterMetadata has not completed");
    if (pending())
        return badState(fmt::format("GatherWriterStatus: {} of this object is still running", pending_->name));
    if (auto r = injected("GatherWriterStatus"); !r)
        return r.error();
    AsyncPtr op = startOp("GatherWriterStatus");
    {
        std::lock_guard guard(statusMutex_);
        status_.reset();
    }
    SimDuration longest{0};
    for (const ListedWriter &l : listed_) {
        const WriterEntry &w = *l.writer;
        if (w.faults.ignoreStatus || w.vanished || !w.subscribed) {
            longest = std::max(longest, service_->settings().eventTimeout);
            if (w.faults.ignoreStatus)
                logCallbackDenied(w);
        } else {
            longest = std::max(longest, w.faults.statusDelay);
        }
    }
    auto self = shared_from_this();
    // The list is a copy taken when the gather completes (R2); late answers make it late (R9).
    service_->scheduler().after(longest, [self, op] {
        if (op->done())
            return;
        if (HRESULT fault = self->service_->injectedFault("GatherWriterStatus", true); fault != S_OK)
            return self->finishOp(op, fault);
        std::vector<StatusEntry> entries = self->currentStatus();
        if (self->service_->settings().shuffleStatus) {
            // R3: a fresh order on every gather exposes requesters that pair status i with metadata i.
            for (std::size_t i = entries.size(); i > 1; --i)
                std::swap(entries[i - 1], entries[self->service_->rng().below(i)]);
        }
        {
            auto held = std::make_shared<const std::vector<StatusEntry>>(std::move(entries));
            std::lock_guard guard(self->statusMutex_);
            self->status_ = std::move(held);
        }
        self->releaseSlotsAfterGather();
        self->finishOp(op, VSS_S_ASYNC_FINISHED);
    });
    return op;
}

std::vector<StatusEntry> Session::currentStatus() const
{
    std::vector<StatusEntry> entries;
    entries.reserve(listed_.size());
    for (const ListedWriter &l : listed_) {
        const WriterEntry &w = *l.writer;
        StatusEntry e;
        e.instanceId = l.identity.instanceId;
        e.classId = l.identity.classId;
        e.name = l.identity.wideName;
        e.writerUid = w.uid;
        if (const SessionRecord *r = record(w); r && r->status.stateBit != kNoRecord) {
            e.state = r->status.state;
            e.failure = r->status.failure;
            e.hrApplication = r->hrApplication;
            e.message = r->message;
        } else {
            e.state = w.publicStatus.state;
            e.failure = w.publicStatus.failure;
            e.hrApplication = w.publicStatus.hrApplication;
            e.message = w.publicStatus.message;
        }
        if (w.faults.ignoreStatus || w.vanished || !w.subscribed) {
            e.failure = VSS_E_WRITER_NOT_RESPONDING;  // N1: last state, not responding (R9)
            e.hrApplication = S_OK;
            e.message.reset();
        }
        entries.push_back(std::move(e));
    }
    return entries;
}

void Session::releaseSlotsAfterGather()
{
    // R10 (a), (b): BackupComplete or PostRestore completed, then a gather completed.
    if (!completed_ && !postRestored_)
        return;
    for (auto &[uid, rec] : records_)
        if (WriterEntry *w = service_->writers().find(uid))
            freeSlot(*w, rec);
}

Result<UINT> Session::writerStatusCount() const
{
    if (auto r = requireInitialized(); !r)
        return r.error();
    if (!status_) {
        service_->recordMistake("M11", "GetWriterStatusCount without a completed GatherWriterStatus", number_);
        return badState("GetWriterStatusCount: no status list held (GatherWriterStatus not completed, failed, or freed)");
    }
    return static_cast<UINT>(status_->size());
}

Result<const StatusEntry *> Session::writerStatus(UINT index) const
{
    if (auto r = requireInitialized(); !r)
        return r.error();
    if (!status_) {
        service_->recordMistake("M11", "GetWriterStatus without a completed GatherWriterStatus", number_);
        return badState("GetWriterStatus: no status list held (GatherWriterStatus not completed, failed, or freed)");
    }
    if (index >= status_->size())
        return fail(VSS_E_OBJECT_NOT_FOUND, fmt::format("GetWriterStatus: index {} >= count {}", index, status_->size()));
    return &(*status_)[index];
}

Result<void> Session::freeWriterStatus()
{
    if (auto r = requireInitialized(); !r)
        return r;
    if (!status_)
        return badState("FreeWriterStatus: no status list held");
    if (auto r = injected("FreeWriterStatus"); !r)
        return r;
    std::lock_guard guard(statusMutex_);
    status_.reset();
    return {};
}

// ---------------------------------------------------------------------------------------------
// Restore (docs/behaviour.md §3)

Result<ComponentRecord *> Session::restoreComponent(const VSS_ID &writerId, std::wstring_view logicalPath,
                                                    std::wstring_view name, const VSS_ID *instanceId)
{
    if (auto r = requireInitialized(); !r)
        return r.error();
    if (!restore_ || !metadataDone_)
        return badState("restore selection: needs InitializeForRestore and a completed GatherWriterMetadata");
    if (auto r = requireNoPending(); !r)
        return r.error();
    ComponentRecord *c = nullptr;
    for (ComponentRecord &rec : bcd_)
        if (rec.writerId == writerId && rec.logicalPath == logicalPath && rec.name == name)
            c = &rec;
    if (!c)
        return fail(VSS_E_OBJECT_NOT_FOUND, "component not in the backup components document");
    const bool running = std::any_of(listed_.begin(), listed_.end(), [&](const ListedWriter &l) {
        return l.identity.classId == writerId && (!instanceId || *instanceId == GUID_NULL || l.identity.instanceId == *instanceId);
    });
    if (!running)
        return fail(VSS_E_OBJECT_NOT_FOUND, "the component's writer is not running");
    return c;
}

Result<ComponentRecord *> Session::restoreSelection(const VSS_ID &writerId, VSS_COMPONENT_TYPE type,
                                                   std::wstring_view logicalPath, std::wstring_view name,
                                                   const VSS_ID *instanceId, RestoreEdit edit)
{
    // Checked before the lookup so that a late call reads as a sequence error, whatever it names.
    // Microsoft: mappings are typically added after PreRestore, for the writer to read in PostRestore.
    if (edit == RestoreEdit::Selection && preRestoreCalled_)
        return badState("restore selection after PreRestore");
    if (edit == RestoreEdit::Mapping && postRestoreCalled_)
        return badState("AddAlternativeLocationMapping after PostRestore");
    auto c = restoreComponent(writerId, logicalPath, name, instanceId);
    if (!c)
        return c;
    if ((*c)->type != type)
        return fail(VSS_E_OBJECT_NOT_FOUND, "the component in the backup components document has another type");
    return c;
}

Result<ComponentRecord *> Session::backupComponent(const VSS_ID &writerId, VSS_COMPONENT_TYPE type,
                                                   std::wstring_view logicalPath, std::wstring_view name)
{
    // docs/behaviour.md §2 step 11: BCD strings of a backup are set between AddComponent and PrepareForBackup.
    if (auto r = requireInitialized(); !r)
        return r.error();
    if (restore_)
        return badState("a backup-only method called on a restore object");
    if (auto r = requireNoPending(); !r)
        return r.error();
    if (prepareCalled_)
        return badState("after PrepareForBackup");
    ComponentRecord *c = findComponent(writerId, logicalPath, name);
    if (!c || c->type != type)
        return fail(VSS_E_OBJECT_NOT_FOUND, "component not in the backup components document");
    return c;
}

Result<void> Session::requireBcdReadable() const
{
    // docs/behaviour.md §15: not initialised, or a backup object before Meta; restores read the loaded BCD.
    if (auto r = requireInitialized(); !r)
        return r;
    if (!restore_ && !metadataDone_)
        return badState("the backup components document: GatherWriterMetadata has not completed");
    return requireNoPending();
}

Result<void> Session::setFileRestoreStatus(ComponentRecord &c, VSS_FILE_RESTORE_STATUS status)
{
    if (!preRestored_ || postRestoreCalled_)
        return badState("SetFileRestoreStatus: only between PreRestore and PostRestore");
    c.fileRestoreStatus = status;
    return {};
}

Result<AsyncPtr> Session::preRestore()
{
    if (auto r = requireInitialized(); !r)
        return r.error();
    if (!restore_)
        return badState("PreRestore: not a restore");
    if (!metadataDone_)
        return badState("PreRestore: GatherWriterMetadata has not completed");
    if (preRestoreCalled_)
        return badState("PreRestore: already called");
    if (auto r = requireNoPending(); !r)
        return r.error();
    if (auto r = injected("PreRestore"); !r)
        return r.error();
    preRestoreCalled_ = true;
    ++componentGeneration_;
    AsyncPtr op = startOp("PreRestore");
    std::vector<WriterEntry *> recipients;
    for (const ListedWriter &l : listed_) {
        const bool selected = std::any_of(bcd_.begin(), bcd_.end(), [&](const ComponentRecord &c) {
            return c.writerId == l.identity.classId && (c.selectedForRestore || !c.subcomponents.empty());
        });
        if (!selected || l.writer->vanished || !l.writer->subscribed)
            continue;
        WriterEntry *w = l.writer;
        prepareRecipients_.push_back(w);
        SessionRecord &rec = recordOf(*w);
        rec.slotIndex = service_->takeSlot(*w, number_, true, GUID_NULL);
        if (rec.slotIndex < 0) {
            rec.noSlot = true;  // RS0
            applyInput(*w, Input::PreRestore, Outcome::NoSlot, S_OK, nullptr);
            continue;
        }
        recipients.push_back(w);
    }
    auto self = shared_from_this();
    runPhase(Input::PreRestore, recipients, [self, op](Phase &) {
        self->preRestored_ = true;
        self->finishOp(op, VSS_S_ASYNC_FINISHED);
    });
    return op;
}

Result<AsyncPtr> Session::postRestore()
{
    if (auto r = requireInitialized(); !r)
        return r.error();
    if (!restore_ || !preRestored_)
        return badState("PostRestore: PreRestore has not completed");
    if (postRestoreCalled_)
        return badState("PostRestore: already called");
    if (auto r = requireNoPending(); !r)
        return r.error();
    if (auto r = injected("PostRestore"); !r)
        return r.error();
    postRestoreCalled_ = true;
    ++componentGeneration_;
    AsyncPtr op = startOp("PostRestore");
    std::vector<WriterEntry *> recipients;
    for (WriterEntry *w : prepareRecipients_)
        if (eligible(*w, Input::PostRestore))
            recipients.push_back(w);
    auto self = shared_from_this();
    runPhase(Input::PostRestore, recipients, [self, op](Phase &) {
        self->postRestored_ = true;
        self->finishOp(op, VSS_S_ASYNC_FINISHED);
    });
    return op;
}

// ---------------------------------------------------------------------------------------------
// Shadow copies, identity, release

Result<const ShadowCopy *> Session::snapshotProperties(const VSS_ID &snapshotId) const
{
    if (auto r = requireInitialized(); !r)
        return r.error();
    if (auto r = requireNoPending(); !r)
        return r.error();
    for (const ShadowCopy &s : service_->shadowCopies())
        if (s.id == snapshotId && s.committed)
            return &s;
    return fail(VSS_E_OBJECT_NOT_FOUND, fmt::format("GetSnapshotProperties: no shadow copy {}", snapshotId));
}

Result<std::pair<LONG, VSS_ID>> Session::deleteSnapshots(const VSS_ID &id, VSS_OBJECT_TYPE type, bool)
{
    if (auto r = requireInitialized(); !r)
        return r.error();
    if (auto r = requireNoPending(); !r)
        return r.error();
    if (type != VSS_OBJECT_SNAPSHOT && type != VSS_OBJECT_SNAPSHOT_SET)
        return fail(E_INVALIDARG, "DeleteSnapshots: type must be VSS_OBJECT_SNAPSHOT or VSS_OBJECT_SNAPSHOT_SET");
    auto &all = service_->shadowCopies();
    auto match = [&](const ShadowCopy &s) { return type == VSS_OBJECT_SNAPSHOT ? s.id == id : s.setId == id; };
    const LONG n = static_cast<LONG>(std::count_if(all.begin(), all.end(), match));
    if (n == 0)
        return fail(VSS_E_OBJECT_NOT_FOUND, "DeleteSnapshots: no such shadow copy or set");
    all.erase(std::remove_if(all.begin(), all.end(), match), all.end());
    return std::make_pair(n, GUID_NULL);
}

Result<VSS_ID> Session::getSessionId() const
{
    if (auto r = requireInitialized(); !r)
        return r.error();
    if (auto r = requireNoPending(); !r)
        return r.error();
    return sessionId_;
}

void Session::noteRequesterCall()
{
    // M18: the requester moved on from a failed operation it waited for without reading the result.
    if (pending_ && pending_->done() && FAILED(pending_->result) && pending_->waited && !pending_->resultRead &&
        !pending_->unreadReported) {
        pending_->unreadReported = true;
        service_->recordMistake("M18", fmt::format("{} failed with {}; the requester called Wait and never QueryStatus",
                                                   pending_->name, Hr{pending_->result}), number_);
    }
}

void Session::release()
{
    if (released_)
        return;
    noteRequesterCall();
    released_ = true;
    if (AsyncOp *op = pending())
        cancel(*op);
    settleCancelled();
    if (!restore_ && (setStarted_ || prepareCalled_) && !aborted_ && !completeCalled_ && !snapped_)
        service_->recordMistake("M6", "requester object released after StartSnapshotSet/PrepareForBackup without AbortBackup or BackupComplete", number_);
    if (completeCalled_ || postRestoreCalled_) {
        const bool held = std::any_of(records_.begin(), records_.end(), [&](const auto &kv) {
            return service_->heldSlot(kv.second.slotIndex, number_, kv.first) != nullptr;
        });
        if (held)
            service_->recordMistake("M10", "released without GatherWriterStatus after BackupComplete/PostRestore: session slots stay leftovers", number_);
    }
    // Non-persistent shadow copies go with the object.
    auto &all = service_->shadowCopies();
    all.erase(std::remove_if(all.begin(), all.end(), [&](const ShadowCopy &s) {
                  return s.session == number_ && !(s.context & VSS_VOLSNAP_ATTR_PERSISTENT);
              }), all.end());
    if (!restore_ && prepareCalled_) {
        std::vector<WriterEntry *> recipients;
        for (WriterEntry *w : prepareRecipients_)
            if (eligible(*w, Input::BackupShutdown))
                recipients.push_back(w);
        runPhase(Input::BackupShutdown, recipients, [](Phase &) {});
    }
    // The final Release ends the session: handlers that answer at once return now, so nothing
    // scheduled for this instant keeps the session and its records alive after the call.
    service_->scheduler().runUntil(service_->now());
}

// ---------------------------------------------------------------------------------------------
// IVssAsync in virtual time (R13)

HRESULT Session::wait(AsyncOp &op, std::optional<SimDuration> limit)
{
    Scheduler &sched = service_->scheduler();
    const std::optional<SimTime> until = limit ? std::optional<SimTime>(saturatingAdd(service_->now(), *limit)) : std::nullopt;
    while (!op.done()) {
        auto next = sched.nextDeadline();
        if (!next || (until && *next > *until))
            break;
        sched.runOne();
    }
    if (until && !op.done())
        sched.runUntil(*until);
    if (!op.done())
        return S_OK;
    op.waited = true;
    // The wait itself succeeded; the operation's result is QueryStatus's to tell (§14). restic
    // v0.16.4 prints "async operation failed: VSS_E_INSUFFICIENT_STORAGE" only on that path
    // (restic#4875). The other reading of Microsoft's page is a service option.
    return FAILED(op.result) && service_->settings().waitReturnsFailure ? op.result : S_OK;
}

HRESULT Session::queryStatus(AsyncOp &op)
{
    Scheduler &sched = service_->scheduler();
    if (service_->isVirtual()) {
        sched.runUntil(service_->now());
        // While pending, each poll moves time toward the next scheduled event, by at most one
        // polling quantum: any polling loop terminates (§14), and a poll right after Wait(T) still
        // sees the operation pending, as a real poll would (S10).
        if (!op.done()) {
            if (auto next = sched.nextDeadline())
                sched.runUntil(std::min(*next, saturatingAdd(service_->now(), kPollQuantum)));
        }
    } else {
        sched.runUntil(service_->now());
    }
    if (op.done())
        op.resultRead = true;
    if (op.done() && FAILED(op.result) && ++op.queriesAfterFailure == 101)
        service_->recordMistake("M2", fmt::format("more than 100 QueryStatus calls on {} after it failed with {}", op.name, Hr{op.result}), number_);
    return op.result;
}

HRESULT Session::cancel(AsyncOp &op)
{
    if (op.done()) {
        op.resultRead = true;  // Cancel on an ended operation returns its result (§14)
        return op.result;
    }
    op.result = VSS_S_ASYNC_CANCELLED;
    TraceRecord r{service_->now(), TraceKind::Async, "requester", op.name};
    r.hr = VSS_S_ASYNC_CANCELLED;
    r.session = number_;
    service_->trace().add(std::move(r));
    if (op.onCancel)
        op.onCancel();
    service_->notifyCall(op.name, VSS_S_ASYNC_CANCELLED, *this);
    return S_OK;
}

} // namespace vsssim
