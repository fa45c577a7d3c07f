#pragma once
#ifndef __CVSS_WRITER_H_
#define __CVSS_WRITER_H_

#include "vss.h"

typedef enum VSS_USAGE_TYPE {
    VSS_UT_UNDEFINED = 0,
    VSS_UT_BOOTABLESYSTEMSTATE = 1,
    VSS_UT_SYSTEMSERVICE = 2,
    VSS_UT_USERDATA = 3,
    VSS_UT_OTHER = 4
} VSS_USAGE_TYPE;

typedef enum VSS_SOURCE_TYPE {
    VSS_ST_UNDEFINED = 0,
    VSS_ST_TRANSACTEDDB = 1,
    VSS_ST_NONTRANSACTEDDB = 2,
    VSS_ST_OTHER = 3
} VSS_SOURCE_TYPE;

typedef enum VSS_RESTOREMETHOD_ENUM {
    VSS_RME_UNDEFINED = 0,
    VSS_RME_RESTORE_IF_NOT_THERE = 1,
    VSS_RME_RESTORE_IF_CAN_REPLACE = 2,
    VSS_RME_STOP_RESTORE_START = 3,
    VSS_RME_RESTORE_TO_ALTERNATE_LOCATION = 4,
    VSS_RME_RESTORE_AT_REBOOT = 5,
    VSS_RME_RESTORE_AT_REBOOT_IF_CANNOT_REPLACE = 6,
    VSS_RME_CUSTOM = 7,
    VSS_RME_RESTORE_STOP_START = 8
} VSS_RESTOREMETHOD_ENUM;

typedef enum VSS_WRITERRESTORE_ENUM {
    VSS_WRE_UNDEFINED = 0,
    VSS_WRE_NEVER = 1,
    VSS_WRE_IF_REPLACE_FAILS = 2,
    VSS_WRE_ALWAYS = 3
} VSS_WRITERRESTORE_ENUM;

typedef enum VSS_COMPONENT_TYPE {
    VSS_CT_UNDEFINED = 0,
    VSS_CT_DATABASE = 1,
    VSS_CT_FILEGROUP = 2
} VSS_COMPONENT_TYPE;

typedef enum VSS_ALTERNATE_WRITER_STATE {
    VSS_AWS_UNDEFINED = 0,
    VSS_AWS_NO_ALTERNATE_WRITER = 1,
    VSS_AWS_ALTERNATE_WRITER_EXISTS = 2,
    VSS_AWS_THIS_IS_ALTERNATE_WRITER = 3
} VSS_ALTERNATE_WRITER_STATE;

typedef enum VSS_SUBSCRIBE_MASK {
    VSS_SM_POST_SNAPSHOT_FLAG = 0x00000001,
    VSS_SM_BACKUP_EVENTS_FLAG = 0x00000002,
    VSS_SM_RESTORE_EVENTS_FLAG = 0x00000004,
    VSS_SM_IO_THROTTLING_FLAG = 0x00000008,
    VSS_SM_ALL_FLAGS = 0xFFFFFFFF
} VSS_SUBSCRIBE_MASK;

typedef enum VSS_RESTORE_TARGET {
    VSS_RT_UNDEFINED = 0,
    VSS_RT_ORIGINAL = 1,
    VSS_RT_ALTERNATE = 2,
    VSS_RT_DIRECTED = 3,
    VSS_RT_ORIGINAL_LOCATION = 4
} VSS_RESTORE_TARGET;

typedef enum VSS_FILE_RESTORE_STATUS {
    VSS_RS_UNDEFINED = 0,
    VSS_RS_NONE = 1,
    VSS_RS_ALL = 2,
    VSS_RS_FAILED = 3
} VSS_FILE_RESTORE_STATUS;

typedef enum VSS_COMPONENT_FLAGS {
    VSS_CF_BACKUP_RECOVERY = 0x00000001,
    VSS_CF_APP_ROLLBACK_RECOVERY = 0x00000002,
    VSS_CF_NOT_SYSTEM_STATE = 0x00000004
} VSS_COMPONENT_FLAGS;

static_assert(sizeof(VSS_USAGE_TYPE) == 4, "enum size");
static_assert(sizeof(VSS_SOURCE_TYPE) == 4, "enum size");
static_assert(sizeof(VSS_RESTOREMETHOD_ENUM) == 4, "enum size");
static_assert(sizeof(VSS_WRITERRESTORE_ENUM) == 4, "enum size");
static_assert(sizeof(VSS_COMPONENT_TYPE) == 4, "enum size");
static_assert(sizeof(VSS_ALTERNATE_WRITER_STATE) == 4, "enum size");
static_assert(sizeof(VSS_SUBSCRIBE_MASK) == 4, "enum size");
static_assert(sizeof(VSS_RESTORE_TARGET) == 4, "enum size");
static_assert(sizeof(VSS_FILE_RESTORE_STATUS) == 4, "enum size");
static_assert(sizeof(VSS_COMPONENT_FLAGS) == 4, "enum size");

