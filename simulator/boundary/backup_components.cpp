#include "core/names.h"
#include "boundary/backup_components.h"

#include <algorithm>
#include <cstring>
#include <cwchar>
#include <cwctype>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <vss.h>
#include <vsserror.h>
#include <vswriter.h>

#include "boundary/async.h"
#include "boundary/bstr.h"
#include "boundary/component.h"
#include "boundary/metadata.h"
#include "core/alloc_failure.h"
#include "service/machine.h"
#include "service/service.h"
#include "service/shadow_attributes.h"

namespace vsssim {

namespace {

std::wstring_view orEmpty(LPCWSTR s) noexcept
{
    return s ? std::wstring_view(s) : std::wstring_view();
}

bool equalsNoCase(std::wstring_view a, std::wstring_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](wchar_t x, wchar_t y) {
               return std::towlower(static_cast<wint_t>(x)) == std::towlower(static_cast<wint_t>(y));
           });
}

bool startsWithNoCase(std::wstring_view text, std::wstring_view prefix)
{
    return text.size() >= prefix.size() && equalsNoCase(text.substr(0, prefix.size()), prefix);
}

/// A VSS_PWSZ the caller frees with CoTaskMemFree (or VssFreeSnapshotProperties), as Windows allocates them.
VSS_PWSZ coTaskString(std::wstring_view text) noexcept
{
    if (allocationFails())   // an allocation point: every caller answers a NULL with E_OUTOFMEMORY
        return nullptr;
    auto *p = static_cast<VSS_PWSZ>(CoTaskMemAlloc((text.size() + 1) * sizeof(WCHAR)));
    if (!p)
        return nullptr;
    std::copy(text.begin(), text.end(), p);
    p[text.size()] = L'\0';
    return p;
}

/// What VSS_SNAPSHOT_PROP reports about one shadow copy, taken while the service lock is held.
struct SnapshotFacts {
    VSS_ID id{};
    VSS_ID setId{};
    LONG setCount = 0;
    std::wstring device;
    std::wstring originalVolume;
    std::wstring machine;
    VSS_ID providerId{};
    LONG attributes = 0;
    VSS_TIMESTAMP created = 0;
};

SnapshotFacts factsOf(Service &service, const ShadowCopy &s)
{
    SnapshotFacts f;
    f.id = s.id;
    f.setId = s.setId;
    const auto &all = service.shadowCopies();
    f.setCount = static_cast<LONG>(std::count_if(all.begin(), all.end(), [&](const ShadowCopy &o) { return o.setId == s.setId; }));
    f.device = L"\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy" + std::to_wstring(s.deviceNumber);
    f.originalVolume = service.volumes()[s.volume].guidPath;
    f.machine = service.settings().hostName;
    f.providerId = service.provider().providerId;
    f.attributes = shadowCopyAttributes(s.context, service.provider());
    // FILETIME units: 100 ns since 1601, from the scenario's start plus virtual time.
    f.created = service.settings().startFileTime + s.created.count() / 100;
    return f;
}

/// Fills *prop completely or not at all: on E_OUTOFMEMORY every string already made is freed.
HRESULT fillSnapshotProp(const SnapshotFacts &f, VSS_SNAPSHOT_PROP *prop) noexcept
{
    VSS_SNAPSHOT_PROP p{};
    p.m_SnapshotId = f.id;
    p.m_SnapshotSetId = f.setId;
    p.m_lSnapshotsCount = f.setCount;
    p.m_pwszSnapshotDeviceObject = coTaskString(f.device);
    p.m_pwszOriginalVolumeName = coTaskString(f.originalVolume);
    p.m_pwszOriginatingMachine = coTaskString(f.machine);
    p.m_pwszServiceMachine = coTaskString(f.machine);
    p.m_pwszExposedName = nullptr;
    p.m_pwszExposedPath = nullptr;
    p.m_ProviderId = f.providerId;
    p.m_lSnapshotAttributes = f.attributes;
    p.m_tsCreationTimestamp = f.created;
    p.m_eStatus = VSS_SS_CREATED;
    if (!p.m_pwszSnapshotDeviceObject || !p.m_pwszOriginalVolumeName || !p.m_pwszOriginatingMachine ||
        !p.m_pwszServiceMachine) {
        VssFreeSnapshotPropertiesInternal(&p);
        return E_OUTOFMEMORY;
    }
    *prop = p;
    return S_OK;
}

/// IVssEnumObject over the shadow copies a Query matched, copied when the Query ran.
class SnapshotEnum final : public IVssEnumObject, public RefCounted
{
public:
    explicit SnapshotEnum(std::vector<SnapshotFacts> items, std::size_t position = 0)
        : items_(std::move(items)), position_(position)
    {
    }

    HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void **ppvObject) noexcept override
    {
        if (!ppvObject)
            return E_POINTER;
        if (riid == IID_IUnknown || riid == IID_IVssEnumObject) {
            *ppvObject = static_cast<IVssEnumObject *>(this);
            addRef();
            return S_OK;
        }
        *ppvObject = nullptr;
        return E_NOINTERFACE;
    }
    ULONG STDMETHODCALLTYPE AddRef() noexcept override { return addRef(); }
    ULONG STDMETHODCALLTYPE Release() noexcept override { return release(); }

    HRESULT STDMETHODCALLTYPE Next(ULONG celt, VSS_OBJECT_PROP *rgelt, ULONG *pceltFetched) noexcept override
    {
        return guarded("IVssEnumObject::Next", [&]() -> HRESULT {
            // COM's enumerator rule: the count may be omitted only when asking for one element.
            if (!rgelt || (!pceltFetched && celt != 1))
                return E_INVALIDARG;
            ULONG fetched = 0;
            while (fetched < celt && position_ < items_.size()) {
                VSS_OBJECT_PROP &out = rgelt[fetched];
                out.Type = VSS_OBJECT_SNAPSHOT;
                if (HRESULT hr = fillSnapshotProp(items_[position_], &out.Obj.Snap); FAILED(hr)) {
                    for (ULONG i = 0; i < fetched; ++i)
                        VssFreeSnapshotPropertiesInternal(&rgelt[i].Obj.Snap);
                    position_ -= fetched;
                    return hr;
                }
                ++fetched;
                ++position_;
            }
            if (pceltFetched)
                *pceltFetched = fetched;
            return fetched == celt ? S_OK : S_FALSE;
        });
    }
    HRESULT STDMETHODCALLTYPE Skip(ULONG celt) noexcept override
    {
        const std::size_t left = items_.size() - position_;
        const std::size_t n = std::min<std::size_t>(celt, left);
        position_ += n;
        return n == celt ? S_OK : S_FALSE;
    }
    HRESULT STDMETHODCALLTYPE Reset() noexcept override
    {
        position_ = 0;
        return S_OK;
    }
    HRESULT STDMETHODCALLTYPE Clone(IVssEnumObject **ppenum) noexcept override
    {
        return guarded("IVssEnumObject::Clone", [&]() -> HRESULT {
            if (!ppenum)
                return E_INVALIDARG;
            *ppenum = new SnapshotEnum(items_, position_);
            return S_OK;
        });
    }

