// SPDX-License-Identifier: MIT
// Codec of the guest<->cpd ring frames declared in ring_frame.hpp: one
// read/write/check triple per frame struct, and the type tables that map the
// variants to their fixed record types. Pure: no I/O, no allocation.
#include "cpd/proto/ring_frame.hpp"

#include "cpd/proto/version.hpp"

#include "wire.hpp"

#include <cstddef>

namespace cpd::proto {

using wire::Reader;
using wire::Tag;
using wire::Writer;

namespace {

using T = RingFrameType;

/// Record type of each GuestFrame alternative, in variant order.
constexpr std::array<RingFrameType, 14> guest_types{
    T::smsg_send,   T::set_smsg,      T::logoff_request, T::cp_command,  T::console_output,
    T::console_end, T::handler_panic, T::iucv_connect,   T::iucv_answer, T::iucv_sever,
    T::iucv_send,   T::iucv_reply,    T::iucv_quiesce,   T::iucv_resume};
/// Record type of each CpdFrame alternative, in variant order.
constexpr std::array<RingFrameType, 16> cpd_types{
    T::smsg_deliver,  T::cp_message,    T::logoff,       T::cp_response,     T::console_input,
    T::iucv_pending,  T::iucv_complete, T::iucv_failed,  T::iucv_severed,    T::iucv_message,
    T::iucv_reply_in, T::iucv_quiesced, T::iucv_resumed, T::iucv_send_failed, T::device_change,
    T::message_deliver};
static_assert(std::variant_size_v<GuestFrame> == guest_types.size());
static_assert(std::variant_size_v<CpdFrame> == cpd_types.size());

/// Position of `type` in `table`, or table.size() if absent.
template <std::size_t N>
std::size_t index_of(const std::array<RingFrameType, N>& table, std::uint32_t type) noexcept {
    for (std::size_t i = 0; i < N; ++i) {
        if (static_cast<std::uint32_t>(table[i]) == type) {
            return i;
        }
    }
    return N;
}

Result<void> ok() noexcept {
    return {};
}

Result<void> check_line(std::string_view t) noexcept {
    return wire::check_line(t, console_max_line);
}

Result<void> check_iucv(Bytes d) noexcept {
    return wire::check_data(d, iucv_max_data);
}

} // namespace

// Found by argument-dependent lookup from wire::decode_alternative and friends;
// `static` keeps them private to this file.

// ---- guest -> cpd ------------------------------------------------------
static SmsgSend read_payload(Reader& r, Tag<SmsgSend>) noexcept {
    return {r.userid(), r.text()};
}
static void write_payload(Writer& w, const SmsgSend& f) noexcept {
    w.userid(f.to);
    w.text(f.text);
}
static Result<void> check_payload(const SmsgSend& f) noexcept {
    return check_smsg_text(f.text);
}

static SetSmsg read_payload(Reader& r, Tag<SetSmsg>) noexcept {
    return {r.boolean()};
}
static void write_payload(Writer& w, const SetSmsg& f) noexcept {
    w.boolean(f.on);
}
static Result<void> check_payload(const SetSmsg&) noexcept {
    return ok();
}

static LogoffRequest read_payload(Reader&, Tag<LogoffRequest>) noexcept {
    return {};
}
static void write_payload(Writer&, const LogoffRequest&) noexcept {}
static Result<void> check_payload(const LogoffRequest&) noexcept {
    return ok();
}

static CpCommand read_payload(Reader& r, Tag<CpCommand>) noexcept {
    return {r.u32(), r.text()};
}
static void write_payload(Writer& w, const CpCommand& f) noexcept {
    w.u32(f.tag);
    w.text(f.text);
}
static Result<void> check_payload(const CpCommand& f) noexcept {
    return wire::check_line(f.text, cp_command_max);
}

static ConsoleOutput read_payload(Reader& r, Tag<ConsoleOutput>) noexcept {
    return {r.text()};
}
static void write_payload(Writer& w, const ConsoleOutput& f) noexcept {
    w.text(f.line);
}
static Result<void> check_payload(const ConsoleOutput& f) noexcept {
    return check_line(f.line);
}

static ConsoleEnd read_payload(Reader& r, Tag<ConsoleEnd>) noexcept {
    const std::int32_t rc = r.i32();
    return {rc, ConsoleMode{r.u8()}};
}
static void write_payload(Writer& w, const ConsoleEnd& f) noexcept {
    w.i32(f.rc);
    w.u8(static_cast<std::uint8_t>(f.mode));
}
static Result<void> check_payload(const ConsoleEnd& f) noexcept {
    if (f.mode > console_mode_last) {
        return Unexpected{errc::bad_field};
    }
    return ok();
}

static HandlerPanic read_payload(Reader& r, Tag<HandlerPanic>) noexcept {
    return {r.text()};
}
static void write_payload(Writer& w, const HandlerPanic& f) noexcept {
    w.text(f.what);
}
static Result<void> check_payload(const HandlerPanic& f) noexcept {
    return wire::check_block(f.what, console_max_line);
}

static IucvConnect read_payload(Reader& r, Tag<IucvConnect>) noexcept {
    return {r.u32(), r.userid(), r.u16(), r.user_data()};
}
static void write_payload(Writer& w, const IucvConnect& f) noexcept {
    w.u32(f.path);
    w.userid(f.target);
    w.u16(f.msglimit);
    w.user_data(f.user_data);
}
static Result<void> check_payload(const IucvConnect&) noexcept {
    return ok();
}

static IucvAnswer read_payload(Reader& r, Tag<IucvAnswer>) noexcept {
    return {r.u32(), r.boolean(), r.user_data()};
}
static void write_payload(Writer& w, const IucvAnswer& f) noexcept {
    w.u32(f.path);
    w.boolean(f.accept);
    w.user_data(f.user_data);
}
static Result<void> check_payload(const IucvAnswer&) noexcept {
    return ok();
}

static IucvSever read_payload(Reader& r, Tag<IucvSever>) noexcept {
    return {r.u32(), r.user_data()};
}
static void write_payload(Writer& w, const IucvSever& f) noexcept {
    w.u32(f.path);
    w.user_data(f.user_data);
}
static Result<void> check_payload(const IucvSever&) noexcept {
    return ok();
}

static IucvSend read_payload(Reader& r, Tag<IucvSend>) noexcept {
    return {r.u32(), r.u32(), r.boolean(), r.bytes()};
}
static void write_payload(Writer& w, const IucvSend& f) noexcept {
    w.u32(f.path);
    w.u32(f.msgid);
    w.boolean(f.two_way);
    w.bytes(f.data);
}
static Result<void> check_payload(const IucvSend& f) noexcept {
    return check_iucv(f.data);
}

static IucvReply read_payload(Reader& r, Tag<IucvReply>) noexcept {
    return {r.u32(), r.u32(), r.bytes()};
}
static void write_payload(Writer& w, const IucvReply& f) noexcept {
    w.u32(f.path);
    w.u32(f.msgid);
    w.bytes(f.data);
}
static Result<void> check_payload(const IucvReply& f) noexcept {
    return check_iucv(f.data);
}

static IucvQuiesce read_payload(Reader& r, Tag<IucvQuiesce>) noexcept {
    return {r.u32(), r.user_data()};
}
static void write_payload(Writer& w, const IucvQuiesce& f) noexcept {
    w.u32(f.path);
    w.user_data(f.user_data);
}
static Result<void> check_payload(const IucvQuiesce&) noexcept {
    return ok();
}

static IucvResume read_payload(Reader& r, Tag<IucvResume>) noexcept {
    return {r.u32(), r.user_data()};
}
static void write_payload(Writer& w, const IucvResume& f) noexcept {
    w.u32(f.path);
    w.user_data(f.user_data);
}
static Result<void> check_payload(const IucvResume&) noexcept {
    return ok();
}

// ---- cpd -> guest ------------------------------------------------------
static SmsgDeliver read_payload(Reader& r, Tag<SmsgDeliver>) noexcept {
    return {r.userid(), r.text()};
}
static void write_payload(Writer& w, const SmsgDeliver& f) noexcept {
    w.userid(f.from);
    w.text(f.text);
}
static Result<void> check_payload(const SmsgDeliver& f) noexcept {
    return check_smsg_text(f.text);
}

static CpMessage read_payload(Reader& r, Tag<CpMessage>) noexcept {
    return {r.text()};
}
static void write_payload(Writer& w, const CpMessage& f) noexcept {
    w.text(f.text);
}
static Result<void> check_payload(const CpMessage& f) noexcept {
    return check_line(f.text);
}

static DeviceChange read_payload(Reader& r, Tag<DeviceChange>) noexcept {
    return {r.u16(), r.boolean(), r.boolean(), r.text()};
}
static void write_payload(Writer& w, const DeviceChange& f) noexcept {
    w.u16(f.vdev);
    w.boolean(f.attached);
    w.boolean(f.write);
    w.text(f.path);
}
static Result<void> check_payload(const DeviceChange& f) noexcept {
    if (!f.attached && !f.path.empty()) {
        return Unexpected{errc::bad_field};
    }
    return check_line(f.path);
}

static MessageDeliver read_payload(Reader& r, Tag<MessageDeliver>) noexcept {
    return {r.userid(), MessageKind{r.u8()}, static_cast<std::int64_t>(r.u64()), r.text()};
}
static void write_payload(Writer& w, const MessageDeliver& f) noexcept {
    w.userid(f.from);
    w.u8(static_cast<std::uint8_t>(f.kind));
    w.u64(static_cast<std::uint64_t>(f.sent));
    w.text(f.text);
}
static Result<void> check_payload(const MessageDeliver& f) noexcept {
    if (f.kind > MessageKind::imsg) {
        return Unexpected{errc::bad_field};
    }
    return check_line(f.text);
}

static Logoff read_payload(Reader& r, Tag<Logoff>) noexcept {
    return {LogoffReason{r.u8()}};
}
static void write_payload(Writer& w, const Logoff& f) noexcept {
    w.u8(static_cast<std::uint8_t>(f.reason));
}
static Result<void> check_payload(const Logoff& f) noexcept {
    if (f.reason > LogoffReason::shutdown) {
        return Unexpected{errc::bad_field};
    }
    return ok();
}

static CpResponse read_payload(Reader& r, Tag<CpResponse>) noexcept {
    return {r.u32(), CpRc{r.u16()}, r.text()};
}
static void write_payload(Writer& w, const CpResponse& f) noexcept {
    w.u32(f.tag);
    w.u16(static_cast<std::uint16_t>(f.rc));
    w.text(f.text);
}
static Result<void> check_payload(const CpResponse& f) noexcept {
    if (!is_known(f.rc)) {
        return Unexpected{errc::bad_field};
    }
    return wire::check_block(f.text, cp_response_max);
}

static ConsoleInput read_payload(Reader& r, Tag<ConsoleInput>) noexcept {
    return {r.text()};
}
static void write_payload(Writer& w, const ConsoleInput& f) noexcept {
    w.text(f.line);
}
static Result<void> check_payload(const ConsoleInput& f) noexcept {
    return check_line(f.line);
}

static IucvPending read_payload(Reader& r, Tag<IucvPending>) noexcept {
    return {r.u32(), r.userid(), r.u16(), r.user_data()};
}
static void write_payload(Writer& w, const IucvPending& f) noexcept {
    w.u32(f.path);
    w.userid(f.from);
    w.u16(f.msglimit);
    w.user_data(f.user_data);
}
static Result<void> check_payload(const IucvPending&) noexcept {
    return ok();
}

static IucvComplete read_payload(Reader& r, Tag<IucvComplete>) noexcept {
    return {r.u32(), r.userid(), r.u16(), r.user_data()};
}
static void write_payload(Writer& w, const IucvComplete& f) noexcept {
    w.u32(f.path);
    w.userid(f.peer);
    w.u16(f.msglimit);
    w.user_data(f.user_data);
}
static Result<void> check_payload(const IucvComplete&) noexcept {
    return ok();
}

static IucvFailed read_payload(Reader& r, Tag<IucvFailed>) noexcept {
    return {r.u32(), IucvRc{r.u16()}};
}
static void write_payload(Writer& w, const IucvFailed& f) noexcept {
    w.u32(f.path);
    w.u16(static_cast<std::uint16_t>(f.rc));
}
static Result<void> check_payload(const IucvFailed& f) noexcept {
    return is_known(f.rc) ? ok() : Result<void>{Unexpected{errc::bad_field}};
}

static IucvSevered read_payload(Reader& r, Tag<IucvSevered>) noexcept {
    return {r.u32(), r.userid(), r.user_data()};
}
static void write_payload(Writer& w, const IucvSevered& f) noexcept {
    w.u32(f.path);
    w.userid(f.peer);
    w.user_data(f.user_data);
}
static Result<void> check_payload(const IucvSevered&) noexcept {
    return ok();
}

static IucvMessage read_payload(Reader& r, Tag<IucvMessage>) noexcept {
    return {r.u32(), r.u32(), r.boolean(), r.bytes()};
}
static void write_payload(Writer& w, const IucvMessage& f) noexcept {
    w.u32(f.path);
    w.u32(f.msgid);
    w.boolean(f.two_way);
    w.bytes(f.data);
}
static Result<void> check_payload(const IucvMessage& f) noexcept {
    return check_iucv(f.data);
}

static IucvReplyIn read_payload(Reader& r, Tag<IucvReplyIn>) noexcept {
    return {r.u32(), r.u32(), r.bytes()};
}
static void write_payload(Writer& w, const IucvReplyIn& f) noexcept {
    w.u32(f.path);
    w.u32(f.msgid);
    w.bytes(f.data);
}
static Result<void> check_payload(const IucvReplyIn& f) noexcept {
    return check_iucv(f.data);
}

static IucvQuiesced read_payload(Reader& r, Tag<IucvQuiesced>) noexcept {
    return {r.u32(), r.user_data()};
}
static void write_payload(Writer& w, const IucvQuiesced& f) noexcept {
    w.u32(f.path);
    w.user_data(f.user_data);
}
static Result<void> check_payload(const IucvQuiesced&) noexcept {
    return ok();
}

static IucvResumed read_payload(Reader& r, Tag<IucvResumed>) noexcept {
    return {r.u32(), r.user_data()};
}
static void write_payload(Writer& w, const IucvResumed& f) noexcept {
    w.u32(f.path);
    w.user_data(f.user_data);
}
static Result<void> check_payload(const IucvResumed&) noexcept {
    return ok();
}

static IucvSendFailed read_payload(Reader& r, Tag<IucvSendFailed>) noexcept {
    return {r.u32(), r.u32(), IucvRc{r.u16()}};
}
static void write_payload(Writer& w, const IucvSendFailed& f) noexcept {
    w.u32(f.path);
    w.u32(f.msgid);
    w.u16(static_cast<std::uint16_t>(f.rc));
}
static Result<void> check_payload(const IucvSendFailed& f) noexcept {
    return is_known(f.rc) ? ok() : Result<void>{Unexpected{errc::bad_field}};
}

// ---- public entry points -------------------------------------------------
Result<void> check_smsg_text(std::string_view text) noexcept {
    return wire::check_line(text, smsg_max_text);
}

Result<GuestFrame> decode_guest_frame(std::uint32_t type, Bytes payload) noexcept {
    return wire::decode_alternative<GuestFrame>(index_of(guest_types, type), payload);
}

Result<CpdFrame> decode_cpd_frame(std::uint32_t type, Bytes payload) noexcept {
    return wire::decode_alternative<CpdFrame>(index_of(cpd_types, type), payload);
}

RingFrameType frame_type(const GuestFrame& f) noexcept {
    return guest_types[f.index()];
}
RingFrameType frame_type(const CpdFrame& f) noexcept {
    return cpd_types[f.index()];
}

std::size_t encoded_size(const GuestFrame& f) noexcept {
    return wire::measure_variant(f);
}
std::size_t encoded_size(const CpdFrame& f) noexcept {
    return wire::measure_variant(f);
}

std::size_t encode(const GuestFrame& f, std::span<std::byte> out) noexcept {
    return wire::encode_variant(f, out);
}
std::size_t encode(const CpdFrame& f, std::span<std::byte> out) noexcept {
    return wire::encode_variant(f, out);
}

namespace {
/// Position of F among the alternatives of a variant.
template <class F, class... Ts> constexpr std::size_t position_in(const std::variant<Ts...>*) {
    constexpr std::array<bool, sizeof...(Ts)> same{std::is_same_v<F, Ts>...};
    for (std::size_t i = 0; i < same.size(); ++i) {
        if (same[i]) {
            return i;
        }
    }
    return same.size();
}
} // namespace

template <FrameStruct F> RingFrameType frame_type(const F&) noexcept {
    if constexpr (is_alternative_of<F, GuestFrame>::value) {
        return guest_types[position_in<F>(static_cast<const GuestFrame*>(nullptr))];
    } else {
        return cpd_types[position_in<F>(static_cast<const CpdFrame*>(nullptr))];
    }
}

template <FrameStruct F> std::size_t encoded_size(const F& f) noexcept {
    Writer w = Writer::measuring();
    write_payload(w, f);
    return w.size();
}

template <FrameStruct F> std::size_t encode(const F& f, std::span<std::byte> out) noexcept {
    Writer w{out};
    write_payload(w, f);
    return w.overflow() ? 0 : w.size();
}

template <FrameStruct F> Result<F> decode_as(Bytes payload) noexcept {
    return wire::decode_one<F>(payload);
}

template <FrameStruct F>
    requires is_alternative_of<F, CpdFrame>::value
Result<F> decode_as_trusted(Bytes payload) noexcept {
    wire::Reader r{payload};
    F f = read_payload(r, wire::Tag<F>{});
    if (const errc e = r.finish(); e != errc::ok) {
        return Unexpected{e};
    }
    return f;
}
template Result<SmsgDeliver> decode_as_trusted<SmsgDeliver>(Bytes) noexcept;

/// Reads the fixed fields of an IucvSend/IucvReply (everything but the data).
static void read_prefix(wire::Reader& r, IucvSend& f) noexcept {
    f.path = r.u32();
    f.msgid = r.u32();
    f.two_way = r.boolean();
}
static void read_prefix(wire::Reader& r, IucvReply& f) noexcept {
    f.path = r.u32();
    f.msgid = r.u32();
}

template <class F> Result<F> decode_iucv_split(Bytes prefix, Bytes data) noexcept {
    wire::Reader r{prefix};
    F f{};
    read_prefix(r, f);
    const std::uint32_t length = r.u32();
    if (const errc e = r.finish(); e != errc::ok) {
        return Unexpected{e};
    }
    if (length != data.size()) {
        return Unexpected{length > data.size() ? errc::truncated : errc::trailing_bytes};
    }
    f.data = data;
    if (auto c = check_payload(f); !c) {
        return Unexpected{c.error()};
    }
    return f;
}
template Result<IucvSend> decode_iucv_split<IucvSend>(Bytes, Bytes) noexcept;
template Result<IucvReply> decode_iucv_split<IucvReply>(Bytes, Bytes) noexcept;

// Explicit instantiations: the definitions above need this file's codec functions.
#define CPD_PROTO_INSTANTIATE(F)                                                                  \
    template RingFrameType frame_type<F>(const F&) noexcept;                                      \
    template std::size_t encoded_size<F>(const F&) noexcept;                                      \
    template std::size_t encode<F>(const F&, std::span<std::byte>) noexcept;                      \
    template Result<F> decode_as<F>(Bytes) noexcept;
CPD_PROTO_INSTANTIATE(SmsgSend)
CPD_PROTO_INSTANTIATE(SetSmsg)
CPD_PROTO_INSTANTIATE(LogoffRequest)
CPD_PROTO_INSTANTIATE(CpCommand)
CPD_PROTO_INSTANTIATE(ConsoleOutput)
CPD_PROTO_INSTANTIATE(ConsoleEnd)
CPD_PROTO_INSTANTIATE(HandlerPanic)
CPD_PROTO_INSTANTIATE(IucvConnect)
CPD_PROTO_INSTANTIATE(IucvAnswer)
CPD_PROTO_INSTANTIATE(IucvSever)
CPD_PROTO_INSTANTIATE(IucvSend)
CPD_PROTO_INSTANTIATE(IucvReply)
CPD_PROTO_INSTANTIATE(IucvQuiesce)
CPD_PROTO_INSTANTIATE(IucvResume)
CPD_PROTO_INSTANTIATE(SmsgDeliver)
CPD_PROTO_INSTANTIATE(CpMessage)
CPD_PROTO_INSTANTIATE(Logoff)
CPD_PROTO_INSTANTIATE(CpResponse)
CPD_PROTO_INSTANTIATE(ConsoleInput)
CPD_PROTO_INSTANTIATE(IucvPending)
CPD_PROTO_INSTANTIATE(IucvComplete)
CPD_PROTO_INSTANTIATE(IucvFailed)
CPD_PROTO_INSTANTIATE(IucvSevered)
CPD_PROTO_INSTANTIATE(IucvMessage)
CPD_PROTO_INSTANTIATE(IucvReplyIn)
CPD_PROTO_INSTANTIATE(IucvQuiesced)
CPD_PROTO_INSTANTIATE(IucvResumed)
CPD_PROTO_INSTANTIATE(IucvSendFailed)
CPD_PROTO_INSTANTIATE(DeviceChange)
CPD_PROTO_INSTANTIATE(MessageDeliver)
#undef CPD_PROTO_INSTANTIATE
static_assert(std::variant_size_v<GuestFrame> + std::variant_size_v<CpdFrame> == 30,
              "a new frame struct needs a CPD_PROTO_INSTANTIATE line above");

Result<void> validate(const GuestFrame& f) noexcept {
    return wire::validate_variant(f);
}
Result<void> validate(const CpdFrame& f) noexcept {
    return wire::validate_variant(f);
}

} // namespace cpd::proto