struct IXMLDOMDocument;
class IVssExamineWriterMetadata;

class IVssWMFiledesc : public IUnknown {
public:
    virtual HRESULT STDMETHODCALLTYPE GetPath(BSTR *pbstrPath) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetFilespec(BSTR *pbstrFilespec) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetRecursive(bool *pbRecursive) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetAlternateLocation(BSTR *pbstrAlternateLocation) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetBackupTypeMask(DWORD *pdwTypeMask) = 0;
};

class IVssWMDependency : public IUnknown {
public:
    virtual HRESULT STDMETHODCALLTYPE GetWriterId(VSS_ID *pWriterId) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetLogicalPath(BSTR *pbstrLogicalPath) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetComponentName(BSTR *pbstrComponentName) = 0;
};

class IVssComponent : public IUnknown {
public:
    virtual HRESULT STDMETHODCALLTYPE GetLogicalPath(BSTR *pbstrPath) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetComponentType(VSS_COMPONENT_TYPE *pct) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetComponentName(BSTR *pbstrName) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetBackupSucceeded(bool *pbSucceeded) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetAlternateLocationMappingCount(UINT *pcMappings) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetAlternateLocationMapping(UINT iMapping, IVssWMFiledesc **ppFiledesc) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetBackupMetadata(LPCWSTR wszData) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetBackupMetadata(BSTR *pbstrData) = 0;
    virtual HRESULT STDMETHODCALLTYPE AddPartialFile(LPCWSTR wszPath, LPCWSTR wszFilename, LPCWSTR wszRanges,
                                                     LPCWSTR wszMetadata) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetPartialFileCount(UINT *pcPartialFiles) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetPartialFile(UINT iPartialFile, BSTR *pbstrPath, BSTR *pbstrFilename,
                                                     BSTR *pbstrRange, BSTR *pbstrMetadata) = 0;
    virtual HRESULT STDMETHODCALLTYPE IsSelectedForRestore(bool *pbSelectedForRestore) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetAdditionalRestores(bool *pbAdditionalRestores) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetNewTargetCount(UINT *pcNewTarget) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetNewTarget(UINT iNewTarget, IVssWMFiledesc **ppFiledesc) = 0;
    virtual HRESULT STDMETHODCALLTYPE AddDirectedTarget(LPCWSTR wszSourcePath, LPCWSTR wszSourceFilename,
                                                        LPCWSTR wszSourceRangeList, LPCWSTR wszDestinationPath,
                                                        LPCWSTR wszDestinationFilename,
                                                        LPCWSTR wszDestinationRangeList) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetDirectedTargetCount(UINT *pcDirectedTarget) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetDirectedTarget(UINT iDirectedTarget, BSTR *pbstrSourcePath,
                                                        BSTR *pbstrSourceFileName, BSTR *pbstrSourceRangeList,
                                                        BSTR *pbstrDestinationPath, BSTR *pbstrDestinationFilename,
                                                        BSTR *pbstrDestinationRangeList) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetRestoreMetadata(LPCWSTR wszRestoreMetadata) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetRestoreMetadata(BSTR *pbstrRestoreMetadata) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetRestoreTarget(VSS_RESTORE_TARGET target) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetRestoreTarget(VSS_RESTORE_TARGET *pTarget) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetPreRestoreFailureMsg(LPCWSTR wszPreRestoreFailureMsg) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetPreRestoreFailureMsg(BSTR *pbstrPreRestoreFailureMsg) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetPostRestoreFailureMsg(LPCWSTR wszPostRestoreFailureMsg) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetPostRestoreFailureMsg(BSTR *pbstrPostRestoreFailureMsg) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetBackupStamp(LPCWSTR wszBackupStamp) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetBackupStamp(BSTR *pbstrBackupStamp) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetPreviousBackupStamp(BSTR *pbstrBackupStamp) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetBackupOptions(BSTR *pbstrBackupOptions) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetRestoreOptions(BSTR *pbstrRestoreOptions) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetRestoreSubcomponentCount(UINT *pcRestoreSubcomponent) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetRestoreSubcomponent(UINT iComponent, BSTR *pbstrLogicalPath,
                                                             BSTR *pbstrComponentName, bool *pbRepair) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetFileRestoreStatus(VSS_FILE_RESTORE_STATUS *pStatus) = 0;
    virtual HRESULT STDMETHODCALLTYPE AddDifferencedFilesByLastModifyTime(LPCWSTR wszPath, LPCWSTR wszFilespec,
                                                                          BOOL bRecursive,
                                                                          FILETIME ftLastModifyTime) = 0;
    virtual HRESULT STDMETHODCALLTYPE AddDifferencedFilesByLastModifyLSN(LPCWSTR wszPath, LPCWSTR wszFilespec,
                                                                         BOOL bRecursive, BSTR bstrLsnString) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetDifferencedFilesCount(UINT *pcDifferencedFiles) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetDifferencedFile(UINT iDifferencedFile, BSTR *pbstrPath, BSTR *pbstrFilespec,
                                                         BOOL *pbRecursive, BSTR *pbstrLsnString,
                                                         FILETIME *pftLastModifyTime) = 0;
};
inline constexpr IID IID_IVssComponent = {0xd2c72c96, 0xc121, 0x4518, {0xb6, 0x27, 0xe5, 0xa9, 0x3d, 0x01, 0x0e, 0xad}};
VSSSIM_UUID_DECL(IVssComponent, 0xd2c72c96, 0xc121, 0x4518, 0xb6, 0x27, 0xe5, 0xa9, 0x3d, 0x01, 0x0e, 0xad)

