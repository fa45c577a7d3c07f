// Issue 15's defects, each held by its reproducer: out-of-range enum arguments taken without undefined
// behaviour, time arithmetic that saturates, a Release past zero reported as mistake M19 instead of a
// use-after-free, and loader messages that neither echo a megabyte nor pass control bytes to a terminal.
#include <doctest/doctest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <windows.h>
#include <vss.h>
#include <vswriter.h>
#include <vsbackup.h>
#include <vsssim/vsssim.h>

#include "boundary/com_object.h"
#include "core/alloc_failure.h"
#include "core/clock.h"
#include "core/names.h"
#include "scenario/loader.h"
#include "scenario/runner.h"
#include "service/service.h"

using vsssim::Hr;

namespace {

/// One simulation per case: the win-client writers, virtual time, seed 42.
std::shared_ptr<vsssim::Service> install()
{
    vsssim::ServiceOptions opts;
    opts.seed = 42;
    opts.profiles = {"win-client"};
    auto svc = std::make_shared<vsssim::Service>(opts);
    vsssim::Service::install(svc);
    return svc;
}

bool recorded(const vsssim::Service &svc, std::string_view id)
{
    for (const vsssim::Mistake &m : svc.mistakes())
        if (m.id == id)
            return true;
    return false;
}

/// A value outside the enumeration, as a requester built with another compiler may pass it. A cast
/// makes the value without loading an enum object, which is what -fsanitize=enum checks.
template <class E>
E outOfRange(int raw)
{
    return static_cast<E>(raw);
}

} // namespace

TEST_CASE("Out-of-range enum arguments are E_INVALIDARG, checked on the raw integer")
{
    auto svc = install();
    IVssBackupComponents *p = nullptr;
    REQUIRE(Hr{CreateVssBackupComponents(&p)} == Hr{S_OK});
    CHECK(Hr{p->InitializeForBackup()} == Hr{S_OK});
    CHECK(Hr{p->SetBackupState(true, false, outOfRange<VSS_BACKUP_TYPE>(126))} == Hr{E_INVALIDARG});
    CHECK(Hr{p->SetBackupState(true, false, VSS_BT_FULL)} == Hr{S_OK});   // the session is still usable
    CHECK(Hr{p->AddComponent(GUID_NULL, GUID_NULL, outOfRange<VSS_COMPONENT_TYPE>(4), L"", L"c")} == Hr{E_INVALIDARG});
    CHECK(Hr{p->SetBackupSucceeded(GUID_NULL, GUID_NULL, outOfRange<VSS_COMPONENT_TYPE>(-1), L"", L"c", true)} ==
          Hr{E_INVALIDARG});
    CHECK(Hr{p->SetBackupOptions(GUID_NULL, outOfRange<VSS_COMPONENT_TYPE>(7), L"", L"c", L"o")} == Hr{E_INVALIDARG});
    LONG deleted = 0;
    VSS_ID nondeleted = GUID_NULL;
    CHECK(Hr{p->DeleteSnapshots(GUID_NULL, outOfRange<VSS_OBJECT_TYPE>(99), TRUE, &deleted, &nondeleted)} ==
          Hr{E_INVALIDARG});
    IVssEnumObject *e = nullptr;
    CHECK(Hr{p->Query(GUID_NULL, outOfRange<VSS_OBJECT_TYPE>(99), VSS_OBJECT_SNAPSHOT, &e)} == Hr{E_INVALIDARG});
    CHECK(e == nullptr);
    p->Release();

    REQUIRE(Hr{CreateVssBackupComponents(&p)} == Hr{S_OK});
    CHECK(Hr{p->SetRestoreState(outOfRange<VSS_RESTORE_TYPE>(4))} == Hr{E_INVALIDARG});
    CHECK(Hr{p->SetFileRestoreStatus(GUID_NULL, VSS_CT_FILEGROUP, L"", L"c", outOfRange<VSS_FILE_RESTORE_STATUS>(4))} ==
          Hr{E_INVALIDARG});
    CHECK(Hr{p->SetFileRestoreStatus(GUID_NULL, outOfRange<VSS_COMPONENT_TYPE>(4), L"", L"c", VSS_RS_ALL)} ==
          Hr{E_INVALIDARG});
    CHECK(Hr{p->SetSelectedForRestore(GUID_NULL, outOfRange<VSS_COMPONENT_TYPE>(4), L"", L"c", true)} ==
          Hr{E_INVALIDARG});
    IVssBackupComponentsEx2 *ex2 = nullptr;
    REQUIRE(Hr{p->QueryInterface(IID_IVssBackupComponentsEx2, reinterpret_cast<void **>(&ex2))} == Hr{S_OK});
    CHECK(Hr{ex2->SetRollForward(GUID_NULL, VSS_CT_FILEGROUP, L"", L"c", outOfRange<VSS_ROLLFORWARD_TYPE>(4), L"")} ==
          Hr{E_INVALIDARG});
    ex2->Release();
    p->Release();
}

