// GUID text both ways (VSS tools' lower-case form and COM's upper-case form), malformed input,
// the Hr formatter, and the COM initialisation return-code sequences.
#include <doctest/doctest.h>

#include <cstring>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include <windows.h>
#include <vss.h>

#include "core/guid.h"
#include "core/names.h"

// The generic headers stop at the codes the VSS API returns; CLSIDFromString's own code is COM's.

using vsssim::Hr;

namespace {

// Text fields are string_views: doctest 2.4.9 prints a const char * as an address.
struct Known {
    std::string_view what;
    GUID guid;
    std::string_view lower;
    const wchar_t *upper;
};

const Known kKnown[] = {
    {"GUID_NULL", GUID_NULL, "{00000000-0000-0000-0000-000000000000}", L"{00000000-0000-0000-0000-000000000000}"},
    {"all 0xFF",
     {0xFFFFFFFF, 0xFFFF, 0xFFFF, {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}},
     "{ffffffff-ffff-ffff-ffff-ffffffffffff}",
     L"{FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF}"},
    {"Data4 in array order",
     {0x01234567, 0x89AB, 0xCDEF, {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07}},
     "{01234567-89ab-cdef-0001-020304050607}",
     L"{01234567-89AB-CDEF-0001-020304050607}"},
    {"spec example",
     {0xe8132975, 0x6f93, 0x4464, {0xa5, 0x3e, 0x10, 0x50, 0x25, 0x3a, 0xe2, 0x20}},
     "{e8132975-6f93-4464-a53e-1050253ae220}",
     L"{E8132975-6F93-4464-A53E-1050253AE220}"},
    {"IID_IVssBackupComponents",
     {0x665c1d5f, 0xc218, 0x414d, {0xa0, 0x5d, 0x7f, 0xef, 0x5f, 0x9d, 0x5c, 0x86}},
     "{665c1d5f-c218-414d-a05d-7fef5f9d5c86}",
     L"{665C1D5F-C218-414D-A05D-7FEF5F9D5C86}"},
    {"Microsoft Software Shadow Copy provider",
     {0xb5946137, 0x7b9f, 0x4925, {0xaf, 0x80, 0x51, 0xab, 0xd6, 0x0b, 0x20, 0xd5}},
     "{b5946137-7b9f-4925-af80-51abd60b20d5}",
     L"{B5946137-7B9F-4925-AF80-51ABD60B20D5}"},
};

// Filled into out-parameters first, so a test sees whether the function wrote them.
constexpr GUID kJunk{0x12345678, 0x9abc, 0xdef0, {1, 2, 3, 4, 5, 6, 7, 8}};

std::wstring widen(std::string_view text)
{
    return std::wstring(text.begin(), text.end());
}

std::string upperOf(std::string text)
{
    for (char &c : text)
        if (c >= 'a' && c <= 'f')
            c = static_cast<char>(c - 'a' + 'A');
    return text;
}

} // namespace

