// Sizes and offsets that C clients and Windows-ported code rely on (docs/api.md §1.1, §5.6,
// §5.11, §6). The headers assert most of these too; here a wrong layout is a named, counted failure.
#include <doctest/doctest.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include <windows.h>
#include <vss.h>
#include <vswriter.h>
#include <vsbackup.h>

namespace {

// The smallest concrete IVssWriterComponentsExt, to measure where its IUnknown sub-object sits.
class ComponentsExt final : public IVssWriterComponentsExt {
public:
    STDMETHOD(GetComponentCount)(UINT *pcComponents) override
    {
        *pcComponents = 0;
        return S_OK;
    }
    STDMETHOD(GetWriterInfo)(VSS_ID *pidInstance, VSS_ID *pidWriter) override
    {
        *pidInstance = GUID_NULL;
        *pidWriter = GUID_NULL;
        return S_OK;
    }
    STDMETHOD(GetComponent)(UINT, IVssComponent **ppComponent) override
    {
        *ppComponent = nullptr;
        return E_NOTIMPL;
    }
    STDMETHOD(QueryInterface)(REFIID, void **ppvObject) override
    {
        *ppvObject = nullptr;
        return E_NOINTERFACE;
    }
    STDMETHOD_(ULONG, AddRef)() override { return 1; }
    STDMETHOD_(ULONG, Release)() override { return 1; }
};

std::ptrdiff_t offsetBetween(const void *outer, const void *inner)
{
    return static_cast<const char *>(inner) - static_cast<const char *>(outer);
}

} // namespace

TEST_SUITE("layout")
{
TEST_CASE("scalar types have their Windows sizes on LP64")
{
    CHECK(sizeof(HRESULT) == 4);
    CHECK(sizeof(SCODE) == 4);
    CHECK(sizeof(LONG) == 4);
    CHECK(sizeof(ULONG) == 4);
    CHECK(sizeof(DWORD) == 4);
    CHECK(sizeof(UINT) == 4);
    CHECK(sizeof(INT) == 4);
    CHECK(sizeof(BOOL) == 4);
    CHECK(sizeof(WINBOOL) == 4);
    CHECK(sizeof(boolean) == 1);
    CHECK(sizeof(BYTE) == 1);
    CHECK(sizeof(WORD) == 2);
    CHECK(sizeof(SHORT) == 2);
    CHECK(sizeof(VARIANT_BOOL) == 2);
    CHECK(sizeof(LONGLONG) == 8);
    CHECK(sizeof(ULONGLONG) == 8);
    CHECK(sizeof(VSS_TIMESTAMP) == 8);
    CHECK(sizeof(wchar_t) == 4);
    CHECK(sizeof(WCHAR) == 4);
    CHECK(sizeof(OLECHAR) == 4);
    CHECK(sizeof(BSTR) == 8);
    CHECK(sizeof(VSS_PWSZ) == 8);
    CHECK(static_cast<HRESULT>(0x80000000u) < 0); // signed, so FAILED() reads the sign bit
    CHECK(static_cast<LONG>(-1) < 0);
}

TEST_CASE("GUID is 16 bytes with Data1 32-bit, and FILETIME is 8")
{
    CHECK(sizeof(GUID) == 16);
    CHECK(sizeof(IID) == 16);
    CHECK(sizeof(CLSID) == 16);
    CHECK(sizeof(VSS_ID) == 16);
    CHECK(offsetof(GUID, Data1) == 0);
    CHECK(offsetof(GUID, Data2) == 4);
    CHECK(offsetof(GUID, Data3) == 6);
    CHECK(offsetof(GUID, Data4) == 8);
    CHECK(sizeof(FILETIME) == 8);
    CHECK(offsetof(FILETIME, dwLowDateTime) == 0);
    CHECK(offsetof(FILETIME, dwHighDateTime) == 4);
}

TEST_CASE("VSS_SNAPSHOT_PROP is 128 bytes with the Windows x64 offsets")
{
    struct Row {
        std::string_view field; // doctest 2.4.9 prints a const char * as an address
        std::size_t offset;
        std::size_t expected;
    };
    const Row rows[] = {
        {"m_SnapshotId", offsetof(VSS_SNAPSHOT_PROP, m_SnapshotId), 0},
        {"m_SnapshotSetId", offsetof(VSS_SNAPSHOT_PROP, m_SnapshotSetId), 16},
        {"m_lSnapshotsCount", offsetof(VSS_SNAPSHOT_PROP, m_lSnapshotsCount), 32},
        {"m_pwszSnapshotDeviceObject", offsetof(VSS_SNAPSHOT_PROP, m_pwszSnapshotDeviceObject), 40},
        {"m_pwszOriginalVolumeName", offsetof(VSS_SNAPSHOT_PROP, m_pwszOriginalVolumeName), 48},
        {"m_pwszOriginatingMachine", offsetof(VSS_SNAPSHOT_PROP, m_pwszOriginatingMachine), 56},
        {"m_pwszServiceMachine", offsetof(VSS_SNAPSHOT_PROP, m_pwszServiceMachine), 64},
        {"m_pwszExposedName", offsetof(VSS_SNAPSHOT_PROP, m_pwszExposedName), 72},
        {"m_pwszExposedPath", offsetof(VSS_SNAPSHOT_PROP, m_pwszExposedPath), 80},
        {"m_ProviderId", offsetof(VSS_SNAPSHOT_PROP, m_ProviderId), 88},
        {"m_lSnapshotAttributes", offsetof(VSS_SNAPSHOT_PROP, m_lSnapshotAttributes), 104},
        {"m_tsCreationTimestamp", offsetof(VSS_SNAPSHOT_PROP, m_tsCreationTimestamp), 112},
        {"m_eStatus", offsetof(VSS_SNAPSHOT_PROP, m_eStatus), 120},
    };
    for (const Row &r : rows) {
        INFO(r.field);
        CHECK(r.offset == r.expected);
    }
    CHECK(sizeof(VSS_SNAPSHOT_PROP) == 128);
}

TEST_CASE("COM interfaces are one vptr; IVssWriterComponentsExt keeps its IUnknown sub-object at +8")
{
    CHECK(sizeof(IUnknown) == 8);
    CHECK(sizeof(IVssAsync) == 8);
    CHECK(sizeof(IVssBackupComponents) == 8);
    CHECK(sizeof(IVssWriterComponents) == 8);
    CHECK(sizeof(IVssWriterComponentsExt) == 16);

    ComponentsExt ext;
    IVssWriterComponentsExt *asExt = &ext;
    IVssWriterComponents *asComponents = asExt;
    IUnknown *asUnknown = asExt;
    CHECK(offsetBetween(asExt, asComponents) == 0);
    CHECK(offsetBetween(asExt, asUnknown) == 8);
    // Requesters call Release() through the second base; it must reach the same object.
    CHECK(asUnknown->Release() == 1);
    UINT count = 99;
    CHECK(asExt->GetComponentCount(&count) == S_OK);
    CHECK(count == 0);
}

TEST_CASE("CVssWriter is a vptr plus m_pWriterImpl: 16 bytes, and the Ex classes add no data")
{
    CHECK(sizeof(CVssWriter) == 16);
    CHECK(sizeof(CVssWriterEx) == 16);
    CHECK(sizeof(CVssWriterEx2) == 16);
}
}
