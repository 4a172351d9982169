// SPDX-License-Identifier: MIT
// The control socket's default path and address syntax (see socket_path.hpp).
// Pure string rules plus the two process facts they depend on: the effective
// uid and $XDG_RUNTIME_DIR. Errors are returned, never printed.
#include "socket_path.hpp"

#include <cstdlib>

#include <sys/un.h>
#include <unistd.h>

namespace cpd::common {

namespace {

constexpr std::string_view system_socket = "/run/cpd/cpd.sock";
constexpr std::string_view scheme = "unix://";
/// sun_path holds the path and its terminating NUL.
constexpr std::size_t max_path_bytes = sizeof(sockaddr_un::sun_path) - 1;

} // namespace

std::string default_socket_path(bool is_root, std::optional<std::string_view> xdg_runtime_dir) {
    // Root is the system service's client even inside a login session.
    if (!is_root && xdg_runtime_dir && xdg_runtime_dir->starts_with('/')) {
        return std::string(*xdg_runtime_dir) + "/cpd/cpd.sock";
    }
    return std::string(system_socket);
}

std::string default_socket_path() {
    const char* xdg = std::getenv("XDG_RUNTIME_DIR");
    return default_socket_path(::geteuid() == 0,
                               xdg != nullptr ? std::optional<std::string_view>(xdg) : std::nullopt);
}

SocketAddressError parse_socket_address(std::string_view text, std::string& path) {
    if (text.starts_with(scheme)) {
        text.remove_prefix(scheme.size());
    } else if (text.find("://") != std::string_view::npos) {
        return SocketAddressError::other_scheme; // reserved for remote nodes later
    }
    if (text.empty() || text.front() != '/') {
        return SocketAddressError::not_absolute;
    }
    if (text.size() > max_path_bytes) {
        return SocketAddressError::too_long;
    }
    path.assign(text);
    return SocketAddressError::none;
}

std::string describe(SocketAddressError e) {
    switch (e) {
    case SocketAddressError::none:
        return "is a valid socket address";
    case SocketAddressError::other_scheme:
        return "is not a socket address (use /path or unix:///path)";
    case SocketAddressError::not_absolute:
        return "is not an absolute path (use /path or unix:///path)";
    case SocketAddressError::too_long:
        return "is longer than a socket path may be (" + std::to_string(max_path_bytes) +
               " bytes)";
    }
    return "is not a socket address";
}

} // namespace cpd::common
