// The writer metadata document in the simulator's own XML form (Microsoft's schema is out of scope):
// IVssExamineWriterMetadata::SaveAsXML and IVssCreateWriterMetadata::SaveAsXML write it,
// CreateVssExamineWriterMetadata and LoadFromXML read it back, and nothing else is accepted.
#pragma once
#include "private.h"

#include <string>
#include <string_view>
#include <utility>

#include "core/result.h"
#include "service/model.h"

namespace vsssim {

std::wstring formatWmdXml(const WriterIdentity &identity, const WriterMetadata &metadata);
/** \brief Parse a document formatWmdXml wrote; anything else is VSS_E_INVALID_XML_DOCUMENT, saying what is wrong. */
Result<std::pair<WriterIdentity, WriterMetadata>> parseWmdXml(std::wstring_view xml);

} // namespace vsssim
