// SPDX-License-Identifier: MIT
// ConsoleLog: the optional per-guest console log file, cpd's counterpart of
// z/VM's console spool (<state_dir>/console/<USERID>.log). Appends one line
// per write, bounded in length; rotates once to .log.1 when the file grows
// past a cap. Never blocks on anything but a local regular file; on any error
// it logs once and stops writing.
#pragma once

#include "cpd/ipc/unique_fd.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace cpd::daemon {

/// One guest's console log file; closed when destroyed.
class ConsoleLog {
public:
    /// Longest line written; longer lines are cut.
    static constexpr std::size_t max_line = 4096;
    /// Size after which the file is renamed to <name>.1 and a new one started.
    static constexpr std::uint64_t max_bytes = 16u << 20;

    /// Opens (creating `dir` if needed) `dir`/`name`.log for appending; false on error (logged).
    bool open(const std::string& dir, std::string_view name);
    /// Appends one line and a newline; does nothing if not open.
    void write(std::string_view line) noexcept;
    /// True if the file is open.
    bool is_open() const noexcept { return static_cast<bool>(fd_); }
    /// Closes the file (console_log turned off by a reload).
    void close() noexcept { fd_.reset(); }

private:
    bool reopen();
    void rotate();

    std::string path_;
    ipc::UniqueFd fd_;
    std::uint64_t size_ = 0;
};

} // namespace cpd::daemon
