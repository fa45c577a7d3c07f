// <vsmgmt.h>: the shadow copy management interfaces (shadow storage, provider management).
// Simulator: shadow storage is not simulated. CoCreateInstance(CLSID_VssSnapshotMgmt) gives
// REGDB_E_CLASSNOTREG and GetProviderMgmtInterface gives E_NOTIMPL (listed in the README), so these
// declarations let management code compile and take its error path.
#pragma once
#include <windows.h>
#include <vss.h>

typedef enum _VSS_MGMT_OBJECT_TYPE {
    VSS_MGMT_OBJECT_UNKNOWN = 0,
    VSS_MGMT_OBJECT_VOLUME = 1,
    VSS_MGMT_OBJECT_DIFF_VOLUME = 2,
    VSS_MGMT_OBJECT_DIFF_AREA = 3
} VSS_MGMT_OBJECT_TYPE,
    *PVSS_MGMT_OBJECT_TYPE;

#define VSS_ASSOC_NO_MAX_SPACE (-1)
#define VSS_ASSOC_REMOVE (0)

typedef struct _VSS_VOLUME_PROP {
    VSS_PWSZ m_pwszVolumeName;
    VSS_PWSZ m_pwszVolumeDisplayName;
} VSS_VOLUME_PROP, *PVSS_VOLUME_PROP;

typedef struct _VSS_DIFF_VOLUME_PROP {
    VSS_PWSZ m_pwszVolumeName;
    VSS_PWSZ m_pwszVolumeDisplayName;
    LONGLONG m_llVolumeFreeSpace;
    LONGLONG m_llVolumeTotalSpace;
} VSS_DIFF_VOLUME_PROP, *PVSS_DIFF_VOLUME_PROP;

typedef struct _VSS_DIFF_AREA_PROP {
    VSS_PWSZ m_pwszVolumeName;
    VSS_PWSZ m_pwszDiffAreaVolumeName;
    LONGLONG m_llMaximumDiffSpace;
    LONGLONG m_llAllocatedDiffSpace;
    LONGLONG m_llUsedDiffSpace;
} VSS_DIFF_AREA_PROP, *PVSS_DIFF_AREA_PROP;

typedef union {
    VSS_VOLUME_PROP Vol;
    VSS_DIFF_VOLUME_PROP DiffVol;
    VSS_DIFF_AREA_PROP DiffArea;
} VSS_MGMT_OBJECT_UNION;

typedef struct _VSS_MGMT_OBJECT_PROP {
    VSS_MGMT_OBJECT_TYPE Type;
    VSS_MGMT_OBJECT_UNION Obj;
} VSS_MGMT_OBJECT_PROP, *PVSS_MGMT_OBJECT_PROP;

typedef enum _VSS_PROTECTION_LEVEL {
    VSS_PROTECTION_LEVEL_ORIGINAL_VOLUME = 0,
    VSS_PROTECTION_LEVEL_SNAPSHOT = 1
} VSS_PROTECTION_LEVEL,
    *PVSS_PROTECTION_LEVEL;

typedef enum _VSS_PROTECTION_FAULT {
    VSS_PROTECTION_FAULT_NONE = 0,
    VSS_PROTECTION_FAULT_DIFF_AREA_MISSING = 1,
    VSS_PROTECTION_FAULT_IO_FAILURE_DURING_ONLINE = 2,
    VSS_PROTECTION_FAULT_META_DATA_CORRUPTION = 3,
    VSS_PROTECTION_FAULT_MEMORY_ALLOCATION_FAILURE = 4,
    VSS_PROTECTION_FAULT_MAPPED_MEMORY_FAILURE = 5,
    VSS_PROTECTION_FAULT_COW_READ_FAILURE = 6,
    VSS_PROTECTION_FAULT_COW_READ_FAILURE_DURING_ONLINE = 7,
    VSS_PROTECTION_FAULT_COW_WRITE_FAILURE = 8,
    VSS_PROTECTION_FAULT_DIFF_AREA_FULL = 9,
    VSS_PROTECTION_FAULT_GROW_TOO_SLOW = 10,
    VSS_PROTECTION_FAULT_GROW_FAILED = 11,
    VSS_PROTECTION_FAULT_DESTROY_ALL_SNAPSHOTS = 12,
    VSS_PROTECTION_FAULT_FILE_SYSTEM_FAILURE = 13,
    VSS_PROTECTION_FAULT_IO_FAILURE = 14,
    VSS_PROTECTION_FAULT_DIFF_AREA_REMOVED = 15,
    VSS_PROTECTION_FAULT_EXTERNAL_WRITER_TO_DIFF_AREA = 16,
    VSS_PROTECTION_FAULT_MOUNT_DURING_CLUSTER_OFFLINE = 17
} VSS_PROTECTION_FAULT,
    *PVSS_PROTECTION_FAULT;