private:
    std::vector<SnapshotFacts> items_;
    std::size_t position_;
};

} // namespace

// ---------------------------------------------------------------------------------------------
// Lifetime

BackupComponents::BackupComponents(std::shared_ptr<Session> session)
    : RefCounted(ComKind::Requester), session_(std::move(session))
{
}

BackupComponents::~BackupComponents()
{
    // The final Release ends the sequence: BackupShutdown, shadow-copy clean-up, mistake checks.
    try {
        attachCurrentThread();
        std::shared_ptr<Service> service = session_->service().shared_from_this();
        auto lock = service->lock();
        session_->release();
        session_.reset();
    } catch (const std::exception &e) {
        reportInternalError("IVssBackupComponents::Release", e.what());
    } catch (...) {
        reportInternalError("IVssBackupComponents::Release", "unknown exception");
    }
}

template <class Body>
HRESULT BackupComponents::locked(const char *method, Body &&body) noexcept
{
    return guarded(method, [&]() -> HRESULT {
        attachCurrentThread();
        Service &service = session_->service();
        auto lock = service.lock();
        session_->noteRequesterCall();
        service.notifyBeforeCall(std::string_view(method).substr(std::string_view(method).rfind(':') + 1));
        const HRESULT hr = body();
        // Every call of a requester under test lands in the trace, next to what the writers did.
        TraceRecord call{service.now(), TraceKind::Call, "requester", method};
        call.hr = hr;
        call.session = session_->number();
        service.trace().add(std::move(call));
        // A started asynchronous operation reports when it ends (Session::finishOp); anything else now.
        if (!std::exchange(operationStarted_, false))
            service.notifyCall(std::string_view(method).substr(std::string_view(method).rfind(':') + 1), hr, *session_);
        return hr;
    });
}

template <class Body>
HRESULT BackupComponents::readHeldStatus(const char *method, Body &&body) noexcept
{
    const HRESULT hr = guarded(method, [&]() -> HRESULT {
        attachCurrentThread();
        Service &service = session_->service();
        if (service.callObserved() || !service.callFaults().empty())
            return S_FALSE;
        std::lock_guard guard(session_->heldStatusMutex());
        return session_->holdsStatus() ? body() : S_FALSE;
    });
    // S_FALSE is no getter's result: it stands for "not a pure read", which the locked path decides.
    return hr == S_FALSE ? locked(method, std::forward<Body>(body)) : hr;
}

HRESULT BackupComponents::QueryInterface(REFIID riid, void **ppvObject) noexcept
{
    if (!ppvObject)
        return E_POINTER;
    // The levels the simulated Windows version has (docs/api.md §7): Ex4 from Windows 8 / Server 2012.
    const int level = session_->service().settings().os->backupComponentsLevel;
    if (riid == IID_IUnknown || riid == IID_IVssBackupComponents || riid == IID_IVssBackupComponentsEx ||
        riid == IID_IVssBackupComponentsEx2 || riid == IID_IVssBackupComponentsEx3 ||
        (riid == IID_IVssBackupComponentsEx4 && level >= 4)) {
        // One object, one chain of single inheritance: every level shares this address.
        *ppvObject = static_cast<IVssBackupComponentsEx4 *>(this);
        addRef();
        return S_OK;
    }
    *ppvObject = nullptr;
    return E_NOINTERFACE;
}

HRESULT BackupComponents::startOperation(const char *method, IVssAsync **out,
                                         Result<AsyncPtr> (Session::*start)()) noexcept
{
    return locked(method, [&]() -> HRESULT {
        if (!out)
            return E_INVALIDARG;
        Result<AsyncPtr> r = ((*session_).*start)();
        if (!r)
            return r.hr();
        *out = makeAsync(session_, *r);
        operationStarted_ = true;
        return S_OK;
    });
}

HRESULT BackupComponents::writerOverride(const VSS_ID &instanceId) const
{
    // A writer that did not answer, or had no slot, speaks for all its components (docs/behaviour.md §6.3).
    if (const auto &held = session_->heldStatus())
        for (const StatusEntry &e : *held)
            if (e.instanceId == instanceId &&
                (e.failure == VSS_E_WRITER_NOT_RESPONDING || e.failure == VSS_E_WRITER_STATUS_NOT_AVAILABLE))
                return e.failure;
    return S_OK;
}

// ---------------------------------------------------------------------------------------------
// Initialisation and settings

HRESULT BackupComponents::InitializeForBackup(BSTR bstrXML) noexcept
{
    return locked("IVssBackupComponents::InitializeForBackup", [&]() -> HRESULT {
        if (bstrXML)
            return notImplemented("IVssBackupComponents::InitializeForBackup (transportable import document)");
        return session_->initializeForBackup().hr();
    });
}

HRESULT BackupComponents::InitializeForRestore(BSTR bstrXML) noexcept
{
    return locked("IVssBackupComponents::InitializeForRestore", [&]() -> HRESULT {
        if (!bstrXML)
            return E_INVALIDARG;
        // wcslen, not SysStringLen: requesters pass literals here too, and a BCD has no embedded NUL.
        return session_->initializeForRestore(std::wstring_view(bstrXML, std::wcslen(bstrXML))).hr();
    });
}

HRESULT BackupComponents::SetContext(LONG lContext) noexcept
{
    return locked("IVssBackupComponents::SetContext", [&] { return session_->setContext(lContext).hr(); });
}

