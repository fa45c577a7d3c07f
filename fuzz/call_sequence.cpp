// Bytes -> a sequence of requester calls on one requester object at a time, with arguments chosen
// by the input: NULL out-pointers, unknown ids, enum values no enumerator names (within the enum's
// range: what a C caller can pass without undefined behaviour on its own side), operations waited
// for, polled, cancelled or abandoned. Every returned code is checked against the reference's list
// for its method (tests/return_codes.h); at the end nothing leaks and the writer state table saw no
// impossible pair.
#include "fuzz.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <windows.h>
#include <vss.h>
#include <vsbackup.h>
#include <vsssim/vsssim.h>

#include <fmt/format.h>

#include "return_codes.h"
#include "service/service.h"

namespace {

using vsssim::fuzz::require;

void check(std::string_view method, HRESULT hr)
{
    if (!vsssim::test::allowedResult(method, hr))
        vsssim::fuzz::finding(fmt::format("{} returned {}, which the reference does not list", method, vsssim::Hr{hr}));
}

struct Pending {
    IVssAsync *async;
    std::string_view operation;
};

class Sequence
{
public:
    explicit Sequence(FuzzedDataProvider &in) : in_(in) { create(); }
    ~Sequence()
    {
        for (const Pending &p : pending_)
            p.async->Release();
        drop();
        for (BSTR s : saved_)
            SysFreeString(s);
    }

