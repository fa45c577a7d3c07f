// The Win32 volume functions, answering from the simulation's volumes. A requester that asks Windows
// for a volume's GUID path and then hands it to AddToSnapshotSet, or matches VSS_SNAPSHOT_PROP's
// m_pwszOriginalVolumeName against it, gets the same \\?\Volume{guid}\ names the service uses.
#include <winbase.h>
#include <shlwapi.h>

#include <algorithm>
#include <cstring>
#include <cwchar>
#include <cwctype>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "boundary/win32.h"
#include "service/service.h"

namespace {

using vsssim::win32::copyOut;
using vsssim::win32::equalsNoCase;
using vsssim::win32::failWith;

// Where the simulation's volumes are found: a snapshot taken under the service's lock, so a
// concurrent session never changes a list half-way through a call.
struct VolumeView {
    std::wstring root;        ///< "C:\"
    std::wstring guidPath;    ///< "\\?\Volume{...}\"
    std::vector<std::wstring> mountPoints;
    std::size_t index = 0;
};

std::vector<VolumeView> simulatedVolumes()
{
    auto service = vsssim::Service::current();
    auto lock = service->lock();
    std::vector<VolumeView> out;
    for (std::size_t i = 0; i < service->volumes().size(); ++i) {
        const vsssim::Volume &v = service->volumes()[i];
        out.push_back({v.name, v.guidPath, v.mountPoints, i});
    }
    return out;
}

bool endsWithBackslash(std::wstring_view s) noexcept
{
    return !s.empty() && s.back() == L'\\';
}

std::wstring withBackslash(std::wstring s)
{
    if (!endsWithBackslash(s))
        s += L'\\';
    return s;
}

bool startsWithNoCase(std::wstring_view text, std::wstring_view prefix) noexcept
{
    return text.size() >= prefix.size() && equalsNoCase(text.substr(0, prefix.size()), prefix);
}

/// Every name a volume answers to as a mount point: its drive root, its folders, its GUID path.
std::vector<std::wstring> namesOf(const VolumeView &v)
{
    std::vector<std::wstring> names;
    if (!v.root.empty())
        names.push_back(withBackslash(v.root));
    for (const std::wstring &m : v.mountPoints)
        names.push_back(withBackslash(m));
    names.push_back(v.guidPath);
    return names;
}

const VolumeView *byMountPoint(const std::vector<VolumeView> &volumes, std::wstring_view mountPoint)
{
    for (const VolumeView &v : volumes)
        for (const std::wstring &n : namesOf(v))
            if (equalsNoCase(n, mountPoint))
                return &v;
    return nullptr;
}

const VolumeView *byGuidPath(const std::vector<VolumeView> &volumes, std::wstring_view guidPath)
{
    for (const VolumeView &v : volumes)
        if (equalsNoCase(v.guidPath, guidPath))
            return &v;
    return nullptr;
}

/// "\Device\HarddiskVolumeN": the simulation's volumes are numbered in scenario order from 1.
std::wstring deviceOf(const VolumeView &v)
{
    return L"\\Device\\HarddiskVolume" + std::to_wstring(v.index + 1);
}

bool isGuidPath(std::wstring_view s) noexcept
{
    return startsWithNoCase(s, L"\\\\?\\Volume{");
}

class VolumeFind
{
public:
    explicit VolumeFind(std::vector<std::wstring> names) : names_(std::move(names)) {}
    /** \brief The next name into the buffer; FALSE with Windows' error at the end or when it does not fit. */
    BOOL next(LPWSTR buffer, DWORD cch)
    {
        if (next_ >= names_.size())
            return failWith(ERROR_NO_MORE_FILES, FALSE);
        if (!copyOut(names_[next_], buffer, cch))
            return failWith(ERROR_FILENAME_EXCED_RANGE, FALSE);
        ++next_;
        return TRUE;
    }

private:
    std::vector<std::wstring> names_;
    std::size_t next_ = 0;
};

class VolumeFindNames final : public vsssim::win32::HandleObject
{
public:
    VolumeFind find;
    explicit VolumeFindNames(std::vector<std::wstring> names) : find(std::move(names)) {}
};
class MountPointFind final : public vsssim::win32::HandleObject
{
public:
    VolumeFind find;
    explicit MountPointFind(std::vector<std::wstring> names) : find(std::move(names)) {}
};

template <class Kind> HANDLE startFind(std::vector<std::wstring> names, LPWSTR buffer, DWORD cch)
{
    if (!buffer)
        return failWith(ERROR_INVALID_PARAMETER, INVALID_HANDLE_VALUE);
    if (names.empty())
        return failWith(ERROR_NO_MORE_FILES, INVALID_HANDLE_VALUE);
    auto kind = std::make_unique<Kind>(std::move(names));
    if (!kind->find.next(buffer, cch))
        return INVALID_HANDLE_VALUE;   // next() set the error
    return vsssim::win32::addHandle(std::move(kind));
}

template <class Kind> BOOL continueFind(HANDLE h, LPWSTR buffer, DWORD cch)
{
    Kind *kind = vsssim::win32::findHandleOf<Kind>(h);
    if (!kind)
        return failWith(ERROR_INVALID_HANDLE, FALSE);
    if (!buffer)
        return failWith(ERROR_INVALID_PARAMETER, FALSE);
    return kind->find.next(buffer, cch);
}

template <class Kind> BOOL closeFind(HANDLE h)
{
    if (!vsssim::win32::findHandleOf<Kind>(h) || !vsssim::win32::closeHandle(h))
        return failWith(ERROR_INVALID_HANDLE, FALSE);
    return TRUE;
}

} // namespace

