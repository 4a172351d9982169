// SPDX-License-Identifier: MIT
// What the CMS spool commands share: the packing of a CMS file as spool
// records and back (cpd/proto/sendfile_format.hpp, shared with vmur) and the
// reader listing that RECEIVE and PEEK read from CP's QUERY RDR * ALL.
#pragma once

#include "cpd/proto/sendfile_format.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cpd::cms {

using proto::TextShape;
using proto::RecordPacker;
using proto::RecordUnpacker;
using proto::SpoolFormat;

/// The name and type of a reader file from QUERY RDR * nnnn ALL's second
/// line (NAME at 53, TYPE at 63), its origin (0-7) and hold (33-36).
struct ReaderEntry {
    std::uint16_t spoolid = 0;
    std::string origin, name, type;
    std::string records; ///< RECORDS as CP shows it (8 digits)
    char spool_class = 'A';
    bool held = false;
};
/// Every file of a QUERY RDR ... ALL response, in queue order.
std::vector<ReaderEntry> parse_reader_list(std::string_view response);

} // namespace cpd::cms
