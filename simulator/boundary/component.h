// The components of the backup components document at the Windows-compatible boundary:
// IVssComponentEx2 over one BCD entry, the IVssWriterComponents a writer's handler receives, and the
// IVssWriterComponentsExt a requester gets from GetWriterComponents.
#pragma once
#include "private.h"

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <vector>

#include <vsbackup.h>
#include <vswriter.h>

#include "boundary/com_object.h"
#include "core/writer_state.h"
#include "service/model.h"
#include "service/session.h"
#include "service/writer_registry.h"

namespace vsssim {

/// One BCD entry, addressed by its index in session->components(): the vector may grow, so a
/// pointer into it would dangle. The object is valid in one of two ways:
///  - handler mode: only inside the writer handler it was made for (the writer-side setters work here);
///  - requester mode: until the session's component generation changes (PrepareForBackup,
///    DoSnapshotSet, BackupComplete, PreRestore, PostRestore); a stale call is VSS_E_BAD_STATE and M17.
class Component final : public IVssComponentEx2, public RefCounted
{
public:
    /** \brief Handler mode, with one reference; call is the running handler's. Throws std::bad_alloc. */
    static Component *forHandler(std::shared_ptr<Session> session, std::size_t index, EventCall *call);
    /** \brief Requester mode, with one reference. writerOverride other than S_OK is what GetFailure
     *  reports for every component of a writer that did not respond or had no slot. Throws std::bad_alloc. */
    static Component *forRequester(std::shared_ptr<Session> session, std::size_t index, HRESULT writerOverride);

    // IUnknown
    HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void **ppvObject) noexcept override;
    // Out of line: inlined into callers that know the final type, GCC 12 misreads RefCounted's
    // `delete this` as freeing an interior pointer (-Wfree-nonheap-object).
    ULONG STDMETHODCALLTYPE AddRef() noexcept override;
    ULONG STDMETHODCALLTYPE Release() noexcept override;

