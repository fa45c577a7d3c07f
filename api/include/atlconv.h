// <atlconv.h>: ATL's string conversions. OLECHAR is WCHAR, so the OLE/W/T macros of a Unicode build
// are the identity; CW2A and CA2W convert with the C library's locale (CP_ACP).
#pragma once
#include <windows.h>

#include <string>

#ifndef USES_CONVERSION
#define USES_CONVERSION ((void)0)
#endif
inline LPOLESTR W2OLE(LPWSTR lp) noexcept { return lp; }
inline LPCOLESTR W2COLE(LPCWSTR lp) noexcept { return lp; }
inline LPWSTR OLE2W(LPOLESTR lp) noexcept { return lp; }
inline LPCWSTR OLE2CW(LPCOLESTR lp) noexcept { return lp; }
#if defined(_UNICODE) || defined(UNICODE)
inline LPWSTR T2W(LPWSTR lp) noexcept { return lp; }
inline LPCWSTR T2CW(LPCWSTR lp) noexcept { return lp; }
inline LPWSTR W2T(LPWSTR lp) noexcept { return lp; }
inline LPCWSTR W2CT(LPCWSTR lp) noexcept { return lp; }
inline LPOLESTR T2OLE(LPWSTR lp) noexcept { return lp; }
inline LPWSTR OLE2T(LPOLESTR lp) noexcept { return lp; }
#endif

// One class for both directions: the text converted once, kept as long as the object lives.
template <class To, class From> class CAtlConversion {
public:
    explicit CAtlConversion(const From *psz, UINT codePage = CP_ACP) : null_(psz == nullptr)
    {
        if (null_)
            return;
        const int n = convert(codePage, psz, nullptr, 0);
        if (n > 0) {
            text_.resize(static_cast<std::size_t>(n));
            convert(codePage, psz, text_.data(), n);
            text_.resize(static_cast<std::size_t>(n - 1));
        }
    }
    operator To *() noexcept { return null_ ? nullptr : text_.data(); }

private:
    static int convert(UINT codePage, const wchar_t *in, char *out, int size)
    {
        return WideCharToMultiByte(codePage, 0, in, -1, out, size, nullptr, nullptr);
    }
    static int convert(UINT codePage, const char *in, wchar_t *out, int size)
    {
        return MultiByteToWideChar(codePage, 0, in, -1, out, size);
    }

    std::basic_string<To> text_;
    bool null_;
};
typedef CAtlConversion<char, wchar_t> CW2A;
typedef CAtlConversion<wchar_t, char> CA2W;
typedef CW2A CW2AEX;
typedef CA2W CA2WEX;
