#include "core/names.h"
#include "boundary/metadata.h"

#include <algorithm>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "boundary/bstr.h"
#include "boundary/com_object.h"
#include "boundary/out_params.h"
#include "service/wmd_xml.h"

namespace vsssim {

namespace {

[[maybe_unused]] std::wstring orEmpty(LPCWSTR s) { return s ? std::wstring(s) : std::wstring(); }

std::optional<std::wstring> unlessEmpty(const std::wstring &s)
{
    return s.empty() ? std::nullopt : std::optional<std::wstring>(s);
}

/// QueryInterface of the helper objects: they have no IID of their own, so IUnknown is all they answer.
HRESULT queryUnknownOnly(IUnknown *self, REFIID riid, void **ppvObject) noexcept
{
    if (!ppvObject)
        return E_POINTER;
    if (riid == IID_IUnknown) {
        self->AddRef();
        *ppvObject = self;
        return S_OK;
    }
    *ppvObject = nullptr;
    return E_NOINTERFACE;
}

/// The boundary preamble of the requester-side objects: the guard, the thread attachment (R14) and
/// the argument check, which comes first so that a rejected call allocates nothing.
template <class Body>
HRESULT run(const char *method, bool argumentsValid, Body &&body) noexcept
{
    return guarded(method, [&]() -> HRESULT {
        attachCurrentThread();
        if (!argumentsValid)
            return E_INVALIDARG;
        return body();
    });
}

class WMFiledesc final : public IVssWMFiledesc, public RefCounted
{
public:
    explicit WMFiledesc(FileSpec spec) : spec_(std::move(spec)) {}

    HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void **ppvObject) noexcept override
    {
        return queryUnknownOnly(this, riid, ppvObject);
    }
    ULONG STDMETHODCALLTYPE AddRef() noexcept override { return addRef(); }
    ULONG STDMETHODCALLTYPE Release() noexcept override { return release(); }

    HRESULT STDMETHODCALLTYPE GetPath(BSTR *pbstrPath) noexcept override
    {
        return run("IVssWMFiledesc::GetPath", pbstrPath, [&] {
            return bstrOut(pbstrPath, spec_.path, "IVssWMFiledesc::GetPath");
        });
    }
    HRESULT STDMETHODCALLTYPE GetFilespec(BSTR *pbstrFilespec) noexcept override
    {
        return run("IVssWMFiledesc::GetFilespec", pbstrFilespec, [&] {
            return bstrOut(pbstrFilespec, spec_.filespec, "IVssWMFiledesc::GetFilespec");
        });
    }
    HRESULT STDMETHODCALLTYPE GetRecursive(SdkBool *pbRecursive) noexcept override
    {
        return run("IVssWMFiledesc::GetRecursive", pbRecursive, [&] {
            *pbRecursive = spec_.recursive;
            return S_OK;
        });
    }
    HRESULT STDMETHODCALLTYPE GetAlternateLocation(BSTR *pbstrAlternateLocation) noexcept override
    {
        // Microsoft: "If there is no alternate location, the pointer is NULL" (and S_FALSE).
        return run("IVssWMFiledesc::GetAlternateLocation", pbstrAlternateLocation, [&] {
            return bstrOutOrFalse(pbstrAlternateLocation, unlessEmpty(spec_.alternateLocation),
                                  "IVssWMFiledesc::GetAlternateLocation");
        });
    }
    HRESULT STDMETHODCALLTYPE GetBackupTypeMask(DWORD *pdwTypeMask) noexcept override
    {
        return run("IVssWMFiledesc::GetBackupTypeMask", pdwTypeMask, [&] {
            *pdwTypeMask = spec_.backupTypeMask;
            return S_OK;
        });
    }

private:
    const FileSpec spec_;
};

class WMDependency final : public IVssWMDependency, public RefCounted
{
public:
    explicit WMDependency(Dependency dependency) : dependency_(std::move(dependency)) {}

    HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void **ppvObject) noexcept override
    {
        return queryUnknownOnly(this, riid, ppvObject);
    }
    ULONG STDMETHODCALLTYPE AddRef() noexcept override { return addRef(); }
    ULONG STDMETHODCALLTYPE Release() noexcept override { return release(); }

