#include "scenario/runner.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <map>

#include <fmt/format.h>

#include "core/guid.h"
#include "core/names.h"
#include "core/rng.h"
#include "scenario/expectations.h"
#include "scenario/listing.h"
#include "service/session.h"

namespace vsssim {

namespace {

// Names from a scenario, which toml++ has checked are UTF-8: decoded, not byte by byte (a non-BMP
// writer name is one wchar_t on Linux, a surrogate pair on Windows).
std::wstring wide(std::string_view s) { return fromUtf8(s).value(); }

std::string hrText(HRESULT hr) { return fmt::format("{}", Hr{hr}); }

// Appending into one string rather than `"'" + s + "'"`: GCC 12 at -O3 reports a false -Wrestrict
// overlap for a literal prepended to a temporary string (GCC bug 105329), which -Werror makes fatal.
std::string quoted(std::string_view s)
{
    std::string out;
    out.reserve(s.size() + 2);
    out.append(1, '\'').append(s).append(1, '\'');
    return out;
}

void applyWriterSettings(WriterIdentity &id, WriterMetadata &md, const ScenarioWriter &sw)
{
    if (sw.classId)
        id.classId = *sw.classId;
    if (sw.instanceId)
        id.instanceId = *sw.instanceId;
    if (sw.instanceName)
        id.instanceName = *sw.instanceName;
    if (sw.usage)
        id.usage = *sw.usage;
    if (sw.freezeTimeout)
        id.freezeTimeout = *sw.freezeTimeout;
    if (sw.components)
        md.components = *sw.components;
}

WriterFaults faultsOf(const ScenarioWriter &sw)
{
    WriterFaults f = sw.faults;
    if (sw.identifyFails) {
        EventFault e;
        e.event = Input::Identify;
        e.fail = true;
        e.veto = true;
        f.events.push_back(e);
    }
    return f;
}

/// Another requester process backs up C:\ and is killed after DoSnapshotSet: BackupShutdown is
/// delivered, its writers' session slots stay leftovers until reclaimed (R10, S-requester-killed).
HRESULT killedRequester(Service &svc)
{
    // Not the requester a scenario judges: its operations are no ends of `when`.
    Service::CallObserver judged = svc.exchangeCallObserver({});
    auto s = std::make_shared<Session>(svc.shared_from_this());
    auto finish = [&](Result<AsyncPtr> r) {
        if (!r)
            return r.hr();
        s->wait(**r, std::nullopt);
        return s->queryStatus(**r);
    };
    HRESULT hr = s->initializeForBackup().hr();
    if (SUCCEEDED(hr))
        hr = s->setBackupState(false, false, VSS_BT_FULL, false).hr();
    if (SUCCEEDED(hr))
        hr = finish(s->gatherWriterMetadata());
    if (SUCCEEDED(hr))
        hr = s->startSnapshotSet().hr();
    if (SUCCEEDED(hr))
        hr = s->addToSnapshotSet(L"C:\\", GUID_NULL).hr();
    if (SUCCEEDED(hr))
        hr = finish(s->prepareForBackup());
    if (SUCCEEDED(hr))
        hr = finish(s->doSnapshotSet());
    svc.traceService("requester-killed", fmt::format("another requester was killed after DoSnapshotSet ({})", Hr{hr}));
    s->release();
    svc.exchangeCallObserver(std::move(judged));
    return hr;
}

WriterEntry *liveWriterNamed(Service &svc, std::string_view name)
{
    for (const auto &w : svc.writers().all())
        if (w->identity.name == name && !w->vanished)
            return w.get();
    return nullptr;
}

/// The verbs a step and a [[background]] share: what happens to the machine besides the requester.
HRESULT happen(Service &svc, std::string_view action, const std::string &writer, std::optional<SimDuration> duration)
{
    if (action == "KilledRequester")
        return killedRequester(svc);
    if (action == "RestartService") {
        svc.restart(duration.value_or(SimDuration{0}));
        return S_OK;
    }
    if (action == "BackgroundSnapshot") {
        svc.holdCreationUntil(saturatingAdd(svc.now(), duration.value_or(SimDuration{0})));
        return S_OK;
    }
    WriterEntry *w = liveWriterNamed(svc, writer);
    if (!w)
        return VSS_E_OBJECT_NOT_FOUND;
    if (action == "RestartWriter")
        svc.restartWriter(*w);
    else
        svc.vanishWriter(*w);
    return S_OK;
}

void scheduleBackground(Service &svc, const std::vector<Background> &background)
{
    auto calls = std::make_shared<std::map<std::string, int, std::less<>>>();
    bool onCall = false;
    for (const Background &b : background) {
        if (!b.at) {
            onCall = true;
            continue;
        }
        auto act = [&svc, b] { happen(svc, b.action, b.writer, b.duration); };
        if (*b.at == SimDuration{0})
            act();  // before the requester's first call, as a [[step]] at the top would be
        else
            svc.scheduler().at(SimTime{*b.at}, act);
    }
    if (!onCall)
        return;
    svc.setBeforeCall([&svc, background, calls](std::string_view method) {
        const auto it = calls->try_emplace(std::string(method), 0).first;
        const int n = ++it->second;
        for (const Background &b : background)
            if (!b.at && b.onCall == method && b.occurrence == n)
                happen(svc, b.action, b.writer, b.duration);
    });
}

} // namespace

std::uint64_t effectiveSeed(const Scenario &scenario, const RunOptions &options)
{
    if (options.seed)
        return *options.seed;
    std::uint64_t seed = 0;
    if (parseSeed(std::getenv("VSSSIM_SEED"), seed))
        return seed;
    return scenario.seed;
}

std::shared_ptr<Service> buildService(const Scenario &scenario, std::uint64_t seed,
                                      std::chrono::milliseconds wallClockLimit)
{
    ServiceOptions options;
    options.seed = seed;
    options.realTime = scenario.realTime;
    options.wallClockLimit = wallClockLimit;
    options.timeScale = scenario.timeScale;
    options.profiles = {};
    options.settings = scenario.settings;
    options.provider = scenario.provider;
    auto svc = std::make_shared<Service>(std::move(options));

    // Profile writers first, in profile order, each with the scenario's changes; then new writers.
    std::vector<const ScenarioWriter *> used;
    for (const std::string &profile : scenario.profiles)
        for (const ProfileWriter &p : profileWriters(profile, *scenario.settings.os)) {
            WriterIdentity id = profileIdentity(p);
            WriterMetadata md = profileMetadata(p);
            WriterFaults faults;
            bool pinned = p.pinnedInstance.has_value();
            for (const ScenarioWriter &sw : scenario.writers)
                if (sw.name == p.name) {
                    applyWriterSettings(id, md, sw);
                    faults = faultsOf(sw);
                    pinned = pinned || sw.instanceId.has_value();
                    used.push_back(&sw);
                }
            svc->addScriptedWriter(std::move(id), pinned, std::move(faults), std::move(md));
        }
    for (const ScenarioWriter &sw : scenario.writers) {
        if (std::find(used.begin(), used.end(), &sw) != used.end())
            continue;
        WriterIdentity id;
        id.name = sw.name;
        id.wideName = wide(sw.name);
        id.source = VSS_ST_OTHER;
        WriterMetadata md;
        applyWriterSettings(id, md, sw);
        svc->addScriptedWriter(std::move(id), sw.instanceId.has_value(), faultsOf(sw), std::move(md));
    }
    for (const Volume &v : scenario.volumes) {
        auto it = std::find_if(svc->volumes().begin(), svc->volumes().end(), [&](const Volume &x) { return x.name == v.name; });
        if (it == svc->volumes().end()) {
            Volume added = v;
            if (added.guidPath.empty())
                added.guidPath = L"\\\\?\\Volume" + wide(formatGuid(svc->rng().guid())) + L"\\";
            svc->volumes().push_back(std::move(added));
        } else {
            it->mountPoints = v.mountPoints;
            it->addFault = v.addFault;
            it->supportFault = v.supportFault;
            it->maxShadowCopies = v.maxShadowCopies;
        }
    }
    svc->callFaults() = scenario.callFaults;
    if (scenario.notReadyFor)
        svc->startNotReady(*scenario.notReadyFor, scenario.notReadyResult);
    scheduleBackground(*svc, scenario.background);
    return svc;
}

namespace {

Step step(std::string call, std::string label = {})
{
    Step s;
    s.call = std::move(call);
    s.label = label.empty() ? s.call : std::move(label);
    return s;
}

/// The correct requester of docs/behaviour.md §2: status after PrepareForBackup, DoSnapshotSet and
/// BackupComplete; AbortBackup and release when DoSnapshotSet fails; never BackupComplete then.
std::vector<Step> backupScript(const Scenario &sc)
{
    std::vector<Step> s;
    s.push_back(step("InitializeForBackup"));
    if (sc.context != VSS_CTX_BACKUP)
        s.push_back(step("SetContext"));
    s.push_back(step("SetBackupState"));
    s.push_back(step("GatherWriterMetadata"));
    if (sc.componentMode)
        s.push_back(step("SelectAllComponents"));
    s.push_back(step("StartSnapshotSet"));
    for (const std::wstring &v : sc.snapshotVolumes) {
        Step add = step("AddToSnapshotSet");
        add.volume = v;
        s.push_back(add);
    }
    s.push_back(step("PrepareForBackup"));
    s.push_back(step("GatherWriterStatus", "after-prepare"));
    s.push_back(step("DoSnapshotSet"));
    s.push_back(step("GatherWriterStatus", "after-snapshot"));
    s.push_back(step("SaveAsXML"));
    s.push_back(step("SetBackupSucceededAll"));
    s.push_back(step("BackupComplete"));
    s.push_back(step("GatherWriterStatus", "after-complete"));
    s.push_back(step("Release"));
    s.push_back(step("ListWriters", "after-release"));
    return s;
}

std::vector<Step> restoreScript(const Scenario &sc)
{
    std::vector<Step> s = backupScript(sc);
    s.push_back(step("InitializeForRestore"));
    s.push_back(step("GatherWriterMetadata", "restore-metadata"));
    s.push_back(step("SelectAllForRestore"));
    s.push_back(step("PreRestore"));
    s.push_back(step("GatherWriterStatus", "after-prerestore"));
    Step files = step("SetFileRestoreStatusAll");
    files.restoreStatus = VSS_RS_ALL;
    s.push_back(files);
    s.push_back(step("PostRestore"));
    s.push_back(step("GatherWriterStatus", "after-postrestore"));
    s.push_back(step("Release", "restore-release"));
    s.push_back(step("ListWriters", "after-restore"));
    return s;
}

/// Run::exec carries out exactly these; anything else would end as E_NOTIMPL at run time.
constexpr std::array<std::string_view, 35> kStepCalls{
    "InitializeForBackup",
    "InitializeForRestore",
    "SetContext",
    "SetBackupState",
    "DisableWriterClasses",
    "EnableWriterClasses",
    "DisableWriterInstances",
    "GatherWriterMetadata",
    "FreeWriterMetadata",
    "StartSnapshotSet",
    "AddToSnapshotSet",
    "PrepareForBackup",
    "DoSnapshotSet",
    "BackupComplete",
    "GatherWriterStatus",
    "GetWriterStatusCount",
    "FreeWriterStatus",
    "AbortBackup",
    "SaveAsXML",
    "PreRestore",
    "PostRestore",
    "Sleep",
    "Wait",
    "Cancel",
    "QueryStatus",
    "Release",
    "NewRequester",
    "RestartWriter",
    "VanishWriter",
    "SelectAllComponents",
    "SetBackupSucceededAll",
    "SelectAllForRestore",
    "SetFileRestoreStatusAll",
    "BackgroundSnapshot",
    "ListWriters",
};

class Run
{
public:
    Run(const Scenario &sc, std::uint64_t seed, std::chrono::milliseconds wallClockLimit, LabelObserver atLabel)
        : sc_(sc), svc_(buildService(sc, seed, wallClockLimit)), wallClockLimit_(wallClockLimit), atLabel_(std::move(atLabel)), checker_(sc, *svc_)
    {
        report_.scenario = sc.name;
        report_.path = sc.path;
        report_.seed = seed;
        svc_->setCallObserver([this](std::string_view op, HRESULT hr, Session &session) {
            checker_.operationEnded(op, hr, session);
        });
    }
    Run(const Run &) = delete;
    Run &operator=(const Run &) = delete;
    ~Run() { svc_->setCallObserver({}); }

