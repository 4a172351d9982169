// SPDX-License-Identifier: MIT
// SpoolFile: one spool file's z/VM attributes (spoolid, class, name and type,
// records, copies, HOLD/KEEP, origin, time) and where it is: whose queue and
// which one. Its metadata file is "key=value" lines, one per attribute, so a
// file written by one cpd version stays readable by the next.
#pragma once

#include "cpd/proto/spool_frame.hpp"
#include "cpd/proto/userid.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cpd::daemon {

using proto::SpoolDevice;

/// A closed spool file (or an open one being written).
struct SpoolFile {
    std::uint64_t key = 0;                  ///< storage name (<key>.data, <key>.meta), never reused
    std::uint16_t spoolid = 0;              ///< 1-9999, unique among the files that exist
    proto::Userid owner;                    ///< whose queue holds it (z/VM's OWNERID)
    SpoolDevice queue = SpoolDevice::rdr;   ///< which of the owner's queues: RDR, PUN or PRT
    proto::Userid origin;                   ///< who made it (ORIGINID)
    SpoolDevice made_on = SpoolDevice::pun; ///< the device it was made on
    std::uint16_t origin_spoolid = 0;       ///< its spoolid where it was made ("PUN WAS 0007")
    char spool_class = 'A';
    std::string name, type; ///< 0-8 characters each, blank = unnamed
    std::string dist, form, dest; ///< 0-8 characters each; "" is OFF, STANDARD, OFF
    std::uint32_t records = 0;
    std::uint64_t bytes = 0;  ///< record-stream bytes in <key>.data
    std::uint16_t copies = 1; ///< 1-255
    bool hold = false, keep = false;
    std::int64_t created = 0; ///< seconds since the epoch
    std::uint64_t order = 0;  ///< position in its queue (smaller first; ORDER lowers it)

    explicit SpoolFile(const proto::Userid& who) : owner(who), origin(who) {}
};

/// The metadata file's text.
std::string pack_meta(const SpoolFile& f);
/// Parses a metadata file; nullopt if a required field is missing or out of range.
std::optional<SpoolFile> unpack_meta(std::string_view text);

/// True for a spool class: A-Z or 0-9.
bool is_spool_class(char c) noexcept;

} // namespace cpd::daemon