    void step()
    {
        switch (in_.ConsumeIntegralInRange<int>(0, 37)) {
        case 0: {
            BSTR x = in_.ConsumeBool() ? nullptr : SysAllocString(L"<transportable/>");
            check("InitializeForBackup", p_->InitializeForBackup(x));
            SysFreeString(x);
            break;
        }
        case 1:
            check("InitializeForRestore", p_->InitializeForRestore(document()));
            break;
        case 2: {
            static constexpr LONG kContexts[] = {VSS_CTX_BACKUP, VSS_CTX_FILE_SHARE_BACKUP, VSS_CTX_NAS_ROLLBACK,
                                                 VSS_CTX_APP_ROLLBACK, VSS_CTX_CLIENT_ACCESSIBLE, static_cast<LONG>(VSS_CTX_ALL), 0x40000000};
            check("SetContext", p_->SetContext(in_.ConsumeBool() ? in_.PickValueInArray(kContexts) : in_.ConsumeIntegral<LONG>()));
            break;
        }
        case 3:
            check("SetBackupState", p_->SetBackupState(in_.ConsumeBool(), in_.ConsumeBool(),
                                                       static_cast<VSS_BACKUP_TYPE>(in_.ConsumeIntegralInRange<int>(VSS_BT_UNDEFINED, VSS_BT_OTHER)),
                                                       in_.ConsumeBool()));
            break;
        case 4:
            check("SetRestoreState", p_->SetRestoreState(static_cast<VSS_RESTORE_TYPE>(in_.ConsumeIntegralInRange<int>(VSS_RTYPE_UNDEFINED, VSS_RTYPE_OTHER))));
            break;
        case 5: {
            const VSS_ID id = anId();
            const UINT count = in_.ConsumeIntegralInRange<UINT>(0, 1);
            const VSS_ID *ids = in_.ConsumeBool() ? &id : nullptr;
            switch (in_.ConsumeIntegralInRange<int>(0, 2)) {
            case 0: check("DisableWriterClasses", p_->DisableWriterClasses(ids, count)); break;
            case 1: check("EnableWriterClasses", p_->EnableWriterClasses(ids, count)); break;
            default: check("DisableWriterInstances", p_->DisableWriterInstances(ids, count)); break;
            }
            break;
        }
        case 6: start("GatherWriterMetadata", &IVssBackupComponents::GatherWriterMetadata); break;
        case 7: {
            UINT n = 0;
            check("GetWriterMetadataCount", p_->GetWriterMetadataCount(in_.ConsumeBool() ? nullptr : &n));
            break;
        }
        case 8: {
            VSS_ID instance{};
            IVssExamineWriterMetadata *md = nullptr;
            const bool noInstance = in_.ConsumeBool(), noMetadata = in_.ConsumeBool();
            const HRESULT hr = p_->GetWriterMetadata(index(), noInstance ? nullptr : &instance, noMetadata ? nullptr : &md);
            check("GetWriterMetadata", hr);
            if (md)
                learn(instance, md);
            break;
        }
        case 9: check("FreeWriterMetadata", p_->FreeWriterMetadata()); break;
        case 10: {
            const Known k = aComponent();
            check("AddComponent", p_->AddComponent(k.instance, k.writer, k.type, k.logicalPath, k.name));
            break;
        }
        case 11: {
            VSS_ID set{};
            check("StartSnapshotSet", p_->StartSnapshotSet(in_.ConsumeBool() ? nullptr : &set));
            break;
        }
        case 12: {
            static const wchar_t *const kVolumes[] = {L"C:\\", L"D:\\", L"C:", L"", L"c:\\", L"Z:\\",
                                                       L"\\\\?\\Volume{00000000-0000-0000-0000-000000000000}\\"};
            VSS_ID snapshot{};
            const VSS_ID provider = in_.ConsumeBool() ? GUID_NULL : anId();
            std::wstring volume = in_.PickValueInArray(kVolumes);
            const bool nullVolume = in_.ConsumeIntegralInRange<int>(0, 7) == 0;
            const HRESULT hr = p_->AddToSnapshotSet(nullVolume ? nullptr : volume.data(), provider,
                                                    in_.ConsumeBool() ? nullptr : &snapshot);
            check("AddToSnapshotSet", hr);
            if (hr == S_OK)
                ids_.push_back(snapshot);
            break;
        }
        case 13: start("PrepareForBackup", &IVssBackupComponents::PrepareForBackup); break;
        case 14: start("DoSnapshotSet", &IVssBackupComponents::DoSnapshotSet); break;
        case 15: {
            VSS_SNAPSHOT_PROP prop{};
            const bool noProp = in_.ConsumeBool();
            const HRESULT hr = p_->GetSnapshotProperties(anId(), noProp ? nullptr : &prop);
            check("GetSnapshotProperties", hr);
            if (hr == S_OK)
                VssFreeSnapshotProperties(&prop);
            break;
        }
        case 16: {
            LONG deleted = 0;
            VSS_ID failed{};
            const auto type = static_cast<VSS_OBJECT_TYPE>(in_.ConsumeIntegralInRange<int>(VSS_OBJECT_UNKNOWN, VSS_OBJECT_TYPE_COUNT));
            const bool force = in_.ConsumeBool(), noDeleted = in_.ConsumeBool(), noFailed = in_.ConsumeBool();
            check("DeleteSnapshots", p_->DeleteSnapshots(anId(), type, force, noDeleted ? nullptr : &deleted,
                                                         noFailed ? nullptr : &failed));
            break;
        }
        case 17: {
            const Known k = aComponent();
            check("SetBackupSucceeded", p_->SetBackupSucceeded(k.instance, k.writer, k.type, k.logicalPath, k.name, in_.ConsumeBool()));
            break;
        }
        case 18: start("BackupComplete", &IVssBackupComponents::BackupComplete); break;
        case 19: check("AbortBackup", p_->AbortBackup()); break;
        case 20: {
            BSTR xml = nullptr;
            const HRESULT hr = p_->SaveAsXML(in_.ConsumeBool() ? nullptr : &xml);
            check("SaveAsXML", hr);
            if (xml)
                saved_.push_back(xml);
            break;
        }
        case 21: {
            UINT n = 0;
            check("GetWriterComponentsCount", p_->GetWriterComponentsCount(in_.ConsumeBool() ? nullptr : &n));
            break;
        }
        case 22: {
            IVssWriterComponentsExt *w = nullptr;
            const UINT i = index();
            check("GetWriterComponents", p_->GetWriterComponents(i, in_.ConsumeBool() ? nullptr : &w));
            if (w)
                w->Release();
            break;
        }
        case 23: start("PreRestore", &IVssBackupComponents::PreRestore); break;
        case 24: start("PostRestore", &IVssBackupComponents::PostRestore); break;
        case 25: {
            VSS_ID id{};
            IVssBackupComponentsEx4 *ex4 = nullptr;
            if (p_->QueryInterface(IID_IVssBackupComponentsEx4, reinterpret_cast<void **>(&ex4)) == S_OK) {
                check("GetSessionId", ex4->GetSessionId(in_.ConsumeBool() ? nullptr : &id));
                ex4->Release();
            }
            break;
        }
        case 26: start("GatherWriterStatus", &IVssBackupComponents::GatherWriterStatus); break;
        case 27: {
            UINT n = 0;
            check("GetWriterStatusCount", p_->GetWriterStatusCount(in_.ConsumeBool() ? nullptr : &n));
            break;
        }
        case 28:
        case 29: writerStatus(); break;
        case 30: check("FreeWriterStatus", p_->FreeWriterStatus()); break;
        case 31:
        case 32:
        case 33:
        case 34: onPending(); break;
        case 35: Sleep(in_.ConsumeIntegralInRange<DWORD>(0, 120000)); break;
        case 36:
            drop();
            create();
            break;
        default: {
            void *q = nullptr;
            static const IID kIids[] = {IID_IUnknown, IID_IVssAsync, IID_IVssBackupComponentsEx3, IID_IVssBackupComponentsEx4};
            const HRESULT hr = p_->QueryInterface(in_.PickValueInArray(kIids), in_.ConsumeBool() ? nullptr : &q);
            check("QueryInterface", hr);
            if (q)
                static_cast<IUnknown *>(q)->Release();
            break;
        }
        }
    }

private:
    struct Known {
        VSS_ID instance{};
        VSS_ID writer{};
        VSS_COMPONENT_TYPE type = VSS_CT_FILEGROUP;
        LPCWSTR logicalPath = nullptr;
        LPCWSTR name = nullptr;
    };
    struct Listed {
        VSS_ID instance, writer;
        VSS_COMPONENT_TYPE type;
        std::wstring logicalPath, name;
    };

