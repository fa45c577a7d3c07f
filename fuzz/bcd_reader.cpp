// A requester-supplied backup components document -> InitializeForRestore: S_OK or
// VSS_E_INVALID_XML_DOCUMENT; a document it accepts round-trips through SaveAsXML.
#include "fuzz.h"

#include <windows.h>
#include <vss.h>
#include <vsbackup.h>

#include "return_codes.h"

namespace {

HRESULT initializeForRestore(const std::wstring &xml, std::wstring &saved)
{
    IVssBackupComponents *p = nullptr;
    HRESULT hr = CreateVssBackupComponents(&p);
    vsssim::fuzz::require(hr == S_OK, "CreateVssBackupComponents failed");
    BSTR doc = SysAllocStringLen(xml.data(), static_cast<UINT>(xml.size()));
    hr = p->InitializeForRestore(doc);
    SysFreeString(doc);
    vsssim::fuzz::require(hr == S_OK || hr == VSS_E_INVALID_XML_DOCUMENT || hr == E_INVALIDARG,
                          "InitializeForRestore returned a code the reference does not list");
    if (hr == S_OK)
        saved = vsssim::fuzz::savedXml(p);
    p->Release();
    return hr;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    return vsssim::fuzz::roundTrip(data, size, "InitializeForRestore", initializeForRestore);
}