class IVssWriterComponents {
public:
    virtual HRESULT STDMETHODCALLTYPE GetComponentCount(UINT *pcComponents) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetWriterInfo(VSS_ID *pidInstance, VSS_ID *pidWriter) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetComponent(UINT iComponent, IVssComponent **ppComponent) = 0;
};

class IVssComponentEx : public IVssComponent {
public:
    virtual HRESULT STDMETHODCALLTYPE SetPrepareForBackupFailureMsg(LPCWSTR wszFailureMsg) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetPostSnapshotFailureMsg(LPCWSTR wszFailureMsg) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetPrepareForBackupFailureMsg(BSTR *pbstrFailureMsg) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetPostSnapshotFailureMsg(BSTR *pbstrFailureMsg) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetAuthoritativeRestore(bool *pbAuth) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetRollForward(VSS_ROLLFORWARD_TYPE *pRollType, BSTR *pbstrPoint) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetRestoreName(BSTR *pbstrName) = 0;
};
inline constexpr IID IID_IVssComponentEx = {
    0x156c8b5e, 0xf131, 0x4bd7, {0x9c, 0x97, 0xd1, 0x92, 0x3b, 0xe7, 0xe1, 0xfa}};
VSSSIM_UUID_DECL(IVssComponentEx, 0x156c8b5e, 0xf131, 0x4bd7, 0x9c, 0x97, 0xd1, 0x92, 0x3b, 0xe7, 0xe1, 0xfa)

class IVssComponentEx2 : public IVssComponentEx {
public:
    virtual HRESULT STDMETHODCALLTYPE SetFailure(HRESULT hr, HRESULT hrApplication, LPCWSTR wszApplicationMessage,
                                                 DWORD dwReserved) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetFailure(HRESULT *phr, HRESULT *phrApplication,
                                                 BSTR *pbstrApplicationMessage, DWORD *pdwReserved) = 0;
};
inline constexpr IID IID_IVssComponentEx2 = {
    0x3b5be0f2, 0x07a9, 0x4e4b, {0xbd, 0xd3, 0xcf, 0xdc, 0x8e, 0x2c, 0x0d, 0x2d}};
VSSSIM_UUID_DECL(IVssComponentEx2, 0x3b5be0f2, 0x07a9, 0x4e4b, 0xbd, 0xd3, 0xcf, 0xdc, 0x8e, 0x2c, 0x0d, 0x2d)

