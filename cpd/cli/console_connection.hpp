// SPDX-License-Identifier: MIT
// ConsoleConnection: cmsconsole's side of the console protocol on the control
// socket — attach, send input lines and #CP commands, detach, and read the
// frames cpd pushes (output, end markers, role changes, close). A thin layer
// over cli::Connection: socket, framing and errors are the other tools' too.
#pragma once

#include "client_common.hpp"

#include <string>
#include <string_view>

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
    /// Connects to cpd's socket; false with a one-line `error` on failure.
    bool open(const std::string& socket_path, std::string& error) {
        return conn_.open(socket_path, error);
    }
    /// Sends the attach request and waits for cpd's answer; `replay` says
    /// which kept lines cpd sends before the ServerConsoleSkipped marker.
    AttachOutcome attach(const proto::Userid& userid, proto::AttachMode mode, bool logon,
                         proto::ReplayScope replay);
    /// Sends one console input line.
    bool send_input(std::string_view line);
    /// Sends a "#CP" command to run as the attached guest.
    bool send_cp(std::string_view command);
    /// Tells cpd we detach; the guest keeps running.
    bool send_detach();
    /// Reads the next frame (`timeout_ms` < 0 waits forever); false on end of
    /// connection, error or timeout. The frame's views stay valid until the next call.
    bool next(proto::ServerFrame& out, int timeout_ms);
    /// The socket, for poll().
    int fd() const noexcept { return conn_.fd(); }
    /// Why the last send or next() failed, e.g. "cpd closed the connection".
    const std::string& last_error() const noexcept { return error_; }

private:
    Connection conn_;
    Reply reply_;
    std::string error_;
};

/// Maps a console command's return code to an exit status: 0 and 1..63 as
/// they are, anything else (negative, or 64 and up) to 63.
int exit_code_for_command_rc(int rc) noexcept;
/// Formats CMS's ready message: "Ready;" or "Ready(00028);" / "Ready(-0003);".
std::string ready_line(int rc);

} // namespace cpd::cli
