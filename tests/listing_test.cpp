// The text emulations of vssadmin, DiskShadow and VShadow (docs/listings.md §1-§3), byte for
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
#include "platform/platform.h"
#include "scenario/guidance.h"
#include "scenario/listing.h"
#include "service/service.h"
#include "service/shadow_attributes.h"

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

    TEST_CASE("guidance: one row per code of docs/behaviour.md §17")
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

    // A writer name past the BMP (U+1D11E) from a scenario's UTF-8 to the wide text of its BSTRs and
    // back: one unit where wchar_t is UTF-32 (glibc), a surrogate pair where it is UTF-16 (Windows;
    // tests/wine/non-bmp-writer.toml carries the same name through vssapi.dll under Wine).
    TEST_CASE("a non-BMP writer name on either width of wchar_t")
    {
        const std::string name = "Writer \xF0\x9D\x84\x9E";
        const auto wide = fromUtf8(name);
        REQUIRE(wide);
        if constexpr (sizeof(wchar_t) == 2) {
            REQUIRE(wide->size() == 9);
            CHECK(static_cast<unsigned>((*wide)[7]) == 0xd834u);
            CHECK(static_cast<unsigned>((*wide)[8]) == 0xdd1eu);
        } else {
            REQUIRE(wide->size() == 8);
            CHECK(static_cast<unsigned>((*wide)[7]) == 0x1d11eu);
        }
        CHECK(toUtf8(*wide) == name);
        std::wstring appended = L"Writer ";
        platform::appendCodePoint(appended, U'\U0001D11E');
        CHECK(appended == *wide);
        // A UTF-16 pair handed over by a Windows-compiled caller reads as the same character here too.
        const wchar_t pair[] = {L'W', static_cast<wchar_t>(0xd834), static_cast<wchar_t>(0xdd1e), 0};
        CHECK(toUtf8(pair) == "W\xF0\x9D\x84\x9E");
    }
}

namespace {

/// The shadow copy of the vssadmin capture in duplicati/duplicati#7205 (VSS_CTX_BACKUP, writers took part).
ShadowListingEntry duplicatiShadowCopy()
{
    ShadowListingEntry e;
    e.id = guid("{2203f23e-9f63-4b71-bdc2-e536696040ee}");
    e.setId = guid("{4df98393-3639-4b43-9243-15885cc51694}");
    e.setCount = 1;
    e.device = L"\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy2";
    e.originalVolume = L"\\\\?\\Volume{bc5944d5-28b2-4904-a774-462231657618}\\";
    e.volumeDisplay = L"C:\\";
    e.originatingMachine = e.serviceMachine = L"DESKTOP-CVTG9RF";
    e.providerId = guid("{b5946137-7b9f-4925-af80-51abd60b20d5}");
    e.providerName = L"Microsoft Software Shadow Copy provider 1.0";
    e.attributes = shadowCopyAttributes(VSS_CTX_BACKUP, ProviderSettings{});
    e.created = 134324727320000000LL;   // 8/29/2026 10:25:32 AM
    return e;
}

} // namespace

TEST_CASE("vssadmin list shadows: the capture of duplicati#7205, byte for byte")
{
    CHECK(formatVssadminShadows({duplicatiShadowCopy()}, {}) ==
          kHeader +
              "Contents of shadow copy set ID: {4df98393-3639-4b43-9243-15885cc51694}\n"
              "   Contained 1 shadow copies at creation time: 8/29/2026 10:25:32 AM\n"
              "      Shadow Copy ID: {2203f23e-9f63-4b71-bdc2-e536696040ee}\n"
              "         Original Volume: (C:)\\\\?\\Volume{bc5944d5-28b2-4904-a774-462231657618}\\\n"
              "         Shadow Copy Volume: \\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy2\n"
              "         Originating Machine: DESKTOP-CVTG9RF\n"
              "         Service Machine: DESKTOP-CVTG9RF\n"
              "         Provider: 'Microsoft Software Shadow Copy provider 1.0'\n"
              "         Type: Backup\n"
              "         Attributes: Differential, Auto recovered\n"
              "\n");
    CHECK(formatVssadminShadows({}, {}) == kHeader + "No items found that satisfy the query.\n");
    ListingOptions crlf;
    crlf.crlf = true;
    CHECK(formatVssadminShadows({}, crlf).find("query.\r\n") != std::string::npos);
}

TEST_CASE("VShadow -q and DiskShadow list shadows print the sample's attribute words in its order")
{
    ShadowListingEntry e = duplicatiShadowCopy();
    const std::string vshadow = formatVShadowShadows({e}, {});
    CHECK(vshadow.find("* SNAPSHOT ID = {2203f23e-9f63-4b71-bdc2-e536696040ee} ...\n"
                       "   - Shadow copy Set: {4df98393-3639-4b43-9243-15885cc51694}\n"
                       "   - Original count of shadow copies = 1\n"
                       "   - Original Volume name: \\\\?\\Volume{bc5944d5-28b2-4904-a774-462231657618}\\ [C:\\]\n"
                       "   - Creation Time: 8/29/2026 10:25:32 AM\n") != std::string::npos);
    CHECK(vshadow.find("   - Not Exposed\n   - Provider id: {b5946137-7b9f-4925-af80-51abd60b20d5}\n"
                       "   - Attributes:  Auto_Release Differential\n") != std::string::npos);
    CHECK(formatVShadowShadows({}, {}).find("There are no shadow copies in the system\n") != std::string::npos);

    // DiskShadow `set context persistent`: the words of openzfsonwindows/openzfs#350.
    e.attributes = shadowCopyAttributes(VSS_CTX_APP_ROLLBACK, ProviderSettings{});
    const std::string diskshadow = formatDiskShadowShadows({e}, {});
    CHECK(diskshadow.find("        * Shadow copy ID = {2203f23e-9f63-4b71-bdc2-e536696040ee}\n"
                          "                - Shadow copy set: {4df98393-3639-4b43-9243-15885cc51694}\n") != std::string::npos);
    CHECK(diskshadow.find("                - Attributes:  No_Auto_Release Persistent Differential\n") != std::string::npos);
    CHECK(diskshadow.find("Number of shadow copies listed: 1\n") != std::string::npos);
    // Every table word vssadmin prints for a bit the system provider sets was seen in a capture.
    for (const AttributeWord &w : attributeWords())
        if (w.bit & (LONG{VSS_CTX_CLIENT_ACCESSIBLE} | VSS_VOLSNAP_ATTR_DIFFERENTIAL | VSS_VOLSNAP_ATTR_AUTORECOVER))
            CHECK(w.vssadminConfirmed);
}

TEST_CASE("listing times: FILETIME to the en-US short date and 12-hour time")
{
    CHECK(listingTime(134324727320000000LL) == "8/29/2026 10:25:32 AM");
    CHECK(listingTime(133000311090000000LL) == "6/18/2022 1:05:09 PM");
    CHECK(listingTime(133000000000000000LL - 133000000000000000LL % 864000000000LL) == "6/18/2022 12:00:00 AM");
}