    void create()
    {
        const HRESULT hr = CreateVssBackupComponents(&p_);
        check("CreateVssBackupComponents", hr);
        require(hr == S_OK, "CreateVssBackupComponents failed without a fault injected");
    }

    void drop()
    {
        if (p_)
            p_->Release();
        p_ = nullptr;
    }

    UINT index() { return in_.ConsumeBool() ? in_.ConsumeIntegralInRange<UINT>(0, 12) : in_.ConsumeIntegral<UINT>(); }

    VSS_ID anId()
    {
        if (!ids_.empty() && in_.ConsumeBool())
            return ids_[in_.ConsumeIntegralInRange<std::size_t>(0, ids_.size() - 1)];
        VSS_ID id{};
        id.Data1 = in_.ConsumeIntegral<std::uint32_t>();
        return id;
    }

    BSTR document()
    {
        if (in_.ConsumeBool())
            return nullptr;
        if (!saved_.empty() && in_.ConsumeBool())
            return saved_[in_.ConsumeIntegralInRange<std::size_t>(0, saved_.size() - 1)];
        static const wchar_t kNotABcd[] = L"<hello/>";
        return const_cast<BSTR>(kNotABcd);   // read only: InitializeForRestore copies it
    }

    void learn(const VSS_ID &instance, IVssExamineWriterMetadata *md)
    {
        VSS_ID inst{}, writer{};
        BSTR name = nullptr;
        VSS_USAGE_TYPE usage{};
        VSS_SOURCE_TYPE source{};
        if (md->GetIdentity(&inst, &writer, &name, &usage, &source) == S_OK) {
            SysFreeString(name);
            ids_.push_back(instance);
            ids_.push_back(writer);
            UINT includes = 0, excludes = 0, components = 0;
            md->GetFileCounts(&includes, &excludes, &components);
            for (UINT i = 0; i < components; ++i) {
                IVssWMComponent *c = nullptr;
                if (md->GetComponent(i, &c) != S_OK)
                    continue;
                PVSSCOMPONENTINFO info = nullptr;
                if (c->GetComponentInfo(&info) == S_OK) {
                    listed_.push_back({instance, writer, info->type, info->bstrLogicalPath ? info->bstrLogicalPath : L"",
                                       info->bstrComponentName ? info->bstrComponentName : L""});
                    c->FreeComponentInfo(info);
                }
                c->Release();
            }
        }
        md->Release();
    }

    Known aComponent()
    {
        Known k;
        if (!listed_.empty() && in_.ConsumeBool()) {
            const Listed &l = listed_[in_.ConsumeIntegralInRange<std::size_t>(0, listed_.size() - 1)];
            k = {l.instance, l.writer, l.type, l.logicalPath.empty() ? nullptr : l.logicalPath.c_str(), l.name.c_str()};
        } else {
            k = {anId(), anId(), VSS_CT_FILEGROUP, nullptr, L"Data"};
        }
        if (in_.ConsumeIntegralInRange<int>(0, 7) == 0)
            k.name = nullptr;
        if (in_.ConsumeIntegralInRange<int>(0, 7) == 0)
            k.type = static_cast<VSS_COMPONENT_TYPE>(in_.ConsumeIntegralInRange<int>(VSS_CT_UNDEFINED, 3));
        return k;
    }

