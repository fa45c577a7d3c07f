#include "scenario/listing.h"

#include <algorithm>
#include <cwctype>
#include <iterator>
#include <memory>

#include <fmt/format.h>

#include <winbase.h>
#include <vsserror.h>

#include "core/guid.h"
#include "core/names.h"
#include "service/service.h"
#include "service/shadow_attributes.h"

namespace vsssim {

namespace {

// docs/listings.md §1.3. The failed states share one label: the number carries the phase.
constexpr StateLabel kStateLabels[] = {
    {states({VSS_WS_UNKNOWN}), "Unknown", "", false},
    {states({VSS_WS_STABLE}), "Stable", "Stable", true},
    {states({VSS_WS_WAITING_FOR_FREEZE}), "Waiting for freeze", "", false},
    {states({VSS_WS_WAITING_FOR_THAW}), "Waiting for thaw", "", false},
    {states({VSS_WS_WAITING_FOR_POST_SNAPSHOT}), "Waiting for post snapshot", "", false},
    {states({VSS_WS_WAITING_FOR_BACKUP_COMPLETE}), "Waiting for completion", "", true},
    {kFailed, "Failed", "", true},
};

// §1.4. PARTIAL_FAILURE and STATUS_NOT_AVAILABLE have rows although they share the fallback text,
// because a writer's status can carry them and `explain` shows the text for exactly these codes.
constexpr LastErrorText kLastErrors[] = {
    {S_OK, "No error", "Aucune erreur", true},
    {VSS_E_WRITERERROR_RETRYABLE, "Retryable error", "", true},
    {VSS_E_WRITERERROR_NONRETRYABLE, "Non-retryable error", "", true},
    {VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT, "Inconsistent shadow copy", "", true},
    {VSS_E_WRITER_NOT_RESPONDING, "Not responding", "", true},
    {VSS_E_WRITERERROR_TIMEOUT, "Timed out", "", false},
    {VSS_E_WRITERERROR_OUTOFRESOURCES, "Out of resources", "", false},
    {VSS_E_WRITERERROR_PARTIAL_FAILURE, "Unexpected error", "", false},
    {VSS_E_WRITER_STATUS_NOT_AVAILABLE, "Unexpected error", "", false},
};
constexpr LastErrorText kUnexpectedError{E_UNEXPECTED, "Unexpected error", "", false};

// VShadow's HResult2String (Windows-classic-samples VShadowVolumeShadowCopy/cpp/tracing.cpp): its
// table stops at VSS_E_NESTED_VOLUME_LIMIT, so later codes such as PARTIAL_FAILURE are unknown to it.
constexpr HRESULT kVShadowCodes[] = {
    VSS_E_BAD_STATE, VSS_E_UNEXPECTED, VSS_E_PROVIDER_ALREADY_REGISTERED, VSS_E_PROVIDER_NOT_REGISTERED,
    VSS_E_PROVIDER_VETO, VSS_E_PROVIDER_IN_USE, VSS_E_OBJECT_NOT_FOUND, VSS_S_ASYNC_PENDING,
    VSS_S_ASYNC_FINISHED, VSS_S_ASYNC_CANCELLED, VSS_E_VOLUME_NOT_SUPPORTED, VSS_E_VOLUME_NOT_SUPPORTED_BY_PROVIDER,
    VSS_E_OBJECT_ALREADY_EXISTS, VSS_E_UNEXPECTED_PROVIDER_ERROR, VSS_E_INVALID_XML_DOCUMENT,
    VSS_E_MAXIMUM_NUMBER_OF_VOLUMES_REACHED, VSS_E_FLUSH_WRITES_TIMEOUT, VSS_E_HOLD_WRITES_TIMEOUT,
    VSS_E_UNEXPECTED_WRITER_ERROR, VSS_E_SNAPSHOT_SET_IN_PROGRESS, VSS_E_MAXIMUM_NUMBER_OF_SNAPSHOTS_REACHED,
    VSS_E_WRITER_INFRASTRUCTURE, VSS_E_WRITER_NOT_RESPONDING, VSS_E_WRITER_ALREADY_SUBSCRIBED,
    VSS_E_UNSUPPORTED_CONTEXT, VSS_E_VOLUME_IN_USE, VSS_E_MAXIMUM_DIFFAREA_ASSOCIATIONS_REACHED,
    VSS_E_INSUFFICIENT_STORAGE, VSS_E_NO_SNAPSHOTS_IMPORTED, VSS_S_SOME_SNAPSHOTS_NOT_IMPORTED,
    VSS_E_MAXIMUM_NUMBER_OF_REMOTE_MACHINES_REACHED, VSS_E_REMOTE_SERVER_UNAVAILABLE,
    VSS_E_REMOTE_SERVER_UNSUPPORTED, VSS_E_REVERT_IN_PROGRESS, VSS_E_REVERT_VOLUME_LOST, VSS_E_REBOOT_REQUIRED,
    VSS_E_TRANSACTION_FREEZE_TIMEOUT, VSS_E_TRANSACTION_THAW_TIMEOUT, VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT,
    VSS_E_WRITERERROR_OUTOFRESOURCES, VSS_E_WRITERERROR_TIMEOUT, VSS_E_WRITERERROR_RETRYABLE,
    VSS_E_WRITERERROR_NONRETRYABLE, VSS_E_WRITERERROR_RECOVERY_FAILED, VSS_E_BREAK_REVERT_ID_FAILED,
    VSS_E_LEGACY_PROVIDER, VSS_E_MISSING_DISK, VSS_E_MISSING_HIDDEN_VOLUME, VSS_E_MISSING_VOLUME,
    VSS_E_AUTORECOVERY_FAILED, VSS_E_DYNAMIC_DISK_ERROR, VSS_E_NONTRANSPORTABLE_BCD, VSS_E_CANNOT_REVERT_DISKID,
    VSS_E_RESYNC_IN_PROGRESS, VSS_E_CLUSTER_ERROR, VSS_E_ASRERROR_DISK_ASSIGNMENT_FAILED,
    VSS_E_ASRERROR_DISK_RECREATION_FAILED, VSS_E_ASRERROR_NO_ARCPATH, VSS_E_ASRERROR_MISSING_DYNDISK,
    VSS_E_ASRERROR_SHARED_CRIDISK, VSS_E_ASRERROR_DATADISK_RDISK0, VSS_E_ASRERROR_RDISK0_TOOSMALL,
    VSS_E_ASRERROR_CRITICAL_DISKS_TOO_SMALL, VSS_E_WRITER_STATUS_NOT_AVAILABLE, VSS_E_UNSELECTED_VOLUME,
    VSS_E_SNAPSHOT_NOT_IN_SET, VSS_E_NESTED_VOLUME_LIMIT,
    S_OK, S_FALSE, E_UNEXPECTED, E_OUTOFMEMORY,
};

// Windows' system message text is not available here; VShadow prints this when FormatMessage fails.
constexpr std::string_view kVShadowUnknown = "<Unknown error code>";

/// Accumulates lines with the chosen terminator, so no layout function spells "\n" itself.
class Lines
{
public:
    explicit Lines(const ListingOptions &o) : eol_(o.crlf ? "\r\n" : "\n") {}
    template <class... Args>
    void add(fmt::format_string<Args...> format, Args &&...args)
    {
        fmt::format_to(std::back_inserter(text_), format, std::forward<Args>(args)...);
        text_ += eol_;
    }
    void blank() { text_ += eol_; }
    std::string take() { return std::move(text_); }

private:
    std::string_view eol_;
    std::string text_;
};

void vssadminHeader(Lines &out, const ListingOptions &o)
{
    // Line 1 in French comes from the capture of openzfsonwindows/openzfs#406 (typographic apostrophe).
    out.add("{}", o.french ? "vssadmin 1.1 - Outil ligne de commande d\u2019administration du service de clich\u00e9 instantan\u00e9 de volume"
                           : "vssadmin 1.1 - Volume Shadow Copy Service administrative command-line tool");
    out.add("(C) Copyright {} Microsoft Corp.", o.legacy ? "2001-2005" : "2001-2013");
    out.blank();
}

std::string_view pick(const ListingOptions &o, std::string_view english, std::string_view french)
{
    return o.french && !french.empty() ? french : english;
}

std::string codeHex(HRESULT hr) { return fmt::format("0x{:08x}", static_cast<std::uint32_t>(hr)); }

std::string stateName(VSS_WRITER_STATE s)
{
    const std::string_view name = writerStateName(s);
    return name.empty() ? fmt::format("{}", static_cast<int>(s)) : std::string(name);
}

} // namespace

std::span<const StateLabel> vssadminStateLabels() noexcept { return kStateLabels; }

const StateLabel &vssadminStateLabel(VSS_WRITER_STATE state) noexcept
{
    for (const StateLabel &l : kStateLabels)
        if (l.states & states({state}))
            return l;
    // VSS_WS_COUNT or garbage: vssadmin has no label for it; Unknown is the honest reading.
    return kStateLabels[0];
}

std::span<const LastErrorText> vssadminLastErrors() noexcept { return kLastErrors; }

const LastErrorText &vssadminLastError(HRESULT code) noexcept
{
    for (const LastErrorText &t : kLastErrors)
        if (t.code == code)
            return t;
    return kUnexpectedError;
}

bool hasOwnLastError(HRESULT code) noexcept
{
    return &vssadminLastError(code) != &kUnexpectedError;
}

std::optional<std::string_view> vshadowCodeName(HRESULT code) noexcept
{
    for (HRESULT known : kVShadowCodes)
        if (known == code)
            return hresultName(code);
    return std::nullopt;
}

std::string formatVssadminWriters(const std::vector<StatusEntry> &writers, const ListingOptions &o)
{
    Lines out(o);
    vssadminHeader(out, o);
    if (o.preamble) {
        out.add("Waiting for responses.");
        out.add("These may be delayed if a shadow copy is being prepared.");
        out.blank();
    }
    for (const StatusEntry &w : writers) {
        const StateLabel &label = vssadminStateLabel(w.state);
        const LastErrorText &error = vssadminLastError(w.failure);
        if (o.french) {
            out.add("Nom du r\u00e9dacteur : '{}'", toUtf8(w.name));
            out.add("   ID du r\u00e9dacteur : {}", formatGuid(w.classId));
            out.add("   ID de l\u2019instance du r\u00e9dacteur : {}", formatGuid(w.instanceId));
            out.add("   \u00c9tat : [{}] {}", static_cast<int>(w.state), pick(o, label.label, label.french));
            out.add("   Derni\u00e8re erreur : {}", pick(o, error.text, error.french));
        } else {
            out.add("Writer name: '{}'", toUtf8(w.name));
            out.add("   Writer Id: {}", formatGuid(w.classId));
            out.add("   Writer Instance Id: {}", formatGuid(w.instanceId));
            out.add("   State: [{}] {}", static_cast<int>(w.state), label.label);
            out.add("   Last error: {}", error.text);
        }
        out.blank();
    }
    return out.take();
}

std::string formatVssadminError(const ListingOptions &o)
{
    Lines out(o);
    vssadminHeader(out, o);
    // The message text of VSS_E_UNEXPECTED (§1.6); no French capture of it exists.
    out.add("Error: A Volume Shadow Copy Service component encountered an unexpected error.");
    out.add("Check the Application event log for more information.");
    return out.take();
}

std::string formatVssadminProviders(const ProviderSettings &provider, const ListingOptions &o)
{
    Lines out(o);
    vssadminHeader(out, o);
    // The French lines are the capture of grke/burp#753, the source of §1.7.
    if (o.french) {
        out.add("Fournisseur : '{}'", toUtf8(provider.providerName));
        out.add("   Type de fournisseur : Syst\u00e8me");
        out.add("   ID du fournisseur : {}", formatGuid(provider.providerId));
        out.add("   Version : 1.0.0.7");
    } else {
        out.add("Provider name: '{}'", toUtf8(provider.providerName));
        out.add("   Provider type: System");
        out.add("   Provider Id: {}", formatGuid(provider.providerId));
        out.add("   Version: 1.0.0.7");
    }
    out.blank();
    return out.take();
}

std::string formatDiskShadowWriters(const std::vector<StatusEntry> &writers, const ListingOptions &o)
{
    Lines out(o);
    out.add("Listing writer status ...");
    for (const StatusEntry &w : writers) {
        const auto name = hresultName(w.failure);
        out.add("* WRITER {}", toUtf8(w.name));
        out.add("        - Status: {} ({})", static_cast<int>(w.state), stateName(w.state));
        out.add("        - Writer Failure code: {} ({})", codeHex(w.failure), name ? *name : kVShadowUnknown);
        out.add("        - Writer ID: {}", formatGuid(w.classId));
        out.add("        - Instance ID: {}", formatGuid(w.instanceId));
    }
    out.add("{} writers listed.", writers.size());
    return out.take();
}

std::string formatVShadowWriters(const std::vector<StatusEntry> &writers, const ListingOptions &o)
{
    Lines out(o);
    out.add("Listing writer status ...");
    out.add("- Number of writers that responded: {}", writers.size());
    for (const StatusEntry &w : writers) {
        const auto name = vshadowCodeName(w.failure);
        out.blank();
        out.add("* WRITER \"{}\"", toUtf8(w.name));
        out.add("   - Status: {} ({})", static_cast<int>(w.state), stateName(w.state));
        out.add("   - Writer Failure code: {} ({})", codeHex(w.failure), name ? *name : kVShadowUnknown);
        out.add("   - Writer ID: {}", formatGuid(w.classId));
        out.add("   - Instance ID: {}", formatGuid(w.instanceId));
        out.blank();
    }
    return out.take();
}

namespace {

/// The observer's first two calls, as vssadmin and VShadow make them.
HRESULT initializeAndGatherMetadata(Session &observer)
{
    HRESULT hr = observer.initializeForBackup().hr();
    if (SUCCEEDED(hr)) {
        if (auto metadata = observer.gatherWriterMetadata(); !metadata) {
            hr = metadata.hr();
        } else {
            observer.wait(**metadata, std::nullopt);
            hr = (*metadata)->result;
        }
    }
    return hr;
}

std::string_view yesNo(bool b) { return b ? "TRUE" : "FALSE"; }

bool lowerPrefix(const std::wstring &text, const std::wstring &prefix)
{
    return text.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), text.begin(), [](wchar_t a, wchar_t b) {
        return std::towlower(a) == std::towlower(b);
    });
}

