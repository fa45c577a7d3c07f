#pragma once
#ifndef _VSBACKUP_H_
#define _VSBACKUP_H_

#include "vswriter.h"

typedef struct _VSS_COMPONENTINFO {
    VSS_COMPONENT_TYPE type;
    BSTR bstrLogicalPath;
    BSTR bstrComponentName;
    BSTR bstrCaption;
    BYTE *pbIcon;
    UINT cbIcon;
    bool bRestoreMetadata;
    bool bNotifyOnBackupComplete;
    bool bSelectable;
    bool bSelectableForRestore;
    DWORD dwComponentFlags;
    UINT cFileCount;
    UINT cDatabases;
    UINT cLogFiles;
    UINT cDependencies;
} VSS_COMPONENTINFO;

typedef const VSS_COMPONENTINFO *PVSSCOMPONENTINFO;

class IVssWMComponent : public IUnknown {
public:
    virtual HRESULT STDMETHODCALLTYPE GetComponentInfo(PVSSCOMPONENTINFO *ppInfo) = 0;
    virtual HRESULT STDMETHODCALLTYPE FreeComponentInfo(PVSSCOMPONENTINFO pInfo) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetFile(UINT iFile, IVssWMFiledesc **ppFiledesc) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetDatabaseFile(UINT iDBFile, IVssWMFiledesc **ppFiledesc) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetDatabaseLogFile(UINT iDbLogFile, IVssWMFiledesc **ppFiledesc) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetDependency(UINT iDependency, IVssWMDependency **ppDependency) = 0;
};

class IVssExamineWriterMetadata : public IUnknown {
public:
    virtual HRESULT STDMETHODCALLTYPE GetIdentity(VSS_ID *pidInstance, VSS_ID *pidWriter, BSTR *pbstrWriterName,
                                                  VSS_USAGE_TYPE *pUsage, VSS_SOURCE_TYPE *pSource) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetFileCounts(UINT *pcIncludeFiles, UINT *pcExcludeFiles,
                                                    UINT *pcComponents) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetIncludeFile(UINT iFile, IVssWMFiledesc **ppFiledesc) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetExcludeFile(UINT iFile, IVssWMFiledesc **ppFiledesc) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetComponent(UINT iComponent, IVssWMComponent **ppComponent) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetRestoreMethod(VSS_RESTOREMETHOD_ENUM *pMethod, BSTR *pbstrService,
                                                       BSTR *pbstrUserProcedure, VSS_WRITERRESTORE_ENUM *pwriterRestore,
                                                       bool *pbRebootRequired, UINT *pcMappings) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetAlternateLocationMapping(UINT iMapping, IVssWMFiledesc **ppFiledesc) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetBackupSchema(DWORD *pdwSchemaMask) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetDocument(IXMLDOMDocument **pDoc) = 0;
    virtual HRESULT STDMETHODCALLTYPE SaveAsXML(BSTR *pbstrXML) = 0;
    virtual HRESULT STDMETHODCALLTYPE LoadFromXML(BSTR bstrXML) = 0;
};
inline constexpr IID IID_IVssExamineWriterMetadata = {
    0x902fcf7f, 0xb7fd, 0x42f8, {0x81, 0xf1, 0xb2, 0xe4, 0x00, 0xb1, 0xe5, 0xbd}};
VSSSIM_UUID_DECL(IVssExamineWriterMetadata, 0x902fcf7f, 0xb7fd, 0x42f8, 0x81, 0xf1, 0xb2, 0xe4, 0x00, 0xb1, 0xe5, 0xbd)

class IVssExamineWriterMetadataEx : public IVssExamineWriterMetadata {
public:
    virtual HRESULT STDMETHODCALLTYPE GetIdentityEx(VSS_ID *pidInstance, VSS_ID *pidWriter, BSTR *pbstrWriterName,
                                                    BSTR *pbstrInstanceName, VSS_USAGE_TYPE *pUsage,
                                                    VSS_SOURCE_TYPE *pSource) = 0;
};
inline constexpr IID IID_IVssExamineWriterMetadataEx = {
    0x0c0e5ec0, 0xca44, 0x472b, {0xb7, 0x02, 0xe6, 0x52, 0xdb, 0x1c, 0x04, 0x51}};
VSSSIM_UUID_DECL(IVssExamineWriterMetadataEx,
                 0x0c0e5ec0, 0xca44, 0x472b, 0xb7, 0x02, 0xe6, 0x52, 0xdb, 0x1c, 0x04, 0x51)

