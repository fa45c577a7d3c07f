#include "core/names.h"
#include "boundary/component.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "boundary/bstr.h"
#include "boundary/metadata.h"
#include "boundary/out_params.h"
#include "service/service.h"

namespace vsssim {

namespace {

std::optional<std::wstring> unlessEmpty(const std::wstring &s)
{
    return s.empty() ? std::nullopt : std::optional<std::wstring>(s);
}

std::wstring orEmpty(LPCWSTR s) { return s ? std::wstring(s) : std::wstring(); }

/// docs/behaviour.md §6.1: the six codes IVssComponentEx2::SetFailure accepts.
constexpr HRESULT kComponentFailureCodes[] = {
    S_OK,
    VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT,
    VSS_E_WRITERERROR_OUTOFRESOURCES,
    VSS_E_WRITERERROR_TIMEOUT,
    VSS_E_WRITERERROR_RETRYABLE,
    VSS_E_WRITERERROR_NONRETRYABLE,
};

// Microsoft's pages: SetBackupMetadata, SetBackupStamp, AddPartialFile and
// AddDifferencedFilesByLastModifyTime "only during a backup operation", not in BackupComplete or
// BackupShutdown; of the backup events that carry components that leaves these two.
constexpr std::initializer_list<Input> kBackupHandlers = {Input::PrepareForBackup, Input::PostSnapshot};
// SetRestoreTarget and AddDirectedTarget "only during a restore operation".
constexpr std::initializer_list<Input> kRestoreHandlers = {Input::PreRestore, Input::PostRestore};
// SetFailure: any handler that received the component.
constexpr std::initializer_list<Input> kComponentHandlers = {Input::PrepareForBackup, Input::PostSnapshot,
                                                             Input::BackupComplete, Input::PreRestore,
                                                             Input::PostRestore};

bool writerEvent(const EventCall *call, Input event, const Session *session, const WriterEntry *writer)
{
    return call && call->event == event && call->session == session && call->writer == writer;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Component

Component::Component(std::shared_ptr<Session> session, std::size_t index, EventCall *call, HRESULT writerOverride)
    : session_(std::move(session)), index_(index), call_(call), writerOverride_(writerOverride)
{
    if (call_) {
        event_ = call_->event;
        writer_ = call_->writer;
    } else {
        generation_ = session_->componentGeneration();
    }
}

Component *Component::forHandler(std::shared_ptr<Session> session, std::size_t index, EventCall *call)
{
    return new Component(std::move(session), index, call, S_OK);
}

Component *Component::forRequester(std::shared_ptr<Session> session, std::size_t index, HRESULT writerOverride)
{
    return new Component(std::move(session), index, nullptr, writerOverride);
}

ComponentRecord *Component::current(const char *method)
{
    std::vector<ComponentRecord> &all = session_->components();
    if (call_) {
        EventCall *now = currentEventCall();
        const bool sameHandler = now == call_ && writerEvent(now, event_, session_.get(), writer_);
        return sameHandler && index_ < all.size() ? &all[index_] : nullptr;
    }
    if (session_->componentGeneration() == generation_ && index_ < all.size())
        return &all[index_];
    session_->service().recordMistake(
        "M17",
        fmt::format("{} through a component pointer made stale by PrepareForBackup, DoSnapshotSet, BackupComplete, "
                    "PreRestore or PostRestore; call GetWriterComponents again",
                    method),
        session_->number());
    return nullptr;
}

template <class Body>
HRESULT Component::run(const char *method, bool argumentsValid, Body &&body) noexcept
{
    return guarded(method, [&]() -> HRESULT {
        attachCurrentThread();
        if (!argumentsValid)
            return E_INVALIDARG;
        auto lock = session_->service().lock();
        ComponentRecord *c = current(method);
        if (!c)
            return VSS_E_BAD_STATE;
        return body(*c);
    });
}

template <class Body>
HRESULT Component::runInHandler(const char *method, bool argumentsValid, std::initializer_list<Input> events,
                                Body &&body) noexcept
{
    return run(method, argumentsValid, [&](ComponentRecord &c) -> HRESULT {
        // Writer-side: a requester may not call it, and a writer only in the handlers Microsoft names.
        if (!call_ || std::find(events.begin(), events.end(), event_) == events.end())
            return VSS_E_BAD_STATE;
        return body(c);
    });
}

HRESULT Component::QueryInterface(REFIID riid, void **ppvObject) noexcept
{
    if (!ppvObject)
        return E_POINTER;
    if (riid == IID_IUnknown || riid == IID_IVssComponent || riid == IID_IVssComponentEx || riid == IID_IVssComponentEx2) {
        addRef();
        *ppvObject = static_cast<IVssComponentEx2 *>(this);
        return S_OK;
    }
    *ppvObject = nullptr;
    return E_NOINTERFACE;
}

ULONG Component::AddRef() noexcept { return addRef(); }
ULONG Component::Release() noexcept { return release(); }

HRESULT Component::GetLogicalPath(BSTR *pbstrPath) noexcept
{
    static constexpr const char *m = "IVssComponent::GetLogicalPath";
    return run(m, pbstrPath, [&](ComponentRecord &c) { return bstrOut(pbstrPath, c.logicalPath, m); });
}

HRESULT Component::GetComponentType(VSS_COMPONENT_TYPE *pct) noexcept
{
    return run("IVssComponent::GetComponentType", pct, [&](ComponentRecord &c) {
        *pct = c.type;
        return S_OK;
    });
}

HRESULT Component::GetComponentName(BSTR *pbstrName) noexcept
{
    static constexpr const char *m = "IVssComponent::GetComponentName";
    return run(m, pbstrName, [&](ComponentRecord &c) { return bstrOut(pbstrName, c.name, m); });
}

HRESULT Component::GetBackupSucceeded(SdkBool *pbSucceeded) noexcept
{
    return run("IVssComponent::GetBackupSucceeded", pbSucceeded, [&](ComponentRecord &c) {
        *pbSucceeded = c.backupSucceeded;
        return S_OK;
    });
}

HRESULT Component::GetAlternateLocationMappingCount(UINT *pcMappings) noexcept
{
    return run("IVssComponent::GetAlternateLocationMappingCount", pcMappings, [&](ComponentRecord &c) {
        *pcMappings = static_cast<UINT>(c.alternateMappings.size());
        return S_OK;
    });
}

HRESULT Component::GetAlternateLocationMapping(UINT iMapping, IVssWMFiledesc **ppFiledesc) noexcept
{
    return run("IVssComponent::GetAlternateLocationMapping", ppFiledesc, [&](ComponentRecord &c) -> HRESULT {
        if (iMapping >= c.alternateMappings.size())
            return VSS_E_OBJECT_NOT_FOUND;
        *ppFiledesc = makeFiledesc(c.alternateMappings[iMapping]);
        return S_OK;
    });
}

HRESULT Component::SetBackupMetadata(LPCWSTR wszData) noexcept
{
    return runInHandler("IVssComponent::SetBackupMetadata", wszData, kBackupHandlers, [&](ComponentRecord &c) {
        if (c.backupMetadata)
            return VSS_E_OBJECT_ALREADY_EXISTS;  // Microsoft: private metadata already written
        c.backupMetadata = wszData;
        return S_OK;
    });
}

HRESULT Component::GetBackupMetadata(BSTR *pbstrData) noexcept
{
    static constexpr const char *m = "IVssComponent::GetBackupMetadata";
    return run(m, pbstrData, [&](ComponentRecord &c) { return bstrOutOrFalse(pbstrData, c.backupMetadata, m); });
}

HRESULT Component::AddPartialFile(LPCWSTR wszPath, LPCWSTR wszFilename, LPCWSTR wszRanges, LPCWSTR wszMetadata) noexcept
{
    return runInHandler("IVssComponent::AddPartialFile", wszPath && wszFilename && wszRanges, kBackupHandlers,
                        [&](ComponentRecord &c) {
                            c.partialFiles.push_back(PartialFile{wszPath, wszFilename, wszRanges, orEmpty(wszMetadata)});
                            return S_OK;
                        });
}

HRESULT Component::GetPartialFileCount(UINT *pcPartialFiles) noexcept
{
    return run("IVssComponent::GetPartialFileCount", pcPartialFiles, [&](ComponentRecord &c) {
        *pcPartialFiles = static_cast<UINT>(c.partialFiles.size());
        return S_OK;
    });
}

HRESULT Component::GetPartialFile(UINT iPartialFile, BSTR *pbstrPath, BSTR *pbstrFilename, BSTR *pbstrRange,
                                  BSTR *pbstrMetadata) noexcept
{
    static constexpr const char *m = "IVssComponent::GetPartialFile";
    return run(m, pbstrPath && pbstrFilename && pbstrRange && pbstrMetadata, [&](ComponentRecord &c) -> HRESULT {
        if (iPartialFile >= c.partialFiles.size())
            return VSS_E_OBJECT_NOT_FOUND;
        const PartialFile &f = c.partialFiles[iPartialFile];
        BstrOut out(m);
        out.text(pbstrPath, f.path).text(pbstrFilename, f.filename).text(pbstrRange, f.ranges).text(pbstrMetadata, f.metadata);
        return out.commit();
    });
}

HRESULT Component::IsSelectedForRestore(SdkBool *pbSelectedForRestore) noexcept
{
    return run("IVssComponent::IsSelectedForRestore", pbSelectedForRestore, [&](ComponentRecord &c) {
        *pbSelectedForRestore = c.selectedForRestore;
        return S_OK;
    });
}

HRESULT Component::GetAdditionalRestores(SdkBool *pbAdditionalRestores) noexcept
{
    return run("IVssComponent::GetAdditionalRestores", pbAdditionalRestores, [&](ComponentRecord &c) {
        *pbAdditionalRestores = c.additionalRestores;
        return S_OK;
    });
}

HRESULT Component::GetNewTargetCount(UINT *pcNewTarget) noexcept
{
    return run("IVssComponent::GetNewTargetCount", pcNewTarget, [&](ComponentRecord &c) {
        *pcNewTarget = static_cast<UINT>(c.newTargets.size());
        return S_OK;
    });
}

HRESULT Component::GetNewTarget(UINT iNewTarget, IVssWMFiledesc **ppFiledesc) noexcept
{
    return run("IVssComponent::GetNewTarget", ppFiledesc, [&](ComponentRecord &c) -> HRESULT {
        if (iNewTarget >= c.newTargets.size())
            return VSS_E_OBJECT_NOT_FOUND;
        *ppFiledesc = makeFiledesc(c.newTargets[iNewTarget]);
        return S_OK;
    });
}

HRESULT Component::AddDirectedTarget(LPCWSTR wszSourcePath, LPCWSTR wszSourceFilename, LPCWSTR wszSourceRangeList,
                                     LPCWSTR wszDestinationPath, LPCWSTR wszDestinationFilename,
                                     LPCWSTR wszDestinationRangeList) noexcept
{
    const bool ok = wszSourcePath && wszSourceFilename && wszDestinationPath && wszDestinationFilename;
    return runInHandler("IVssComponent::AddDirectedTarget", ok, kRestoreHandlers, [&](ComponentRecord &c) {
        c.directedTargets.push_back(DirectedTarget{wszSourcePath, wszSourceFilename, orEmpty(wszSourceRangeList),
                                                   wszDestinationPath, wszDestinationFilename,
                                                   orEmpty(wszDestinationRangeList)});
        return S_OK;
    });
}

HRESULT Component::GetDirectedTargetCount(UINT *pcDirectedTarget) noexcept
{
    return run("IVssComponent::GetDirectedTargetCount", pcDirectedTarget, [&](ComponentRecord &c) {
        *pcDirectedTarget = static_cast<UINT>(c.directedTargets.size());
        return S_OK;
    });
}

HRESULT Component::GetDirectedTarget(UINT iDirectedTarget, BSTR *pbstrSourcePath, BSTR *pbstrSourceFileName,
                                     BSTR *pbstrSourceRangeList, BSTR *pbstrDestinationPath,
                                     BSTR *pbstrDestinationFilename, BSTR *pbstrDestinationRangeList) noexcept
{
    static constexpr const char *m = "IVssComponent::GetDirectedTarget";
    const bool ok = pbstrSourcePath && pbstrSourceFileName && pbstrSourceRangeList && pbstrDestinationPath &&
                    pbstrDestinationFilename && pbstrDestinationRangeList;
    return run(m, ok, [&](ComponentRecord &c) -> HRESULT {
        if (iDirectedTarget >= c.directedTargets.size())
            return VSS_E_OBJECT_NOT_FOUND;
        const DirectedTarget &t = c.directedTargets[iDirectedTarget];
        BstrOut out(m);
        out.text(pbstrSourcePath, t.sourcePath)
            .text(pbstrSourceFileName, t.sourceFilename)
            .text(pbstrSourceRangeList, t.sourceRanges)
            .text(pbstrDestinationPath, t.destinationPath)
            .text(pbstrDestinationFilename, t.destinationFilename)
            .text(pbstrDestinationRangeList, t.destinationRanges);
        return out.commit();
    });
}

HRESULT Component::SetRestoreMetadata(LPCWSTR wszRestoreMetadata) noexcept
{
    // Microsoft: "only in the context of implementing CVssWriter::OnPreRestore".
    return runInHandler("IVssComponent::SetRestoreMetadata", wszRestoreMetadata, {Input::PreRestore},
                        [&](ComponentRecord &c) {
                            if (c.restoreMetadata)
                                return VSS_E_OBJECT_ALREADY_EXISTS;
                            c.restoreMetadata = wszRestoreMetadata;
                            return S_OK;
                        });
}

HRESULT Component::GetRestoreMetadata(BSTR *pbstrRestoreMetadata) noexcept
{
    static constexpr const char *m = "IVssComponent::GetRestoreMetadata";
    return run(m, pbstrRestoreMetadata,
               [&](ComponentRecord &c) { return bstrOutOrFalse(pbstrRestoreMetadata, c.restoreMetadata, m); });
}

HRESULT Component::SetRestoreTarget(VSS_RESTORE_TARGET target) noexcept
{
    // VSS_RT_UNDEFINED "indicates an error on the part of the writer": not a target one can set.
    const bool ok = isEnumValue(target, EnumKind::RestoreTarget) && target != VSS_RT_UNDEFINED;
    return runInHandler("IVssComponent::SetRestoreTarget", ok, kRestoreHandlers, [&](ComponentRecord &c) {
        c.restoreTarget = target;
        return S_OK;
    });
}

HRESULT Component::GetRestoreTarget(VSS_RESTORE_TARGET *pTarget) noexcept
{
    return run("IVssComponent::GetRestoreTarget", pTarget, [&](ComponentRecord &c) {
        *pTarget = c.restoreTarget;
        return S_OK;
    });
}

HRESULT Component::SetPreRestoreFailureMsg(LPCWSTR wszPreRestoreFailureMsg) noexcept
{
    return runInHandler("IVssComponent::SetPreRestoreFailureMsg", wszPreRestoreFailureMsg, {Input::PreRestore},
                        [&](ComponentRecord &c) {
                            c.preRestoreFailureMsg = wszPreRestoreFailureMsg;
                            return S_OK;
                        });
}

HRESULT Component::GetPreRestoreFailureMsg(BSTR *pbstrPreRestoreFailureMsg) noexcept
{
    static constexpr const char *m = "IVssComponent::GetPreRestoreFailureMsg";
    return run(m, pbstrPreRestoreFailureMsg, [&](ComponentRecord &c) {
        return bstrOutOrFalse(pbstrPreRestoreFailureMsg, c.preRestoreFailureMsg, m);
    });
}

HRESULT Component::SetPostRestoreFailureMsg(LPCWSTR wszPostRestoreFailureMsg) noexcept
{
    return runInHandler("IVssComponent::SetPostRestoreFailureMsg", wszPostRestoreFailureMsg, {Input::PostRestore},
                        [&](ComponentRecord &c) {
                            c.postRestoreFailureMsg = wszPostRestoreFailureMsg;
                            return S_OK;
                        });
}

HRESULT Component::GetPostRestoreFailureMsg(BSTR *pbstrPostRestoreFailureMsg) noexcept
{
    static constexpr const char *m = "IVssComponent::GetPostRestoreFailureMsg";
    return run(m, pbstrPostRestoreFailureMsg, [&](ComponentRecord &c) {
        return bstrOutOrFalse(pbstrPostRestoreFailureMsg, c.postRestoreFailureMsg, m);
    });
}

HRESULT Component::SetBackupStamp(LPCWSTR wszBackupStamp) noexcept
{
    return runInHandler("IVssComponent::SetBackupStamp", wszBackupStamp, kBackupHandlers, [&](ComponentRecord &c) {
        c.backupStamp = wszBackupStamp;
        return S_OK;
    });
}

// The stamps and options are plain strings in the BCD model: an empty one was never set, which
// Microsoft's pages answer with S_FALSE.
HRESULT Component::GetBackupStamp(BSTR *pbstrBackupStamp) noexcept
{
    static constexpr const char *m = "IVssComponent::GetBackupStamp";
    return run(m, pbstrBackupStamp,
               [&](ComponentRecord &c) { return bstrOutOrFalse(pbstrBackupStamp, unlessEmpty(c.backupStamp), m); });
}

HRESULT Component::GetPreviousBackupStamp(BSTR *pbstrBackupStamp) noexcept
{
    static constexpr const char *m = "IVssComponent::GetPreviousBackupStamp";
    return run(m, pbstrBackupStamp, [&](ComponentRecord &c) {
        return bstrOutOrFalse(pbstrBackupStamp, unlessEmpty(c.previousBackupStamp), m);
    });
}

HRESULT Component::GetBackupOptions(BSTR *pbstrBackupOptions) noexcept
{
    static constexpr const char *m = "IVssComponent::GetBackupOptions";
    return run(m, pbstrBackupOptions,
               [&](ComponentRecord &c) { return bstrOutOrFalse(pbstrBackupOptions, unlessEmpty(c.backupOptions), m); });
}

HRESULT Component::GetRestoreOptions(BSTR *pbstrRestoreOptions) noexcept
{
    static constexpr const char *m = "IVssComponent::GetRestoreOptions";
    return run(m, pbstrRestoreOptions, [&](ComponentRecord &c) {
        return bstrOutOrFalse(pbstrRestoreOptions, unlessEmpty(c.restoreOptions), m);
    });
}

HRESULT Component::GetRestoreSubcomponentCount(UINT *pcRestoreSubcomponent) noexcept
{
    return run("IVssComponent::GetRestoreSubcomponentCount", pcRestoreSubcomponent, [&](ComponentRecord &c) {
        *pcRestoreSubcomponent = static_cast<UINT>(c.subcomponents.size());
        return S_OK;
    });
}

HRESULT Component::GetRestoreSubcomponent(UINT iComponent, BSTR *pbstrLogicalPath, BSTR *pbstrComponentName,
                                          SdkBool *pbRepair) noexcept
{
    static constexpr const char *m = "IVssComponent::GetRestoreSubcomponent";
    return run(m, pbstrLogicalPath && pbstrComponentName && pbRepair, [&](ComponentRecord &c) -> HRESULT {
        if (iComponent >= c.subcomponents.size())
            return VSS_E_OBJECT_NOT_FOUND;
        const RestoreSubcomponent &s = c.subcomponents[iComponent];
        BstrOut out(m);
        out.text(pbstrLogicalPath, s.logicalPath).text(pbstrComponentName, s.name);
        const HRESULT hr = out.commit();
        if (SUCCEEDED(hr))
            *pbRepair = s.repair;
        return hr;
    });
}

HRESULT Component::GetFileRestoreStatus(VSS_FILE_RESTORE_STATUS *pStatus) noexcept
{
    return run("IVssComponent::GetFileRestoreStatus", pStatus, [&](ComponentRecord &c) {
        *pStatus = c.fileRestoreStatus;
        return S_OK;
    });
}

HRESULT Component::AddDifferencedFilesByLastModifyTime(LPCWSTR wszPath, LPCWSTR wszFilespec, BOOL bRecursive,
                                                       FILETIME ftLastModifyTime) noexcept
{
    return runInHandler("IVssComponent::AddDifferencedFilesByLastModifyTime", wszPath && wszFilespec, kBackupHandlers,
                        [&](ComponentRecord &c) {
                            c.differencedFiles.push_back(
                                DifferencedFiles{wszPath, wszFilespec, bRecursive != FALSE, ftLastModifyTime});
                            return S_OK;
                        });
}

HRESULT Component::AddDifferencedFilesByLastModifyLSN(LPCWSTR, LPCWSTR, BOOL, BSTR) noexcept
{
    // Microsoft: "Not supported. This method is reserved for system use."
    return notImplemented("IVssComponent::AddDifferencedFilesByLastModifyLSN");
}

HRESULT Component::GetDifferencedFilesCount(UINT *pcDifferencedFiles) noexcept
{
    return run("IVssComponent::GetDifferencedFilesCount", pcDifferencedFiles, [&](ComponentRecord &c) {
        *pcDifferencedFiles = static_cast<UINT>(c.differencedFiles.size());
        return S_OK;
    });
}

HRESULT Component::GetDifferencedFile(UINT iDifferencedFile, BSTR *pbstrPath, BSTR *pbstrFilespec, BOOL *pbRecursive,
                                      BSTR *pbstrLsnString, FILETIME *pftLastModifyTime) noexcept
{
    static constexpr const char *m = "IVssComponent::GetDifferencedFile";
    const bool ok = pbstrPath && pbstrFilespec && pbRecursive && pbstrLsnString && pftLastModifyTime;
    return run(m, ok, [&](ComponentRecord &c) -> HRESULT {
        if (iDifferencedFile >= c.differencedFiles.size())
            return VSS_E_OBJECT_NOT_FOUND;
        const DifferencedFiles &d = c.differencedFiles[iDifferencedFile];
        BstrOut out(m);
        // Differencing by LSN is reserved for system use, so no entry ever has an LSN.
        out.text(pbstrPath, d.path).text(pbstrFilespec, d.filespec).optional(pbstrLsnString, std::nullopt);
        const HRESULT hr = out.commit();
        if (SUCCEEDED(hr)) {
            *pbRecursive = d.recursive ? TRUE : FALSE;
            *pftLastModifyTime = d.lastModifyTime;
        }
        return hr;
    });
}

HRESULT Component::SetPrepareForBackupFailureMsg(LPCWSTR wszFailureMsg) noexcept
{
    return runInHandler("IVssComponentEx::SetPrepareForBackupFailureMsg", wszFailureMsg, {Input::PrepareForBackup},
                        [&](ComponentRecord &c) {
                            c.prepareForBackupFailureMsg = wszFailureMsg;
                            return S_OK;
                        });
}

HRESULT Component::SetPostSnapshotFailureMsg(LPCWSTR wszFailureMsg) noexcept
{
    return runInHandler("IVssComponentEx::SetPostSnapshotFailureMsg", wszFailureMsg, {Input::PostSnapshot},
                        [&](ComponentRecord &c) {
                            c.postSnapshotFailureMsg = wszFailureMsg;
                            return S_OK;
                        });
}

HRESULT Component::GetPrepareForBackupFailureMsg(BSTR *pbstrFailureMsg) noexcept
{
    static constexpr const char *m = "IVssComponentEx::GetPrepareForBackupFailureMsg";
    return run(m, pbstrFailureMsg,
               [&](ComponentRecord &c) { return bstrOutOrFalse(pbstrFailureMsg, c.prepareForBackupFailureMsg, m); });
}

HRESULT Component::GetPostSnapshotFailureMsg(BSTR *pbstrFailureMsg) noexcept
{
    static constexpr const char *m = "IVssComponentEx::GetPostSnapshotFailureMsg";
    return run(m, pbstrFailureMsg,
               [&](ComponentRecord &c) { return bstrOutOrFalse(pbstrFailureMsg, c.postSnapshotFailureMsg, m); });
}

HRESULT Component::GetAuthoritativeRestore(SdkBool *pbAuth) noexcept
{
    return run("IVssComponentEx::GetAuthoritativeRestore", pbAuth, [&](ComponentRecord &c) {
        *pbAuth = c.authoritativeRestore;
        return S_OK;
    });
}

HRESULT Component::GetRollForward(VSS_ROLLFORWARD_TYPE *pRollType, BSTR *pbstrPoint) noexcept
{
    static constexpr const char *m = "IVssComponentEx::GetRollForward";
    return run(m, pRollType && pbstrPoint, [&](ComponentRecord &c) -> HRESULT {
        // Only a partial roll-forward has a point.
        const HRESULT hr = BstrOut(m).optional(pbstrPoint, unlessEmpty(c.rollForwardPoint)).commit();
        if (SUCCEEDED(hr))
            *pRollType = c.rollForwardType;
        return hr;
    });
}

HRESULT Component::GetRestoreName(BSTR *pbstrName) noexcept
{
    static constexpr const char *m = "IVssComponentEx::GetRestoreName";
    return run(m, pbstrName, [&](ComponentRecord &c) { return bstrOutOrFalse(pbstrName, unlessEmpty(c.restoreName), m); });
}

HRESULT Component::SetFailure(HRESULT hr, HRESULT hrApplication, LPCWSTR wszApplicationMessage, DWORD dwReserved) noexcept
{
    const bool ok = dwReserved == 0 &&
                    std::find(std::begin(kComponentFailureCodes), std::end(kComponentFailureCodes), hr) !=
                        std::end(kComponentFailureCodes);
    return runInHandler("IVssComponentEx2::SetFailure", ok, kComponentHandlers, [&](ComponentRecord &c) {
        std::optional<std::wstring> message;
        if (wszApplicationMessage)
            message = wszApplicationMessage;
        c.failure = Failure{hr, hrApplication, std::move(message)};
        return S_OK;
    });
}

HRESULT Component::GetFailure(HRESULT *phr, HRESULT *phrApplication, BSTR *pbstrApplicationMessage,
                              DWORD *pdwReserved) noexcept
{
    static constexpr const char *m = "IVssComponentEx2::GetFailure";
    const bool ok = phr && phrApplication && pbstrApplicationMessage && pdwReserved;
    return run(m, ok, [&](ComponentRecord &c) -> HRESULT {
        if (HRESULT injected = session_->service().injectedFault("GetFailure", false); injected != S_OK)
            return injected;
        // A writer that did not answer, or had no slot, reports nothing of its own (docs/behaviour.md §6.3).
        Failure f;
        if (writerOverride_ != S_OK)
            f.hrWriter = writerOverride_;
        else if (c.failure)
            f = *c.failure;
        const HRESULT result = BstrOut(m).optional(pbstrApplicationMessage, f.message).commit();
        if (FAILED(result))
            return result;
        *phr = f.hrWriter;
        *phrApplication = f.hrApplication;
        *pdwReserved = 0;
        return S_OK;
    });
}

// ---------------------------------------------------------------------------------------------
// HandlerComponents

HandlerComponents::HandlerComponents(std::shared_ptr<Session> session, const WriterIdentity &identity, EventCall *call)
    : session_(std::move(session)), instanceId_(identity.instanceId), writerId_(identity.classId), call_(call)
{
}

bool HandlerComponents::valid() const noexcept
{
    return session_ && call_ && currentEventCall() == call_;
}

std::vector<std::size_t> HandlerComponents::indexes() const
{
    // A restore's BCD holds the instance ids of the backup, and the writer has restarted since:
    // there the class id decides, as it decides who receives PreRestore.
    const bool restore = session_->isRestore();
    const std::vector<ComponentRecord> &all = session_->components();
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < all.size(); ++i)
        if (restore ? all[i].writerId == writerId_ : all[i].instanceId == instanceId_)
            out.push_back(i);
    return out;
}

HRESULT HandlerComponents::GetComponentCount(UINT *pcComponents) noexcept
{
    return guarded("IVssWriterComponents::GetComponentCount", [&]() -> HRESULT {
        attachCurrentThread();
        if (!pcComponents)
            return E_INVALIDARG;
        if (!valid())
            return VSS_E_BAD_STATE;
        auto lock = session_->service().lock();
        *pcComponents = static_cast<UINT>(indexes().size());
        return S_OK;
    });
}

HRESULT HandlerComponents::GetWriterInfo(VSS_ID *pidInstance, VSS_ID *pidWriter) noexcept
{
    return guarded("IVssWriterComponents::GetWriterInfo", [&]() -> HRESULT {
        attachCurrentThread();
        if (!pidInstance || !pidWriter)
            return E_INVALIDARG;
        if (!valid())
            return VSS_E_BAD_STATE;
        *pidInstance = instanceId_;
        *pidWriter = writerId_;
        return S_OK;
    });
}

HRESULT HandlerComponents::GetComponent(UINT iComponent, IVssComponent **ppComponent) noexcept
{
    return guarded("IVssWriterComponents::GetComponent", [&]() -> HRESULT {
        attachCurrentThread();
        if (!ppComponent)
            return E_INVALIDARG;
        if (!valid())
            return VSS_E_BAD_STATE;
        auto lock = session_->service().lock();
        const std::vector<std::size_t> mine = indexes();
        if (iComponent >= mine.size())
            return VSS_E_OBJECT_NOT_FOUND;
        *ppComponent = Component::forHandler(session_, mine[iComponent], call_);
        return S_OK;
    });
}

// ---------------------------------------------------------------------------------------------
// The requester's IVssWriterComponentsExt

namespace {

class RequesterComponents final : public IVssWriterComponentsExt,
#ifdef _WIN32
                                  // the SDK's second base, which mingw-w64's IVssWriterComponentsExt leaves out
                                  public IUnknown,
#endif
                                  public RefCounted
{
public:
    RequesterComponents(std::shared_ptr<Session> session, const VSS_ID &instanceId, const VSS_ID &writerId,
                        HRESULT writerOverride)
        : session_(std::move(session)), instanceId_(instanceId), writerId_(writerId),
          generation_(session_->componentGeneration()), writerOverride_(writerOverride)
    {
    }

    // IUnknown, the second base: requesters Release through it.
    HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void **ppvObject) noexcept override
    {
        if (!ppvObject)
            return E_POINTER;
        if (riid == IID_IUnknown) {
            addRef();
            *ppvObject = static_cast<IUnknown *>(this);
            return S_OK;
        }
        *ppvObject = nullptr;
        return E_NOINTERFACE;
    }
    ULONG STDMETHODCALLTYPE AddRef() noexcept override { return addRef(); }
    ULONG STDMETHODCALLTYPE Release() noexcept override { return release(); }

