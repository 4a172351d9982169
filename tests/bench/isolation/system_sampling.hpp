// SPDX-License-Identifier: MIT
// What bench_logon reads from the system: statistics over samples, cpd's log
// time stamps, /proc (meminfo, smaps_rollup, stat, schedstat, process
// owners) and whether a cpd holds its uid range. Linux only, no cpd code.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include <sys/time.h>
#include <sys/types.h>

namespace cpd::bench_logon {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t);
double median(std::vector<double> v);
double percentile(std::vector<double> v, double p);
std::string userid(char prefix, int i);
/// Local wall-clock seconds since midnight, as cpd's log timestamps count.
double local_seconds(const timeval& tv);
/// Seconds since midnight of a "YYYY-MM-DDTHH:MM:SS.mmm " log line, or -1.
double log_seconds(const std::string& line);
/// The 1-minute load average.
std::string loadavg();
/// Fields of /proc/meminfo in KiB.
std::map<std::string, long> meminfo();
/// Kernel memory that grows with processes: page tables, stacks, unreclaimable slab.
long kernel_kib(std::map<std::string, long> m);
/// "Name: value kB" fields of a /proc file.
std::map<std::string, long> kib_fields(const std::string& path);
/// Parent pid and user + system CPU seconds from /proc/<pid>/stat.
bool proc_stat(pid_t pid, long& ppid, double& cpu);
/// CPU time a process has run, in seconds (/proc/<pid>/schedstat, ns exact).
double cpu_seconds(pid_t pid);
/// Pids of processes whose real uid lies in [base, base + count).
std::vector<pid_t> processes_in_range(unsigned base, unsigned count);
/// Pids of cpd `parent`'s guests: children of its spawn helper (or of cpd) named "cpd:...".
std::vector<pid_t> guest_pids(pid_t parent);
/// Whether an abstract Unix socket of this name is bound (cpd's uid range claim).
bool abstract_socket_bound(const std::string& name);

} // namespace cpd::bench_logon
