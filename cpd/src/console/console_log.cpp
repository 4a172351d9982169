// SPDX-License-Identifier: MIT
// The per-guest console log file: open with O_APPEND, one write(2) per line
// (line and newline in one buffer, so concurrent readers never see half a
// line), one rotation to <file>.1 at max_bytes. Errors are logged here, once.
#include "console/console_log.hpp"

#include "cpd/ipc/log.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cpd::daemon {

bool ConsoleLog::open(const std::string& dir, std::string_view name) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) {
        CPD_LOG(error, "console: ", name, ": unable to create ", dir, ": ", ec.message());
        return false;
    }
    path_ = dir + "/" + std::string(name) + ".log";
    return reopen();
}

/// Opens path_ for appending and learns its current size.
bool ConsoleLog::reopen() {
    fd_.reset(::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0640));
    if (!fd_) {
        CPD_LOG(error, "console: unable to open ", path_, ": ", std::strerror(errno));
        return false;
    }
    struct stat st {};
    size_ = ::fstat(fd_.get(), &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
    return true;
}

/// Moves the full file aside to <file>.1 (replacing an older one) and starts anew.
void ConsoleLog::rotate() {
    fd_.reset();
    const std::string old = path_ + ".1";
    if (std::rename(path_.c_str(), old.c_str()) != 0) {
        CPD_LOG(error, "console: unable to rotate ", path_, ": ", std::strerror(errno));
        return;
    }
    reopen();
}

void ConsoleLog::write(std::string_view line) noexcept {
    if (!fd_) {
        return;
    }
    if (line.size() > max_line) {
        line = line.substr(0, max_line);
    }
    char buf[max_line + 1];
    std::memcpy(buf, line.data(), line.size());
    buf[line.size()] = '\n';
    const std::size_t n = line.size() + 1;
    const ssize_t w = ::write(fd_.get(), buf, n);
    if (w < 0 || static_cast<std::size_t>(w) != n) {
        CPD_LOG(error, "console: unable to write ", path_, ": ",
                w < 0 ? std::strerror(errno) : "short write", "; console log stopped");
        fd_.reset();
        return;
    }
    size_ += n;
    if (size_ >= max_bytes) {
        rotate();
    }
}

} // namespace cpd::daemon
