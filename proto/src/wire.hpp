// SPDX-License-Identifier: MIT
// Private little-endian pack/unpack helpers shared by the frame codecs. A
// Writer packs into a caller's span (or only measures) and never writes past
// it; a Reader unpacks from a span, never reads out of range and keeps the
// first error it meets (later reads return zeros). Not part of the public API.
#pragma once

#include "cpd/proto/result.hpp"
#include "cpd/proto/userid.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>


namespace cpd::proto::wire {

/// Packs fixed little-endian fields and length-prefixed variable fields.
class Writer {
  public:
    /// A writer into `out`; overflow() turns true instead of writing past it.
    explicit Writer(std::span<std::byte> out) noexcept : out_(out) {}
    /// A writer that only counts the bytes it would write.
    static Writer measuring() noexcept {
        Writer w{{}};
        w.measure_ = true;
        return w;
    }

    template <class U> void uint(U v) noexcept {
        static_assert(std::is_unsigned_v<U>);
        std::array<std::byte, sizeof(U)> b{};
        for (std::size_t i = 0; i < sizeof(U); ++i) {
            b[i] = static_cast<std::byte>((v >> (8 * i)) & 0xFFu);
        }
        raw(b.data(), b.size());
    }
    void u8(std::uint8_t v) noexcept { uint(v); }
    void u16(std::uint16_t v) noexcept { uint(v); }
    void u32(std::uint32_t v) noexcept { uint(v); }
    void u64(std::uint64_t v) noexcept { uint(v); }
    void i32(std::int32_t v) noexcept { uint(static_cast<std::uint32_t>(v)); }
    void boolean(bool v) noexcept { u8(v ? 1 : 0); }
    void userid(const Userid& u) noexcept { raw(u.padded().data(), Userid::max_length); }
    void user_data(const std::array<std::byte, 16>& d) noexcept { raw(d.data(), d.size()); }

    /// A u32 length followed by the bytes.
    void bytes(std::span<const std::byte> b) noexcept {
        if (b.size() > std::numeric_limits<std::uint32_t>::max()) {
            overflow_ = true;
            return;
        }
        u32(static_cast<std::uint32_t>(b.size()));
        raw(b.data(), b.size());
    }
    /// A u32 length followed by the text's bytes.
    void text(std::string_view t) noexcept {
        bytes({reinterpret_cast<const std::byte*>(t.data()), t.size()});
    }

    /// Bytes written (or counted) so far.
    std::size_t size() const noexcept { return pos_; }
    /// True if a write did not fit.
    bool overflow() const noexcept { return overflow_; }

  private:
    void raw(const void* p, std::size_t n) noexcept {
        if (measure_) {
            pos_ += n;
            return;
        }
        if (overflow_ || n > out_.size() - pos_) {
            overflow_ = true;
            return;
        }
        if (n != 0) {
            std::memcpy(out_.data() + pos_, p, n);
        }
        pos_ += n;
    }

    std::span<std::byte> out_;
    std::size_t pos_ = 0;
    bool measure_ = false;
    bool overflow_ = false;
};

/// Unpacks what Writer packs; the first failure sticks in error().
class Reader {
  public:
    /// A reader over `in`; it never touches bytes outside it.
    explicit Reader(std::span<const std::byte> in) noexcept : in_(in) {}

    template <class U> U uint() noexcept {
        static_assert(std::is_unsigned_v<U>);
        const std::byte* p = take(sizeof(U));
        if (p == nullptr) {
            return 0;
        }
        U v = 0;
        for (std::size_t i = 0; i < sizeof(U); ++i) {
            v = static_cast<U>(v | static_cast<U>(static_cast<U>(p[i]) << (8 * i)));
        }
        return v;
    }
    std::uint8_t u8() noexcept { return uint<std::uint8_t>(); }
    std::uint16_t u16() noexcept { return uint<std::uint16_t>(); }
    std::uint32_t u32() noexcept { return uint<std::uint32_t>(); }
    std::uint64_t u64() noexcept { return uint<std::uint64_t>(); }
    std::int32_t i32() noexcept { return static_cast<std::int32_t>(u32()); }

    /// A byte that must be 0 or 1; anything else is errc::bad_field.
    bool boolean() noexcept {
        const std::uint8_t v = u8();
        if (v > 1) {
            fail(errc::bad_field);
        }
        return v == 1;
    }

    /// An 8-byte canonical blank-padded userid; errc::bad_userid otherwise.
    Userid userid() noexcept {
        const std::byte* p = take(Userid::max_length);
        if (p != nullptr) {
            auto u = Userid::from_wire(reinterpret_cast<const char*>(p));
            if (u) {
                return *u;
            }
            fail(errc::bad_userid);
        }
        return placeholder_userid();
    }

    /// 16 bytes of IUCV user data.
    std::array<std::byte, 16> user_data() noexcept {
        std::array<std::byte, 16> d{};
        if (const std::byte* p = take(d.size())) {
            std::memcpy(d.data(), p, d.size());
        }
        return d;
    }

    /// A u32 length and that many bytes, as a view into the input.
    std::span<const std::byte> bytes() noexcept {
        const std::uint32_t n = u32();
        const std::byte* p = take(n);
        if (p == nullptr) {
            return {};
        }
        return {p, n};
    }
    /// A u32 length and that many bytes, as text viewing the input.
    std::string_view text() noexcept {
        auto b = bytes();
        return {reinterpret_cast<const char*>(b.data()), b.size()};
    }

    /// Records `e` unless an earlier error is already recorded.
    void fail(errc e) noexcept {
        if (error_ == errc::ok) {
            error_ = e;
        }
    }
    /// The first error met, errc::trailing_bytes if input is left over, else ok.
    errc finish() const noexcept {
        if (error_ != errc::ok) {
            return error_;
        }
        return pos_ == in_.size() ? errc::ok : errc::trailing_bytes;
    }