std::wstring fullPath(const ComponentDecl &c)
{
    return L"\\" + (c.logicalPath.empty() ? c.name : c.logicalPath + L"\\" + c.name);
}

bool topLevel(const WriterMetadata &md, const ComponentDecl &c)
{
    return std::none_of(md.components.begin(), md.components.end(), [&](const ComponentDecl &other) {
        const std::wstring parent = fullPath(other).substr(1);
        return &other != &c && (c.logicalPath == parent || lowerPrefix(c.logicalPath, parent + L"\\"));
    });
}

void vshadowComponent(Lines &out, const WriterIdentity &id, const WriterMetadata &md, const ComponentDecl &c,
                      const std::vector<Volume> &volumes)
{
    out.add("    - Component \"{}:{}\"", id.name, toUtf8(fullPath(c)));
    out.add("       - Name: '{}'", toUtf8(c.name));
    out.add("       - Logical Path: '{}'", toUtf8(c.logicalPath));
    out.add("       - Full Path: '{}'", toUtf8(fullPath(c)));
    out.add("       - Caption: '{}'", toUtf8(c.caption));
    out.add("       - Type: {} [{}]", enumName(EnumKind::ComponentType, c.type), static_cast<int>(c.type));
    out.add("       - Is Selectable: '{}'", yesNo(c.selectable));
    out.add("       - Is top level: '{}'", yesNo(topLevel(md, c)));
    out.add("       - Notify on backup complete: '{}'", yesNo(c.notifyOnBackupComplete));
    out.add("       - Components:");
    const std::string_view fileLabel = c.type == VSS_CT_DATABASE ? "Database" : "File List";
    std::vector<std::wstring> paths;
    for (const auto &[files, label] : {std::pair{&c.files, fileLabel}, std::pair{&c.logFiles, std::string_view("Database Log")}})
        for (const FileSpec &f : *files) {
            out.add("       - {}: Path = {}, Filespec = {}", label, toUtf8(f.path), toUtf8(f.filespec));
            if (std::find(paths.begin(), paths.end(), f.path) == paths.end())
                paths.push_back(f.path);
        }
    out.add("       - Affected paths by this component:");
    for (const std::wstring &p : paths)
        out.add("         - {}", toUtf8(p));
    out.add("       - Affected volumes by this component:");
    for (const Volume &v : volumes)
        if (std::any_of(paths.begin(), paths.end(), [&](const std::wstring &p) { return lowerPrefix(p, v.name); }))
            out.add("         - {} [{}]", toUtf8(v.guidPath), toUtf8(v.name));
    out.add("       - Component Dependencies:");
    for (const Dependency &d : c.dependencies)
        out.add("         - {}:\\{}", formatGuid(d.writerId),
                toUtf8(d.logicalPath.empty() ? d.componentName : d.logicalPath + L"\\" + d.componentName));
}

} // namespace

