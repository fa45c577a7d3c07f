// "Did you mean" for scenario files. A misspelt key or name is the most common scenario error, and
// naming the intended word saves a trip to the README. The distance is ninja's edit distance
// (ninja-build/ninja:src/edit_distance.cc): Levenshtein with replacements, abandoned as soon as a
// row exceeds the limit, so scanning the 100-entry HRESULT table costs next to nothing.
#pragma once
#include "private.h"

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

namespace vsssim {

/// Letters compare case-insensitively: "freeze" for "Freeze" is a typo worth pointing out, and
/// the caller only asks after an exact lookup failed, so a distance of 0 still yields a suggestion.
inline char foldCase(char c) noexcept
{
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

/** \brief Edit distance between a and b, or maxDistance + 1 once it is certain to exceed maxDistance. */
inline std::size_t editDistance(std::string_view a, std::string_view b, std::size_t maxDistance)
{
    const std::size_t m = a.size();
    const std::size_t n = b.size();
    // The distance is at least the length difference: skip the table for hopeless candidates.
    if ((m > n ? m - n : n - m) > maxDistance)
        return maxDistance + 1;
    std::vector<std::size_t> row(n + 1);
    for (std::size_t j = 0; j <= n; ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= m; ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        std::size_t best = row[0];
        for (std::size_t j = 1; j <= n; ++j) {
            const std::size_t above = row[j];
            const std::size_t replace = diagonal + (foldCase(a[i - 1]) == foldCase(b[j - 1]) ? 0 : 1);
            row[j] = std::min({replace, above + 1, row[j - 1] + 1});
            diagonal = above;
            best = std::min(best, row[j]);
        }
        if (best > maxDistance)
            return maxDistance + 1;
    }
    return std::min(row[n], maxDistance + 1);
}

/** \brief The candidate nearest to word within maxDistance; the first one wins a tie (table order). */
template <class Range, class Name>
std::optional<std::string_view> closestNameBy(std::string_view word, const Range &candidates, Name name,
                                            std::size_t maxDistance = 2)
{
    std::optional<std::string_view> best;
    std::size_t bestDistance = maxDistance + 1;
    for (const auto &candidate : candidates) {
        const std::string_view text = name(candidate);
        if (text == word)
            continue;
        const std::size_t d = editDistance(word, text, maxDistance);
        if (d < bestDistance) {
            bestDistance = d;
            best = text;
        }
    }
    return best;
}

template <class Range>
std::optional<std::string_view> closestName(std::string_view word, const Range &candidates, std::size_t maxDistance = 2)
{
    return closestNameBy(word, candidates, [](const auto &c) { return std::string_view(c); }, maxDistance);
}

} // namespace vsssim