TEST_SUITE("guid")
{
TEST_CASE("formatGuid and fmt print VSS tools' form: lower case in braces, Data4 in array order")
{
    for (const Known &k : kKnown) {
        INFO(k.what);
        CHECK(vsssim::formatGuid(k.guid) == k.lower);
        CHECK(fmt::format("{}", k.guid) == k.lower);
    }
}

TEST_CASE("parseGuid round-trips with or without braces, in either case, narrow and wide")
{
    for (const Known &k : kKnown) {
        INFO(k.what);
        const std::string lower{k.lower};
        const std::string upper = upperOf(lower);
        const std::string bare = lower.substr(1, 36);
        for (const std::string &text : {lower, upper, bare, upperOf(bare)}) {
            INFO("text ", text);
            CHECK(vsssim::parseGuid(text) == std::optional<GUID>{k.guid});
            CHECK(vsssim::parseGuid(widen(text)) == std::optional<GUID>{k.guid});
        }
    }
    // Mixed case within one GUID is still one GUID.
    CHECK(vsssim::parseGuid("{E8132975-6f93-4464-A53e-1050253AE220}") == std::optional<GUID>{kKnown[3].guid});
}

TEST_CASE("StringFromGUID2 writes COM's upper-case braced form and returns 39")
{
    for (const Known &k : kKnown) {
        INFO(k.what);
        wchar_t buffer[64];
        std::wmemset(buffer, L'#', 64);
        CHECK(StringFromGUID2(k.guid, buffer, 64) == 39);
        CHECK(std::wcscmp(buffer, k.upper) == 0);
        CHECK(buffer[39] == L'#');

        wchar_t exact[39];
        CHECK(StringFromGUID2(k.guid, exact, 39) == 39);
        CHECK(std::wcscmp(exact, k.upper) == 0);
    }
}

TEST_CASE("CLSIDFromString and IIDFromString read both the upper- and lower-case braced forms")
{
    for (const Known &k : kKnown) {
        INFO(k.what);
        const std::wstring lower = widen(k.lower);
        for (const std::wstring &text : {std::wstring(k.upper), lower}) {
            GUID clsid = kJunk;
            CHECK(Hr{CLSIDFromString(text.c_str(), &clsid)} == Hr{NOERROR});
            CHECK(clsid == k.guid);
            IID iid = kJunk;
            CHECK(Hr{IIDFromString(text.c_str(), &iid)} == Hr{S_OK});
            CHECK(iid == k.guid);
        }
        // StringFromGUID2's output is what CLSIDFromString is documented to read back.
        wchar_t buffer[39];
        REQUIRE(StringFromGUID2(k.guid, buffer, 39) == 39);
        GUID back = kJunk;
        CHECK(Hr{CLSIDFromString(buffer, &back)} == Hr{S_OK});
        CHECK(back == k.guid);
    }
}

TEST_CASE("StringFromGUID2 returns 0 and writes nothing when the buffer is missing or too small")
{
    const GUID guid = kKnown[3].guid;
    for (int cchMax : {38, 10, 1, 0, -1, -39}) {
        INFO("cchMax ", cchMax);
        wchar_t buffer[64];
        std::wmemset(buffer, L'#', 64);
        CHECK(StringFromGUID2(guid, buffer, cchMax) == 0);
        CHECK(buffer[0] == L'#');
    }
    CHECK(StringFromGUID2(guid, nullptr, 39) == 0);
    CHECK(StringFromGUID2(guid, nullptr, 0) == 0);
}

TEST_CASE("malformed GUID text: nullopt from parseGuid, CO_E_CLASSSTRING and E_INVALIDARG from COM")
{
    struct Row {
        std::string_view what;
        std::string_view text;
    };
    const Row rows[] = {
        {"empty", ""},
        {"braces only", "{}"},
        {"too short by one digit", "{e8132975-6f93-4464-a53e-1050253ae22}"},
        {"too long by one digit", "{e8132975-6f93-4464-a53e-1050253ae2200}"},
        {"bad hex digit", "{e8132975-6f93-4464-a53e-1050253ae22g}"},
        {"sign instead of a digit", "{+8132975-6f93-4464-a53e-1050253ae220}"},
        {"missing hyphen", "{e81329756f93-4464-a53e-1050253ae220}"},
        {"hyphen one place early", "{e813297-56f93-4464-a53e-1050253ae220}"},
        {"digit where a hyphen belongs", "{e8132975a6f93-4464-a53e-1050253ae220}"},
        {"missing closing brace", "{e8132975-6f93-4464-a53e-1050253ae220"},
        {"missing opening brace", "e8132975-6f93-4464-a53e-1050253ae220}"},
        {"wrong brackets", "(e8132975-6f93-4464-a53e-1050253ae220)"},
        {"trailing junk", "{e8132975-6f93-4464-a53e-1050253ae220}x"},
        {"trailing space", "{e8132975-6f93-4464-a53e-1050253ae220} "},
        {"leading space", " {e8132975-6f93-4464-a53e-1050253ae220}"},
        {"unbraced with junk", "e8132975-6f93-4464-a53e-1050253ae220x"},
        {"32 digits without hyphens", "e81329756f934464a53e1050253ae220"},
        {"a ProgID", "VSS.VSSCoordinator"},
    };
    for (const Row &r : rows) {
        INFO(r.what, ": \"", r.text, "\"");
        const std::wstring wide = widen(r.text);
        CHECK_FALSE(vsssim::parseGuid(r.text).has_value());
        CHECK_FALSE(vsssim::parseGuid(std::wstring_view{wide}).has_value());
        GUID clsid = kJunk;
        CHECK(Hr{CLSIDFromString(wide.c_str(), &clsid)} == Hr{CO_E_CLASSSTRING});
        CHECK(clsid == GUID_NULL);
        IID iid = kJunk;
        CHECK(Hr{IIDFromString(wide.c_str(), &iid)} == Hr{E_INVALIDARG});
        CHECK(iid == GUID_NULL);
    }
}

TEST_CASE("unbraced GUID text parses for scenarios but not for CLSIDFromString/IIDFromString")
{
    // On Windows unbraced text goes to the ProgID lookup; the simulator has no registry to find one.
    const wchar_t *text = L"e8132975-6f93-4464-a53e-1050253ae220";
    CHECK(vsssim::parseGuid(std::wstring_view{text}).has_value());
    GUID clsid = kJunk;
    CHECK(Hr{CLSIDFromString(text, &clsid)} == Hr{CO_E_CLASSSTRING});
    IID iid = kJunk;
    CHECK(Hr{IIDFromString(text, &iid)} == Hr{E_INVALIDARG});
}

TEST_CASE("NULL arguments: NULL text gives GUID_NULL, a NULL out-pointer gives E_INVALIDARG")
{
    // learn.microsoft.com, CLSIDFromString and IIDFromString: "Passing NULL results in GUID_NULL".
    GUID clsid = kJunk;
    CHECK(Hr{CLSIDFromString(nullptr, &clsid)} == Hr{NOERROR});
    CHECK(clsid == GUID_NULL);
    IID iid = kJunk;
    CHECK(Hr{IIDFromString(nullptr, &iid)} == Hr{S_OK});
    CHECK(iid == GUID_NULL);

    CHECK(Hr{CLSIDFromString(L"{e8132975-6f93-4464-a53e-1050253ae220}", nullptr)} == Hr{E_INVALIDARG});
    CHECK(Hr{IIDFromString(L"{e8132975-6f93-4464-a53e-1050253ae220}", nullptr)} == Hr{E_INVALIDARG});
    CHECK(Hr{CLSIDFromString(nullptr, nullptr)} == Hr{E_INVALIDARG});
    CHECK(Hr{IIDFromString(nullptr, nullptr)} == Hr{E_INVALIDARG});
}
}

