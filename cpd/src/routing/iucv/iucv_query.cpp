// SPDX-License-Identifier: MIT
// Formats QUERY IUCV as a fixed-column table, CP style: upper-case headings,
// userids padded to 8, counts right-aligned. Source->target columns are "S>T",
// target->source "T>S"; path ids are each end's local id, in decimal as the
// guest API shows them.
#include "routing/iucv/iucv_query.hpp"

#include <algorithm>
#include <cinttypes>
#include <cstdio>

namespace cpd::daemon {

namespace {

constexpr const char* row_format =
    "%-8" PRIu64 " %-8.8s %10" PRIu32 " %-8.8s %10" PRIu32 " %-11s %6u %6" PRIu32 " %10" PRIu64
    " %14" PRIu64 " %10" PRIu64 " %14" PRIu64;

} // namespace

std::string format_query_iucv(std::span<const IucvPathRow> rows) {
    std::string out;
    char line[256];
    std::snprintf(line, sizeof line, "%-8s %-8s %10s %-8s %10s %-11s %6s %6s %10s %14s %10s %14s",
                  "PATH", "SOURCE", "SPATH", "TARGET", "TPATH", "STATE", "MSGLIM", "OUTST",
                  "MSGS S>T", "BYTES S>T", "MSGS T>S", "BYTES T>S");
    out += line;
    for (const IucvPathRow& r : rows) {
        std::snprintf(line, sizeof line, row_format, r.id, r.source.padded().data(), r.source_path,
                      r.target.padded().data(), r.target_path, to_string(r.state),
                      static_cast<unsigned>(r.msglimit), r.outstanding, r.messages_out, r.bytes_out,
                      r.messages_in, r.bytes_in);
        out += '\n';
        out += line;
    }
    return out;
}

std::string format_iucv_stats(const IucvTotals& t) {
    char line[512];
    const int n = std::snprintf(
        line, sizeof line,
        "IUCV PATHS %" PRIu64 " OPEN, %" PRIu64 " PENDING; CONNECTS %" PRIu64 ", COMPLETED %" PRIu64
        ", REFUSED %" PRIu64 ", FAILED %" PRIu64 ", SEVERED %" PRIu64 "\nIUCV MESSAGES %" PRIu64
        ", BYTES %" PRIu64 ", REPLIES %" PRIu64 ", SEND FAILURES %" PRIu64 ", RING FULL %" PRIu64,
        t.paths_open, t.paths_pending, t.connects, t.completed, t.refused, t.connect_failures,
        t.severed, t.messages, t.bytes, t.replies, t.send_failures, t.ring_full);
    const std::size_t len = n > 0 ? static_cast<std::size_t>(n) : 0;
    return std::string(line, std::min(len, sizeof line - 1));
}

} // namespace cpd::daemon
