// The scenario loader: the annotated example arrives field by field, the defaults hold, every
// malformed file of tests/malformed/ gets exactly the error its first line promises, and no input,
// however mangled, crashes it.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/guid.h"
#include "core/names.h"
#include "core/rng.h"
#include "scenario/loader.h"
#include "scenario/runner.h"
#include "scenario/spelling.h"

#ifndef MALFORMED_DIR
#error "tests/meson.build passes MALFORMED_DIR"
#endif
#ifndef SCENARIOS_DIR
#error "tests/meson.build passes SCENARIOS_DIR"
#endif

namespace vsssim {
namespace {

using namespace std::chrono_literals;

const std::string kHeader = "[scenario]\nname = \"t\"\ndescription = \"t\"\n";

std::string readFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

Scenario load(const std::string &text)
{
    LoadResult r = parseScenario(text, "t.toml");
    for (const ScenarioError &e : r.errors)
        INFO(e.format());
    REQUIRE(r.errors.empty());
    REQUIRE(r.scenario);
    return *r.scenario;
}

/// The first error of text, formatted; "" when it loads.
std::string firstError(const std::string &text)
{
    LoadResult r = parseScenario(text, "t.toml");
    CHECK(r.scenario.has_value() == r.errors.empty());
    return r.errors.empty() ? std::string{} : r.errors.front().format();
}

GUID guidOf(std::string_view text)
{
    auto g = parseGuid(text);
    REQUIRE(g);
    return *g;
}

} // namespace

TEST_SUITE("scenario")
{

TEST_CASE("the annotated example loads with every key in place")
{
    LoadResult r = loadScenarioFile(SCENARIOS_DIR "/reference/example-annotated.toml");
    for (const ScenarioError &e : r.errors)
        INFO(e.format());
    REQUIRE(r.errors.empty());
    const Scenario &s = *r.scenario;

    // [scenario]
    CHECK(s.path == SCENARIOS_DIR "/reference/example-annotated.toml");
    CHECK(s.name == "example-annotated");
    CHECK(s.description == "Every key of the scenario format, annotated.");
    CHECK(s.sources == std::vector<std::string>{"https://github.com/microsoft/CSS-Exchange/issues/2093",
                                                "MicrosoftDocs/win32 desktop-src/VSS/vss-test-writer-tool.md"});
    CHECK(s.seed == 42);
    CHECK(s.realTime);
    CHECK(s.timeScale == 60.0);

    // [service]
    CHECK(s.profiles == std::vector<std::string>{"win-server", "sql", "exchange"});
    CHECK(s.settings.eventTimeout == 180s);
    CHECK(s.settings.holdWritesLimit == 10s);
    CHECK(s.provider.commitDuration == 1s);
    CHECK(Hr{s.provider.commitFault} == Hr{VSS_E_PROVIDER_VETO});
    REQUIRE(s.provider.writerAbortResult);
    CHECK(Hr{*s.provider.writerAbortResult} == Hr{VSS_E_UNEXPECTED_WRITER_ERROR});
    CHECK(s.settings.backupSlots == 64);
    CHECK(s.settings.restoreSlots == 1);
    CHECK(s.settings.slotReclaimAge == 48h);
    CHECK(s.settings.shuffleStatus);
    CHECK_FALSE(s.settings.strict);
    REQUIRE(s.notReadyFor);
    CHECK(*s.notReadyFor == 20s);
    CHECK(Hr{s.notReadyResult} == Hr{VSS_E_UNEXPECTED});
    CHECK(s.provider.unsupportedContexts ==
          std::vector<LONG>{VSS_CTX_APP_ROLLBACK, LONG{VSS_CTX_BACKUP} | LONG{VSS_VOLSNAP_ATTR_TRANSPORTABLE}, VSS_CTX_NAS_ROLLBACK});
    CHECK(s.settings.hostName == L"SRV01");

    // [[volume]]
    REQUIRE(s.volumes.size() == 2);
    CHECK(s.volumes[0].name == L"D:\\");
    CHECK(s.volumes[0].mountPoints == std::vector<std::wstring>{L"C:\\Mount\\Data\\"});
    CHECK(Hr{s.volumes[0].supportFault} == Hr{VSS_E_UNEXPECTED_PROVIDER_ERROR});
    CHECK(Hr{s.volumes[0].addFault} == Hr{S_OK});
    CHECK(s.volumes[0].maxShadowCopies == 64);
    CHECK(s.volumes[1].name == L"E:\\");
    CHECK(Hr{s.volumes[1].addFault} == Hr{VSS_E_NESTED_VOLUME_LIMIT});

    // [[writer]]: a modified profile writer with components, event faults and a component failure
    REQUIRE(s.writers.size() == 5);
    const ScenarioWriter &sql = s.writers[0];
    CHECK(sql.name == "SqlServerWriter");
    CHECK_FALSE(sql.classId);
    REQUIRE(sql.instanceId);
    CHECK(*sql.instanceId == guidOf("{0e2ec8d9-3a1c-4b3e-9a61-0a4d5c2b7f10}"));
    CHECK(sql.instanceName == std::optional<std::wstring>{L"SQLEXPRESS"});
    CHECK(sql.usage == std::optional{VSS_UT_USERDATA});
    CHECK(sql.freezeTimeout == std::optional<SimDuration>{20s});
    CHECK(sql.faults.statusDelay == 2s);
    CHECK_FALSE(sql.faults.ignoreStatus);
    CHECK(sql.pos.line > 0);
    REQUIRE(sql.components);
    REQUIRE(sql.components->size() == 2);
    const ComponentDecl &master = (*sql.components)[0];
    CHECK(master.name == L"master");
    CHECK(master.logicalPath == L"SRV01\\MSSQLSERVER");
    CHECK(master.type == VSS_CT_DATABASE);
    CHECK(master.selectable);
    REQUIRE(master.files.size() == 2);
    CHECK(master.files[0].path == L"E:\\SQL\\");
    CHECK(master.files[0].filespec == L"master.mdf");
    CHECK(master.files[1].path == L"C:\\SQL\\");
    CHECK(master.files[1].filespec == L"*.ldf");
    CHECK((*sql.components)[1].type == VSS_CT_FILEGROUP);   // the default
    CHECK((*sql.components)[1].logicalPath.empty());

    REQUIRE(sql.faults.events.size() == 4);
    const EventFault &post = sql.faults.events[0];
    CHECK(post.event == Input::PostSnapshot);
    CHECK(post.fail);
    CHECK_FALSE(post.veto);
    CHECK(Hr{post.hrWriter} == Hr{VSS_E_WRITERERROR_NONRETRYABLE});
    CHECK(post.hrApplication == std::optional<HRESULT>{static_cast<HRESULT>(0x80070005)});
    CHECK(post.message == std::optional<std::wstring>{L"access denied on the log folder"});
    CHECK(post.whenComponentsSelected == std::optional<bool>{false});
    CHECK(post.firstN == 2);
    const EventFault &prep = sql.faults.events[1];
    CHECK(prep.event == Input::PrepareForSnapshot);
    CHECK(prep.veto);
    CHECK(Hr{prep.hrWriter} == Hr{VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT});
    CHECK(prep.requireVolumes == std::vector<std::wstring>{L"C:\\", L"E:\\"});
    CHECK(prep.firstN == -1);
    const EventFault &freeze = sql.faults.events[2];
    CHECK(freeze.event == Input::Freeze);
    CHECK_FALSE(freeze.fail);
    CHECK(freeze.delay == 25s);
    const EventFault &complete = sql.faults.events[3];
    CHECK(complete.event == Input::BackupComplete);
    CHECK_FALSE(complete.fail);
    REQUIRE(complete.componentFailures.size() == 1);
    CHECK(complete.componentFailures[0].first == L"SRV01\\MSSQLSERVER\\master");
    CHECK(Hr{complete.componentFailures[0].second.hrWriter} == Hr{VSS_E_WRITERERROR_RETRYABLE});
    CHECK(Hr{complete.componentFailures[0].second.hrApplication} == Hr{static_cast<HRESULT>(0x80070070)});
    CHECK(complete.componentFailures[0].second.message == std::optional<std::wstring>{L"disk full while truncating the log"});

    const ScenarioWriter &exchange = s.writers[1];
    CHECK(exchange.name == "Microsoft Exchange Writer");
    CHECK(exchange.freezeTimeout == std::optional<SimDuration>{20s});
    REQUIRE(exchange.faults.events.size() == 3);
    CHECK(exchange.faults.events[0].event == Input::PrepareForBackup);
    CHECK(exchange.faults.events[0].fail);
    CHECK(exchange.faults.events[0].veto);
    CHECK(Hr{exchange.faults.events[0].hrWriter} == Hr{S_OK});   // bare false
    CHECK(exchange.faults.events[1].event == Input::Thaw);
    CHECK(exchange.faults.events[1].hang);
    CHECK_FALSE(exchange.faults.events[1].fail);
    CHECK(exchange.faults.events[2].randomRetryable);
    CHECK(exchange.faults.events[2].fail);
    CHECK(exchange.faults.events[2].firstN == 1);

    const ScenarioWriter &replica = s.writers[2];
    CHECK(replica.faults.ignoreStatus);
    REQUIRE(replica.faults.events.size() == 2);
    CHECK(replica.faults.events[0].event == Input::PrepareForSnapshot);   // "PrepareForSnapsot"
    CHECK(Hr{replica.faults.events[0].hrWriter} == Hr{VSS_E_WRITERERROR_NONRETRYABLE});
    CHECK(replica.faults.events[0].firstN == 2);
    CHECK(replica.faults.events[1].randomRetryable);
    CHECK(replica.faults.events[1].firstN == -1);

    CHECK(s.writers[3].name == "System Writer");
    CHECK(s.writers[3].faults.identifyLost);

    const ScenarioWriter &test = s.writers[4];
    REQUIRE(test.classId);
    CHECK(*test.classId == guidOf("5affb034-969f-4919-8875-88f830d0ef89"));
    CHECK(test.identifyFails);
    REQUIRE(test.faults.events.size() == 1);
    CHECK(test.faults.events[0].event == Input::Identify);
    CHECK(test.faults.events[0].firstN == 1);

    // [[fault]]
    REQUIRE(s.callFaults.size() == 2);
    CHECK(s.callFaults[0].method == "GatherWriterStatus");
    CHECK(Hr{s.callFaults[0].hr} == Hr{VSS_E_WRITER_INFRASTRUCTURE});
    CHECK(s.callFaults[0].occurrence == 1);
    CHECK(s.callFaults[0].async);
    CHECK(s.callFaults[1].method == "CreateVssBackupComponents");
    CHECK(Hr{s.callFaults[1].hr} == Hr{E_ACCESSDENIED});
    CHECK(s.callFaults[1].occurrence == 3);
    CHECK_FALSE(s.callFaults[1].async);

    // [requester]
    CHECK(s.script == "backup");
    CHECK(s.componentMode);
    CHECK(s.snapshotVolumes == std::vector<std::wstring>{L"C:\\", L"E:\\"});
    CHECK(s.backupType == VSS_BT_FULL);
    CHECK(s.context == VSS_CTX_BACKUP);

    // [[step]]
    REQUIRE(s.steps.size() == 25);
    CHECK(s.steps[0].call == "Sleep");
    CHECK(s.steps[0].label == "Sleep");
    CHECK(s.steps[0].duration == std::optional<SimDuration>{25s});
    CHECK(s.steps[1].writers == std::vector<std::string>{"Dedup Writer"});
    CHECK(s.steps[3].context == std::optional<LONG>{VSS_CTX_FILE_SHARE_BACKUP});
    CHECK(s.steps[4].selectComponents == std::optional<bool>{true});
    CHECK(s.steps[4].bootable == std::optional<bool>{false});
    CHECK(s.steps[4].backupType == std::optional{VSS_BT_COPY});
    CHECK(s.steps[8].volume == L"C:\\");
    CHECK(s.steps[10].label == "after-prepare");
    CHECK(s.steps[11].async);
    CHECK(s.steps[12].duration == std::optional<SimDuration>{10min});
    REQUIRE(s.steps[13].expect);
    CHECK(Hr{*s.steps[13].expect} == Hr{VSS_S_ASYNC_PENDING});
    CHECK(s.steps[16].writer == "Microsoft Exchange Replica Writer");
    CHECK(s.steps[19].label == "second-try");
    CHECK(s.steps[20].succeeded == std::optional<bool>{false});
    CHECK(s.steps[21].restoreStatus == std::optional{VSS_RS_ALL});
    CHECK(s.steps[24].call == "Release");
    CHECK(s.steps[24].pos.line > s.steps[0].pos.line);

    // [[expect]]
    REQUIRE(s.expectations.size() == 4);
    const Expectation &e0 = s.expectations[0];
    CHECK(e0.after == "after-prepare");
    CHECK(e0.occurrence == 1);
    CHECK(e0.writer == "SqlServerWriter");
    CHECK(e0.state == std::optional{VSS_WS_STABLE});
    CHECK(e0.failure == std::optional<HRESULT>{S_OK});
    CHECK(e0.applicationCode == std::optional<HRESULT>{S_OK});
    CHECK(e0.message == std::optional<std::wstring>{L""});
    CHECK(e0.listed == std::optional<bool>{true});
    CHECK(s.expectations[1].count == std::optional<UINT>{13});
    CHECK(s.expectations[1].result == std::optional<HRESULT>{S_OK});
    CHECK(s.expectations[2].occurrence == 2);
    CHECK(s.expectations[2].state == std::optional{VSS_WS_STABLE});
    CHECK(s.expectations[2].publicState == std::optional<std::string>{"[1] Stable"});
    CHECK(s.expectations[3].after.empty());
    CHECK(s.expectations[3].events ==
          std::vector<std::string>{"Identify", "PrepareForBackup", "PrepareForSnapshot", "Freeze"});
    CHECK(s.expectations[3].mistakes == std::vector<std::string>{"M6", "M13"});
    CHECK(s.expectations[3].pos.file == SCENARIOS_DIR "/reference/example-annotated.toml");
}

TEST_CASE("a minimal scenario gets the documented defaults")
{
    const Scenario s = load(kHeader);
    const Scenario d;
    CHECK(s.name == "t");
    CHECK(s.path == "t.toml");
    CHECK(s.seed == 0);
    CHECK_FALSE(s.realTime);
    CHECK(s.timeScale == 1.0);
    CHECK(s.profiles == std::vector<std::string>{"win-client"});
    CHECK(s.settings.eventTimeout == 180s);
    CHECK(s.settings.holdWritesLimit == 10s);
    CHECK(s.settings.slotReclaimAge == 48h);
    CHECK(s.settings.backupSlots == 64);
    CHECK(s.settings.restoreSlots == 1);
    CHECK_FALSE(s.settings.shuffleStatus);
    CHECK_FALSE(s.settings.strict);
    CHECK_FALSE(s.settings.waitReturnsFailure);  // R13 revised: Wait S_OK, QueryStatus the failure
    CHECK(s.settings.hostName == d.settings.hostName);
    CHECK(s.provider.commitDuration == 1s);
    CHECK(Hr{s.provider.commitFault} == Hr{S_OK});
    CHECK_FALSE(s.provider.writerAbortResult);
    CHECK(s.provider.unsupportedContexts.empty());
    CHECK_FALSE(s.notReadyFor);
    CHECK(Hr{s.notReadyResult} == Hr{VSS_E_UNEXPECTED});
    CHECK(s.volumes.empty());
    CHECK(s.writers.empty());
    CHECK(s.callFaults.empty());
    CHECK(s.script == "backup");
    CHECK(s.componentMode);
    CHECK(s.snapshotVolumes == std::vector<std::wstring>{L"C:\\"});
    CHECK(s.backupType == VSS_BT_FULL);
    CHECK(s.context == VSS_CTX_BACKUP);
    CHECK(s.steps.empty());
    CHECK(s.expectations.empty());

    const Scenario w = load(kHeader + "[[writer]]\nname = \"System Writer\"\n[[writer.on]]\nevent = \"Freeze\"\n"
                                      "fail = \"VSS_E_WRITERERROR_RETRYABLE\"\n[[step]]\ncall = \"DoSnapshotSet\"\n"
                                      "[[expect]]\nafter = \"DoSnapshotSet\"\nresult = \"VSS_E_UNEXPECTED_WRITER_ERROR\"\n");
    const EventFault &f = w.writers.at(0).faults.events.at(0);
    CHECK(f.veto);                       // fatal unless said otherwise
    CHECK(f.firstN == -1);               // every delivery
    CHECK(f.delay == 0s);
    CHECK_FALSE(f.hang);
    CHECK_FALSE(f.whenComponentsSelected);
    CHECK_FALSE(f.hrApplication);
    CHECK_FALSE(w.writers[0].components);   // the profile's components stay
    CHECK(w.steps[0].label == "DoSnapshotSet");
    CHECK_FALSE(w.steps[0].async);
    CHECK(w.expectations[0].occurrence == 1);
}

TEST_CASE("durations")
{
    struct Row {
        const char *text;
        std::optional<SimDuration> value;
    };
    const Row rows[] = {
        {"65s", 65s},
        {"10m", 10min},
        {"2h", 2h},
        {"2d", 48h},
        {"500ms", 500ms},
        {"1.5s", 1500ms},
        {"0.25m", 15s},
        {"1.000000001s", SimDuration{1'000'000'001}},
        {"0.5ms", SimDuration{500'000}},
        {"0s", 0s},                      // well-formed; the loader rejects it as not positive
        {"106751d", std::chrono::hours(24 * 106751)},
        {"106752d", std::nullopt},       // past 2^63 ns
        {"99999999999999999999999s", std::nullopt},
        {"", std::nullopt},
        {"s", std::nullopt},
        {"10", std::nullopt},
        {"10 s", std::nullopt},
        {" 10s", std::nullopt},
        {"10S", std::nullopt},
        {"-5s", std::nullopt},
        {"+5s", std::nullopt},
        {".5s", std::nullopt},
        {"5.s", std::nullopt},
        {"1.5.3s", std::nullopt},
        {"5sec", std::nullopt},
        {"5min", std::nullopt},
        {"1e3s", std::nullopt},
        {"5us", std::nullopt},
    };
    for (const Row &r : rows) {
        INFO(r.text);
        CHECK(parseDuration(r.text) == r.value);
    }

    // In a file: the same parser, plus "must be > 0", a type check and a position.
    CHECK(firstError(kHeader + "[service]\nevent_timeout = \"0ms\"\n") ==
          "t.toml:5:17: error: duration '0ms' must be greater than zero");
    CHECK(firstError(kHeader + "[service]\nevent_timeout = \"-1s\"\n") ==
          "t.toml:5:17: error: malformed duration '-1s': expected a number and a unit (ms, s, m, h or d), such as \"1.5s\"");
    CHECK(firstError(kHeader + "[service]\nevent_timeout = 1.5\n") ==
          "t.toml:5:17: error: 'event_timeout' expects a duration string such as \"25s\", got float 1.5");
    CHECK(load(kHeader + "[service]\nevent_timeout = \"0.5h\"\n").settings.eventTimeout == 30min);
}

TEST_CASE("VSS Test Writer FailEvent mapping")
{
    auto faults = [](const std::string &failEvent) {
        const Scenario s = load(kHeader + "[[writer]]\nname = \"System Writer\"\n[[writer.FailEvent]]\n" + failEvent);
        return s.writers.at(0);
    };
    SUBCASE("retryable = no: fatal NONRETRYABLE, every time")
    {
        const ScenarioWriter w = faults("writerEvent = \"Freeze\"\nretryable = \"no\"\n");
        REQUIRE(w.faults.events.size() == 1);
        const EventFault &f = w.faults.events[0];
        CHECK(f.event == Input::Freeze);
        CHECK(f.fail);
        CHECK(f.veto);
        CHECK_FALSE(f.randomRetryable);
        CHECK(Hr{f.hrWriter} == Hr{VSS_E_WRITERERROR_NONRETRYABLE});
        CHECK(f.firstN == -1);
    }
    SUBCASE("retryable = yes: a code drawn from the seed; numFailures counts")
    {
        const ScenarioWriter w = faults("writerEvent = \"PostSnapshot\"\nretryable = \"yes\"\nnumFailures = 3\n");
        const EventFault &f = w.faults.events.at(0);
        CHECK(f.event == Input::PostSnapshot);
        CHECK(f.fail);
        CHECK(f.veto);
        CHECK(f.randomRetryable);
        CHECK(f.firstN == 3);
    }
    SUBCASE("the page's spelling PrepareForSnapsot, and XML-style text values")
    {
        const ScenarioWriter w = faults("writerEvent = \"PrepareForSnapsot\"\nretryable = false\nnumFailures = \"2\"\n");
        const EventFault &f = w.faults.events.at(0);
        CHECK(f.event == Input::PrepareForSnapshot);
        CHECK(Hr{f.hrWriter} == Hr{VSS_E_WRITERERROR_NONRETRYABLE});
        CHECK(f.firstN == 2);
    }
    SUBCASE("Identify: the writer is not reported at all")
    {
        const ScenarioWriter w = faults("writerEvent = \"Identify\"\nretryable = \"yes\"\n");
        CHECK(w.identifyFails);
        CHECK(w.faults.events.empty());
        const ScenarioWriter n = faults("writerEvent = \"Identify\"\nnumFailures = 1\n");
        CHECK_FALSE(n.identifyFails);
        REQUIRE(n.faults.events.size() == 1);
        CHECK(n.faults.events[0].event == Input::Identify);
        CHECK(n.faults.events[0].fail);
        CHECK(Hr{n.faults.events[0].hrWriter} == Hr{S_OK});   // a bare false
        CHECK(n.faults.events[0].firstN == 1);
    }
    SUBCASE("Abort and BackupComplete are events like the others")
    {
        CHECK(faults("writerEvent = \"Abort\"\nretryable = \"no\"\n").faults.events.at(0).event == Input::Abort);
        CHECK(faults("writerEvent = \"BackupComplete\"\nretryable = \"no\"\n").faults.events.at(0).event ==
              Input::BackupComplete);
    }
    CHECK(firstError(kHeader + "[[writer]]\nname = \"System Writer\"\n[[writer.FailEvent]]\nwriterEvent = \"Thaw\"\n") ==
          "t.toml:6:1: error: [[writer.FailEvent]] needs 'retryable' (\"yes\" or \"no\")");
    CHECK(firstError(kHeader + "[[writer]]\nname = \"System Writer\"\n[[writer.FailEvent]]\nwriterEvent = \"Thaw\"\n"
                               "retryable = \"no\"\nnumFailures = 0\n") ==
          "t.toml:9:15: error: 'numFailures' must be between 1 and 2147483647, got 0");
}

TEST_CASE("[[writer.on]] outcomes map onto EventFault")
{
    auto on = [](const std::string &body) {
        const Scenario s = load(kHeader + "[[writer]]\nname = \"System Writer\"\n[[writer.on]]\n" + body);
        return s.writers.at(0).faults.events.at(0);
    };
    EventFault nonFatal = on("event = \"Thaw\"\nfail = \"VSS_E_WRITERERROR_OUTOFRESOURCES\"\nveto = false\n");
    CHECK(nonFatal.fail);
    CHECK_FALSE(nonFatal.veto);
    CHECK(Hr{nonFatal.hrWriter} == Hr{VSS_E_WRITERERROR_OUTOFRESOURCES});

    EventFault appOnly = on("event = \"PostSnapshot\"\napplication_code = 5\nmessage = \"note\"\n");
    CHECK_FALSE(appOnly.fail);
    CHECK(appOnly.hrApplication == std::optional<HRESULT>{5});
    CHECK(appOnly.message == std::optional<std::wstring>{L"note"});

    EventFault hang = on("event = \"Identify\"\nhang = true\n");
    CHECK(hang.event == Input::Identify);
    CHECK(hang.hang);

    EventFault bare = on("event = \"PrepareForBackup\"\nbare_false = true\nveto = true\n");
    CHECK(bare.fail);
    CHECK(bare.veto);
    CHECK(Hr{bare.hrWriter} == Hr{S_OK});

    EventFault selected = on("event = \"PostSnapshot\"\nfail = \"VSS_E_WRITERERROR_NONRETRYABLE\"\n"
                             "when_components_selected = true\nfirst = 1\n");
    CHECK(selected.whenComponentsSelected == std::optional<bool>{true});
    CHECK(selected.firstN == 1);

    // A component failure may name the profile writer's own component.
    EventFault partial = on("event = \"PostSnapshot\"\n[[writer.on.component_failure]]\ncomponent = \"System Files\"\n"
                            "code = \"VSS_E_WRITERERROR_RETRYABLE\"\n");
    REQUIRE(partial.componentFailures.size() == 1);
    CHECK(partial.componentFailures[0].first == L"System Files");
    CHECK_FALSE(partial.componentFailures[0].second.message);

    CHECK(firstError(kHeader + "[[writer]]\nname = \"System Writer\"\n[[writer.on]]\nevent = \"Freeze\"\n"
                               "random_retryable = true\nbare_false = true\n") ==
          "t.toml:9:14: error: 'bare_false' and 'random_retryable' exclude each other: a bare false sets no code");
    CHECK(firstError(kHeader + "[[writer]]\nname = \"System Writer\"\n[[writer.on]]\nevent = \"Freeze\"\n"
                               "bare_false = true\nveto = false\n") ==
          "t.toml:9:8: error: 'veto = false' contradicts 'bare_false': a bare false is a return of false");
    CHECK(firstError(kHeader + "[[writer]]\nname = \"System Writer\"\n[[writer.on]]\nevent = \"FreezeWindowExpired\"\n") ==
          "t.toml:7:9: error: unknown event 'FreezeWindowExpired'");
    CHECK(firstError(kHeader + "[[writer]]\nname = \"System Writer\"\n[[writer.on]]\nfail = \"E_FAIL\"\n") ==
          "t.toml:6:1: error: [[writer.on]] needs 'event'");
}

TEST_CASE("HRESULTs, enums and contexts in every accepted form")
{
    auto fault = [](const std::string &result) {
        return load(kHeader + "[[fault]]\nmethod = \"DoSnapshotSet\"\nresult = " + result + "\n").callFaults.at(0).hr;
    };
    CHECK(Hr{fault("\"VSS_E_BAD_STATE\"")} == Hr{VSS_E_BAD_STATE});
    CHECK(Hr{fault("\"E_OUTOFMEMORY\"")} == Hr{E_OUTOFMEMORY});
    CHECK(Hr{fault("\"0x80042301\"")} == Hr{VSS_E_BAD_STATE});
    CHECK(Hr{fault("\"0X8004230a\"")} == Hr{static_cast<HRESULT>(0x8004230A)});
    CHECK(Hr{fault("\"0x5\"")} == Hr{5});
    CHECK(Hr{fault("0x80042301")} == Hr{VSS_E_BAD_STATE});      // a TOML hex integer
    CHECK(Hr{fault("2147754753")} == Hr{VSS_E_BAD_STATE});      // as unsigned
    CHECK(Hr{fault("-2147212543")} == Hr{VSS_E_BAD_STATE});     // as signed
    CHECK(firstError(kHeader + "[[fault]]\nmethod = \"DoSnapshotSet\"\nresult = \"0x123456789\"\n") ==
          "t.toml:6:10: error: malformed HRESULT '0x123456789': expected 0x followed by up to 8 hex digits");
    CHECK(firstError(kHeader + "[[fault]]\nmethod = \"DoSnapshotSet\"\nresult = true\n") ==
          "t.toml:6:10: error: 'result' expects an HRESULT (a name such as \"VSS_E_BAD_STATE\", \"0x80042301\" or an "
          "integer), got boolean true");
    CHECK(firstError(kHeader + "[[fault]]\nmethod = \"DoSnapshotSet\"\nresult = \"vss_e_bad_state\"\n") ==
          "t.toml:6:10: error: unknown HRESULT 'vss_e_bad_state' (did you mean 'VSS_E_BAD_STATE'?)");

    auto context = [](const std::string &value) { return load(kHeader + "[requester]\ncontext = " + value + "\n").context; };
    CHECK(context("\"VSS_CTX_APP_ROLLBACK\"") == VSS_CTX_APP_ROLLBACK);
    CHECK(context("\"VSS_CTX_BACKUP|VSS_VOLSNAP_ATTR_NO_WRITERS\"") == (LONG{VSS_CTX_BACKUP} | LONG{VSS_VOLSNAP_ATTR_NO_WRITERS}));
    CHECK(context("\"VSS_CTX_BACKUP | VSS_VOLSNAP_ATTR_PERSISTENT | VSS_VOLSNAP_ATTR_NO_AUTO_RELEASE\"") ==
          VSS_CTX_APP_ROLLBACK);
    CHECK(context("\"VSS_CTX_ALL\"") == VSS_CTX_ALL);
    CHECK(context("16") == VSS_CTX_FILE_SHARE_BACKUP);
    CHECK(firstError(kHeader + "[requester]\ncontext = \"VSS_CTX_BACKUP|\"\n") ==
          "t.toml:5:11: error: malformed context 'VSS_CTX_BACKUP|': a name is missing around '|'");

    auto state = [](const std::string &value) {
        return load(kHeader + "[[expect]]\nwriter = \"System Writer\"\nstate = " + value + "\n").expectations.at(0).state;
    };
    CHECK(state("\"VSS_WS_FAILED_AT_FREEZE\"") == std::optional{VSS_WS_FAILED_AT_FREEZE});
    CHECK(state("9") == std::optional{VSS_WS_FAILED_AT_FREEZE});
    CHECK(state("0") == std::optional{VSS_WS_UNKNOWN});
    CHECK(state("15") == std::optional{VSS_WS_FAILED_AT_BACKUPSHUTDOWN});
    CHECK(firstError(kHeader + "[[expect]]\nwriter = \"System Writer\"\nstate = \"VSS_WS_COUNT\"\n") ==
          "t.toml:6:9: error: unknown writer state 'VSS_WS_COUNT'");

    CHECK(load(kHeader + "[requester]\nbackup_type = 5\n").backupType == VSS_BT_COPY);
    CHECK(firstError(kHeader + "[requester]\nbackup_type = 9\n") == "t.toml:5:15: error: 9 is not a backup type value");
}

TEST_CASE("a repeated [[step]] block expands into plain steps, each attempt's labels suffixed")
{
    const Scenario sc = load(kHeader + "[[step]]\ncall = \"InitializeForBackup\"\n"
                                       "[[step]]\nrepeat = 2\nevery = \"10m\"\nlabel = \"retry\"\n"
                                       "  [[step.steps]]\n  call = \"NewRequester\"\n"
                                       "  [[step.steps]]\n  call = \"GatherWriterStatus\"\n  label = \"status\"\n"
                                       "[[step]]\nrepeat = 1\n  [[step.steps]]\n  call = \"Release\"\n"
                                       "[[expect]]\nafter = \"status#2\"\ncount = 0\n");
    std::vector<std::string> labels;
    for (const Step &s : sc.steps)
        labels.push_back(s.label);
    CHECK(labels == std::vector<std::string>{"InitializeForBackup", "retry#1", "NewRequester#1", "status#1", "retry#2",
                                             "NewRequester#2", "status#2", "Release#1"});
    CHECK(sc.steps[1].call == "Sleep");
    REQUIRE(sc.steps[1].duration);
    CHECK(*sc.steps[1].duration == 600s);
    CHECK(sc.steps[6].call == "GatherWriterStatus");
    CHECK(sc.steps[6].pos.line == sc.steps[3].pos.line);   // both copies point at the one written step
    CHECK(firstError(kHeader + "[[step]]\nrepeat = 0\n  [[step.steps]]\n  call = \"Release\"\n") ==
          "t.toml:5:10: error: 'repeat' must be between 1 and 1000, got 0");
    CHECK(firstError(kHeader + "[[expect]]\nafter = \"Release#3\"\ncount = 0\n"
                               "[[step]]\nrepeat = 2\n  [[step.steps]]\n  call = \"Release\"\n")
              .find("no [[step]] is labelled 'Release#3'") != std::string::npos);
}

TEST_CASE("seeds, clocks and profiles")
{
    CHECK(load("[scenario]\nname = \"t\"\ndescription = \"t\"\nseed = 42\n").seed == 42);
    CHECK(load("[scenario]\nname = \"t\"\ndescription = \"t\"\nseed = \"0x2a\"\n").seed == 42);
    CHECK(load("[scenario]\nname = \"t\"\ndescription = \"t\"\nseed = \"123\"\n").seed == 123);
    // A git SHA: its last 16 hex digits.
    CHECK(load("[scenario]\nname = \"t\"\ndescription = \"t\"\nseed = \"a898123000000000000000000000000000000010\"\n").seed ==
          0x10);
    CHECK(firstError("[scenario]\nname = \"t\"\ndescription = \"t\"\nseed = 4.5\n") ==
          "t.toml:4:8: error: 'seed' expects an integer or a string (\"0x2a\", a git SHA), got float 4.5");

    const Scenario real = load("[scenario]\nname = \"t\"\ndescription = \"t\"\nclock = \"real\"\ntime_scale = 2\n");
    CHECK(real.realTime);
    CHECK(real.timeScale == 2.0);
    CHECK(firstError("[scenario]\nname = \"t\"\ndescription = \"t\"\nclock = \"real\"\ntime_scale = 0.0\n") ==
          "t.toml:5:14: error: 'time_scale' must be between 0.001 and 1000000, got float 0");
    CHECK(firstError("[scenario]\nname = \"t\"\ndescription = \"t\"\nclock = \"real\"\ntime_scale = nan\n") ==
          "t.toml:5:14: error: 'time_scale' must be between 0.001 and 1000000, got float nan");

    CHECK(load(kHeader + "[service]\nprofiles = [\"none\"]\n").profiles == std::vector<std::string>{"none"});
    CHECK(load(kHeader + "[service]\nprofiles = [\"win-server\", \"sql\", \"exchange\", \"hyperv\", \"ad-dc\"]\n")
              .profiles.size() == 5);
    // With no built-in writers every writer is new and needs a class id.
    CHECK(firstError(kHeader + "[service]\nprofiles = [\"none\"]\n[[writer]]\nname = \"System Writer\"\n") ==
          "t.toml:7:8: error: new writer 'System Writer' needs 'class_id' (it is not a writer of the profiles: none)");
    // A writer of a profile that was not chosen does not exist.
    CHECK(firstError(kHeader + "[[step]]\ncall = \"VanishWriter\"\nwriter = \"NTDS\"\n") ==
          "t.toml:6:10: error: unknown writer 'NTDS': not a writer of the profiles (win-client) and not declared "
          "with [[writer]]");
    CHECK(firstError(kHeader + "[service]\nprofiles = [\"win-server\", \"ad-dc\"]\n[[step]]\ncall = \"VanishWriter\"\n"
                               "writer = \"NTDS\"\n")
              .empty());
}

TEST_CASE("writers, volumes, steps and expectations refer to things that exist")
{
    // A declared writer can be named afterwards; so can its instance id be pinned once only.
    const std::string contoso = "[[writer]]\nname = \"Contoso\"\nclass_id = \"{5affb034-969f-4919-8875-88f830d0ef89}\"\n"
                                "instance_id = \"{0e2ec8d9-3a1c-4b3e-9a61-0a4d5c2b7f10}\"\n";
    const Scenario s = load(kHeader + contoso + "[[expect]]\nwriter = \"Contoso\"\nlisted = true\n");
    CHECK(s.expectations.at(0).writer == "Contoso");
    CHECK(firstError(kHeader + contoso +
                     "[[writer]]\nname = \"Contoso 2\"\nclass_id = \"{5affb034-969f-4919-8875-88f830d0ef89}\"\n"
                     "instance_id = \"{0e2ec8d9-3a1c-4b3e-9a61-0a4d5c2b7f10}\"\n") ==
          "t.toml:11:15: error: instance_id {0e2ec8d9-3a1c-4b3e-9a61-0a4d5c2b7f10} is already pinned by writer "
          "'Contoso'; instance ids are unique (R12)");

    // Built-in script labels follow [requester]: AddToSnapshotSet once per volume, SetContext only when set.
    CHECK(firstError(kHeader + "[requester]\nvolumes = ['C:\\', 'D:\\']\n[[expect]]\nafter = \"AddToSnapshotSet\"\n"
                               "occurrence = 2\nresult = \"S_OK\"\n")
              .empty());
    CHECK(firstError(kHeader + "[[expect]]\nafter = \"AddToSnapshotSet\"\noccurrence = 2\nresult = \"S_OK\"\n") ==
          "t.toml:6:14: error: occurrence 2 of 'AddToSnapshotSet' does not exist: the run has 1");
    CHECK(firstError(kHeader + "[[expect]]\nafter = \"SetContext\"\nresult = \"S_OK\"\n") ==
          "t.toml:5:9: error: the built-in backup script has no step labelled 'SetContext'");
    CHECK(firstError(kHeader + "[requester]\ncontext = \"VSS_CTX_APP_ROLLBACK\"\n[[expect]]\nafter = \"SetContext\"\n"
                               "result = \"S_OK\"\n")
              .empty());
    CHECK(firstError(kHeader + "[requester]\nscript = \"restore\"\n[[expect]]\nafter = \"after-postrestore\"\ncount = 9\n")
              .empty());
    CHECK(firstError(kHeader + "[requester]\nscript = \"observer\"\n[[expect]]\nafter = \"ListWriters\"\ncount = 9\n")
              .empty());
    // Explicit steps replace the built-in labels.
    CHECK(firstError(kHeader + "[[step]]\ncall = \"Sleep\"\nduration = \"1s\"\n[[expect]]\nafter = \"after-prepare\"\n"
                               "count = 9\n") == "t.toml:8:9: error: no [[step]] is labelled 'after-prepare'");

    // Volume names are compared without regard to case.
    CHECK(firstError(kHeader + "[[volume]]\nname = 'd:\\'\n[[volume]]\nname = 'D:\\'\n") ==
          "t.toml:7:8: error: volume 'D:\\' is declared twice; one [[volume]] per volume");

    // Files split at the last backslash.
    const Scenario f = load(kHeader + contoso + "[[writer.component]]\nname = \"c\"\nfiles = ['C:\\a\\b\\c.txt', 'D:\\x']\n");
    const std::vector<FileSpec> &files = f.writers.at(0).components->at(0).files;
    CHECK(files.at(0).path == L"C:\\a\\b\\");
    CHECK(files.at(0).filespec == L"c.txt");
    CHECK(files.at(1).path == L"D:\\");
    CHECK(files.at(1).filespec == L"x");
    CHECK(firstError(kHeader + contoso + "[[writer.component]]\nname = \"c\"\nfiles = ['C:\\data\\']\n") ==
          "t.toml:10:10: error: file 'C:\\data\\' ends with a backslash; add a file name or a wildcard ('C:\\data\\*')");
}

TEST_CASE("[service] wait_returns_failure selects the other reading of IVssAsync::Wait")
{
    CHECK(load(kHeader + "[service]\nwait_returns_failure = true\n").settings.waitReturnsFailure);
    CHECK_FALSE(load(kHeader + "[service]\nwait_returns_failure = false\n").settings.waitReturnsFailure);
    CHECK(firstError(kHeader + "[service]\nwait_returns_failure = 1\n") ==
          "t.toml:5:24: error: 'wait_returns_failure' expects a boolean (true or false), got integer 1");
}

TEST_CASE("syntax errors keep toml++'s position, with a hint for bare words")
{
    CHECK(firstError(kHeader + "[service]\nstrict = tru\n") ==
          "t.toml:5:10: error: expected a value; strings must be quoted (\"tru\")");
    CHECK(firstError(kHeader + "[requester]\nvolumes = ['C:\\', D:\\]\n") ==
          "t.toml:5:19: error: expected a value; strings must be quoted ('D:\\')");
    CHECK(firstError(kHeader + "[[writer]]\nname = \"Sys\" x\n") ==
          "t.toml:5:14: error: syntax error in key-value pair: expected a comment or whitespace, saw 'x'");
    CHECK(firstError(kHeader + "[[writer]\n") == "t.toml:4:10: error: syntax error in table header: expected ']', saw '\\n'");
    // Non-ASCII before the word: columns count characters, as toml++ does.
    CHECK(firstError(kHeader + "[service]\nhost_name = \"é\"\nstrict = Ja\n") ==
          "t.toml:6:10: error: expected a value; strings must be quoted (\"Ja\")");
    // Numbers that are not numbers, without letters, keep toml++'s own words.
    CHECK(firstError(kHeader + "[service]\nbackup_slots = 1.5.3\n") ==
          "t.toml:5:19: error: syntax error in floating-point: expected decimal digit or exponent, saw '.'");
}

TEST_CASE("every error is reported, in file order, up to 20")
{
    const std::string text = kHeader +
                             "[service]\n"
                             "strict = \"yes\"\n"                     // 5
                             "backup_slots = 0\n"                     // 6
                             "[[writer]]\n"
                             "name = \"System Writer\"\n"
                             "bogus = 1\n"                            // 9
                             "[[writer.on]]\n"
                             "event = \"Freez\"\n"                    // 11
                             "[[expect]]\n"
                             "after = \"nope\"\n";                    // 13
    LoadResult r = parseScenario(text, "t.toml");
    CHECK_FALSE(r.scenario);
    std::vector<std::string> got;
    for (const ScenarioError &e : r.errors)
        got.push_back(e.format());
    CHECK(got == std::vector<std::string>{
                     "t.toml:5:10: error: 'strict' expects a boolean (true or false), got string 'yes'",
                     "t.toml:6:16: error: 'backup_slots' must be between 1 and 2147483647, got 0",
                     "t.toml:9:1: error: unknown key 'bogus' in [[writer]]",
                     "t.toml:11:9: error: unknown event 'Freez' (did you mean 'Freeze'?)",
                     "t.toml:12:1: error: [[expect]] checks nothing: add state, failure, application_code, message, "
                     "listed, count, result, events, mistakes or public_state",
                     "t.toml:13:9: error: the built-in backup script has no step labelled 'nope'",
                 });

    std::string many = kHeader;
    for (int i = 0; i < 30; ++i)
        many += fmt::format("[[volume]]\nname = \"V{}\"\n", i);
    LoadResult capped = parseScenario(many, "t.toml");
    REQUIRE(capped.errors.size() == 20);
    CHECK(capped.errors.front().format() == "t.toml:5:8: error: volume name 'V0' must end with a backslash (as in 'D:\\')");
    CHECK(capped.errors.back().line == 5 + 2 * 19);
}

TEST_CASE("[service] os: the version's own writer set, its Ex levels; profiles still choose")
{
    const std::string head = "[scenario]\nname = \"os\"\ndescription = \"a version\"\n[service]\n";
    const Scenario old = load(head + "os = \"windows-server-2008-r2\"\n");
    CHECK(old.settings.os->key == "windows-server-2008-r2");
    CHECK(old.profiles == std::vector<std::string>{"win-server"});
    const RunReport r = runScenario(old);
    CHECK(r.golden.find("Dedup Writer") == std::string::npos);  // Data Deduplication arrived with Server 2012
    CHECK(r.golden.find("BITS Writer") != std::string::npos);
    const Scenario client = load(head + "os = \"windows-10\"\nprofiles = [\"win-client\", \"sql\"]\n");
    CHECK(client.profiles == std::vector<std::string>{"win-client", "sql"});
    CHECK(load(head).settings.os->key == "windows-11");
    CHECK(firstError(head + "os = \"windows-server-2019r2\"\n").find(
              "t.toml:5:6: error: unknown Windows version 'windows-server-2019r2': expected one of") == 0);
}

TEST_CASE("[[background]] happens for any requester: at a virtual time, or at the nth call of a method")
{
    const std::string head = R"(
[scenario]
name = "bg"
description = "another creation holds the lock"
[requester]
volumes = ['C:\']
)";
    SUBCASE("on_call: just before the requester's first StartSnapshotSet") {
        const Scenario s = load(head + R"(
[[background]]
action = "BackgroundSnapshot"
on_call = "StartSnapshotSet"
duration = "30s"
[[expect]]
after = "StartSnapshotSet"
result = "VSS_E_SNAPSHOT_SET_IN_PROGRESS"
)");
        REQUIRE(s.background.size() == 1);
        CHECK(s.background[0].onCall == "StartSnapshotSet");
        const RunReport r = runScenario(s);
        for (const ExpectationFailure &f : r.failures)
            INFO(f.what, ": expected ", f.expected, ", got ", f.got);
        CHECK(r.passed);
    }
    SUBCASE("at: a writer process dies while another writer's Freeze takes 5 s") {
        const Scenario s = load(head + R"(
[[writer]]
name = "System Writer"
  [[writer.on]]
  event = "Freeze"
  delay = "5s"
[[background]]
action = "VanishWriter"
at = "2s"
writer = "Registry Writer"
[[expect]]
when = "PrepareForBackup"
writer = "Registry Writer"
failure = "S_OK"
[[expect]]
when = "DoSnapshotSet"
writer = "Registry Writer"
failure = "VSS_E_WRITER_NOT_RESPONDING"
)");
        REQUIRE(s.background[0].at);
        CHECK(*s.background[0].at == std::chrono::seconds(2));
        const RunReport r = runScenario(s);
        for (const ExpectationFailure &f : r.failures)
            INFO(f.what, ": expected ", f.expected, ", got ", f.got);
        CHECK(r.passed);
    }
    SUBCASE("KilledRequester: another process's leftover slots leave this requester none (R10)") {
        const Scenario s = load(head + R"(
[service]
backup_slots = 1
[[background]]
action = "KilledRequester"
at = "0s"
[[expect]]
when = "PrepareForBackup"
writer = "System Writer"
failure = "VSS_E_WRITER_STATUS_NOT_AVAILABLE"
)");
        const RunReport r = runScenario(s);
        for (const ExpectationFailure &f : r.failures)
            INFO(f.what, ": expected ", f.expected, ", got ", f.got);
        CHECK(r.passed);
        CHECK(r.golden.find("requester-killed another requester was killed after DoSnapshotSet") != std::string::npos);
    }
    CHECK(firstError(head + "[[background]]\naction = \"RestartWriter\"\nat = \"1s\"\n") ==
          "t.toml:7:1: error: [[background]] 'RestartWriter' needs 'writer'");
    CHECK(firstError(head + "[[background]]\naction = \"BackgroundSnapshot\"\nduration = \"1s\"\n") ==
          "t.toml:7:1: error: [[background]] needs 'at' (a virtual time) or 'on_call' (a requester method)");
    CHECK(firstError(head + "[[background]]\naction = \"Reboot\"\nat = \"1s\"\n") ==
          "t.toml:8:10: error: unknown action 'Reboot': expected BackgroundSnapshot, RestartWriter, VanishWriter, "
          "KilledRequester or RestartService");
}

TEST_CASE("the malformed corpus: each file gets the error its first line promises")
{
    std::vector<std::filesystem::path> files;
    for (const auto &entry : std::filesystem::directory_iterator(MALFORMED_DIR))
        if (entry.path().extension() == ".toml")
            files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    CHECK(files.size() >= 30);
    for (const std::filesystem::path &file : files) {
        const std::string text = readFile(file.string());
        const std::string first = text.substr(0, text.find('\n'));
        constexpr std::string_view kPrefix = "# expect: ";
        INFO(file.filename().string());
        REQUIRE(first.substr(0, kPrefix.size()) == kPrefix);
        LoadResult r = parseScenario(text, "malformed/" + file.filename().string());
        CHECK_FALSE(r.scenario);
        REQUIRE_FALSE(r.errors.empty());
        CHECK(r.errors.front().format() == first.substr(kPrefix.size()));
        // loadScenarioFile reads the same bytes and reports against the path it was given.
        LoadResult viaFile = loadScenarioFile(file.string());
        REQUIRE_FALSE(viaFile.errors.empty());
        CHECK(viaFile.errors.front().message == r.errors.front().message);
        CHECK(viaFile.errors.front().file == file.string());
    }
}

TEST_CASE("a missing file is an error without a position")
{
    LoadResult r = loadScenarioFile(MALFORMED_DIR "/no-such-file.toml");
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].format() == MALFORMED_DIR "/no-such-file.toml: error: cannot open scenario file");
    CHECK(parseScenario("", "empty.toml").errors.at(0).format() ==
          "empty.toml:1:1: error: missing [scenario] table: every scenario needs a name and a description");
}

TEST_CASE("edit distance and did-you-mean")
{
    CHECK(editDistance("Freeze", "Freeze", 2) == 0);
    CHECK(editDistance("Freez", "Freeze", 2) == 1);
    CHECK(editDistance("freeze", "Freeze", 2) == 0);   // case is not a spelling difference
    CHECK(editDistance("Thaw", "Freeze", 2) == 3);     // stops counting past the limit
    CHECK(editDistance("", "abc", 5) == 3);
    CHECK(editDistance("kitten", "sitting", 5) == 3);
    const std::vector<std::string> names{"PrepareForBackup", "PrepareForSnapshot", "PostSnapshot"};
    CHECK(closestName("PrepareForSnapsot", names) == std::optional<std::string_view>{"PrepareForSnapshot"});
    CHECK(closestName("Prepare", names) == std::nullopt);
    // Ties go to the first candidate, so suggestions follow table order.
    const std::vector<std::string> mistakes{"M1", "M2", "M3"};
    CHECK(closestName("M9", mistakes, 1) == std::optional<std::string_view>{"M1"});
}

TEST_CASE("mangled variants of the example never crash the loader")
{
    const std::string example = readFile(SCENARIOS_DIR "/reference/example-annotated.toml");
    REQUIRE_FALSE(example.empty());
    std::vector<std::size_t> lineStarts{0};
    for (std::size_t i = 0; i < example.size(); ++i)
        if (example[i] == '\n' && i + 1 < example.size())
            lineStarts.push_back(i + 1);
    Rng rng(20240607);
    int loaded = 0, rejected = 0;
    for (int i = 0; i < 400; ++i) {
        std::string text = example;
        switch (i % 5) {
        case 0: {   // drop one line
            const std::size_t l = rng.below(lineStarts.size());
            const std::size_t end = l + 1 < lineStarts.size() ? lineStarts[l + 1] : text.size();
            text.erase(lineStarts[l], end - lineStarts[l]);
            break;
        }
        case 1:     // cut anywhere, even inside a string or a multi-byte character
            text.resize(rng.below(text.size() + 1));
            break;
        case 2: {   // one byte replaced by a TOML-significant character
            const char pool[] = "=[]{}\"'#,.\\\n \x01\xc3";
            text[rng.below(text.size())] = pool[rng.below(sizeof pool - 1)];
            break;
        }
        case 3: {   // one line duplicated
            const std::size_t l = rng.below(lineStarts.size());
            const std::size_t end = l + 1 < lineStarts.size() ? lineStarts[l + 1] : text.size();
            text.insert(lineStarts[l], example.substr(lineStarts[l], end - lineStarts[l]));
            break;
        }
        default:    // several lines dropped
            for (int k = 0; k < 5; ++k) {
                const std::size_t at = rng.below(text.size());
                const std::size_t nl = text.find('\n', at);
                text.erase(at, nl == std::string::npos ? std::string::npos : nl - at);
            }
            break;
        }
        INFO("variant ", i);
        LoadResult r = parseScenario(text, "mangled.toml");
        CHECK(r.scenario.has_value() != !r.errors.empty());
        CHECK(r.errors.size() <= 20);
        for (const ScenarioError &e : r.errors) {
            CHECK(e.line >= 1);
            CHECK(e.column >= 1);
            CHECK(e.message.find("internal error") == std::string::npos);
        }
        (r.scenario ? loaded : rejected) += 1;
    }
    // Both outcomes occur, so the mutations reach past the TOML parser into the checks.
    CHECK(loaded > 0);
    CHECK(rejected > 0);
}

TEST_CASE("scenarios/README.md documents every key of the annotated example")
{
    const std::string readme = readFile(SCENARIOS_DIR "/README.md");
    REQUIRE_FALSE(readme.empty());
    const std::string example = readFile(SCENARIOS_DIR "/reference/example-annotated.toml");
    // Every "key =" at the start of a line (after indentation) is a key of the format.
    std::set<std::string> keys;
    std::istringstream lines(example);
    for (std::string line; std::getline(lines, line);) {
        const std::size_t start = line.find_first_not_of(' ');
        if (start == std::string::npos || line[start] == '#' || line[start] == '[')
            continue;
        const std::size_t end = line.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_", start);
        if (end != std::string::npos && end > start && line.find_first_not_of(' ', end) != std::string::npos &&
            line[line.find_first_not_of(' ', end)] == '=')
            keys.insert(line.substr(start, end - start));
    }
    CHECK(keys.size() > 60);
    for (const std::string &key : keys) {
        INFO(key);
        CHECK(readme.find("`" + key + "`") != std::string::npos);
    }
}

} // TEST_SUITE

} // namespace vsssim
