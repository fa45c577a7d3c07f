// The backup components document in the simulator's own XML form (Microsoft's schema is out of
// scope): SaveAsXML writes it, InitializeForRestore reads it back, and nothing else is accepted.
#pragma once
#include "private.h"

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "service/model.h"

namespace vsssim {

struct BcdDocument {
    std::vector<ComponentRecord> components;
    VSS_BACKUP_TYPE backupType = VSS_BT_FULL;
    LONG context = VSS_CTX_BACKUP;
    bool selectComponents = false;
    bool bootable = false;
    bool partialFileSupport = false;   ///< SetBackupState's bPartialFileSupport
    VSS_ID snapshotSetId{};
};

std::wstring formatBcdXml(const BcdDocument &doc);
/** \brief Parse a document formatBcdXml wrote; the error says what is wrong and where. */
Result<BcdDocument> parseBcdXml(std::wstring_view xml);

} // namespace vsssim
