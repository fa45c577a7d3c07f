// The Windows versions a simulation can be (`[service] os`, `vss-sim list-writers --os`): what a
// requester can tell apart on them — which IVssBackupComponentsEx levels QueryInterface gives, the
// built-in writer set, vssadmin's banner, the version numbers a program reads. One table; the
// service, the COM layer, the listings and the tests all read it.
#pragma once
#include "private.h"

#include <span>
#include <string_view>

namespace vsssim {

struct OsVersion {
    std::string_view key;           ///< what `os = "..."` names: "windows-server-2019"
    std::string_view name;          ///< "Windows Server 2019"
    bool server;
    unsigned major, minor, build;   ///< as GetVersionEx / RtlGetVersion report them
    unsigned short servicePack;
    /// The highest IVssBackupComponentsEx level QueryInterface gives (docs/api.md §7): 3 on
    /// Windows 7 / Server 2008 R2, 4 from Windows 8 / Server 2012 on.
    int backupComponentsLevel;
    std::string_view copyrightYears;       ///< vssadmin's banner line 2
    std::span<const std::string_view> absentWriters;  ///< profile writers this version does not have
    std::string_view source;               ///< where the row's facts come from
};

std::span<const OsVersion> osVersions() noexcept;
/** \brief The row of `key`, or nullptr. */
const OsVersion *findOsVersion(std::string_view key) noexcept;
/** \brief The newest client, the default of every simulation. */
const OsVersion &defaultOsVersion() noexcept;

} // namespace vsssim
