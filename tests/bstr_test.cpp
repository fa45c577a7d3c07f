// BSTR layout and the SysAllocString family, including every NULL and zero-length path, and the
// registry that catches SysFreeString on memory the library never handed out (mistake M14).
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <cwchar>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <windows.h>
#include <vsssim/vsssim.h>

#include "boundary/bstr.h"

namespace {

std::uint32_t prefixOf(BSTR bstr)
{
    std::uint32_t value = 0;
    std::memcpy(&value, reinterpret_cast<const unsigned char *>(bstr) - 4, sizeof value);
    return value;
}

bool terminatedAt(BSTR bstr, std::size_t byteOffset)
{
    const wchar_t zero = 0;
    return std::memcmp(reinterpret_cast<const unsigned char *>(bstr) + byteOffset, &zero, sizeof zero) == 0;
}

std::atomic<int> foreignFrees{0};
std::atomic<const void *> lastForeign{nullptr};

void recordForeign(const void *ptr) noexcept
{
    lastForeign.store(ptr);
    foreignFrees.fetch_add(1);
}

// Installs the recording hook for one test case and restores the default afterwards.
struct ForeignFreeRecorder {
    ForeignFreeRecorder()
    {
        foreignFrees = 0;
        lastForeign = nullptr;
        vsssim::setForeignBstrFreeHook(recordForeign);
    }
    ~ForeignFreeRecorder() { vsssim::setForeignBstrFreeHook(nullptr); }
    ForeignFreeRecorder(const ForeignFreeRecorder &) = delete;
    ForeignFreeRecorder &operator=(const ForeignFreeRecorder &) = delete;
};

} // namespace

