// Text emulations of the Windows tools people parse: `vssadmin list writers` and `list providers`,
// DiskShadow `list writers status` and VShadow `-ws` (docs/listings.md §1-§3), byte for byte,
// so that scripts written against those tools can be tested on Linux. Each listing is produced from
// a held status list, the way the tools produce theirs from GetWriterStatus.
#pragma once
#include "private.h"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <vss.h>

#include "core/names.h"
#include "core/writer_state.h"
#include "service/model.h"
#include "service/session.h"

namespace vsssim {

class Service;

struct ListingOptions {
    bool crlf = false;      ///< "\r\n" line ends, as the Windows console writes them
    bool french = false;    ///< the French strings of §1.5 (vssadmin only); unknown ones stay English
    bool legacy = false;    ///< "(C) Copyright 2001-2005": Windows Server 2003/2008-era profiles
    bool preamble = false;  ///< "Waiting for responses." (§1.2): observeWriters' `late`, or forced
};

/// vssadmin's State label (§1.3, rule R20): one row per group of states.
struct StateLabel {
    StateSet states;
    std::string_view label;
    std::string_view french;   ///< "" where no French capture exists
    bool confirmed;            ///< seen in a real capture
};
std::span<const StateLabel> vssadminStateLabels() noexcept;
const StateLabel &vssadminStateLabel(VSS_WRITER_STATE state) noexcept;

/// vssadmin's Last error text (§1.4, rule R20). Codes without a row read "Unexpected error".
struct LastErrorText {
    HRESULT code;
    std::string_view text;
    std::string_view french;
    bool confirmed;
};
std::span<const LastErrorText> vssadminLastErrors() noexcept;
/** \brief The row of `code`, or the "Unexpected error" row every other code shares. */
const LastErrorText &vssadminLastError(HRESULT code) noexcept;
/** \brief Whether `code` has a row of its own (the codes a writer's status can carry). */
bool hasOwnLastError(HRESULT code) noexcept;

/** \brief VShadow's name for a code, or nullopt where it falls back to "<Unknown error code>". */
std::optional<std::string_view> vshadowCodeName(HRESULT code) noexcept;

/** \brief `vssadmin list writers` (§1.1-§1.5). */
std::string formatVssadminWriters(const std::vector<StatusEntry> &writers, const ListingOptions &options);
/** \brief vssadmin's output when the service is not ready (§1.6). */
std::string formatVssadminError(const ListingOptions &options);
/** \brief `vssadmin list providers` with the one software provider (§1.7). */
std::string formatVssadminProviders(const ProviderSettings &provider, const ListingOptions &options);
/** \brief DiskShadow `list writers status` (§2); only `crlf` applies. */
std::string formatDiskShadowWriters(const std::vector<StatusEntry> &writers, const ListingOptions &options);
/** \brief VShadow `-ws` (§3); only `crlf` applies. */
std::string formatVShadowWriters(const std::vector<StatusEntry> &writers, const ListingOptions &options);

/// One writer's Identify answer as `vshadow -wm` reads it: GetIdentity, GetRestoreMethod, the
/// excluded files and the components.
struct MetadataListingEntry {
    WriterIdentity identity;
    WriterMetadata metadata;
};
/** \brief VShadow `-wm` (the layout of Microsoft's FRS Writer sample, backing-up-and-restoring-an-frs-
 *  replicated-sysvol-folder.md); `volumes` name the affected volumes. Only `crlf` applies. */
std::string formatVShadowMetadata(const std::vector<MetadataListingEntry> &writers, const std::vector<Volume> &volumes,
                                  const ListingOptions &options);
/** \brief What `vshadow -wm` sees: GatherWriterMetadata in an observer session; empty on failure (`result`). */
std::vector<MetadataListingEntry> observeWriterMetadata(Service &svc, HRESULT *result = nullptr);

/// One shadow copy as the listing tools read it: the properties Query returned (docs/api.md §6),
/// plus the two names the tools look up elsewhere (the volume's drive letter, the provider's name).
struct ShadowListingEntry {
    VSS_ID id{};
    VSS_ID setId{};
    LONG setCount = 0;
    std::wstring device;
    std::wstring originalVolume;   ///< "\\?\Volume{...}\"
    std::wstring volumeDisplay;    ///< "C:\"
    std::wstring originatingMachine;
    std::wstring serviceMachine;
    VSS_ID providerId{};
    std::wstring providerName;
    LONG attributes = 0;
    VSS_TIMESTAMP created = 0;
};

/** \brief The entry of one VSS_SNAPSHOT_PROP (strings copied; the caller still frees the structure). */
ShadowListingEntry shadowListingEntry(const VSS_SNAPSHOT_PROP &prop, std::wstring volumeDisplay,
                                      std::wstring providerName);
/** \brief "Differential, Auto recovered": vssadmin's Attributes words, in bit order. */
std::string vssadminAttributeText(LONG attributes);
/** \brief " Auto_Release No_Writers Differential": VShadow's and DiskShadow's words, each after a space. */
std::string vshadowAttributeText(LONG attributes);
/** \brief "8/29/2026 10:25:32 AM": the en-US short date and time the three tools print (UTC here). */
std::string listingTime(VSS_TIMESTAMP fileTime);
/** \brief `vssadmin list shadows`, or "No items found that satisfy the query." */
std::string formatVssadminShadows(const std::vector<ShadowListingEntry> &shadows, const ListingOptions &options);
/** \brief VShadow `-q`: "Querying all shadow copies in the system ..." and one block per shadow copy. */
std::string formatVShadowShadows(const std::vector<ShadowListingEntry> &shadows, const ListingOptions &options);
/** \brief DiskShadow `list shadows all`. */
std::string formatDiskShadowShadows(const std::vector<ShadowListingEntry> &shadows, const ListingOptions &options);

/**
 * \brief What vssadmin sees: Identify + GatherWriterStatus in an observer session of its own.
 * \param late set when the preamble condition of §1.2 holds: a creation runs, or a listed writer
 *        answers status requests late (scripted delay, or it ignores them).
 * \param result the observer's first failure (service not ready, injected fault), else S_OK;
 *        on failure the list is empty.
 */
std::vector<StatusEntry> observeWriters(Service &svc, bool &late, HRESULT *result = nullptr);

/** \brief "F2: Freeze / fatal, hang (abort)": how `vss-sim graph` and `explain` name a row. */
std::string transitionLabel(const Row &row);
/** \brief How a row moves a writer: a state name, "unchanged", or a no-record case. */
std::string targetText(const Row &row);
/** \brief The states a row starts from, by name, "(no record)" for the writer without one. */
std::string fromText(StateSet from);
/** \brief DOT of transitionTable(): nodes s0..s15 and `none`, one edge per (row, from-state). */
std::string formatTransitionGraph();

} // namespace vsssim
