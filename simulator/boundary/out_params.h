// Filling BSTR out-parameters all or nothing: a caller that gets E_OUTOFMEMORY owns nothing, and a
// caller that gets S_OK owns every string, so a failed call can never leak half of its results.
#pragma once
#include "private.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <windows.h>

#include "boundary/bstr.h"

namespace vsssim {

class BstrOut
{
public:
    /// origin labels every allocation in liveBstrOrigins(); pass a string literal.
    explicit BstrOut(const char *origin) noexcept : origin_(origin) {}
    BstrOut(const BstrOut &) = delete;
    BstrOut &operator=(const BstrOut &) = delete;
    ~BstrOut()
    {
        for (auto &[out, bstr] : pending_)
            SysFreeString(bstr);
    }

    /// A fresh BSTR holding text, handed out at commit().
    BstrOut &text(BSTR *out, std::wstring_view value)
    {
        BSTR b = allocBstr(value, origin_);
        if (!b)
            failed_ = true;
        pending_.emplace_back(out, b);
        return *this;
    }

    /// NULL for nullopt ("never set"), else as text().
    BstrOut &optional(BSTR *out, const std::optional<std::wstring> &value)
    {
        if (value)
            return text(out, *value);
        nulls_.push_back(out);
        return *this;
    }

    /// E_OUTOFMEMORY with nothing handed out if any allocation failed; otherwise stores every
    /// string and returns success.
    HRESULT commit(HRESULT success = S_OK) noexcept
    {
        if (failed_)
            return E_OUTOFMEMORY;
        for (auto &[out, bstr] : pending_)
            *out = bstr;
        for (BSTR *out : nulls_)
            *out = nullptr;
        pending_.clear();
        return success;
    }

private:
    const char *origin_;
    std::vector<std::pair<BSTR *, BSTR>> pending_;
    std::vector<BSTR *> nulls_;
    bool failed_ = false;
};

/// One BSTR out-parameter: S_OK and a copy of value.
inline HRESULT bstrOut(BSTR *out, std::wstring_view value, const char *origin)
{
    return BstrOut(origin).text(out, value).commit();
}

/// One BSTR out-parameter of a value that may be unset: S_FALSE and NULL when it is.
inline HRESULT bstrOutOrFalse(BSTR *out, const std::optional<std::wstring> &value, const char *origin)
{
    if (!value) {
        *out = nullptr;
        return S_FALSE;
    }
    return bstrOut(out, *value, origin);
}

} // namespace vsssim