class IVssCreateWriterMetadata {
public:
    virtual HRESULT STDMETHODCALLTYPE AddIncludeFiles(LPCWSTR wszPath, LPCWSTR wszFilespec, bool bRecursive,
                                                      LPCWSTR wszAlternateLocation) = 0;
    virtual HRESULT STDMETHODCALLTYPE AddExcludeFiles(LPCWSTR wszPath, LPCWSTR wszFilespec, bool bRecursive) = 0;
    virtual HRESULT STDMETHODCALLTYPE AddComponent(VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath,
                                                   LPCWSTR wszComponentName, LPCWSTR wszCaption,
                                                   const BYTE *pbIcon, UINT cbIcon, bool bRestoreMetadata,
                                                   bool bNotifyOnBackupComplete, bool bSelectable,
                                                   bool bSelectableForRestore = false,
                                                   DWORD dwComponentFlags = 0) = 0;
    virtual HRESULT STDMETHODCALLTYPE AddDatabaseFiles(LPCWSTR wszLogicalPath, LPCWSTR wszDatabaseName,
                                                       LPCWSTR wszPath, LPCWSTR wszFilespec,
        DWORD dwBackupTypeMask = (VSS_FSBT_ALL_BACKUP_REQUIRED | VSS_FSBT_ALL_SNAPSHOT_REQUIRED)) = 0;
    virtual HRESULT STDMETHODCALLTYPE AddDatabaseLogFiles(LPCWSTR wszLogicalPath, LPCWSTR wszDatabaseName,
                                                          LPCWSTR wszPath, LPCWSTR wszFilespec,
        DWORD dwBackupTypeMask = (VSS_FSBT_ALL_BACKUP_REQUIRED | VSS_FSBT_ALL_SNAPSHOT_REQUIRED)) = 0;
    virtual HRESULT STDMETHODCALLTYPE AddFilesToFileGroup(LPCWSTR wszLogicalPath, LPCWSTR wszGroupName,
                                                          LPCWSTR wszPath, LPCWSTR wszFilespec, bool bRecursive,
                                                          LPCWSTR wszAlternateLocation,
        DWORD dwBackupTypeMask = (VSS_FSBT_ALL_BACKUP_REQUIRED | VSS_FSBT_ALL_SNAPSHOT_REQUIRED)) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetRestoreMethod(VSS_RESTOREMETHOD_ENUM method, LPCWSTR wszService,
                                                       LPCWSTR wszUserProcedure, VSS_WRITERRESTORE_ENUM writerRestore,
                                                       bool bRebootRequired) = 0;
    virtual HRESULT STDMETHODCALLTYPE AddAlternateLocationMapping(LPCWSTR wszSourcePath, LPCWSTR wszSourceFilespec,
                                                                  bool bRecursive, LPCWSTR wszDestination) = 0;
    virtual HRESULT STDMETHODCALLTYPE AddComponentDependency(LPCWSTR wszForLogicalPath, LPCWSTR wszForComponentName,
                                                             VSS_ID onWriterId, LPCWSTR wszOnLogicalPath,
                                                             LPCWSTR wszOnComponentName) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetBackupSchema(DWORD dwSchemaMask) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetDocument(IXMLDOMDocument **pDoc) = 0;
    virtual HRESULT STDMETHODCALLTYPE SaveAsXML(BSTR *pbstrXML) = 0;
};

class IVssCreateWriterMetadataEx : public IVssCreateWriterMetadata, public IUnknown {
public:
    virtual HRESULT STDMETHODCALLTYPE AddExcludeFilesFromSnapshot(LPCWSTR wszPath, LPCWSTR wszFilespec,
                                                                  bool bRecursive) = 0;
};
inline constexpr IID IID_IVssCreateWriterMetadataEx = {
    0x9f21981d, 0xd469, 0x4349, {0xb8, 0x07, 0x39, 0xe6, 0x4e, 0x46, 0x74, 0xe1}};
VSSSIM_UUID_DECL(IVssCreateWriterMetadataEx, 0x9f21981d, 0xd469, 0x4349, 0xb8, 0x07, 0x39, 0xe6, 0x4e, 0x46, 0x74, 0xe1)

