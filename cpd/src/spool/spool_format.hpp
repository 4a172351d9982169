// SPDX-License-Identifier: MIT
// The text CP shows for the spool, in z/VM's exact columns: the arrival
// message ("RDR FILE 0012 SENT FROM ALICE    PUN WAS 0007 RECS 0004 CPY  001 A
// NOHOLD NOKEEP"), the sender's line, the counts ("0000001 FILE  PURGED") and
// QUERY RDR|PRT|PUN with and without ALL, whose columns vmur and SMAPI read
// by offset. One function per form, so each can be corrected in one place.
#pragma once

#include "spool/spool_file.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cpd::daemon {

/// Records as the 4 columns of RECS: 0000-9999, then 010K-999K, then 001M-999M.
std::string recs4(std::uint64_t records);
/// "RDR FILE 0012 SENT FROM ALICE    PUN WAS 0007 RECS 0004 CPY  001 A NOHOLD NOKEEP".
std::string arrival_message(const SpoolFile& f);
/// "PUN FILE 0007 SENT TO   BOB      RDR AS  0012 RECS ...": `f` as it now is,
/// `made_on`/`old_spoolid` as the sender knew it.
std::string sent_message(const SpoolFile& f, SpoolDevice made_on, std::uint16_t old_spoolid);
/// "0000001 FILE  PURGED", "0000002 FILES PURGED", "NO FILES PURGED".
std::string count_message(std::size_t n, std::string_view verb);
/// QUERY RDR|PRT|PUN: header and a line per file; `all` picks the DATE/TIME/
/// NAME/TYPE/DIST layout; `owner_column` shows OWNERID (class D over all users).
std::string query_listing(const std::vector<const SpoolFile*>& files, SpoolDevice queue, bool all,
                          bool owner_column);
/// "FILES:   NO RDR, 0001 PRT,   NO PUN".
std::string files_line(std::size_t rdr, std::size_t prt, std::size_t pun);

} // namespace cpd::daemon
