// The attribute bits a shadow copy carries (VSS_SNAPSHOT_PROP::m_lSnapshotAttributes) and the words
// the three Windows listings print for them (docs/api.md §6). One table serves the properties the
// requester reads, vssadmin list shadows, VShadow -q and DiskShadow list shadows.
#pragma once
#include "private.h"

#include <span>
#include <string_view>

#include <vss.h>

#include "service/model.h"

namespace vsssim {

/// One VSS_VOLSNAP_ATTR_* bit and how the listings spell it.
struct AttributeWord {
    LONG bit;
    std::string_view vssadmin;        ///< in vssadmin's comma-separated "Attributes:" line (bit order)
    bool vssadminConfirmed;           ///< the word was seen in a real capture
    int vshadowPosition;              ///< VShadow / DiskShadow print order (1 = first); 0: never printed
    std::string_view vshadow;         ///< the word when the bit is set
    std::string_view vshadowWhenClear;///< the word when it is clear ("" : nothing)
};

std::span<const AttributeWord> attributeWords() noexcept;

/** \brief What m_lSnapshotAttributes holds: the context and attributes in force, plus the bits the
 *         provider and the service add (DIFFERENTIAL for the system provider, AUTORECOVER when
 *         writers took part). */
LONG shadowCopyAttributes(LONG context, const ProviderSettings &provider) noexcept;

/** \brief vssadmin's "Type:" word for the context the attributes encode ("Backup", "ClientAccessible", ...). */
std::string_view vssadminShadowType(LONG attributes) noexcept;

} // namespace vsssim
