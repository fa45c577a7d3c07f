// The built-in writer populations (docs/listings.md §4): real names, real class ids, the
// three instance ids that are identical on unrelated machines pinned, and what each writer declares
// at Identify (usage and source type, restore method, components, excluded files), each row with the
// capture or page it comes from. The default simulation, scenario files, the metadata objects, the
// detailed listing and the tests all draw from this one table.
#include "service/service.h"

#include <algorithm>
#include <array>

namespace vsssim {

namespace {

// The captures and pages each row cites. A row marked unconfirmed (Evidence::confirmed false) was
// not seen in a public capture: it follows Microsoft's page where one says, else our best reading.
constexpr std::string_view kInBox = "MicrosoftDocs/win32 desktop-src/VSS/in-box-vss-writers.md";
constexpr std::string_view kAsrPage =
    "MicrosoftDocs/win32 desktop-src/VSS/using-vss-automated-system-recovery-for-disaster-recovery.md";
constexpr std::string_view kVShadowExamples = "MicrosoftDocs/win32 desktop-src/VSS/vshadow-tool-examples.md";
constexpr std::string_view kRestic340 = "https://github.com/restic/restic/issues/340";
constexpr std::string_view kTsmSystemState =
    "https://www-01.ibm.com/support/knowledgecenter/SSGSG7_7.1.3/client/r_cmd_bkupsystemstate.html";
constexpr std::string_view kSystemState2003 =
    "MicrosoftDocs/win32 desktop-src/VSS/backing-up-and-restoring-system-state-under-vss.md";
constexpr std::string_view kTestWriterPage = "MicrosoftDocs/win32 desktop-src/VSS/vss-test-writer-tool.md";
constexpr std::string_view kNone = "none found";

constexpr Evidence unconfirmed(std::string_view source) { return {source, false}; }
constexpr Evidence confirmedBy(std::string_view source) { return {source, true}; }

constexpr ProfileRestore kNoRestoreEvidence{VSS_RME_RESTORE_IF_CAN_REPLACE, VSS_WRE_NEVER, false, unconfirmed(kNone)};

// VSS_FSBT_ALL_BACKUP_REQUIRED | VSS_FSBT_ALL_SNAPSHOT_REQUIRED as the NTDS page prints it: 3855.
constexpr DWORD kFsbt3855 = 3855;

// ---- Windows client set (docs/listings.md §4.1) ----

constexpr ProfileFile kTaskFiles[] = {{L"C:\\Windows\\System32\\Tasks", L"*", true}, {L"C:\\Windows\\Tasks", L"*", true}};
constexpr ProfileComponent kTaskComponents[] = {
    {VSS_CT_FILEGROUP, L"", L"TasksStore", L"Tasks Store", true, false, 0, kTaskFiles, {},
     confirmedBy(kRestic340)},   // the name: diskshadow's "Component "\TasksStore""; caption and files: kInBox
};

constexpr ProfileFile kExpressStoreFiles[] = {{L"C:\\Windows\\System32\\config", L"WriterMetadataStore*", false}};
constexpr ProfileComponent kExpressStoreComponents[] = {
    {VSS_CT_FILEGROUP, L"", L"WriterMetadataStore", L"VSS Express Writer Metadata Store", true, false, 0,
     kExpressStoreFiles, {}, unconfirmed(kInBox)},
};

// The performance counter configuration files: %SystemRoot%\System32\Perf?00?.dat and .bak (kSystemState2003).
constexpr ProfileFile kPerfFiles[] = {{L"C:\\Windows\\System32", L"Perf?00?.dat", false},
                                      {L"C:\\Windows\\System32", L"Perf?00?.bak", false}};
constexpr ProfileComponent kPerfComponents[] = {
    {VSS_CT_FILEGROUP, L"", L"PerformanceCounters", L"Performance Counters", true, false, 0, kPerfFiles, {},
     unconfirmed(kSystemState2003)},
};

constexpr ProfileFile kSystemFiles[] = {{L"C:\\Windows\\System32", L"*.sys", true},
                                        {L"C:\\Windows\\WinSxS", L"*", true},
                                        {L"C:\\Windows\\System32\\CatRoot", L"*", true}};
constexpr ProfileFile kServiceFiles[] = {{L"C:\\Windows\\System32", L"*.exe", false}};
constexpr ProfileComponent kSystemComponents[] = {
    {VSS_CT_FILEGROUP, L"", L"System Files", L"System Files", true, false, 0, kSystemFiles, {}, unconfirmed(kInBox)},
    {VSS_CT_FILEGROUP, L"", L"Win32 Services Files", L"Win32 Services Files", true, false, 0, kServiceFiles, {},
     unconfirmed(kInBox)},
};
constexpr ProfileFile kSystemExcludes[] = {
    {L"C:\\Windows\\Microsoft.NET\\Framework\\v4.0.30319\\Temporary ASP.NET Files", L"*", true}};

constexpr ProfileFile kSearchIndex[] = {{L"C:\\ProgramData\\Microsoft\\Search\\Data\\Applications\\Windows", L"*", true}};

// ASR: the BCD component is selectable when the system partition has a volume GUID name (kAsrPage);
// "ASR" itself is system-critical, so not selectable.
constexpr ProfileFile kBcdFiles[] = {{L"C:\\Boot", L"*.*", false}};
constexpr ProfileComponent kAsrComponents[] = {
    {VSS_CT_FILEGROUP, L"", L"ASR", L"ASR", false, false, 0, {}, {}, unconfirmed(kAsrPage)},
    {VSS_CT_FILEGROUP, L"Disks", L"harddisk0", L"", true, true, 0, {}, {}, confirmedBy(kAsrPage)},
    {VSS_CT_FILEGROUP, L"BCD", L"BCD", L"This is the path to the boot BCD store and the boot managers", true, true,
     0, kBcdFiles, {}, confirmedBy(kAsrPage)},
};

constexpr ProfileFile kHives[] = {{L"C:\\Windows\\System32\\config", L"SAM", false},
                                  {L"C:\\Windows\\System32\\config", L"SECURITY", false},
                                  {L"C:\\Windows\\System32\\config", L"SOFTWARE", false},
                                  {L"C:\\Windows\\System32\\config", L"SYSTEM", false},
                                  {L"C:\\Windows\\System32\\config", L"DEFAULT", false}};
constexpr ProfileComponent kRegistryComponents[] = {
    // "Registry Writer:\Registry": a top-level component named Registry (kVShadowExamples).
    {VSS_CT_FILEGROUP, L"", L"Registry", L"Registry", true, false, 0, kHives, {}, confirmedBy(kVShadowExamples)},
};

constexpr ProfileFile kRegDbFiles[] = {{L"C:\\Windows\\Registration", L"R*.clb", false}};
constexpr ProfileComponent kRegDbComponents[] = {
    {VSS_CT_FILEGROUP, L"", L"COM+ REGDB", L"COM+ REGDB", true, false, 0, kRegDbFiles, {}, unconfirmed(kInBox)},
};

constexpr ProfileFile kWbemFiles[] = {{L"C:\\Windows\\System32\\wbem\\Repository", L"*", true}};
constexpr ProfileComponent kWmiComponents[] = {
    {VSS_CT_FILEGROUP, L"", L"WMI", L"Windows Managment Instrumentation", true, false, 0, kWbemFiles, {},
     unconfirmed(kInBox)},
};

constexpr ProfileWriter kWinClient[] = {
    {"Task Scheduler Writer", GUID{0xd61d61c8, 0xd73a, 0x4eee, {0x8c,0xdd,0xf6,0xf9,0x78,0x6b,0x71,0x24}}, GUID{0x1bddd48e, 0x5052, 0x49db, {0x9b,0x07,0xb9,0x6f,0x96,0x72,0x7e,0x6b}},
     VSS_UT_BOOTABLESYSTEMSTATE, VSS_ST_OTHER, unconfirmed(kInBox), kNoRestoreEvidence, kTaskComponents, {}, {}},
    {"VSS Metadata Store Writer", GUID{0x75dfb225, 0xe2e4, 0x4d39, {0x9a,0xc9,0xff,0xaf,0xf6,0x5d,0xdf,0x06}}, GUID{0x088e7a7d, 0x09a8, 0x4cc6, {0xa6,0x09,0xad,0x90,0xe7,0x5d,0xdc,0x93}},
     VSS_UT_BOOTABLESYSTEMSTATE, VSS_ST_OTHER, unconfirmed(kInBox), kNoRestoreEvidence, kExpressStoreComponents, {}, {}},
    {"Performance Counters Writer", GUID{0x0bada1de, 0x01a9, 0x4625, {0x82,0x78,0x69,0xe7,0x35,0xf3,0x9d,0xd2}}, GUID{0xf0086dda, 0x9efc, 0x47c5, {0x8e,0xb6,0xa9,0x44,0xc3,0xd0,0x93,0x81}},
     VSS_UT_BOOTABLESYSTEMSTATE, VSS_ST_OTHER, unconfirmed(kInBox), kNoRestoreEvidence, kPerfComponents, {}, {}},
    // System and boot files are "bootable system state" (kTsmSystemState); the restore application
    // lays down files, registry and ACLs itself (kInBox): a custom restore.
    {"System Writer", GUID{0xe8132975, 0x6f93, 0x4464, {0xa5,0x3e,0x10,0x50,0x25,0x3a,0xe2,0x20}}, std::nullopt,
     VSS_UT_BOOTABLESYSTEMSTATE, VSS_ST_OTHER, confirmedBy(kTsmSystemState),
     {VSS_RME_CUSTOM, VSS_WRE_ALWAYS, true, unconfirmed(kInBox)}, kSystemComponents, kSystemExcludes, {}},
    // Exists to delete the search index from shadow copies (kInBox): no components, only that.
    {"MSSearch Service Writer", GUID{0xcd3f2362, 0x8bef, 0x46c7, {0x91,0x81,0xd6,0x28,0x44,0xcd,0xc0,0xb2}}, std::nullopt,
     VSS_UT_OTHER, VSS_ST_OTHER, unconfirmed(kInBox), kNoRestoreEvidence, {}, {}, kSearchIndex},
    // "The ASR writer must be included in any backups required for bare-metal recovery"; it re-creates
    // disks at PreRestore (kAsrPage), so it takes restore events.
    {"ASR Writer", GUID{0xbe000cbe, 0x11fe, 0x4426, {0x9c,0x58,0x53,0x1a,0xa6,0x35,0x5f,0xc4}}, std::nullopt,
     VSS_UT_BOOTABLESYSTEMSTATE, VSS_ST_OTHER, confirmedBy(kTsmSystemState),
     {VSS_RME_CUSTOM, VSS_WRE_ALWAYS, false, unconfirmed(kAsrPage)}, kAsrComponents, {}, {}},
    // diskshadow excludes it "because all of its components have been excluded" although it lists
    // none of them (kRestic340): it declares no components.
    {"Shadow Copy Optimization Writer", GUID{0x4dc3bdd4, 0xab48, 0x4d07, {0xad,0xb0,0x3b,0xee,0x29,0x26,0xfd,0x7f}}, std::nullopt,
     VSS_UT_OTHER, VSS_ST_OTHER, confirmedBy(kRestic340), kNoRestoreEvidence, {}, {}, {}},
    {"Registry Writer", GUID{0xafbab4a2, 0x367d, 0x4d15, {0xa5,0x86,0x71,0xdb,0xb1,0x8f,0x84,0x85}}, std::nullopt,
     VSS_UT_BOOTABLESYSTEMSTATE, VSS_ST_OTHER, confirmedBy(kTsmSystemState),
     {VSS_RME_CUSTOM, VSS_WRE_ALWAYS, true, unconfirmed("MicrosoftDocs/win32 desktop-src/VSS/setting-vss-restore-methods.md")},
     kRegistryComponents, {}, {}},
    // Restoring it takes ICOMAdminCatalog::RestoreREGDB (kInBox): a custom restore.
    {"COM+ REGDB Writer", GUID{0x542da469, 0xd3e1, 0x473c, {0x9f,0x4f,0x78,0x47,0xf0,0x1f,0xc6,0x4f}}, std::nullopt,
     VSS_UT_BOOTABLESYSTEMSTATE, VSS_ST_OTHER, confirmedBy(kTsmSystemState),
     {VSS_RME_CUSTOM, VSS_WRE_ALWAYS, false, unconfirmed(kInBox)}, kRegDbComponents, {}, {}},
    // WMI is a "system services" component, not bootable state (kTsmSystemState).
    {"WMI Writer", GUID{0xa6ad56c2, 0xb509, 0x4e6c, {0xbb,0x19,0x49,0xd8,0xf4,0x35,0x32,0xf0}}, std::nullopt,
     VSS_UT_SYSTEMSERVICE, VSS_ST_OTHER, confirmedBy(kTsmSystemState),
     {VSS_RME_RESTORE_IF_CAN_REPLACE, VSS_WRE_ALWAYS, false, unconfirmed(kNone)}, kWmiComponents, {}, {}},
};

// ---- Server base: the client set without MSSearch (it is a client feature), plus these ----

constexpr ProfileFile kBitsExcludes[] = {
    {L"C:\\ProgramData\\Microsoft\\Network\\Downloader", L"qmgr*.dat", false},
    {L"C:\\ProgramData\\Microsoft\\Network\\Downloader\\Cache", L"*", true}};
constexpr ProfileFile kIisConfigFiles[] = {{L"C:\\Windows\\System32\\inetsrv\\config", L"*", false},
                                           {L"C:\\Windows\\System32\\inetsrv\\config\\schema", L"*", false}};
constexpr ProfileComponent kIisConfigComponents[] = {
    {VSS_CT_FILEGROUP, L"", L"IISCONFIG", L"IIS Config Writer", true, false, 0, kIisConfigFiles, {}, unconfirmed(kInBox)},
};
constexpr ProfileFile kMetabaseFiles[] = {{L"C:\\Windows\\System32\\inetsrv", L"MetaBase.xml", false},
                                          {L"C:\\Windows\\System32\\inetsrv", L"MBSchema.xml", false}};
constexpr ProfileComponent kMetabaseComponents[] = {
    {VSS_CT_FILEGROUP, L"", L"IISMETABASE", L"IIS Metabase Writer", true, false, 0, kMetabaseFiles, {},
     unconfirmed(kInBox)},
};

constexpr ProfileWriter kServerExtras[] = {
    // BITS excludes its cache and state files (kInBox) and is a "system services" writer (kTsmSystemState).
    {"BITS Writer", GUID{0x4969d978, 0xbe47, 0x48b0, {0xb1,0x00,0xf3,0x28,0xf0,0x7a,0xc1,0xe0}}, std::nullopt,
     VSS_UT_SYSTEMSERVICE, VSS_ST_OTHER, confirmedBy(kTsmSystemState), kNoRestoreEvidence, {}, kBitsExcludes, {}},
    {"IIS Config Writer", GUID{0x2a40fd15, 0xdfca, 0x4aa8, {0xa6,0x54,0x1f,0x8c,0x65,0x46,0x03,0xf6}}, std::nullopt,
     VSS_UT_SYSTEMSERVICE, VSS_ST_OTHER, unconfirmed(kInBox), kNoRestoreEvidence, kIisConfigComponents, {}, {}},
    {"IIS Metabase Writer", GUID{0x59b1f0cf, 0x90ef, 0x465f, {0x96,0x09,0x6c,0xa8,0xb2,0x93,0x83,0x66}}, std::nullopt,
     VSS_UT_SYSTEMSERVICE, VSS_ST_OTHER, confirmedBy(kTsmSystemState), kNoRestoreEvidence, kMetabaseComponents, {}, {}},
    {"Dedup Writer", GUID{0x41db4dbf, 0x6046, 0x470e, {0x8a,0xd5,0xd5,0x08,0x1d,0xfb,0x1b,0x70}}, std::nullopt,
     VSS_UT_OTHER, VSS_ST_OTHER, unconfirmed(kInBox), kNoRestoreEvidence, {}, {}, {}},
};

// ---- Application writers ----

// "\HOSTNAME\master", "\HOSTNAME\model" (kRestic340): one database component per database, under the
// server's name. The host is the simulator's default [service] host_name.
constexpr ProfileFile kMasterData[] = {{L"C:\\Program Files\\Microsoft SQL Server\\MSSQL15.MSSQLSERVER\\MSSQL\\DATA", L"master.mdf", false}};
constexpr ProfileFile kMasterLog[] = {{L"C:\\Program Files\\Microsoft SQL Server\\MSSQL15.MSSQLSERVER\\MSSQL\\DATA", L"mastlog.ldf", false}};
constexpr ProfileFile kModelData[] = {{L"C:\\Program Files\\Microsoft SQL Server\\MSSQL15.MSSQLSERVER\\MSSQL\\DATA", L"model.mdf", false}};
constexpr ProfileFile kModelLog[] = {{L"C:\\Program Files\\Microsoft SQL Server\\MSSQL15.MSSQLSERVER\\MSSQL\\DATA", L"modellog.ldf", false}};
constexpr ProfileFile kMsdbData[] = {{L"C:\\Program Files\\Microsoft SQL Server\\MSSQL15.MSSQLSERVER\\MSSQL\\DATA", L"MSDBData.mdf", false}};
constexpr ProfileFile kMsdbLog[] = {{L"C:\\Program Files\\Microsoft SQL Server\\MSSQL15.MSSQLSERVER\\MSSQL\\DATA", L"MSDBLog.ldf", false}};
constexpr ProfileComponent kSqlComponents[] = {
    {VSS_CT_DATABASE, L"VSSSIM-HOST", L"master", L"", true, true, 0, kMasterData, kMasterLog, confirmedBy(kRestic340)},
    {VSS_CT_DATABASE, L"VSSSIM-HOST", L"model", L"", true, true, 0, kModelData, kModelLog, confirmedBy(kRestic340)},
    {VSS_CT_DATABASE, L"VSSSIM-HOST", L"msdb", L"", true, true, 0, kMsdbData, kMsdbLog, unconfirmed(kRestic340)},
};
constexpr ProfileWriter kSql[] = {
    {"SqlServerWriter", GUID{0xa65faa63, 0x5ea8, 0x4ebc, {0x9d,0xbd,0xa0,0xc4,0xdb,0x26,0x91,0x2a}}, std::nullopt,
     VSS_UT_USERDATA, VSS_ST_TRANSACTEDDB, confirmedBy(kRestic340),
     {VSS_RME_RESTORE_IF_CAN_REPLACE, VSS_WRE_ALWAYS, false, unconfirmed(kNone)}, kSqlComponents, {}, {}},
};

constexpr ProfileFile kMailboxData[] = {{L"C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Mailbox\\Mailbox Database", L"*.edb", false}};
constexpr ProfileFile kMailboxLogs[] = {{L"C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Mailbox\\Mailbox Database", L"E00*.log", false}};
constexpr ProfileComponent kExchangeComponents[] = {
    {VSS_CT_DATABASE, L"Microsoft Exchange Server\\Microsoft Information Store\\VSSSIM-HOST", L"Mailbox Database",
     L"Mailbox Database", true, true, 0, kMailboxData, kMailboxLogs, unconfirmed(kNone)},
};
constexpr ProfileComponent kReplicaComponents[] = {
    {VSS_CT_DATABASE, L"Microsoft Exchange Server\\Microsoft Information Store\\Replica\\VSSSIM-HOST",
     L"Replica Database", L"Replica Database", true, false, 0, kMailboxData, kMailboxLogs, unconfirmed(kNone)},
};
constexpr ProfileWriter kExchange[] = {
    {"Microsoft Exchange Writer", GUID{0x76fe1ac4, 0x15f7, 0x4bcd, {0x98,0x7e,0x8e,0x1a,0xcb,0x46,0x2f,0xb7}}, std::nullopt,
     VSS_UT_USERDATA, VSS_ST_TRANSACTEDDB, unconfirmed(kNone),
     {VSS_RME_RESTORE_IF_CAN_REPLACE, VSS_WRE_ALWAYS, false, unconfirmed(kNone)}, kExchangeComponents, {}, {}},
    {"Microsoft Exchange Replica Writer", GUID{0x76fe1ac4, 0x15f7, 0x4bcd, {0x98,0x7e,0x8e,0x1a,0xcb,0x46,0x2f,0xb7}}, std::nullopt,
     VSS_UT_USERDATA, VSS_ST_TRANSACTEDDB, unconfirmed(kNone),
     {VSS_RME_RESTORE_IF_CAN_REPLACE, VSS_WRE_NEVER, false, unconfirmed(kNone)}, kReplicaComponents, {}, {}},
};

constexpr ProfileFile kHypervHostFiles[] = {{L"C:\\ProgramData\\Microsoft\\Windows\\Hyper-V", L"InitialStore.xml", false}};
constexpr ProfileComponent kHypervComponents[] = {
    {VSS_CT_FILEGROUP, L"", L"Host Component", L"Host Component", true, true, 0, kHypervHostFiles, {}, unconfirmed(kNone)},
};
constexpr ProfileWriter kHyperv[] = {
    {"Microsoft Hyper-V VSS Writer", GUID{0x66841cd4, 0x6ded, 0x4f4b, {0x8f,0x17,0xfd,0x23,0xf8,0xdd,0xc3,0xde}}, std::nullopt,
     VSS_UT_USERDATA, VSS_ST_OTHER, unconfirmed(kInBox),
     {VSS_RME_CUSTOM, VSS_WRE_ALWAYS, false, unconfirmed(kNone)}, kHypervComponents, {}, {}},
};

// The NTDS component exactly as Microsoft's page prints its BACKUP_LOCATIONS (kInBox); Active
// Directory is bootable system state (kTsmSystemState); it is restored in Directory Services Restore
// Mode (kInBox): a custom restore.
constexpr ProfileFile kNtdsData[] = {{L"C:\\Windows\\NTDS", L"ntds.dit", false, kFsbt3855}};
constexpr ProfileFile kNtdsLogs[] = {{L"C:\\Windows\\NTDS", L"edb*.log", false, kFsbt3855},
                                     {L"C:\\Windows\\NTDS", L"edb.chk", false, kFsbt3855}};
constexpr ProfileComponent kNtdsComponents[] = {
    {VSS_CT_DATABASE, L"C:_Windows_NTDS", L"ntds", L"", false, false, 3, kNtdsData, kNtdsLogs, confirmedBy(kInBox)},
};
constexpr ProfileWriter kAdDc[] = {
    {"NTDS", GUID{0xb2014c9e, 0x8711, 0x4c5c, {0xa5,0xa9,0x3c,0xf3,0x84,0x48,0x47,0x57}}, std::nullopt,
     VSS_UT_BOOTABLESYSTEMSTATE, VSS_ST_TRANSACTEDDB, confirmedBy(kTsmSystemState),
     {VSS_RME_CUSTOM, VSS_WRE_ALWAYS, true, unconfirmed(kInBox)}, kNtdsComponents, {}, {}},
};

// The VSS Test Writer as Microsoft's sample configuration VswriterSample.xml sets it up (kTestWriterPage):
// RESTORE_IF_CAN_BE_REPLACED, writerRestore always, no reboot, one file group TestFiles on c:\TestPath.
constexpr ProfileFile kTestFiles[] = {{L"C:\\TestPath", L"*", false}};
constexpr ProfileComponent kTestComponents[] = {
    {VSS_CT_FILEGROUP, L"", L"TestFiles", L"", true, false, 0, kTestFiles, {}, confirmedBy(kTestWriterPage)},
};
constexpr ProfileWriter kTestWriter[] = {
    {"VSS Test Writer", GUID{0x5affb034, 0x969f, 0x4919, {0x88,0x75,0x88,0xf8,0x30,0xd0,0xef,0x89}}, std::nullopt,
     VSS_UT_USERDATA, VSS_ST_OTHER, confirmedBy(kTestWriterPage),
     {VSS_RME_RESTORE_IF_CAN_REPLACE, VSS_WRE_ALWAYS, false, confirmedBy(kTestWriterPage)}, kTestComponents, {}, {}},
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
