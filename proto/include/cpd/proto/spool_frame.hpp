// SPDX-License-Identifier: MIT
// The frames that carry spool file data: on a guest's rings (punch/print
// writes, reader reads, the arrival of a reader file) and on the control
// socket (vmur). Kept apart from ring_frame.hpp and socket_frame.hpp so the
// spool's contract is one file: cpd routes these types before the general
// decoders see them. Every payload starts with a one-byte spool_frame_version;
// the rest is packed like the ring frames (little-endian fields, the one
// variable field last as a u32 count then the bytes, nothing after it).
//
// Data is a record stream: each record is a u16 little-endian length and that
// many bytes. A frame holds whole records only, so a file of any size moves
// as many frames (a 100 MB file is some 1600 of them), never as one.
#pragma once

#include "cpd/proto/rc.hpp"
#include "cpd/proto/result.hpp"
#include "cpd/proto/userid.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace cpd::proto {

/// Version byte at the start of every spool frame payload.
inline constexpr std::uint8_t spool_frame_version = 1;
/// Longest record (CMS LRECL limit).
inline constexpr std::size_t spool_record_max = 65535;
/// Record-stream bytes a reader chunk aims at; one longer record still goes whole.
inline constexpr std::size_t spool_chunk_target = 64 * 1024;
/// Most record-stream bytes in one frame: the target or one longest record.
inline constexpr std::size_t spool_chunk_max = spool_chunk_target + spool_record_max + 2;

/// Frame types. Ring types share RingFrameType's ranges (0x01xx guest->cpd,
/// 0x02xx cpd->guest), socket types SocketFrameType's (0x00xx, 0x80xx), in
/// blocks no other frame uses.
enum class SpoolFrameType : std::uint32_t {
    ring_write = 0x0130,       ///< guest -> cpd: SpoolWrite
    ring_read = 0x0131,        ///< guest -> cpd: SpoolRead
    ring_data = 0x0240,        ///< cpd -> guest: SpoolData
    ring_reader_file = 0x0241, ///< cpd -> guest: ReaderFileArrived
    socket_write = 0x0030,     ///< client -> cpd: SpoolWrite, answered by a ServerCpResponse
    socket_read = 0x0031,      ///< client -> cpd: SpoolRead
    socket_data = 0x8030,      ///< cpd -> client: SpoolData
};

/// True for the spool's ring types (either direction).
bool is_spool_ring_type(std::uint32_t type) noexcept;
/// True for the spool's socket types (either direction).
bool is_spool_socket_type(std::uint32_t type) noexcept;

/// The device a spool file was made on.
enum class SpoolDevice : std::uint8_t { pun = 0, prt = 1, con = 2, rdr = 3 };
/// "PUN", "PRT", "CON", "RDR".
std::string_view device_name(SpoolDevice d) noexcept;

/// Records for the open file on a punch or printer (whole records).
struct SpoolWrite {
    std::uint16_t vdev;
    std::span<const std::byte> records;
    /// How many records `records` holds: counted by decode_spool_write while
    /// it checks the stream, so a receiver need not walk it again.
    std::uint32_t record_count = 0;
};
/// Asks for the records of a reader file from a record-stream offset.
struct SpoolRead {
    std::uint32_t tag;
    std::uint16_t spoolid;
    std::uint64_t offset;
};
/// Answer to SpoolRead: whole records from `offset`; `next` is where the next
/// read starts; eof when nothing follows. rc other than ok: text says why.
struct SpoolData {
    std::uint32_t tag;
    CpRc rc;
    std::uint64_t next;
    bool eof;
    std::span<const std::byte> records;
};
/// A file arrived in this guest's reader (the SDK's on_reader_file).
struct ReaderFileArrived {
    std::uint16_t spoolid;
    Userid from;
    SpoolDevice origin;
    char spool_class;
    std::uint32_t records;
    bool hold;
    std::string_view name; ///< up to 8 characters, "" if unnamed (variable, last)
};

std::vector<std::byte> encode(const SpoolWrite& f);
std::vector<std::byte> encode(const SpoolRead& f);
std::vector<std::byte> encode(const SpoolData& f);
/// Name and type travel as one text "name type" (either may be empty).
std::vector<std::byte> encode(const ReaderFileArrived& f);

/// Decoders: never read outside `payload`; refuse another version, a bad
/// record stream, a chunk over spool_chunk_max and any trailing byte.
Result<SpoolWrite> decode_spool_write(std::span<const std::byte> payload) noexcept;
Result<SpoolRead> decode_spool_read(std::span<const std::byte> payload) noexcept;
Result<SpoolData> decode_spool_data(std::span<const std::byte> payload) noexcept;
Result<ReaderFileArrived> decode_reader_file(std::span<const std::byte> payload) noexcept;

/// Number of whole records in a record stream; errc::bad_length if the
/// stream does not end on a record boundary.
Result<std::uint32_t> count_records(std::span<const std::byte> stream) noexcept;
/// Appends one record (at most spool_record_max bytes; longer is cut).
void append_record(std::vector<std::byte>& stream, std::span<const std::byte> record);
/// Calls fn(record) for each whole record; stops at the first partial one.
/// Returns the bytes consumed.
template <class Fn> std::size_t for_each_record(std::span<const std::byte> stream, Fn&& fn) {
    std::size_t pos = 0;
    while (stream.size() - pos >= 2) {
        const std::size_t n = static_cast<std::size_t>(stream[pos]) |
                              (static_cast<std::size_t>(stream[pos + 1]) << 8);
        if (stream.size() - pos - 2 < n) {
            break;
        }
        fn(stream.subspan(pos + 2, n));
        pos += 2 + n;
    }
    return pos;
}

} // namespace cpd::proto
