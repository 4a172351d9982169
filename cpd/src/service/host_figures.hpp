// SPDX-License-Identifier: MIT
// What INDICATE and QUERY TIME read from the host: the load average, the
// online processors, and a process's CPU times and resident pages from
// /proc. procfs reads are served from memory and never wait on a device, so
// the event loop may call these; any failure reads as zero.
#pragma once

#include <cstdint>
#include <string_view>

#include <sys/types.h>

namespace cpd::daemon {

/// CPU and memory of one process.
struct ProcessFigures {
    double user_cpu = 0;              ///< seconds in user mode
    double system_cpu = 0;            ///< seconds in the kernel
    std::uint64_t resident_pages = 0; ///< resident set, in pages
};

/// The 1-minute load average (0 if /proc/loadavg cannot be read).
double host_load_average() noexcept;
/// Online processors (at least 1).
unsigned host_processors() noexcept;
/// The figures of process `pid` (zeros if it cannot be read).
ProcessFigures process_figures(pid_t pid) noexcept;
/// Parses the text of /proc/<pid>/stat, for tests; `ticks` is clock ticks per second.
ProcessFigures parse_proc_stat(std::string_view stat, long ticks) noexcept;

} // namespace cpd::daemon