std::string formatVShadowMetadata(const std::vector<MetadataListingEntry> &writers, const std::vector<Volume> &volumes,
                                  const ListingOptions &o)
{
    Lines out(o);
    out.add("Listing writer metadata ...");
    out.add("- Number of writers that responded: {}", writers.size());
    for (const MetadataListingEntry &w : writers) {
        const RestoreMethod &r = w.metadata.restoreMethod;
        out.blank();
        out.add("* WRITER \"{}\"", w.identity.name);
        out.add("    - Writer ID   = {}", formatGuid(w.identity.classId));
        out.add("    - Writer Instance ID = {}", formatGuid(w.identity.instanceId));
        out.add("    - Supports restore events = {}",
                yesNo(r.writerRestore != VSS_WRE_NEVER && r.writerRestore != VSS_WRE_UNDEFINED));
        out.add("    - Writer restore conditions = {}", enumName(EnumKind::WriterRestore, r.writerRestore));
        out.add("    - Restore method = {}", enumName(EnumKind::RestoreMethod, r.method));
        out.add("    - Requires reboot after restore = {}", yesNo(r.rebootRequired));
        out.blank();
        out.add("    - Excluded files:");
        for (const FileSpec &f : w.metadata.excludeFiles)
            out.add("       - Exclude: Path = {}, Filespec = {}", toUtf8(f.path), toUtf8(f.filespec));
        for (const ComponentDecl &c : w.metadata.components) {
            out.blank();
            vshadowComponent(out, w.identity, w.metadata, c, volumes);
        }
    }
    return out.take();
}