extern "C" BOOL GetVolumeNameForVolumeMountPointW(LPCWSTR lpszVolumeMountPoint, LPWSTR lpszVolumeName,
                                                  DWORD cchBufferLength)
{
    if (!lpszVolumeMountPoint || !lpszVolumeName)
        return failWith(ERROR_INVALID_PARAMETER, FALSE);
    // The documented contract: a mount point ends with a backslash ("C:\", not "C:").
    if (!endsWithBackslash(lpszVolumeMountPoint))
        return failWith(ERROR_INVALID_NAME, FALSE);
    const std::vector<VolumeView> volumes = simulatedVolumes();
    const VolumeView *v = byMountPoint(volumes, lpszVolumeMountPoint);
    if (!v) {
        // A folder on a volume that is no mount point, or a drive that does not exist.
        for (const VolumeView &host : volumes)
            for (const std::wstring &n : namesOf(host))
                if (startsWithNoCase(lpszVolumeMountPoint, n))
                    return failWith(ERROR_NOT_A_REPARSE_POINT, FALSE);
        return failWith(ERROR_FILE_NOT_FOUND, FALSE);
    }
    if (!copyOut(v->guidPath, lpszVolumeName, cchBufferLength))
        return failWith(ERROR_FILENAME_EXCED_RANGE, FALSE);
    return TRUE;
}

extern "C" BOOL GetVolumePathNameW(LPCWSTR lpszFileName, LPWSTR lpszVolumePathName, DWORD cchBufferLength)
{
    if (!lpszFileName || !lpszVolumePathName || !*lpszFileName)
        return failWith(ERROR_INVALID_PARAMETER, FALSE);
    // "C:" and "C:\dir" both belong to C:\; the longest mount point that prefixes the path wins, so
    // a file under a mounted folder names the folder's volume.
    const std::wstring path = withBackslash(lpszFileName);
    std::wstring best;
    for (const VolumeView &v : simulatedVolumes())
        for (const std::wstring &n : namesOf(v))
            if (startsWithNoCase(path, n) && n.size() > best.size())
                best = path.substr(0, n.size());
    if (best.empty())
        return failWith(ERROR_FILE_NOT_FOUND, FALSE);
    if (!copyOut(best, lpszVolumePathName, cchBufferLength))
        return failWith(ERROR_FILENAME_EXCED_RANGE, FALSE);
    return TRUE;
}

extern "C" BOOL GetVolumePathNamesForVolumeNameW(LPCWSTR lpszVolumeName, LPWCH lpszVolumePathNames,
                                                 DWORD cchBufferLength, PDWORD lpcchReturnLength)
{
    if (!lpszVolumeName || (cchBufferLength > 0 && !lpszVolumePathNames))
        return failWith(ERROR_INVALID_PARAMETER, FALSE);
    if (!isGuidPath(lpszVolumeName) || !endsWithBackslash(lpszVolumeName))
        return failWith(ERROR_INVALID_NAME, FALSE);
    const std::vector<VolumeView> volumes = simulatedVolumes();
    const VolumeView *v = byGuidPath(volumes, lpszVolumeName);
    if (!v)
        return failWith(ERROR_FILE_NOT_FOUND, FALSE);
    // A MULTI_SZ: each path with its terminator, then one more terminator.
    std::wstring multi;
    if (!v->root.empty())
        multi += withBackslash(v->root) + L'\0';
    for (const std::wstring &m : v->mountPoints)
        multi += withBackslash(m) + L'\0';
    multi += L'\0';
    if (lpcchReturnLength)
        *lpcchReturnLength = static_cast<DWORD>(multi.size());
    if (multi.size() > cchBufferLength)
        return failWith(ERROR_MORE_DATA, FALSE);
    std::wmemcpy(lpszVolumePathNames, multi.data(), multi.size());
    return TRUE;
}