class IVssWriterImpl : public IUnknown {
public:
    virtual HRESULT Initialize(VSS_ID writerId, LPCWSTR wszWriterName, LPCWSTR wszWriterInstanceName,
                               DWORD dwMajorVersion, DWORD dwMinorVersion, VSS_USAGE_TYPE ut, VSS_SOURCE_TYPE st,
                               VSS_APPLICATION_LEVEL nLevel, DWORD dwTimeout, VSS_ALTERNATE_WRITER_STATE aws,
                               bool bIOThrottlingOnly) = 0;
    virtual HRESULT Subscribe(DWORD dwSubscribeTimeout, DWORD dwEventFlags) = 0;
    virtual HRESULT Unsubscribe() = 0;
    virtual void Uninitialize() = 0;
    virtual LPCWSTR *GetCurrentVolumeArray() const = 0;
    virtual UINT GetCurrentVolumeCount() const = 0;
    virtual HRESULT GetSnapshotDeviceName(LPCWSTR wszOriginalVolume, LPCWSTR *ppwszSnapshotDevice) const = 0;
    virtual VSS_ID GetCurrentSnapshotSetId() const = 0;
    virtual LONG GetContext() const = 0;
    virtual VSS_APPLICATION_LEVEL GetCurrentLevel() const = 0;
    virtual bool IsPathAffected(LPCWSTR wszPath) const = 0;
    virtual bool IsBootableSystemStateBackedUp() const = 0;
    virtual bool AreComponentsSelected() const = 0;
    virtual VSS_BACKUP_TYPE GetBackupType() const = 0;
    virtual VSS_RESTORE_TYPE GetRestoreType() const = 0;
    virtual HRESULT SetWriterFailure(HRESULT hr) = 0;
    virtual bool IsPartialFileSupportEnabled() const = 0;
    virtual HRESULT InstallAlternateWriter(VSS_ID idWriter, CLSID clsid) = 0;
    virtual IVssExamineWriterMetadata *GetIdentityInformation() const = 0;
    virtual HRESULT SetWriterFailureEx(HRESULT hr, HRESULT hrApplication, LPCWSTR wszApplicationMessage) = 0;
    virtual HRESULT GetSessionId(VSS_ID *idSession) = 0;
    virtual bool IsWriterShuttingDown() = 0;
};

class IVssCreateExpressWriterMetadata : public IUnknown {
public:
    virtual HRESULT STDMETHODCALLTYPE AddExcludeFiles(LPCWSTR wszPath, LPCWSTR wszFilespec, bool bRecursive) = 0;
    virtual HRESULT STDMETHODCALLTYPE AddComponent(VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath,
                                                   LPCWSTR wszComponentName, LPCWSTR wszCaption,
                                                   const BYTE *pbIcon, UINT cbIcon, bool bRestoreMetadata,
                                                   bool bNotifyOnBackupComplete, bool bSelectable,
                                                   bool bSelectableForRestore = false,
                                                   DWORD dwComponentFlags = 0) = 0;
    virtual HRESULT STDMETHODCALLTYPE AddFilesToFileGroup(LPCWSTR wszLogicalPath, LPCWSTR wszGroupName,
                                                          LPCWSTR wszPath, LPCWSTR wszFilespec, bool bRecursive,
                                                          LPCWSTR wszAlternateLocation,
        DWORD dwBackupTypeMask = (VSS_FSBT_ALL_BACKUP_REQUIRED | VSS_FSBT_ALL_SNAPSHOT_REQUIRED)) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetRestoreMethod(VSS_RESTOREMETHOD_ENUM method, LPCWSTR wszService,
                                                       LPCWSTR wszUserProcedure, VSS_WRITERRESTORE_ENUM writerRestore,
                                                       bool bRebootRequired) = 0;
    virtual HRESULT STDMETHODCALLTYPE AddComponentDependency(LPCWSTR wszForLogicalPath, LPCWSTR wszForComponentName,
                                                             VSS_ID onWriterId, LPCWSTR wszOnLogicalPath,
                                                             LPCWSTR wszOnComponentName) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetBackupSchema(DWORD dwSchemaMask) = 0;
    virtual HRESULT STDMETHODCALLTYPE SaveAsXML(BSTR *pbstrXML) = 0;
};
inline constexpr IID IID_IVssCreateExpressWriterMetadata = {
    0x9c772e77, 0xb26e, 0x427f, {0x92, 0xdd, 0xc9, 0x96, 0xf4, 0x1e, 0xa5, 0xe3}};
VSSSIM_UUID_DECL(IVssCreateExpressWriterMetadata,
                 0x9c772e77, 0xb26e, 0x427f, 0x92, 0xdd, 0xc9, 0x96, 0xf4, 0x1e, 0xa5, 0xe3)

class IVssExpressWriter : public IUnknown {
public:
    virtual HRESULT STDMETHODCALLTYPE CreateMetadata(VSS_ID writerId, LPCWSTR writerName, VSS_USAGE_TYPE usageType,
                                                     DWORD versionMajor, DWORD versionMinor, DWORD reserved,
                                                     IVssCreateExpressWriterMetadata **ppMetadata) = 0;
    virtual HRESULT STDMETHODCALLTYPE LoadMetadata(LPCWSTR metadata, DWORD reserved) = 0;
    virtual HRESULT STDMETHODCALLTYPE Register() = 0;
    virtual HRESULT STDMETHODCALLTYPE Unregister(VSS_ID writerId) = 0;
};
inline constexpr IID IID_IVssExpressWriter = {
    0xe33affdc, 0x59c7, 0x47b1, {0x97, 0xd5, 0x42, 0x66, 0x59, 0x8f, 0x62, 0x35}};