std::vector<MetadataListingEntry> observeWriterMetadata(Service &svc, HRESULT *result)
{
    auto lock = svc.lock();
    Service::CallObserver judged = svc.exchangeCallObserver({});
    auto observer = std::make_shared<Session>(svc.shared_from_this());
    std::vector<MetadataListingEntry> list;
    HRESULT hr = initializeAndGatherMetadata(*observer);
    if (SUCCEEDED(hr))
        if (auto count = observer->writerMetadataCount())
            for (UINT i = 0; i < *count; ++i) {
                const ListedWriter *l = *observer->writerMetadata(i);
                list.push_back({l->identity, l->metadata});
            }
    observer->release();
    svc.exchangeCallObserver(std::move(judged));
    if (result)
        *result = FAILED(hr) ? hr : S_OK;
    if (FAILED(hr))
        list.clear();
    return list;
}

ShadowListingEntry shadowListingEntry(const VSS_SNAPSHOT_PROP &prop, std::wstring volumeDisplay, std::wstring providerName)
{
    auto text = [](const wchar_t *w) { return w ? std::wstring(w) : std::wstring(); };
    ShadowListingEntry e;
    e.id = prop.m_SnapshotId;
    e.setId = prop.m_SnapshotSetId;
    e.setCount = prop.m_lSnapshotsCount;
    e.device = text(prop.m_pwszSnapshotDeviceObject);
    e.originalVolume = text(prop.m_pwszOriginalVolumeName);
    e.volumeDisplay = std::move(volumeDisplay);
    e.originatingMachine = text(prop.m_pwszOriginatingMachine);
    e.serviceMachine = text(prop.m_pwszServiceMachine);
    e.providerId = prop.m_ProviderId;
    e.providerName = std::move(providerName);
    e.attributes = prop.m_lSnapshotAttributes;
    e.created = prop.m_tsCreationTimestamp;
    return e;
}

