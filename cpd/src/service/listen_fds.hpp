// SPDX-License-Identifier: MIT
// Where the control socket comes from: systemd socket activation (LISTEN_PID
// and LISTEN_FDS hand us fd 3) or a socket cpd binds itself, replacing a stale
// node left by a dead cpd but never stealing one a live cpd listens on.
#pragma once

#include "cpd/ipc/unique_fd.hpp"

#include <cstdint>
#include <string>

namespace cpd::daemon {

/// A listening Unix stream socket and how it was obtained.
struct ListenSocket {
    ipc::UniqueFd fd;
    bool activated = false; ///< passed by the service manager (do not unlink)
    std::string path;       ///< what it is bound to
    std::string error;      ///< set when fd is empty: why
};

/// Takes fd 3 if LISTEN_PID is our pid and LISTEN_FDS >= 1 and it is a listening
/// AF_UNIX stream socket; unsets LISTEN_* either way. Empty fd and no error: not activated.
ListenSocket take_activated_socket();

/// Requires the parent directory to exist (only the default path's, /run/cpd or
/// $XDG_RUNTIME_DIR/cpd, is created if missing), removes a stale socket node,
/// binds, listens, then applies `mode` and (if non-empty and known) `group`.
ListenSocket bind_control_socket(const std::string& path, std::uint32_t mode,
                                 const std::string& group);

} // namespace cpd::daemon
