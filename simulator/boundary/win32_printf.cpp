// printf with Microsoft's conversions, for <strsafe.h> and the wide printf family of
// <vsssim/msvc_printf.h>: the format is rewritten into glibc's spelling, then glibc formats it.
#include <winbase.h>

#include <cstdio>
#include <cwchar>
#include <string>
#include <vector>

#include <vsssim/msvc_printf.h>

#include "boundary/win32.h"

namespace {

template <class Ch> bool isDigit(Ch c)
{
    return c >= Ch('0') && c <= Ch('9');
}

template <class Ch> bool isOneOf(Ch c, const char *set)
{
    for (; *set; ++set)
        if (c == Ch(*set))
            return true;
    return false;
}

/// One conversion's size prefix as Microsoft reads it, and the glibc spelling that reads the same bits.
template <class Ch> std::basic_string<Ch> translate(const Ch *format)
{
    constexpr bool wide = sizeof(Ch) != 1;
    std::basic_string<Ch> out;
    for (const Ch *p = format; *p;) {
        if (*p != Ch('%')) {
            out += *p++;
            continue;
        }
        out += *p++;
        if (*p == Ch('%')) {
            out += *p++;
            continue;
        }
        while (isOneOf(*p, "-+ #0'"))
            out += *p++;
        while (isDigit(*p) || *p == Ch('*'))
            out += *p++;
        if (*p == Ch('.')) {
            out += *p++;
            while (isDigit(*p) || *p == Ch('*'))
                out += *p++;
        }
        // Size prefixes: h, hh, l, ll, w, I, I32, I64, L, z, j, t.
        std::string size;
        for (;;) {
            if (*p == Ch('I') && p[1] == Ch('6') && p[2] == Ch('4')) {
                size += "I64";
                p += 3;
            } else if (*p == Ch('I') && p[1] == Ch('3') && p[2] == Ch('2')) {
                size += "I32";
                p += 3;
            } else if (isOneOf(*p, "hlwIzjtL")) {
                size += static_cast<char>(*p++);
            } else {
                break;
            }
        }
        const Ch conversion = *p;
        if (!conversion)
            break;
        ++p;
        std::string glibc;
        if (isOneOf(conversion, "diouxXn")) {
            // Microsoft's long is 32 bits; I64, ll and q are 64; I, z, j, t follow the pointer size.
            if (size == "I64" || size == "ll")
                glibc = "ll";
            else if (size == "I" || size == "z")
                glibc = "z";
            else if (size == "j" || size == "t" || size == "h" || size == "hh")
                glibc = size;
            else
                glibc = "";
        } else if (isOneOf(conversion, "sc")) {
            // s and c take the format's own width unless h (narrow) or l/w (wide) says otherwise.
            const bool asWide = size == "l" || size == "w" || (size != "h" && wide);
            glibc = asWide ? "l" : "";
        } else if (isOneOf(conversion, "SC")) {
            // S and C take the other width: narrow in a wide format, wide in a narrow one.
            const bool asWide = size == "l" || size == "w" || (size != "h" && !wide);
            out += std::basic_string<Ch>(asWide ? 1 : 0, Ch('l'));
            out += conversion == Ch('S') ? Ch('s') : Ch('c');
            continue;
        } else if (isOneOf(conversion, "eEfFgGaA")) {
            glibc = "";   // Microsoft's long double is a double
        } else {
            glibc = size;
        }
        out.append(glibc.begin(), glibc.end());
        out += conversion;
    }
    return out;
}

// vswprintf says only "did not fit" (-1), so the buffer grows until the text fits; a format that
// still fails at a mebi-character is an encoding error, not a long text.
constexpr std::size_t kMaxFormatted = std::size_t{1} << 20;

} // namespace

namespace vsssim::win32 {

std::optional<std::wstring> formatMicrosoft(const wchar_t *format, va_list args)
{
    if (!format)
        return std::nullopt;
    const std::wstring glibc = translate(format);
    std::vector<wchar_t> buffer(256);
    for (;;) {
        va_list copy;
        va_copy(copy, args);
        const int n = std::vswprintf(buffer.data(), buffer.size(), glibc.c_str(), copy);
        va_end(copy);
        if (n >= 0)
            return std::wstring(buffer.data(), static_cast<std::size_t>(n));
        if (buffer.size() >= kMaxFormatted)
            return std::nullopt;
        buffer.resize(buffer.size() * 4);
    }
}

std::optional<std::string> formatMicrosoft(const char *format, va_list args)
{
    if (!format)
        return std::nullopt;
    const std::string glibc = translate(format);
    va_list copy;
    va_copy(copy, args);
    const int n = std::vsnprintf(nullptr, 0, glibc.c_str(), copy);
    va_end(copy);
    if (n < 0)
        return std::nullopt;
    std::string out(static_cast<std::size_t>(n) + 1, '\0');
    va_copy(copy, args);
    std::vsnprintf(out.data(), out.size(), glibc.c_str(), copy);
    va_end(copy);
    out.resize(static_cast<std::size_t>(n));
    return out;
}

} // namespace vsssim::win32

extern "C" int vsssim_vswprintf(wchar_t *buffer, std::size_t count, const wchar_t *format, va_list args)
{
    const std::optional<std::wstring> text = vsssim::win32::formatMicrosoft(format, args);
    if (!text || !buffer || count == 0)
        return -1;
    const std::size_t n = std::min(text->size(), count - 1);
    std::wmemcpy(buffer, text->data(), n);
    buffer[n] = L'\0';
    return text->size() < count ? static_cast<int>(text->size()) : -1;
}

extern "C" int vsssim_swprintf(wchar_t *buffer, std::size_t count, const wchar_t *format, ...)
{
    va_list args;
    va_start(args, format);
    const int n = vsssim_vswprintf(buffer, count, format, args);
    va_end(args);
    return n;
}

extern "C" int vsssim_vfwprintf(std::FILE *stream, const wchar_t *format, va_list args)
{
    const std::optional<std::wstring> text = vsssim::win32::formatMicrosoft(format, args);
    if (!text || !stream)
        return -1;
    // A stream already used for wide output stays wide; otherwise the text goes out in the locale's
    // encoding, so it mixes with printf and std::cout as it does on Windows.
    if (fwide(stream, 0) > 0)
        return std::fputws(text->c_str(), stream) < 0 ? -1 : static_cast<int>(text->size());
    std::string bytes;
    std::mbstate_t state{};
    for (wchar_t c : *text) {
        char mb[MB_LEN_MAX];
        const std::size_t len = std::wcrtomb(mb, c, &state);
        if (len == static_cast<std::size_t>(-1)) {
            bytes += '?';
            state = {};
        } else {
            bytes.append(mb, len);
        }
    }
    if (std::fwrite(bytes.data(), 1, bytes.size(), stream) != bytes.size())
        return -1;
    return static_cast<int>(text->size());
}

extern "C" int vsssim_fwprintf(std::FILE *stream, const wchar_t *format, ...)
{
    va_list args;
    va_start(args, format);
    const int n = vsssim_vfwprintf(stream, format, args);
    va_end(args);
    return n;
}

extern "C" int vsssim_vwprintf(const wchar_t *format, va_list args)
{
    return vsssim_vfwprintf(stdout, format, args);
}

extern "C" int vsssim_wprintf(const wchar_t *format, ...)
{
    va_list args;
    va_start(args, format);
    const int n = vsssim_vfwprintf(stdout, format, args);
    va_end(args);
    return n;
}