    HRESULT STDMETHODCALLTYPE GetWriterId(VSS_ID *pWriterId) noexcept override
    {
        return run("IVssWMDependency::GetWriterId", pWriterId, [&] {
            *pWriterId = dependency_.writerId;
            return S_OK;
        });
    }
    HRESULT STDMETHODCALLTYPE GetLogicalPath(BSTR *pbstrLogicalPath) noexcept override
    {
        return run("IVssWMDependency::GetLogicalPath", pbstrLogicalPath, [&] {
            return bstrOut(pbstrLogicalPath, dependency_.logicalPath, "IVssWMDependency::GetLogicalPath");
        });
    }
    HRESULT STDMETHODCALLTYPE GetComponentName(BSTR *pbstrComponentName) noexcept override
    {
        return run("IVssWMDependency::GetComponentName", pbstrComponentName, [&] {
            return bstrOut(pbstrComponentName, dependency_.componentName, "IVssWMDependency::GetComponentName");
        });
    }

private:
    const Dependency dependency_;
};

HRESULT fileAt(const std::vector<FileSpec> &files, UINT index, IVssWMFiledesc **ppFiledesc)
{
    if (index >= files.size())
        return VSS_E_OBJECT_NOT_FOUND;
    *ppFiledesc = new WMFiledesc(files[index]);
    return S_OK;
}

// Every VSS_COMPONENTINFO handed out and not yet freed: FreeComponentInfo refuses anything else,
// so a double free or a foreign pointer is an E_INVALIDARG instead of heap corruption.
struct InfoRegistry {
    std::mutex mutex;
    std::set<const VSS_COMPONENTINFO *> live;
};

InfoRegistry &infoRegistry()
{
    // Never destroyed: a client's static object may free its info after our statics are gone.
    static InfoRegistry *const instance = new InfoRegistry;
    return *instance;
}

void destroyInfo(VSS_COMPONENTINFO *info) noexcept
{
    if (!info)
        return;
    SysFreeString(info->bstrLogicalPath);
    SysFreeString(info->bstrComponentName);
    SysFreeString(info->bstrCaption);
    delete[] info->pbIcon;
    delete info;
}

struct InfoDeleter {
    void operator()(VSS_COMPONENTINFO *info) const noexcept { destroyInfo(info); }
};

class WMComponent final : public IVssWMComponent, public RefCounted
{
public:
    explicit WMComponent(ComponentDecl component) : c_(std::move(component)) {}

    HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void **ppvObject) noexcept override
    {
        return queryUnknownOnly(this, riid, ppvObject);
    }
    ULONG STDMETHODCALLTYPE AddRef() noexcept override { return addRef(); }
    ULONG STDMETHODCALLTYPE Release() noexcept override { return release(); }

    HRESULT STDMETHODCALLTYPE GetComponentInfo(PVSSCOMPONENTINFO *ppInfo) noexcept override
    {
        return run("IVssWMComponent::GetComponentInfo", ppInfo, [&]() -> HRESULT {
            std::unique_ptr<VSS_COMPONENTINFO, InfoDeleter> info(new VSS_COMPONENTINFO{});
            static constexpr const char *kOrigin = "IVssWMComponent::GetComponentInfo";
            info->type = c_.type;
            info->bstrLogicalPath = allocBstr(c_.logicalPath, kOrigin);
            info->bstrComponentName = allocBstr(c_.name, kOrigin);
            info->bstrCaption = allocBstr(c_.caption, kOrigin);
            if (!info->bstrLogicalPath || !info->bstrComponentName || !info->bstrCaption)
                return E_OUTOFMEMORY;
            if (!c_.icon.empty()) {
                info->pbIcon = new BYTE[c_.icon.size()];
                std::copy(c_.icon.begin(), c_.icon.end(), info->pbIcon);
                info->cbIcon = static_cast<UINT>(c_.icon.size());
            }
            info->bRestoreMetadata = c_.restoreMetadata;
            info->bNotifyOnBackupComplete = c_.notifyOnBackupComplete;
            info->bSelectable = c_.selectable;
            info->bSelectableForRestore = c_.selectableForRestore;
            info->dwComponentFlags = c_.flags;
            // The model keeps one file list: a database's files are its database files.
            const UINT files = static_cast<UINT>(c_.files.size());
            info->cFileCount = c_.type == VSS_CT_DATABASE ? 0 : files;
            info->cDatabases = c_.type == VSS_CT_DATABASE ? files : 0;
            info->cLogFiles = static_cast<UINT>(c_.logFiles.size());
            info->cDependencies = static_cast<UINT>(c_.dependencies.size());
            InfoRegistry &registry = infoRegistry();
            std::lock_guard lock(registry.mutex);
            registry.live.insert(info.get());
            *ppInfo = info.release();
            return S_OK;
        });
    }

    HRESULT STDMETHODCALLTYPE FreeComponentInfo(PVSSCOMPONENTINFO pInfo) noexcept override
    {
        return run("IVssWMComponent::FreeComponentInfo", pInfo, [&]() -> HRESULT {
            InfoRegistry &registry = infoRegistry();
            {
                std::lock_guard lock(registry.mutex);
                if (registry.live.erase(pInfo) == 0)
                    return E_INVALIDARG;  // not ours, or freed already: leave the memory alone
            }
            // The registry proved it is one of ours, allocated non-const.
            destroyInfo(const_cast<VSS_COMPONENTINFO *>(pInfo));
            return S_OK;
        });
    }

    HRESULT STDMETHODCALLTYPE GetFile(UINT iFile, IVssWMFiledesc **ppFiledesc) noexcept override
    {
        return run("IVssWMComponent::GetFile", ppFiledesc, [&] {
            return c_.type == VSS_CT_DATABASE ? VSS_E_OBJECT_NOT_FOUND : fileAt(c_.files, iFile, ppFiledesc);
        });
    }
    HRESULT STDMETHODCALLTYPE GetDatabaseFile(UINT iDBFile, IVssWMFiledesc **ppFiledesc) noexcept override
    {
        return run("IVssWMComponent::GetDatabaseFile", ppFiledesc, [&] {
            return c_.type == VSS_CT_DATABASE ? fileAt(c_.files, iDBFile, ppFiledesc) : VSS_E_OBJECT_NOT_FOUND;
        });
    }
    HRESULT STDMETHODCALLTYPE GetDatabaseLogFile(UINT iDbLogFile, IVssWMFiledesc **ppFiledesc) noexcept override
    {
        return run("IVssWMComponent::GetDatabaseLogFile", ppFiledesc, [&] {
            return fileAt(c_.logFiles, iDbLogFile, ppFiledesc);
        });
    }
    HRESULT STDMETHODCALLTYPE GetDependency(UINT iDependency, IVssWMDependency **ppDependency) noexcept override
    {
        return run("IVssWMComponent::GetDependency", ppDependency, [&]() -> HRESULT {
            if (iDependency >= c_.dependencies.size())
                return VSS_E_OBJECT_NOT_FOUND;
            *ppDependency = new WMDependency(c_.dependencies[iDependency]);
            return S_OK;
        });
    }

private:
    const ComponentDecl c_;
};

class ExamineWriterMetadata final : public IVssExamineWriterMetadataEx2, public RefCounted
{
public:
    ExamineWriterMetadata(WriterIdentity identity, WriterMetadata metadata)
        : identity_(std::move(identity)), metadata_(std::move(metadata))
    {
    }

    HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void **ppvObject) noexcept override
    {
        if (!ppvObject)
            return E_POINTER;
        if (riid == IID_IUnknown || riid == IID_IVssExamineWriterMetadata || riid == IID_IVssExamineWriterMetadataEx ||
            riid == IID_IVssExamineWriterMetadataEx2) {
            addRef();
            *ppvObject = static_cast<IVssExamineWriterMetadataEx2 *>(this);
            return S_OK;
        }
        *ppvObject = nullptr;
        return E_NOINTERFACE;
    }
    ULONG STDMETHODCALLTYPE AddRef() noexcept override { return addRef(); }
    ULONG STDMETHODCALLTYPE Release() noexcept override { return release(); }

    HRESULT STDMETHODCALLTYPE GetIdentity(VSS_ID *pidInstance, VSS_ID *pidWriter, BSTR *pbstrWriterName,
                                          VSS_USAGE_TYPE *pUsage, VSS_SOURCE_TYPE *pSource) noexcept override
    {
        const bool ok = pidInstance && pidWriter && pbstrWriterName && pUsage && pSource;
        return locked("IVssExamineWriterMetadata::GetIdentity", ok, [&]() -> HRESULT {
            if (HRESULT hr = bstrOut(pbstrWriterName, identity_.wideName, "IVssExamineWriterMetadata::GetIdentity"); FAILED(hr))
                return hr;
            *pidInstance = identity_.instanceId;
            *pidWriter = identity_.classId;
            *pUsage = identity_.usage;
            *pSource = identity_.source;
            return S_OK;
        });
    }

    HRESULT STDMETHODCALLTYPE GetFileCounts(UINT *pcIncludeFiles, UINT *pcExcludeFiles, UINT *pcComponents) noexcept override
    {
        return locked("IVssExamineWriterMetadata::GetFileCounts", pcIncludeFiles && pcExcludeFiles && pcComponents, [&] {
            *pcIncludeFiles = static_cast<UINT>(metadata_.includeFiles.size());
            *pcExcludeFiles = static_cast<UINT>(metadata_.excludeFiles.size());
            *pcComponents = static_cast<UINT>(metadata_.components.size());
            return S_OK;
        });
    }

    HRESULT STDMETHODCALLTYPE GetIncludeFile(UINT iFile, IVssWMFiledesc **ppFiledesc) noexcept override
    {
        return locked("IVssExamineWriterMetadata::GetIncludeFile", ppFiledesc,
                      [&] { return fileAt(metadata_.includeFiles, iFile, ppFiledesc); });
    }

    HRESULT STDMETHODCALLTYPE GetExcludeFile(UINT iFile, IVssWMFiledesc **ppFiledesc) noexcept override
    {
        return locked("IVssExamineWriterMetadata::GetExcludeFile", ppFiledesc,
                      [&] { return fileAt(metadata_.excludeFiles, iFile, ppFiledesc); });
    }

    HRESULT STDMETHODCALLTYPE GetComponent(UINT iComponent, IVssWMComponent **ppComponent) noexcept override
    {
        return locked("IVssExamineWriterMetadata::GetComponent", ppComponent, [&]() -> HRESULT {
            if (iComponent >= metadata_.components.size())
                return VSS_E_OBJECT_NOT_FOUND;
            *ppComponent = new WMComponent(metadata_.components[iComponent]);
            return S_OK;
        });
    }

    HRESULT STDMETHODCALLTYPE GetRestoreMethod(VSS_RESTOREMETHOD_ENUM *pMethod, BSTR *pbstrService,
                                               BSTR *pbstrUserProcedure, VSS_WRITERRESTORE_ENUM *pwriterRestore,
                                               SdkBool *pbRebootRequired, UINT *pcMappings) noexcept override
    {
        const bool ok = pMethod && pbstrService && pbstrUserProcedure && pwriterRestore && pbRebootRequired && pcMappings;
        return locked("IVssExamineWriterMetadata::GetRestoreMethod", ok, [&]() -> HRESULT {
            const RestoreMethod &rm = metadata_.restoreMethod;
            // Microsoft: the service is NULL unless the method stops and starts one; the user
            // procedure may be NULL; S_FALSE when there is no restore method.
            const bool namesService = rm.method == VSS_RME_STOP_RESTORE_START || rm.method == VSS_RME_RESTORE_STOP_START;
            BstrOut out("IVssExamineWriterMetadata::GetRestoreMethod");
            out.optional(pbstrService, namesService ? std::optional<std::wstring>(rm.service) : std::nullopt);
            out.optional(pbstrUserProcedure, unlessEmpty(rm.userProcedure));
            const HRESULT hr = out.commit(rm.method == VSS_RME_UNDEFINED ? S_FALSE : S_OK);
            if (FAILED(hr))
                return hr;
            *pMethod = rm.method;
            *pwriterRestore = rm.writerRestore;
            *pbRebootRequired = rm.rebootRequired;
            *pcMappings = static_cast<UINT>(metadata_.alternateMappings.size());
            return hr;
        });
    }

    HRESULT STDMETHODCALLTYPE GetAlternateLocationMapping(UINT iMapping, IVssWMFiledesc **ppFiledesc) noexcept override
    {
        return locked("IVssExamineWriterMetadata::GetAlternateLocationMapping", ppFiledesc,
                      [&] { return fileAt(metadata_.alternateMappings, iMapping, ppFiledesc); });
    }

    HRESULT STDMETHODCALLTYPE GetBackupSchema(DWORD *pdwSchemaMask) noexcept override
    {
        return locked("IVssExamineWriterMetadata::GetBackupSchema", pdwSchemaMask, [&] {
            *pdwSchemaMask = metadata_.backupSchema;
            return S_OK;
        });
    }

    HRESULT STDMETHODCALLTYPE GetDocument(IXMLDOMDocument **pDoc) noexcept override
    {
        if (pDoc)
            *pDoc = nullptr;
        return notImplemented("IVssExamineWriterMetadata::GetDocument");
    }

    HRESULT STDMETHODCALLTYPE SaveAsXML(BSTR *pbstrXML) noexcept override
    {
        return locked("IVssExamineWriterMetadata::SaveAsXML", pbstrXML, [&] {
            return bstrOut(pbstrXML, formatWmdXml(identity_, metadata_), "IVssExamineWriterMetadata::SaveAsXML");
        });
    }

    HRESULT STDMETHODCALLTYPE LoadFromXML(BSTR bstrXML) noexcept override
    {
        return locked("IVssExamineWriterMetadata::LoadFromXML", bstrXML, [&]() -> HRESULT {
            // wcslen, not SysStringLen: a client may pass a plain wide string, and the document has no NULs.
            auto parsed = parseWmdXml(std::wstring_view(bstrXML));
            if (!parsed)
                return parsed.error().hr;
            identity_ = std::move(parsed->first);
            metadata_ = std::move(parsed->second);
            return S_OK;
        });
    }

    HRESULT STDMETHODCALLTYPE GetIdentityEx(VSS_ID *pidInstance, VSS_ID *pidWriter, BSTR *pbstrWriterName,
                                            BSTR *pbstrInstanceName, VSS_USAGE_TYPE *pUsage,
                                            VSS_SOURCE_TYPE *pSource) noexcept override
    {
        const bool ok = pidInstance && pidWriter && pbstrWriterName && pbstrInstanceName && pUsage && pSource;
        return locked("IVssExamineWriterMetadataEx::GetIdentityEx", ok, [&]() -> HRESULT {
            BstrOut out("IVssExamineWriterMetadataEx::GetIdentityEx");
            out.text(pbstrWriterName, identity_.wideName).text(pbstrInstanceName, identity_.instanceName);
            if (HRESULT hr = out.commit(); FAILED(hr))
                return hr;
            *pidInstance = identity_.instanceId;
            *pidWriter = identity_.classId;
            *pUsage = identity_.usage;
            *pSource = identity_.source;
            return S_OK;
        });
    }

    HRESULT STDMETHODCALLTYPE GetVersion(DWORD *pdwMajorVersion, DWORD *pdwMinorVersion) noexcept override
    {
        return locked("IVssExamineWriterMetadataEx2::GetVersion", pdwMajorVersion && pdwMinorVersion, [&] {
            *pdwMajorVersion = identity_.versionMajor;
            *pdwMinorVersion = identity_.versionMinor;
            return S_OK;
        });
    }

    HRESULT STDMETHODCALLTYPE GetExcludeFromSnapshotCount(UINT *pcExcludedFromSnapshot) noexcept override
    {
        return locked("IVssExamineWriterMetadataEx2::GetExcludeFromSnapshotCount", pcExcludedFromSnapshot, [&] {
            *pcExcludedFromSnapshot = static_cast<UINT>(metadata_.excludeFromSnapshot.size());
            return S_OK;
        });
    }

    HRESULT STDMETHODCALLTYPE GetExcludeFromSnapshotFile(UINT iFile, IVssWMFiledesc **ppFiledesc) noexcept override
    {
        return locked("IVssExamineWriterMetadataEx2::GetExcludeFromSnapshotFile", ppFiledesc,
                      [&] { return fileAt(metadata_.excludeFromSnapshot, iFile, ppFiledesc); });
    }

