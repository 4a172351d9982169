// SPDX-License-Identifier: MIT
// The systemd notify protocol spoken by hand: one datagram of KEY=VALUE lines
// to the AF_UNIX socket named by NOTIFY_SOCKET (a path, or @ for the abstract
// namespace). Does nothing when the variable is unset; never throws or blocks.
#pragma once

#include "cpd/ipc/unique_fd.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace cpd::daemon {

/// Sends sd_notify-style messages to the service manager.
class Notifier {
public:
    /// Reads NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID, then removes them
    /// from the environment so no guest inherits them.
    static Notifier from_environment();

    /// True when a NOTIFY_SOCKET was given.
    bool enabled() const noexcept { return fd_.get() >= 0; }
    /// Sends one datagram (lines separated by '\n'); false on failure.
    bool send(std::string_view message) const noexcept;
    /// Watchdog interval in microseconds the manager expects (0: none for us).
    std::uint64_t watchdog_usec() const noexcept { return watchdog_usec_; }

    /// READY=1 with a STATUS line.
    void ready(std::string_view status) const;
    /// STATUS=... alone.
    void status(std::string_view status) const;
    /// RELOADING=1 with MONOTONIC_USEC.
    void reloading() const;
    /// STOPPING=1 with a STATUS line.
    void stopping(std::string_view status) const;
    /// WATCHDOG=1.
    void watchdog() const;

private:
    ipc::UniqueFd fd_;
    std::string address_; // raw sun_path bytes ('\0' first for abstract)
    std::uint64_t watchdog_usec_ = 0;
};

} // namespace cpd::daemon