HRESULT BackupComponents::SetBackupState(SdkBool bSelectComponents, SdkBool bBackupBootableSystemState,
                                         VSS_BACKUP_TYPE backupType, SdkBool bPartialFileSupport) noexcept
{
    return locked("IVssBackupComponents::SetBackupState", [&]() -> HRESULT {
        if (!isEnumValue(backupType, EnumKind::BackupType))
            return E_INVALIDARG;
        return session_->setBackupState(bSelectComponents, bBackupBootableSystemState, backupType, bPartialFileSupport).hr();
    });
}

HRESULT BackupComponents::SetRestoreState(VSS_RESTORE_TYPE restoreType) noexcept
{
    return locked("IVssBackupComponents::SetRestoreState", [&]() -> HRESULT {
        if (!isEnumValue(restoreType, EnumKind::RestoreType))
            return E_INVALIDARG;
        return session_->setRestoreState(restoreType).hr();
    });
}

HRESULT BackupComponents::DisableWriterClasses(const VSS_ID *rgWriterClassId, UINT cClassId) noexcept
{
    return locked("IVssBackupComponents::DisableWriterClasses",
                  [&] { return session_->disableWriterClasses(rgWriterClassId, cClassId).hr(); });
}

HRESULT BackupComponents::EnableWriterClasses(const VSS_ID *rgWriterClassId, UINT cClassId) noexcept
{
    return locked("IVssBackupComponents::EnableWriterClasses",
                  [&] { return session_->enableWriterClasses(rgWriterClassId, cClassId).hr(); });
}

HRESULT BackupComponents::DisableWriterInstances(const VSS_ID *rgWriterInstanceId, UINT cInstanceId) noexcept
{
    return locked("IVssBackupComponents::DisableWriterInstances",
                  [&] { return session_->disableWriterInstances(rgWriterInstanceId, cInstanceId).hr(); });
}

HRESULT BackupComponents::GetSessionId(VSS_ID *idSession) noexcept
{
    return locked("IVssBackupComponentsEx3::GetSessionId", [&]() -> HRESULT {
        if (!idSession)
            return E_INVALIDARG;
        auto r = session_->getSessionId();
        if (!r)
            return r.hr();
        *idSession = *r;
        return S_OK;
    });
}

// ---------------------------------------------------------------------------------------------
// Writer metadata

HRESULT BackupComponents::GatherWriterMetadata(IVssAsync **pAsync) noexcept
{
    return startOperation("IVssBackupComponents::GatherWriterMetadata", pAsync, &Session::gatherWriterMetadata);
}

HRESULT BackupComponents::GetWriterMetadataCount(UINT *pcWriters) noexcept
{
    return locked("IVssBackupComponents::GetWriterMetadataCount", [&]() -> HRESULT {
        if (!pcWriters)
            return E_INVALIDARG;
        auto r = session_->writerMetadataCount();
        if (!r)
            return r.hr();
        *pcWriters = *r;
        return S_OK;
    });
}

HRESULT BackupComponents::GetWriterMetadata(UINT iWriter, VSS_ID *pidInstance,
                                            IVssExamineWriterMetadata **ppMetadata) noexcept
{
    return locked("IVssBackupComponents::GetWriterMetadata", [&]() -> HRESULT {
        if (!pidInstance || !ppMetadata)
            return E_INVALIDARG;
        auto r = session_->writerMetadata(iWriter);
        if (!r)
            return r.hr();
        IVssExamineWriterMetadata *metadata = makeExamineWriterMetadata((*r)->identity, (*r)->metadata);
        if (!metadata)
            return E_OUTOFMEMORY;
        *pidInstance = (*r)->identity.instanceId;
        *ppMetadata = metadata;
        return S_OK;
    });
}

HRESULT BackupComponents::GetWriterMetadataEx(UINT iWriter, VSS_ID *pidInstance,
                                              IVssExamineWriterMetadataEx **ppMetadata) noexcept
{
    return locked("IVssBackupComponentsEx::GetWriterMetadataEx", [&]() -> HRESULT {
        if (!pidInstance || !ppMetadata)
            return E_INVALIDARG;
        auto r = session_->writerMetadata(iWriter);
        if (!r)
            return r.hr();
        IVssExamineWriterMetadata *metadata = makeExamineWriterMetadata((*r)->identity, (*r)->metadata);
        if (!metadata)
            return E_OUTOFMEMORY;
        IVssExamineWriterMetadataEx *ex = nullptr;
        const HRESULT hr = metadata->QueryInterface(IID_IVssExamineWriterMetadataEx, reinterpret_cast<void **>(&ex));
        metadata->Release();
        if (FAILED(hr))
            return hr;
        *pidInstance = (*r)->identity.instanceId;
        *ppMetadata = ex;
        return S_OK;
    });
}

HRESULT BackupComponents::FreeWriterMetadata() noexcept
{
    return locked("IVssBackupComponents::FreeWriterMetadata", [&]() -> HRESULT {
        return session_->freeWriterMetadata().hr();
    });
}

// ---------------------------------------------------------------------------------------------
// The backup components document, requester side

HRESULT BackupComponents::GetWriterComponentsCount(UINT *pcComponents) noexcept
{
    return locked("IVssBackupComponents::GetWriterComponentsCount", [&]() -> HRESULT {
        if (!pcComponents)
            return E_INVALIDARG;
        if (auto r = session_->requireBcdReadable(); !r)
            return r.hr();
        *pcComponents = static_cast<UINT>(session_->bcdWriters().size());
        return S_OK;
    });
}

HRESULT BackupComponents::GetWriterComponents(UINT iWriter, IVssWriterComponentsExt **ppWriter) noexcept
{
    return locked("IVssBackupComponents::GetWriterComponents", [&]() -> HRESULT {
        if (!ppWriter)
            return E_INVALIDARG;
        if (auto r = session_->requireBcdReadable(); !r)
            return r.hr();
        const auto writers = session_->bcdWriters();
        if (iWriter >= writers.size())
            return VSS_E_OBJECT_NOT_FOUND;
        const auto &[instanceId, writerId] = writers[iWriter];
        IVssWriterComponentsExt *components =
            makeRequesterComponents(session_, instanceId, writerId, writerOverride(instanceId));
        if (!components)
            return E_OUTOFMEMORY;
        *ppWriter = components;
        return S_OK;
    });
}

