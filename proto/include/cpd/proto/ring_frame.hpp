// SPDX-License-Identifier: MIT
// The frames that travel in a guest's rings: guest->cpd on the outbound ring,
// cpd->guest on the inbound ring. The ring record header carries the frame
// type and payload length; this file defines each payload, how it is packed
// and how it is checked. Packing: fields in declaration order, integers
// little-endian at their declared width, enums at their underlying width (only
// known enumerators decode), bools as one byte 0 or 1, Userid as its 8
// blank-padded bytes, UserData as 16 raw bytes, and the one variable field
// (text or data) last as a u32 byte count then the bytes. Nothing may follow
// it: every strict prefix and every longer payload is refused.
// Decoded views point into the caller's buffer: copy out of shared memory first.
#pragma once

#include "cpd/proto/console_mode.hpp"
#include "cpd/proto/rc.hpp"
#include "cpd/proto/result.hpp"
#include "cpd/proto/userid.hpp"
#include "cpd/proto/version.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <type_traits>
#include <variant>

namespace cpd::proto {

/// Frame types. 0x01xx: guest->cpd. 0x02xx: cpd->guest. Numbers are fixed.
enum class RingFrameType : std::uint32_t {
    // guest -> cpd
    smsg_send = 0x0101,
    set_smsg = 0x0102,
    logoff_request = 0x0103,
    cp_command = 0x0104,
    console_output = 0x0105,
    console_end = 0x0106,
    handler_panic = 0x0107,
    iucv_connect = 0x0110,
    iucv_answer = 0x0111,
    iucv_sever = 0x0112,
    iucv_send = 0x0113,
    iucv_reply = 0x0114,
    iucv_quiesce = 0x0115,
    iucv_resume = 0x0116,
    // cpd -> guest
    smsg_deliver = 0x0201,
    cp_message = 0x0202,
    logoff = 0x0203,
    cp_response = 0x0204,
    console_input = 0x0205,
    iucv_pending = 0x0210,
    iucv_complete = 0x0211,
    iucv_failed = 0x0212,
    iucv_severed = 0x0213,
    iucv_message = 0x0214,
    iucv_reply_in = 0x0215,
    iucv_quiesced = 0x0216,
    iucv_resumed = 0x0217,
    iucv_send_failed = 0x0218,
    device_change = 0x0220,
    message_deliver = 0x0230,
};

using UserData = std::array<std::byte, 16>; ///< IUCV IPUSER
using Bytes = std::span<const std::byte>;

// ---- guest -> cpd ------------------------------------------------------
/// Send an SMSG; cpd stamps the sender from the ring it came from.
struct SmsgSend { Userid to; std::string_view text; };
/// SET SMSG ON|OFF.
struct SetSmsg { bool on; };
/// The guest asks to be logged off (CP LOGOFF).
struct LogoffRequest {};
/// A CP command issued by the guest; answered by CpResponse with the same tag.
struct CpCommand { std::uint32_t tag; std::string_view text; };
/// One line of console output (no newline inside).
struct ConsoleOutput { std::string_view line; };
/// End of a console line's output, with its return code and what reads the
/// next line (a running XEDIT keeps the console: no "Ready;").
struct ConsoleEnd { std::int32_t rc; ConsoleMode mode = ConsoleMode::command; };
/// A handler threw; the guest exits right after sending this.
struct HandlerPanic { std::string_view what; };
/// IUCV CONNECT on a guest-chosen local path id.
struct IucvConnect { std::uint32_t path; Userid target; std::uint16_t msglimit; UserData user_data; };
/// Answer to IucvPending: accept or refuse.
struct IucvAnswer { std::uint32_t path; bool accept; UserData user_data; };
/// IUCV SEVER.
struct IucvSever { std::uint32_t path; UserData user_data; };
/// IUCV SEND; two_way expects an IucvReply from the receiver.
struct IucvSend { std::uint32_t path; std::uint32_t msgid; bool two_way; Bytes data; };
/// IUCV REPLY to a two-way message received on `path` with `msgid`.
struct IucvReply { std::uint32_t path; std::uint32_t msgid; Bytes data; };
/// IUCV QUIESCE (stop the peer's sending) on a path.
struct IucvQuiesce { std::uint32_t path; UserData user_data; };
/// IUCV RESUME (let the peer send again).
struct IucvResume { std::uint32_t path; UserData user_data; };

// ---- cpd -> guest ------------------------------------------------------
/// An SMSG delivered to this guest.
struct SmsgDeliver { Userid from; std::string_view text; };
/// A message from CP itself (e.g. "HCPMSG045E ECHO not logged on").
struct CpMessage { std::string_view text; };
/// Why a guest is being logged off.
enum class LogoffReason : std::uint8_t { logoff = 0, force = 1, shutdown = 2 };
/// The guest must run on_logoff and exit.
struct Logoff { LogoffReason reason; };
/// CP's answer to a CpCommand.
struct CpResponse { std::uint32_t tag; CpRc rc; std::string_view text; };
/// A line typed at this guest's console.
struct ConsoleInput { std::string_view line; };
/// Another guest wants a path to this one (this guest's local path id).
struct IucvPending { std::uint32_t path; Userid from; std::uint16_t msglimit; UserData user_data; };
/// A path is established.
struct IucvComplete { std::uint32_t path; Userid peer; std::uint16_t msglimit; UserData user_data; };
/// A CONNECT failed.
struct IucvFailed { std::uint32_t path; IucvRc rc; };
/// The peer severed a path (or logged off, was forced or died).
struct IucvSevered { std::uint32_t path; Userid peer; UserData user_data; };
/// A message arrived on a path.
struct IucvMessage { std::uint32_t path; std::uint32_t msgid; bool two_way; Bytes data; };
/// The reply to a two-way message this guest sent.
struct IucvReplyIn { std::uint32_t path; std::uint32_t msgid; Bytes data; };
/// The peer quiesced the path: sends fail with path_quiesced until resumed.
struct IucvQuiesced { std::uint32_t path; UserData user_data; };
/// The peer resumed the path.
struct IucvResumed { std::uint32_t path; UserData user_data; };
/// A SEND (or REPLY) this guest made could not be delivered.
struct IucvSendFailed { std::uint32_t path; std::uint32_t msgid; IucvRc rc; };

/// A minidisk was linked to (attached) or detached from this guest after
/// logon; the path is where its files are (empty for a detach).
struct DeviceChange { std::uint16_t vdev; bool attached; bool write; std::string_view path; };

/// What sent a MessageDeliver (the *MSG classes of z/VM: 1 MSG and MSGNOH, 2
/// WARNING, 6 EMSG, 7 IMSG); only known enumerators decode.
enum class MessageKind : std::uint8_t { msg = 0, msgnoh = 1, warning = 2, emsg = 3, imsg = 4 };
/// A message CP shows on this guest's console (MSG, MSGNOH, WARNING) or one
/// of CP's own error or informational messages (EMSG, IMSG), with the time
/// CP took it (seconds since the epoch) so a late reader shows when it was sent.
struct MessageDeliver { Userid from; MessageKind kind; std::int64_t sent; std::string_view text; };

/// Everything a guest may put on its outbound ring.
using GuestFrame = std::variant<SmsgSend, SetSmsg, LogoffRequest, CpCommand, ConsoleOutput,
                                ConsoleEnd, HandlerPanic, IucvConnect, IucvAnswer, IucvSever,
                                IucvSend, IucvReply, IucvQuiesce, IucvResume>;
/// Everything cpd may put on a guest's inbound ring.
using CpdFrame = std::variant<SmsgDeliver, CpMessage, Logoff, CpResponse, ConsoleInput,
                              IucvPending, IucvComplete, IucvFailed, IucvSevered, IucvMessage,
                              IucvReplyIn, IucvQuiesced, IucvResumed, IucvSendFailed,
                              DeviceChange, MessageDeliver>;

/// Decodes a guest->cpd payload of the given record type. Never reads outside `payload`.
Result<GuestFrame> decode_guest_frame(std::uint32_t type, Bytes payload) noexcept;
/// Decodes a cpd->guest payload of the given record type. Never reads outside `payload`.
Result<CpdFrame> decode_cpd_frame(std::uint32_t type, Bytes payload) noexcept;

/// The record type of a frame value.
RingFrameType frame_type(const GuestFrame& f) noexcept;
RingFrameType frame_type(const CpdFrame& f) noexcept;

/// Payload size the frame encodes to.
std::size_t encoded_size(const GuestFrame& f) noexcept;
std::size_t encoded_size(const CpdFrame& f) noexcept;

/// Packs the frame into `out`; returns bytes written, or 0 if `out` is too small.
/// Does not validate limits: use validate() first for untrusted values.
std::size_t encode(const GuestFrame& f, std::span<std::byte> out) noexcept;
std::size_t encode(const CpdFrame& f, std::span<std::byte> out) noexcept;

/// Checks CP limits on a frame built locally; decoders apply the same checks.
/// Single-line texts (no NUL, CR or LF): SMSG text <= smsg_max_text, console
/// lines, CpMessage and MessageDeliver <= console_max_line, CpCommand <= cp_command_max.
/// Multi-line texts (no NUL): CpResponse <= cp_response_max, HandlerPanic <=
/// console_max_line. IUCV data <= iucv_max_data. Enums must be known enumerators.
Result<void> validate(const GuestFrame& f) noexcept;
Result<void> validate(const CpdFrame& f) noexcept;

/// Checks SMSG text: at most 236 bytes, no NUL, CR or LF.
Result<void> check_smsg_text(std::string_view text) noexcept;

// ---- one frame struct at a time ------------------------------------------
// The same codec without the variants, for the hot paths (an SMSG or IUCV
// message per call): no type-table search, no variant construction or visit.
// Overload resolution picks these for a frame struct and the variant forms
// above for a GuestFrame or CpdFrame, so generic code can call either.

/// True for the frame structs: the alternatives of GuestFrame and CpdFrame.
template <class F, class Variant> struct is_alternative_of;
template <class F, class... Ts>
struct is_alternative_of<F, std::variant<Ts...>> : std::disjunction<std::is_same<F, Ts>...> {};
template <class F>
concept FrameStruct = is_alternative_of<F, GuestFrame>::value || is_alternative_of<F, CpdFrame>::value;

/// The record type of a frame struct.
template <FrameStruct F> RingFrameType frame_type(const F& f) noexcept;
/// Payload size the frame struct encodes to.
template <FrameStruct F> std::size_t encoded_size(const F& f) noexcept;
/// Packs the frame struct into `out`; bytes written, or 0 if `out` is too small.
template <FrameStruct F> std::size_t encode(const F& f, std::span<std::byte> out) noexcept;
/// Decodes a payload the caller knows to be of F's record type (read, no
/// leftovers, limits checked), exactly as decode_guest_frame/decode_cpd_frame do.
template <FrameStruct F> Result<F> decode_as(Bytes payload) noexcept;
/// decode_as for a frame cpd wrote, read by a guest (which trusts cpd): the
/// layout and lengths are checked, the content rules cpd checked before it
/// sent the frame (an SMSG's text) are not checked again. Instantiated for
/// SmsgDeliver, the frame most of a guest's traffic is.
template <FrameStruct F>
    requires is_alternative_of<F, CpdFrame>::value
Result<F> decode_as_trusted(Bytes payload) noexcept;

/// Bytes before the data of an IucvSend (path, msgid, two-way flag, data
/// length) and of an IucvReply (path, msgid, data length).
template <class F> inline constexpr std::size_t iucv_data_prefix = 0;
template <> inline constexpr std::size_t iucv_data_prefix<IucvSend> = 13;
template <> inline constexpr std::size_t iucv_data_prefix<IucvReply> = 12;
/// Decodes an IucvSend or IucvReply held in two pieces: its fixed `prefix`
/// (iucv_data_prefix<F> bytes, which the caller has copied out of shared
/// memory) and the `data` that follows it. The data length in the prefix must
/// equal data.size(); limits are checked as decode_as checks them. The frame's
/// data views `data`.
template <class F> Result<F> decode_iucv_split(Bytes prefix, Bytes data) noexcept;

} // namespace cpd::proto
