// A requester-supplied writer metadata document -> CreateVssExamineWriterMetadata: S_OK or
// VSS_E_INVALID_XML_DOCUMENT; what it accepts can be read through and saved again.
#include "fuzz.h"

#include <windows.h>
#include <vss.h>
#include <vsbackup.h>

namespace {

HRESULT examine(const std::wstring &xml, std::wstring &saved)
{
    BSTR doc = SysAllocStringLen(xml.data(), static_cast<UINT>(xml.size()));
    IVssExamineWriterMetadata *p = nullptr;
    const HRESULT hr = CreateVssExamineWriterMetadata(doc, &p);
    SysFreeString(doc);
    vsssim::fuzz::require(hr == S_OK || hr == VSS_E_INVALID_XML_DOCUMENT,
                          "CreateVssExamineWriterMetadata returned a code the reference does not list");
    if (hr != S_OK)
        return hr;
    VSS_ID instance{}, writer{};
    BSTR name = nullptr;
    VSS_USAGE_TYPE usage{};
    VSS_SOURCE_TYPE source{};
    vsssim::fuzz::require(p->GetIdentity(&instance, &writer, &name, &usage, &source) == S_OK, "GetIdentity failed");
    SysFreeString(name);
    UINT includes = 0, excludes = 0, components = 0;
    vsssim::fuzz::require(p->GetFileCounts(&includes, &excludes, &components) == S_OK, "GetFileCounts failed");
    for (UINT i = 0; i < components; ++i) {
        IVssWMComponent *c = nullptr;
        vsssim::fuzz::require(p->GetComponent(i, &c) == S_OK, "GetComponent of a counted component failed");
        PVSSCOMPONENTINFO info = nullptr;
        vsssim::fuzz::require(c->GetComponentInfo(&info) == S_OK, "GetComponentInfo failed");
        c->FreeComponentInfo(info);
        c->Release();
    }
    saved = vsssim::fuzz::savedXml(p);
    p->Release();
    return hr;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    return vsssim::fuzz::roundTrip(data, size, "CreateVssExamineWriterMetadata", examine);
}
