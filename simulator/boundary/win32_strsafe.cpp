// <strsafe.h>. One template per operation serves the W and A, Cch and Cb forms, so the truncation
// rule is written once: the destination always ends in a terminator, and text that did not fit
// gives STRSAFE_E_INSUFFICIENT_BUFFER with as much as fitted.
#include <strsafe.h>

#include <cstring>
#include <cwchar>
#include <string>
#include <string_view>

#include "boundary/win32.h"

namespace {

template <class Ch> std::size_t lengthWithin(const Ch *s, std::size_t max) noexcept
{
    std::size_t n = 0;
    while (n < max && s[n])
        ++n;
    return n;
}

bool validCount(std::size_t cch) noexcept
{
    return cch > 0 && cch <= STRSAFE_MAX_CCH;
}

/// Write `text` at dest (room for cch characters including the terminator), cut to fit.
template <class Ch> HRESULT put(Ch *dest, std::size_t cch, std::basic_string_view<Ch> text) noexcept
{
    const std::size_t n = std::min(text.size(), cch - 1);
    std::memcpy(dest, text.data(), n * sizeof(Ch));
    dest[n] = Ch(0);
    return n < text.size() ? STRSAFE_E_INSUFFICIENT_BUFFER : S_OK;
}

template <class Ch> HRESULT copyN(Ch *dest, std::size_t cchDest, const Ch *src, std::size_t cchToCopy) noexcept
{
    if (!dest || !validCount(cchDest))
        return STRSAFE_E_INVALID_PARAMETER;
    if (!src || cchToCopy > STRSAFE_MAX_CCH) {
        dest[0] = Ch(0);
        return STRSAFE_E_INVALID_PARAMETER;
    }
    return put(dest, cchDest, std::basic_string_view<Ch>(src, lengthWithin(src, cchToCopy)));
}

template <class Ch> HRESULT catN(Ch *dest, std::size_t cchDest, const Ch *src, std::size_t cchToAppend) noexcept
{
    if (!dest || !validCount(cchDest))
        return STRSAFE_E_INVALID_PARAMETER;
    // The destination must already be a string that fits, or there is nowhere to append.
    const std::size_t used = lengthWithin(dest, cchDest);
    if (used == cchDest || !src || cchToAppend > STRSAFE_MAX_CCH)
        return STRSAFE_E_INVALID_PARAMETER;
    return put(dest + used, cchDest - used, std::basic_string_view<Ch>(src, lengthWithin(src, cchToAppend)));
}

template <class Ch> HRESULT vprintf(Ch *dest, std::size_t cchDest, const Ch *format, va_list args) noexcept
{
    if (!dest || !validCount(cchDest))
        return STRSAFE_E_INVALID_PARAMETER;
    try {
        const auto text = vsssim::win32::formatMicrosoft(format, args);
        if (!text) {
            dest[0] = Ch(0);
            return STRSAFE_E_INVALID_PARAMETER;
        }
        return put(dest, cchDest, std::basic_string_view<Ch>(*text));
    } catch (...) {
        dest[0] = Ch(0);
        return E_OUTOFMEMORY;
    }
}

template <class Ch> HRESULT length(const Ch *psz, std::size_t cchMax, std::size_t *pcchLength) noexcept
{
    HRESULT hr = S_OK;
    std::size_t n = 0;
    if (!psz || cchMax > STRSAFE_MAX_CCH) {
        hr = STRSAFE_E_INVALID_PARAMETER;
    } else {
        n = lengthWithin(psz, cchMax);
        if (n == cchMax) {   // no terminator within cchMax
            hr = STRSAFE_E_INVALID_PARAMETER;
            n = 0;
        }
    }
    if (pcchLength)
        *pcchLength = n;
    return hr;
}

template <class Ch> constexpr std::size_t chars(std::size_t cb) noexcept
{
    return cb / sizeof(Ch);
}

constexpr std::size_t kMaxCb = std::size_t{STRSAFE_MAX_CCH} * sizeof(wchar_t);

} // namespace

