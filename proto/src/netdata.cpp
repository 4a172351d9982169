// SPDX-License-Identifier: MIT
// NetdataPacker and NetdataReader (netdata.hpp): segments, text units and cards.
#include "cpd/proto/netdata.hpp"

#include "cpd/proto/ebcdic.hpp"
#include "cpd/proto/spool_frame.hpp"

#include <algorithm>

namespace cpd::proto {
namespace {

constexpr std::size_t card = 80;
constexpr std::size_t segment_data = 253;       ///< a segment's length byte counts its 2-byte head
constexpr std::size_t binary_block = 32 * 1024; ///< bytes per RECFM U record
constexpr unsigned char first_segment = 0x80, last_segment = 0x40, control_record = 0x20;
constexpr unsigned char ebcdic_blank = 0x40;

// Text unit keys (IBM's NETDATA format).
constexpr std::uint16_t inmdsnam = 0x0002, inmdsorg = 0x003C, inmlrecl = 0x0042, inmrecfm = 0x0049,
                        inmtnode = 0x1001, inmtuid = 0x1002, inmfnode = 0x1011, inmfuid = 0x1012,
                        inmftime = 0x1024, inmutiln = 0x1028, inmsize = 0x102C, inmnumf = 0x102F;
constexpr std::uint16_t dsorg_ps = 0x4000, recfm_v = 0x4002, recfm_u = 0xC000;

std::string ebcdic(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        c = static_cast<char>(latin1_to_ebcdic[static_cast<unsigned char>(c)]);
    }
    return out;
}

std::string latin1(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        c = static_cast<char>(ebcdic_to_latin1[static_cast<unsigned char>(c)]);
    }
    return out;
}

void put_number(std::string& out, std::uint64_t v, std::size_t width) {
    for (std::size_t i = width; i-- > 0;) {
        out += static_cast<char>((v >> (8 * i)) & 0xFF);
    }
}

/// A text unit of one or more character values (EBCDIC).
void text_unit(std::string& rec, std::uint16_t key,
               std::initializer_list<std::string_view> values) {
    put_number(rec, key, 2);
    put_number(rec, values.size(), 2);
    for (std::string_view v : values) {
        put_number(rec, v.size(), 2);
        rec += ebcdic(v);
    }
}

/// A text unit of one binary number `width` bytes wide.
void number_unit(std::string& rec, std::uint16_t key, std::uint64_t v, std::size_t width) {
    put_number(rec, key, 2);
    put_number(rec, 1, 2);
    put_number(rec, width, 2);
    put_number(rec, v, width);
}

std::uint64_t get_number(std::string_view s) {
    std::uint64_t v = 0;
    for (char c : s.substr(0, 8)) {
        v = (v << 8) | static_cast<unsigned char>(c);
    }
    return v;
}

std::uint16_t u16(std::string_view s, std::size_t at) {
    return static_cast<std::uint16_t>(get_number(s.substr(at, 2)));
}

} // namespace

NetdataPacker::NetdataPacker(NetdataHeader header) : header_(std::move(header)) {}

/// Cuts a record into segments (the first and last flagged) onto segments_.
void NetdataPacker::record(std::string_view bytes, bool control) {
    std::size_t at = 0;
    do {
        const std::size_t n = std::min(segment_data, bytes.size() - at);
        unsigned flags = control ? control_record : 0u;
        flags |= at == 0 ? first_segment : 0u;
        flags |= at + n == bytes.size() ? last_segment : 0u;
        segments_ += static_cast<char>(n + 2);
        segments_ += static_cast<char>(flags);
        segments_.append(bytes.substr(at, n));
        at += n;
    } while (at < bytes.size());
    if (!control) {
        ++records_;
    }
}

/// Moves whole cards from segments_ to the stream; `last` pads the final one.
void NetdataPacker::cards(bool last, std::vector<std::byte>& stream) {
    std::size_t at = 0;
    for (; segments_.size() - at >= card; at += card) {
        append_record(stream, std::as_bytes(std::span(segments_.data() + at, card)));
    }
    segments_.erase(0, at);
    if (last && !segments_.empty()) {
        segments_.resize(card, static_cast<char>(ebcdic_blank));
        append_record(stream, std::as_bytes(std::span(segments_.data(), card)));
        segments_.clear();
    }
}