typedef struct _VSS_VOLUME_PROTECTION_INFO {
    VSS_PROTECTION_LEVEL m_protectionLevel;
    BOOL m_volumeIsOfflineForProtection;
    VSS_PROTECTION_FAULT m_protectionFault;
    LONG m_failureStatus;
    BOOL m_volumeHasUnusedDiffArea;
    DWORD m_reserved;
} VSS_VOLUME_PROTECTION_INFO, *PVSS_VOLUME_PROTECTION_INFO;

class IVssEnumMgmtObject : public IUnknown {
public:
    virtual HRESULT STDMETHODCALLTYPE Next(ULONG celt, VSS_MGMT_OBJECT_PROP *rgelt, ULONG *pceltFetched) = 0;
    virtual HRESULT STDMETHODCALLTYPE Skip(ULONG celt) = 0;
    virtual HRESULT STDMETHODCALLTYPE Reset() = 0;
    virtual HRESULT STDMETHODCALLTYPE Clone(IVssEnumMgmtObject **ppenum) = 0;
};
inline constexpr IID IID_IVssEnumMgmtObject = {
    0x01954e6b, 0x9254, 0x4e6e, {0x80, 0x8c, 0xc9, 0xe0, 0x5d, 0x00, 0x76, 0x96}};
VSSSIM_UUID_DECL(IVssEnumMgmtObject, 0x01954e6b, 0x9254, 0x4e6e, 0x80, 0x8c, 0xc9, 0xe0, 0x5d, 0x00, 0x76, 0x96)

class IVssDifferentialSoftwareSnapshotMgmt : public IUnknown {
public:
    virtual HRESULT STDMETHODCALLTYPE AddDiffArea(VSS_PWSZ pwszVolumeName, VSS_PWSZ pwszDiffAreaVolumeName,
                                                  LONGLONG llMaximumDiffSpace) = 0;
    virtual HRESULT STDMETHODCALLTYPE ChangeDiffAreaMaximumSize(VSS_PWSZ pwszVolumeName, VSS_PWSZ pwszDiffAreaVolumeName,
                                                                LONGLONG llMaximumDiffSpace) = 0;
    virtual HRESULT STDMETHODCALLTYPE QueryVolumesSupportedForDiffAreas(VSS_PWSZ pwszOriginalVolumeName,
                                                                        IVssEnumMgmtObject **ppEnum) = 0;
    virtual HRESULT STDMETHODCALLTYPE QueryDiffAreasForVolume(VSS_PWSZ pwszVolumeName, IVssEnumMgmtObject **ppEnum) = 0;
    virtual HRESULT STDMETHODCALLTYPE QueryDiffAreasOnVolume(VSS_PWSZ pwszVolumeName, IVssEnumMgmtObject **ppEnum) = 0;
    virtual HRESULT STDMETHODCALLTYPE QueryDiffAreasForSnapshot(VSS_ID SnapshotId, IVssEnumMgmtObject **ppEnum) = 0;
};
inline constexpr IID IID_IVssDifferentialSoftwareSnapshotMgmt = {
    0x214a0f28, 0xb737, 0x4026, {0xb8, 0x47, 0x4f, 0x9e, 0x37, 0xd7, 0x95, 0x29}};
VSSSIM_UUID_DECL(IVssDifferentialSoftwareSnapshotMgmt, 0x214a0f28, 0xb737, 0x4026, 0xb8, 0x47, 0x4f, 0x9e, 0x37, 0xd7,
                 0x95, 0x29)

class IVssDifferentialSoftwareSnapshotMgmt2 : public IVssDifferentialSoftwareSnapshotMgmt {
public:
    virtual HRESULT STDMETHODCALLTYPE ChangeDiffAreaMaximumSizeEx(VSS_PWSZ pwszVolumeName, VSS_PWSZ pwszDiffAreaVolumeName,
                                                                  LONGLONG llMaximumDiffSpace, BOOL bVolatile) = 0;
    virtual HRESULT STDMETHODCALLTYPE MigrateDiffAreas(VSS_PWSZ pwszVolumeName, VSS_PWSZ pwszDiffAreaVolumeName,
                                                       VSS_PWSZ pwszNewDiffAreaVolumeName) = 0;
    virtual HRESULT STDMETHODCALLTYPE QueryMigrationStatus(VSS_PWSZ pwszVolumeName, VSS_PWSZ pwszDiffAreaVolumeName,
                                                           IVssAsync **ppAsync) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetSnapshotPriority(VSS_ID idSnapshot, BYTE priority) = 0;
};
inline constexpr IID IID_IVssDifferentialSoftwareSnapshotMgmt2 = {
    0x949d7353, 0x675f, 0x4275, {0x89, 0x69, 0xf0, 0x44, 0xc6, 0x27, 0x78, 0x15}};