private:
    // LoadFromXML replaces the content while another thread may be reading it.
    template <class Body>
    HRESULT locked(const char *method, bool argumentsValid, Body &&body) noexcept
    {
        return run(method, argumentsValid, [&]() -> HRESULT {
            std::lock_guard lock(mutex_);
            return body();
        });
    }

    std::mutex mutex_;
    WriterIdentity identity_;
    WriterMetadata metadata_;
};

#if VSSSIM_WRITER_SIDE
bool validComponentType(const VSS_COMPONENT_TYPE &ct)
{
    return isEnumValue(ct, EnumKind::ComponentType) && ct != VSS_CT_UNDEFINED;
}
#endif

} // namespace

#if VSSSIM_WRITER_SIDE
// ---------------------------------------------------------------------------------------------
// MetadataBuilder

MetadataBuilder::MetadataBuilder(WriterMetadata &metadata, const WriterIdentity &identity) noexcept
    : metadata_(metadata), identity_(identity)
{
}

HRESULT MetadataBuilder::QueryInterface(REFIID riid, void **ppvObject) noexcept
{
    if (!ppvObject)
        return E_POINTER;
    if (riid == IID_IUnknown) {
        *ppvObject = static_cast<IUnknown *>(this);
        return S_OK;
    }
    if (riid == IID_IVssCreateWriterMetadataEx) {
        *ppvObject = static_cast<IVssCreateWriterMetadataEx *>(this);
        return S_OK;
    }
    *ppvObject = nullptr;
    return E_NOINTERFACE;
}