    // IVssComponent
    HRESULT STDMETHODCALLTYPE GetLogicalPath(BSTR *pbstrPath) noexcept override;
    HRESULT STDMETHODCALLTYPE GetComponentType(VSS_COMPONENT_TYPE *pct) noexcept override;
    HRESULT STDMETHODCALLTYPE GetComponentName(BSTR *pbstrName) noexcept override;
    HRESULT STDMETHODCALLTYPE GetBackupSucceeded(SdkBool *pbSucceeded) noexcept override;
    HRESULT STDMETHODCALLTYPE GetAlternateLocationMappingCount(UINT *pcMappings) noexcept override;
    HRESULT STDMETHODCALLTYPE GetAlternateLocationMapping(UINT iMapping, IVssWMFiledesc **ppFiledesc) noexcept override;
    HRESULT STDMETHODCALLTYPE SetBackupMetadata(LPCWSTR wszData) noexcept override;
    HRESULT STDMETHODCALLTYPE GetBackupMetadata(BSTR *pbstrData) noexcept override;
    HRESULT STDMETHODCALLTYPE AddPartialFile(LPCWSTR wszPath, LPCWSTR wszFilename, LPCWSTR wszRanges,
                                             LPCWSTR wszMetadata) noexcept override;
    HRESULT STDMETHODCALLTYPE GetPartialFileCount(UINT *pcPartialFiles) noexcept override;
    HRESULT STDMETHODCALLTYPE GetPartialFile(UINT iPartialFile, BSTR *pbstrPath, BSTR *pbstrFilename, BSTR *pbstrRange,
                                             BSTR *pbstrMetadata) noexcept override;
    HRESULT STDMETHODCALLTYPE IsSelectedForRestore(SdkBool *pbSelectedForRestore) noexcept override;
    HRESULT STDMETHODCALLTYPE GetAdditionalRestores(SdkBool *pbAdditionalRestores) noexcept override;
    HRESULT STDMETHODCALLTYPE GetNewTargetCount(UINT *pcNewTarget) noexcept override;
    HRESULT STDMETHODCALLTYPE GetNewTarget(UINT iNewTarget, IVssWMFiledesc **ppFiledesc) noexcept override;
    HRESULT STDMETHODCALLTYPE AddDirectedTarget(LPCWSTR wszSourcePath, LPCWSTR wszSourceFilename,
                                                LPCWSTR wszSourceRangeList, LPCWSTR wszDestinationPath,
                                                LPCWSTR wszDestinationFilename,
                                                LPCWSTR wszDestinationRangeList) noexcept override;
    HRESULT STDMETHODCALLTYPE GetDirectedTargetCount(UINT *pcDirectedTarget) noexcept override;
    HRESULT STDMETHODCALLTYPE GetDirectedTarget(UINT iDirectedTarget, BSTR *pbstrSourcePath, BSTR *pbstrSourceFileName,
                                                BSTR *pbstrSourceRangeList, BSTR *pbstrDestinationPath,
                                                BSTR *pbstrDestinationFilename,
                                                BSTR *pbstrDestinationRangeList) noexcept override;
    HRESULT STDMETHODCALLTYPE SetRestoreMetadata(LPCWSTR wszRestoreMetadata) noexcept override;
    HRESULT STDMETHODCALLTYPE GetRestoreMetadata(BSTR *pbstrRestoreMetadata) noexcept override;
    HRESULT STDMETHODCALLTYPE SetRestoreTarget(VSS_RESTORE_TARGET target) noexcept override;
    HRESULT STDMETHODCALLTYPE GetRestoreTarget(VSS_RESTORE_TARGET *pTarget) noexcept override;
    HRESULT STDMETHODCALLTYPE SetPreRestoreFailureMsg(LPCWSTR wszPreRestoreFailureMsg) noexcept override;
    HRESULT STDMETHODCALLTYPE GetPreRestoreFailureMsg(BSTR *pbstrPreRestoreFailureMsg) noexcept override;
    HRESULT STDMETHODCALLTYPE SetPostRestoreFailureMsg(LPCWSTR wszPostRestoreFailureMsg) noexcept override;
    HRESULT STDMETHODCALLTYPE GetPostRestoreFailureMsg(BSTR *pbstrPostRestoreFailureMsg) noexcept override;
    HRESULT STDMETHODCALLTYPE SetBackupStamp(LPCWSTR wszBackupStamp) noexcept override;
    HRESULT STDMETHODCALLTYPE GetBackupStamp(BSTR *pbstrBackupStamp) noexcept override;
    HRESULT STDMETHODCALLTYPE GetPreviousBackupStamp(BSTR *pbstrBackupStamp) noexcept override;
    HRESULT STDMETHODCALLTYPE GetBackupOptions(BSTR *pbstrBackupOptions) noexcept override;
    HRESULT STDMETHODCALLTYPE GetRestoreOptions(BSTR *pbstrRestoreOptions) noexcept override;
    HRESULT STDMETHODCALLTYPE GetRestoreSubcomponentCount(UINT *pcRestoreSubcomponent) noexcept override;
    HRESULT STDMETHODCALLTYPE GetRestoreSubcomponent(UINT iComponent, BSTR *pbstrLogicalPath, BSTR *pbstrComponentName,
                                                     SdkBool *pbRepair) noexcept override;
    HRESULT STDMETHODCALLTYPE GetFileRestoreStatus(VSS_FILE_RESTORE_STATUS *pStatus) noexcept override;
    HRESULT STDMETHODCALLTYPE AddDifferencedFilesByLastModifyTime(LPCWSTR wszPath, LPCWSTR wszFilespec, BOOL bRecursive,
                                                                  FILETIME ftLastModifyTime) noexcept override;
    HRESULT STDMETHODCALLTYPE AddDifferencedFilesByLastModifyLSN(LPCWSTR wszPath, LPCWSTR wszFilespec, BOOL bRecursive,
                                                                 BSTR bstrLsnString) noexcept override;
    HRESULT STDMETHODCALLTYPE GetDifferencedFilesCount(UINT *pcDifferencedFiles) noexcept override;
    HRESULT STDMETHODCALLTYPE GetDifferencedFile(UINT iDifferencedFile, BSTR *pbstrPath, BSTR *pbstrFilespec,
                                                 BOOL *pbRecursive, BSTR *pbstrLsnString,
                                                 FILETIME *pftLastModifyTime) noexcept override;