class IVssExamineWriterMetadataEx2 : public IVssExamineWriterMetadataEx {
public:
    virtual HRESULT STDMETHODCALLTYPE GetVersion(DWORD *pdwMajorVersion, DWORD *pdwMinorVersion) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetExcludeFromSnapshotCount(UINT *pcExcludedFromSnapshot) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetExcludeFromSnapshotFile(UINT iFile, IVssWMFiledesc **ppFiledesc) = 0;
};
inline constexpr IID IID_IVssExamineWriterMetadataEx2 = {
    0xce115780, 0xa611, 0x431b, {0xb5, 0x7f, 0xc3, 0x83, 0x03, 0xab, 0x6a, 0xee}};
VSSSIM_UUID_DECL(IVssExamineWriterMetadataEx2,
                 0xce115780, 0xa611, 0x431b, 0xb5, 0x7f, 0xc3, 0x83, 0x03, 0xab, 0x6a, 0xee)

class IVssWriterComponentsExt : public IVssWriterComponents, public IUnknown {
};

class IVssBackupComponents : public IUnknown {
public:
    virtual HRESULT STDMETHODCALLTYPE GetWriterComponentsCount(UINT *pcComponents) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetWriterComponents(UINT iWriter, IVssWriterComponentsExt **ppWriter) = 0;
    virtual HRESULT STDMETHODCALLTYPE InitializeForBackup(BSTR bstrXML = NULL) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetBackupState(bool bSelectComponents, bool bBackupBootableSystemState,
                                                     VSS_BACKUP_TYPE backupType, bool bPartialFileSupport = false) = 0;
    virtual HRESULT STDMETHODCALLTYPE InitializeForRestore(BSTR bstrXML) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetRestoreState(VSS_RESTORE_TYPE restoreType) = 0;
    virtual HRESULT STDMETHODCALLTYPE GatherWriterMetadata(IVssAsync **pAsync) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetWriterMetadataCount(UINT *pcWriters) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetWriterMetadata(UINT iWriter, VSS_ID *pidInstance,
                                                        IVssExamineWriterMetadata **ppMetadata) = 0;
    virtual HRESULT STDMETHODCALLTYPE FreeWriterMetadata() = 0;
    virtual HRESULT STDMETHODCALLTYPE AddComponent(VSS_ID instanceId, VSS_ID writerId, VSS_COMPONENT_TYPE ct,
                                                   LPCWSTR wszLogicalPath, LPCWSTR wszComponentName) = 0;
    virtual HRESULT STDMETHODCALLTYPE PrepareForBackup(IVssAsync **ppAsync) = 0;
    virtual HRESULT STDMETHODCALLTYPE AbortBackup() = 0;
    virtual HRESULT STDMETHODCALLTYPE GatherWriterStatus(IVssAsync **pAsync) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetWriterStatusCount(UINT *pcWriters) = 0;
    virtual HRESULT STDMETHODCALLTYPE FreeWriterStatus() = 0;
    virtual HRESULT STDMETHODCALLTYPE GetWriterStatus(UINT iWriter, VSS_ID *pidInstance, VSS_ID *pidWriter,
                                                      BSTR *pbstrWriter, VSS_WRITER_STATE *pnStatus,
                                                      HRESULT *phResultFailure) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetBackupSucceeded(VSS_ID instanceId, VSS_ID writerId, VSS_COMPONENT_TYPE ct,
                                                         LPCWSTR wszLogicalPath, LPCWSTR wszComponentName,
                                                         bool bSucceded) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetBackupOptions(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath,
                                                       LPCWSTR wszComponentName, LPCWSTR wszBackupOptions) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetSelectedForRestore(VSS_ID writerId, VSS_COMPONENT_TYPE ct,
                                                            LPCWSTR wszLogicalPath, LPCWSTR wszComponentName,
                                                            bool bSelectedForRestore) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetRestoreOptions(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath,
                                                        LPCWSTR wszComponentName, LPCWSTR wszRestoreOptions) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetAdditionalRestores(VSS_ID writerId, VSS_COMPONENT_TYPE ct,
                                                            LPCWSTR wszLogicalPath, LPCWSTR wszComponentName,
                                                            bool bAdditionalRestores) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetPreviousBackupStamp(VSS_ID writerId, VSS_COMPONENT_TYPE ct,
                                                             LPCWSTR wszLogicalPath, LPCWSTR wszComponentName,
                                                             LPCWSTR wszPreviousBackupStamp) = 0;
    virtual HRESULT STDMETHODCALLTYPE SaveAsXML(BSTR *pbstrXML) = 0;
    virtual HRESULT STDMETHODCALLTYPE BackupComplete(IVssAsync **ppAsync) = 0;
    virtual HRESULT STDMETHODCALLTYPE AddAlternativeLocationMapping(VSS_ID writerId, VSS_COMPONENT_TYPE componentType,
                                                                    LPCWSTR wszLogicalPath, LPCWSTR wszComponentName,
                                                                    LPCWSTR wszPath, LPCWSTR wszFilespec,
                                                                    bool bRecursive, LPCWSTR wszDestination) = 0;
    virtual HRESULT STDMETHODCALLTYPE AddRestoreSubcomponent(VSS_ID writerId, VSS_COMPONENT_TYPE componentType,
                                                             LPCWSTR wszLogicalPath, LPCWSTR wszComponentName,
                                                             LPCWSTR wszSubComponentLogicalPath,
                                                             LPCWSTR wszSubComponentName, bool bRepair) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetFileRestoreStatus(VSS_ID writerId, VSS_COMPONENT_TYPE ct,
                                                           LPCWSTR wszLogicalPath, LPCWSTR wszComponentName,
                                                           VSS_FILE_RESTORE_STATUS status) = 0;
    virtual HRESULT STDMETHODCALLTYPE AddNewTarget(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath,
                                                   LPCWSTR wszComponentName, LPCWSTR wszPath, LPCWSTR wszFileName,
                                                   bool bRecursive, LPCWSTR wszAlternatePath) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetRangesFilePath(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath,
                                                        LPCWSTR wszComponentName, UINT iPartialFile,
                                                        LPCWSTR wszRangesFile) = 0;
    virtual HRESULT STDMETHODCALLTYPE PreRestore(IVssAsync **ppAsync) = 0;
    virtual HRESULT STDMETHODCALLTYPE PostRestore(IVssAsync **ppAsync) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetContext(LONG lContext) = 0;
    virtual HRESULT STDMETHODCALLTYPE StartSnapshotSet(VSS_ID *pSnapshotSetId) = 0;
    virtual HRESULT STDMETHODCALLTYPE AddToSnapshotSet(VSS_PWSZ pwszVolumeName, VSS_ID ProviderId,
                                                       VSS_ID *pidSnapshot) = 0;
    virtual HRESULT STDMETHODCALLTYPE DoSnapshotSet(IVssAsync **ppAsync) = 0;
    virtual HRESULT STDMETHODCALLTYPE DeleteSnapshots(VSS_ID SourceObjectId, VSS_OBJECT_TYPE eSourceObjectType,
                                                      BOOL bForceDelete, LONG *plDeletedSnapshots,
                                                      VSS_ID *pNondeletedSnapshotID) = 0;
    virtual HRESULT STDMETHODCALLTYPE ImportSnapshots(IVssAsync **ppAsync) = 0;
    virtual HRESULT STDMETHODCALLTYPE BreakSnapshotSet(VSS_ID SnapshotSetId) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetSnapshotProperties(VSS_ID SnapshotId, VSS_SNAPSHOT_PROP *pProp) = 0;
    virtual HRESULT STDMETHODCALLTYPE Query(VSS_ID QueriedObjectId, VSS_OBJECT_TYPE eQueriedObjectType,
                                            VSS_OBJECT_TYPE eReturnedObjectsType, IVssEnumObject **ppEnum) = 0;
    virtual HRESULT STDMETHODCALLTYPE IsVolumeSupported(VSS_ID ProviderId, VSS_PWSZ pwszVolumeName,
                                                        BOOL *pbSupportedByThisProvider) = 0;
    virtual HRESULT STDMETHODCALLTYPE DisableWriterClasses(const VSS_ID *rgWriterClassId, UINT cClassId) = 0;
    virtual HRESULT STDMETHODCALLTYPE EnableWriterClasses(const VSS_ID *rgWriterClassId, UINT cClassId) = 0;
    virtual HRESULT STDMETHODCALLTYPE DisableWriterInstances(const VSS_ID *rgWriterInstanceId, UINT cInstanceId) = 0;
    virtual HRESULT STDMETHODCALLTYPE ExposeSnapshot(VSS_ID SnapshotId, VSS_PWSZ wszPathFromRoot, LONG lAttributes,
                                                     VSS_PWSZ wszExpose, VSS_PWSZ *pwszExposed) = 0;
    virtual HRESULT STDMETHODCALLTYPE RevertToSnapshot(VSS_ID SnapshotId, BOOL bForceDismount) = 0;
    virtual HRESULT STDMETHODCALLTYPE QueryRevertStatus(VSS_PWSZ pwszVolume, IVssAsync **ppAsync) = 0;
};
inline constexpr IID IID_IVssBackupComponents = {
    0x665c1d5f, 0xc218, 0x414d, {0xa0, 0x5d, 0x7f, 0xef, 0x5f, 0x9d, 0x5c, 0x86}};
