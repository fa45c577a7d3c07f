#include "service/machine.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>

#include <filesystem>

#include <toml++/toml.h>

#include "core/guid.h"
#include "core/names.h"
#include "core/process.h"
#include "platform/platform.h"
#include "service/service.h"
#include "service/shadow_attributes.h"

namespace vsssim {

namespace {

constexpr std::string_view kFormat = "vss-sim machine";
constexpr std::int64_t kVersion = 1;

struct Machine {
    std::string dir;
    std::string file;          ///< DIR/machine.toml
    platform::FileLock lock = platform::kNoLock;
    std::weak_ptr<Service> service;
};

std::mutex gMachineMutex;
Machine *gMachine = nullptr;
std::int64_t gRuns = 1;   ///< processes that have used the machine, this one included
std::string gScenario;    ///< the scenario the machine runs under, kept as the file said

/// Text the machine file holds: toml++ has checked it is UTF-8, so the conversion cannot fail.
std::wstring wide(const std::string &text)
{
    return fromUtf8(text).value_or(std::wstring{});
}

[[noreturn]] void unusable(const std::string &where, const std::string &message)
{
    std::fprintf(stderr, "%s: error: %s\n", where.c_str(), message.c_str());
    std::fprintf(stderr, "vss-sim: VSSSIM_MACHINE cannot be used; the file is left as it is; stopping (exit status 3)\n");
    exitProcessNow(3);
}

std::string at(const std::string &file, const toml::node &n)
{
    const toml::source_position p = n.source().begin;
    return file + ":" + std::to_string(p.line) + ":" + std::to_string(p.column);
}

bool persistent(const Service &service, const ShadowCopy &s)
{
    return (shadowCopyAttributes(s.context, const_cast<Service &>(service).provider()) & VSS_VOLSNAP_ATTR_PERSISTENT) != 0;
}

/// The machine's clock now, in FILETIME units: the run's start plus virtual time.
std::int64_t machineNow(Service &service)
{
    return service.settings().startFileTime + service.now().count() / 100;
}

void load(Service &service, const Machine &m)
{
    toml::table doc;
    try {
        doc = toml::parse_file(m.file);
    } catch (const toml::parse_error &e) {
        const toml::source_position p = e.source().begin;
        unusable(m.file + ":" + std::to_string(p.line) + ":" + std::to_string(p.column), std::string(e.description()));
    }
    const auto format = doc["format"].value<std::string>();
    if (!format || *format != kFormat)
        unusable(m.file + ":1:1", "not a vss-sim machine file (format = \"vss-sim machine\" missing)");
    const auto version = doc["version"].value<std::int64_t>();
    if (!version || *version < 1)
        unusable(m.file + ":1:1", "no valid version");
    if (*version > kVersion)
        unusable(at(m.file, *doc.get("version")),
                 "version " + std::to_string(*version) + " is newer than this vss-sim's (" + std::to_string(kVersion) + ")");

    // The volumes first: shadow copies name them by GUID path, which must not change between runs.
    if (const toml::array *volumes = doc["volume"].as_array())
        for (const toml::node &node : *volumes) {
            const toml::table *t = node.as_table();
            const auto name = t ? (*t)["name"].value<std::string>() : std::nullopt;
            const auto guid = t ? (*t)["guid_path"].value<std::string>() : std::nullopt;
            if (!name || !guid)
                unusable(at(m.file, node), "a [[volume]] needs name and guid_path");
            for (Volume &v : service.volumes())
                if (v.name == wide(*name))
                    v.guidPath = wide(*guid);
        }
    if (const auto clock = doc["clock"].value<std::int64_t>())
        service.settings().startFileTime = *clock;   // time goes on from where the last process left it
    // Each process on the machine draws new GUIDs: the seed, mixed with how many ran before, seeds
    // this one (a replay of the same history draws the same ones).
    gScenario = doc["scenario"].value_or(std::string{});
    const std::int64_t runs = doc["runs"].value_or(std::int64_t{0});
    service.rng() = Rng{service.rng().next() ^ (0xd1b54a32d192ed03ULL * static_cast<std::uint64_t>(runs + 1))};
    gRuns = runs + 1;

    // Writers keep their instance ids and public status between requesters, as the system writers
    // do while Windows runs: a failure one backup left is what the next process's vssadmin shows (X3).
    if (const toml::array *writers = doc["writer"].as_array())
        for (const toml::node &node : *writers) {
            const toml::table *t = node.as_table();
            const auto classId = t ? parseGuid((*t)["class_id"].value_or(std::string{})) : std::nullopt;
            const auto instanceId = t ? parseGuid((*t)["instance_id"].value_or(std::string{})) : std::nullopt;
            const auto name = t ? (*t)["name"].value<std::string>() : std::nullopt;
            const auto state = t ? (*t)["state"].value<std::int64_t>() : std::nullopt;
            if (!classId || !instanceId || !name || !state || *state < VSS_WS_UNKNOWN || *state >= VSS_WS_COUNT)
                unusable(at(m.file, node), "a [[writer]] needs class_id, instance_id, name and a VSS_WS_* state number");
            for (const auto &w : service.writers().all())
                if (w->identity.classId == *classId && w->identity.name == *name && !w->vanished) {
                    w->identity.instanceId = *instanceId;
                    w->publicStatus.state = static_cast<VSS_WRITER_STATE>(*state);
                    w->publicStatus.failure = static_cast<HRESULT>((*t)["failure"].value_or(std::int64_t{0}));
                    w->publicStatus.hrApplication = static_cast<HRESULT>((*t)["application"].value_or(std::int64_t{0}));
                    if (const auto message = (*t)["message"].value<std::string>())
                        w->publicStatus.message = wide(*message);
                }
        }

    // Session slots a requester held when its process ended (killed, or never gathering after
    // BackupComplete) stay leftovers until the service reclaims them two days after they were taken (R10).
    if (const toml::array *slots = doc["slot"].as_array())
        for (const toml::node &node : *slots) {
            const toml::table *t = node.as_table();
            const auto instanceId = t ? parseGuid((*t)["instance_id"].value_or(std::string{})) : std::nullopt;
            const auto taken = t ? (*t)["taken"].value<std::int64_t>() : std::nullopt;
            if (!instanceId || !taken)
                unusable(at(m.file, node), "a [[slot]] needs instance_id and taken (a FILETIME)");
            WriterEntry *writer = service.writers().findInstance(*instanceId);
            if (!writer)
                continue;   // the writer restarted since (a new instance id): its old sessions are gone
            const SimDuration heldFor{std::max<std::int64_t>(0, service.settings().startFileTime - *taken) * 100};
            const int index = service.takeSlot(*writer, 0, (*t)["restore"].value_or(false),
                                               parseGuid((*t)["set_id"].value_or(std::string{})).value_or(GUID_NULL),
                                               heldFor);
            if (index < 0)
                continue;
            Service::Slot &slot = service.slot(index);
            slot.lastOperation = (*t)["operation"].value_or(std::string{});
            slot.lastState = static_cast<VSS_WRITER_STATE>((*t)["state"].value_or(std::int64_t{VSS_WS_UNKNOWN}));
            slot.lastFailure = static_cast<HRESULT>((*t)["failure"].value_or(std::int64_t{0}));
        }

    long maxDevice = 0;
    if (const toml::array *shadows = doc["shadow"].as_array())
        for (const toml::node &node : *shadows) {
            const toml::table *t = node.as_table();
            if (!t)
                unusable(at(m.file, node), "[[shadow]] must be a table");
            const auto id = parseGuid((*t)["id"].value_or(std::string{}));
            const auto setId = parseGuid((*t)["set_id"].value_or(std::string{}));
            const auto volume = (*t)["volume"].value<std::string>();
            const auto device = (*t)["device"].value<std::int64_t>();
            const auto context = (*t)["context"].value<std::int64_t>();
            const auto created = (*t)["created"].value<std::int64_t>();
            if (!id || !setId || !volume || !device || !context || !created)
                unusable(at(m.file, node), "a [[shadow]] needs id, set_id, volume, device, context and created");
            const auto index = service.findVolume(wide(*volume));
            if (!index)
                unusable(at(m.file, node), "shadow copy of volume " + *volume + ", which this machine does not have");
            ShadowCopy s;
            s.id = *id;
            s.setId = *setId;
            s.volume = *index;
            s.deviceNumber = static_cast<long>(*device);
            s.context = static_cast<LONG>(*context);
            // Before this process started: a negative virtual time.
            s.created = SimTime{(*created - service.settings().startFileTime) * 100};
            s.committed = true;
            service.shadowCopies().push_back(s);
            maxDevice = std::max(maxDevice, s.deviceNumber);
        }
    // Device numbers are never reused, as HarddiskVolumeShadowCopyN is not on Windows.
    if (maxDevice > 0)
        while (service.nextDeviceNumber() < maxDevice) {
        }
}

std::string render(Service &service)
{
    toml::table doc;
    doc.insert("format", std::string(kFormat));
    doc.insert("version", kVersion);
    doc.insert("clock", machineNow(service));
    doc.insert("runs", gRuns);
    if (!gScenario.empty())
        doc.insert("scenario", gScenario);
    toml::array volumes;
    for (const Volume &v : service.volumes())
        volumes.push_back(toml::table{{"name", toUtf8(v.name)}, {"guid_path", toUtf8(v.guidPath)}});
    doc.insert("volume", std::move(volumes));
    toml::array writers;
    for (const auto &w : service.writers().all()) {
        if (w->vanished || !w->subscribed)
            continue;
        toml::table t{{"class_id", formatGuid(w->identity.classId)},
                      {"instance_id", formatGuid(w->identity.instanceId)},
                      {"name", w->identity.name},
                      {"state", static_cast<std::int64_t>(w->publicStatus.state)},
                      {"failure", static_cast<std::int64_t>(w->publicStatus.failure)},
                      {"application", static_cast<std::int64_t>(w->publicStatus.hrApplication)}};
        if (w->publicStatus.message)
            t.insert("message", toUtf8(*w->publicStatus.message));
        writers.push_back(std::move(t));
    }
    doc.insert("writer", std::move(writers));
    toml::array slots;
    for (std::size_t i = 0; i < service.slotCount(); ++i) {
        const Service::Slot &s = service.slot(static_cast<int>(i));
        const WriterEntry *w = s.held ? service.writers().find(s.writerUid) : nullptr;
        if (!w || w->vanished || !w->subscribed)
            continue;
        slots.push_back(toml::table{{"instance_id", formatGuid(w->identity.instanceId)},
                                    {"restore", s.restore},
                                    {"taken", service.settings().startFileTime + s.taken.count() / 100},
                                    {"set_id", formatGuid(s.snapshotSetId)},
                                    {"operation", s.lastOperation},
                                    {"state", static_cast<std::int64_t>(s.lastState)},
                                    {"failure", static_cast<std::int64_t>(s.lastFailure)}});
    }
    doc.insert("slot", std::move(slots));
    toml::array shadows;
    for (const ShadowCopy &s : service.shadowCopies()) {
        if (!s.committed || !persistent(service, s))
            continue;   // auto-release shadow copies end with their requester, as on Windows
        shadows.push_back(toml::table{{"id", formatGuid(s.id)},
                                      {"set_id", formatGuid(s.setId)},
                                      {"volume", toUtf8(service.volumes()[s.volume].guidPath)},
                                      {"device", static_cast<std::int64_t>(s.deviceNumber)},
                                      {"context", static_cast<std::int64_t>(s.context)},
                                      {"created", service.settings().startFileTime + s.created.count() / 100}});
    }
    doc.insert("shadow", std::move(shadows));
    std::ostringstream out;
    out << "# vss-sim machine state (VSSSIM_MACHINE): what outlives a process. Written by vss-sim.\n" << doc << "\n";
    return out.str();
}

void write(const Machine &m, const std::string &text)
{
    if (std::string error; !platform::replaceFile(m.file, text, error))
        std::fprintf(stderr, "vss-sim: VSSSIM_MACHINE=%s: cannot write %s: %s\n", m.dir.c_str(), m.file.c_str(),
                     error.c_str());
}

void saveAtExit()
{
    std::lock_guard guard(gMachineMutex);
    if (!gMachine)
        return;
    if (auto service = gMachine->service.lock()) {
        auto lock = service->lock();
        write(*gMachine, render(*service));
    }
}

} // namespace

namespace {

platform::FileLock lockMachine(const std::string &dir)
{
    const std::string lockPath = dir + "/machine.lock";
    std::string error;
    // One process at a time owns the machine, as one VSS service serves one requester's backup.
    const platform::FileLock lock = platform::lockFile(lockPath, error);
    if (lock == platform::kNoLock)
        unusable(lockPath, error);
    return lock;
}

bool isDirectory(const std::string &dir)
{
    std::error_code ec;
    return std::filesystem::is_directory(dir, ec);
}

bool fileExists(const std::string &file)
{
    std::error_code ec;
    return std::filesystem::exists(file, ec);
}

} // namespace

void attachMachineDir(Service &service, const std::string &dir, MachineAccess access)
{
    auto m = std::make_unique<Machine>();
    m->dir = dir;
    m->file = m->dir + "/machine.toml";
    if (!isDirectory(dir))
        unusable(m->dir, "VSSSIM_MACHINE must name an existing directory");
    m->lock = lockMachine(dir);
    {
        auto lock = service.lock();
        if (fileExists(m->file))
            load(service, *m);
    }
    if (access == MachineAccess::ReadOnly) {
        platform::unlockFile(m->lock);   // what was read is a snapshot; the machine is free again
        return;
    }
    m->service = service.weak_from_this();
    std::lock_guard guard(gMachineMutex);
    gMachine = m.release();   // lives until exit, with the lock
    static const bool registered = (std::atexit(saveAtExit), true);
    (void)registered;
}

void attachMachine(Service &service)
{
    const char *dir = std::getenv("VSSSIM_MACHINE");
    if (dir && *dir)
        attachMachineDir(service, dir, MachineAccess::ReadWrite);
}

bool initMachine(Service &service, const std::string &dir, const std::string &scenario, std::string &error)
{
    if (std::error_code ec; !isDirectory(dir) && !std::filesystem::create_directory(dir, ec)) {
        error = dir + ": " + ec.message();
        return false;
    }
    Machine m;
    m.dir = dir;
    m.file = dir + "/machine.toml";
    m.lock = lockMachine(dir);
    const bool exists = fileExists(m.file);
    if (exists) {
        error = m.file + ": a machine is already there (vss-sim machine reset " + dir + " forgets it)";
    } else {
        auto lock = service.lock();
        gRuns = 0;
        gScenario = scenario;
        write(m, render(service));
    }
    platform::unlockFile(m.lock);
    return !exists;
}

std::string machineScenario(const std::string &dir)
{
    if (dir.empty())
        return {};
    try {
        const toml::table doc = toml::parse_file(dir + "/machine.toml");
        return doc["scenario"].value_or(std::string{});
    } catch (const std::exception &) {
        return {};   // a missing or bad file is reported when the machine is attached
    }
}

bool resetMachine(const std::string &dir, std::string &error)
{
    if (!isDirectory(dir)) {
        error = dir + ": not a directory";
        return false;
    }
    const platform::FileLock machineLock = lockMachine(dir);
    const std::string file = dir + "/machine.toml";
    std::error_code ec;
    std::filesystem::remove(file, ec);   // no file is no machine already
    const bool ok = !ec;
    if (!ok)
        error = file + ": " + ec.message();
    platform::unlockFile(machineLock);
    return ok;
}

void saveMachine(Service &service)
{
    std::lock_guard guard(gMachineMutex);
    if (!gMachine || gMachine->service.lock().get() != &service)
        return;
    write(*gMachine, render(service));
}

} // namespace vsssim