HRESULT BackupComponents::AddComponent(VSS_ID instanceId, VSS_ID writerId, VSS_COMPONENT_TYPE ct,
                                       LPCWSTR wszLogicalPath, LPCWSTR wszComponentName) noexcept
{
    return locked("IVssBackupComponents::AddComponent", [&]() -> HRESULT {
        if (!wszComponentName || !isEnumValue(ct, EnumKind::ComponentType))
            return E_INVALIDARG;
        return session_->addComponent(instanceId, writerId, ct, orEmpty(wszLogicalPath), wszComponentName).hr();
    });
}

HRESULT BackupComponents::SetBackupSucceeded(VSS_ID instanceId, VSS_ID writerId, VSS_COMPONENT_TYPE ct,
                                             LPCWSTR wszLogicalPath, LPCWSTR wszComponentName, SdkBool bSucceded) noexcept
{
    return locked("IVssBackupComponents::SetBackupSucceeded", [&]() -> HRESULT {
        if (!wszComponentName || !isEnumValue(ct, EnumKind::ComponentType))
            return E_INVALIDARG;
        return session_->setBackupSucceeded(instanceId, writerId, ct, orEmpty(wszLogicalPath), wszComponentName, bSucceded).hr();
    });
}

HRESULT BackupComponents::SetBackupOptions(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath,
                                           LPCWSTR wszComponentName, LPCWSTR wszBackupOptions) noexcept
{
    return locked("IVssBackupComponents::SetBackupOptions", [&]() -> HRESULT {
        if (!wszComponentName || !wszBackupOptions || !isEnumValue(ct, EnumKind::ComponentType))
            return E_INVALIDARG;
        auto c = session_->backupComponent(writerId, ct, orEmpty(wszLogicalPath), wszComponentName);
        if (!c)
            return c.hr();
        (*c)->backupOptions = wszBackupOptions;
        return S_OK;
    });
}

HRESULT BackupComponents::SetPreviousBackupStamp(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath,
                                                 LPCWSTR wszComponentName, LPCWSTR wszPreviousBackupStamp) noexcept
{
    return locked("IVssBackupComponents::SetPreviousBackupStamp", [&]() -> HRESULT {
        if (!wszComponentName || !wszPreviousBackupStamp || !isEnumValue(ct, EnumKind::ComponentType))
            return E_INVALIDARG;
        auto c = session_->backupComponent(writerId, ct, orEmpty(wszLogicalPath), wszComponentName);
        if (!c)
            return c.hr();
        (*c)->previousBackupStamp = wszPreviousBackupStamp;
        return S_OK;
    });
}

HRESULT BackupComponents::SaveAsXML(BSTR *pbstrXML) noexcept
{
    return locked("IVssBackupComponents::SaveAsXML", [&]() -> HRESULT {
        if (!pbstrXML)
            return E_INVALIDARG;
        auto r = session_->saveAsXml();
        if (!r)
            return r.hr();
        BSTR xml = allocBstr(*r, "IVssBackupComponents::SaveAsXML");
        if (!xml)
            return E_OUTOFMEMORY;
        *pbstrXML = xml;
        return S_OK;
    });
}

// ---------------------------------------------------------------------------------------------
// Restore selection (docs/behaviour.md §3 step 7)

template <class Apply>
HRESULT BackupComponents::updateRestoreComponent(const char *method, bool argumentsValid, const VSS_ID &writerId,
                                                 const VSS_COMPONENT_TYPE &ct, LPCWSTR wszLogicalPath,
                                                 LPCWSTR wszComponentName, const VSS_ID *instanceId,
                                                 Apply &&apply) noexcept
{
    // The restore setters differ only in what they store: one lookup, one set of checks.
    return locked(method, [&]() -> HRESULT {
        if (!argumentsValid || !wszComponentName || !isEnumValue(ct, EnumKind::ComponentType))
            return E_INVALIDARG;
        auto c = session_->restoreSelection(writerId, ct, orEmpty(wszLogicalPath), wszComponentName, instanceId,
                                             Session::RestoreEdit::Selection);
        if (!c)
            return c.hr();
        apply(**c);
        return S_OK;
    });
}

HRESULT BackupComponents::SetSelectedForRestore(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath,
                                                LPCWSTR wszComponentName, SdkBool bSelectedForRestore) noexcept
{
    return updateRestoreComponent("IVssBackupComponents::SetSelectedForRestore", true,
                                  writerId, ct, wszLogicalPath, wszComponentName, nullptr,
                                  [&](ComponentRecord &c) {
        c.selectedForRestore = bSelectedForRestore;
    });
}

HRESULT BackupComponents::SetSelectedForRestoreEx(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath,
                                                  LPCWSTR wszComponentName, SdkBool bSelectedForRestore,
                                                  VSS_ID instanceId) noexcept
{
    return updateRestoreComponent("IVssBackupComponentsEx::SetSelectedForRestoreEx", true,
                                  writerId, ct, wszLogicalPath, wszComponentName, &instanceId,
                                  [&](ComponentRecord &c) {
        c.selectedForRestore = bSelectedForRestore;
    });
}

HRESULT BackupComponents::SetRestoreOptions(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath,
                                            LPCWSTR wszComponentName, LPCWSTR wszRestoreOptions) noexcept
{
    return updateRestoreComponent("IVssBackupComponents::SetRestoreOptions", wszRestoreOptions != nullptr,
                                  writerId, ct, wszLogicalPath, wszComponentName, nullptr,
                                  [&](ComponentRecord &c) {
        c.restoreOptions = wszRestoreOptions;
    });
}

HRESULT BackupComponents::SetAdditionalRestores(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath,
                                                LPCWSTR wszComponentName, SdkBool bAdditionalRestores) noexcept
{
    return updateRestoreComponent("IVssBackupComponents::SetAdditionalRestores", true,
                                  writerId, ct, wszLogicalPath, wszComponentName, nullptr,
                                  [&](ComponentRecord &c) {
        c.additionalRestores = bAdditionalRestores;
    });
}