VSSSIM_UUID_DECL(IVssExpressWriter, 0xe33affdc, 0x59c7, 0x47b1, 0x97, 0xd5, 0x42, 0x66, 0x59, 0x8f, 0x62, 0x35)

class CVssWriter;

extern "C" VSSSIM_API HRESULT STDAPICALLTYPE CreateWriter(CVssWriter *pWriter, IVssWriterImpl **pWriterImpl);

class CVssWriter {
public:
    STDMETHODCALLTYPE CVssWriter() : m_pWriterImpl(NULL) {}

    virtual STDMETHODCALLTYPE ~CVssWriter()
    {
        if (m_pWriterImpl != NULL) {
            m_pWriterImpl->Uninitialize();
            m_pWriterImpl->Release();
            m_pWriterImpl = NULL;
        }
    }

    HRESULT STDMETHODCALLTYPE Initialize(VSS_ID WriterId, LPCWSTR wszWriterName, VSS_USAGE_TYPE ut,
                                         VSS_SOURCE_TYPE st, VSS_APPLICATION_LEVEL nLevel = VSS_APP_FRONT_END,
                                         DWORD dwTimeoutFreeze = 60000,
                                         VSS_ALTERNATE_WRITER_STATE aws = VSS_AWS_NO_ALTERNATE_WRITER,
                                         bool bIOThrottlingOnly = false, LPCWSTR wszWriterInstanceName = NULL)
    {
        if (m_pWriterImpl != NULL)
            return E_FAIL;

        HRESULT hr = CreateWriter(this, &m_pWriterImpl);
        if (FAILED(hr))
            return hr;

        hr = m_pWriterImpl->Initialize(WriterId, wszWriterName, wszWriterInstanceName, 0, 0, ut, st, nLevel,
                                       dwTimeoutFreeze, aws, bIOThrottlingOnly);
        if (FAILED(hr)) {
            m_pWriterImpl->Release();
            m_pWriterImpl = NULL;
        }
        return hr;
    }

    HRESULT STDMETHODCALLTYPE Subscribe(DWORD dwEventFlags = VSS_SM_BACKUP_EVENTS_FLAG | VSS_SM_RESTORE_EVENTS_FLAG)
    {
        if (m_pWriterImpl == NULL)
            return E_FAIL;
        return m_pWriterImpl->Subscribe(0, dwEventFlags);
    }

    HRESULT STDMETHODCALLTYPE Unsubscribe()
    {
        if (m_pWriterImpl == NULL)
            return E_FAIL;
        m_pWriterImpl->Unsubscribe();
        return S_OK;
    }

    HRESULT STDMETHODCALLTYPE InstallAlternateWriter(VSS_ID writerId, CLSID persistentWriterClassId)
    {
        if (m_pWriterImpl == NULL)
            return E_FAIL;
        return m_pWriterImpl->InstallAlternateWriter(writerId, persistentWriterClassId);
    }

protected:
    LPCWSTR *STDMETHODCALLTYPE GetCurrentVolumeArray() const
    {
        if (m_pWriterImpl == NULL)
            return NULL;
        return m_pWriterImpl->GetCurrentVolumeArray();
    }

    UINT STDMETHODCALLTYPE GetCurrentVolumeCount() const
    {
        if (m_pWriterImpl == NULL)
            return 0;
        return m_pWriterImpl->GetCurrentVolumeCount();
    }

    HRESULT STDMETHODCALLTYPE GetSnapshotDeviceName(LPCWSTR wszOriginalVolume, LPCWSTR *ppwszSnapshotDevice) const
    {
        if (m_pWriterImpl == NULL)
            return E_FAIL;
        return m_pWriterImpl->GetSnapshotDeviceName(wszOriginalVolume, ppwszSnapshotDevice);
    }

    VSS_ID STDMETHODCALLTYPE GetCurrentSnapshotSetId() const
    {
        if (m_pWriterImpl == NULL)
            return GUID_NULL;
        return m_pWriterImpl->GetCurrentSnapshotSetId();
    }

    LONG STDMETHODCALLTYPE GetContext() const
    {
        if (m_pWriterImpl == NULL)
            return 0;
        return m_pWriterImpl->GetContext();
    }

    VSS_APPLICATION_LEVEL STDMETHODCALLTYPE GetCurrentLevel() const
    {
        if (m_pWriterImpl == NULL)
            return VSS_APP_AUTO;
        return m_pWriterImpl->GetCurrentLevel();
    }

