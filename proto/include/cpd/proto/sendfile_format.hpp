// SPDX-License-Identifier: MIT
// SendfileFormat: how a CMS file becomes spool records and back, shared by
// CMS (SENDFILE, PUNCH, PRINT, RECEIVE) and vmur (which restores what
// SENDFILE sent). Pure: no I/O. cpd's CMS files are host
// files whose records are lines; the spool holds EBCDIC records, as z/VM's
// does, so vmur -t on the host reads them as text.
//
// SENDFILE writes NETDATA (netdata.hpp), as CMS does; RECEIVE also reads
// cpd's own earlier format: a first record
// ":CPDSF 1 fn ft fm TEXT|BINARY bytes" (EBCDIC), then for TEXT one record per
// line (IBM037), for BINARY the file's bytes in records of up to 32 KiB,
// untranslated. RECEIVE restores the name, the type, the lines and, for a
// binary file, every byte. A deck without that record (PUNCH, vmur) is
// received as text (an optional ":READ fn ft fm" card names it, and each
// card's trailing blanks are dropped), unless its first record holds EBCDIC
// control bytes (other than tab): then it is binary (vmur's binary punch) and
// its records are concatenated.
#pragma once

#include "cpd/proto/netdata.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cpd::proto {

/// The three ways records leave CMS.
enum class SpoolFormat : std::uint8_t {
    sendfile, ///< the :CPDSF record, then lines (TEXT) or byte blocks (BINARY)
    cards,    ///< PUNCH: ":READ fn ft fm" card, then 80-column cards
    print,    ///< PRINT: one record per line
    netdata,  ///< SENDFILE: NETDATA cards (netdata.hpp)
};

/// Turns a host file's bytes, fed in pieces, into a record stream.
class RecordPacker {
  public:
    /// `binary` (SENDFILE only) sends bytes, not lines; `bytes` is the file's size.
    RecordPacker(SpoolFormat format, bool binary, std::string fn, std::string ft, std::string fm,
                 std::uint64_t bytes);
    /// SENDFILE in NETDATA: the header names the file, sender and receiver.
    explicit RecordPacker(const NetdataHeader& header);
    /// Appends the records the next piece completes to `stream`; `last` ends
    /// the file (a final line without a newline is still a record).
    void feed(std::string_view piece, bool last, std::vector<std::byte>& stream);
    /// Records produced so far.
    std::uint64_t records() const noexcept { return records_; }

  private:
    void line_record(std::string_view line, std::vector<std::byte>& stream);
    std::optional<NetdataPacker> netdata_;
    SpoolFormat format_;
    bool binary_;
    bool started_ = false;
    std::string head_, partial_;
    std::uint64_t records_ = 0;
};

/// Decides, piece by piece, whether a file must go as BINARY (a NUL byte, or
/// a line longer than a record) and finds its longest line (NETDATA's LRECL).
/// Works a line at a time with memchr, not a byte at a time: SENDFILE reads
/// the whole file through it before it sends, so its speed is SENDFILE's.
/// Once the file is known to be binary, later pieces are not looked at.
class TextShape {
public:
    void feed(std::string_view piece) noexcept;
    bool binary() const noexcept { return binary_; }
    /// The longest line seen (without its newline); meaningful while !binary().
    std::size_t longest() const noexcept { return longest_; }

private:
    bool binary_ = false;
    std::size_t open_line_ = 0; // length of the line the last piece ended in
    std::size_t longest_ = 0;
};

/// True if a record looks like binary data rather than EBCDIC text.
bool looks_binary(std::span<const std::byte> record) noexcept;

/// Turns reader records back into a host file's bytes.
class RecordUnpacker {
  public:
    /// Consumes one record; appends the file bytes it yields to `out`.
    void feed(std::span<const std::byte> record, std::string& out);
    /// True once the first record named the file (SENDFILE's record, NETDATA or a :READ card).
    bool sendfile() const noexcept { return sendfile_; }
    /// True if the file came in NETDATA.
    bool netdata() const noexcept { return netdata_.has_value(); }
    /// True for a NETDATA file whose segments were broken or that ended
    /// before its INMR06: what it gave is not the whole file.
    bool damaged() const noexcept {
        return netdata_.has_value() && (netdata_->broken() || !netdata_->done());
    }

    /// What the first record said: the file's own name and type, if any.
    const std::string& fn() const noexcept { return fn_; }
    const std::string& ft() const noexcept { return ft_; }
    bool binary() const noexcept { return binary_; }

  private:
    std::optional<NetdataReader> netdata_;
    bool first_ = true;
    bool binary_ = false;
    bool sendfile_ = false;
    std::string fn_, ft_;
};

} // namespace cpd::proto