std::string vssadminAttributeText(LONG attributes)
{
    std::string out;
    for (const AttributeWord &w : attributeWords())
        if (attributes & w.bit) {
            out += out.empty() ? "" : ", ";
            out += w.vssadmin;
        }
    return out;
}

std::string vshadowAttributeText(LONG attributes)
{
    std::vector<const AttributeWord *> printed;
    for (const AttributeWord &w : attributeWords())
        if (w.vshadowPosition > 0)
            printed.push_back(&w);
    std::sort(printed.begin(), printed.end(),
              [](const AttributeWord *a, const AttributeWord *b) { return a->vshadowPosition < b->vshadowPosition; });
    std::string out;
    for (const AttributeWord *w : printed) {
        const std::string_view word = (attributes & w->bit) ? w->vshadow : w->vshadowWhenClear;
        if (!word.empty())
            fmt::format_to(std::back_inserter(out), " {}", word);
    }
    return out;
}

std::string listingTime(VSS_TIMESTAMP fileTime)
{
    // The calendar is the Win32 one the library gives requesters (boundary/win32_system.cpp).
    FILETIME ft{static_cast<DWORD>(static_cast<std::uint64_t>(fileTime) & 0xFFFFFFFFu),
                static_cast<DWORD>(static_cast<std::uint64_t>(fileTime) >> 32)};
    SYSTEMTIME st{};
    if (!FileTimeToSystemTime(&ft, &st))
        return "?";
    const unsigned hour12 = st.wHour % 12 == 0 ? 12u : st.wHour % 12u;
    return fmt::format("{}/{}/{} {}:{:02}:{:02} {}", st.wMonth, st.wDay, st.wYear, hour12, st.wMinute, st.wSecond,
                       st.wHour < 12 ? "AM" : "PM");
}