    RunReport execute()
    {
        const std::vector<Step> steps = requesterScript(sc_);
        auto lock = svc_->lock();
        newRequester();
        bool skipToRelease = false;
        for (const Step &st : steps) {
            // A correct requester stops after a failed DoSnapshotSet: AbortBackup, release (§2).
            if (skipToRelease && st.call != "Release" && st.call != "ListWriters" && sc_.steps.empty())
                continue;
            svc_->notifyBeforeCall(st.call);
            const HRESULT hr = exec(st);
            report_.stepLog.push_back(fmt::format("{} {} -> {}", formatSimTime(svc_->now()), st.label, hrText(hr)));
            if (st.expect && *st.expect != hr)
                checker_.fail(st.pos, fmt::format("{}: result", st.label), hrText(*st.expect), hrText(hr));
            check(st.label, hr);
            if (sc_.steps.empty() && st.call == "DoSnapshotSet" && FAILED(hr)) {
                skipToRelease = true;
                exec(step("GatherWriterStatus", "after-snapshot"));
                check("after-snapshot", S_OK);
                exec(step("AbortBackup"));
                check("AbortBackup", S_OK);
            }
        }
        session_->release();
        report_.virtualEnd = svc_->now();
        // Let BackupShutdown handlers return and leftover slots be reclaimed (R10: two days).
        svc_->runUntilIdle(saturatingAdd(svc_->now(), std::chrono::hours(72)));
        if (atLabel_)
            atLabel_("", S_OK, *svc_);
        checker_.finish(held_);
        report_.golden = svc_->trace().golden();
        report_.jsonTrace = svc_->trace().jsonLines();
        report_.traceHash = svc_->trace().hash();
        report_.mistakes = svc_->mistakes();
        svc_->scheduler().clear();  // nothing scheduled beyond the drain may keep the session alive
        report_.failures = checker_.failures();
        if (svc_->wallClockLimitReached())
            report_.failures.push_back(ExpectationFailure{
                SourcePos{sc_.path, 1, 1}, "the real-clock run",
                fmt::format("an end within the wall-clock limit of {} s", wallClockLimit_.count() / 1000.0),
                "still waiting at the limit (the rest ran in virtual time)"});
        report_.expectationsChecked = checker_.checked();
        report_.passed = report_.failures.empty();
        return std::move(report_);
    }

private:
    void newRequester()
    {
        if (session_)
            session_->release();
        session_ = std::make_shared<Session>(svc_);
    }