    using AsyncMethod = HRESULT (STDMETHODCALLTYPE IVssBackupComponents::*)(IVssAsync **);
    void start(std::string_view method, AsyncMethod m)
    {
        IVssAsync *a = nullptr;
        const HRESULT hr = (p_->*m)(in_.ConsumeIntegralInRange<int>(0, 15) == 0 ? nullptr : &a);
        check(method, hr);
        require(SUCCEEDED(hr) == (a != nullptr), std::string(method) + ": an IVssAsync without success, or success without one");
        if (a)
            pending_.push_back({a, method});
    }

    void onPending()
    {
        if (pending_.empty())
            return;
        const std::size_t i = in_.ConsumeIntegralInRange<std::size_t>(0, pending_.size() - 1);
        Pending &p = pending_[i];
        switch (in_.ConsumeIntegralInRange<int>(0, 3)) {
        case 0:
            check("IVssAsync::Wait", p.async->Wait(in_.ConsumeBool() ? INFINITE : in_.ConsumeIntegralInRange<DWORD>(0, 70000)));
            break;
        case 1: {
            HRESULT result = E_FAIL;
            const bool noResult = in_.ConsumeBool();
            check("IVssAsync::QueryStatus", p.async->QueryStatus(noResult ? nullptr : &result, nullptr));
            if (!noResult && !vsssim::test::allowedAsyncResult(p.operation, result))
                vsssim::fuzz::finding(fmt::format("{} ended with {}, which the reference does not list", p.operation, vsssim::Hr{result}));
            break;
        }
        case 2:
            check("IVssAsync::Cancel", p.async->Cancel());
            break;
        default:
            p.async->Release();
            pending_.erase(pending_.begin() + static_cast<std::ptrdiff_t>(i));
            break;
        }
    }

    void writerStatus()
    {
        VSS_ID instance{}, writer{};
        BSTR name = nullptr, message = nullptr;
        VSS_WRITER_STATE state{};
        HRESULT failure = S_OK, application = S_OK;
        const unsigned nulls = in_.ConsumeIntegralInRange<unsigned>(0, 127) < 96 ? 0 : in_.ConsumeIntegral<std::uint8_t>();
        auto ptr = [&](auto *p, unsigned bit) { return (nulls >> bit) & 1u ? nullptr : p; };
        const UINT i = index();
        if (in_.ConsumeBool()) {
            check("GetWriterStatus", p_->GetWriterStatus(i, ptr(&instance, 0), ptr(&writer, 1), ptr(&name, 2), ptr(&state, 3),
                                                         ptr(&failure, 4)));
        } else {
            IVssBackupComponentsEx3 *ex3 = nullptr;
            if (p_->QueryInterface(IID_IVssBackupComponentsEx3, reinterpret_cast<void **>(&ex3)) == S_OK) {
                check("GetWriterStatusEx", ex3->GetWriterStatusEx(i, ptr(&instance, 0), ptr(&writer, 1), ptr(&name, 2),
                                                                  ptr(&state, 3), ptr(&failure, 4), ptr(&application, 5),
                                                                  ptr(&message, 6)));
                ex3->Release();
            }
        }
        SysFreeString(name);
        SysFreeString(message);
    }

    FuzzedDataProvider &in_;
    IVssBackupComponents *p_ = nullptr;
    std::vector<Pending> pending_;
    std::vector<VSS_ID> ids_;
    std::vector<Listed> listed_;
    std::vector<BSTR> saved_;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    FuzzedDataProvider in(data, size);
    vsssim::ServiceOptions options;
    options.seed = in.ConsumeIntegral<std::uint8_t>();
    options.profiles = {"win-client"};
    auto svc = std::make_shared<vsssim::Service>(options);
    vsssim::Service::install(svc);
    const std::size_t objects0 = vsssim::liveObjectCount();
    const std::size_t bstrs0 = vsssim::liveBstrCount();
    {
        Sequence sequence(in);
        for (int calls = 0; calls < 200 && in.remaining_bytes() > 0; ++calls)
            sequence.step();
    }
    {
        auto lock = svc->lock();
        svc->runUntilIdle(svc->now() + std::chrono::hours(72));
        require(svc->stateTableBreaks() == 0, "the writer state table saw an impossible pair");
    }
    require(vsssim::liveObjectCount() == objects0, "a COM object outlived its last Release");
    require(vsssim::liveBstrCount() == bstrs0, "a BSTR the simulator made was never freed");
    vsssim::Service::install(nullptr);
    return 0;
}
