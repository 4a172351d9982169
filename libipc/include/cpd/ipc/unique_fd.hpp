// SPDX-License-Identifier: MIT
// UniqueFd: owns one file descriptor and closes it exactly once.
#pragma once

#include <utility>

namespace cpd::ipc {

/// Move-only owner of a file descriptor; -1 means empty.
class UniqueFd {
public:
    UniqueFd() = default;
    explicit UniqueFd(int fd) noexcept : fd_(fd) {}
    UniqueFd(UniqueFd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
    UniqueFd& operator=(UniqueFd&& o) noexcept {
        if (this != &o) {
            reset(std::exchange(o.fd_, -1));
        }
        return *this;
    }
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;
    ~UniqueFd() { reset(); }

    /// The descriptor, still owned.
    int get() const noexcept { return fd_; }
    /// True when a descriptor is held.
    explicit operator bool() const noexcept { return fd_ >= 0; }
    /// Gives up ownership without closing.
    int release() noexcept { return std::exchange(fd_, -1); }
    /// Closes the held descriptor (if any) and takes `fd`.
    void reset(int fd = -1) noexcept;

private:
    int fd_ = -1;
};

} // namespace cpd::ipc
