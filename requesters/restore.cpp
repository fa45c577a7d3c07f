// A backup of C:\ (retried as docs/behaviour.md §17 advises) whose Backup Components Document (SaveAsXML) is then restored as docs/behaviour.md §3
// has it: InitializeForRestore, GatherWriterMetadata, every component the backup reported as backed
// up selected for restore, PreRestore, SetFileRestoreStatus (VSS_RS_NONE for the components of a
// writer whose status shows a failure, as VShadow does), PostRestore and the status gathered after it.
#include "requester.h"

// The components of the document that the backup reported as backed up, selected for restore by
// instance id: writers may share a class id (the two Exchange writers do).
static HRESULT SelectForRestore(IVssBackupComponents *pBackup)
{
    IVssBackupComponentsEx *pEx = NULL;
    HRESULT hr = pBackup->QueryInterface(IID_IVssBackupComponentsEx, (void **)&pEx);
    if (FAILED(hr))
        return hr;
    UINT cWriters = 0;
    hr = pBackup->GetWriterComponentsCount(&cWriters);
    for (UINT iWriter = 0; SUCCEEDED(hr) && iWriter < cWriters; iWriter++) {
        IVssWriterComponentsExt *pWriter = NULL;
        hr = pBackup->GetWriterComponents(iWriter, &pWriter);
        if (FAILED(hr))
            break;
        VSS_ID idInstance = GUID_NULL, idWriter = GUID_NULL;
        UINT cComponents = 0;
        hr = pWriter->GetWriterInfo(&idInstance, &idWriter);
        if (SUCCEEDED(hr))
            hr = pWriter->GetComponentCount(&cComponents);
        for (UINT i = 0; SUCCEEDED(hr) && i < cComponents; i++) {
            IVssComponent *pComponent = NULL;
            hr = pWriter->GetComponent(i, &pComponent);
            if (FAILED(hr))
                break;
            BSTR bstrPath = NULL, bstrName = NULL;
            VSS_COMPONENT_TYPE type = VSS_CT_FILEGROUP;
            bool backedUp = false;
            hr = pComponent->GetLogicalPath(&bstrPath);
            if (SUCCEEDED(hr))
                hr = pComponent->GetComponentName(&bstrName);
            if (SUCCEEDED(hr))
                hr = pComponent->GetComponentType(&type);
            if (SUCCEEDED(hr))
                hr = pComponent->GetBackupSucceeded(&backedUp);
            if (SUCCEEDED(hr) && backedUp) {
                hr = pEx->SetSelectedForRestoreEx(idWriter, type, bstrPath, bstrName, true, idInstance);
                if (SUCCEEDED(hr) && AddSelected(idInstance, idWriter, type, bstrPath, bstrName))
                    printf("- Selected \"%ls\" for restore\n", bstrName);
            }
            SysFreeString(bstrPath);
            SysFreeString(bstrName);
            pComponent->Release();
        }
        pWriter->Release();
    }
    pEx->Release();
    return hr;
}

static HRESULT RestoreFrom(BSTR bstrBcd)
{
    RequesterOptions o = ComponentModeOptions();
    g_bWriterFailed = false;
    IVssBackupComponents *pBackup = NULL;
    HRESULT hr = CreateVssBackupComponents(&pBackup);
    if (SUCCEEDED(hr))
        hr = pBackup->InitializeForRestore(bstrBcd);
    if (SUCCEEDED(hr))
        hr = RunAsync(pBackup, &IVssBackupComponents::GatherWriterMetadata, o, "GatherWriterMetadata");
    if (SUCCEEDED(hr))
        hr = SelectForRestore(pBackup);
    // A failed PreRestore still gets PostRestore, with nothing restored (VShadow).
    HRESULT hrPre = S_OK;
    if (SUCCEEDED(hr)) {
        hrPre = RunAsync(pBackup, &IVssBackupComponents::PreRestore, o, "PreRestore");
        hr = GatherStatus(pBackup, o, "PreRestore", false);
    }
    // Here a real requester copies the files back.
    for (UINT i = 0; SUCCEEDED(hr) && i < g_cComponents; i++) {
        const Component &c = g_components[i];
        const VSS_FILE_RESTORE_STATUS status = FAILED(hrPre) || c.bFailed ? VSS_RS_NONE : VSS_RS_ALL;
        hr = pBackup->SetFileRestoreStatus(c.idWriter, c.type, c.bstrLogicalPath, c.bstrName, status);
    }
    if (SUCCEEDED(hr))
        hr = RunAsync(pBackup, &IVssBackupComponents::PostRestore, o, "PostRestore");
    // The gather after PostRestore frees the writers' restore slots (R10).
    if (SUCCEEDED(hr))
        hr = GatherStatus(pBackup, o, "PostRestore", false);
    if (pBackup)
        pBackup->Release();
    FreeComponents();
    return FAILED(hr) ? hr : hrPre;
}

int main()
{
    if (FAILED(CoInitializeEx(NULL, COINIT_MULTITHREADED)))
        return 1;
    BSTR bstrBcd = NULL;
    RequesterOptions o = ComponentModeOptions();
    o.pbstrBcd = &bstrBcd;
    HRESULT hr = BackupWithRetries(o, 3, true);
    int status = ExitCode(hr, "Backup");
    if (SUCCEEDED(hr) && bstrBcd)
        status = ExitCode(RestoreFrom(bstrBcd), "Restore");
    SysFreeString(bstrBcd);
    CoUninitialize();
    return status;
}