  private:
    const std::byte* take(std::size_t n) noexcept {
        if (error_ != errc::ok) {
            return nullptr;
        }
        if (n > in_.size() - pos_) {
            error_ = errc::truncated;
            return nullptr;
        }
        const std::byte* p = in_.data() + pos_;
        pos_ += n;
        return p;
    }
    static Userid placeholder_userid() noexcept {
        static const Userid u = *Userid::parse("X");
        return u;
    }

    std::span<const std::byte> in_;
    std::size_t pos_ = 0;
    errc error_ = errc::ok;
};

/// True if `t` holds a NUL, CR or LF. Sixteen bytes at a time with the
/// compiler's vector types (SSE2 compares on x86-64), then eight (a zero-byte
/// test on the word and on its XOR with CR and LF): every SMSG is checked by
/// its sender and by cpd, and the word loop alone was an eighth of cpd's time
/// per SMSG (perf, bench_hop).
inline bool has_nul_cr_lf(std::string_view t) noexcept {
    std::size_t i = 0;
#if defined(__GNUC__)
    using Bytes16 = unsigned char __attribute__((vector_size(16)));
    for (; i + 16 <= t.size(); i += 16) {
        Bytes16 v;
        std::memcpy(&v, t.data() + i, sizeof v);
        const auto hit = (v == 0) | (v == '\r') | (v == '\n');
        std::uint64_t halves[2];
        std::memcpy(halves, &hit, sizeof halves);
        if ((halves[0] | halves[1]) != 0) {
            return true;
        }
    }
#endif
    constexpr std::uint64_t ones = 0x0101010101010101ull;
    constexpr std::uint64_t highs = 0x8080808080808080ull;
    auto zero_byte = [](std::uint64_t v) noexcept { return (v - ones) & ~v & highs; };
    for (; i + 8 <= t.size(); i += 8) {
        std::uint64_t w = 0;
        std::memcpy(&w, t.data() + i, sizeof w);
        if ((zero_byte(w) | zero_byte(w ^ (ones * '\r')) | zero_byte(w ^ (ones * '\n'))) != 0) {
            return true;
        }
    }
    for (; i < t.size(); ++i) {
        if (t[i] == '\0' || t[i] == '\r' || t[i] == '\n') {
            return true;
        }
    }
    return false;
}

/// Checks a single-line text: at most `max` bytes, no NUL, CR or LF.
inline Result<void> check_line(std::string_view t, std::size_t max) noexcept {
    if (t.size() > max) {
        return Unexpected{errc::text_too_long};
    }
    if (has_nul_cr_lf(t)) {
        return Unexpected{errc::bad_text};
    }
    return {};
}

/// Checks a multi-line text: at most `max` bytes, no NUL (newlines allowed).
inline Result<void> check_block(std::string_view t, std::size_t max) noexcept {
    if (t.size() > max) {
        return Unexpected{errc::text_too_long};
    }
    if (t.find('\0') != std::string_view::npos) {
        return Unexpected{errc::bad_text};
    }
    return {};
}

/// Checks IUCV data against iucv_max_data.
inline Result<void> check_data(std::span<const std::byte> d, std::size_t max) noexcept {
    if (d.size() > max) {
        return Unexpected{errc::data_too_long};
    }
    return {};
}

// ---- variant dispatch -------------------------------------------------
// A codec .cpp provides, for every frame struct T, found by argument-dependent
// lookup: `T read_payload(Reader&, Tag<T>)`, `void write_payload(Writer&, const T&)`
// and `Result<void> check_payload(const T&)`. These templates do the rest.

/// Selects the read_payload overload for T.
template <class T> struct Tag {};

/// Decodes one T from `payload`: read, no leftovers, check.
template <class T> Result<T> decode_one(std::span<const std::byte> payload) noexcept {
    Reader r{payload};
    T v = read_payload(r, Tag<T>{});
    if (const errc e = r.finish(); e != errc::ok) {
        return Unexpected{e};
    }
    if (auto c = check_payload(v); !c) {
        return Unexpected{c.error()};
    }
    return v;
}

/// Decodes alternative `index` of Variant from `payload`: read, no leftovers, check.
template <class Variant, std::size_t I = 0>
Result<Variant> decode_alternative(std::size_t index, std::span<const std::byte> payload) noexcept {
    if constexpr (I == std::variant_size_v<Variant>) {
        return Unexpected{errc::bad_type};
    } else {
        if (index != I) {
            return decode_alternative<Variant, I + 1>(index, payload);
        }
        using T = std::variant_alternative_t<I, Variant>;
        Result<T> v = decode_one<T>(payload);
        if (!v) {
            return Unexpected{v.error()};
        }
        return Variant{std::in_place_index<I>, std::move(*v)};
    }
}

/// Packs the held alternative into `out`; bytes written, or 0 if it does not fit.
template <class Variant>
std::size_t encode_variant(const Variant& f, std::span<std::byte> out) noexcept {
    Writer w{out};
    std::visit([&w](const auto& v) { write_payload(w, v); }, f);
    return w.overflow() ? 0 : w.size();
}

/// Bytes the held alternative packs to.
template <class Variant> std::size_t measure_variant(const Variant& f) noexcept {
    Writer w = Writer::measuring();
    std::visit([&w](const auto& v) { write_payload(w, v); }, f);
    return w.size();
}

/// Checks the limits of the held alternative.
template <class Variant> Result<void> validate_variant(const Variant& f) noexcept {
    return std::visit([](const auto& v) { return check_payload(v); }, f);
}

} // namespace cpd::proto::wire