    bool STDMETHODCALLTYPE IsPathAffected(LPCWSTR wszPath) const
    {
        if (m_pWriterImpl == NULL)
            return false;
        return m_pWriterImpl->IsPathAffected(wszPath);
    }

    bool STDMETHODCALLTYPE IsBootableSystemStateBackedUp() const
    {
        if (m_pWriterImpl == NULL)
            return false;
        return m_pWriterImpl->IsBootableSystemStateBackedUp();
    }

    bool STDMETHODCALLTYPE AreComponentsSelected() const
    {
        if (m_pWriterImpl == NULL)
            return false;
        return m_pWriterImpl->AreComponentsSelected();
    }

    VSS_BACKUP_TYPE STDMETHODCALLTYPE GetBackupType() const
    {
        if (m_pWriterImpl == NULL)
            return VSS_BT_UNDEFINED;
        return m_pWriterImpl->GetBackupType();
    }

    VSS_RESTORE_TYPE STDMETHODCALLTYPE GetRestoreType() const
    {
        if (m_pWriterImpl == NULL)
            return VSS_RTYPE_UNDEFINED;
        return m_pWriterImpl->GetRestoreType();
    }

    bool STDMETHODCALLTYPE IsPartialFileSupportEnabled() const
    {
        if (m_pWriterImpl == NULL)
            return false;
        return m_pWriterImpl->IsPartialFileSupportEnabled();
    }

    HRESULT STDMETHODCALLTYPE SetWriterFailure(HRESULT hr)
    {
        if (m_pWriterImpl == NULL)
            return E_FAIL;
        return m_pWriterImpl->SetWriterFailure(hr);
    }

public:
    virtual bool STDMETHODCALLTYPE OnIdentify(IVssCreateWriterMetadata *pMetadata)
    {
        (void)pMetadata;
        return true;
    }

    virtual bool STDMETHODCALLTYPE OnPrepareBackup(IVssWriterComponents *pComponent)
    {
        (void)pComponent;
        return true;
    }

    virtual bool STDMETHODCALLTYPE OnPrepareSnapshot() = 0;

    virtual bool STDMETHODCALLTYPE OnFreeze() = 0;

    virtual bool STDMETHODCALLTYPE OnThaw() = 0;

    virtual bool STDMETHODCALLTYPE OnAbort() = 0;

    virtual bool STDMETHODCALLTYPE OnBackupComplete(IVssWriterComponents *pComponent)
    {
        (void)pComponent;
        return true;
    }

    virtual bool STDMETHODCALLTYPE OnBackupShutdown(VSS_ID SnapshotSetId)
    {
        (void)SnapshotSetId;
        return true;
    }

    virtual bool STDMETHODCALLTYPE OnPreRestore(IVssWriterComponents *pComponent)
    {
        (void)pComponent;
        return true;
    }

    virtual bool STDMETHODCALLTYPE OnPostRestore(IVssWriterComponents *pComponent)
    {
        (void)pComponent;
        return true;
    }

    virtual bool STDMETHODCALLTYPE OnPostSnapshot(IVssWriterComponents *pComponent)
    {
        (void)pComponent;
        return true;
    }

    virtual bool STDMETHODCALLTYPE OnBackOffIOOnVolume(VSS_PWSZ wszVolumeName, VSS_ID snapshotId, VSS_ID providerId)
    {
        (void)wszVolumeName;
        (void)snapshotId;
        (void)providerId;
        return true;
    }

    virtual bool STDMETHODCALLTYPE OnContinueIOOnVolume(VSS_PWSZ wszVolumeName, VSS_ID snapshotId, VSS_ID providerId)
    {
        (void)wszVolumeName;
        (void)snapshotId;
        (void)providerId;
        return true;
    }

    virtual bool STDMETHODCALLTYPE OnVSSShutdown() { return true; }

    virtual bool STDMETHODCALLTYPE OnVSSApplicationStartup() { return true; }

protected:
    IVssWriterImpl *m_pWriterImpl;
};

class CVssWriterEx;

extern "C" VSSSIM_API HRESULT STDMETHODCALLTYPE CreateWriterEx(CVssWriterEx *pWriter, IVssWriterImpl **pWriterImpl);

