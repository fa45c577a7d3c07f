// Handles, CloseHandle, the C runtime's case-insensitive comparisons and the code page conversions.
#include <winbase.h>

#include <climits>
#include <cstdlib>
#include <cstring>
#include <cwchar>
#include <cwctype>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>

#include "boundary/win32.h"
#include "scenario/listing.h"

namespace vsssim::win32 {

namespace {

struct HandleTable {
    std::mutex mutex;
    std::map<const void *, std::unique_ptr<HandleObject>> live;
};

HandleTable &handles()
{
    static HandleTable table;
    return table;
}

} // namespace

bool copyOut(std::wstring_view text, LPWSTR buffer, DWORD cch) noexcept
{
    if (!buffer || text.size() + 1 > cch)
        return false;
    std::wmemcpy(buffer, text.data(), text.size());
    buffer[text.size()] = L'\0';
    return true;
}

bool equalsNoCase(std::wstring_view a, std::wstring_view b) noexcept
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::towlower(static_cast<wint_t>(a[i])) != std::towlower(static_cast<wint_t>(b[i])))
            return false;
    return true;
}

HANDLE addHandle(std::unique_ptr<HandleObject> object)
{
    HandleTable &t = handles();
    std::lock_guard lock(t.mutex);
    HANDLE h = object.get();
    t.live.emplace(h, std::move(object));
    return h;
}

HandleObject *findHandle(HANDLE h) noexcept
{
    HandleTable &t = handles();
    std::lock_guard lock(t.mutex);
    auto it = t.live.find(h);
    return it == t.live.end() ? nullptr : it->second.get();
}

bool closeHandle(HANDLE h) noexcept
{
    std::unique_ptr<HandleObject> closing;
    {
        HandleTable &t = handles();
        std::lock_guard lock(t.mutex);
        auto it = t.live.find(h);
        if (it == t.live.end())
            return false;
        closing = std::move(it->second);
        t.live.erase(it);
    }
    return true;   // the object is destroyed outside the lock
}

} // namespace vsssim::win32

extern "C" BOOL CloseHandle(HANDLE hObject)
{
    if (!vsssim::win32::closeHandle(hObject))
        return vsssim::win32::failWith(ERROR_INVALID_HANDLE, FALSE);
    return TRUE;
}

namespace {

template <class Ch> int lowerOf(Ch c)
{
    if constexpr (sizeof(Ch) == 1)
        return std::tolower(static_cast<unsigned char>(c));
    else
        return static_cast<int>(std::towlower(static_cast<wint_t>(c)));
}

template <class Ch> int compareNoCase(const Ch *a, const Ch *b, std::size_t count)
{
    for (std::size_t i = 0; i < count; ++i) {
        const int x = lowerOf(a[i]);
        const int y = lowerOf(b[i]);
        if (x != y)
            return x < y ? -1 : 1;
        if (x == 0)
            return 0;
    }
    return 0;
}

} // namespace

extern "C" int _wcsicmp(const wchar_t *string1, const wchar_t *string2)
{
    return compareNoCase(string1, string2, SIZE_MAX);
}

extern "C" int _wcsnicmp(const wchar_t *string1, const wchar_t *string2, size_t count)
{
    return compareNoCase(string1, string2, count);
}

extern "C" int _stricmp(const char *string1, const char *string2)
{
    return compareNoCase(string1, string2, SIZE_MAX);
}

extern "C" int _strnicmp(const char *string1, const char *string2, size_t count)
{
    return compareNoCase(string1, string2, count);
}

namespace {

// CP_UTF8 decodes here and encodes with the listing's toUtf8; the ANSI code pages are the C library's locale.
/// UTF-8 to wide; an invalid sequence becomes U+FFFD, or fails when `strict` (MB_ERR_INVALID_CHARS).
bool decodeUtf8(const unsigned char *s, std::size_t n, bool strict, std::wstring &out)
{
    for (std::size_t i = 0; i < n;) {
        const unsigned char b = s[i];
        const std::size_t len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
        bool valid = len != 0 && i + len <= n;
        std::uint32_t c = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
        for (std::size_t k = 1; valid && k < len; ++k) {
            valid = (s[i + k] & 0xC0) == 0x80;
            c = (c << 6) | (s[i + k] & 0x3F);
        }
        if (!valid) {
            if (strict)
                return false;
            out += L'\xFFFD';
            ++i;
            continue;
        }
        out += static_cast<wchar_t>(c);
        i += len;
    }
    return true;
}

bool knownCodePage(UINT codePage)
{
    return codePage == CP_ACP || codePage == CP_OEMCP || codePage == CP_THREAD_ACP || codePage == CP_UTF8;
}

} // namespace

