// SPDX-License-Identifier: MIT
// Pack and unpack of the spool frames (spool_frame.hpp). Pure: no I/O.
#include "cpd/proto/spool_frame.hpp"

#include "wire.hpp"

#include <algorithm>
#include <cstring>

namespace cpd::proto {

using wire::Reader;
using wire::Writer;

namespace {

/// Packs with `fill` twice: once to measure, once into a buffer of that size.
template <class Fill> std::vector<std::byte> pack(Fill&& fill) {
    Writer m = Writer::measuring();
    m.u8(spool_frame_version);
    fill(m);
    std::vector<std::byte> out(m.size());
    Writer w{out};
    w.u8(spool_frame_version);
    fill(w);
    return out;
}

/// Reads the version byte; errc::bad_version unless it is ours.
bool version_ok(Reader& r) noexcept {
    if (r.u8() != spool_frame_version) {
        r.fail(errc::bad_version);
        return false;
    }
    return true;
}

/// A record stream as a frame may carry it (whole records, bounded): how many records.
Result<std::uint32_t> check_stream(std::span<const std::byte> stream) noexcept {
    if (stream.size() > spool_chunk_max) {
        return Unexpected{errc::data_too_long};
    }
    return count_records(stream);
}

bool is_known_rc(std::uint16_t v) noexcept {
    return is_known(static_cast<CpRc>(v));
}

} // namespace

bool is_spool_ring_type(std::uint32_t type) noexcept {
    using T = SpoolFrameType;
    return type == static_cast<std::uint32_t>(T::ring_write) ||
           type == static_cast<std::uint32_t>(T::ring_read) ||
           type == static_cast<std::uint32_t>(T::ring_data) ||
           type == static_cast<std::uint32_t>(T::ring_reader_file);
}

bool is_spool_socket_type(std::uint32_t type) noexcept {
    using T = SpoolFrameType;
    return type == static_cast<std::uint32_t>(T::socket_write) ||
           type == static_cast<std::uint32_t>(T::socket_read) ||
           type == static_cast<std::uint32_t>(T::socket_data);
}

std::string_view device_name(SpoolDevice d) noexcept {
    switch (d) {
    case SpoolDevice::pun:
        return "PUN";
    case SpoolDevice::prt:
        return "PRT";
    case SpoolDevice::con:
        return "CON";
    case SpoolDevice::rdr:
        return "RDR";
    }
    return "???";
}

Result<std::uint32_t> count_records(std::span<const std::byte> stream) noexcept {
    std::uint32_t n = 0;
    const std::size_t used = for_each_record(stream, [&](std::span<const std::byte>) { ++n; });
    if (used != stream.size()) {
        return Unexpected{errc::bad_length};
    }
    return n;
}

void append_record(std::vector<std::byte>& stream, std::span<const std::byte> record) {
    // One resize and one copy: a 100 MB file is over a million 80-byte cards.
    const std::size_t n = std::min(record.size(), spool_record_max);
    const std::size_t at = stream.size();
    stream.resize(at + 2 + n);
    std::byte* out = stream.data() + at;
    out[0] = static_cast<std::byte>(n & 0xFF);
    out[1] = static_cast<std::byte>(n >> 8);
    if (n != 0) {
        std::memcpy(out + 2, record.data(), n);
    }
}

std::vector<std::byte> encode(const SpoolWrite& f) {
    return pack([&](Writer& w) {
        w.u16(f.vdev);
        w.bytes(f.records);
    });
}

std::vector<std::byte> encode(const SpoolRead& f) {
    return pack([&](Writer& w) {
        w.u32(f.tag);
        w.u16(f.spoolid);
        w.u64(f.offset);
    });
}

std::vector<std::byte> encode(const SpoolData& f) {
    return pack([&](Writer& w) {
        w.u32(f.tag);
        w.u16(static_cast<std::uint16_t>(f.rc));
        w.u64(f.next);
        w.boolean(f.eof);
        w.bytes(f.records);
    });
}

std::vector<std::byte> encode(const ReaderFileArrived& f) {
    return pack([&](Writer& w) {
        w.u16(f.spoolid);
        w.userid(f.from);
        w.u8(static_cast<std::uint8_t>(f.origin));
        w.u8(static_cast<std::uint8_t>(f.spool_class));
        w.u32(f.records);
        w.boolean(f.hold);
        w.text(f.name);
    });
}

Result<SpoolWrite> decode_spool_write(std::span<const std::byte> payload) noexcept {
    Reader r{payload};
    SpoolWrite f{};
    if (version_ok(r)) {
        f.vdev = r.u16();
        f.records = r.bytes();
    }
    if (const errc e = r.finish(); e != errc::ok) {
        return Unexpected{e};
    }
    const auto count = check_stream(f.records);
    if (!count) {
        return Unexpected{count.error()};
    }
    f.record_count = *count;
    return f;
}

Result<SpoolRead> decode_spool_read(std::span<const std::byte> payload) noexcept {
    Reader r{payload};
    SpoolRead f{};
    if (version_ok(r)) {
        f.tag = r.u32();
        f.spoolid = r.u16();
        f.offset = r.u64();
    }
    if (const errc e = r.finish(); e != errc::ok) {
        return Unexpected{e};
    }
    if (f.spoolid > 9999) {
        return Unexpected{errc::bad_field};
    }
    return f;
}

Result<SpoolData> decode_spool_data(std::span<const std::byte> payload) noexcept {
    Reader r{payload};
    SpoolData f{};
    std::uint16_t rc = 0;
    if (version_ok(r)) {
        f.tag = r.u32();
        rc = r.u16();
        f.next = r.u64();
        f.eof = r.boolean();
        f.records = r.bytes();
    }
    if (const errc e = r.finish(); e != errc::ok) {
        return Unexpected{e};
    }
    if (!is_known_rc(rc)) {
        return Unexpected{errc::bad_field};
    }
    f.rc = static_cast<CpRc>(rc);
    if (f.rc == CpRc::ok) {
        if (const auto count = check_stream(f.records); !count) {
            return Unexpected{count.error()};
        }
    } else if (f.records.size() > 4096) { // an error text, not data
        return Unexpected{errc::text_too_long};
    }
    return f;
}

Result<ReaderFileArrived> decode_reader_file(std::span<const std::byte> payload) noexcept {
    Reader r{payload};
    ReaderFileArrived f{0, *Userid::parse("X"), SpoolDevice::pun, 'A', 0, false, {}};
    std::uint8_t origin = 0, cls = 0;
    if (version_ok(r)) {
        f.spoolid = r.u16();
        f.from = r.userid();
        origin = r.u8();
        cls = r.u8();
        f.records = r.u32();
        f.hold = r.boolean();
        f.name = r.text();
    }
    if (const errc e = r.finish(); e != errc::ok) {
        return Unexpected{e};
    }
    const bool class_ok = (cls >= 'A' && cls <= 'Z') || (cls >= '0' && cls <= '9');
    if (origin > 3 || !class_ok || f.spoolid > 9999 || f.name.size() > 17) {
        return Unexpected{errc::bad_field};
    }
    f.origin = static_cast<SpoolDevice>(origin);
    f.spool_class = static_cast<char>(cls);
    return f;
}

} // namespace cpd::proto
