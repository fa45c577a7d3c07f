#include "service/os_versions.h"

#include <algorithm>
#include <array>

namespace vsssim {

namespace {

// Data Deduplication arrived with Windows Server 2012 (In-Box VSS Writers page,
// MicrosoftDocs/win32 desktop-src/VSS/in-box-vss-writers.md: "Data Deduplication Writer ... Windows
// Server 2012").
constexpr std::array<std::string_view, 1> kBefore2012{"Dedup Writer"};
constexpr std::span<const std::string_view> kNone{};

// Version numbers: Microsoft's "Operating System Version" page (MicrosoftDocs/win32
// desktop-src/SysInfo/operating-system-version.md) and the release builds. Ex levels:
// docs/api.md §7 (req.target-min-winverclnt/-winversvr of the sdk-api pages). The 2001-2005
// banner: Windows 7 / Server 2008 R2 vssadmin (docs/listings.md §1, line 2).
constexpr std::array<OsVersion, 8> kVersions{{
    {"windows-server-2008-r2", "Windows Server 2008 R2", true, 6, 1, 7601, 1, 3, "2001-2005", kBefore2012,
     "operating-system-version.md; Ex4: vsbackup.h pages, minimum server 2012"},
    {"windows-server-2012-r2", "Windows Server 2012 R2", true, 6, 3, 9600, 0, 4, "2001-2013", kNone,
     "operating-system-version.md"},
    {"windows-server-2016", "Windows Server 2016", true, 10, 0, 14393, 0, 4, "2001-2013", kNone,
     "operating-system-version.md; build 14393 (1607)"},
    {"windows-server-2019", "Windows Server 2019", true, 10, 0, 17763, 0, 4, "2001-2013", kNone,
     "operating-system-version.md; build 17763 (1809)"},
    {"windows-server-2022", "Windows Server 2022", true, 10, 0, 20348, 0, 4, "2001-2013", kNone, "build 20348"},
    {"windows-server-2025", "Windows Server 2025", true, 10, 0, 26100, 0, 4, "2001-2013", kNone, "build 26100 (24H2)"},
    {"windows-10", "Windows 10", false, 10, 0, 19045, 0, 4, "2001-2013", kNone, "build 19045 (22H2)"},
    {"windows-11", "Windows 11", false, 10, 0, 26100, 0, 4, "2001-2013", kNone, "build 26100 (24H2)"},
}};

} // namespace

std::span<const OsVersion> osVersions() noexcept
{
    return kVersions;
}

const OsVersion *findOsVersion(std::string_view key) noexcept
{
    const auto it = std::find_if(kVersions.begin(), kVersions.end(), [&](const OsVersion &v) { return v.key == key; });
    return it == kVersions.end() ? nullptr : &*it;
}

const OsVersion &defaultOsVersion() noexcept
{
    return *findOsVersion("windows-11");
}

} // namespace vsssim