VSSSIM_UUID_DECL(IVssDifferentialSoftwareSnapshotMgmt2, 0x949d7353, 0x675f, 0x4275, 0x89, 0x69, 0xf0, 0x44, 0xc6, 0x27,
                 0x78, 0x15)

class IVssDifferentialSoftwareSnapshotMgmt3 : public IVssDifferentialSoftwareSnapshotMgmt2 {
public:
    virtual HRESULT STDMETHODCALLTYPE SetVolumeProtectLevel(VSS_PWSZ pwszVolumeName, VSS_PROTECTION_LEVEL protectionLevel) = 0;
    virtual HRESULT STDMETHODCALLTYPE GetVolumeProtectLevel(VSS_PWSZ pwszVolumeName,
                                                            VSS_VOLUME_PROTECTION_INFO *protectionLevel) = 0;
    virtual HRESULT STDMETHODCALLTYPE ClearVolumeProtectFault(VSS_PWSZ pwszVolumeName) = 0;
    virtual HRESULT STDMETHODCALLTYPE DeleteUnusedDiffAreas(VSS_PWSZ pwszDiffAreaVolumeName) = 0;
    virtual HRESULT STDMETHODCALLTYPE QuerySnapshotDeltaBitmap(VSS_ID idSnapshotOlder, VSS_ID idSnapshotYounger,
                                                               ULONG *pcBlockSizePerBit, ULONG *pcBitmapLength,
                                                               BYTE **ppbBitmap) = 0;
};
inline constexpr IID IID_IVssDifferentialSoftwareSnapshotMgmt3 = {
    0x383f7e71, 0xa4c5, 0x401f, {0xb2, 0x7f, 0xf8, 0x26, 0x28, 0x9f, 0x84, 0x58}};
VSSSIM_UUID_DECL(IVssDifferentialSoftwareSnapshotMgmt3, 0x383f7e71, 0xa4c5, 0x401f, 0xb2, 0x7f, 0xf8, 0x26, 0x28, 0x9f,
                 0x84, 0x58)

class IVssSnapshotMgmt : public IUnknown {
public:
    virtual HRESULT STDMETHODCALLTYPE GetProviderMgmtInterface(VSS_ID ProviderId, REFIID InterfaceId,
                                                               IUnknown **ppItf) = 0;
    virtual HRESULT STDMETHODCALLTYPE QueryVolumesSupportedForSnapshots(VSS_ID ProviderId, LONG lContext,
                                                                        IVssEnumMgmtObject **ppEnum) = 0;
    virtual HRESULT STDMETHODCALLTYPE QuerySnapshotsByVolume(VSS_PWSZ pwszVolumeName, VSS_ID ProviderId,
                                                             IVssEnumObject **ppEnum) = 0;
};
inline constexpr IID IID_IVssSnapshotMgmt = {
    0xfa7df749, 0x66e7, 0x4986, {0xa2, 0x7f, 0xe2, 0xf0, 0x4a, 0xe5, 0x37, 0x72}};
VSSSIM_UUID_DECL(IVssSnapshotMgmt, 0xfa7df749, 0x66e7, 0x4986, 0xa2, 0x7f, 0xe2, 0xf0, 0x4a, 0xe5, 0x37, 0x72)

class IVssSnapshotMgmt2 : public IUnknown {
public:
    virtual HRESULT STDMETHODCALLTYPE GetMinDiffAreaSize(LONGLONG *pllMinDiffAreaSize) = 0;
};
inline constexpr IID IID_IVssSnapshotMgmt2 = {
    0x0f61ec39, 0xfe82, 0x45f2, {0xa3, 0xf0, 0x76, 0x8b, 0x5d, 0x42, 0x71, 0x02}};
VSSSIM_UUID_DECL(IVssSnapshotMgmt2, 0x0f61ec39, 0xfe82, 0x45f2, 0xa3, 0xf0, 0x76, 0x8b, 0x5d, 0x42, 0x71, 0x02)

inline constexpr CLSID CLSID_VssSnapshotMgmt = {
    0x0b5a2c52, 0x3eb9, 0x470a, {0x96, 0xe2, 0x6c, 0x6d, 0x45, 0x70, 0xe4, 0x0f}};
