// The requester object behind CreateVssBackupComponents: IVssBackupComponents ... Ex4 in one class.
// It checks pointers, calls its Session and copies values out; every VSS rule lives in the Session.
#pragma once
#include "private.h"

#include <memory>

#include <vsbackup.h>

#include "boundary/com_object.h"
#include "service/session.h"

namespace vsssim {

class BackupComponents final : public IVssBackupComponentsEx4, public RefCounted
{
public:
    explicit BackupComponents(std::shared_ptr<Session> session);
    ~BackupComponents() override;

    Session &session() noexcept { return *session_; }

    // IUnknown
    HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void **ppvObject) noexcept override;
    ULONG STDMETHODCALLTYPE AddRef() noexcept override { return addRef(); }
    ULONG STDMETHODCALLTYPE Release() noexcept override { return release(); }

    // IVssBackupComponents
    HRESULT STDMETHODCALLTYPE GetWriterComponentsCount(UINT *pcComponents) noexcept override;
    HRESULT STDMETHODCALLTYPE GetWriterComponents(UINT iWriter, IVssWriterComponentsExt **ppWriter) noexcept override;
    HRESULT STDMETHODCALLTYPE InitializeForBackup(BSTR bstrXML = NULL) noexcept override;
    HRESULT STDMETHODCALLTYPE SetBackupState(SdkBool bSelectComponents, SdkBool bBackupBootableSystemState,
                                             VSS_BACKUP_TYPE backupType, SdkBool bPartialFileSupport = false) noexcept override;
    HRESULT STDMETHODCALLTYPE InitializeForRestore(BSTR bstrXML) noexcept override;
    HRESULT STDMETHODCALLTYPE SetRestoreState(VSS_RESTORE_TYPE restoreType) noexcept override;
    HRESULT STDMETHODCALLTYPE GatherWriterMetadata(IVssAsync **pAsync) noexcept override;
    HRESULT STDMETHODCALLTYPE GetWriterMetadataCount(UINT *pcWriters) noexcept override;
    HRESULT STDMETHODCALLTYPE GetWriterMetadata(UINT iWriter, VSS_ID *pidInstance,
                                                IVssExamineWriterMetadata **ppMetadata) noexcept override;
    HRESULT STDMETHODCALLTYPE FreeWriterMetadata() noexcept override;
    HRESULT STDMETHODCALLTYPE AddComponent(VSS_ID instanceId, VSS_ID writerId, VSS_COMPONENT_TYPE ct,
                                           LPCWSTR wszLogicalPath, LPCWSTR wszComponentName) noexcept override;
    HRESULT STDMETHODCALLTYPE PrepareForBackup(IVssAsync **ppAsync) noexcept override;
    HRESULT STDMETHODCALLTYPE AbortBackup() noexcept override;
    HRESULT STDMETHODCALLTYPE GatherWriterStatus(IVssAsync **pAsync) noexcept override;
    HRESULT STDMETHODCALLTYPE GetWriterStatusCount(UINT *pcWriters) noexcept override;
    HRESULT STDMETHODCALLTYPE FreeWriterStatus() noexcept override;
    HRESULT STDMETHODCALLTYPE GetWriterStatus(UINT iWriter, VSS_ID *pidInstance, VSS_ID *pidWriter, BSTR *pbstrWriter,
                                              VSS_WRITER_STATE *pnStatus, HRESULT *phResultFailure) noexcept override;
    HRESULT STDMETHODCALLTYPE SetBackupSucceeded(VSS_ID instanceId, VSS_ID writerId, VSS_COMPONENT_TYPE ct,
                                                 LPCWSTR wszLogicalPath, LPCWSTR wszComponentName,
                                                 SdkBool bSucceded) noexcept override;
    HRESULT STDMETHODCALLTYPE SetBackupOptions(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath,
                                               LPCWSTR wszComponentName, LPCWSTR wszBackupOptions) noexcept override;
    HRESULT STDMETHODCALLTYPE SetSelectedForRestore(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath,
                                                    LPCWSTR wszComponentName, SdkBool bSelectedForRestore) noexcept override;
    HRESULT STDMETHODCALLTYPE SetRestoreOptions(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath,
                                                LPCWSTR wszComponentName, LPCWSTR wszRestoreOptions) noexcept override;
    HRESULT STDMETHODCALLTYPE SetAdditionalRestores(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath,
                                                    LPCWSTR wszComponentName, SdkBool bAdditionalRestores) noexcept override;
    HRESULT STDMETHODCALLTYPE SetPreviousBackupStamp(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath,
                                                     LPCWSTR wszComponentName,
                                                     LPCWSTR wszPreviousBackupStamp) noexcept override;
    HRESULT STDMETHODCALLTYPE SaveAsXML(BSTR *pbstrXML) noexcept override;
    HRESULT STDMETHODCALLTYPE BackupComplete(IVssAsync **ppAsync) noexcept override;
    HRESULT STDMETHODCALLTYPE AddAlternativeLocationMapping(VSS_ID writerId, VSS_COMPONENT_TYPE componentType,
                                                            LPCWSTR wszLogicalPath, LPCWSTR wszComponentName,
                                                            LPCWSTR wszPath, LPCWSTR wszFilespec, SdkBool bRecursive,
                                                            LPCWSTR wszDestination) noexcept override;
    HRESULT STDMETHODCALLTYPE AddRestoreSubcomponent(VSS_ID writerId, VSS_COMPONENT_TYPE componentType,
                                                     LPCWSTR wszLogicalPath, LPCWSTR wszComponentName,
                                                     LPCWSTR wszSubComponentLogicalPath, LPCWSTR wszSubComponentName,
                                                     SdkBool bRepair) noexcept override;
    HRESULT STDMETHODCALLTYPE SetFileRestoreStatus(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath,
                                                   LPCWSTR wszComponentName,
                                                   VSS_FILE_RESTORE_STATUS status) noexcept override;
    HRESULT STDMETHODCALLTYPE AddNewTarget(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath,
                                           LPCWSTR wszComponentName, LPCWSTR wszPath, LPCWSTR wszFileName,
                                           SdkBool bRecursive, LPCWSTR wszAlternatePath) noexcept override;
    HRESULT STDMETHODCALLTYPE SetRangesFilePath(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath,
                                                LPCWSTR wszComponentName, UINT iPartialFile,
                                                LPCWSTR wszRangesFile) noexcept override;
    HRESULT STDMETHODCALLTYPE PreRestore(IVssAsync **ppAsync) noexcept override;
    HRESULT STDMETHODCALLTYPE PostRestore(IVssAsync **ppAsync) noexcept override;
    HRESULT STDMETHODCALLTYPE SetContext(LONG lContext) noexcept override;
    HRESULT STDMETHODCALLTYPE StartSnapshotSet(VSS_ID *pSnapshotSetId) noexcept override;
    HRESULT STDMETHODCALLTYPE AddToSnapshotSet(VSS_PWSZ pwszVolumeName, VSS_ID ProviderId,
                                               VSS_ID *pidSnapshot) noexcept override;
    HRESULT STDMETHODCALLTYPE DoSnapshotSet(IVssAsync **ppAsync) noexcept override;
    HRESULT STDMETHODCALLTYPE DeleteSnapshots(VSS_ID SourceObjectId, VSS_OBJECT_TYPE eSourceObjectType,
                                              BOOL bForceDelete, LONG *plDeletedSnapshots,
                                              VSS_ID *pNondeletedSnapshotID) noexcept override;
    HRESULT STDMETHODCALLTYPE ImportSnapshots(IVssAsync **ppAsync) noexcept override;
    HRESULT STDMETHODCALLTYPE BreakSnapshotSet(VSS_ID SnapshotSetId) noexcept override;
    HRESULT STDMETHODCALLTYPE GetSnapshotProperties(VSS_ID SnapshotId, VSS_SNAPSHOT_PROP *pProp) noexcept override;
    HRESULT STDMETHODCALLTYPE Query(VSS_ID QueriedObjectId, VSS_OBJECT_TYPE eQueriedObjectType,
                                    VSS_OBJECT_TYPE eReturnedObjectsType, IVssEnumObject **ppEnum) noexcept override;
    HRESULT STDMETHODCALLTYPE IsVolumeSupported(VSS_ID ProviderId, VSS_PWSZ pwszVolumeName,
                                                BOOL *pbSupportedByThisProvider) noexcept override;
    HRESULT STDMETHODCALLTYPE DisableWriterClasses(const VSS_ID *rgWriterClassId, UINT cClassId) noexcept override;
    HRESULT STDMETHODCALLTYPE EnableWriterClasses(const VSS_ID *rgWriterClassId, UINT cClassId) noexcept override;
    HRESULT STDMETHODCALLTYPE DisableWriterInstances(const VSS_ID *rgWriterInstanceId, UINT cInstanceId) noexcept override;
    HRESULT STDMETHODCALLTYPE ExposeSnapshot(VSS_ID SnapshotId, VSS_PWSZ wszPathFromRoot, LONG lAttributes,
                                             VSS_PWSZ wszExpose, VSS_PWSZ *pwszExposed) noexcept override;
    HRESULT STDMETHODCALLTYPE RevertToSnapshot(VSS_ID SnapshotId, BOOL bForceDismount) noexcept override;
    HRESULT STDMETHODCALLTYPE QueryRevertStatus(VSS_PWSZ pwszVolume, IVssAsync **ppAsync) noexcept override;