TEST_SUITE("bstr")
{
TEST_CASE("SysAllocString: 8-byte aligned, byte-length prefix at p-4, one wchar_t terminator")
{
    BSTR b = SysAllocString(L"writer");
    REQUIRE(b != nullptr);
    CHECK(reinterpret_cast<std::uintptr_t>(b) % 8 == 0);
    CHECK(prefixOf(b) == 6 * sizeof(wchar_t));
    CHECK(std::wmemcmp(b, L"writer", 6) == 0);
    CHECK(terminatedAt(b, 6 * sizeof(wchar_t)));
    CHECK(SysStringLen(b) == 6);
    CHECK(SysStringByteLen(b) == 24);
    SysFreeString(b);
}

TEST_CASE("SysAllocStringLen copies exactly ui characters, embedded NULs included")
{
    const wchar_t text[] = {L'a', L'\0', L'b', L'c'};
    BSTR b = SysAllocStringLen(text, 3);
    REQUIRE(b != nullptr);
    CHECK(SysStringLen(b) == 3);
    CHECK(b[0] == L'a');
    CHECK(b[1] == L'\0');
    CHECK(b[2] == L'b');
    CHECK(b[3] == L'\0');
    CHECK(std::wcslen(b) == 1);
    SysFreeString(b);
}

TEST_CASE("zero-length strings are valid, non-NULL BSTRs")
{
    struct Row {
        std::string_view call; // doctest 2.4.9 prints a const char * as an address
        BSTR bstr;
    };
    const Row rows[] = {
        {"SysAllocString(L\"\")", SysAllocString(L"")},
        {"SysAllocStringLen(L\"abc\", 0)", SysAllocStringLen(L"abc", 0)},
        {"SysAllocStringLen(NULL, 0)", SysAllocStringLen(nullptr, 0)},
        {"SysAllocStringByteLen(\"abc\", 0)", SysAllocStringByteLen("abc", 0)},
        {"SysAllocStringByteLen(NULL, 0)", SysAllocStringByteLen(nullptr, 0)},
        {"allocBstr(L\"\")", vsssim::allocBstr(L"", "test")},
        {"allocBstrOrNull(L\"\")", vsssim::allocBstrOrNull(L"", "test")},
    };
    for (const Row &r : rows) {
        INFO(r.call);
        REQUIRE(r.bstr != nullptr);
        CHECK(reinterpret_cast<std::uintptr_t>(r.bstr) % 8 == 0);
        CHECK(SysStringLen(r.bstr) == 0);
        CHECK(SysStringByteLen(r.bstr) == 0);
        CHECK(r.bstr[0] == L'\0');
        SysFreeString(r.bstr);
    }
}

TEST_CASE("NULL in: NULL, zero or FALSE out, never a crash")
{
    const std::size_t start = vsssim::liveBstrCount();
    CHECK(SysAllocString(nullptr) == nullptr);
    CHECK(vsssim::allocBstrOrNull(nullptr, "test") == nullptr);
    CHECK(SysStringLen(nullptr) == 0);
    CHECK(SysStringByteLen(nullptr) == 0);
    SysFreeString(nullptr);
    CHECK(SysReAllocString(nullptr, L"x") == FALSE);
    CHECK(SysReAllocStringLen(nullptr, L"x", 1) == FALSE);
    CHECK(SysReAllocStringLen(nullptr, nullptr, 0) == FALSE);
    // A length whose byte count cannot fit the 32-bit prefix fails cleanly instead of wrapping.
    CHECK(SysAllocStringLen(nullptr, 0xFFFFFFFFu) == nullptr);
    CHECK(SysAllocStringLen(nullptr, 0x40000000u) == nullptr);
    CHECK(vsssim::liveBstrCount() == start);
}

TEST_CASE("SysAllocStringLen(NULL, n) allocates n zeroed characters")
{
    BSTR b = SysAllocStringLen(nullptr, 3);
    REQUIRE(b != nullptr);
    CHECK(SysStringLen(b) == 3);
    for (int i = 0; i <= 3; ++i) {
        INFO("character ", i);
        CHECK(b[i] == L'\0');
    }
    SysFreeString(b);
}

TEST_CASE("SysAllocStringByteLen: byte prefix, bytes copied or zeroed, wide terminator after them")
{
    BSTR b = SysAllocStringByteLen("abcde", 5);
    REQUIRE(b != nullptr);
    CHECK(SysStringByteLen(b) == 5);
    CHECK(SysStringLen(b) == 1); // 5 bytes hold one whole 4-byte character
    CHECK(std::memcmp(b, "abcde", 5) == 0);
    CHECK(terminatedAt(b, 5));
    SysFreeString(b);

    BSTR z = SysAllocStringByteLen(nullptr, 7);
    REQUIRE(z != nullptr);
    CHECK(SysStringByteLen(z) == 7);
    const unsigned char zeros[7] = {};
    CHECK(std::memcmp(z, zeros, sizeof zeros) == 0);
    CHECK(terminatedAt(z, 7));
    SysFreeString(z);
}

TEST_CASE("SysReAllocString and SysReAllocStringLen replace the string and free the old one")
{
    const std::size_t start = vsssim::liveBstrCount();
    BSTR b = SysAllocString(L"old");
    REQUIRE(b != nullptr);

    CHECK(SysReAllocString(&b, L"newer") == TRUE);
    CHECK(std::wcscmp(b, L"newer") == 0);
    CHECK(SysStringLen(b) == 5);
    CHECK(vsssim::liveBstrCount() == start + 1);

    // The source may point into the string being replaced.
    CHECK(SysReAllocStringLen(&b, b + 1, 2) == TRUE);
    CHECK(SysStringLen(b) == 2);
    CHECK(std::wcscmp(b, L"ew") == 0);

    // A NULL source keeps the old characters that still fit and zeroes the rest.
    CHECK(SysReAllocStringLen(&b, nullptr, 4) == TRUE);
    CHECK(SysStringLen(b) == 4);
    CHECK(b[0] == L'e');
    CHECK(b[1] == L'w');
    CHECK(b[2] == L'\0');
    CHECK(b[3] == L'\0');
    CHECK(b[4] == L'\0');

    CHECK(SysReAllocString(&b, nullptr) == TRUE);
    REQUIRE(b != nullptr);
    CHECK(SysStringLen(b) == 0);
    CHECK(vsssim::liveBstrCount() == start + 1);
    SysFreeString(b);

    BSTR fromNull = nullptr;
    CHECK(SysReAllocString(&fromNull, L"x") == TRUE);
    REQUIRE(fromNull != nullptr);
    CHECK(std::wcscmp(fromNull, L"x") == 0);
    SysFreeString(fromNull);
    CHECK(vsssim::liveBstrCount() == start);
}

TEST_CASE("the live count returns to its start value and origins name the allocating call")
{
    const std::size_t start = vsssim::liveBstrCount();
    std::vector<BSTR> held{
        SysAllocString(L"a"),
        SysAllocStringLen(L"bc", 2),
        SysAllocStringByteLen("d", 1),
        vsssim::allocBstr(L"SqlServerWriter", "GetWriterStatusEx"),
        vsssim::allocBstrOrNull(L"msg", "GetFailure"),
    };
    for (BSTR b : held)
        REQUIRE(b != nullptr);
    CHECK(vsssim::liveBstrCount() == start + held.size());

    const std::vector<std::string> origins = vsssim::liveBstrOrigins();
    CHECK(origins.size() == start + held.size());
    for (const char *label :
         {"SysAllocString", "SysAllocStringLen", "SysAllocStringByteLen", "GetWriterStatusEx", "GetFailure"}) {
        INFO("origin ", std::string_view{label});
        CHECK(std::count(origins.begin(), origins.end(), label) >= 1);
    }

    for (BSTR b : held)
        SysFreeString(b);
    CHECK(vsssim::liveBstrCount() == start);
}

TEST_CASE("SysFreeString reports memory the library did not allocate and leaves it alone")
{
    ForeignFreeRecorder recorder;
    const std::size_t start = vsssim::liveBstrCount();

    // Laid out exactly like a BSTR: padding, prefix 12, L"abc", terminator.
    alignas(8) unsigned char stackBuffer[8 + 3 * sizeof(wchar_t) + sizeof(wchar_t)] = {};
    const std::uint32_t prefix = 3 * sizeof(wchar_t);
    std::memcpy(stackBuffer + 4, &prefix, sizeof prefix);
    std::memcpy(stackBuffer + 8, L"abc", 4 * sizeof(wchar_t));
    auto fake = reinterpret_cast<BSTR>(stackBuffer + 8);
    REQUIRE(SysStringLen(fake) == 3);

    SysFreeString(fake);
    CHECK(foreignFrees.load() == 1);
    CHECK(lastForeign.load() == fake);
    CHECK(std::wcscmp(fake, L"abc") == 0);
    CHECK(vsssim::liveBstrCount() == start);

    static const wchar_t literal[] = L"a literal";
    SysFreeString(const_cast<BSTR>(literal));
    CHECK(foreignFrees.load() == 2);
    CHECK(lastForeign.load() == literal);

    // A double free is the same mistake: the second call finds nothing in the registry.
    BSTR b = SysAllocString(L"once");
    REQUIRE(b != nullptr);
    SysFreeString(b);
    CHECK(foreignFrees.load() == 2);
    SysFreeString(b);
    CHECK(foreignFrees.load() == 3);
    CHECK(lastForeign.load() == b);

    // SysReAllocString on a foreign string replaces it without freeing it.
    BSTR replaced = fake;
    CHECK(SysReAllocString(&replaced, L"mine") == TRUE);
    CHECK(foreignFrees.load() == 4);
    CHECK(std::wcscmp(fake, L"abc") == 0);
    SysFreeString(replaced);
    CHECK(vsssim::liveBstrCount() == start);
}

TEST_CASE("the default foreign-free reporter logs and returns")
{
    vsssim::setForeignBstrFreeHook(nullptr);
    static const wchar_t literal[] = L"not a BSTR";
    SysFreeString(const_cast<BSTR>(literal));
    CHECK(std::wcscmp(literal, L"not a BSTR") == 0);
}

TEST_CASE("the registry stays consistent under concurrent allocation and release")
{
    const std::size_t start = vsssim::liveBstrCount();
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&failures] {
            for (int i = 0; i < 2000; ++i) {
                BSTR b = SysAllocString(L"concurrent");
                if (!b || SysStringLen(b) != 10)
                    failures.fetch_add(1);
                SysFreeString(b);
            }
        });
    }
    for (std::thread &t : threads)
        t.join();
    CHECK(failures.load() == 0);
    CHECK(vsssim::liveBstrCount() == start);
}
}