    HRESULT wait(std::string_view op, Result<AsyncPtr> r, bool async)
    {
        if (!r) {
            // An operation refused at the call ends there, as a program's call does (BackupComponents::locked).
            svc_->notifyCall(op, r.hr(), *session_);
            return r.hr();
        }
        pending_ = *r;
        if (async)
            return S_OK;
        // A correct requester: Wait, then QueryStatus for the result (docs/behaviour.md §14, R13 revised).
        session_->wait(*pending_, std::nullopt);
        return session_->queryStatus(*pending_);
    }

    std::vector<VSS_ID> classIds(const Step &st)
    {
        std::vector<VSS_ID> ids;
        for (const std::string &n : st.writers)
            if (WriterEntry *w = liveWriterNamed(*svc_, n))
                ids.push_back(w->identity.classId);
        return ids;
    }

    void holdStatus()
    {
        held_.clear();
        auto count = session_->writerStatusCount();
        if (!count)
            return;
        for (UINT i = 0; i < *count; ++i)
            held_.push_back(**session_->writerStatus(i));
    }

    HRESULT exec(const Step &st)
    {
        Session &s = *session_;
        const std::string &c = st.call;
        if (c == "InitializeForBackup")
            return s.initializeForBackup().hr();
        if (c == "InitializeForRestore")
            return s.initializeForRestore(savedBcd_).hr();
        if (c == "SetContext")
            return s.setContext(st.context.value_or(sc_.context)).hr();
        if (c == "SetBackupState")
            return s.setBackupState(st.selectComponents.value_or(sc_.componentMode), st.bootable.value_or(false),
                                    st.backupType.value_or(sc_.backupType), false).hr();
        if (c == "DisableWriterClasses") {
            auto ids = classIds(st);
            return s.disableWriterClasses(ids.data(), static_cast<UINT>(ids.size())).hr();
        }
        if (c == "EnableWriterClasses") {
            auto ids = classIds(st);
            return s.enableWriterClasses(ids.data(), static_cast<UINT>(ids.size())).hr();
        }
        if (c == "DisableWriterInstances") {
            std::vector<VSS_ID> ids;
            for (const std::string &n : st.writers)
                if (WriterEntry *w = liveWriterNamed(*svc_, n))
                    ids.push_back(w->identity.instanceId);
            return s.disableWriterInstances(ids.data(), static_cast<UINT>(ids.size())).hr();
        }
        if (c == "GatherWriterMetadata")
            return wait("GatherWriterMetadata", s.gatherWriterMetadata(), st.async);
        if (c == "FreeWriterMetadata")
            return s.freeWriterMetadata().hr();
        if (c == "SelectAllComponents")
            return selectAll();
        if (c == "StartSnapshotSet")
            return s.startSnapshotSet().hr();
        if (c == "AddToSnapshotSet") {
            if (!st.volume.empty())
                return s.addToSnapshotSet(st.volume, GUID_NULL).hr();
            HRESULT hr = S_OK;
            for (const std::wstring &v : sc_.snapshotVolumes)
                if (HRESULT r = s.addToSnapshotSet(v, GUID_NULL).hr(); FAILED(r))
                    hr = r;
            return hr;
        }
        if (c == "PrepareForBackup")
            return wait("PrepareForBackup", s.prepareForBackup(), st.async);
        if (c == "DoSnapshotSet")
            return wait("DoSnapshotSet", s.doSnapshotSet(), st.async);
        if (c == "BackupComplete")
            return wait("BackupComplete", s.backupComplete(), st.async);
        if (c == "GatherWriterStatus") {
            const HRESULT hr = wait("GatherWriterStatus", s.gatherWriterStatus(), st.async);
            holdStatus();
            return hr;
        }
        if (c == "FreeWriterStatus")
            return s.freeWriterStatus().hr();
        if (c == "GetWriterStatusCount")
            return s.writerStatusCount().hr();
        if (c == "AbortBackup")
            return s.abortBackup().hr();
        if (c == "SaveAsXML") {
            auto xml = s.saveAsXml();
            if (xml)
                savedBcd_ = *xml;
            return xml.hr();
        }
        if (c == "SetBackupSucceededAll")
            return setBackupSucceededAll(st);
        if (c == "PreRestore")
            return wait("PreRestore", s.preRestore(), st.async);
        if (c == "PostRestore")
            return wait("PostRestore", s.postRestore(), st.async);
        if (c == "SelectAllForRestore") {
            HRESULT hr = S_OK;
            for (const ComponentRecord &rec : std::vector<ComponentRecord>(s.components())) {
                auto r = s.restoreComponent(rec.writerId, rec.logicalPath, rec.name, nullptr);
                if (r)
                    (*r)->selectedForRestore = true;
                else
                    hr = r.hr();
            }
            return hr;
        }
        if (c == "SetFileRestoreStatusAll") {
            HRESULT hr = S_OK;
            for (ComponentRecord &rec : s.components())
                if (rec.selectedForRestore)
                    if (auto r = s.setFileRestoreStatus(rec, st.restoreStatus.value_or(VSS_RS_ALL)); !r)
                        hr = r.hr();
            return hr;
        }
        if (c == "Release" || c == "NewRequester") {
            newRequester();
            return S_OK;
        }
        if (c == "Sleep") {
            svc_->advance(st.duration.value_or(SimDuration{0}));
            return S_OK;
        }
        if (c == "Wait") {
            if (!pending_)
                return E_UNEXPECTED;
            return session_->wait(*pending_, st.duration);
        }
        if (c == "QueryStatus")
            return pending_ ? session_->queryStatus(*pending_) : E_UNEXPECTED;
        if (c == "Cancel")
            return pending_ ? session_->cancel(*pending_) : E_UNEXPECTED;
        if (c == "RestartWriter" || c == "VanishWriter" || c == "BackgroundSnapshot")
            return happen(*svc_, c, st.writer, st.duration);
        if (c == "ListWriters")
            return listWriters();
        return E_NOTIMPL;
    }