HRESULT MetadataBuilder::AddIncludeFiles(LPCWSTR wszPath, LPCWSTR wszFilespec, SdkBool bRecursive,
                                         LPCWSTR wszAlternateLocation) noexcept
{
    return run("IVssCreateWriterMetadata::AddIncludeFiles", wszPath && wszFilespec, [&] {
        metadata_.includeFiles.push_back(FileSpec{wszPath, wszFilespec, bRecursive, orEmpty(wszAlternateLocation),
                                                  VSS_FSBT_ALL_BACKUP_REQUIRED | VSS_FSBT_ALL_SNAPSHOT_REQUIRED});
        return S_OK;
    });
}

HRESULT MetadataBuilder::AddExcludeFiles(LPCWSTR wszPath, LPCWSTR wszFilespec, SdkBool bRecursive) noexcept
{
    return run("IVssCreateWriterMetadata::AddExcludeFiles", wszPath && wszFilespec, [&] {
        FileSpec spec;
        spec.path = wszPath;
        spec.filespec = wszFilespec;
        spec.recursive = bRecursive;
        metadata_.excludeFiles.push_back(std::move(spec));
        return S_OK;
    });
}

HRESULT MetadataBuilder::AddComponent(VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath, LPCWSTR wszComponentName,
                                      LPCWSTR wszCaption, const BYTE *pbIcon, UINT cbIcon, SdkBool bRestoreMetadata,
                                      SdkBool bNotifyOnBackupComplete, SdkBool bSelectable, SdkBool bSelectableForRestore,
                                      DWORD dwComponentFlags) noexcept
{
    // Microsoft: the name is required and cannot contain backslashes; the logical path may be NULL.
    const bool ok = validComponentType(ct) && wszComponentName && *wszComponentName &&
                    std::wstring_view(wszComponentName).find(L'\\') == std::wstring_view::npos && (pbIcon || cbIcon == 0);
    return run("IVssCreateWriterMetadata::AddComponent", ok, [&]() -> HRESULT {
        ComponentDecl c;
        c.type = ct;
        c.logicalPath = orEmpty(wszLogicalPath);
        c.name = wszComponentName;
        for (const ComponentDecl &existing : metadata_.components)
            if (existing.logicalPath == c.logicalPath && existing.name == c.name)
                return VSS_E_OBJECT_ALREADY_EXISTS;
        c.caption = orEmpty(wszCaption);
        if (cbIcon > 0)
            c.icon.assign(pbIcon, pbIcon + cbIcon);
        c.restoreMetadata = bRestoreMetadata;
        c.notifyOnBackupComplete = bNotifyOnBackupComplete;
        c.selectable = bSelectable;
        c.selectableForRestore = bSelectableForRestore;
        c.flags = dwComponentFlags;
        metadata_.components.push_back(std::move(c));
        return S_OK;
    });
}