extern "C" {

HRESULT StringCchCopyW(STRSAFE_LPWSTR pszDest, size_t cchDest, STRSAFE_LPCWSTR pszSrc)
{
    return copyN(pszDest, cchDest, pszSrc, STRSAFE_MAX_CCH);
}
HRESULT StringCchCopyA(STRSAFE_LPSTR pszDest, size_t cchDest, STRSAFE_LPCSTR pszSrc)
{
    return copyN(pszDest, cchDest, pszSrc, STRSAFE_MAX_CCH);
}
HRESULT StringCchCopyNW(STRSAFE_LPWSTR pszDest, size_t cchDest, STRSAFE_LPCWSTR pszSrc, size_t cchToCopy)
{
    return copyN(pszDest, cchDest, pszSrc, cchToCopy);
}
HRESULT StringCchCopyNA(STRSAFE_LPSTR pszDest, size_t cchDest, STRSAFE_LPCSTR pszSrc, size_t cchToCopy)
{
    return copyN(pszDest, cchDest, pszSrc, cchToCopy);
}
HRESULT StringCchCatW(STRSAFE_LPWSTR pszDest, size_t cchDest, STRSAFE_LPCWSTR pszSrc)
{
    return catN(pszDest, cchDest, pszSrc, STRSAFE_MAX_CCH);
}
HRESULT StringCchCatA(STRSAFE_LPSTR pszDest, size_t cchDest, STRSAFE_LPCSTR pszSrc)
{
    return catN(pszDest, cchDest, pszSrc, STRSAFE_MAX_CCH);
}
HRESULT StringCchCatNW(STRSAFE_LPWSTR pszDest, size_t cchDest, STRSAFE_LPCWSTR pszSrc, size_t cchToAppend)
{
    return catN(pszDest, cchDest, pszSrc, cchToAppend);
}
HRESULT StringCchCatNA(STRSAFE_LPSTR pszDest, size_t cchDest, STRSAFE_LPCSTR pszSrc, size_t cchToAppend)
{
    return catN(pszDest, cchDest, pszSrc, cchToAppend);
}
HRESULT StringCchVPrintfW(STRSAFE_LPWSTR pszDest, size_t cchDest, STRSAFE_LPCWSTR pszFormat, va_list argList)
{
    return vprintf(pszDest, cchDest, pszFormat, argList);
}
HRESULT StringCchVPrintfA(STRSAFE_LPSTR pszDest, size_t cchDest, STRSAFE_LPCSTR pszFormat, va_list argList)
{
    return vprintf(pszDest, cchDest, pszFormat, argList);
}
HRESULT StringCchPrintfW(STRSAFE_LPWSTR pszDest, size_t cchDest, STRSAFE_LPCWSTR pszFormat, ...)
{
    va_list args;
    va_start(args, pszFormat);
    const HRESULT hr = vprintf(pszDest, cchDest, pszFormat, args);
    va_end(args);
    return hr;
}
HRESULT StringCchPrintfA(STRSAFE_LPSTR pszDest, size_t cchDest, STRSAFE_LPCSTR pszFormat, ...)
{
    va_list args;
    va_start(args, pszFormat);
    const HRESULT hr = vprintf(pszDest, cchDest, pszFormat, args);
    va_end(args);
    return hr;
}
HRESULT StringCchLengthW(STRSAFE_LPCWSTR psz, size_t cchMax, size_t *pcchLength)
{
    return length(psz, cchMax, pcchLength);
}
HRESULT StringCchLengthA(STRSAFE_LPCSTR psz, size_t cchMax, size_t *pcchLength)
{
    return length(psz, cchMax, pcchLength);
}

HRESULT StringCbCopyW(STRSAFE_LPWSTR pszDest, size_t cbDest, STRSAFE_LPCWSTR pszSrc)
{
    return copyN(pszDest, chars<wchar_t>(cbDest), pszSrc, STRSAFE_MAX_CCH);
}
HRESULT StringCbCopyA(STRSAFE_LPSTR pszDest, size_t cbDest, STRSAFE_LPCSTR pszSrc)
{
    return copyN(pszDest, cbDest, pszSrc, STRSAFE_MAX_CCH);
}
HRESULT StringCbCopyNW(STRSAFE_LPWSTR pszDest, size_t cbDest, STRSAFE_LPCWSTR pszSrc, size_t cbToCopy)
{
    return copyN(pszDest, chars<wchar_t>(cbDest), pszSrc, chars<wchar_t>(cbToCopy));
}
HRESULT StringCbCopyNA(STRSAFE_LPSTR pszDest, size_t cbDest, STRSAFE_LPCSTR pszSrc, size_t cbToCopy)
{
    return copyN(pszDest, cbDest, pszSrc, cbToCopy);
}
HRESULT StringCbCatW(STRSAFE_LPWSTR pszDest, size_t cbDest, STRSAFE_LPCWSTR pszSrc)
{
    return catN(pszDest, chars<wchar_t>(cbDest), pszSrc, STRSAFE_MAX_CCH);
}
HRESULT StringCbCatA(STRSAFE_LPSTR pszDest, size_t cbDest, STRSAFE_LPCSTR pszSrc)
{
    return catN(pszDest, cbDest, pszSrc, STRSAFE_MAX_CCH);
}
HRESULT StringCbCatNW(STRSAFE_LPWSTR pszDest, size_t cbDest, STRSAFE_LPCWSTR pszSrc, size_t cbToAppend)
{
    return catN(pszDest, chars<wchar_t>(cbDest), pszSrc, chars<wchar_t>(cbToAppend));
}
HRESULT StringCbCatNA(STRSAFE_LPSTR pszDest, size_t cbDest, STRSAFE_LPCSTR pszSrc, size_t cbToAppend)
{
    return catN(pszDest, cbDest, pszSrc, cbToAppend);
}
HRESULT StringCbVPrintfW(STRSAFE_LPWSTR pszDest, size_t cbDest, STRSAFE_LPCWSTR pszFormat, va_list argList)
{
    return vprintf(pszDest, chars<wchar_t>(cbDest), pszFormat, argList);
}
HRESULT StringCbVPrintfA(STRSAFE_LPSTR pszDest, size_t cbDest, STRSAFE_LPCSTR pszFormat, va_list argList)
{
    return vprintf(pszDest, cbDest, pszFormat, argList);
}
HRESULT StringCbPrintfW(STRSAFE_LPWSTR pszDest, size_t cbDest, STRSAFE_LPCWSTR pszFormat, ...)
{
    va_list args;
    va_start(args, pszFormat);
    const HRESULT hr = vprintf(pszDest, chars<wchar_t>(cbDest), pszFormat, args);
    va_end(args);
    return hr;
}
HRESULT StringCbPrintfA(STRSAFE_LPSTR pszDest, size_t cbDest, STRSAFE_LPCSTR pszFormat, ...)
{
    va_list args;
    va_start(args, pszFormat);
    const HRESULT hr = vprintf(pszDest, cbDest, pszFormat, args);
    va_end(args);
    return hr;
}
HRESULT StringCbLengthW(STRSAFE_LPCWSTR psz, size_t cbMax, size_t *pcbLength)
{
    if (cbMax > kMaxCb) {
        if (pcbLength)
            *pcbLength = 0;
        return STRSAFE_E_INVALID_PARAMETER;
    }
    const HRESULT hr = length(psz, chars<wchar_t>(cbMax), pcbLength);
    if (pcbLength)
        *pcbLength *= sizeof(wchar_t);
    return hr;
}
HRESULT StringCbLengthA(STRSAFE_LPCSTR psz, size_t cbMax, size_t *pcbLength)
{
    return length(psz, cbMax, pcbLength);
}

} // extern "C"
