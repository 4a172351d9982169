// SPDX-License-Identifier: MIT
// The one check of an autolog list against the directory it will log on from,
// made at start (where a failure exits 78) and on SIGHUP (where it keeps the
// old configuration in force), so both report the same problems in the same words.
#pragma once

#include "config/directory/directory_parser.hpp"
#include "config/options.hpp"

#include <string>
#include <vector>

namespace cpd::daemon {

/// "autolog: X is not in the directory FILE" for each autolog userid of
/// `options` that `dir` lacks; none while `dir` has errors of its own.
std::vector<std::string> autolog_errors(const Options& options, const DirectoryParseResult& dir);

} // namespace cpd::daemon