    /// Top level: no other component of the writer has a full path ("logical\\name") its logical path lies under.
    static bool isTopLevel(const WriterMetadata &md, const ComponentDecl &decl)
    {
        for (const ComponentDecl &other : md.components) {
            if (&other == &decl)
                continue;
            const std::wstring full = other.logicalPath.empty() ? other.name : other.logicalPath + L"\\" + other.name;
            if (decl.logicalPath == full ||
                (decl.logicalPath.size() > full.size() && decl.logicalPath.starts_with(full) &&
                 decl.logicalPath[full.size()] == L'\\'))
                return false;
        }
        return true;
    }

    HRESULT selectAll()
    {
        Session &s = *session_;
        auto count = s.writerMetadataCount();
        if (!count)
            return count.hr();
        HRESULT hr = S_OK;
        for (UINT i = 0; i < *count; ++i) {
            const ListedWriter *l = *s.writerMetadata(i);
            for (const ComponentDecl &decl : l->metadata.components) {
                // Like DiskShadow: a component that needs a volume outside the set is excluded.
                bool onSet = true;
                for (const auto *files : {&decl.files, &decl.logFiles})
                    for (const FileSpec &f : *files) {
                        bool any = false;
                        for (const std::wstring &v : sc_.snapshotVolumes)
                            any = any || (f.path.size() >= v.size() && std::equal(v.begin(), v.end(), f.path.begin(),
                                [](wchar_t a, wchar_t b) { return std::towlower(a) == std::towlower(b); }));
                        onSet = onSet && any;
                    }
                // A component that is not selectable is not optional (system-critical, like ASR's):
                // at the top level it is added with the rest; below a selectable one it comes with it.
                if (!onSet || (!decl.selectable && !isTopLevel(l->metadata, decl)))
                    continue;
                if (auto r = s.addComponent(l->identity.instanceId, l->identity.classId, decl.type, decl.logicalPath, decl.name); !r)
                    hr = r.hr();
            }
        }
        return hr;
    }

