// SPDX-License-Identifier: MIT
// The operands of the MDISK and LINK directory statements, for the parser.
// Checks one statement on its own; the parser checks it against the rest of
// the entry (vdevs and filemodes used twice).
//
//   MDISK vdev hostpath mode [filemode] [readpw [writepw [multpw]]]
//   MDISK vdev devtype start size volser mode [filemode] [readpw [writepw [multpw]]]
//   LINK userid|* vdev1 [vdev2 [mode [filemode]]]
//
// The second MDISK form is z/VM's own; cpd keeps such a disk in
// $STATE/disks/<userid>/<vdev>. A filemode (one letter, a cpd extension) may
// follow the mode; passwords are 1-8 characters, so a one-letter operand right
// after the mode is always the filemode.
#pragma once

#include "config/directory/directory.hpp"
#include "config/directory/directory_words.hpp"

#include <string>
#include <vector>

namespace cpd::daemon {

/// Checks an MDISK statement of `owner`'s entry into `disk`; "" or the error.
/// `filemode_given` tells whether the statement named a filemode.
std::string parse_mdisk_statement(const std::vector<directory_words::Token>& t,
                                  const proto::Userid& owner, Minidisk& disk, bool& filemode_given);

/// Checks a LINK statement into `link`; "" or the error.
std::string parse_link_statement(const std::vector<directory_words::Token>& t, DirectoryLink& link);

/// A vdev operand as 4 upper-case hex digits, or "" if it is not 1-4 hex digits.
std::string canonical_vdev(std::string_view text);

/// True for the modes an MDISK or LINK may give: R RR W WR M MR MW SR SW SM ER EW.
bool is_link_mode(std::string_view upper_mode);

} // namespace cpd::daemon
