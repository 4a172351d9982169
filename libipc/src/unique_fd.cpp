// SPDX-License-Identifier: MIT
// UniqueFd: closing the held descriptor. close() is not retried on EINTR
// (on Linux the descriptor is gone either way).
#include "cpd/ipc/unique_fd.hpp"

#include <unistd.h>

namespace cpd::ipc {

void UniqueFd::reset(int fd) noexcept {
    if (fd_ >= 0 && fd_ != fd) {
        ::close(fd_);
    }
    fd_ = fd;
}

} // namespace cpd::ipc
