// The built-in writer populations (docs/listings.md §4): real names, real class ids, and the
// three instance ids that are identical on unrelated machines pinned. The default simulation and
// scenario files both draw from this one table.
#include "service/service.h"

#include <algorithm>
#include <array>

namespace vsssim {

namespace {

constexpr ProfileWriter kWinClient[] = {
    {"Task Scheduler Writer", GUID{0xd61d61c8, 0xd73a, 0x4eee, {0x8c,0xdd,0xf6,0xf9,0x78,0x6b,0x71,0x24}}, GUID{0x1bddd48e, 0x5052, 0x49db, {0x9b,0x07,0xb9,0x6f,0x96,0x72,0x7e,0x6b}}, VSS_UT_BOOTABLESYSTEMSTATE, "Tasks Store"},
    {"VSS Metadata Store Writer", GUID{0x75dfb225, 0xe2e4, 0x4d39, {0x9a,0xc9,0xff,0xaf,0xf6,0x5d,0xdf,0x06}}, GUID{0x088e7a7d, 0x09a8, 0x4cc6, {0xa6,0x09,0xad,0x90,0xe7,0x5d,0xdc,0x93}}, VSS_UT_BOOTABLESYSTEMSTATE, "WriterMetadataStore"},
    {"Performance Counters Writer", GUID{0x0bada1de, 0x01a9, 0x4625, {0x82,0x78,0x69,0xe7,0x35,0xf3,0x9d,0xd2}}, GUID{0xf0086dda, 0x9efc, 0x47c5, {0x8e,0xb6,0xa9,0x44,0xc3,0xd0,0x93,0x81}}, VSS_UT_BOOTABLESYSTEMSTATE, "PerformanceCounters"},
    {"System Writer", GUID{0xe8132975, 0x6f93, 0x4464, {0xa5,0x3e,0x10,0x50,0x25,0x3a,0xe2,0x20}}, std::nullopt, VSS_UT_BOOTABLESYSTEMSTATE, "System Files"},
    {"MSSearch Service Writer", GUID{0xcd3f2362, 0x8bef, 0x46c7, {0x91,0x81,0xd6,0x28,0x44,0xcd,0xc0,0xb2}}, std::nullopt, VSS_UT_OTHER, ""},
    {"ASR Writer", GUID{0xbe000cbe, 0x11fe, 0x4426, {0x9c,0x58,0x53,0x1a,0xa6,0x35,0x5f,0xc4}}, std::nullopt, VSS_UT_BOOTABLESYSTEMSTATE, "ASR"},
    {"Shadow Copy Optimization Writer", GUID{0x4dc3bdd4, 0xab48, 0x4d07, {0xad,0xb0,0x3b,0xee,0x29,0x26,0xfd,0x7f}}, std::nullopt, VSS_UT_OTHER, ""},
    {"Registry Writer", GUID{0xafbab4a2, 0x367d, 0x4d15, {0xa5,0x86,0x71,0xdb,0xb1,0x8f,0x84,0x85}}, std::nullopt, VSS_UT_BOOTABLESYSTEMSTATE, "Registry"},
    {"COM+ REGDB Writer", GUID{0x542da469, 0xd3e1, 0x473c, {0x9f,0x4f,0x78,0x47,0xf0,0x1f,0xc6,0x4f}}, std::nullopt, VSS_UT_BOOTABLESYSTEMSTATE, "COM+ REGDB"},
    {"WMI Writer", GUID{0xa6ad56c2, 0xb509, 0x4e6c, {0xbb,0x19,0x49,0xd8,0xf4,0x35,0x32,0xf0}}, std::nullopt, VSS_UT_BOOTABLESYSTEMSTATE, "WMI"},
};

// Server base: the client set without MSSearch (it is a client feature), plus these.
constexpr ProfileWriter kServerExtras[] = {
    {"BITS Writer", GUID{0x4969d978, 0xbe47, 0x48b0, {0xb1,0x00,0xf3,0x28,0xf0,0x7a,0xc1,0xe0}}, std::nullopt, VSS_UT_SYSTEMSERVICE, "BITS_BITS"},
    {"IIS Config Writer", GUID{0x2a40fd15, 0xdfca, 0x4aa8, {0xa6,0x54,0x1f,0x8c,0x65,0x46,0x03,0xf6}}, std::nullopt, VSS_UT_SYSTEMSERVICE, "IISCONFIG"},
    {"IIS Metabase Writer", GUID{0x59b1f0cf, 0x90ef, 0x465f, {0x96,0x09,0x6c,0xa8,0xb2,0x93,0x83,0x66}}, std::nullopt, VSS_UT_SYSTEMSERVICE, "IISMETABASE"},
    {"Dedup Writer", GUID{0x41db4dbf, 0x6046, 0x470e, {0x8a,0xd5,0xd5,0x08,0x1d,0xfb,0x1b,0x70}}, std::nullopt, VSS_UT_OTHER, ""},
};

constexpr ProfileWriter kSql[] = {
    {"SqlServerWriter", GUID{0xa65faa63, 0x5ea8, 0x4ebc, {0x9d,0xbd,0xa0,0xc4,0xdb,0x26,0x91,0x2a}}, std::nullopt, VSS_UT_USERDATA, "master"},
};

constexpr ProfileWriter kExchange[] = {
    {"Microsoft Exchange Writer", GUID{0x76fe1ac4, 0x15f7, 0x4bcd, {0x98,0x7e,0x8e,0x1a,0xcb,0x46,0x2f,0xb7}}, std::nullopt, VSS_UT_USERDATA, "Mailbox Database"},
    {"Microsoft Exchange Replica Writer", GUID{0x76fe1ac4, 0x15f7, 0x4bcd, {0x98,0x7e,0x8e,0x1a,0xcb,0x46,0x2f,0xb7}}, std::nullopt, VSS_UT_USERDATA, "Replica Database"},
};

constexpr ProfileWriter kHyperv[] = {
    {"Microsoft Hyper-V VSS Writer", GUID{0x66841cd4, 0x6ded, 0x4f4b, {0x8f,0x17,0xfd,0x23,0xf8,0xdd,0xc3,0xde}}, std::nullopt, VSS_UT_USERDATA, "Host Component"},
};

constexpr ProfileWriter kAdDc[] = {
    {"NTDS", GUID{0xb2014c9e, 0x8711, 0x4c5c, {0xa5,0xa9,0x3c,0xf3,0x84,0x48,0x47,0x57}}, std::nullopt, VSS_UT_SYSTEMSERVICE, "ntds"},
};

constexpr ProfileWriter kTestWriter[] = {
    {"VSS Test Writer", GUID{0x5affb034, 0x969f, 0x4919, {0x88,0x75,0x88,0xf8,0x30,0xd0,0xef,0x89}}, std::nullopt, VSS_UT_USERDATA, "TestFiles"},
};

struct Profile {
    std::string_view name;
    std::span<const ProfileWriter> writers;
};

const Profile kProfiles[] = {
    {"win-client", kWinClient},
    {"sql", kSql},
    {"exchange", kExchange},
    {"hyperv", kHyperv},
    {"ad-dc", kAdDc},
    {"test-writer", kTestWriter},
};

constexpr std::array<std::string_view, 8> kProfileNames{"win-client", "win-server", "sql", "exchange", "hyperv", "ad-dc", "test-writer", "none"};

} // namespace

std::vector<ProfileWriter> profileWriters(std::string_view profile)
{
    std::vector<ProfileWriter> out;
    if (profile == "win-server") {
        for (const ProfileWriter &w : kWinClient)
            if (w.name != "MSSearch Service Writer")
                out.push_back(w);
        out.insert(out.end(), std::begin(kServerExtras), std::end(kServerExtras));
        return out;
    }
    for (const Profile &p : kProfiles)
        if (p.name == profile)
            out.assign(p.writers.begin(), p.writers.end());
    return out;
}

std::vector<ProfileWriter> profileWriters(std::string_view profile, const OsVersion &os)
{
    std::vector<ProfileWriter> out = profileWriters(profile);
    std::erase_if(out, [&](const ProfileWriter &w) {
        return std::find(os.absentWriters.begin(), os.absentWriters.end(), w.name) != os.absentWriters.end();
    });
    return out;
}

std::span<const std::string_view> profileNames()
{
    return kProfileNames;
}

} // namespace vsssim