VSSSIM_UUID_DECL(IVssBackupComponents, 0x665c1d5f, 0xc218, 0x414d, 0xa0, 0x5d, 0x7f, 0xef, 0x5f, 0x9d, 0x5c, 0x86)

class IVssBackupComponentsEx : public IVssBackupComponents {
public:
    virtual HRESULT STDMETHODCALLTYPE GetWriterMetadataEx(UINT iWriter, VSS_ID *pidInstance,
                                                          IVssExamineWriterMetadataEx **ppMetadata) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetSelectedForRestoreEx(VSS_ID writerId, VSS_COMPONENT_TYPE ct,
                                                              LPCWSTR wszLogicalPath, LPCWSTR wszComponentName,
                                                              bool bSelectedForRestore,
                                                              VSS_ID instanceId = GUID_NULL) = 0;
};
inline constexpr IID IID_IVssBackupComponentsEx = {
    0x963f03ad, 0x9e4c, 0x4a34, {0xac, 0x15, 0xe4, 0xb6, 0x17, 0x4e, 0x50, 0x36}};
VSSSIM_UUID_DECL(IVssBackupComponentsEx, 0x963f03ad, 0x9e4c, 0x4a34, 0xac, 0x15, 0xe4, 0xb6, 0x17, 0x4e, 0x50, 0x36)