extern "C" HANDLE FindFirstVolumeW(LPWSTR lpszVolumeName, DWORD cchBufferLength)
{
    std::vector<std::wstring> names;
    for (const VolumeView &v : simulatedVolumes())
        names.push_back(v.guidPath);
    return startFind<VolumeFindNames>(std::move(names), lpszVolumeName, cchBufferLength);
}

extern "C" BOOL FindNextVolumeW(HANDLE hFindVolume, LPWSTR lpszVolumeName, DWORD cchBufferLength)
{
    return continueFind<VolumeFindNames>(hFindVolume, lpszVolumeName, cchBufferLength);
}

extern "C" BOOL FindVolumeClose(HANDLE hFindVolume)
{
    return closeFind<VolumeFindNames>(hFindVolume);
}

extern "C" HANDLE FindFirstVolumeMountPointW(LPCWSTR lpszRootPathName, LPWSTR lpszVolumeMountPoint,
                                             DWORD cchBufferLength)
{
    if (!lpszRootPathName)
        return failWith(ERROR_INVALID_PARAMETER, INVALID_HANDLE_VALUE);
    if (!endsWithBackslash(lpszRootPathName))
        return failWith(ERROR_INVALID_NAME, INVALID_HANDLE_VALUE);
    const std::vector<VolumeView> volumes = simulatedVolumes();
    const VolumeView *host = byMountPoint(volumes, lpszRootPathName);
    if (!host)
        return failWith(ERROR_FILE_NOT_FOUND, INVALID_HANDLE_VALUE);
    // The folders on `host` where another volume is mounted, relative to host's root ("mnt\data\").
    std::vector<std::wstring> names;
    const std::wstring root = withBackslash(host->root);
    for (const VolumeView &v : volumes)
        for (const std::wstring &m : v.mountPoints) {
            const std::wstring folder = withBackslash(m);
            if (!host->root.empty() && folder.size() > root.size() && startsWithNoCase(folder, root))
                names.push_back(folder.substr(root.size()));
        }
    return startFind<MountPointFind>(std::move(names), lpszVolumeMountPoint, cchBufferLength);
}

extern "C" BOOL FindNextVolumeMountPointW(HANDLE hFindVolumeMountPoint, LPWSTR lpszVolumeMountPoint,
                                          DWORD cchBufferLength)
{
    return continueFind<MountPointFind>(hFindVolumeMountPoint, lpszVolumeMountPoint, cchBufferLength);
}

extern "C" BOOL FindVolumeMountPointClose(HANDLE hFindVolumeMountPoint)
{
    return closeFind<MountPointFind>(hFindVolumeMountPoint);
}

extern "C" DWORD QueryDosDeviceW(LPCWSTR lpDeviceName, LPWSTR lpTargetPath, DWORD ucchMax)
{
    if (!lpTargetPath)
        return failWith(ERROR_INVALID_PARAMETER, DWORD{0});
    const std::vector<VolumeView> volumes = simulatedVolumes();
    std::wstring multi;
    if (!lpDeviceName) {
        // Every MS-DOS device name the simulation defines: the drive letters and the Volume{guid} names.
        for (const VolumeView &v : volumes) {
            if (v.root.size() >= 2)
                multi += v.root.substr(0, 2) + L'\0';
            multi += v.guidPath.substr(4, v.guidPath.size() - 5) + L'\0';
        }
    } else {
        const std::wstring name = lpDeviceName;
        for (const VolumeView &v : volumes) {
            const bool drive = v.root.size() >= 2 && equalsNoCase(name, v.root.substr(0, 2));
            const bool guid = equalsNoCase(name, v.guidPath.substr(4, v.guidPath.size() - 5));
            if (drive || guid)
                multi = deviceOf(v) + L'\0';
        }
        if (multi.empty())
            return failWith(ERROR_FILE_NOT_FOUND, DWORD{0});
    }
    multi += L'\0';
    if (multi.size() > ucchMax)
        return failWith(ERROR_INSUFFICIENT_BUFFER, DWORD{0});
    std::wmemcpy(lpTargetPath, multi.data(), multi.size());
    return static_cast<DWORD>(multi.size());
}

extern "C" UINT GetDriveTypeW(LPCWSTR lpRootPathName)
{
    const std::vector<VolumeView> volumes = simulatedVolumes();
    if (!lpRootPathName)
        return volumes.empty() ? DRIVE_NO_ROOT_DIR : DRIVE_FIXED;   // the current directory's: the first volume
    // Every simulated volume is a fixed disk: removable media cannot take a VSS shadow copy.
    return byMountPoint(volumes, withBackslash(lpRootPathName)) ? DRIVE_FIXED : DRIVE_NO_ROOT_DIR;
}

