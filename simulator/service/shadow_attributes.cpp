#include "service/shadow_attributes.h"

namespace vsssim {

namespace {

// Rows in bit order, which is the order vssadmin prints them in: "Persistent, Client-accessible,
// No auto release, No writers, Differential" (VSS_CTX_CLIENT_ACCESSIBLE, kopia/kopia#3036) and
// "Differential, Auto recovered" (VSS_CTX_BACKUP, duplicati/duplicati#7205) are real captures; the
// vssadmin words marked false were never seen in one and follow the same spelling pattern.
// The VShadow words and their order come from the sample's PrintSnapshotProperties
// (microsoft/Windows-classic-samples Samples/VShadowVolumeShadowCopy/cpp/query.cpp), which prints
// "Auto_Release" when NO_AUTO_RELEASE is clear; DiskShadow prints the same words
// ("No_Auto_Release Persistent Differential" for `set context persistent`, openzfsonwindows/openzfs#350).
constexpr AttributeWord kWords[] = {
    {VSS_VOLSNAP_ATTR_PERSISTENT, "Persistent", true, 3, "Persistent", ""},
    {VSS_VOLSNAP_ATTR_NO_AUTORECOVERY, "No auto recovery", false, 0, "", ""},
    {VSS_VOLSNAP_ATTR_CLIENT_ACCESSIBLE, "Client-accessible", true, 4, "Client_accessible", ""},
    {VSS_VOLSNAP_ATTR_NO_AUTO_RELEASE, "No auto release", true, 2, "No_Auto_Release", "Auto_Release"},
    {VSS_VOLSNAP_ATTR_NO_WRITERS, "No writers", true, 6, "No_Writers", ""},
    {VSS_VOLSNAP_ATTR_TRANSPORTABLE, "Transportable", false, 1, "Transportable", ""},
    {VSS_VOLSNAP_ATTR_HARDWARE_ASSISTED, "Hardware assisted", false, 5, "Hardware", ""},
    {VSS_VOLSNAP_ATTR_DIFFERENTIAL, "Differential", true, 9, "Differential", ""},
    {VSS_VOLSNAP_ATTR_PLEX, "Plex", false, 8, "Plex", ""},
    {VSS_VOLSNAP_ATTR_IMPORTED, "Imported", false, 7, "Imported", ""},
    {VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY, "Exposed locally", false, 0, "", ""},
    {VSS_VOLSNAP_ATTR_EXPOSED_REMOTELY, "Exposed remotely", false, 0, "", ""},
    {VSS_VOLSNAP_ATTR_AUTORECOVER, "Auto recovered", true, 0, "", ""},
    {VSS_VOLSNAP_ATTR_ROLLBACK_RECOVERY, "Rollback recovery", false, 0, "", ""},
    {VSS_VOLSNAP_ATTR_TXF_RECOVERY, "Txf recovery", false, 0, "", ""},
};

// The context is what the context-defining bits spell; vssadmin names it on its "Type:" line.
// "Backup" is in duplicati#7205; "ClientAccessibleWriters" is what System Restore points show; the
// other names follow the VSS_CTX_* constants the same way.
struct ContextName {
    LONG context;
    std::string_view name;
};
constexpr LONG kContextBits = VSS_VOLSNAP_ATTR_PERSISTENT | VSS_VOLSNAP_ATTR_CLIENT_ACCESSIBLE |
                              VSS_VOLSNAP_ATTR_NO_AUTO_RELEASE | VSS_VOLSNAP_ATTR_NO_WRITERS;
constexpr ContextName kContextNames[] = {
    {VSS_CTX_BACKUP, "Backup"},
    {VSS_CTX_FILE_SHARE_BACKUP, "FileShareBackup"},
    {VSS_CTX_NAS_ROLLBACK, "DataVolumeRollback"},
    {VSS_CTX_APP_ROLLBACK, "ApplicationRollback"},
    {VSS_CTX_CLIENT_ACCESSIBLE, "ClientAccessible"},
    {VSS_CTX_CLIENT_ACCESSIBLE_WRITERS, "ClientAccessibleWriters"},
};

// The in-box software provider (vssadmin list providers, grke/burp#753).
constexpr VSS_ID kSystemProvider{0xb5946137, 0x7b9f, 0x4925, {0xaf, 0x80, 0x51, 0xab, 0xd6, 0x0b, 0x20, 0xd5}};

} // namespace

std::span<const AttributeWord> attributeWords() noexcept { return kWords; }

LONG shadowCopyAttributes(LONG context, const ProviderSettings &provider) noexcept
{
    LONG bits = context;
    // The system provider makes copy-on-write shadow copies only: every listing of one says
    // Differential, and none says Plex, Hardware, Transportable or Imported.
    if (provider.providerId == kSystemProvider)
        bits |= VSS_VOLSNAP_ATTR_DIFFERENTIAL;
    // Writers took part, so the shadow copy went through the auto-recovery step (vssadmin: "Auto
    // recovered", duplicati#7205) unless the requester asked for none (DiskShadow `set option
    // noautorecover`, openzfsonwindows/openzfs#406).
    if (!(context & VSS_VOLSNAP_ATTR_NO_WRITERS) && !(context & VSS_VOLSNAP_ATTR_NO_AUTORECOVERY))
        bits |= VSS_VOLSNAP_ATTR_AUTORECOVER;
    return bits;
}

std::string_view vssadminShadowType(LONG attributes) noexcept
{
    for (const ContextName &c : kContextNames)
        if ((attributes & kContextBits) == c.context)
            return c.name;
    return "Unknown";
}

} // namespace vsssim