void NetdataPacker::feed(std::string_view piece, bool last, std::vector<std::byte>& stream) {
    const NetdataHeader& h = header_;
    if (!started_) {
        started_ = true;
        std::string r01 = ebcdic("INMR01");
        number_unit(r01, inmlrecl, card, 2);
        text_unit(r01, inmfnode, {h.node});
        text_unit(r01, inmfuid, {h.from});
        text_unit(r01, inmtnode, {h.node});
        text_unit(r01, inmtuid, {h.to});
        text_unit(r01, inmftime, {h.time});
        number_unit(r01, inmnumf, 1, 4);
        record(r01, true);
        const std::uint32_t lrecl = h.binary ? binary_block : h.lrecl == 0 ? 65535 : h.lrecl;
        const std::uint16_t recfm = h.binary ? recfm_u : recfm_v;
        std::string r02 = ebcdic("INMR02");
        put_number(r02, 1, 4); // file number
        text_unit(r02, inmutiln, {"INMCOPY"});
        number_unit(r02, inmdsorg, dsorg_ps, 2);
        number_unit(r02, inmlrecl, lrecl, 2);
        number_unit(r02, inmrecfm, recfm, 2);
        number_unit(r02, inmsize, h.bytes, 8);
        text_unit(r02, inmdsnam, {h.fn, h.ft});
        record(r02, true);
        std::string r03 = ebcdic("INMR03");
        put_number(r03, 1, 4);
        number_unit(r03, inmdsorg, dsorg_ps, 2);
        number_unit(r03, inmlrecl, lrecl, 2);
        number_unit(r03, inmrecfm, recfm, 2);
        record(r03, true);
    }
    if (h.binary) {
        partial_.append(piece);
        std::size_t at = 0;
        while (partial_.size() - at >= binary_block || (last && at < partial_.size())) {
            const std::size_t n = std::min(binary_block, partial_.size() - at);
            record(std::string_view(partial_).substr(at, n), false);
            at += n;
        }
        partial_.erase(0, at);
    } else {
        while (!piece.empty()) {
            const std::size_t nl = piece.find('\n');
            if (nl == std::string_view::npos) {
                partial_.append(piece);
                break;
            }
            partial_.append(piece.substr(0, nl));
            record(ebcdic(std::string_view(partial_).substr(0, spool_record_max)), false);
            partial_.clear();
            piece.remove_prefix(nl + 1);
        }
        if (last && !partial_.empty()) {
            record(ebcdic(std::string_view(partial_).substr(0, spool_record_max)), false);
            partial_.clear();
        }
    }
    if (last) {
        record(ebcdic("INMR06"), true);
    }
    cards(last, stream);
}

bool is_netdata(std::span<const std::byte> record) noexcept {
    if (record.size() < 8 || (static_cast<unsigned char>(record[1]) & control_record) == 0 ||
        static_cast<unsigned char>(record[0]) < 8) {
        return false;
    }
    static const std::string id = ebcdic("INMR0");
    return std::equal(id.begin(), id.end(), reinterpret_cast<const char*>(record.data()) + 2);
}

void NetdataReader::feed(std::span<const std::byte> card_bytes, std::string& out) {
    if (done_ || broken_) {
        return;
    }
    buffer_.append(reinterpret_cast<const char*>(card_bytes.data()), card_bytes.size());
    std::size_t at = 0;
    while (!done_ && !broken_ && buffer_.size() - at >= 2) {
        const std::size_t len = static_cast<unsigned char>(buffer_[at]);
        const auto flags = static_cast<unsigned char>(buffer_[at + 1]);
        if (len < 2) {
            broken_ = true;
            break;
        }
        if (buffer_.size() - at < len) {
            break;
        }
        if ((flags & first_segment) != 0) {
            record_.clear();
            in_control_ = (flags & control_record) != 0;
        }
        record_.append(buffer_, at + 2, len - 2);
        at += len;
        if ((flags & last_segment) != 0) {
            on_record(in_control_, out);
        }
    }
    buffer_.erase(0, at);
}

/// A whole record: a control record sets the file's facts; data becomes bytes.
void NetdataReader::on_record(bool control, std::string& out) {
    if (!control) {
        if (!have_file_) {
            broken_ = true;
            return;
        }
        if (binary_) {
            out += record_;
        } else {
            out += latin1(record_);
            out += '\n';
        }
        return;
    }
    const std::string id = latin1(std::string_view(record_).substr(0, 6));
    if (id == "INMR06") {
        done_ = true;
        return;
    }
    if (id != "INMR02") {
        return; // INMR01, INMR03, INMR04: nothing cpd needs
    }
    have_file_ = true;
    // After the id and file number; a record shorter than that holds no keys
    // (written as additions: record_.size() - at would wrap below 10).
    for (std::size_t at = 10; at + 4 <= record_.size();) {
        const std::uint16_t key = u16(record_, at), count = u16(record_, at + 2);
        at += 4;
        std::vector<std::string> values;
        for (std::uint16_t i = 0; i < count && at + 2 <= record_.size(); ++i) {
            const std::size_t n = std::min<std::size_t>(u16(record_, at), record_.size() - at - 2);
            values.push_back(record_.substr(at + 2, n));
            at += 2 + n;
        }
        if (key == inmrecfm && !values.empty()) {
            binary_ = get_number(values[0]) == recfm_u;
        } else if (key == inmdsnam && !values.empty()) {
            fn_ = latin1(values[0]);
            ft_ = values.size() > 1 ? latin1(values[1]) : "";
        }
    }
}

} // namespace cpd::proto
