// SPDX-License-Identifier: MIT
// What the thin shell tools (vmsend, vmcp, cmsconsole) share: choosing cpd's
// socket (--socket > CPD_SOCKET > the default cpd uses too), connecting with a
// clear error, sending one frame, reading decoded replies and awaiting the
// answer to a request, splitting argv at the first operand, and the one
// mapping of CP return codes to sysexits. Never links cpd_core.
#pragma once

#include "cpd/ipc/frame_io.hpp"
#include "cpd/ipc/unique_fd.hpp"
#include "cpd/proto/socket_frame.hpp"

#include <functional>
#include <initializer_list>
#include <optional>
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
inline constexpr int ex_tempfail = 75;    ///< not receiving, ring full, shutting down, writer busy
inline constexpr int ex_protocol = 76;    ///< malformed reply or version mismatch
inline constexpr int ex_noperm = 77;      ///< denied by cpd, or the guest is NOLOG

/// The --socket option's help text, the same in every tool.
inline constexpr const char* socket_option_help =
    "cpd control socket: /path or unix:///path (default: $CPD_SOCKET, else "
    "$XDG_RUNTIME_DIR/cpd/cpd.sock when not root and that is an absolute path, else "
    "/run/cpd/cpd.sock)";

/// Picks the socket: `option` (from --socket) if set, else CPD_SOCKET, else the
/// default cpd itself uses (common::default_socket_path). Accepts "/abs/path" or
/// "unix:///abs/path"; false with `error` otherwise (relative path, other
/// scheme, longer than a sockaddr_un allows).
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

/// Reads frames until the answer to the request just sent: the first frame
/// that is not an SMSG event. SMSG events read meanwhile go to `on_smsg` (dropped
/// if it is empty). `timeout_ms` bounds the whole wait; on timeout `error` is
/// "no answer from cpd". The answer's views point into `out`.
ReadStatus await_answer(Connection& c, Reply& out, int timeout_ms, std::string& error,
                        const std::function<void(const proto::ServerSmsgEvent&)>& on_smsg = {});

/// CP's verdict carried by an answer: a CP response, or a request cpd refused.
struct CpVerdict {
    bool refused = false; ///< a ServerError rather than a ServerCpResponse
    proto::CpRc rc = proto::CpRc::ok;
    std::string_view text; ///< points into the answer's frame
};

/// The verdict of a CP response or ServerError; nullopt for any other frame.
std::optional<CpVerdict> cp_verdict(const proto::ServerFrame& frame);

/// Splits argv[1..] at the first operand: `options` (for Program_options, with
/// the values of the options named in `valued`) and `operands` (verbatim, so
/// text may start with '-'). A "--" before the first operand ends the options
/// and is dropped; a later "--" is kept as an operand.
void split_arguments(int argc, char** argv, std::initializer_list<std::string_view> valued,
                     std::vector<std::string>& options, std::vector<std::string>& operands);

/// The sysexits code for the rc of a request CP refused (an SMSG, a console
/// attach or a console line); the one mapping every tool documents.
int exit_code_for(proto::CpRc rc) noexcept;

/// The z/VM-style error text for a refused request: `text` if cpd sent one
/// (prefixed with the message id unless it starts with "HCP"), else a default.
std::string cp_error_text(proto::CpRc rc, std::string_view text, std::string_view userid);

/// The readable text of a ServerError or unexpected frame (for messages).
std::string describe_frame(const proto::ServerFrame& frame);

} // namespace cpd::cli