std::string formatVssadminShadows(const std::vector<ShadowListingEntry> &shadows, const ListingOptions &o)
{
    // Layout of the capture in duplicati/duplicati#7205; the set header is repeated per shadow copy.
    Lines out(o);
    vssadminHeader(out, o);
    if (shadows.empty()) {
        out.add("No items found that satisfy the query.");
        return out.take();
    }
    for (const ShadowListingEntry &e : shadows) {
        std::wstring drive = e.volumeDisplay;
        if (!drive.empty() && drive.back() == L'\\')
            drive.pop_back();
        out.add("Contents of shadow copy set ID: {}", formatGuid(e.setId));
        out.add("   Contained {} shadow copies at creation time: {}", e.setCount, listingTime(e.created));
        out.add("      Shadow Copy ID: {}", formatGuid(e.id));
        out.add("         Original Volume: ({}){}", toUtf8(drive), toUtf8(e.originalVolume));
        out.add("         Shadow Copy Volume: {}", toUtf8(e.device));
        out.add("         Originating Machine: {}", toUtf8(e.originatingMachine));
        out.add("         Service Machine: {}", toUtf8(e.serviceMachine));
        out.add("         Provider: '{}'", toUtf8(e.providerName));
        out.add("         Type: {}", vssadminShadowType(e.attributes));
        out.add("         Attributes: {}", vssadminAttributeText(e.attributes));
        out.blank();
    }
    return out.take();
}