    // IVssBackupComponentsEx
    HRESULT STDMETHODCALLTYPE GetWriterMetadataEx(UINT iWriter, VSS_ID *pidInstance,
                                                  IVssExamineWriterMetadataEx **ppMetadata) noexcept override;
    HRESULT STDMETHODCALLTYPE SetSelectedForRestoreEx(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath,
                                                      LPCWSTR wszComponentName, SdkBool bSelectedForRestore,
                                                      VSS_ID instanceId = GUID_NULL) noexcept override;

    // IVssBackupComponentsEx2
    HRESULT STDMETHODCALLTYPE UnexposeSnapshot(VSS_ID snapshotId) noexcept override;
    HRESULT STDMETHODCALLTYPE SetAuthoritativeRestore(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath,
                                                      LPCWSTR wszComponentName, SdkBool bAuth) noexcept override;
    HRESULT STDMETHODCALLTYPE SetRollForward(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath,
                                             LPCWSTR wszComponentName, VSS_ROLLFORWARD_TYPE rollType,
                                             LPCWSTR wszRollForwardPoint) noexcept override;
    HRESULT STDMETHODCALLTYPE SetRestoreName(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath,
                                             LPCWSTR wszComponentName, LPCWSTR wszRestoreName) noexcept override;
    HRESULT STDMETHODCALLTYPE BreakSnapshotSetEx(VSS_ID SnapshotSetID, DWORD dwBreakFlags,
                                                 IVssAsync **ppAsync) noexcept override;
    HRESULT STDMETHODCALLTYPE PreFastRecovery(VSS_ID SnapshotSetID, DWORD dwPreFastRecoveryFlags,
                                              IVssAsync **ppAsync) noexcept override;
    HRESULT STDMETHODCALLTYPE FastRecovery(VSS_ID SnapshotSetID, DWORD dwFastRecoveryFlags,
                                           IVssAsync **ppAsync) noexcept override;