    // IVssComponentEx
    HRESULT STDMETHODCALLTYPE SetPrepareForBackupFailureMsg(LPCWSTR wszFailureMsg) noexcept override;
    HRESULT STDMETHODCALLTYPE SetPostSnapshotFailureMsg(LPCWSTR wszFailureMsg) noexcept override;
    HRESULT STDMETHODCALLTYPE GetPrepareForBackupFailureMsg(BSTR *pbstrFailureMsg) noexcept override;
    HRESULT STDMETHODCALLTYPE GetPostSnapshotFailureMsg(BSTR *pbstrFailureMsg) noexcept override;
    HRESULT STDMETHODCALLTYPE GetAuthoritativeRestore(SdkBool *pbAuth) noexcept override;
    HRESULT STDMETHODCALLTYPE GetRollForward(VSS_ROLLFORWARD_TYPE *pRollType, BSTR *pbstrPoint) noexcept override;
    HRESULT STDMETHODCALLTYPE GetRestoreName(BSTR *pbstrName) noexcept override;

    // IVssComponentEx2
    HRESULT STDMETHODCALLTYPE SetFailure(HRESULT hr, HRESULT hrApplication, LPCWSTR wszApplicationMessage,
                                         DWORD dwReserved) noexcept override;
    HRESULT STDMETHODCALLTYPE GetFailure(HRESULT *phr, HRESULT *phrApplication, BSTR *pbstrApplicationMessage,
                                         DWORD *pdwReserved) noexcept override;

private:
    Component(std::shared_ptr<Session> session, std::size_t index, EventCall *call, HRESULT writerOverride);

    /// The preamble of every method: guard, thread attachment, argument check (first, so a rejected
    /// call allocates nothing), the session lock, then the validity check.
    template <class Body>
    HRESULT run(const char *method, bool argumentsValid, Body &&body) noexcept;
    /// As run, for the writer-side setters: also VSS_E_BAD_STATE unless a handler of one of events runs.
    template <class Body>
    HRESULT runInHandler(const char *method, bool argumentsValid, std::initializer_list<Input> events,
                         Body &&body) noexcept;
    /// The entry, or nullptr when this pointer is no longer valid.
    ComponentRecord *current(const char *method);

    std::shared_ptr<Session> session_;
    std::size_t index_;
    // Handler mode: the handler's EventCall lives on the stack, so a later handler can reuse its
    // address; the event, session and writer tell the two apart (each event reaches a writer once
    // per session).
    EventCall *call_;
    Input event_ = Input::Identify;
    WriterEntry *writer_ = nullptr;
    std::uint64_t generation_ = 0;
    HRESULT writerOverride_ = S_OK;
};

/// The IVssWriterComponents a writer's OnPrepareBackup, OnPostSnapshot, OnBackupComplete,
/// OnPreRestore and OnPostRestore receive. No IUnknown: it lives on the stack of the handler call.
class HandlerComponents final : public IVssWriterComponents
{
public:
    /** \brief identity names the writer; call is the handler that runs now. */
    HandlerComponents(std::shared_ptr<Session> session, const WriterIdentity &identity, EventCall *call);

    HRESULT STDMETHODCALLTYPE GetComponentCount(UINT *pcComponents) noexcept override;
    HRESULT STDMETHODCALLTYPE GetWriterInfo(VSS_ID *pidInstance, VSS_ID *pidWriter) noexcept override;
    HRESULT STDMETHODCALLTYPE GetComponent(UINT iComponent, IVssComponent **ppComponent) noexcept override;

private:
    std::vector<std::size_t> indexes() const;
    bool valid() const noexcept;

    std::shared_ptr<Session> session_;
    VSS_ID instanceId_;
    VSS_ID writerId_;
    EventCall *call_;
};

/** \brief The IVssWriterComponentsExt of IVssBackupComponents::GetWriterComponents: the BCD entries of
 *  one writer instance, with one reference the caller releases (through the IUnknown base).
 *  writerOverride: S_OK, or VSS_E_WRITER_NOT_RESPONDING / VSS_E_WRITER_STATUS_NOT_AVAILABLE when the
 *  writer's status says so; IVssComponentEx2::GetFailure then reports it. Throws std::bad_alloc. */
IVssWriterComponentsExt *makeRequesterComponents(std::shared_ptr<Session> session, const VSS_ID &instanceId,
                                                 const VSS_ID &writerId, HRESULT writerOverride);

} // namespace vsssim