namespace {

/// VShadow's and DiskShadow's shadow-copy blocks differ only in indentation and a few labels.
struct ShadowBlockStyle {
    std::string_view head;        ///< "* SNAPSHOT ID = {} ..."
    std::string_view indent;      ///< before each "- " line
    std::string_view set, volume, created, exposed, provider;
};

// The sample's PrintSnapshotProperties (Windows-classic-samples VShadowVolumeShadowCopy/cpp/query.cpp).
constexpr ShadowBlockStyle kVShadowBlock{"* SNAPSHOT ID = {} ...", "   ", "Shadow copy Set", "Original Volume name",
                                         "Creation Time", "Not Exposed", "Provider id"};
// The lines up to "Service machine" are the capture of openzfsonwindows/openzfs#350 (the
// %VSS_SHADOW_n% alias columns appear only right after CREATE); the rest follows VShadow's order
// with DiskShadow's lower-case labels, and its words match VShadow's (docs/api.md §6).
constexpr ShadowBlockStyle kDiskShadowBlock{"        * Shadow copy ID = {}", "                ", "Shadow copy set",
                                            "Original volume name", "Creation time", "Not exposed", "Provider ID"};

void shadowBlock(Lines &out, const ShadowListingEntry &e, const ShadowBlockStyle &st)
{
    out.add(fmt::runtime(st.head), formatGuid(e.id));
    out.add("{}- {}: {}", st.indent, st.set, formatGuid(e.setId));
    out.add("{}- Original count of shadow copies = {}", st.indent, e.setCount);
    out.add("{}- {}: {} [{}]", st.indent, st.volume, toUtf8(e.originalVolume), toUtf8(e.volumeDisplay));
    out.add("{}- {}: {}", st.indent, st.created, listingTime(e.created));
    out.add("{}- Shadow copy device name: {}", st.indent, toUtf8(e.device));
    out.add("{}- Originating machine: {}", st.indent, toUtf8(e.originatingMachine));
    out.add("{}- Service machine: {}", st.indent, toUtf8(e.serviceMachine));
    out.add("{}- {}", st.indent, st.exposed);   // exposure is out of scope
    out.add("{}- {}: {}", st.indent, st.provider, formatGuid(e.providerId));
    out.add("{}- Attributes: {}", st.indent, vshadowAttributeText(e.attributes));
    out.blank();
}

} // namespace

std::string formatVShadowShadows(const std::vector<ShadowListingEntry> &shadows, const ListingOptions &o)
{
    Lines out(o);
    out.blank();
    out.add("Querying all shadow copies in the system ...");
    out.blank();
    if (shadows.empty()) {
        out.blank();
        out.add("There are no shadow copies in the system");
        out.blank();
    }
    for (const ShadowListingEntry &e : shadows)
        shadowBlock(out, e, kVShadowBlock);
    return out.take();
}

std::string formatDiskShadowShadows(const std::vector<ShadowListingEntry> &shadows, const ListingOptions &o)
{
    Lines out(o);
    out.add("Querying all shadow copies on the computer ...");
    out.blank();
    // Unverified: no capture of an empty DiskShadow listing was found.
    if (shadows.empty()) {
        out.add("No shadow copies found in system.");
        return out.take();
    }
    for (const ShadowListingEntry &e : shadows)
        shadowBlock(out, e, kDiskShadowBlock);
    out.add("Number of shadow copies listed: {}", shadows.size());
    return out.take();
}