    HRESULT STDMETHODCALLTYPE GetComponentCount(UINT *pcComponents) noexcept override
    {
        static constexpr const char *m = "IVssWriterComponentsExt::GetComponentCount";
        return run(m, pcComponents, [&] {
            *pcComponents = static_cast<UINT>(indexes().size());
            return S_OK;
        });
    }

    HRESULT STDMETHODCALLTYPE GetWriterInfo(VSS_ID *pidInstance, VSS_ID *pidWriter) noexcept override
    {
        static constexpr const char *m = "IVssWriterComponentsExt::GetWriterInfo";
        return run(m, pidInstance && pidWriter, [&] {
            *pidInstance = instanceId_;
            *pidWriter = writerId_;
            return S_OK;
        });
    }

    HRESULT STDMETHODCALLTYPE GetComponent(UINT iComponent, IVssComponent **ppComponent) noexcept override
    {
        static constexpr const char *m = "IVssWriterComponentsExt::GetComponent";
        return run(m, ppComponent, [&]() -> HRESULT {
            const std::vector<std::size_t> mine = indexes();
            if (iComponent >= mine.size())
                return VSS_E_OBJECT_NOT_FOUND;
            *ppComponent = Component::forRequester(session_, mine[iComponent], writerOverride_);
            return S_OK;
        });
    }

private:
    template <class Body>
    HRESULT run(const char *method, bool argumentsValid, Body &&body) noexcept
    {
        return guarded(method, [&]() -> HRESULT {
            attachCurrentThread();
            if (!argumentsValid)
                return E_INVALIDARG;
            auto lock = session_->service().lock();
            // Microsoft: PrepareForBackup, DoSnapshotSet, BackupComplete, PreRestore and PostRestore
            // invalidate the pointer GetWriterComponents returned.
            if (session_->componentGeneration() != generation_) {
                session_->service().recordMistake(
                    "M17", fmt::format("{} through an IVssWriterComponentsExt made stale by the BCD changing; call "
                                       "GetWriterComponents again", method),
                    session_->number());
                return VSS_E_BAD_STATE;
            }
            return body();
        });
    }

    std::vector<std::size_t> indexes() const
    {
        const std::vector<ComponentRecord> &all = session_->components();
        std::vector<std::size_t> out;
        for (std::size_t i = 0; i < all.size(); ++i)
            if (all[i].instanceId == instanceId_ && all[i].writerId == writerId_)
                out.push_back(i);
        return out;
    }

    std::shared_ptr<Session> session_;
    const VSS_ID instanceId_;
    const VSS_ID writerId_;
    const std::uint64_t generation_;
    const HRESULT writerOverride_;
};

} // namespace

IVssWriterComponentsExt *makeRequesterComponents(std::shared_ptr<Session> session, const VSS_ID &instanceId,
                                                 const VSS_ID &writerId, HRESULT writerOverride)
{
    auto lock = session->service().lock();
    return new RequesterComponents(std::move(session), instanceId, writerId, writerOverride);
}

} // namespace vsssim
