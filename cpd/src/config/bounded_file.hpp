// SPDX-License-Identifier: MIT
// BoundedFile: reads cpd.conf or the user directory without ever blocking the
// event loop on what the path turns out to be. It opens with O_NONBLOCK (a
// FIFO cannot hang the open), refuses anything but a regular file, and reads
// at most a fixed bound, a slice at a time if the caller wants. It only reads:
// parsing and logging are the caller's.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace cpd::daemon {

/// The largest user directory cpd reads: room for 10,000 users of 20 lines each.
inline constexpr std::size_t max_directory_file_bytes = 16 * 1024 * 1024;
/// The largest cpd.conf cpd reads: room for an autolog list of 10,000 users
/// (about 90 KB) and more, and small enough that parsing it on SIGHUP stays
/// a short stall.
inline constexpr std::size_t max_config_file_bytes = 256 * 1024;

/// A regular file being read up to a bound, one slice or all at once.
class BoundedFile {
  public:
    /// Opens `path` without blocking and checks it is a regular file of at most
    /// `max_bytes`. `what` names the file in problems ("directory file").
    BoundedFile(const std::string& path, std::size_t max_bytes, std::string_view what);
    ~BoundedFile();
    BoundedFile(BoundedFile&& other) noexcept;
    BoundedFile& operator=(BoundedFile&&) = delete;
    BoundedFile(const BoundedFile&) = delete;
    BoundedFile& operator=(const BoundedFile&) = delete;

    /// Reads up to `slice` more bytes; true once the file is read to its end or has failed.
    bool read_some(std::size_t slice);
    /// Reads what is left; true unless the file failed.
    bool read_all();
    /// Why the file was refused ("directory file is a FIFO, not a regular file"), or "".
    const std::string& problem() const noexcept { return problem_; }
    /// True once read to its end without a problem.
    bool complete() const noexcept { return done_ && problem_.empty(); }
    /// The text read so far, moved out.
    std::string take_text() noexcept { return std::move(text_); }

  private:
    void fail(std::string problem);

    int fd_ = -1;
    std::size_t max_bytes_;
    std::string what_;
    std::string text_;
    std::string problem_;
    std::size_t expected_ = 0; ///< st_size at open
    bool done_ = false;
};

/// "16 MiB", "512 KiB" or "100 bytes": a bound as the messages and man pages give it.
std::string describe_size(std::size_t bytes);

} // namespace cpd::daemon
