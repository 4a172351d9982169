// SPDX-License-Identifier: MIT
// The logging facade behind CPD_LOG: level threshold, optional prefix, and one
// write(2) per line to stderr so lines from several processes never interleave.
// Under journald (JOURNAL_STREAM names our stderr) lines carry "<N>" syslog
// priorities and no timestamp. Never throws: a line that cannot be built is dropped.
#include "cpd/ipc/log.hpp"

#include <atomic>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>

#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

namespace cpd::ipc {
namespace {

std::atomic<int> g_level{static_cast<int>(LogLevel::info)};
// 0: not yet detected, 1: plain stderr, 2: journald stream.
std::atomic<int> g_journal{0};
std::string g_prefix; // thread-compatible: set once at start-up, before threads
std::atomic<bool> g_timestamps{true};

constexpr std::string_view level_name(LogLevel level) noexcept {
    switch (level) {
    case LogLevel::error: return "error";
    case LogLevel::warn: return "warn";
    case LogLevel::info: return "info";
    case LogLevel::debug: return "debug";
    case LogLevel::trace: return "trace";
    }
    return "?";
}

constexpr std::string_view syslog_prefix(LogLevel level) noexcept {
    switch (level) {
    case LogLevel::error: return "<3>";
    case LogLevel::warn: return "<4>";
    case LogLevel::info: return "<6>";
    case LogLevel::debug: return "<7>";
    case LogLevel::trace: return "<7>";
    }
    return "<7>";
}

// Parses an unsigned decimal number covering all of `text`.
bool parse_u64(std::string_view text, unsigned long long& out) noexcept {
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc{} && p == text.data() + text.size() && !text.empty();
}

// Appends "YYYY-MM-DDTHH:MM:SS.mmm " in local time.
void append_timestamp(std::string& s) {
    timeval tv{};
    ::gettimeofday(&tv, nullptr);
    tm parts{};
    ::localtime_r(&tv.tv_sec, &parts);
    char buf[40];
    std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &parts);
    int m = std::snprintf(buf + n, sizeof buf - n, ".%03d ", static_cast<int>(tv.tv_usec / 1000));
    s.append(buf, n + static_cast<std::size_t>(m > 0 ? m : 0));
}

// Writes all of `s` to stderr, retrying short writes and EINTR.
void write_stderr(std::string_view s) noexcept {
    while (!s.empty()) {
        ssize_t n = ::write(STDERR_FILENO, s.data(), s.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return;
        }
        s.remove_prefix(static_cast<std::size_t>(n));
    }
}

} // namespace

LogLevel log_level() noexcept { return static_cast<LogLevel>(g_level.load(std::memory_order_relaxed)); }

void set_log_level(LogLevel level) noexcept {
    g_level.store(static_cast<int>(level), std::memory_order_relaxed);
}

bool parse_log_level(std::string_view text, LogLevel& out) noexcept {
    for (LogLevel l : {LogLevel::error, LogLevel::warn, LogLevel::info, LogLevel::debug,
                       LogLevel::trace}) {
        if (text == level_name(l)) {
            out = l;
            return true;
        }
    }
    return false;
}

void set_log_prefix(std::string_view prefix) { g_prefix.assign(prefix); }

void set_log_timestamps(bool on) noexcept { g_timestamps.store(on, std::memory_order_relaxed); }

/// Compares JOURNAL_STREAM ("<dev>:<ino>") with the identity of fd 2.
void detect_journal() noexcept {
    int state = 1;
    const char* env = std::getenv("JOURNAL_STREAM");
    struct stat st{};
    if (env != nullptr && ::fstat(STDERR_FILENO, &st) == 0) {
        std::string_view v(env);
        auto colon = v.find(':');
        unsigned long long dev = 0;
        unsigned long long ino = 0;
        if (colon != std::string_view::npos && parse_u64(v.substr(0, colon), dev) &&
            parse_u64(v.substr(colon + 1), ino) && dev == st.st_dev && ino == st.st_ino) {
            state = 2;
        }
    }
    g_journal.store(state, std::memory_order_relaxed);
}

/// Formats and writes one line; drops it if memory runs out.
void log_line(LogLevel level, std::string_view line) noexcept {
    if (g_journal.load(std::memory_order_relaxed) == 0) {
        detect_journal();
    }
    try {
        std::string s;
        s.reserve(line.size() + g_prefix.size() + 48);
        if (g_journal.load(std::memory_order_relaxed) == 2) {
            s.append(syslog_prefix(level));
                } else {
            if (g_timestamps.load(std::memory_order_relaxed)) {
                append_timestamp(s);
            }
            s.append(level_name(level));
            s.push_back(' ');
        }
        if (!g_prefix.empty()) {
            s.append(g_prefix);
            s.append(": ");
        }
        for (char c : line) { // one event, one line
            s.push_back(c == '\n' ? ' ' : c);
        }
        s.push_back('\n');
        write_stderr(s);
    } catch (...) {
        write_stderr("log: line dropped: out of memory\n");
    }
}

} // namespace cpd::ipc