HRESULT BackupComponents::AddRestoreSubcomponent(VSS_ID writerId, VSS_COMPONENT_TYPE componentType,
                                                 LPCWSTR wszLogicalPath, LPCWSTR wszComponentName,
                                                 LPCWSTR wszSubComponentLogicalPath, LPCWSTR wszSubComponentName,
                                                 SdkBool bRepair) noexcept
{
    return updateRestoreComponent("IVssBackupComponents::AddRestoreSubcomponent", wszSubComponentName != nullptr,
                                  writerId, componentType, wszLogicalPath, wszComponentName, nullptr,
                                  [&](ComponentRecord &c) {
        c.subcomponents.push_back(
            RestoreSubcomponent{std::wstring(orEmpty(wszSubComponentLogicalPath)), wszSubComponentName, bRepair != 0});
    });
}

HRESULT BackupComponents::AddNewTarget(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath,
                                       LPCWSTR wszComponentName, LPCWSTR wszPath, LPCWSTR wszFileName,
                                       SdkBool bRecursive, LPCWSTR wszAlternatePath) noexcept
{
    return updateRestoreComponent("IVssBackupComponents::AddNewTarget",
                                  wszPath && wszFileName && wszAlternatePath,
                                  writerId, ct, wszLogicalPath, wszComponentName, nullptr,
                                  [&](ComponentRecord &c) {
        FileSpec target;
        target.path = wszPath;
        target.filespec = wszFileName;
        target.recursive = bRecursive;
        target.alternateLocation = wszAlternatePath;
        c.newTargets.push_back(std::move(target));
    });
}

HRESULT BackupComponents::AddAlternativeLocationMapping(VSS_ID writerId, VSS_COMPONENT_TYPE componentType,
                                                        LPCWSTR wszLogicalPath, LPCWSTR wszComponentName,
                                                        LPCWSTR wszPath, LPCWSTR wszFilespec, SdkBool bRecursive,
                                                        LPCWSTR wszDestination) noexcept
{
    return locked("IVssBackupComponents::AddAlternativeLocationMapping", [&]() -> HRESULT {
        if (!wszComponentName || !wszPath || !wszFilespec || !wszDestination ||
            !isEnumValue(componentType, EnumKind::ComponentType))
            return E_INVALIDARG;
        auto c = session_->restoreSelection(writerId, componentType, orEmpty(wszLogicalPath), wszComponentName, nullptr,
                                            Session::RestoreEdit::Mapping);
        if (!c)
            return c.hr();
        FileSpec mapping;
        mapping.path = wszPath;
        mapping.filespec = wszFilespec;
        mapping.recursive = bRecursive;
        mapping.alternateLocation = wszDestination;
        (*c)->alternateMappings.push_back(std::move(mapping));
        return S_OK;
    });
}

HRESULT BackupComponents::SetAuthoritativeRestore(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath,
                                                  LPCWSTR wszComponentName, SdkBool bAuth) noexcept
{
    return updateRestoreComponent("IVssBackupComponentsEx2::SetAuthoritativeRestore", true,
                                  writerId, ct, wszLogicalPath, wszComponentName, nullptr,
                                  [&](ComponentRecord &c) {
        c.authoritativeRestore = bAuth;
    });
}

HRESULT BackupComponents::SetRollForward(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath,
                                         LPCWSTR wszComponentName, VSS_ROLLFORWARD_TYPE rollType,
                                         LPCWSTR wszRollForwardPoint) noexcept
{
    // A partial roll-forward needs the point it stops at; the other types ignore it.
    return updateRestoreComponent("IVssBackupComponentsEx2::SetRollForward",
                                  isEnumValue(rollType, EnumKind::RollForwardType) && rollType != VSS_RF_UNDEFINED &&
                                      (rollType != VSS_RF_PARTIAL || wszRollForwardPoint),
                                  writerId, ct, wszLogicalPath, wszComponentName, nullptr,
                                  [&](ComponentRecord &c) {
        c.rollForwardType = rollType;
        c.rollForwardPoint = orEmpty(wszRollForwardPoint);
    });
}

HRESULT BackupComponents::SetRestoreName(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath,
                                         LPCWSTR wszComponentName, LPCWSTR wszRestoreName) noexcept
{
    return updateRestoreComponent("IVssBackupComponentsEx2::SetRestoreName", wszRestoreName != nullptr,
                                  writerId, ct, wszLogicalPath, wszComponentName, nullptr,
                                  [&](ComponentRecord &c) {
        c.restoreName = wszRestoreName;
    });
}

HRESULT BackupComponents::SetFileRestoreStatus(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath,
                                               LPCWSTR wszComponentName, VSS_FILE_RESTORE_STATUS status) noexcept
{
    return locked("IVssBackupComponents::SetFileRestoreStatus", [&]() -> HRESULT {
        if (!wszComponentName || !isEnumValue(ct, EnumKind::ComponentType) ||
            !isEnumValue(status, EnumKind::FileRestoreStatus) || status == VSS_RS_UNDEFINED)
            return E_INVALIDARG;
        auto c = session_->restoreComponent(writerId, orEmpty(wszLogicalPath), wszComponentName, nullptr);
        if (!c)
            return c.hr();
        if ((*c)->type != ct)
            return VSS_E_OBJECT_NOT_FOUND;
        return session_->setFileRestoreStatus(**c, status).hr();
    });
}

// ---------------------------------------------------------------------------------------------
// The sequence's asynchronous steps

HRESULT BackupComponents::PrepareForBackup(IVssAsync **ppAsync) noexcept
{
    return startOperation("IVssBackupComponents::PrepareForBackup", ppAsync, &Session::prepareForBackup);
}

HRESULT BackupComponents::DoSnapshotSet(IVssAsync **ppAsync) noexcept
{
    return startOperation("IVssBackupComponents::DoSnapshotSet", ppAsync, &Session::doSnapshotSet);
}

HRESULT BackupComponents::BackupComplete(IVssAsync **ppAsync) noexcept
{
    return startOperation("IVssBackupComponents::BackupComplete", ppAsync, &Session::backupComplete);
}

HRESULT BackupComponents::AbortBackup() noexcept
{
    return locked("IVssBackupComponents::AbortBackup", [&] { return session_->abortBackup().hr(); });
}

HRESULT BackupComponents::PreRestore(IVssAsync **ppAsync) noexcept
{
    return startOperation("IVssBackupComponents::PreRestore", ppAsync, &Session::preRestore);
}

HRESULT BackupComponents::PostRestore(IVssAsync **ppAsync) noexcept
{
    return startOperation("IVssBackupComponents::PostRestore", ppAsync, &Session::postRestore);
}

