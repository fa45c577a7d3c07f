// <vds.h>: the Virtual Disk Service client interfaces VSS requesters use (VShadow clears the
// read-only flag of a broken shadow copy set through them). Simulator: VDS is not simulated.
// CoCreateInstance of the VDS loader (9c38ed61-d565-4728-aeee-c80952f0ecde, which callers define) gives REGDB_E_CLASSNOTREG, so no VDS object exists; only the
// members requesters call are declared, enough for their code to compile and take its error path.
#pragma once
#include <windows.h>
#include <objbase.h>

typedef GUID VDS_OBJECT_ID;

#define VDS_E_OBJECT_DELETED ((HRESULT)0x8004240BL)
#define VDS_E_INVALID_PACK ((HRESULT)0x80042444L)

typedef enum _VDS_QUERY_PROVIDER_FLAG {
    VDS_QUERY_SOFTWARE_PROVIDERS = 0x1,
    VDS_QUERY_HARDWARE_PROVIDERS = 0x2,
    VDS_QUERY_VIRTUALDISK_PROVIDERS = 0x4
} VDS_QUERY_PROVIDER_FLAG;

typedef enum _VDS_VOLUME_TYPE {
    VDS_VT_UNKNOWN = 0,
    VDS_VT_SIMPLE = 10,
    VDS_VT_SPAN = 11,
    VDS_VT_STRIPE = 12,
    VDS_VT_MIRROR = 13,
    VDS_VT_PARITY = 14
} VDS_VOLUME_TYPE;

typedef enum _VDS_VOLUME_STATUS {
    VDS_VS_UNKNOWN = 0,
    VDS_VS_ONLINE = 1,
    VDS_VS_NO_MEDIA = 3,
    VDS_VS_FAILED = 5,
    VDS_VS_OFFLINE = 4
} VDS_VOLUME_STATUS;

typedef enum _VDS_HEALTH {
    VDS_H_UNKNOWN = 0,
    VDS_H_HEALTHY = 1,
    VDS_H_REBUILDING = 2,
    VDS_H_STALE = 3,
    VDS_H_FAILING = 4,
    VDS_H_FAILING_REDUNDANCY = 5,
    VDS_H_FAILED_REDUNDANCY = 6,
    VDS_H_FAILED_REDUNDANCY_FAILING = 7,
    VDS_H_FAILED = 8
} VDS_HEALTH;

typedef enum _VDS_TRANSITION_STATE {
    VDS_TS_UNKNOWN = 0,
    VDS_TS_STABLE = 1,
    VDS_TS_EXTENDING = 2,
    VDS_TS_SHRINKING = 3,
    VDS_TS_RECONFIGING = 4,
    VDS_TS_RESTRIPING = 5
} VDS_TRANSITION_STATE;

typedef enum _VDS_FILE_SYSTEM_TYPE {
    VDS_FST_UNKNOWN = 0,
    VDS_FST_RAW = 1,
    VDS_FST_FAT = 2,
    VDS_FST_FAT32 = 3,
    VDS_FST_NTFS = 4,
    VDS_FST_CDFS = 5,
    VDS_FST_UDF = 6,
    VDS_FST_EXFAT = 7,
    VDS_FST_CSVFS = 8,
    VDS_FST_REFS = 9
} VDS_FILE_SYSTEM_TYPE;

typedef enum _VDS_VOLUME_FLAG {
    VDS_VF_SYSTEM_VOLUME = 0x1,
    VDS_VF_BOOT_VOLUME = 0x2,
    VDS_VF_ACTIVE = 0x4,
    VDS_VF_READONLY = 0x8,
    VDS_VF_HIDDEN = 0x10,
    VDS_VF_CAN_EXTEND = 0x20,
    VDS_VF_CAN_SHRINK = 0x40,
    VDS_VF_PAGEFILE = 0x80,
    VDS_VF_HIBERNATION = 0x100,
    VDS_VF_CRASHDUMP = 0x200,
    VDS_VF_INSTALLABLE = 0x400,
    VDS_VF_LBN_REMAP_ENABLED = 0x800,
    VDS_VF_FORMATTING = 0x1000,
    VDS_VF_NOT_FORMATTABLE = 0x2000,
    VDS_VF_NTFS_NOT_SUPPORTED = 0x4000,
    VDS_VF_FAT32_NOT_SUPPORTED = 0x8000,
    VDS_VF_FAT_NOT_SUPPORTED = 0x10000,
    VDS_VF_NO_DEFAULT_DRIVE_LETTER = 0x20000,
    VDS_VF_PERMANENTLY_DISMOUNTED = 0x40000,
    VDS_VF_PERMANENT_DISMOUNT_SUPPORTED = 0x80000,
    VDS_VF_SHADOW_COPY = 0x100000,
    VDS_VF_FVE_ENABLED = 0x200000,
    VDS_VF_DIRTY = 0x400000
} VDS_VOLUME_FLAG;

