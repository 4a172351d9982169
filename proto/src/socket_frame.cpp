// SPDX-License-Identifier: MIT
// Codec of the client<->cpd socket frames declared in socket_frame.hpp: the
// 8-byte header, one read/write/check triple per frame struct and the type
// tables. Pure: no I/O; only append_frame allocates (it grows the caller's vector).
#include "cpd/proto/socket_frame.hpp"

#include "cpd/proto/version.hpp"

#include "wire.hpp"

#include <array>

namespace cpd::proto {

using wire::Reader;
using wire::Tag;
using wire::Writer;

namespace {

using S = SocketFrameType;

/// Frame type of each ClientFrame alternative, in variant order.
constexpr std::array<SocketFrameType, 7> client_types{
    S::cp_command,    S::smsg_send,  S::smsg_listen,   S::console_attach,
    S::console_input, S::console_cp, S::console_detach};
/// Frame type of each ServerFrame alternative, in variant order.
constexpr std::array<SocketFrameType, 9> server_types{
    S::cp_response,     S::smsg_event,   S::console_attached, S::console_output, S::console_end,
    S::console_skipped, S::console_role, S::console_closed,   S::error};
static_assert(std::variant_size_v<ClientFrame> == client_types.size());
static_assert(std::variant_size_v<ServerFrame> == server_types.size());

/// Position of `type` in `table`, or table.size() if absent.
template <std::size_t N>
std::size_t index_of(const std::array<SocketFrameType, N>& table, std::uint16_t type) noexcept {
    for (std::size_t i = 0; i < N; ++i) {
        if (static_cast<std::uint16_t>(table[i]) == type) {
            return i;
        }
    }
    return N;
}

Result<void> ok() noexcept {
    return {};
}
Result<void> bad_field() noexcept {
    return Unexpected{errc::bad_field};
}

Result<void> check_line(std::string_view t) noexcept {
    return wire::check_line(t, console_max_line);
}

/// Packs header + payload of any socket frame variant onto the end of `out`.
template <class Variant, std::size_t N>
void append_variant(std::vector<std::byte>& out, const Variant& f,
                    const std::array<SocketFrameType, N>& types) {
    const std::size_t payload = wire::measure_variant(f);
    const std::size_t start = out.size();
    out.resize(start + socket_header_size + payload);
    const std::span<std::byte> dest{out.data() + start, socket_header_size + payload};
    Writer w{dest.first(socket_header_size)};
    w.u32(static_cast<std::uint32_t>(payload));
    w.u16(socket_protocol_version);
    w.u16(static_cast<std::uint16_t>(types[f.index()]));
    wire::encode_variant(f, dest.subspan(socket_header_size));
}

} // namespace

// Found by argument-dependent lookup from the wire:: templates; `static`
// keeps them private to this file.

// ---- client -> cpd -------------------------------------------------------
static ClientCpCommand read_payload(Reader& r, Tag<ClientCpCommand>) noexcept {
    return {r.text()};
}
static void write_payload(Writer& w, const ClientCpCommand& f) noexcept {
    w.text(f.text);
}
static Result<void> check_payload(const ClientCpCommand& f) noexcept {
    return wire::check_line(f.text, cp_command_max);
}

static ClientSmsgSend read_payload(Reader& r, Tag<ClientSmsgSend>) noexcept {
    return {r.userid(), r.text()};
}
static void write_payload(Writer& w, const ClientSmsgSend& f) noexcept {
    w.userid(f.to);
    w.text(f.text);
}
static Result<void> check_payload(const ClientSmsgSend& f) noexcept {
    return wire::check_line(f.text, smsg_max_text);
}

static ClientSmsgListen read_payload(Reader&, Tag<ClientSmsgListen>) noexcept {
    return {};
}
static void write_payload(Writer&, const ClientSmsgListen&) noexcept {}
static Result<void> check_payload(const ClientSmsgListen&) noexcept {
    return ok();
}

static ClientConsoleAttach read_payload(Reader& r, Tag<ClientConsoleAttach>) noexcept {
    const Userid userid = r.userid();
    const AttachMode mode{r.u8()};
    const bool logon = r.boolean();
    return {userid, mode, logon, ReplayScope{r.u8()}};
}
static void write_payload(Writer& w, const ClientConsoleAttach& f) noexcept {
    w.userid(f.userid);
    w.u8(static_cast<std::uint8_t>(f.mode));
    w.boolean(f.logon);
    w.u8(static_cast<std::uint8_t>(f.replay));
}
static Result<void> check_payload(const ClientConsoleAttach& f) noexcept {
    return f.mode > AttachMode::force || f.replay > ReplayScope::none ? bad_field() : ok();
}

static ClientConsoleInput read_payload(Reader& r, Tag<ClientConsoleInput>) noexcept {
    return {r.text()};
}
static void write_payload(Writer& w, const ClientConsoleInput& f) noexcept {
    w.text(f.line);
}
static Result<void> check_payload(const ClientConsoleInput& f) noexcept {
    return check_line(f.line);
}

static ClientConsoleCp read_payload(Reader& r, Tag<ClientConsoleCp>) noexcept {
    return {r.text()};
}
static void write_payload(Writer& w, const ClientConsoleCp& f) noexcept {
    w.text(f.text);
}
static Result<void> check_payload(const ClientConsoleCp& f) noexcept {
    return wire::check_line(f.text, cp_command_max);
}

static ClientConsoleDetach read_payload(Reader&, Tag<ClientConsoleDetach>) noexcept {
    return {};
}
static void write_payload(Writer&, const ClientConsoleDetach&) noexcept {}
static Result<void> check_payload(const ClientConsoleDetach&) noexcept {
    return ok();
}

// ---- cpd -> client -------------------------------------------------------
static ServerCpResponse read_payload(Reader& r, Tag<ServerCpResponse>) noexcept {
    return {CpRc{r.u16()}, r.text()};
}
static void write_payload(Writer& w, const ServerCpResponse& f) noexcept {
    w.u16(static_cast<std::uint16_t>(f.rc));
    w.text(f.text);
}
static Result<void> check_payload(const ServerCpResponse& f) noexcept {
    return is_known(f.rc) ? wire::check_block(f.text, cp_response_max) : bad_field();
}

static ServerSmsgEvent read_payload(Reader& r, Tag<ServerSmsgEvent>) noexcept {
    return {r.userid(), r.text()};
}
static void write_payload(Writer& w, const ServerSmsgEvent& f) noexcept {
    w.userid(f.from);
    w.text(f.text);
}
static Result<void> check_payload(const ServerSmsgEvent& f) noexcept {
    return wire::check_line(f.text, smsg_max_text);
}

static ServerConsoleAttached read_payload(Reader& r, Tag<ServerConsoleAttached>) noexcept {
    return {r.userid(), ConsoleRole{r.u8()}};
}
static void write_payload(Writer& w, const ServerConsoleAttached& f) noexcept {
    w.userid(f.userid);
    w.u8(static_cast<std::uint8_t>(f.role));
}
static Result<void> check_payload(const ServerConsoleAttached& f) noexcept {
    return f.role > ConsoleRole::observer ? bad_field() : ok();
}

static ServerConsoleOutput read_payload(Reader& r, Tag<ServerConsoleOutput>) noexcept {
    return {r.text()};
}
static void write_payload(Writer& w, const ServerConsoleOutput& f) noexcept {
    w.text(f.line);
}
static Result<void> check_payload(const ServerConsoleOutput& f) noexcept {
    return check_line(f.line);
}

static ServerConsoleEnd read_payload(Reader& r, Tag<ServerConsoleEnd>) noexcept {
    const std::int32_t rc = r.i32();
    return {rc, ConsoleMode{r.u8()}};
}
static void write_payload(Writer& w, const ServerConsoleEnd& f) noexcept {
    w.i32(f.rc);
    w.u8(static_cast<std::uint8_t>(f.mode));
}
static Result<void> check_payload(const ServerConsoleEnd& f) noexcept {
    return f.mode > console_mode_last ? bad_field() : ok();
}

static ServerConsoleSkipped read_payload(Reader& r, Tag<ServerConsoleSkipped>) noexcept {
    return {r.u64()};
}
static void write_payload(Writer& w, const ServerConsoleSkipped& f) noexcept {
    w.u64(f.lines);
}
static Result<void> check_payload(const ServerConsoleSkipped&) noexcept {
    return ok();
}

static ServerConsoleRole read_payload(Reader& r, Tag<ServerConsoleRole>) noexcept {
    return {ConsoleRole{r.u8()}, r.text()};
}
static void write_payload(Writer& w, const ServerConsoleRole& f) noexcept {
    w.u8(static_cast<std::uint8_t>(f.role));
    w.text(f.by);
}
static Result<void> check_payload(const ServerConsoleRole& f) noexcept {
    return f.role > ConsoleRole::observer ? bad_field() : check_line(f.by);
}

static ServerConsoleClosed read_payload(Reader& r, Tag<ServerConsoleClosed>) noexcept {
    return {CloseReason{r.u8()}, r.text()};
}
static void write_payload(Writer& w, const ServerConsoleClosed& f) noexcept {
    w.u8(static_cast<std::uint8_t>(f.reason));
    w.text(f.text);
}
static Result<void> check_payload(const ServerConsoleClosed& f) noexcept {
    return f.reason > CloseReason::crashed ? bad_field() : check_line(f.text);
}

static ServerError read_payload(Reader& r, Tag<ServerError>) noexcept {
    return {CpRc{r.u16()}, r.text()};
}
static void write_payload(Writer& w, const ServerError& f) noexcept {
    w.u16(static_cast<std::uint16_t>(f.rc));
    w.text(f.text);
}
static Result<void> check_payload(const ServerError& f) noexcept {
    return is_known(f.rc) ? check_line(f.text) : bad_field();
}

// ---- public entry points -------------------------------------------------
Result<SocketHeader> decode_socket_header(std::span<const std::byte> bytes8) noexcept {
    Reader r{bytes8};
    SocketHeader h{r.u32(), r.u16(), r.u16()};
    if (const errc e = r.finish(); e != errc::ok) {
        return Unexpected{e};
    }
    if (h.version != socket_protocol_version) {
        return Unexpected{errc::bad_version};
    }
    if (h.length > socket_max_payload) {
        return Unexpected{errc::bad_length};
    }
    return h;
}

Result<ClientFrame> decode_client_frame(std::uint16_t type,
                                        std::span<const std::byte> payload) noexcept {
    return wire::decode_alternative<ClientFrame>(index_of(client_types, type), payload);
}

Result<ServerFrame> decode_server_frame(std::uint16_t type,
                                        std::span<const std::byte> payload) noexcept {
    return wire::decode_alternative<ServerFrame>(index_of(server_types, type), payload);
}

Result<void> validate(const ClientFrame& f) noexcept {
    return wire::validate_variant(f);
}
Result<void> validate(const ServerFrame& f) noexcept {
    return wire::validate_variant(f);
}

SocketFrameType frame_type(const ClientFrame& f) noexcept {
    return client_types[f.index()];
}
SocketFrameType frame_type(const ServerFrame& f) noexcept {
    return server_types[f.index()];
}

void append_frame(std::vector<std::byte>& out, const ClientFrame& f) {
    append_variant(out, f, client_types);
}

void append_frame(std::vector<std::byte>& out, const ServerFrame& f) {
    append_variant(out, f, server_types);
}

} // namespace cpd::proto
