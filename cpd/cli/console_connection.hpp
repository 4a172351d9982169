// SPDX-License-Identifier: MIT
// ConsoleConnection: cmsconsole's side of the console protocol on the control
// socket — attach, send input lines and #CP commands, detach, and read the
// frames cpd pushes (output, end markers, role changes, close). Blocking
// reads with a timeout; owns the socket and the buffer decoded views point into.
#pragma once

#include "cpd/ipc/frame_io.hpp"
#include "cpd/ipc/unique_fd.hpp"
#include "cpd/proto/socket_frame.hpp"

#include <string>
#include <string_view>
#include <system_error>

namespace cpd::cli {

/// Outcome of an attach request, with the exit status cmsconsole should use on failure.
struct AttachOutcome {
    bool ok = false;
    proto::ConsoleRole role = proto::ConsoleRole::observer;
    int exit_code = 0;    ///< sysexits code when !ok
    std::string message;  ///< z/VM-style text when !ok
};

/// One console connection to cpd.
class ConsoleConnection {
public:
    /// Connects to cpd's socket; false with `ec` on failure.
    bool open(const std::string& socket_path, std::error_code& ec);
    /// Sends the attach request and waits for cpd's answer.
    AttachOutcome attach(const proto::Userid& userid, proto::AttachMode mode, bool logon);
    /// Sends one console input line.
    bool send_input(std::string_view line);
    /// Sends a "#CP" command to run as the attached guest.
    bool send_cp(std::string_view command);
    /// Tells cpd we detach; the guest keeps running.
    bool send_detach();
    /// Reads the next frame; false on end of connection, error or timeout
    /// (`timed_out` tells which). The frame's views stay valid until the next call.
    bool next(proto::ServerFrame& out, int timeout_ms, bool* timed_out = nullptr);
    /// The socket, for poll().
    int fd() const noexcept { return fd_.get(); }
    /// Why the last next() failed ("" for a clean close).
    const std::string& last_error() const noexcept { return error_; }

private:
    bool send(const proto::ClientFrame& frame);
    ipc::UniqueFd fd_;
    ipc::RawFrame raw_;
    std::string error_;
};

/// Maps a CP return code from cpd to cmsconsole's exit status (sysexits).
int exit_code_for_rc(proto::CpRc rc) noexcept;
/// Maps a console command's return code to an exit status: 0 and 1..63 as
/// they are, anything else (negative, or 64 and up) to 63.
int exit_code_for_command_rc(int rc) noexcept;
/// Formats CMS's ready message: "Ready;" or "Ready(00028);" / "Ready(-0003);".
std::string ready_line(int rc);

} // namespace cpd::cli
