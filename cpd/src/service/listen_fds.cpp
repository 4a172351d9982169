// SPDX-License-Identifier: MIT
// Socket activation and self-binding for the control socket. Start-up code:
// errors are returned as text for main to report (exit 71), never thrown.
#include "service/listen_fds.hpp"

#include "socket_path.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

#include <fcntl.h>
#include <grp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace cpd::daemon {
namespace {

/// "what: strerror(errno)".
std::string os_error(const std::string& what) {
    return what + ": " + std::strerror(errno);
}

/// Fills a sockaddr_un for `path`; false if the path does not fit.
bool make_address(const std::string& path, sockaddr_un& addr) {
    addr = {};
    addr.sun_family = AF_UNIX;
    if (path.size() >= sizeof addr.sun_path) {
        return false;
    }
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    return true;
}

/// True if something accepts connections on `addr` (a live cpd).
bool is_live(const sockaddr_un& addr) {
    ipc::UniqueFd probe(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    return probe &&
           ::connect(probe.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0;
}

/// Checks that the directory `path` goes in exists. Only cpd's own default
/// runtime directory (/run/cpd, $XDG_RUNTIME_DIR/cpd) is created, and only its
/// last component: an explicit path with a mistyped directory must fail here,
/// not leave a new directory tree behind a daemon that listens where no client looks.
bool ensure_parent_directory(const std::string& path, std::string& error) {
    const auto parent = std::filesystem::path(path).parent_path();
    if (parent.empty()) {
        return true;
    }
    struct stat st {};
    if (::stat(parent.c_str(), &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            return true;
        }
        error = path + ": " + parent.string() + " is not a directory";
        return false;
    }
    if (errno != ENOENT) {
        error = os_error(path + ": unable to reach directory " + parent.string());
        return false;
    }
    if (path != common::default_socket_path()) {
        error = path + ": directory " + parent.string() +
                " does not exist (cpd creates only its default runtime directory; create it "
                "or correct the socket path)";
        return false;
    }
    if (::mkdir(parent.c_str(), 0755) != 0) {
        if (errno == EEXIST) {
            return true; // made meanwhile by another process: leave its mode alone
        }
        error = os_error(path + ": unable to create directory " + parent.string());
        return false;
    }
    ::chmod(parent.c_str(), 0755); // whatever the umask: clients must reach the socket
    return true;
}

} // namespace

ListenSocket take_activated_socket() {
    ListenSocket out;
    const char* pid = std::getenv("LISTEN_PID");
    const char* fds = std::getenv("LISTEN_FDS");
    bool ours = pid != nullptr && fds != nullptr &&
                std::strtol(pid, nullptr, 10) == static_cast<long>(::getpid()) &&
                std::strtol(fds, nullptr, 10) >= 1;
    ::unsetenv("LISTEN_PID");
    ::unsetenv("LISTEN_FDS");
    ::unsetenv("LISTEN_FDNAMES");
    if (!ours) {
        return out;
    }
    constexpr int fd = 3;
    int type = 0;
    int listening = 0;
    socklen_t len = sizeof type;
    sockaddr_un addr{};
    socklen_t alen = sizeof addr;
    if (::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0 || type != SOCK_STREAM ||
        ::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) != 0 || listening == 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &alen) != 0 ||
        addr.sun_family != AF_UNIX) {
        out.error = "LISTEN_FDS: fd 3 is not a listening Unix stream socket";
        return out;
    }
    ::fcntl(fd, F_SETFD, FD_CLOEXEC);
    out.fd.reset(fd);
    out.activated = true;
    out.path = addr.sun_path[0] != '\0' ? std::string(addr.sun_path) : "(abstract)";
    return out;
}

ListenSocket bind_control_socket(const std::string& path, std::uint32_t mode,
                                 const std::string& group_name) {
    ListenSocket out;
    out.path = path;
    sockaddr_un addr{};
    if (!make_address(path, addr)) {
        out.error = path + ": socket path too long";
        return out;
    }
    if (!ensure_parent_directory(path, out.error)) {
        return out;
    }
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0) {
        if (!S_ISSOCK(st.st_mode)) {
            out.error = path + ": exists and is not a socket";
            return out;
        }
        if (is_live(addr)) {
            out.error = path + ": another cpd is listening on this socket";
            return out;
        }
        ::unlink(path.c_str());
    }
    // Bind under a temporary name, set mode and group, listen, then rename into
    // place: whoever sees the path sees a listening socket with its final
    // permissions, never one that refuses connections or is briefly too open.
    const std::string staging = path + ".new";
    sockaddr_un staging_addr{};
    if (!make_address(staging, staging_addr)) {
        out.error = staging + ": socket path too long";
        return out;
    }
    ::unlink(staging.c_str());
    ipc::UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (!fd) {
        out.error = os_error("socket");
        return out;
    }
    auto give_up = [&](const std::string& what) { // errno first, then clean up
        out.error = os_error(what);
        ::unlink(staging.c_str());
    };
    if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&staging_addr), sizeof staging_addr) !=
        0) {
        give_up(path + ": unable to bind");
        return out;
    }
    if (::chmod(staging.c_str(), mode) != 0) {
        give_up(path + ": unable to chmod");
        return out;
    }
    if (!group_name.empty()) {
        if (const struct group* gr = ::getgrnam(group_name.c_str())) {
            if (::chown(staging.c_str(), static_cast<uid_t>(-1), gr->gr_gid) != 0) {
                give_up(path + ": unable to chgrp " + group_name);
                return out;
            }
        }
    }
    if (::listen(fd.get(), 64) != 0) {
        give_up(path + ": unable to listen");
        return out;
    }
    if (::rename(staging.c_str(), path.c_str()) != 0) {
        give_up(path + ": unable to move the socket into place");
        return out;
    }
    out.fd = std::move(fd);
    return out;
}

} // namespace cpd::daemon