HRESULT MetadataBuilder::addComponentFiles(LPCWSTR wszLogicalPath, LPCWSTR wszName,
                                           VSS_COMPONENT_TYPE type, FileSpec spec, bool logFiles)
{
    const std::wstring logicalPath = orEmpty(wszLogicalPath);
    for (ComponentDecl &c : metadata_.components) {
        if (c.logicalPath != logicalPath || c.name != wszName)
            continue;
        // Microsoft (AddFilesToFileGroup): adding to a component of the other type is E_INVALIDARG.
        if (c.type != type)
            return E_INVALIDARG;
        (logFiles ? c.logFiles : c.files).push_back(std::move(spec));
        return S_OK;
    }
    return VSS_E_OBJECT_NOT_FOUND;
}

HRESULT MetadataBuilder::AddDatabaseFiles(LPCWSTR wszLogicalPath, LPCWSTR wszDatabaseName, LPCWSTR wszPath,
                                          LPCWSTR wszFilespec, DWORD dwBackupTypeMask) noexcept
{
    static constexpr const char *kMethod = "IVssCreateWriterMetadata::AddDatabaseFiles";
    return run(kMethod, wszDatabaseName && wszPath && wszFilespec, [&] {
        return addComponentFiles(wszLogicalPath, wszDatabaseName, VSS_CT_DATABASE,
                                 FileSpec{wszPath, wszFilespec, false, {}, dwBackupTypeMask}, false);
    });
}

HRESULT MetadataBuilder::AddDatabaseLogFiles(LPCWSTR wszLogicalPath, LPCWSTR wszDatabaseName, LPCWSTR wszPath,
                                             LPCWSTR wszFilespec, DWORD dwBackupTypeMask) noexcept
{
    static constexpr const char *kMethod = "IVssCreateWriterMetadata::AddDatabaseLogFiles";
    return run(kMethod, wszDatabaseName && wszPath && wszFilespec, [&] {
        return addComponentFiles(wszLogicalPath, wszDatabaseName, VSS_CT_DATABASE,
                                 FileSpec{wszPath, wszFilespec, false, {}, dwBackupTypeMask}, true);
    });
}

HRESULT MetadataBuilder::AddFilesToFileGroup(LPCWSTR wszLogicalPath, LPCWSTR wszGroupName, LPCWSTR wszPath,
                                             LPCWSTR wszFilespec, SdkBool bRecursive, LPCWSTR wszAlternateLocation,
                                             DWORD dwBackupTypeMask) noexcept
{
    static constexpr const char *kMethod = "IVssCreateWriterMetadata::AddFilesToFileGroup";
    return run(kMethod, wszGroupName && wszPath && wszFilespec, [&] {
        return addComponentFiles(wszLogicalPath, wszGroupName, VSS_CT_FILEGROUP,
                                 FileSpec{wszPath, wszFilespec, bRecursive, orEmpty(wszAlternateLocation), dwBackupTypeMask},
                                 false);
    });
}

HRESULT MetadataBuilder::SetRestoreMethod(VSS_RESTOREMETHOD_ENUM method, LPCWSTR wszService, LPCWSTR wszUserProcedure,
                                          VSS_WRITERRESTORE_ENUM writerRestore, SdkBool bRebootRequired) noexcept
{
    const bool ok = isEnumValue(method, EnumKind::RestoreMethod) && isEnumValue(writerRestore, EnumKind::WriterRestore);
    return run("IVssCreateWriterMetadata::SetRestoreMethod", ok, [&] {
        metadata_.restoreMethod = RestoreMethod{method, orEmpty(wszService), orEmpty(wszUserProcedure), writerRestore,
                                                bRebootRequired};
        return S_OK;
    });
}

