// SPDX-License-Identifier: MIT
// The text of QUERY IUCV and of the IUCV part of QUERY STATS, built from
// IucvPaths::query() rows and IucvPaths::totals(). Pure formatting: no state,
// no I/O; the command layer sends the lines as a CP response.
#pragma once

#include "routing/iucv/iucv_paths.hpp"

#include <span>
#include <string>

namespace cpd::daemon {

/// QUERY IUCV: one header line, then one line per path; lines joined by '\n', no final newline.
std::string format_query_iucv(std::span<const IucvPathRow> rows);

/// The IUCV lines of QUERY STATS (two lines, joined by '\n').
std::string format_iucv_stats(const IucvTotals& t);

} // namespace cpd::daemon