extern "C" BOOL GetVolumeInformationW(LPCWSTR lpRootPathName, LPWSTR lpVolumeNameBuffer, DWORD nVolumeNameSize,
                                      LPDWORD lpVolumeSerialNumber, LPDWORD lpMaximumComponentLength,
                                      LPDWORD lpFileSystemFlags, LPWSTR lpFileSystemNameBuffer,
                                      DWORD nFileSystemNameSize)
{
    const std::vector<VolumeView> volumes = simulatedVolumes();
    const std::wstring root = lpRootPathName ? std::wstring(lpRootPathName) : (volumes.empty() ? L"" : volumes[0].root);
    if (!endsWithBackslash(root))
        return failWith(ERROR_INVALID_NAME, FALSE);
    const VolumeView *v = byMountPoint(volumes, root);
    if (!v)
        return failWith(ERROR_PATH_NOT_FOUND, FALSE);
    if (lpVolumeNameBuffer && !copyOut(L"", lpVolumeNameBuffer, nVolumeNameSize))
        return failWith(ERROR_BAD_LENGTH, FALSE);
    if (lpFileSystemNameBuffer && !copyOut(L"NTFS", lpFileSystemNameBuffer, nFileSystemNameSize))
        return failWith(ERROR_BAD_LENGTH, FALSE);
    if (lpVolumeSerialNumber) {
        // Stable per volume: derived from its GUID, which comes from the seed.
        DWORD serial = 0;
        for (wchar_t c : v->guidPath)
            serial = serial * 31 + static_cast<DWORD>(c);
        *lpVolumeSerialNumber = serial;
    }
    if (lpMaximumComponentLength)
        *lpMaximumComponentLength = 255;
    if (lpFileSystemFlags)
        *lpFileSystemFlags = FILE_CASE_SENSITIVE_SEARCH | FILE_CASE_PRESERVED_NAMES | FILE_UNICODE_ON_DISK |
                             FILE_PERSISTENT_ACLS | FILE_FILE_COMPRESSION | FILE_VOLUME_QUOTAS |
                             FILE_SUPPORTS_SPARSE_FILES | FILE_SUPPORTS_REPARSE_POINTS | FILE_SUPPORTS_OBJECT_IDS |
                             FILE_SUPPORTS_ENCRYPTION | FILE_NAMED_STREAMS;
    return TRUE;
}

extern "C" DWORD GetLogicalDrives(void)
{
    DWORD mask = 0;
    for (const VolumeView &v : simulatedVolumes())
        if (v.root.size() >= 2 && v.root[1] == L':') {
            const wchar_t letter = static_cast<wchar_t>(std::towupper(static_cast<wint_t>(v.root[0])));
            if (letter >= L'A' && letter <= L'Z')
                mask |= DWORD{1} << (letter - L'A');
        }
    return mask;
}

extern "C" DWORD GetLogicalDriveStringsW(DWORD nBufferLength, LPWSTR lpBuffer)
{
    std::wstring multi;
    for (const VolumeView &v : simulatedVolumes())
        if (v.root.size() >= 2 && v.root[1] == L':')
            multi += withBackslash(v.root) + L'\0';
    // Windows' contract: the length without the final terminator, or the size needed when it does not fit.
    if (multi.size() + 1 > nBufferLength || !lpBuffer)
        return static_cast<DWORD>(multi.size() + 1);
    multi += L'\0';
    std::wmemcpy(lpBuffer, multi.data(), multi.size());
    return static_cast<DWORD>(multi.size() - 1);
}

// No files are simulated: what exists is a simulated volume's root, mount folder or GUID path, as a
// directory. Anything else is reported missing.
extern "C" DWORD GetFileAttributesW(LPCWSTR lpFileName)
{
    if (!lpFileName || !*lpFileName)
        return failWith(ERROR_INVALID_PARAMETER, INVALID_FILE_ATTRIBUTES);
    if (!byMountPoint(simulatedVolumes(), withBackslash(lpFileName)))
        return failWith(ERROR_FILE_NOT_FOUND, INVALID_FILE_ATTRIBUTES);
    return FILE_ATTRIBUTE_DIRECTORY;
}

extern "C" BOOL PathFileExistsW(LPCWSTR pszPath)
{
    return GetFileAttributesW(pszPath) != INVALID_FILE_ATTRIBUTES ? TRUE : FALSE;
}

extern "C" BOOL PathFileExistsA(LPCSTR pszPath)
{
    if (!pszPath)
        return failWith(ERROR_INVALID_PARAMETER, FALSE);
    std::wstring wide(std::strlen(pszPath) + 1, L'\0');
    const int n = MultiByteToWideChar(CP_ACP, 0, pszPath, -1, wide.data(), static_cast<int>(wide.size()));
    return n > 0 && PathFileExistsW(wide.c_str());
}
