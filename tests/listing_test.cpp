// The text emulations of vssadmin, DiskShadow and VShadow (vssadmin-and-writers.md §1-§3), byte for
// byte: parsers written against the real tools are the users, and they break on a single space.
#include <doctest/doctest.h>

#include <bit>
#include <memory>
#include <string>
#include <vector>

#include <vsserror.h>

#include "core/guid.h"
#include "core/names.h"
#include "core/writer_state.h"
#include "scenario/guidance.h"
#include "scenario/listing.h"
#include "service/service.h"

using namespace vsssim;

namespace {

VSS_ID guid(const char *text)
{
    auto g = parseGuid(std::string_view(text));
    REQUIRE(g);
    return *g;
}

std::vector<StatusEntry> twoWriters()
{
    StatusEntry stable;
    stable.classId = guid("{d61d61c8-d73a-4eee-8cdd-f6f9786b7124}");
    stable.instanceId = guid("{1bddd48e-5052-49db-9b07-b96f96727e6b}");
    stable.name = L"Task Scheduler Writer";
    stable.state = VSS_WS_STABLE;
    stable.failure = S_OK;
    StatusEntry failed;
    failed.classId = guid("{76FE1AC4-15F7-4BCD-987E-8E1ACB462FB7}");   // printed lower case
    failed.instanceId = guid("{9e362607-9794-4dd4-a7cd-b3d5de0aad20}");
    failed.name = L"Microsoft Exchange Writer";
    failed.state = VSS_WS_FAILED_AT_PREPARE_SNAPSHOT;
    failed.failure = VSS_E_WRITERERROR_RETRYABLE;
    return {stable, failed};
}

const std::string kHeader =
    "vssadmin 1.1 - Volume Shadow Copy Service administrative command-line tool\n"
    "(C) Copyright 2001-2013 Microsoft Corp.\n"
    "\n";

const std::string kBlocks =
    "Writer name: 'Task Scheduler Writer'\n"
    "   Writer Id: {d61d61c8-d73a-4eee-8cdd-f6f9786b7124}\n"
    "   Writer Instance Id: {1bddd48e-5052-49db-9b07-b96f96727e6b}\n"
    "   State: [1] Stable\n"
    "   Last error: No error\n"
    "\n"
    "Writer name: 'Microsoft Exchange Writer'\n"
    "   Writer Id: {76fe1ac4-15f7-4bcd-987e-8e1acb462fb7}\n"
    "   Writer Instance Id: {9e362607-9794-4dd4-a7cd-b3d5de0aad20}\n"
    "   State: [8] Failed\n"
    "   Last error: Retryable error\n"
    "\n";

std::string crlf(const std::string &lf)
{
    std::string out;
    for (char c : lf) {
        if (c == '\n')
            out += '\r';
        out += c;
    }
    return out;
}

} // namespace