TEST_CASE("Every enum table answers for exactly its values")
{
    CHECK(vsssim::isEnumValue(VSS_RTYPE_OTHER, vsssim::EnumKind::RestoreType));
    CHECK_FALSE(vsssim::isEnumValue(outOfRange<VSS_RESTORE_TYPE>(4), vsssim::EnumKind::RestoreType));
    CHECK(vsssim::isEnumValue(VSS_RME_RESTORE_STOP_START, vsssim::EnumKind::RestoreMethod));
    CHECK_FALSE(vsssim::isEnumValue(outOfRange<VSS_RESTOREMETHOD_ENUM>(9), vsssim::EnumKind::RestoreMethod));
    CHECK(vsssim::isEnumValue(VSS_WRE_ALWAYS, vsssim::EnumKind::WriterRestore));
    CHECK_FALSE(vsssim::isEnumValue(outOfRange<VSS_WRITERRESTORE_ENUM>(4), vsssim::EnumKind::WriterRestore));
    CHECK(vsssim::isEnumValue(VSS_RT_ORIGINAL_LOCATION, vsssim::EnumKind::RestoreTarget));
    CHECK_FALSE(vsssim::isEnumValue(outOfRange<VSS_RESTORE_TARGET>(5), vsssim::EnumKind::RestoreTarget));
    CHECK_FALSE(vsssim::isEnumValue(outOfRange<VSS_BACKUP_TYPE>(126), vsssim::EnumKind::BackupType));
}