// ---------------------------------------------------------------------------------------------
// Status (docs/behaviour.md §13)

HRESULT BackupComponents::GatherWriterStatus(IVssAsync **pAsync) noexcept
{
    return startOperation("IVssBackupComponents::GatherWriterStatus", pAsync, &Session::gatherWriterStatus);
}

HRESULT BackupComponents::GetWriterStatusCount(UINT *pcWriters) noexcept
{
    return readHeldStatus("IVssBackupComponents::GetWriterStatusCount", [&]() -> HRESULT {
        if (!pcWriters)
            return E_INVALIDARG;
        auto r = session_->writerStatusCount();
        if (!r)
            return r.hr();
        *pcWriters = *r;
        return S_OK;
    });
}

HRESULT BackupComponents::FreeWriterStatus() noexcept
{
    return locked("IVssBackupComponents::FreeWriterStatus", [&]() -> HRESULT {
        return session_->freeWriterStatus().hr();
    });
}

HRESULT BackupComponents::statusEntry(const char *method, UINT iWriter, VSS_ID *pidInstance, VSS_ID *pidWriter,
                                      BSTR *pbstrWriter, VSS_WRITER_STATE *pnStatus, HRESULT *phrFailure,
                                      HRESULT *phrApplication, BSTR *pbstrApplicationMessage)
{
    auto r = session_->writerStatus(iWriter);
    if (!r)
        return r.hr();
    const StatusEntry &e = **r;
    // §13.3 row 5: an allocation failure, real or injected, returns nothing at all. (With faults
    // configured this runs under the service lock: readHeldStatus leaves such calls to locked().)
    if (!session_->service().callFaults().empty())
        if (HRESULT hr = session_->service().injectedFault(method, false); hr != S_OK)
            return hr;
    BSTR name = allocBstr(e.name, method);
    if (!name)
        return E_OUTOFMEMORY;
    BSTR message = nullptr;
    if (pbstrApplicationMessage && e.message) {
        // R15: a fresh copy; an empty message stays a zero-length BSTR, distinct from none (NULL).
        message = allocBstr(*e.message, method);
        if (!message) {
            SysFreeString(name);
            return E_OUTOFMEMORY;
        }
    }
    *pidInstance = e.instanceId;
    *pidWriter = e.classId;
    *pbstrWriter = name;
    *pnStatus = e.state;
    // R16: PARTIAL_FAILURE passes through the legacy method unchanged.
    *phrFailure = e.failure;
    if (phrApplication)
        *phrApplication = e.hrApplication;
    if (pbstrApplicationMessage)
        *pbstrApplicationMessage = message;
    return S_OK;
}

HRESULT BackupComponents::GetWriterStatus(UINT iWriter, VSS_ID *pidInstance, VSS_ID *pidWriter, BSTR *pbstrWriter,
                                          VSS_WRITER_STATE *pnStatus, HRESULT *phResultFailure) noexcept
{
    return readHeldStatus("IVssBackupComponents::GetWriterStatus", [&]() -> HRESULT {
        if (!pidInstance || !pidWriter || !pbstrWriter || !pnStatus || !phResultFailure)
            return E_INVALIDARG;
        return statusEntry("GetWriterStatus", iWriter, pidInstance, pidWriter, pbstrWriter, pnStatus, phResultFailure,
                           nullptr, nullptr);
    });
}

HRESULT BackupComponents::GetWriterStatusEx(UINT iWriter, VSS_ID *pidInstance, VSS_ID *pidWriter, BSTR *pbstrWriter,
                                            VSS_WRITER_STATE *pnStatus, HRESULT *phrFailureWriter,
                                            HRESULT *phrApplication, BSTR *pbstrApplicationMessage) noexcept
{
    return readHeldStatus("IVssBackupComponentsEx3::GetWriterStatusEx", [&]() -> HRESULT {
        // §13.4 rows 1 and 1a (D9): phrFailureWriter is required, the application pair is optional.
        if (!pidInstance || !pidWriter || !pbstrWriter || !pnStatus || !phrFailureWriter)
            return E_INVALIDARG;
        return statusEntry("GetWriterStatusEx", iWriter, pidInstance, pidWriter, pbstrWriter, pnStatus,
                           phrFailureWriter, phrApplication, pbstrApplicationMessage);
    });
}

// ---------------------------------------------------------------------------------------------
// The snapshot set and shadow copies

HRESULT BackupComponents::StartSnapshotSet(VSS_ID *pSnapshotSetId) noexcept
{
    return locked("IVssBackupComponents::StartSnapshotSet", [&]() -> HRESULT {
        if (!pSnapshotSetId)
            return E_INVALIDARG;
        auto r = session_->startSnapshotSet();
        if (!r)
            return r.hr();
        *pSnapshotSetId = *r;
        return S_OK;
    });
}

HRESULT BackupComponents::AddToSnapshotSet(VSS_PWSZ pwszVolumeName, VSS_ID ProviderId, VSS_ID *pidSnapshot) noexcept
{
    return locked("IVssBackupComponents::AddToSnapshotSet", [&]() -> HRESULT {
        if (!pwszVolumeName || !pidSnapshot)
            return E_INVALIDARG;
        auto r = session_->addToSnapshotSet(pwszVolumeName, ProviderId);
        if (!r)
            return r.hr();
        *pidSnapshot = *r;
        return S_OK;
    });
}

HRESULT BackupComponents::GetSnapshotProperties(VSS_ID SnapshotId, VSS_SNAPSHOT_PROP *pProp) noexcept
{
    return locked("IVssBackupComponents::GetSnapshotProperties", [&]() -> HRESULT {
        if (!pProp)
            return E_INVALIDARG;
        auto r = session_->snapshotProperties(SnapshotId);
        if (!r)
            return r.hr();
        Service &service = session_->service();
        if (HRESULT hr = service.injectedFault("GetSnapshotProperties", false); hr != S_OK)
            return hr;
        return fillSnapshotProp(factsOf(service, **r), pProp);
    });
}

