// SPDX-License-Identifier: MIT
// Reading the host's figures (host_figures.hpp) from /proc with plain,
// bounded reads.
#include "service/host_figures.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

#include <fcntl.h>
#include <unistd.h>

namespace cpd::daemon {
namespace {

/// Reads at most 4 KiB of a /proc file; "" on failure.
std::string read_small(const char* path) noexcept {
    const int fd = ::open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        return {};
    }
    char buf[4096];
    const ssize_t n = ::read(fd, buf, sizeof buf - 1);
    ::close(fd);
    return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
}

} // namespace

double host_load_average() noexcept {
    const std::string text = read_small("/proc/loadavg");
    return text.empty() ? 0.0 : std::strtod(text.c_str(), nullptr);
}

unsigned host_processors() noexcept {
    const long n = ::sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? static_cast<unsigned>(n) : 1u;
}

ProcessFigures parse_proc_stat(std::string_view stat, long ticks) noexcept {
    // The command name in parentheses may hold blanks: count fields after the last ')'.
    const std::size_t close = stat.rfind(')');
    if (close == std::string_view::npos || ticks <= 0) {
        return {};
    }
    std::string rest(stat.substr(close + 1));
    // Fields after ')': 3 state ... 14 utime, 15 stime ... 24 rss (1-based in proc(5)).
    unsigned long long fields[22] = {};
    int field = 3;
    const char* p = rest.c_str();
    while (*p != '\0' && field <= 24) {
        while (*p == ' ') {
            ++p;
        }
        char* end = nullptr;
        const unsigned long long v = std::strtoull(p, &end, 10);
        if (end == p) { // the state letter, or a negative value read as text
            while (*p != '\0' && *p != ' ') {
                ++p;
            }
        } else {
            p = end;
        }
        if (field >= 3) {
            fields[field - 3] = v;
        }
        ++field;
    }
    ProcessFigures f;
    f.user_cpu = static_cast<double>(fields[14 - 3]) / static_cast<double>(ticks);
    f.system_cpu = static_cast<double>(fields[15 - 3]) / static_cast<double>(ticks);
    f.resident_pages = fields[24 - 3];
    return f;
}

ProcessFigures process_figures(pid_t pid) noexcept {
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/stat", static_cast<int>(pid));
    return parse_proc_stat(read_small(path), ::sysconf(_SC_CLK_TCK));
}

} // namespace cpd::daemon
