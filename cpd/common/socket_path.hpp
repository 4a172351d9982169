// SPDX-License-Identifier: MIT
// Where cpd's control socket is: the default path for this user and the
// address forms accepted for --socket, CPD_SOCKET and cpd.conf's `socket`.
// One rule for the daemon (which binds it) and the tools (which connect to
// it), so they cannot drift apart. Reads getenv/geteuid at most; no I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cpd::common {

/// The default control socket: /run/cpd/cpd.sock for root; for anyone else
/// $XDG_RUNTIME_DIR/cpd/cpd.sock, or /run/cpd/cpd.sock when XDG_RUNTIME_DIR is
/// unset, empty or relative (the XDG Base Directory spec says to ignore it then).
std::string default_socket_path(bool is_root, std::optional<std::string_view> xdg_runtime_dir);

/// The default control socket for this process (geteuid() and $XDG_RUNTIME_DIR).
std::string default_socket_path();

/// Why a socket address was refused.
enum class SocketAddressError { none, other_scheme, not_absolute, too_long };

/// Parses "/abs/path" or "unix:///abs/path" into `path`; anything else (another
/// scheme, a relative path, a path that does not fit a sockaddr_un) is refused
/// and leaves `path` alone.
SocketAddressError parse_socket_address(std::string_view text, std::string& path);

/// A short reason for a refused address, e.g. "is not an absolute path".
std::string describe(SocketAddressError e);

} // namespace cpd::common