HRESULT MetadataBuilder::AddAlternateLocationMapping(LPCWSTR wszSourcePath, LPCWSTR wszSourceFilespec, SdkBool bRecursive,
                                                     LPCWSTR wszDestination) noexcept
{
    return run("IVssCreateWriterMetadata::AddAlternateLocationMapping",
               wszSourcePath && wszSourceFilespec && wszDestination, [&] {
                   metadata_.alternateMappings.push_back(FileSpec{wszSourcePath, wszSourceFilespec, bRecursive,
                                                                  wszDestination,
                                                                  VSS_FSBT_ALL_BACKUP_REQUIRED | VSS_FSBT_ALL_SNAPSHOT_REQUIRED});
                   return S_OK;
               });
}

HRESULT MetadataBuilder::AddComponentDependency(LPCWSTR wszForLogicalPath, LPCWSTR wszForComponentName,
                                                VSS_ID onWriterId, LPCWSTR wszOnLogicalPath,
                                                LPCWSTR wszOnComponentName) noexcept
{
    return run("IVssCreateWriterMetadata::AddComponentDependency", wszForComponentName && wszOnComponentName,
               [&]() -> HRESULT {
                   const std::wstring forPath = orEmpty(wszForLogicalPath);
                   for (ComponentDecl &c : metadata_.components) {
                       if (c.logicalPath == forPath && c.name == wszForComponentName) {
                           c.dependencies.push_back(Dependency{onWriterId, orEmpty(wszOnLogicalPath), wszOnComponentName});
                           return S_OK;
                       }
                   }
                   return VSS_E_OBJECT_NOT_FOUND;
               });
}

HRESULT MetadataBuilder::SetBackupSchema(DWORD dwSchemaMask) noexcept
{
    attachCurrentThread();
    metadata_.backupSchema = dwSchemaMask;
    return S_OK;
}

HRESULT MetadataBuilder::GetDocument(IXMLDOMDocument **pDoc) noexcept
{
    if (pDoc)
        *pDoc = nullptr;
    return notImplemented("IVssCreateWriterMetadata::GetDocument");
}

HRESULT MetadataBuilder::SaveAsXML(BSTR *pbstrXML) noexcept
{
    return run("IVssCreateWriterMetadata::SaveAsXML", pbstrXML, [&] {
        return bstrOut(pbstrXML, formatWmdXml(identity_, metadata_), "IVssCreateWriterMetadata::SaveAsXML");
    });
}

HRESULT MetadataBuilder::AddExcludeFilesFromSnapshot(LPCWSTR wszPath, LPCWSTR wszFilespec, SdkBool bRecursive) noexcept
{
    return run("IVssCreateWriterMetadataEx::AddExcludeFilesFromSnapshot", wszPath && wszFilespec, [&] {
        FileSpec spec;
        spec.path = wszPath;
        spec.filespec = wszFilespec;
        spec.recursive = bRecursive;
        metadata_.excludeFromSnapshot.push_back(std::move(spec));
        return S_OK;
    });
}
#endif // VSSSIM_WRITER_SIDE

// ---------------------------------------------------------------------------------------------
// Factories

IVssExamineWriterMetadata *makeExamineWriterMetadata(const WriterIdentity &identity, const WriterMetadata &metadata)
{
    return new ExamineWriterMetadata(identity, metadata);
}

IVssWMFiledesc *makeFiledesc(const FileSpec &spec)
{
    return new WMFiledesc(spec);
}

} // namespace vsssim

extern "C" HRESULT STDAPICALLTYPE CreateVssExamineWriterMetadataInternal(BSTR bstrXML,
                                                                        IVssExamineWriterMetadata **ppMetadata)
{
    using namespace vsssim;
    return guarded("CreateVssExamineWriterMetadata", [&]() -> HRESULT {
        attachCurrentThread();
        if (!ppMetadata)
            return E_INVALIDARG;
        *ppMetadata = nullptr;
        if (!bstrXML)
            return E_INVALIDARG;
        auto parsed = parseWmdXml(std::wstring_view(bstrXML));
        if (!parsed)
            return parsed.error().hr;
        *ppMetadata = new ExamineWriterMetadata(std::move(parsed->first), std::move(parsed->second));
        return S_OK;
    });
}