    HRESULT setBackupSucceededAll(const Step &st)
    {
        Session &s = *session_;
        HRESULT hr = S_OK;
        for (const ComponentRecord &rec : std::vector<ComponentRecord>(s.components())) {
            bool ok = true;
            if (st.succeeded) {
                ok = *st.succeeded;
            } else {
                // A correct requester marks a writer's components failed when its status says so (M3).
                for (const StatusEntry &e : held_)
                    if (e.instanceId == rec.instanceId)
                        ok = e.failure == S_OK && e.state == VSS_WS_WAITING_FOR_BACKUP_COMPLETE;
            }
            if (auto r = s.setBackupSucceeded(rec.instanceId, rec.writerId, rec.type, rec.logicalPath, rec.name, ok); !r)
                hr = r.hr();
        }
        return hr;
    }

    /// vssadmin's view: an observer session of its own (Identify + gather), public statuses.
    HRESULT listWriters()
    {
        bool late = false;
        HRESULT hr = S_OK;
        held_ = observeWriters(*svc_, late, &hr);
        return hr;
    }

    void check(const std::string &label, HRESULT result)
    {
        checker_.reached(label, result, held_);
        if (atLabel_)
            atLabel_(label, result, *svc_);
    }

    const Scenario &sc_;
    std::shared_ptr<Service> svc_;
    std::chrono::milliseconds wallClockLimit_;
    LabelObserver atLabel_;
    std::shared_ptr<Session> session_;
    AsyncPtr pending_;
    std::vector<StatusEntry> held_;
    std::wstring savedBcd_;
    ExpectationChecker checker_;
    RunReport report_;
};

} // namespace

void ExpectationChecker::fail(const SourcePos &pos, std::string what, std::string expected, std::string got)
{
    failures_.push_back(ExpectationFailure{pos, std::move(what), std::move(expected), std::move(got)});
}

ExpectationChecker::ExpectationChecker(const Scenario &scenario, Service &service, Requester requester)
    : sc_(scenario), svc_(service),
      scriptRuns_(requester == Requester::Script || requesterScript(scenario).empty())
{
}

bool ExpectationChecker::applies(const Expectation &e) const noexcept
{
    return e.kind() != ExpectationKind::Script || scriptRuns_;
}

std::array<std::size_t, 3> ExpectationChecker::applicableCounts() const noexcept
{
    std::array<std::size_t, 3> counts{};
    for (const Expectation &e : sc_.expectations)
        if (applies(e))
            ++counts[static_cast<std::size_t>(e.kind())];
    return counts;
}

void ExpectationChecker::finish(const std::vector<StatusEntry> &held)
{
    // An expectation whose step or operation never came checked nothing: that is a failure, not a pass.
    for (const Expectation &e : sc_.expectations) {
        if (!applies(e))
            continue;
        if (e.kind() == ExpectationKind::Script && !e.after.empty() && occurrences_[e.after] < e.occurrence && ++checked_)
            fail(e.pos, "after " + e.after, fmt::format("occurrence {} of '{}'", e.occurrence, e.after),
                 fmt::format("{} reached", occurrences_[e.after]));
        // A machine expectation says what the machine does when the requester runs the operation; a
        // program that took another correct path never ran it (the reactions judge the path). The
        // script runs every operation its scenario names.
        const int ended = e.kind() == ExpectationKind::Machine ? ends_[endKey(e)] : 0;
        if (e.kind() == ExpectationKind::Machine && ended < e.occurrence) {
            if (!scriptRuns_ || requesterScript(sc_).empty()) {
                ++notReached_;
            } else {
                ++checked_;
                fail(e.pos, "when " + e.when + " ends", fmt::format("end {} of {}", e.occurrence, e.when),
                     ended == 0 ? "the requester never ran it" : fmt::format("{} ended", ended));
            }
        }
        if (e.kind() == ExpectationKind::Reaction)
            checkReaction(e);
    }
    reached("", S_OK, held);
}

void ExpectationChecker::checkReaction(const Expectation &e)
{
    ++checked_;
    const Reaction *r = findReaction(e.reaction);
    for (const Mistake &m : svc_.mistakes())
        if (std::find(r->mistakes.begin(), r->mistakes.end(), m.id) != r->mistakes.end())
            fail(e.pos, "reaction " + e.reaction, std::string(r->requirement),
                 fmt::format("{} at {}: {}", m.id, formatSimTime(m.at), m.detail));
}

void ExpectationChecker::operationEnded(std::string_view op, HRESULT result, const Session &session)
{
    const auto ops = machineOperations();
    if (std::find(ops.begin(), ops.end(), op) == ops.end())
        return;
    const int ordinal = sessionOrdinals_.try_emplace(session.number(), static_cast<int>(sessionOrdinals_.size()) + 1)
                            .first->second;
    const int mode = session.componentsSelected() ? 1 : 0;
    for (int s : {0, ordinal})
        for (int m : {-1, mode})
            ++ends_[{s, m, std::string(op)}];
    std::optional<std::vector<StatusEntry>> status;
    for (const Expectation &e : sc_.expectations) {
        if (e.kind() != ExpectationKind::Machine || e.when != op)
            continue;
        if ((e.session != 0 && e.session != ordinal) || (e.componentsSelected && *e.componentsSelected != bool(mode)) ||
            e.occurrence != ends_[endKey(e)])
            continue;
        ++checked_;
        if (!status)
            status = session.currentStatus();
        std::string where = fmt::format("when {} ends", op);
        if (e.session != 0)
            where += fmt::format(" in session {}", e.session);
        if (e.componentsSelected)
            where += *e.componentsSelected ? " in component mode" : " in non-component mode";
        if (e.result && *e.result != result)
            fail(e.pos, where + ": result", hrText(*e.result), hrText(result));
        if (e.count && *e.count != status->size())
            fail(e.pos, where + ": writer count", std::to_string(*e.count), std::to_string(status->size()));
        if (!e.writer.empty())
            checkWriter(e, where, *status);
        checkEvents(e, where);
    }
}

void ExpectationChecker::checkEvents(const Expectation &e, const std::string &where)
{
    if (e.events.empty())
        return;
    std::vector<std::string> got;
    for (const TraceRecord &t : svc_.trace().records())
        if (t.kind == TraceKind::Deliver && t.actor == e.writer)
            got.emplace_back(t.what);
    if (got != e.events)
        fail(e.pos, where + ": events of " + e.writer, joinText(e.events, ", "), joinText(got, ", "));
}

void ExpectationChecker::reached(const std::string &label, HRESULT result, const std::vector<StatusEntry> &held)
{
    int &seen = occurrences_[label];
    ++seen;
    for (const Expectation &e : sc_.expectations) {
        if (e.kind() != ExpectationKind::Script || !scriptRuns_)
            continue;
        if (e.after != label || (!label.empty() && e.occurrence != seen))
            continue;
        ++checked_;
        const std::string where = label.empty() ? std::string("at the end") : "after " + label;
        if (e.result && *e.result != result)
            fail(e.pos, where + ": result", hrText(*e.result), hrText(result));
        if (e.count && *e.count != held.size())
            fail(e.pos, where + ": writer count", std::to_string(*e.count), std::to_string(held.size()));
        if (!e.writer.empty())
            checkWriter(e, where, held);
        checkEvents(e, where);
        for (const std::string &id : e.mistakes) {
            const bool found = std::any_of(svc_.mistakes().begin(), svc_.mistakes().end(),
                                           [&](const Mistake &m) { return m.id == id; });
            if (!found)
                fail(e.pos, where + ": requester mistake", id, "not detected");
        }
    }
}

void ExpectationChecker::checkWriter(const Expectation &e, const std::string &where, const std::vector<StatusEntry> &held)
{
    const std::wstring name = wide(e.writer);
    const StatusEntry *entry = nullptr;
    for (const StatusEntry &s : held)
        if (s.name == name)
            entry = &s;
    const std::string who = where + ": " + e.writer;
    if (e.listed && *e.listed != (entry != nullptr)) {
        fail(e.pos, who + " listed", *e.listed ? "listed" : "absent", entry ? "listed" : "absent");
        return;
    }
    if (!entry) {
        if (e.state || e.failure || e.applicationCode || e.message || e.publicState)
            fail(e.pos, who, "a status entry", "absent from the status list");
        return;
    }
    if (e.publicState) {
        // vssadmin's "State:" text, "[8] Failed": the form field reports quote.
        const std::string shown = fmt::format("[{}] {}", static_cast<int>(entry->state), vssadminStateLabel(entry->state).label);
        if (shown != *e.publicState)
            fail(e.pos, who + " as vssadmin shows it", *e.publicState, shown);
    }
    if (e.state && *e.state != entry->state)
        fail(e.pos, who + " state", std::string(writerStateName(*e.state)), std::string(writerStateName(entry->state)));
    if (e.failure && *e.failure != entry->failure)
        fail(e.pos, who + " failure", hrText(*e.failure), hrText(entry->failure));
    if (e.applicationCode && *e.applicationCode != entry->hrApplication)
        fail(e.pos, who + " application code", hrText(*e.applicationCode), hrText(entry->hrApplication));
    if (e.message && (!entry->message || *entry->message != *e.message))
        fail(e.pos, who + " message", quoted(toUtf8(*e.message)), entry->message ? quoted(toUtf8(*entry->message)) : "NULL");
}

std::span<const std::string_view> stepCalls() noexcept
{
    return kStepCalls;
}

std::vector<Step> requesterScript(const Scenario &sc)
{
    if (!sc.steps.empty())
        return sc.steps;
    if (sc.script == "backup")
        return backupScript(sc);
    if (sc.script == "restore")
        return restoreScript(sc);
    if (sc.script == "observer")
        return {step("ListWriters")};
    return {};
}

std::vector<std::string> scriptLabels(const Scenario &sc)
{
    std::vector<std::string> labels;
    for (const Step &s : requesterScript(sc)) {
        labels.push_back(s.label);
        // The built-in requester's failure path: AbortBackup right after a failed DoSnapshotSet.
        if (sc.steps.empty() && s.call == "DoSnapshotSet")
            labels.emplace_back("AbortBackup");
    }
    return labels;
}

RunReport runScenario(const Scenario &scenario, const RunOptions &options, const LabelObserver &atLabel)
{
    Run run(scenario, effectiveSeed(scenario, options), options.wallClockLimit, atLabel);
    return run.execute();
}

} // namespace vsssim