TEST_SUITE("names")
{
TEST_CASE("Hr prints the name and 8 lower-case hex digits; unknown codes print the hex alone")
{
    struct Row {
        HRESULT hr;
        std::string_view text;
    };
    const Row rows[] = {
        {VSS_E_BAD_STATE, "VSS_E_BAD_STATE (0x80042301)"},
        {VSS_E_WRITERERROR_TIMEOUT, "VSS_E_WRITERERROR_TIMEOUT (0x800423f2)"},
        {VSS_S_ASYNC_FINISHED, "VSS_S_ASYNC_FINISHED (0x0004230a)"},
        {S_OK, "S_OK (0x00000000)"},
        {S_FALSE, "S_FALSE (0x00000001)"},
        {E_UNEXPECTED, "E_UNEXPECTED (0x8000ffff)"},
        {static_cast<HRESULT>(0x80042305), "0x80042305"}, // unused slot in vsserror.h
        {static_cast<HRESULT>(0xDEADBEEF), "0xdeadbeef"},
        {42, "0x0000002a"},
    };
    for (const Row &r : rows) {
        INFO(r.text);
        CHECK(fmt::format("{}", Hr{r.hr}) == r.text);
        std::ostringstream out;
        out << Hr{r.hr};
        CHECK(out.str() == r.text);
    }
}

TEST_CASE("VSS_WRITER_STATE prints its constant name")
{
    CHECK(fmt::format("{}", VSS_WS_FAILED_AT_FREEZE) == "VSS_WS_FAILED_AT_FREEZE");
    CHECK(fmt::format("{} -> {}", VSS_WS_STABLE, VSS_WS_WAITING_FOR_FREEZE) ==
          "VSS_WS_STABLE -> VSS_WS_WAITING_FOR_FREEZE");
    // 17..31 are inside the enum's value range (its values fit 5 bits) but name no state.
    CHECK(fmt::format("{}", static_cast<VSS_WRITER_STATE>(20)) == "VSS_WRITER_STATE(20)");
    CHECK(vsssim::writerStateName(VSS_WS_WAITING_FOR_BACKUP_COMPLETE) == "VSS_WS_WAITING_FOR_BACKUP_COMPLETE");
    CHECK(vsssim::writerStateName(static_cast<VSS_WRITER_STATE>(31)).empty());
}
}

