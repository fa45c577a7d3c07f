// Result<T>: what internal calls return, shaped like C++23 std::expected (GCC 12 lacks it in C++20).
// The error carries the HRESULT the Windows-compatible boundary will return and a sentence for the log.
#pragma once
#include "private.h"

#include <cassert>
#include <string>
#include <utility>
#include <variant>

#include <windows.h>

namespace vsssim {

struct Error {
    HRESULT hr;
    std::string message;
};

template <class T>
class [[nodiscard]] Result
{
public:
    Result(T value) : v_(std::move(value)) {}
    Result(Error e) : v_(std::move(e)) {}

    explicit operator bool() const noexcept { return v_.index() == 0; }
    T &operator*() { assert(*this); return std::get<0>(v_); }
    const T &operator*() const { assert(*this); return std::get<0>(v_); }
    T *operator->() { return &**this; }
    const T *operator->() const { return &**this; }
    const Error &error() const { assert(!*this); return std::get<1>(v_); }
    HRESULT hr() const noexcept { return *this ? S_OK : std::get<1>(v_).hr; }

private:
    std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(Error e) : error_(std::move(e)), failed_(true) {}

    explicit operator bool() const noexcept { return !failed_; }
    const Error &error() const { assert(failed_); return error_; }
    HRESULT hr() const noexcept { return failed_ ? error_.hr : S_OK; }

private:
    Error error_{S_OK, {}};
    bool failed_ = false;
};

inline Error fail(HRESULT hr, std::string message) { return Error{hr, std::move(message)}; }

} // namespace vsssim
