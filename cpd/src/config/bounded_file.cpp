// SPDX-License-Identifier: MIT
// BoundedFile: open(O_NONBLOCK), fstat, a size bound checked before and while
// reading. The file type check comes from fstat of the opened descriptor, so a
// path swapped between a stat and the open cannot slip past it.
#include "config/bounded_file.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cpd::daemon {
namespace {

/// What a file that is not a regular file is, for the refusal.
const char* type_name(mode_t mode) {
    if (S_ISFIFO(mode))
        return "a FIFO";
    if (S_ISDIR(mode))
        return "a directory";
    if (S_ISCHR(mode))
        return "a character device";
    if (S_ISBLK(mode))
        return "a block device";
    if (S_ISSOCK(mode))
        return "a socket";
    return "of an unknown type";
}

} // namespace

std::string describe_size(std::size_t bytes) {
    constexpr std::size_t kib = 1024;
    if (bytes != 0 && bytes % (kib * kib) == 0)
        return std::to_string(bytes / (kib * kib)) + " MiB";
    if (bytes != 0 && bytes % kib == 0)
        return std::to_string(bytes / kib) + " KiB";
    return std::to_string(bytes) + " bytes";
}

BoundedFile::BoundedFile(const std::string& path, std::size_t max_bytes, std::string_view what)
    : max_bytes_(max_bytes), what_(what) {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
    fd_ = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    struct stat st {};
    if (fd_ < 0) {
        fail("unable to open " + what_ + ": " + std::strerror(errno));
    } else if (::fstat(fd_, &st) != 0) {
        fail("unable to stat " + what_ + ": " + std::strerror(errno));
    } else if (!S_ISREG(st.st_mode)) {
        fail(what_ + " is " + type_name(st.st_mode) + ", not a regular file");
    } else if (static_cast<std::uint64_t>(st.st_size) > max_bytes_) {
        fail(what_ + " is larger than " + describe_size(max_bytes_) + " (" +
             std::to_string(st.st_size) + " bytes)");
    }
    if (!problem_.empty()) {
        return;
    }
    expected_ = static_cast<std::size_t>(st.st_size);
    text_.reserve(expected_);
}

BoundedFile::~BoundedFile() {
    if (fd_ >= 0)
        ::close(fd_);
}

BoundedFile::BoundedFile(BoundedFile&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), max_bytes_(other.max_bytes_),
      what_(std::move(other.what_)), text_(std::move(other.text_)),
      problem_(std::move(other.problem_)), expected_(other.expected_), done_(other.done_) {}

// Keeps the first problem, drops the text and closes the file.
void BoundedFile::fail(std::string problem) {
    problem_ = std::move(problem);
    done_ = true;
    std::string().swap(text_);
    if (fd_ >= 0)
        ::close(std::exchange(fd_, -1));
}

// Reads one slice: up to what fstat promised into the text, which was
// reserved for it; past that, into a side buffer, so that the read that finds
// the end does not grow (and copy) a text of many MiB. A file that grew after
// fstat (or a /proc file, whose size says 0) is read on up to one byte past
// the bound, and so caught rather than cut short.
bool BoundedFile::read_some(std::size_t slice) {
    if (done_)
        return true;
    const std::size_t room = max_bytes_ + 1 - text_.size();
    const std::size_t promised = expected_ > text_.size() ? expected_ - text_.size() : 0;
    char side[4096];
    const std::size_t want =
        std::min({std::max<std::size_t>(slice, 1), room, promised > 0 ? promised : sizeof side});
    char* into = side;
    if (promised > 0) {
        text_.resize(text_.size() + want);
        into = text_.data() + text_.size() - want;
    }
    ssize_t n = 0;
    do {
        n = ::read(fd_, into, want);
    } while (n < 0 && errno == EINTR);
    if (promised > 0)
        text_.resize(text_.size() - want + static_cast<std::size_t>(std::max<ssize_t>(n, 0)));
    if (n < 0) {
        fail("unable to read " + what_ + ": " + std::strerror(errno));
        return true;
    }
    if (promised == 0)
        text_.append(side, static_cast<std::size_t>(n));
    if (text_.size() > max_bytes_) {
        fail(what_ + " grew past " + describe_size(max_bytes_) + " while it was read");
        return true;
    }
    if (n == 0) {
        done_ = true;
        ::close(std::exchange(fd_, -1));
    }
    return done_;
}

bool BoundedFile::read_all() {
    while (!read_some(1024 * 1024)) {
    }
    return problem_.empty();
}

} // namespace cpd::daemon
