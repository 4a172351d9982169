// SPDX-License-Identifier: MIT
// NETDATA, the format CMS SENDFILE writes by default (and TSO TRANSMIT): a
// stream of segments (a length byte, a flag byte, up to 253 bytes) cut into
// 80-byte cards. Control records INMR01 (origin, target, time), INMR02 (the
// file: name, type, record format, length, size), INMR03 (data control) and
// INMR06 (end) carry text units (key, count, length + value); the file's
// records come between INMR03 and INMR06. Pure: no I/O.
//
// How cpd maps a CMS file (a host file): TEXT is RECFM V, one EBCDIC (IBM037)
// record per line; a binary file is RECFM U, its bytes untranslated in
// records of up to 32 KiB, so a round trip keeps every byte. INMDSNAM holds
// the file name and type as two qualifiers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cpd::proto {

/// Who sends what to whom: INMR01's and INMR02's facts.
struct NetdataHeader {
    std::string node = "CPD"; ///< origin and target node
    std::string from, to;     ///< userids
    std::string time;         ///< INMFTIME, "yyyymmddhhmmss"
    std::string fn, ft;       ///< CMS file name and type
    bool binary = false;      ///< RECFM U bytes, not V lines
    std::uint32_t lrecl = 0;  ///< longest line (TEXT); 0: 65535
    std::uint64_t bytes = 0;  ///< the file's size (INMSIZE)
};

/// Turns a file's bytes, fed in pieces, into NETDATA cards (80-byte records).
class NetdataPacker {
  public:
    explicit NetdataPacker(NetdataHeader header);
    /// Appends the cards the next piece completes to `stream`; `last` ends
    /// the file (INMR06, and the last card padded with EBCDIC blanks).
    void feed(std::string_view piece, bool last, std::vector<std::byte>& stream);
    std::uint64_t records() const noexcept { return records_; }

  private:
    void record(std::string_view bytes, bool control);
    void cards(bool last, std::vector<std::byte>& stream);
    NetdataHeader header_;
    bool started_ = false;
    std::string segments_; ///< segment bytes not yet in a card
    std::string partial_;  ///< the unfinished line or block
    std::uint64_t records_ = 0;
};

/// True if a first reader record is NETDATA (a control segment of INMR0n).
bool is_netdata(std::span<const std::byte> record) noexcept;

/// Turns NETDATA cards back into the file's bytes.
class NetdataReader {
  public:
    /// Consumes one card (any length); appends the file bytes it yields.
    void feed(std::span<const std::byte> card, std::string& out);
    const std::string& fn() const noexcept { return fn_; }
    const std::string& ft() const noexcept { return ft_; }
    bool binary() const noexcept { return binary_; }
    /// True after INMR06: whatever follows is padding.
    bool done() const noexcept { return done_; }
    /// True if the segments did not parse (a bad length, data before INMR02).
    bool broken() const noexcept { return broken_; }

  private:
    void on_record(bool control, std::string& out);
    std::string buffer_; ///< card bytes not yet parsed as segments
    std::string record_; ///< the record being assembled
    bool in_control_ = false, have_file_ = false;
    bool binary_ = false, done_ = false, broken_ = false;
    std::string fn_, ft_;
};

} // namespace cpd::proto
