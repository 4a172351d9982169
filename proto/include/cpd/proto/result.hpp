// SPDX-License-Identifier: MIT
// Result<T>: a value or a proto::errc, shaped like std::expected so it can be
// swapped for it once the project moves to C++23. Lives in proto because proto
// is the bottom layer; it must stay free of exceptions and allocation.
#pragma once

#include <cstdint>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

namespace cpd::proto {

/// Why a decode, a validation or a wire operation failed.
enum class errc : std::uint8_t {
    ok = 0,
    truncated,        ///< fewer bytes than the format needs
    trailing_bytes,   ///< more bytes than the format allows
    bad_magic,        ///< magic number does not match
    bad_version,      ///< protocol or layout version we do not speak
    bad_type,         ///< unknown frame type
    bad_length,       ///< a length field disagrees with the bytes present
    bad_userid,       ///< userid breaks the CP rules
    text_too_long,    ///< SMSG text over 236 bytes, or a line over its limit
    data_too_long,    ///< IUCV data over 65,535 bytes
    bad_text,         ///< text with bytes the format forbids (NUL, newline)
    bad_field,        ///< an enumerated or flag field out of range
};

/// A short English description of an errc, for logs and error replies.
constexpr std::string_view describe(errc e) noexcept {
    switch (e) {
    case errc::ok: return "ok";
    case errc::truncated: return "frame truncated";
    case errc::trailing_bytes: return "trailing bytes after frame";
    case errc::bad_magic: return "bad magic number";
    case errc::bad_version: return "unsupported version";
    case errc::bad_type: return "unknown frame type";
    case errc::bad_length: return "length field out of range";
    case errc::bad_userid: return "invalid userid";
    case errc::text_too_long: return "text too long";
    case errc::data_too_long: return "data too long";
    case errc::bad_text: return "text contains forbidden bytes";
    case errc::bad_field: return "field out of range";
    }
    return "unknown error";
}

/// Tag type used to build a failed Result: `return Unexpected{errc::truncated};`.
struct Unexpected {
    errc error;
};

/// Either a T or an errc. Never throws; accessing the wrong side is a bug the
/// caller must rule out with has_value() first.
template <class T> class Result {
public:
    Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
    Result(Unexpected u) : v_(std::in_place_index<1>, u.error) {}

    /// True when a value is held.
    bool has_value() const noexcept { return v_.index() == 0; }
    explicit operator bool() const noexcept { return has_value(); }

    /// The held value; precondition: has_value().
    /// (std::get, not *get_if: a broken precondition terminates instead of
    /// dereferencing null, and g++ -Wnull-dereference stays quiet.)
    T& value() & noexcept { return std::get<0>(v_); }
    const T& value() const& noexcept { return std::get<0>(v_); }
    T&& value() && noexcept { return std::get<0>(std::move(v_)); }
    T& operator*() & noexcept { return value(); }
    const T& operator*() const& noexcept { return value(); }
    T* operator->() noexcept { return &value(); }
    const T* operator->() const noexcept { return &value(); }

    /// The error; errc::ok when a value is held.
    errc error() const noexcept { return has_value() ? errc::ok : std::get<1>(v_); }

private:
    std::variant<T, errc> v_;
};

/// Result of an operation that yields nothing but may fail.
template <> class Result<void> {
public:
    Result() = default;
    Result(Unexpected u) : e_(u.error) {}
    bool has_value() const noexcept { return e_ == errc::ok; }
    explicit operator bool() const noexcept { return has_value(); }
    errc error() const noexcept { return e_; }

private:
    errc e_ = errc::ok;
};

} // namespace cpd::proto