extern "C" int MultiByteToWideChar(UINT CodePage, DWORD dwFlags, LPCSTR lpMultiByteStr, int cbMultiByte,
                                   LPWSTR lpWideCharStr, int cchWideChar)
{
    const bool strict = (dwFlags & MB_ERR_INVALID_CHARS) != 0;
    if (!lpMultiByteStr || cbMultiByte == 0 || cchWideChar < 0 || (cchWideChar > 0 && !lpWideCharStr))
        return vsssim::win32::failWith(ERROR_INVALID_PARAMETER, 0);
    if (!knownCodePage(CodePage))
        return vsssim::win32::failWith(ERROR_INVALID_PARAMETER, 0);
    // -1 means "through the terminator, which is converted too".
    const std::size_t n = cbMultiByte < 0 ? std::strlen(lpMultiByteStr) + 1 : static_cast<std::size_t>(cbMultiByte);
    std::wstring wide;
    if (CodePage == CP_UTF8) {
        if (!decodeUtf8(reinterpret_cast<const unsigned char *>(lpMultiByteStr), n, strict, wide))
            return vsssim::win32::failWith(ERROR_NO_UNICODE_TRANSLATION, 0);
    } else {
        std::mbstate_t state{};
        for (std::size_t i = 0; i < n;) {
            wchar_t w = 0;
            const std::size_t used = std::mbrtowc(&w, lpMultiByteStr + i, n - i, &state);
            if (used == static_cast<std::size_t>(-1) || used == static_cast<std::size_t>(-2)) {
                if (strict)
                    return vsssim::win32::failWith(ERROR_NO_UNICODE_TRANSLATION, 0);
                wide += L'\xFFFD';
                state = {};
                ++i;
                continue;
            }
            wide += w;
            i += used == 0 ? 1 : used;
        }
    }
    if (cchWideChar == 0)
        return static_cast<int>(wide.size());
    if (wide.size() > static_cast<std::size_t>(cchWideChar))
        return vsssim::win32::failWith(ERROR_INSUFFICIENT_BUFFER, 0);
    std::wmemcpy(lpWideCharStr, wide.data(), wide.size());
    return static_cast<int>(wide.size());
}

extern "C" int WideCharToMultiByte(UINT CodePage, DWORD dwFlags, LPCWSTR lpWideCharStr, int cchWideChar,
                                   LPSTR lpMultiByteStr, int cbMultiByte, LPCSTR lpDefaultChar, LPBOOL lpUsedDefaultChar)
{
    (void)dwFlags;
    if (!lpWideCharStr || cchWideChar == 0 || cbMultiByte < 0 || (cbMultiByte > 0 && !lpMultiByteStr))
        return vsssim::win32::failWith(ERROR_INVALID_PARAMETER, 0);
    if (!knownCodePage(CodePage) || (CodePage == CP_UTF8 && (lpDefaultChar || lpUsedDefaultChar)))
        return vsssim::win32::failWith(ERROR_INVALID_PARAMETER, 0);
    const std::size_t n = cchWideChar < 0 ? std::wcslen(lpWideCharStr) + 1 : static_cast<std::size_t>(cchWideChar);
    const std::string fallback = lpDefaultChar ? lpDefaultChar : "?";
    bool usedDefault = false;
    std::string narrow;
    if (CodePage == CP_UTF8)
        narrow = vsssim::toUtf8(std::wstring_view(lpWideCharStr, n));
    std::mbstate_t state{};
    for (std::size_t i = 0; i < n && CodePage != CP_UTF8; ++i) {
        char bytes[MB_LEN_MAX];
        const std::size_t len = std::wcrtomb(bytes, lpWideCharStr[i], &state);
        if (len == static_cast<std::size_t>(-1)) {
            narrow += fallback;
            usedDefault = true;
            state = {};
        } else {
            narrow.append(bytes, len);
        }
    }
    if (lpUsedDefaultChar)
        *lpUsedDefaultChar = usedDefault ? TRUE : FALSE;
    if (cbMultiByte == 0)
        return static_cast<int>(narrow.size());
    if (narrow.size() > static_cast<std::size_t>(cbMultiByte))
        return vsssim::win32::failWith(ERROR_INSUFFICIENT_BUFFER, 0);
    std::memcpy(lpMultiByteStr, narrow.data(), narrow.size());
    return static_cast<int>(narrow.size());
}

extern "C" const wchar_t *vsssim_widen_literal(const char *text)
{
    // Keyed by address: each function's __FUNCTION__ is one static array. Nodes never move, so the
    // pointers handed out stay valid.
    static std::mutex mutex;
    static std::unordered_map<const char *, std::wstring> widened;
    if (!text)
        return L"";
    std::lock_guard lock(mutex);
    auto [it, inserted] = widened.try_emplace(text);
    if (inserted)
        for (const char *p = text; *p; ++p)
            it->second += static_cast<wchar_t>(static_cast<unsigned char>(*p));
    return it->second.c_str();
}
