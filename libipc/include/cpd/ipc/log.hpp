// SPDX-License-Identifier: MIT
// The one logging facade: CPD_LOG(level, fmt-args...) writes one line per event
// to stderr, checking the level before formatting. Under systemd (JOURNAL_STREAM
// matches stderr) lines get "<N>" priority prefixes; otherwise a timestamp.
// Guest processes set a prefix (their userid) so their lines are attributable.
#pragma once

#include <sstream>
#include <string>
#include <string_view>

namespace cpd::ipc {

enum class LogLevel { error = 0, warn = 1, info = 2, debug = 3, trace = 4 };

/// Current threshold; messages above it are not formatted.
LogLevel log_level() noexcept;
/// Sets the threshold.
void set_log_level(LogLevel level) noexcept;
/// Parses "error", "warn", "info", "debug", "trace"; false if unknown.
bool parse_log_level(std::string_view text, LogLevel& out) noexcept;
/// Sets a prefix printed before every line (e.g. "cpd:ECHO").
void set_log_prefix(std::string_view prefix);
/// Whether plain (non-journald) lines start with a time stamp (default yes).
/// A guest turns them off: cpd stamps and tags every line it logs for it.
void set_log_timestamps(bool on) noexcept;
/// Re-detects journald (call after changing stderr).
void detect_journal() noexcept;
/// Writes one complete line at `level`.
void log_line(LogLevel level, std::string_view line) noexcept;

namespace detail {
template <class... Args> std::string concat(const Args&... args) {
    std::ostringstream s;
    (s << ... << args);
    return s.str();
}
} // namespace detail

} // namespace cpd::ipc

/// Logs the streamed concatenation of the arguments at the given level.
#define CPD_LOG(level, ...)                                                                        \
    do {                                                                                           \
        if (::cpd::ipc::LogLevel::level <= ::cpd::ipc::log_level())                                \
            ::cpd::ipc::log_line(::cpd::ipc::LogLevel::level,                                      \
                                 ::cpd::ipc::detail::concat(__VA_ARGS__));                         \
    } while (0)