HRESULT BackupComponents::DeleteSnapshots(VSS_ID SourceObjectId, VSS_OBJECT_TYPE eSourceObjectType, BOOL bForceDelete,
                                          LONG *plDeletedSnapshots, VSS_ID *pNondeletedSnapshotID) noexcept
{
    return locked("IVssBackupComponents::DeleteSnapshots", [&]() -> HRESULT {
        if (!plDeletedSnapshots || !pNondeletedSnapshotID || !isEnumValue(eSourceObjectType, EnumKind::ObjectType))
            return E_INVALIDARG;
        auto r = session_->deleteSnapshots(SourceObjectId, eSourceObjectType, bForceDelete != FALSE);
        if (!r) {
            // Requesters log these after a failure; never leave them uninitialised.
            *plDeletedSnapshots = 0;
            *pNondeletedSnapshotID = GUID_NULL;
            return r.hr();
        }
        *plDeletedSnapshots = r->first;
        *pNondeletedSnapshotID = r->second;
        saveMachine(session_->service());   // a deleted shadow copy is gone for every later process
        return S_OK;
    });
}

HRESULT BackupComponents::Query(VSS_ID QueriedObjectId, VSS_OBJECT_TYPE eQueriedObjectType,
                                VSS_OBJECT_TYPE eReturnedObjectsType, IVssEnumObject **ppEnum) noexcept
{
    return locked("IVssBackupComponents::Query", [&]() -> HRESULT {
        if (!ppEnum || !isEnumValue(eQueriedObjectType, EnumKind::ObjectType) ||
            !isEnumValue(eReturnedObjectsType, EnumKind::ObjectType))
            return E_INVALIDARG;
        // docs/api.md §8: only the "all shadow copies" query is in scope.
        if (QueriedObjectId != GUID_NULL || eQueriedObjectType != VSS_OBJECT_NONE ||
            eReturnedObjectsType != VSS_OBJECT_SNAPSHOT)
            return notImplemented("IVssBackupComponents::Query (other than all shadow copies)");
        if (!session_->initialized())
            return VSS_E_BAD_STATE;
        Service &service = session_->service();
        const LONG context = session_->context();
        std::vector<SnapshotFacts> items;
        for (const ShadowCopy &s : service.shadowCopies())
            if (s.committed && (context == static_cast<LONG>(VSS_CTX_ALL) || s.context == context))
                items.push_back(factsOf(service, s));
        const bool none = items.empty();
        *ppEnum = new SnapshotEnum(std::move(items));
        // Microsoft: S_FALSE when nothing matches; the (empty) enumerator is still handed out.
        return none ? S_FALSE : S_OK;
    });
}

HRESULT BackupComponents::IsVolumeSupported(VSS_ID ProviderId, VSS_PWSZ pwszVolumeName,
                                            BOOL *pbSupportedByThisProvider) noexcept
{
    return locked("IVssBackupComponents::IsVolumeSupported", [&]() -> HRESULT {
        if (!pwszVolumeName || !pbSupportedByThisProvider)
            return E_INVALIDARG;
        Service &service = session_->service();
        if (ProviderId != GUID_NULL && ProviderId != service.provider().providerId)
            return VSS_E_PROVIDER_NOT_REGISTERED;
        auto index = service.findVolume(pwszVolumeName);
        if (!index)
            return VSS_E_OBJECT_NOT_FOUND;
        const HRESULT fault = service.volumes()[*index].supportFault;
        // "Not supported" is an answer, not an error; any other scripted code is the provider failing.
        if (fault == VSS_E_VOLUME_NOT_SUPPORTED || fault == VSS_E_VOLUME_NOT_SUPPORTED_BY_PROVIDER) {
            *pbSupportedByThisProvider = FALSE;
            return S_OK;
        }
        if (fault != S_OK)
            return fault;
        *pbSupportedByThisProvider = TRUE;
        return S_OK;
    });
}

HRESULT BackupComponents::GetRootAndLogicalPrefixPaths(VSS_PWSZ pwszFilePath, VSS_PWSZ *ppwszRootPath,
                                                       VSS_PWSZ *ppwszLogicalPrefix, BOOL bNormalizeFQDNforRootPath) noexcept
{
    (void)bNormalizeFQDNforRootPath;  // it only shapes the server part of UNC paths
    return locked("IVssBackupComponentsEx4::GetRootAndLogicalPrefixPaths", [&]() -> HRESULT {
        if (!pwszFilePath || !ppwszRootPath || !ppwszLogicalPrefix)
            return E_INVALIDARG;
        const std::wstring_view path(pwszFilePath);
        if (path.size() >= 2 && path[0] == L'\\' && path[1] == L'\\' && !startsWithNoCase(path, L"\\\\?\\"))
            return notImplemented("IVssBackupComponentsEx4::GetRootAndLogicalPrefixPaths (UNC share paths)");
        // Local paths: the root is the deepest mount point holding the path (GetVolumePathName),
        // the prefix that volume's GUID name (GetVolumeNameForVolumeMountPoint).
        Service &service = session_->service();
        const Volume *best = nullptr;
        std::wstring root;
        auto consider = [&](const Volume &v, const std::wstring &mount) {
            std::wstring withSlash = mount;
            if (!withSlash.empty() && withSlash.back() != L'\\')
                withSlash += L'\\';
            const bool matches = startsWithNoCase(path, withSlash) ||
                                 equalsNoCase(path, std::wstring_view(withSlash).substr(0, withSlash.size() - 1));
            if (matches && withSlash.size() > root.size()) {
                best = &v;
                root = withSlash;
            }
        };
        for (const Volume &v : service.volumes()) {
            consider(v, v.name);
            consider(v, v.guidPath);
            for (const std::wstring &m : v.mountPoints)
                consider(v, m);
        }
        if (!best)
            return VSS_E_OBJECT_NOT_FOUND;
        VSS_PWSZ rootOut = coTaskString(root);
        VSS_PWSZ prefixOut = coTaskString(best->guidPath);
        if (!rootOut || !prefixOut) {
            CoTaskMemFree(rootOut);
            CoTaskMemFree(prefixOut);
            return E_OUTOFMEMORY;
        }
        *ppwszRootPath = rootOut;
        *ppwszLogicalPrefix = prefixOut;
        return S_OK;
    });
}

// ---------------------------------------------------------------------------------------------
// Outside the simulator's scope (docs/api.md §8, R19)

HRESULT BackupComponents::SetRangesFilePath(VSS_ID, VSS_COMPONENT_TYPE, LPCWSTR, LPCWSTR, UINT, LPCWSTR) noexcept
{
    return notImplemented("IVssBackupComponents::SetRangesFilePath");
}

