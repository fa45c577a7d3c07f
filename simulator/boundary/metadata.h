// Writer metadata at the Windows-compatible boundary: what a writer's OnIdentify(Ex) fills in
// (IVssCreateWriterMetadataEx) and what a requester reads back (IVssExamineWriterMetadataEx2 with
// IVssWMComponent, IVssWMFiledesc and IVssWMDependency).
#pragma once
#include "private.h"

#include <vsbackup.h>
#include <vswriter.h>

#include "service/model.h"

namespace vsssim {

#if VSSSIM_WRITER_SIDE
/// The IVssCreateWriterMetadataEx a writer's OnIdentify(Ex) receives. The writer adapter makes it
/// on the stack for the duration of the handler, so its reference count is fixed at 1.
class MetadataBuilder final : public IVssCreateWriterMetadataEx
{
public:
    /** \brief Writes into metadata; identity is what SaveAsXML reports. Both must outlive the builder. */
    MetadataBuilder(WriterMetadata &metadata, const WriterIdentity &identity) noexcept;
    MetadataBuilder(const MetadataBuilder &) = delete;
    MetadataBuilder &operator=(const MetadataBuilder &) = delete;

    // IUnknown
    HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void **ppvObject) noexcept override;
    ULONG STDMETHODCALLTYPE AddRef() noexcept override { return 1; }
    ULONG STDMETHODCALLTYPE Release() noexcept override { return 1; }

    // IVssCreateWriterMetadata
    HRESULT STDMETHODCALLTYPE AddIncludeFiles(LPCWSTR wszPath, LPCWSTR wszFilespec, bool bRecursive,
                                              LPCWSTR wszAlternateLocation) noexcept override;
    HRESULT STDMETHODCALLTYPE AddExcludeFiles(LPCWSTR wszPath, LPCWSTR wszFilespec, bool bRecursive) noexcept override;
    HRESULT STDMETHODCALLTYPE AddComponent(VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath, LPCWSTR wszComponentName,
                                           LPCWSTR wszCaption, const BYTE *pbIcon, UINT cbIcon, bool bRestoreMetadata,
                                           bool bNotifyOnBackupComplete, bool bSelectable, bool bSelectableForRestore,
                                           DWORD dwComponentFlags) noexcept override;
    HRESULT STDMETHODCALLTYPE AddDatabaseFiles(LPCWSTR wszLogicalPath, LPCWSTR wszDatabaseName, LPCWSTR wszPath,
                                               LPCWSTR wszFilespec, DWORD dwBackupTypeMask) noexcept override;
    HRESULT STDMETHODCALLTYPE AddDatabaseLogFiles(LPCWSTR wszLogicalPath, LPCWSTR wszDatabaseName, LPCWSTR wszPath,
                                                  LPCWSTR wszFilespec, DWORD dwBackupTypeMask) noexcept override;
    HRESULT STDMETHODCALLTYPE AddFilesToFileGroup(LPCWSTR wszLogicalPath, LPCWSTR wszGroupName, LPCWSTR wszPath,
                                                  LPCWSTR wszFilespec, bool bRecursive, LPCWSTR wszAlternateLocation,
                                                  DWORD dwBackupTypeMask) noexcept override;
    HRESULT STDMETHODCALLTYPE SetRestoreMethod(VSS_RESTOREMETHOD_ENUM method, LPCWSTR wszService,
                                               LPCWSTR wszUserProcedure, VSS_WRITERRESTORE_ENUM writerRestore,
                                               bool bRebootRequired) noexcept override;
    HRESULT STDMETHODCALLTYPE AddAlternateLocationMapping(LPCWSTR wszSourcePath, LPCWSTR wszSourceFilespec,
                                                          bool bRecursive, LPCWSTR wszDestination) noexcept override;
    HRESULT STDMETHODCALLTYPE AddComponentDependency(LPCWSTR wszForLogicalPath, LPCWSTR wszForComponentName,
                                                     VSS_ID onWriterId, LPCWSTR wszOnLogicalPath,
                                                     LPCWSTR wszOnComponentName) noexcept override;
    HRESULT STDMETHODCALLTYPE SetBackupSchema(DWORD dwSchemaMask) noexcept override;
    HRESULT STDMETHODCALLTYPE GetDocument(IXMLDOMDocument **pDoc) noexcept override;
    HRESULT STDMETHODCALLTYPE SaveAsXML(BSTR *pbstrXML) noexcept override;

    // IVssCreateWriterMetadataEx
    HRESULT STDMETHODCALLTYPE AddExcludeFilesFromSnapshot(LPCWSTR wszPath, LPCWSTR wszFilespec,
                                                          bool bRecursive) noexcept override;

private:
    HRESULT addComponentFiles(LPCWSTR wszLogicalPath, LPCWSTR wszName, VSS_COMPONENT_TYPE type, FileSpec spec,
                              bool logFiles);

    WriterMetadata &metadata_;
    const WriterIdentity &identity_;
};
#endif // VSSSIM_WRITER_SIDE

/** \brief A requester's view of a writer's metadata: an IVssExamineWriterMetadataEx2 over a copy,
 *  with one reference the caller releases. Throws std::bad_alloc. */
IVssExamineWriterMetadata *makeExamineWriterMetadata(const WriterIdentity &identity, const WriterMetadata &metadata);

/** \brief One file set as IVssWMFiledesc, with one reference the caller releases. Throws std::bad_alloc. */
IVssWMFiledesc *makeFiledesc(const FileSpec &spec);

} // namespace vsssim