TEST_SUITE("listing")
{
    TEST_CASE("vssadmin list writers: two writers, byte for byte")
    {
        CHECK(formatVssadminWriters(twoWriters(), {}) == kHeader + kBlocks);
    }

    TEST_CASE("vssadmin list writers: the Waiting for responses preamble")
    {
        ListingOptions o;
        o.preamble = true;
        CHECK(formatVssadminWriters(twoWriters(), o) ==
              kHeader +
                  "Waiting for responses.\n"
                  "These may be delayed if a shadow copy is being prepared.\n"
                  "\n" +
                  kBlocks);
    }

    TEST_CASE("vssadmin list writers: CRLF and the legacy copyright")
    {
        ListingOptions o;
        o.crlf = true;
        CHECK(formatVssadminWriters(twoWriters(), o) == crlf(kHeader + kBlocks));
        o.crlf = false;
        o.legacy = true;
        const std::string text = formatVssadminWriters(twoWriters(), o);
        CHECK(text.find("(C) Copyright 2001-2005 Microsoft Corp.\n") != std::string::npos);
        CHECK(text.find("2001-2013") == std::string::npos);
    }

    TEST_CASE("vssadmin list writers: French, as captured in openzfsonwindows/openzfs#406")
    {
        ListingOptions o;
        o.french = true;
        std::vector<StatusEntry> one{twoWriters().front()};
        CHECK(formatVssadminWriters(one, o) ==
              "vssadmin 1.1 - Outil ligne de commande d\u2019administration du service de clich\u00e9 instantan\u00e9 de volume\n"
              "(C) Copyright 2001-2013 Microsoft Corp.\n"
              "\n"
              "Nom du r\u00e9dacteur : 'Task Scheduler Writer'\n"
              "   ID du r\u00e9dacteur : {d61d61c8-d73a-4eee-8cdd-f6f9786b7124}\n"
              "   ID de l\u2019instance du r\u00e9dacteur : {1bddd48e-5052-49db-9b07-b96f96727e6b}\n"
              "   \u00c9tat : [1] Stable\n"
              "   Derni\u00e8re erreur : Aucune erreur\n"
              "\n");
        // Only the captured strings are translated; the number stays what parsers rely on.
        const std::string both = formatVssadminWriters(twoWriters(), o);
        CHECK(both.find("   \u00c9tat : [8] Failed\n   Derni\u00e8re erreur : Retryable error\n") != std::string::npos);
    }

    TEST_CASE("vssadmin error output when the service is not ready")
    {
        CHECK(formatVssadminError({}) ==
              kHeader +
                  "Error: A Volume Shadow Copy Service component encountered an unexpected error.\n"
                  "Check the Application event log for more information.\n");
    }

    TEST_CASE("vssadmin list providers")
    {
        CHECK(formatVssadminProviders(ProviderSettings{}, {}) ==
              kHeader +
                  "Provider name: 'Microsoft Software Shadow Copy provider 1.0'\n"
                  "   Provider type: System\n"
                  "   Provider Id: {b5946137-7b9f-4925-af80-51abd60b20d5}\n"
                  "   Version: 1.0.0.7\n"
                  "\n");
    }

    TEST_CASE("DiskShadow list writers status")
    {
        CHECK(formatDiskShadowWriters(twoWriters(), {}) ==
              "Listing writer status ...\n"
              "* WRITER Task Scheduler Writer\n"
              "        - Status: 1 (VSS_WS_STABLE)\n"
              "        - Writer Failure code: 0x00000000 (S_OK)\n"
              "        - Writer ID: {d61d61c8-d73a-4eee-8cdd-f6f9786b7124}\n"
              "        - Instance ID: {1bddd48e-5052-49db-9b07-b96f96727e6b}\n"
              "* WRITER Microsoft Exchange Writer\n"
              "        - Status: 8 (VSS_WS_FAILED_AT_PREPARE_SNAPSHOT)\n"
              "        - Writer Failure code: 0x800423f3 (VSS_E_WRITERERROR_RETRYABLE)\n"
              "        - Writer ID: {76fe1ac4-15f7-4bcd-987e-8e1acb462fb7}\n"
              "        - Instance ID: {9e362607-9794-4dd4-a7cd-b3d5de0aad20}\n"
              "2 writers listed.\n");
    }

    TEST_CASE("VShadow -ws, and the codes its table lacks")
    {
        std::vector<StatusEntry> writers = twoWriters();
        CHECK(formatVShadowWriters(writers, {}) ==
              "Listing writer status ...\n"
              "- Number of writers that responded: 2\n"
              "\n"
              "* WRITER \"Task Scheduler Writer\"\n"
              "   - Status: 1 (VSS_WS_STABLE)\n"
              "   - Writer Failure code: 0x00000000 (S_OK)\n"
              "   - Writer ID: {d61d61c8-d73a-4eee-8cdd-f6f9786b7124}\n"
              "   - Instance ID: {1bddd48e-5052-49db-9b07-b96f96727e6b}\n"
              "\n"
              "\n"
              "* WRITER \"Microsoft Exchange Writer\"\n"
              "   - Status: 8 (VSS_WS_FAILED_AT_PREPARE_SNAPSHOT)\n"
              "   - Writer Failure code: 0x800423f3 (VSS_E_WRITERERROR_RETRYABLE)\n"
              "   - Writer ID: {76fe1ac4-15f7-4bcd-987e-8e1acb462fb7}\n"
              "   - Instance ID: {9e362607-9794-4dd4-a7cd-b3d5de0aad20}\n"
              "\n");
        writers[1].failure = VSS_E_WRITERERROR_PARTIAL_FAILURE;
        CHECK(formatVShadowWriters(writers, {}).find("0x80042336 (<Unknown error code>)") != std::string::npos);
        CHECK(vshadowCodeName(VSS_E_NESTED_VOLUME_LIMIT) == std::optional<std::string_view>("VSS_E_NESTED_VOLUME_LIMIT"));
        CHECK_FALSE(vshadowCodeName(VSS_E_WRITERERROR_PARTIAL_FAILURE));
        CHECK(vshadowCodeName(E_OUTOFMEMORY) == std::optional<std::string_view>("E_OUTOFMEMORY"));
        CHECK_FALSE(vshadowCodeName(E_INVALIDARG));
    }

    TEST_CASE("labels and Last-error texts: every state and the fallback")
    {
        for (int s = 0; s < VSS_WS_COUNT; ++s) {
            INFO("state ", s);
            CHECK_FALSE(vssadminStateLabel(static_cast<VSS_WRITER_STATE>(s)).label.empty());
        }
        CHECK(vssadminStateLabel(VSS_WS_WAITING_FOR_BACKUP_COMPLETE).label == "Waiting for completion");
        CHECK(vssadminStateLabel(VSS_WS_FAILED_AT_BACKUPSHUTDOWN).label == "Failed");
        CHECK(vssadminLastError(VSS_E_WRITERERROR_NONRETRYABLE).text == "Non-retryable error");
        CHECK(vssadminLastError(VSS_E_WRITERERROR_TIMEOUT).text == "Timed out");
        CHECK_FALSE(vssadminLastError(VSS_E_WRITERERROR_TIMEOUT).confirmed);
        CHECK(vssadminLastError(VSS_E_WRITER_STATUS_NOT_AVAILABLE).text == "Unexpected error");
        CHECK(vssadminLastError(E_FAIL).text == "Unexpected error");
        CHECK_FALSE(hasOwnLastError(E_FAIL));
        CHECK(hasOwnLastError(VSS_E_WRITERERROR_PARTIAL_FAILURE));
    }

    TEST_CASE("graph: one edge per (row, from-state) pair of the transition table")
    {
        std::size_t pairs = 0;
        for (const Row &r : transitionTable())
            pairs += static_cast<std::size_t>(std::popcount(r.from));
        const std::string dot = formatTransitionGraph();
        std::size_t edges = 0;
        for (std::size_t at = dot.find(" -> "); at != std::string::npos; at = dot.find(" -> ", at + 1))
            ++edges;
        CHECK(edges == pairs);
        CHECK(dot.starts_with("digraph "));
        CHECK(dot.find("  s7 -> s9") == std::string::npos);
        CHECK(dot.find("  s2 -> s9 [label=\"F2: Freeze / fatal, hang (abort)\"];\n") != std::string::npos);
        CHECK(dot == formatTransitionGraph());
    }

    TEST_CASE("guidance: one row per code of behavior.md §17")
    {
        for (const Guidance &g : guidanceTable()) {
            INFO(Hr{g.code});
            CHECK(guidanceFor(g.code) == &g);
            CHECK_FALSE(g.reaction.empty());
            CHECK_FALSE(g.retry.empty());
        }
        CHECK(guidanceFor(VSS_E_WRITERERROR_TIMEOUT)->retry == "10 minutes, at most 3");
        CHECK(guidanceFor(E_INVALIDARG) == nullptr);
    }

    TEST_CASE("observeWriters: the client set, and the preamble condition")
    {
        ServiceOptions options;
        options.seed = 42;
        auto svc = std::make_shared<Service>(options);
        bool late = true;
        HRESULT hr = E_FAIL;
        std::vector<StatusEntry> list = observeWriters(*svc, late, &hr);
        CHECK(hr == S_OK);
        CHECK(list.size() == 10);
        CHECK_FALSE(late);
        CHECK(list.front().name == L"Task Scheduler Writer");

        for (const auto &w : svc->writers().all())
            if (w->identity.name == "System Writer")
                w->faults.statusDelay = ms(2000);
        list = observeWriters(*svc, late, &hr);
        CHECK(list.size() == 10);
        CHECK(late);
    }

    TEST_CASE("observeWriters: a service that is not ready lists nothing")
    {
        ServiceOptions options;
        auto svc = std::make_shared<Service>(options);
        svc->setNotReady(ms(20000), VSS_E_UNEXPECTED);
        bool late = false;
        HRESULT hr = S_OK;
        CHECK(observeWriters(*svc, late, &hr).empty());
        CHECK(hr == VSS_E_UNEXPECTED);
    }

    TEST_CASE("toUtf8")
    {
        CHECK(toUtf8(L"Stable") == "Stable");
        CHECK(toUtf8(L"\u00c9tat \u2019") == "\u00c9tat \u2019");
        CHECK(toUtf8(std::wstring(1, static_cast<wchar_t>(0x1f600))) == "\U0001f600");
    }
}