    // IVssBackupComponentsEx3
    HRESULT STDMETHODCALLTYPE GetWriterStatusEx(UINT iWriter, VSS_ID *pidInstance, VSS_ID *pidWriter,
                                                BSTR *pbstrWriter, VSS_WRITER_STATE *pnStatus,
                                                HRESULT *phrFailureWriter, HRESULT *phrApplication = NULL,
                                                BSTR *pbstrApplicationMessage = NULL) noexcept override;
    HRESULT STDMETHODCALLTYPE AddSnapshotToRecoverySet(VSS_ID snapshotId, DWORD dwFlags,
                                                       VSS_PWSZ pwszDestinationVolume = NULL) noexcept override;
    HRESULT STDMETHODCALLTYPE RecoverSet(DWORD dwFlags, IVssAsync **ppAsync) noexcept override;
    HRESULT STDMETHODCALLTYPE GetSessionId(VSS_ID *idSession) noexcept override;

    // IVssBackupComponentsEx4
    HRESULT STDMETHODCALLTYPE GetRootAndLogicalPrefixPaths(VSS_PWSZ pwszFilePath, VSS_PWSZ *ppwszRootPath,
                                                           VSS_PWSZ *ppwszLogicalPrefix,
                                                           BOOL bNormalizeFQDNforRootPath = FALSE) noexcept override;

private:
    /// guarded() + attachCurrentThread() + the service lock for the whole call.
    template <class Body>
    HRESULT locked(const char *method, Body &&body) noexcept;
    /// A pure getter of the held status list. While the object holds one and no fault or observer
    /// asks for the call, it reads the list under the object's own lock: no service lock, no trace
    /// record. Anything else (M11, an injected fault, a requester under test) goes through locked().
    template <class Body>
    HRESULT readHeldStatus(const char *method, Body &&body) noexcept;
    /// The seven calls that start an operation: NULL check, start, hand out an IVssAsync.
    HRESULT startOperation(const char *method, IVssAsync **out, Result<AsyncPtr> (Session::*start)()) noexcept;
    HRESULT writerOverride(const VSS_ID &instanceId) const;
    template <class Apply>
    HRESULT updateRestoreComponent(const char *method, bool argumentsValid, const VSS_ID &writerId,
                                   const VSS_COMPONENT_TYPE &ct, LPCWSTR wszLogicalPath, LPCWSTR wszComponentName,
                                   const VSS_ID *instanceId, Apply &&apply) noexcept;
    HRESULT statusEntry(const char *method, UINT iWriter, VSS_ID *pidInstance, VSS_ID *pidWriter, BSTR *pbstrWriter,
                        VSS_WRITER_STATE *pnStatus, HRESULT *phrFailure, HRESULT *phrApplication,
                        BSTR *pbstrApplicationMessage);

    std::shared_ptr<Session> session_;
    bool operationStarted_ = false;  ///< set by startOperation: that call reports when the operation ends
};

} // namespace vsssim