class CVssWriterEx : public CVssWriter {
public:
    HRESULT STDMETHODCALLTYPE Initialize(VSS_ID WriterId, LPCWSTR wszWriterName, VSS_USAGE_TYPE ut,
                                         VSS_SOURCE_TYPE st, VSS_APPLICATION_LEVEL nLevel = VSS_APP_FRONT_END,
                                         DWORD dwTimeoutFreeze = 60000,
                                         VSS_ALTERNATE_WRITER_STATE aws = VSS_AWS_NO_ALTERNATE_WRITER,
                                         bool bIOThrottlingOnly = false, LPCWSTR wszWriterInstanceName = NULL)
    {
        if (m_pWriterImpl != NULL)
            return E_FAIL;

        HRESULT hr = CreateWriterEx(this, &m_pWriterImpl);
        if (FAILED(hr))
            return hr;

        hr = m_pWriterImpl->Initialize(WriterId, wszWriterName, wszWriterInstanceName, 0, 0, ut, st, nLevel,
                                       dwTimeoutFreeze, aws, bIOThrottlingOnly);
        if (FAILED(hr)) {
            m_pWriterImpl->Release();
            m_pWriterImpl = NULL;
        }
        return hr;
    }

    HRESULT STDMETHODCALLTYPE InitializeEx(VSS_ID WriterId, LPCWSTR wszWriterName, DWORD dwMajorVersion,
                                           DWORD dwMinorVersion, VSS_USAGE_TYPE ut, VSS_SOURCE_TYPE st,
                                           VSS_APPLICATION_LEVEL nLevel = VSS_APP_FRONT_END,
                                           DWORD dwTimeoutFreeze = 60000,
                                           VSS_ALTERNATE_WRITER_STATE aws = VSS_AWS_NO_ALTERNATE_WRITER,
                                           bool bIOThrottlingOnly = false, LPCWSTR wszWriterInstanceName = NULL)
    {
        if (m_pWriterImpl != NULL)
            return E_FAIL;

        HRESULT hr = CreateWriterEx(this, &m_pWriterImpl);
        if (FAILED(hr))
            return hr;

        hr = m_pWriterImpl->Initialize(WriterId, wszWriterName, wszWriterInstanceName, dwMajorVersion,
                                       dwMinorVersion, ut, st, nLevel, dwTimeoutFreeze, aws, bIOThrottlingOnly);
        if (FAILED(hr)) {
            m_pWriterImpl->Release();
            m_pWriterImpl = NULL;
        }
        return hr;
    }

    virtual bool STDMETHODCALLTYPE OnIdentify(IVssCreateWriterMetadata *pMetadata) override
    {
        (void)pMetadata;
        return false;
    }

    virtual bool STDMETHODCALLTYPE OnIdentifyEx(IVssCreateWriterMetadataEx *pMetadata)
    {
        (void)pMetadata;
        return false;
    }

protected:
    HRESULT GetIdentifyInformation(IVssExamineWriterMetadata **ppMetadata)
    {
        if (m_pWriterImpl == NULL)
            return E_FAIL;
        *ppMetadata = m_pWriterImpl->GetIdentityInformation();
        return S_OK;
    }

    HRESULT STDMETHODCALLTYPE SubscribeEx(DWORD dwUnsubscribeTimeout,
                                          DWORD dwEventFlags = VSS_SM_BACKUP_EVENTS_FLAG | VSS_SM_RESTORE_EVENTS_FLAG)
    {
        if (m_pWriterImpl == NULL)
            return E_FAIL;
        return m_pWriterImpl->Subscribe(dwUnsubscribeTimeout, dwEventFlags);
    }
};

class CVssWriterEx2 : public CVssWriterEx {
public:
    HRESULT STDMETHODCALLTYPE SetWriterFailureEx(HRESULT hrWriter, HRESULT hrApplication = S_FALSE,
                                                 LPCWSTR wszApplicationMessage = NULL)
    {
        if (m_pWriterImpl == NULL)
            return E_FAIL;
        return m_pWriterImpl->SetWriterFailureEx(hrWriter, hrApplication, wszApplicationMessage);
    }

    HRESULT STDMETHODCALLTYPE GetSessionId(VSS_ID *idSession)
    {
        if (m_pWriterImpl == NULL)
            return E_FAIL;
        return m_pWriterImpl->GetSessionId(idSession);
    }

    // Simulator: the SDK has no NULL check here; before Initialize this answers false instead of crashing.
    bool STDMETHODCALLTYPE IsWriterShuttingDown() { return m_pWriterImpl ? m_pWriterImpl->IsWriterShuttingDown() : false; }
};

extern "C" VSSSIM_API HRESULT STDAPICALLTYPE CreateVssExpressWriterInternal(IVssExpressWriter **ppWriter);

inline HRESULT CreateVssExpressWriter(IVssExpressWriter **ppWriter)
{
    return CreateVssExpressWriterInternal(ppWriter);
}

#endif