TEST_CASE("Time arithmetic saturates instead of overflowing")
{
    using vsssim::SimDuration;
    const SimDuration longest = std::chrono::hours(24) * 106751;
    CHECK(vsssim::saturatingAdd(longest, longest) == SimDuration::max());
    CHECK(vsssim::saturatingAdd(SimDuration::min(), -longest) == SimDuration::min());
    CHECK(vsssim::saturatingAdd(longest, SimDuration{1}) == longest + SimDuration{1});
    CHECK(vsssim::saturatingFromDouble(1e308) == SimDuration::max());
    CHECK(vsssim::saturatingFromDouble(-1e308) == SimDuration::min());
    CHECK(vsssim::saturatingFromDouble(9223372036854775808.0) == SimDuration::max());
    CHECK(vsssim::saturatingFromDouble(1.5e9) == SimDuration{1'500'000'000});
    // Two Sleeps at the documented maximum: the clock stops at the end of time, it does not wrap.
    auto svc = install();
    auto lock = svc->lock();
    svc->advance(longest);
    svc->advance(longest);
    CHECK(svc->now() == SimDuration::max());
}

TEST_CASE("Release past zero is mistake M19: reported, answered safely, never a use-after-free")
{
    auto svc = install();
    IVssBackupComponents *p = nullptr;
    REQUIRE(Hr{CreateVssBackupComponents(&p)} == Hr{S_OK});
    const std::size_t live = vsssim::liveObjectCount();
    CHECK(p->Release() == 0);
    CHECK(vsssim::liveObjectCount() == live - 1);   // the destructor ran at the last Release
    CHECK_FALSE(recorded(*svc, "M19"));
    CHECK(p->Release() == 0);
    CHECK(recorded(*svc, "M19"));
    CHECK(p->AddRef() == 0);
    void *out = reinterpret_cast<void *>(1);
    CHECK(Hr{p->QueryInterface(IID_IUnknown, &out)} == Hr{E_POINTER});
    CHECK(out == nullptr);
    CHECK(Hr{p->InitializeForBackup()} == Hr{E_POINTER});
    CHECK(vsssim::poisonedBytes() > 0);
    CHECK(vsssim::poisonedBytes() <= vsssim::kPoisonedBytesLimit);
}

TEST_CASE("The poisoned memory is bounded: the oldest released objects are really freed")
{
    auto svc = install();
    for (int i = 0; i < 20000; ++i) {
        IVssBackupComponents *p = nullptr;
        REQUIRE(Hr{CreateVssBackupComponents(&p)} == Hr{S_OK});
        p->Release();
    }
    CHECK(vsssim::poisonedBytes() <= vsssim::kPoisonedBytesLimit);
}

TEST_CASE("Loader messages cut long values and escape control bytes")
{
    const std::string header = "[scenario]\nname = \"t\"\ndescription = \"t\"\n";
    const std::string key(1 << 20, 'k');
    vsssim::LoadResult r = vsssim::parseScenario(header + "[service]\n" + key + " = 1\n", "t.toml");
    REQUIRE_FALSE(r.errors.empty());
    const std::string shown = r.errors.front().format();
    CHECK(shown.size() < 600);
    CHECK(shown.find("(1048576 bytes)") != std::string::npos);

    r = vsssim::parseScenario(header + "[service]\nos = ab\x1b[31m\x07\n", "t.toml");
    REQUIRE_FALSE(r.errors.empty());
    const std::string hint = r.errors.front().format();
    CHECK(hint.find('\x1b') == std::string::npos);
    CHECK(hint.find('\x07') == std::string::npos);
    CHECK(hint.find("\\x1b") != std::string::npos);

    // Nothing past the size bound reaches toml++.
    r = vsssim::parseScenario(std::string((16u << 20) + 1, '#'), "big.toml");
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors.front().format().find("at most 16777216") != std::string::npos);
    // A key of 64 parts is still a key.
    std::string dotted = "a";
    for (int i = 1; i < 64; ++i)
        dotted += ".a";
    r = vsssim::parseScenario(header + "[service]\n" + dotted + " = 1\n", "t.toml");
    REQUIRE_FALSE(r.errors.empty());
    CHECK(r.errors.front().message.find("unknown key") != std::string::npos);
}

TEST_CASE("A real-clock run past its wall-clock limit ends, failed with the reason")
{
    // time_scale 0.001 makes the 25 s delay seven hours of real time; the event timeout would follow it.
    const std::string text = "[scenario]\nname = \"t\"\ndescription = \"t\"\nclock = \"real\"\ntime_scale = 0.001\n"
                             "[service]\nprofiles = [\"none\"]\n"
                             "[[writer]]\nname = \"Slow\"\nclass_id = \"{11111111-2222-3333-4444-555555555555}\"\n"
                             "[[writer.on]]\nevent = \"Identify\"\ndelay = \"25s\"\n";
    vsssim::LoadResult loaded = vsssim::parseScenario(text, "t.toml");
    REQUIRE(loaded.scenario);
    vsssim::RunOptions options;
    options.wallClockLimit = std::chrono::milliseconds(100);
    const vsssim::RunReport report = vsssim::runScenario(*loaded.scenario, options, {});
    CHECK_FALSE(report.passed);
    REQUIRE_FALSE(report.failures.empty());
    CHECK(report.failures.back().what == "the real-clock run");
    CHECK(report.failures.back().expected == "an end within the wall-clock limit of 0.1 s");
}

namespace {

std::size_t gOutOfMemoryAnswers = 0;

/// One call of the lifecycle: its normal result, or E_OUTOFMEMORY with the object as it was, so the
/// same call again gives the normal result (again: with a probability, the retry may fail too).
HRESULT expectOrOutOfMemory(HRESULT expected, const std::function<HRESULT()> &call)
{
    HRESULT hr = call();
    for (int attempt = 0; attempt < 32 && hr == E_OUTOFMEMORY && expected != E_OUTOFMEMORY; ++attempt) {
        ++gOutOfMemoryAnswers;
        hr = call();   // the session is still usable
    }
    CHECK(Hr{hr} == Hr{expected});
    return hr;
}

/// An asynchronous operation started (or refused E_OUTOFMEMORY and started again), waited on, read.
void operation(const std::function<HRESULT(IVssAsync **)> &start)
{
    IVssAsync *async = nullptr;
    expectOrOutOfMemory(S_OK, [&] {
        async = nullptr;
        const HRESULT hr = start(&async);
        if (FAILED(hr))
            CHECK(async == nullptr);   // nothing handed out
        return hr;
    });
    REQUIRE(async != nullptr);
    CHECK(Hr{async->Wait()} == Hr{S_OK});
    HRESULT result = S_OK;
    CHECK(Hr{async->QueryStatus(&result, nullptr)} == Hr{S_OK});
    CHECK(Hr{result} == Hr{VSS_S_ASYNC_FINISHED});
    async->Release();
}

void readStatus(IVssBackupComponents *p, IVssBackupComponentsEx3 *ex3)
{
    operation([&](IVssAsync **a) { return p->GatherWriterStatus(a); });
    UINT count = 0;
    REQUIRE(Hr{p->GetWriterStatusCount(&count)} == Hr{S_OK});
    REQUIRE(count > 0);
    for (UINT i = 0; i < count; ++i)
        for (bool ex : {false, true})
            expectOrOutOfMemory(S_OK, [&] {
                VSS_ID instance{}, writer{};
                BSTR name = nullptr, message = nullptr;
                VSS_WRITER_STATE state{};
                HRESULT failure = S_OK, application = S_OK;
                const HRESULT hr = ex ? ex3->GetWriterStatusEx(i, &instance, &writer, &name, &state, &failure,
                                                               &application, &message)
                                      : p->GetWriterStatus(i, &instance, &writer, &name, &state, &failure);
                CHECK((hr == S_OK) == (name != nullptr));   // a name exactly when the call succeeded
                if (hr != S_OK)
                    CHECK(message == nullptr);
                SysFreeString(name);
                SysFreeString(message);
                return hr;
            });
    expectOrOutOfMemory(S_OK, [&] { return p->FreeWriterStatus(); });
}

/// A whole component-less backup of C:\ with every status check, through the public API: each call gives
/// its normal result or E_OUTOFMEMORY, and after E_OUTOFMEMORY the same call again gives the normal result.
void backupLifecycle()
{
    auto svc = install();
    const std::size_t bstrs = vsssim::liveBstrCount();
    IVssBackupComponents *p = nullptr;
    REQUIRE(Hr{CreateVssBackupComponents(&p)} == Hr{S_OK});
    IVssBackupComponentsEx3 *ex3 = nullptr;
    REQUIRE(Hr{p->QueryInterface(IID_IVssBackupComponentsEx3, reinterpret_cast<void **>(&ex3))} == Hr{S_OK});
    expectOrOutOfMemory(S_OK, [&] { return p->InitializeForBackup(); });
    CHECK(Hr{p->SetBackupState(false, false, VSS_BT_FULL, false)} == Hr{S_OK});
    operation([&](IVssAsync **a) { return p->GatherWriterMetadata(a); });
    readStatus(p, ex3);
    VSS_ID setId{}, snapshotId{};
    expectOrOutOfMemory(S_OK, [&] { return p->StartSnapshotSet(&setId); });
    expectOrOutOfMemory(S_OK, [&] { return p->AddToSnapshotSet(const_cast<VSS_PWSZ>(L"C:\\"), GUID_NULL, &snapshotId); });
    operation([&](IVssAsync **a) { return p->PrepareForBackup(a); });
    readStatus(p, ex3);
    operation([&](IVssAsync **a) { return p->DoSnapshotSet(a); });
    readStatus(p, ex3);
    expectOrOutOfMemory(S_OK, [&] {
        VSS_SNAPSHOT_PROP prop{};
        const HRESULT hr = p->GetSnapshotProperties(snapshotId, &prop);
        if (hr == S_OK)
            CHECK(prop.m_pwszSnapshotDeviceObject != nullptr);
        else
            CHECK(prop.m_pwszSnapshotDeviceObject == nullptr);   // filled completely or not at all
        VssFreeSnapshotProperties(&prop);
        return hr;
    });
    operation([&](IVssAsync **a) { return p->BackupComplete(a); });
    readStatus(p, ex3);
    ex3->Release();
    p->Release();
    CHECK(vsssim::liveBstrCount() == bstrs);   // no leak on either path
    CHECK(svc->stateTableBreaks() == 0);       // and the state table never saw an impossible pair
}

} // namespace

TEST_CASE("Allocation failure injection: a sweep over every allocation point of a whole backup")
{
    vsssim::failAllocationAt(0);
    gOutOfMemoryAnswers = 0;
    backupLifecycle();
    CHECK(gOutOfMemoryAnswers == 0);
    const std::uint64_t points = vsssim::allocationPointsPassed();
    REQUIRE(points > 20);   // the operations, the status reads' BSTRs, the snapshot properties' strings
    for (std::uint64_t n = 1; n <= points; ++n) {
        INFO("failing allocation point ", n, " of ", points);
        vsssim::failAllocationAt(n);
        backupLifecycle();
    }
    CHECK(gOutOfMemoryAnswers == points);   // every point failed once, and was answered E_OUTOFMEMORY
    vsssim::failAllocationAt(0);
}

TEST_CASE("Allocation failure injection by probability: seeded, so the same seed fails the same points")
{
    auto failuresWith = [](std::uint64_t seed) {
        vsssim::failAllocationWithProbability(0.2, seed);
        gOutOfMemoryAnswers = 0;
        backupLifecycle();   // every call still ends in its normal result, or E_OUTOFMEMORY and then it
        return gOutOfMemoryAnswers;
    };
    const std::size_t first = failuresWith(7);
    CHECK(first > 0);
    CHECK(failuresWith(7) == first);
    vsssim::failAllocationAt(0);
    CHECK(vsssim::parseScenario("[scenario]\nname = \"t\"\ndescription = \"t\"\n[service]\nfail_allocation_probability = 1.5\n",
                                "t.toml").errors.at(0).format() ==
          "t.toml:5:31: error: 'fail_allocation_probability' must be above 0 and at most 1, got float 1.5");
    vsssim::LoadResult loaded = vsssim::parseScenario(
        "[scenario]\nname = \"t\"\ndescription = \"t\"\n[service]\nfail_allocation_probability = 0.01\n", "t.toml");
    REQUIRE(loaded.scenario);
    CHECK(loaded.scenario->settings.failAllocationProbability == doctest::Approx(0.01));
}

TEST_CASE("[service] fail_allocation arms the injection; GetWriterStatusEx returns E_OUTOFMEMORY")
{
    const std::string text = "[scenario]\nname = \"t\"\ndescription = \"t\"\n[service]\nfail_allocation = 0\n";
    CHECK(vsssim::parseScenario(text, "t.toml").errors.at(0).format() ==
          "t.toml:5:19: error: 'fail_allocation' must be between 1 and 2147483647, got 0");
    vsssim::LoadResult loaded =
        vsssim::parseScenario("[scenario]\nname = \"t\"\ndescription = \"t\"\n[service]\nfail_allocation = 3\n", "t.toml");
    REQUIRE(loaded.scenario);
    CHECK(loaded.scenario->settings.failAllocation == 3);
    vsssim::failAllocationAt(0);
}