class IVssBackupComponentsEx2 : public IVssBackupComponentsEx {
public:
    virtual HRESULT STDMETHODCALLTYPE UnexposeSnapshot(VSS_ID snapshotId) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetAuthoritativeRestore(VSS_ID writerId, VSS_COMPONENT_TYPE ct,
                                                              LPCWSTR wszLogicalPath, LPCWSTR wszComponentName,
                                                              bool bAuth) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetRollForward(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath,
                                                     LPCWSTR wszComponentName, VSS_ROLLFORWARD_TYPE rollType,
                                                     LPCWSTR wszRollForwardPoint) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetRestoreName(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath,
                                                     LPCWSTR wszComponentName, LPCWSTR wszRestoreName) = 0;
    virtual HRESULT STDMETHODCALLTYPE BreakSnapshotSetEx(VSS_ID SnapshotSetID, DWORD dwBreakFlags,
                                                         IVssAsync **ppAsync) = 0;
    virtual HRESULT STDMETHODCALLTYPE PreFastRecovery(VSS_ID SnapshotSetID, DWORD dwPreFastRecoveryFlags,
                                                      IVssAsync **ppAsync) = 0;
    virtual HRESULT STDMETHODCALLTYPE FastRecovery(VSS_ID SnapshotSetID, DWORD dwFastRecoveryFlags,
                                                   IVssAsync **ppAsync) = 0;
};
inline constexpr IID IID_IVssBackupComponentsEx2 = {
    0xacfe2b3a, 0x22c9, 0x4ef8, {0xbd, 0x03, 0x2f, 0x9c, 0xa2, 0x30, 0x08, 0x4e}};
VSSSIM_UUID_DECL(IVssBackupComponentsEx2, 0xacfe2b3a, 0x22c9, 0x4ef8, 0xbd, 0x03, 0x2f, 0x9c, 0xa2, 0x30, 0x08, 0x4e)

