#include "core/rng.h"

#include <cstring>
#include <string_view>

namespace vsssim {

std::uint64_t Rng::below(std::uint64_t n) noexcept
{
    if (n == 0)
        return 0;
    const std::uint64_t threshold = -n % n;  // 2^64 mod n
    for (;;)
        if (std::uint64_t x = next(); x >= threshold)
            return x % n;
}

GUID Rng::guid() noexcept
{
    const std::uint64_t a = next(), b = next();
    GUID g{};
    g.Data1 = static_cast<std::uint32_t>(a >> 32);
    g.Data2 = static_cast<std::uint16_t>(a >> 16);
    g.Data3 = static_cast<std::uint16_t>((a & 0x0fff) | 0x4000);  // version 4
    for (int i = 0; i < 8; ++i)
        g.Data4[i] = static_cast<std::uint8_t>(b >> (56 - 8 * i));
    g.Data4[0] = static_cast<std::uint8_t>((g.Data4[0] & 0x3f) | 0x80);  // RFC 4122 variant
    return g;
}

bool parseSeed(const char *text, std::uint64_t &seed) noexcept
{
    if (!text || !*text)
        return false;
    std::string_view s(text);
    auto hexValue = [](std::string_view digits, std::uint64_t &out) {
        if (digits.empty() || digits.size() > 16)
            return false;
        std::uint64_t v = 0;
        for (char c : digits) {
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0)
                return false;
            v = v * 16 + static_cast<std::uint64_t>(d);
        }
        out = v;
        return true;
    };
    if (s.size() == 40)  // a git SHA: CI passes the commit, so each run gets a fresh, reproducible seed
        return hexValue(s.substr(24), seed);
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        return hexValue(s.substr(2), seed);
    std::uint64_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9')
            return false;
        const std::uint64_t d = static_cast<std::uint64_t>(c - '0');
        if (v > (UINT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    seed = v;
    return true;
}

} // namespace vsssim