std::vector<StatusEntry> observeWriters(Service &svc, bool &late, HRESULT *result)
{
    auto lock = svc.lock();
    // Decided before the observer runs: its own gather moves virtual time, and vssadmin prints the
    // preamble when it starts waiting.
    late = svc.creationRunning() || svc.backgroundCreationRunning();
    std::vector<StatusEntry> list;
    // vssadmin is not the requester a scenario judges: its operations are no ends of `when`.
    Service::CallObserver judged = svc.exchangeCallObserver({});
    auto observer = std::make_shared<Session>(svc.shared_from_this());
    HRESULT hr = initializeAndGatherMetadata(*observer);
    if (SUCCEEDED(hr)) {
        if (auto status = observer->gatherWriterStatus(); !status) {
            hr = status.hr();
        } else {
            observer->wait(**status, std::nullopt);
            hr = (*status)->result;
        }
    }
    if (SUCCEEDED(hr)) {
        if (auto count = observer->writerStatusCount())
            for (UINT i = 0; i < *count; ++i)
                list.push_back(**observer->writerStatus(i));
        for (const StatusEntry &e : list)
            if (const WriterEntry *w = svc.writers().find(e.writerUid))
                late = late || w->faults.ignoreStatus || w->faults.statusDelay > SimDuration{0};
    }
    observer->release();
    svc.exchangeCallObserver(std::move(judged));
    if (FAILED(hr))
        list.clear();
    if (result)
        *result = FAILED(hr) ? hr : S_OK;
    return list;
}

std::string transitionLabel(const Row &row)
{
    std::string text = fmt::format("{}: ", row.id);
    bool first = true;
    for (int i = 0; i < kInputCount; ++i)
        if (row.on & inputs({static_cast<Input>(i)})) {
            text += first ? "" : ", ";
            text += inputName(static_cast<Input>(i));
            first = false;
        }
    text += " / ";
    if (row.when == kAnyOutcome) {
        text += "any";
    } else {
        first = true;
        for (int i = 0; i < kOutcomeCount; ++i)
            if (row.when & outcomes({static_cast<Outcome>(i)})) {
                text += first ? "" : ", ";
                text += outcomeName(static_cast<Outcome>(i));
                first = false;
            }
    }
    if (row.abort)
        text += " (abort)";
    if (!row.delivered)
        text += " (not delivered)";
    return text;
}

std::string targetText(const Row &r)
{
    switch (r.target) {
    case Target::State: return std::string(writerStateName(r.to));
    case Target::Unchanged: return "unchanged";
    case Target::Listed: return "no record, listed";
    case Target::Absent: return "no record, absent from the lists";
    }
    return {};
}

std::string fromText(StateSet from)
{
    std::string out;
    for (int bit = 0; bit <= VSS_WS_COUNT; ++bit)
        if (from & (1u << bit)) {
            out += out.empty() ? "" : ", ";
            out += bit == VSS_WS_COUNT ? std::string_view("(no record)") : writerStateName(static_cast<VSS_WRITER_STATE>(bit));
        }
    return out;
}

std::string formatTransitionGraph()
{
    // Node ids are the state numbers, so a diff of two graphs lines up and links stay valid.
    auto node = [](int bit) { return bit == VSS_WS_COUNT ? std::string("none") : fmt::format("s{}", bit); };
    std::string out = "digraph vss_writer_state {\n  rankdir=LR;\n  node [shape=box];\n";
    out += "  none [label=\"no record\", shape=ellipse];\n";
    for (int s = 0; s < VSS_WS_COUNT; ++s)
        out += fmt::format("  {} [label=\"[{}] {}\"];\n", node(s), s, stateName(static_cast<VSS_WRITER_STATE>(s)));
    static_assert(kNoRecord == 1u << VSS_WS_COUNT, "the `none` node is the bit after the last state");
    for (const Row &r : transitionTable()) {
        const std::string label = transitionLabel(r);
        for (int bit = 0; bit <= VSS_WS_COUNT; ++bit) {
            if (!(r.from & (1u << bit)))
                continue;
            std::string to;
            std::string style;
            switch (r.target) {
            case Target::State: to = node(r.to); break;
            case Target::Unchanged: to = node(bit); break;
            case Target::Listed: to = node(VSS_WS_COUNT); break;
            case Target::Absent:
                to = node(VSS_WS_COUNT);
                style = ", style=dashed";   // still no record, but gone from every list of the session
                break;
            }
            out += fmt::format("  {} -> {} [label=\"{}\"{}];\n", node(bit), to, label, style);
        }
    }
    out += "}\n";
    return out;
}

} // namespace vsssim