TEST_SUITE("com")
{
TEST_CASE("CoInitializeEx: S_OK first, S_FALSE same model, RPC_E_CHANGED_MODE other model, per thread")
{
    std::vector<HRESULT> seen;
    std::thread([&seen] {
        seen.push_back(CoInitializeEx(nullptr, COINIT_MULTITHREADED));
        seen.push_back(CoInitializeEx(nullptr, COINIT_MULTITHREADED | COINIT_DISABLE_OLE1DDE));
        seen.push_back(CoInitializeEx(nullptr, COINIT_APARTMENTTHREADED));
        seen.push_back(CoInitialize(nullptr));
        CoUninitialize();
        CoUninitialize();
        // Balanced: the thread is uninitialised again, so any model is a first call.
        seen.push_back(CoInitialize(nullptr));
        seen.push_back(CoInitializeEx(nullptr, COINIT_APARTMENTTHREADED));
        seen.push_back(CoInitializeEx(nullptr, COINIT_MULTITHREADED));
        CoUninitialize();
        CoUninitialize();
        // Unbalanced extra calls change nothing.
        CoUninitialize();
        CoUninitialize();
        seen.push_back(CoInitializeEx(nullptr, COINIT_MULTITHREADED));
        CoUninitialize();
    }).join();
    const std::vector<HRESULT> expected{S_OK, S_FALSE, RPC_E_CHANGED_MODE, RPC_E_CHANGED_MODE,
                                        S_OK, S_FALSE, RPC_E_CHANGED_MODE, S_OK};
    REQUIRE(seen.size() == expected.size());
    for (std::size_t i = 0; i < seen.size(); ++i) {
        INFO("call ", i);
        CHECK(Hr{seen[i]} == Hr{expected[i]});
    }
}

TEST_CASE("CoInitializeEx state belongs to the calling thread")
{
    HRESULT sta = E_FAIL, mta = E_FAIL, staAgain = E_FAIL;
    std::thread a([&] {
        sta = CoInitializeEx(nullptr, COINIT_APARTMENTTHREADED);
        std::thread b([&] {
            mta = CoInitializeEx(nullptr, COINIT_MULTITHREADED);
            CoUninitialize();
        });
        b.join();
        staAgain = CoInitializeEx(nullptr, COINIT_APARTMENTTHREADED);
        CoUninitialize();
        CoUninitialize();
    });
    a.join();
    CHECK(Hr{sta} == Hr{S_OK});
    CHECK(Hr{mta} == Hr{S_OK});
    CHECK(Hr{staAgain} == Hr{S_FALSE});
}

TEST_CASE("CoInitializeSecurity: S_OK once per process, RPC_E_TOO_LATE after, from any thread")
{
    CHECK(Hr{CoInitializeSecurity(nullptr, -1, nullptr, nullptr, RPC_C_AUTHN_LEVEL_PKT_PRIVACY,
                                  RPC_C_IMP_LEVEL_IDENTIFY, nullptr, EOAC_NONE, nullptr)} == Hr{S_OK});
    CHECK(Hr{CoInitializeSecurity(nullptr, -1, nullptr, nullptr, RPC_C_AUTHN_LEVEL_PKT_PRIVACY,
                                  RPC_C_IMP_LEVEL_IDENTIFY, nullptr, EOAC_NONE, nullptr)} == Hr{RPC_E_TOO_LATE});
    HRESULT fromOtherThread = E_FAIL;
    std::thread([&] {
        fromOtherThread = CoInitializeSecurity(nullptr, -1, nullptr, nullptr, RPC_C_AUTHN_LEVEL_DEFAULT,
                                               RPC_C_IMP_LEVEL_IMPERSONATE, nullptr, EOAC_NONE, nullptr);
    }).join();
    CHECK(Hr{fromOtherThread} == Hr{RPC_E_TOO_LATE});
}

TEST_CASE("CoTaskMemAlloc returns usable memory, a valid pointer for zero bytes; CoTaskMemFree takes NULL")
{
    void *block = CoTaskMemAlloc(64);
    REQUIRE(block != nullptr);
    std::memset(block, 0xAB, 64);
    CoTaskMemFree(block);
    void *empty = CoTaskMemAlloc(0);
    CHECK(empty != nullptr);
    CoTaskMemFree(empty);
    CoTaskMemFree(nullptr);
}
}