HRESULT BackupComponents::ImportSnapshots(IVssAsync **) noexcept
{
    return notImplemented("IVssBackupComponents::ImportSnapshots");
}

HRESULT BackupComponents::BreakSnapshotSet(VSS_ID) noexcept
{
    return notImplemented("IVssBackupComponents::BreakSnapshotSet");
}

HRESULT BackupComponents::ExposeSnapshot(VSS_ID, VSS_PWSZ, LONG, VSS_PWSZ, VSS_PWSZ *) noexcept
{
    return notImplemented("IVssBackupComponents::ExposeSnapshot");
}

HRESULT BackupComponents::RevertToSnapshot(VSS_ID, BOOL) noexcept
{
    return notImplemented("IVssBackupComponents::RevertToSnapshot");
}

HRESULT BackupComponents::QueryRevertStatus(VSS_PWSZ, IVssAsync **) noexcept
{
    return notImplemented("IVssBackupComponents::QueryRevertStatus");
}

HRESULT BackupComponents::UnexposeSnapshot(VSS_ID) noexcept
{
    return notImplemented("IVssBackupComponentsEx2::UnexposeSnapshot");
}

HRESULT BackupComponents::BreakSnapshotSetEx(VSS_ID, DWORD, IVssAsync **) noexcept
{
    return notImplemented("IVssBackupComponentsEx2::BreakSnapshotSetEx");
}

HRESULT BackupComponents::PreFastRecovery(VSS_ID, DWORD, IVssAsync **) noexcept
{
    return notImplemented("IVssBackupComponentsEx2::PreFastRecovery");
}

HRESULT BackupComponents::FastRecovery(VSS_ID, DWORD, IVssAsync **) noexcept
{
    return notImplemented("IVssBackupComponentsEx2::FastRecovery");
}

HRESULT BackupComponents::AddSnapshotToRecoverySet(VSS_ID, DWORD, VSS_PWSZ) noexcept
{
    return notImplemented("IVssBackupComponentsEx3::AddSnapshotToRecoverySet");
}

HRESULT BackupComponents::RecoverSet(DWORD, IVssAsync **) noexcept
{
    return notImplemented("IVssBackupComponentsEx3::RecoverSet");
}

} // namespace vsssim

// ---------------------------------------------------------------------------------------------
// Free functions (docs/api.md §6)

namespace {

/// M14: SysFreeString on something that is not a BSTR the simulator handed out. It is not freed;
/// the current simulation records the mistake (no pointer value: traces must not depend on ASLR).
void reportForeignFree(const void *) noexcept
{
    try {
        if (auto service = vsssim::Service::currentIfAny()) {
            auto lock = service->lock();
            service->recordMistake("M14", "SysFreeString on memory that is not a BSTR the simulator handed out: not freed", 0);
        }
    } catch (...) {
    }
}

} // namespace

extern "C" HRESULT STDAPICALLTYPE CreateVssBackupComponentsInternal(IVssBackupComponents **ppBackup)
{
    using namespace vsssim;
    return guarded("CreateVssBackupComponents", [&]() -> HRESULT {
        if (!ppBackup)
            return E_INVALIDARG;
        *ppBackup = nullptr;
        attachCurrentThread();
        static const bool hooked = (setForeignBstrFreeHook(&reportForeignFree), true);
        (void)hooked;
        std::shared_ptr<Service> service = Service::current();
        auto lock = service->lock();
        // R17: no backup privilege, memory, or an unexpected service error.
        if (HRESULT hr = service->injectedFault("CreateVssBackupComponents", false); hr != S_OK)
            return hr;
        if (HRESULT hr = service->notReadyResult(); hr != S_OK)
            return hr;
        *ppBackup = new BackupComponents(std::make_shared<Session>(service));
        return S_OK;
    });
}

extern "C" void APIENTRY VssFreeSnapshotPropertiesInternal(VSS_SNAPSHOT_PROP *pProp)
{
    if (!pProp)
        return;
    CoTaskMemFree(pProp->m_pwszSnapshotDeviceObject);
    CoTaskMemFree(pProp->m_pwszOriginalVolumeName);
    CoTaskMemFree(pProp->m_pwszOriginatingMachine);
    CoTaskMemFree(pProp->m_pwszServiceMachine);
    CoTaskMemFree(pProp->m_pwszExposedName);
    CoTaskMemFree(pProp->m_pwszExposedPath);
    // Documented as usable to initialise a structure: everything reads zero afterwards.
    std::memset(static_cast<void *>(pProp), 0, sizeof *pProp);
}

extern "C" HRESULT APIENTRY IsVolumeSnapshottedInternal(VSS_PWSZ pwszVolumeName, BOOL *pbSnapshotsPresent,
                                                        LONG *plSnapshotCapability)
{
    using namespace vsssim;
    return guarded("IsVolumeSnapshotted", [&]() -> HRESULT {
        if (!pwszVolumeName || !pbSnapshotsPresent || !plSnapshotCapability)
            return E_INVALIDARG;
        attachCurrentThread();
        std::shared_ptr<Service> service = Service::current();
        auto lock = service->lock();
        auto index = service->findVolume(pwszVolumeName);
        if (!index)
            return VSS_E_OBJECT_NOT_FOUND;
        const auto &all = service->shadowCopies();
        const bool present = std::any_of(all.begin(), all.end(),
                                         [&](const ShadowCopy &s) { return s.volume == *index && s.committed; });
        *pbSnapshotsPresent = present ? TRUE : FALSE;
        *plSnapshotCapability = 0;
        return S_OK;
    });
}

extern "C" HRESULT APIENTRY GetProviderMgmtInterfaceInternal(VSS_ID, IID, IUnknown **ppItf)
{
    if (ppItf)
        *ppItf = nullptr;
    return vsssim::notImplemented("GetProviderMgmtInterface");
}

extern "C" HRESULT APIENTRY ShouldBlockRevertInternal(LPCWSTR, vsssim::SdkBool *)
{
    return vsssim::notImplemented("ShouldBlockRevert");
}

extern "C" HRESULT STDAPICALLTYPE CreateVssExpressWriterInternal(IVssExpressWriter **ppWriter)
{
    if (ppWriter)
        *ppWriter = nullptr;
    return vsssim::notImplemented("CreateVssExpressWriter");
}
