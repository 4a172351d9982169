// SPDX-License-Identifier: MIT
#include "system_sampling.hpp"

#include "cpd_harness.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace cpd::bench_logon {

namespace fs = std::filesystem;
using cpd::test::read_file;

double seconds_since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

double median(std::vector<double> v) {
    if (v.empty()) {
        return 0;
    }
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) {
        return 0;
    }
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

std::string userid(char prefix, int i) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%c%05d", prefix, i);
    return buf;
}

/// Local wall-clock seconds since midnight, as cpd's log timestamps count.
double local_seconds(const timeval& tv) {
    tm parts{};
    const time_t t = tv.tv_sec;
    ::localtime_r(&t, &parts);
    return parts.tm_hour * 3600.0 + parts.tm_min * 60.0 + parts.tm_sec +
           static_cast<double>(tv.tv_usec) / 1e6;
}

/// Seconds since midnight of a "YYYY-MM-DDTHH:MM:SS.mmm " log line, or -1.
double log_seconds(const std::string& line) {
    int h = 0, m = 0, s = 0, ms = 0;
    if (line.size() < 24 || line[10] != 'T' ||
        std::sscanf(line.c_str() + 11, "%2d:%2d:%2d.%3d", &h, &m, &s, &ms) != 4) {
        return -1;
    }
    return h * 3600.0 + m * 60.0 + s + ms / 1000.0;
}

/// The 1-minute load average.
std::string loadavg() {
    const std::string s = read_file("/proc/loadavg");
    return s.substr(0, s.find(' '));
}

/// Fields of /proc/meminfo in KiB.
std::map<std::string, long> meminfo() {
    std::map<std::string, long> out;
    std::ifstream in("/proc/meminfo");
    std::string key;
    long value = 0;
    std::string unit;
    for (std::string line; std::getline(in, line);) {
        std::istringstream words(line);
        if (words >> key >> value) {
            key.pop_back(); // ':'
            out[key] = value;
        }
    }
    return out;
}

/// Kernel memory that grows with processes: page tables, stacks, unreclaimable slab.
long kernel_kib(std::map<std::string, long> m) {
    return m["PageTables"] + m["KernelStack"] + m["SUnreclaim"];
}

/// "Name: value kB" fields of a /proc file.
std::map<std::string, long> kib_fields(const std::string& path) {
    std::map<std::string, long> out;
    std::istringstream in(read_file(path));
    for (std::string line; std::getline(in, line);) {
        const auto colon = line.find(':');
        if (colon == std::string::npos) {
            continue;
        }
        out[line.substr(0, colon)] = std::atol(line.c_str() + colon + 1);
    }
    return out;
}

/// Parent pid and user + system CPU seconds from /proc/<pid>/stat.
bool proc_stat(pid_t pid, long& ppid, double& cpu) {
    const std::string stat = read_file("/proc/" + std::to_string(pid) + "/stat");
    const auto p = stat.rfind(')');
    if (p == std::string::npos) {
        return false;
    }
    std::istringstream rest(stat.substr(p + 2));
    std::string field;
    std::vector<std::string> f;
    while (rest >> field) {
        f.push_back(field);
    }
    if (f.size() < 13) {
        return false;
    }
    ppid = std::atol(f[1].c_str());
    cpu = static_cast<double>(std::atoll(f[11].c_str()) + std::atoll(f[12].c_str())) /
          static_cast<double>(::sysconf(_SC_CLK_TCK));
    return true;
}

/// CPU time a process has run, in seconds (/proc/<pid>/schedstat, ns exact).
double cpu_seconds(pid_t pid) {
    const std::string s = read_file("/proc/" + std::to_string(pid) + "/schedstat");
    return static_cast<double>(std::strtoull(s.c_str(), nullptr, 10)) / 1e9;
}

/// Pids of processes whose real uid lies in [base, base + count).
std::vector<pid_t> processes_in_range(unsigned base, unsigned count) {
    std::vector<pid_t> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator("/proc", ec)) {
        const std::string name = e.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) {
            continue;
        }
        std::istringstream in(read_file(e.path().string() + "/status"));
        for (std::string line; std::getline(in, line);) {
            if (line.rfind("Uid:", 0) == 0) {
                const unsigned long uid = std::strtoul(line.c_str() + 4, nullptr, 10);
                if (uid >= base && uid - base < count) {
                    out.push_back(static_cast<pid_t>(std::stol(name)));
                }
                break;
            }
        }
    }
    return out;
}

/// Pids of the guests of cpd `parent`: the children of its spawn helper (a
/// child of cpd) or of cpd itself whose argv[0] starts with "cpd:".
std::vector<pid_t> guest_pids(pid_t parent) {
    std::vector<std::pair<pid_t, long>> procs;
    std::vector<long> parents{parent};
    std::error_code ec;
    for (const auto& e : fs::directory_iterator("/proc", ec)) {
        const std::string name = e.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) {
            continue;
        }
        const pid_t pid = static_cast<pid_t>(std::stol(name));
        long ppid = 0;
        double cpu = 0;
        if (proc_stat(pid, ppid, cpu)) {
            procs.emplace_back(pid, ppid);
            if (ppid == parent) {
                parents.push_back(pid);
            }
        }
    }
    std::vector<pid_t> out;
    for (const auto& [pid, ppid] : procs) {
        if (std::find(parents.begin(), parents.end(), ppid) != parents.end() &&
            read_file("/proc/" + std::to_string(pid) + "/cmdline").rfind("cpd:", 0) == 0) {
            out.push_back(pid);
        }
    }
    return out;
}

/// Whether an abstract Unix socket of this name is bound (cpd's uid range claim).
bool abstract_socket_bound(const std::string& name) {
    return read_file("/proc/net/unix").find(" @" + name + "\n") != std::string::npos;
}

/// One start of cpd, measured.

} // namespace cpd::bench_logon