class IVssBackupComponentsEx3 : public IVssBackupComponentsEx2 {
public:
    virtual HRESULT STDMETHODCALLTYPE GetWriterStatusEx(UINT iWriter, VSS_ID *pidInstance, VSS_ID *pidWriter,
                                                        BSTR *pbstrWriter, VSS_WRITER_STATE *pnStatus,
                                                        HRESULT *phrFailureWriter, HRESULT *phrApplication = NULL,
                                                        BSTR *pbstrApplicationMessage = NULL) = 0;
    virtual HRESULT STDMETHODCALLTYPE AddSnapshotToRecoverySet(VSS_ID snapshotId, DWORD dwFlags,
                                                               VSS_PWSZ pwszDestinationVolume = NULL) = 0;
    virtual HRESULT STDMETHODCALLTYPE RecoverSet(DWORD dwFlags, IVssAsync **ppAsync) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetSessionId(VSS_ID *idSession) = 0;
};
inline constexpr IID IID_IVssBackupComponentsEx3 = {
    0xc191bfbc, 0xb602, 0x4675, {0x8b, 0xd1, 0x67, 0xd6, 0x42, 0xf5, 0x29, 0xd5}};
VSSSIM_UUID_DECL(IVssBackupComponentsEx3, 0xc191bfbc, 0xb602, 0x4675, 0x8b, 0xd1, 0x67, 0xd6, 0x42, 0xf5, 0x29, 0xd5)

class IVssBackupComponentsEx4 : public IVssBackupComponentsEx3 {
public:
    virtual HRESULT STDMETHODCALLTYPE GetRootAndLogicalPrefixPaths(VSS_PWSZ pwszFilePath, VSS_PWSZ *ppwszRootPath,
                                                                   VSS_PWSZ *ppwszLogicalPrefix,
                                                                   BOOL bNormalizeFQDNforRootPath = FALSE) = 0;
};
inline constexpr IID IID_IVssBackupComponentsEx4 = {
    0xf434c2fd, 0xb553, 0x4961, {0xa9, 0xf9, 0xa8, 0xe9, 0x0b, 0x67, 0x3e, 0x53}};
VSSSIM_UUID_DECL(IVssBackupComponentsEx4, 0xf434c2fd, 0xb553, 0x4961, 0xa9, 0xf9, 0xa8, 0xe9, 0x0b, 0x67, 0x3e, 0x53)

#ifndef VSS_SW_BOOTABLE_STATE
#define VSS_SW_BOOTABLE_STATE (1 << 0)
#endif

extern "C" {
VSSSIM_API HRESULT STDAPICALLTYPE CreateVssBackupComponentsInternal(IVssBackupComponents **ppBackup);
VSSSIM_API HRESULT STDAPICALLTYPE CreateVssExamineWriterMetadataInternal(BSTR bstrXML, IVssExamineWriterMetadata **ppMetadata);
VSSSIM_API HRESULT APIENTRY IsVolumeSnapshottedInternal(VSS_PWSZ pwszVolumeName, BOOL *pbSnapshotsPresent,
                                             LONG *plSnapshotCapability);
VSSSIM_API void APIENTRY VssFreeSnapshotPropertiesInternal(VSS_SNAPSHOT_PROP *pProp);
VSSSIM_API HRESULT APIENTRY GetProviderMgmtInterfaceInternal(VSS_ID ProviderId, IID InterfaceId, IUnknown **ppItf);
VSSSIM_API HRESULT APIENTRY ShouldBlockRevertInternal(LPCWSTR wszVolumeName, bool *pbBlock);
}

inline HRESULT CreateVssBackupComponents(IVssBackupComponents **ppBackup)
{
    return CreateVssBackupComponentsInternal(ppBackup);
}

inline HRESULT CreateVssExamineWriterMetadata(BSTR bstrXML, IVssExamineWriterMetadata **ppMetadata)
{
    return CreateVssExamineWriterMetadataInternal(bstrXML, ppMetadata);
}

inline HRESULT IsVolumeSnapshotted(VSS_PWSZ pwszVolumeName, BOOL *pbSnapshotsPresent, LONG *plSnapshotCapability)
{
    return IsVolumeSnapshottedInternal(pwszVolumeName, pbSnapshotsPresent, plSnapshotCapability);
}

inline void VssFreeSnapshotProperties(VSS_SNAPSHOT_PROP *pProp)
{
    VssFreeSnapshotPropertiesInternal(pProp);
}

inline HRESULT GetProviderMgmtInterface(VSS_ID ProviderId, IID InterfaceId, IUnknown **ppItf)
{
    return GetProviderMgmtInterfaceInternal(ProviderId, InterfaceId, ppItf);
}

inline HRESULT ShouldBlockRevert(LPCWSTR wszVolumeName, bool *pbBlock)
{
    return ShouldBlockRevertInternal(wszVolumeName, pbBlock);
}

#endif
