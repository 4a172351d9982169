// SPDX-License-Identifier: MIT
// Frames on the control socket between a client (vmsend, vmcp, cmsconsole)
// and cpd: an 8-byte header (payload length, protocol version, type) and a
// payload packed like the ring frames (see ring_frame.hpp: little-endian fixed
// fields, userids as 8 blank-padded bytes, bools as 0/1, the one variable
// field last with a u32 length, nothing after it). The one contract for that
// boundary; decoders check every length and never read past the bytes given.
#pragma once

#include "cpd/proto/console_mode.hpp"
#include "cpd/proto/rc.hpp"
#include "cpd/proto/result.hpp"
#include "cpd/proto/userid.hpp"
#include "cpd/proto/version.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <variant>
#include <vector>

namespace cpd::proto {

/// Header of every socket frame, packed little-endian on the wire.
struct SocketHeader {
    std::uint32_t length;  ///< payload bytes after the header
    std::uint16_t version; ///< socket_protocol_version
    std::uint16_t type;    ///< SocketFrameType
};
inline constexpr std::size_t socket_header_size = 8;
/// Largest payload either side accepts; bigger frames are a protocol error.
inline constexpr std::uint32_t socket_max_payload = 1u << 20;

/// Socket frame types. 0x00xx: client->cpd. 0x80xx: cpd->client.
enum class SocketFrameType : std::uint16_t {
    cp_command = 0x0001,
    smsg_send = 0x0002,
    smsg_listen = 0x0003,
    console_attach = 0x0004,
    console_input = 0x0005,
    console_cp = 0x0006,
    console_detach = 0x0007,
    cp_response = 0x8001,
    smsg_event = 0x8002,
    console_attached = 0x8003,
    console_output = 0x8004,
    console_end = 0x8005,
    console_skipped = 0x8006,
    console_role = 0x8007,
    console_closed = 0x8008,
    error = 0x8009,
};

/// Console roles a client can hold.
enum class ConsoleRole : std::uint8_t { writer = 0, observer = 1 };
/// How a client asks to attach.
enum class AttachMode : std::uint8_t { writer = 0, observer = 1, force = 2 };
/// Which kept console lines cpd replays after an attach: all it kept, only
/// those this host user (as this caller) has not seen yet, or none.
enum class ReplayScope : std::uint8_t { all = 0, unseen = 1, none = 2 };
/// Why cpd closed a console.
enum class CloseReason : std::uint8_t { logged_off = 0, forced = 1, shutdown = 2, crashed = 3 };

// ---- client -> cpd ---------------------------------------------------
/// A CP command line as the client's identity, e.g. "Q N".
struct ClientCpCommand { std::string_view text; };
/// SMSG as the client's identity; answered by ServerCpResponse.
struct ClientSmsgSend { Userid to; std::string_view text; };
/// Deliver SMSGs addressed to the client's identity to this connection;
/// answered by ServerCpResponse (rc 0 once listening, or not_authorized).
struct ClientSmsgListen {};
/// Attach to a guest's console; logon asks cpd to log it on first (LOGON).
struct ClientConsoleAttach {
    Userid userid;
    AttachMode mode;
    bool logon;
    ReplayScope replay = ReplayScope::all;
};
/// A line typed at the console (writer only).
struct ClientConsoleInput { std::string_view line; };
/// "#CP command" typed at the console: run as the attached guest.
struct ClientConsoleCp { std::string_view text; };
/// Detach; the guest keeps running.
struct ClientConsoleDetach {};

// ---- cpd -> client ---------------------------------------------------
/// Outcome of a command or SMSG: return code and response text (lines joined by '\n').
struct ServerCpResponse { CpRc rc; std::string_view text; };
/// An SMSG addressed to a listening client's identity.
struct ServerSmsgEvent { Userid from; std::string_view text; };
/// Attach succeeded; role granted.
struct ServerConsoleAttached { Userid userid; ConsoleRole role; };
/// One console line (live or replayed).
struct ServerConsoleOutput { std::string_view line; };
/// End of a console line's output with its return code and what reads the
/// next line: "Ready;" only in ConsoleMode::command.
struct ServerConsoleEnd { std::int32_t rc; ConsoleMode mode = ConsoleMode::command; };
/// Ends the replay that follows ServerConsoleAttached: `lines` older lines were
/// lost because the replay buffer overflowed (0: nothing lost). Sent on every
/// attach, so a client knows where replay stops and live output starts.
struct ServerConsoleSkipped { std::uint64_t lines; };
/// This client's role changed, e.g. a --force attach by `by` took the writer role.
struct ServerConsoleRole { ConsoleRole role; std::string_view by; };
/// The console is gone (guest logged off, forced, crashed, or CP shut down).
struct ServerConsoleClosed { CloseReason reason; std::string_view text; };
/// The client sent something cpd could not accept.
struct ServerError { CpRc rc; std::string_view text; };

using ClientFrame = std::variant<ClientCpCommand, ClientSmsgSend, ClientSmsgListen,
                                 ClientConsoleAttach, ClientConsoleInput, ClientConsoleCp,
                                 ClientConsoleDetach>;
using ServerFrame = std::variant<ServerCpResponse, ServerSmsgEvent, ServerConsoleAttached,
                                 ServerConsoleOutput, ServerConsoleEnd, ServerConsoleSkipped,
                                 ServerConsoleRole, ServerConsoleClosed, ServerError>;

/// Parses a header from exactly 8 bytes; checks version and length bound.
Result<SocketHeader> decode_socket_header(std::span<const std::byte> bytes8) noexcept;
/// Decodes a client frame payload of the given type.
Result<ClientFrame> decode_client_frame(std::uint16_t type, std::span<const std::byte> payload) noexcept;
/// Decodes a server frame payload of the given type.
Result<ServerFrame> decode_server_frame(std::uint16_t type, std::span<const std::byte> payload) noexcept;

/// Checks the limits of a frame built locally (text lengths, enumerated fields).
Result<void> validate(const ClientFrame& f) noexcept;
Result<void> validate(const ServerFrame& f) noexcept;

/// The frame type of a frame value.
SocketFrameType frame_type(const ClientFrame& f) noexcept;
SocketFrameType frame_type(const ServerFrame& f) noexcept;

/// Appends header + payload of a frame to `out`. Does not validate limits:
/// use validate() first for untrusted values.
void append_frame(std::vector<std::byte>& out, const ClientFrame& f);
void append_frame(std::vector<std::byte>& out, const ServerFrame& f);

} // namespace cpd::proto