typedef struct _VDS_VOLUME_PROP {
    VDS_OBJECT_ID id;
    VDS_VOLUME_TYPE type;
    VDS_VOLUME_STATUS status;
    VDS_HEALTH health;
    VDS_TRANSITION_STATE TransitionState;
    ULONGLONG ullSize;
    ULONG ulFlags;
    VDS_FILE_SYSTEM_TYPE RecommendedFileSystemType;
    LPWSTR pwszName;
} VDS_VOLUME_PROP, *PVDS_VOLUME_PROP;

struct IEnumVdsObject : public IUnknown {
    virtual HRESULT STDMETHODCALLTYPE Next(ULONG celt, IUnknown **ppObjectArray, ULONG *pcFetched) = 0;
    virtual HRESULT STDMETHODCALLTYPE Skip(ULONG celt) = 0;
    virtual HRESULT STDMETHODCALLTYPE Reset() = 0;
    virtual HRESULT STDMETHODCALLTYPE Clone(IEnumVdsObject **ppEnum) = 0;
};
VSSSIM_UUID_DECL(IEnumVdsObject, 0x118610b7, 0x8d94, 0x4030, 0xb5, 0xb8, 0x50, 0x08, 0x89, 0x78, 0x8e, 0x4e)

struct IVdsService : public IUnknown {
    virtual HRESULT STDMETHODCALLTYPE IsServiceReady() = 0;
    virtual HRESULT STDMETHODCALLTYPE WaitForServiceReady() = 0;
    virtual HRESULT STDMETHODCALLTYPE QueryProviders(DWORD masks, IEnumVdsObject **ppEnum) = 0;
};
VSSSIM_UUID_DECL(IVdsService, 0x0818a8ef, 0x9ba9, 0x40d8, 0xa6, 0xf9, 0xe2, 0x28, 0x33, 0xcc, 0x77, 0x1e)

struct IVdsServiceLoader : public IUnknown {
    virtual HRESULT STDMETHODCALLTYPE LoadService(LPWSTR pwszMachineName, IVdsService **ppService) = 0;
};
VSSSIM_UUID_DECL(IVdsServiceLoader, 0xe0393303, 0x90d4, 0x4a97, 0xab, 0x71, 0xe9, 0xb6, 0x71, 0xee, 0x27, 0x29)

struct IVdsPack;
struct IVdsSwProvider : public IUnknown {
    virtual HRESULT STDMETHODCALLTYPE QueryPacks(IEnumVdsObject **ppEnum) = 0;
    virtual HRESULT STDMETHODCALLTYPE CreatePack(IVdsPack **ppPack) = 0;
};
VSSSIM_UUID_DECL(IVdsSwProvider, 0x9aa58360, 0xce33, 0x4f92, 0xb6, 0x58, 0xed, 0x24, 0xb1, 0x44, 0x25, 0xb8)

struct IVdsPack : public IUnknown {
    virtual HRESULT STDMETHODCALLTYPE QueryVolumes(IEnumVdsObject **ppEnum) = 0;
};
VSSSIM_UUID_DECL(IVdsPack, 0x3b69d7f5, 0x9d94, 0x4648, 0x91, 0xca, 0x79, 0x93, 0x9b, 0xa2, 0x63, 0xbf)

struct IVdsVolume : public IUnknown {
    virtual HRESULT STDMETHODCALLTYPE GetProperties(VDS_VOLUME_PROP *pVolumeProperties) = 0;
    virtual HRESULT STDMETHODCALLTYPE SetFlags(ULONG ulFlags, BOOL bRevertOnClose) = 0;
    virtual HRESULT STDMETHODCALLTYPE ClearFlags(ULONG ulFlags) = 0;
};
VSSSIM_UUID_DECL(IVdsVolume, 0x88306bb2, 0xe71f, 0x478c, 0x86, 0xa2, 0x79, 0xda, 0x20, 0x0a, 0x0f, 0x11)

struct IVdsVolumeMF : public IUnknown {
    virtual HRESULT STDMETHODCALLTYPE Mount() = 0;
    virtual HRESULT STDMETHODCALLTYPE Dismount(BOOL bForce, BOOL bPermanent) = 0;
};
VSSSIM_UUID_DECL(IVdsVolumeMF, 0xee2d5ded, 0x6236, 0x4169, 0x93, 0x1d, 0xb9, 0x77, 0x8c, 0xe0, 0x3d, 0xc6)
