// SPDX-License-Identifier: MIT
// What the thin shell tools (vmsend, vmcp, cmsconsole) share: choosing cpd's
// socket (--socket > CPD_SOCKET > default), connecting with a clear error,
// sending one frame and reading decoded replies, splitting argv at the first
// operand, and mapping CP return codes to sysexits. Never links cpd_core.
#pragma once

#include "cpd/ipc/frame_io.hpp"
#include "cpd/ipc/unique_fd.hpp"
#include "cpd/proto/socket_frame.hpp"

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace cpd::cli {

/// sysexits.h values used by the tools (see ecosystem.md §6 and each --help).
inline constexpr int ex_ok = 0;
inline constexpr int ex_usage = 64;       ///< bad options
inline constexpr int ex_dataerr = 65;     ///< invalid userid or text
inline constexpr int ex_nouser = 67;      ///< not logged on / not in the directory
inline constexpr int ex_unavailable = 69; ///< cpd not reachable
inline constexpr int ex_software = 70;    ///< internal error or unexpected CP rc
inline constexpr int ex_ioerr = 74;       ///< connection lost mid-request
inline constexpr int ex_tempfail = 75;    ///< not receiving, ring full, shutting down
inline constexpr int ex_protocol = 76;    ///< malformed reply or version mismatch
inline constexpr int ex_noperm = 77;      ///< denied by cpd

/// The socket cpd uses by default for this user: /run/cpd/cpd.sock as root,
/// else $XDG_RUNTIME_DIR/cpd/cpd.sock (or /run/cpd/cpd.sock without XDG_RUNTIME_DIR).
std::string default_socket_path();

/// Picks the socket: `option` (from --socket) if set, else CPD_SOCKET, else the
/// default. Accepts "/abs/path" or "unix:///abs/path"; false with `error` otherwise
/// (relative path, other scheme, longer than a sockaddr_un allows).
bool resolve_socket(const std::string& option, std::string& path, std::string& error);

/// A decoded reply; the frame's views point into `raw`, so it is not copyable.
struct Reply {
    Reply() = default;
    Reply(const Reply&) = delete;
    Reply& operator=(const Reply&) = delete;
    ipc::RawFrame raw;
    proto::ServerFrame frame;
};

/// Outcome of reading a reply.
enum class ReadStatus { ok, timed_out, closed, io_error, protocol_error };

/// One connection to cpd's control socket.
class Connection {
  public:
    /// Connects; false with a one-line `error` ("cannot connect to cpd at P: why").
    bool open(const std::string& socket_path, std::string& error);
    /// Sends one frame; false with `error` on failure.
    bool send(const proto::ClientFrame& frame, std::string& error);
    /// Reads and decodes one frame; `timeout_ms` < 0 waits forever.
    ReadStatus read(Reply& out, int timeout_ms, std::string& error);
    /// The socket descriptor.
    int fd() const noexcept { return fd_.get(); }

  private:
    ipc::UniqueFd fd_;
};

/// Splits argv[1..] at the first operand: `options` (for Program_options, with
/// the values of the options named in `valued`) and `operands` (verbatim, so
/// text may start with '-'). A "--" before the first operand ends the options
/// and is dropped; a later "--" is kept as an operand.
void split_arguments(int argc, char** argv, std::initializer_list<std::string_view> valued,
                     std::vector<std::string>& options, std::vector<std::string>& operands);

/// The sysexits code for the rc of an SMSG or command refused by CP.
int exit_code_for(proto::CpRc rc) noexcept;

/// The z/VM-style error text for a refused request: `text` if cpd sent one
/// (prefixed with the message id unless it starts with "HCP"), else a default.
std::string cp_error_text(proto::CpRc rc, std::string_view text, std::string_view userid);

/// The readable text of a ServerError or unexpected frame (for messages).
std::string describe_frame(const proto::ServerFrame& frame);

} // namespace cpd::cli
