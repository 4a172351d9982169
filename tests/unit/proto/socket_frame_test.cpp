// SPDX-License-Identifier: MIT
// Tests of the client<->cpd socket frame codec: the 8-byte header (version
// and length checks), round trips of every frame through append_frame, and
// that truncated, mutated or pseudo-random payloads never crash a decoder and,
// when accepted, validate and re-encode to exactly the header and payload they
// came from (the property the fuzzers in tests/fuzz check).
#include "cpd/proto/socket_frame.hpp"

#include "frame_samples.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace cpd::proto;
using namespace cpd::proto::test;

namespace {

using ByteSpan = std::span<const std::byte>;

Result<ClientFrame> decode(const ClientFrame&, std::uint16_t type, ByteSpan b) {
    return decode_client_frame(type, b);
}
Result<ServerFrame> decode(const ServerFrame&, std::uint16_t type, ByteSpan b) {
    return decode_server_frame(type, b);
}

/// A frame as it goes on the socket: header then payload.
template <class Frame> std::vector<std::byte> wire_of(const Frame& f) {
    std::vector<std::byte> out;
    append_frame(out, f);
    return out;
}

/// The payload part of a frame's wire form.
template <class Frame> std::vector<std::byte> payload_of(const Frame& f) {
    auto w = wire_of(f);
    return {w.begin() + socket_header_size, w.end()};
}

std::uint16_t type_of(const auto& f) {
    return static_cast<std::uint16_t>(frame_type(f));
}

/// Parses header and payload of `f`'s wire form and compares the re-encoding.
template <class Frame> void check_round_trip(const Frame& f) {
    CAPTURE(type_of(f));
    REQUIRE(validate(f));
    const auto w = wire_of(f);
    REQUIRE(w.size() >= socket_header_size);
    auto h = decode_socket_header(ByteSpan{w.data(), socket_header_size});
    REQUIRE(h);
    CHECK(h->version == socket_protocol_version);
    CHECK(h->type == type_of(f));
    REQUIRE(h->length == w.size() - socket_header_size);
    auto back = decode(f, h->type, ByteSpan{w}.subspan(socket_header_size));
    REQUIRE_MESSAGE(back, describe(back.error()));
    CHECK(back->index() == f.index());
    CHECK(wire_of(*back) == w);
}

template <class Frame> void check_truncations(const Frame& f) {
    const auto p = payload_of(f);
    for (std::size_t n = 0; n < p.size(); ++n) {
        CAPTURE(type_of(f));
        CAPTURE(n);
        CHECK(decode(f, type_of(f), ByteSpan{p.data(), n}).error() == errc::truncated);
    }
}

std::vector<std::uint16_t> all_types() {
    std::vector<std::uint16_t> t;
    for (const auto& f : client_samples())
        t.push_back(type_of(f));
    for (const auto& f : server_samples())
        t.push_back(type_of(f));
    return t;
}

std::vector<std::byte> header(std::uint32_t length, std::uint16_t version, std::uint16_t type) {
    std::vector<std::byte> h(socket_header_size);
    for (int i = 0; i < 4; ++i)
        h[i] = static_cast<std::byte>(length >> (8 * i));
    h[4] = static_cast<std::byte>(version);
    h[5] = static_cast<std::byte>(version >> 8);
    h[6] = static_cast<std::byte>(type);
    h[7] = static_cast<std::byte>(type >> 8);
    return h;
}

/// If `r` was accepted from `payload` under `type`: checks it validates and
/// append_frame writes exactly that header and payload; returns 1, else 0.
template <class Frame>
std::size_t check_accepted(const Result<Frame>& r, std::uint16_t type, ByteSpan payload) {
    if (!r) {
        return 0;
    }
    CAPTURE(type);
    CHECK(validate(*r));
    auto expected =
        header(static_cast<std::uint32_t>(payload.size()), socket_protocol_version, type);
    expected.insert(expected.end(), payload.begin(), payload.end());
    CHECK(wire_of(*r) == expected);
    return 1;
}

/// Decodes every single-byte mutation of `payload` under every type; any
/// accepted one must round-trip. Returns how many were accepted.
std::size_t mutate_all(std::vector<std::byte> payload, const std::vector<std::uint16_t>& types) {
    std::size_t accepted = 0;
    for (std::size_t i = 0; i < payload.size(); ++i) {
        CAPTURE(i);
        const std::byte orig = payload[i];
        for (unsigned v : {0x00u, 0x01u, 0x03u, 0x0Du, 0x20u, 0x61u, 0x80u, 0xFFu}) {
            payload[i] = static_cast<std::byte>(v);
            for (auto t : types) {
                accepted += check_accepted(decode_client_frame(t, payload), t, payload);
                accepted += check_accepted(decode_server_frame(t, payload), t, payload);
            }
        }
        payload[i] = orig;
    }
    return accepted;
}

} // namespace

TEST_SUITE("proto.socket_frame") {

    TEST_CASE("a header with our version and a bounded length decodes") {
        auto h = decode_socket_header(header(12, socket_protocol_version, 0x8001));
        REQUIRE(h);
        CHECK(h->length == 12);
        CHECK(h->version == socket_protocol_version);
        CHECK(h->type == 0x8001);
        CHECK(decode_socket_header(header(socket_max_payload, socket_protocol_version, 1)));
    }

    TEST_CASE("a header with another version is refused") {
        CHECK(decode_socket_header(header(0, 0, 1)).error() == errc::bad_version);
        CHECK(decode_socket_header(header(0, socket_protocol_version + 1, 1)).error() ==
              errc::bad_version);
        CHECK(decode_socket_header(header(0, 0xFFFF, 1)).error() == errc::bad_version);
    }

    TEST_CASE("a header announcing more than the maximum payload is refused") {
        CHECK(decode_socket_header(header(socket_max_payload + 1, socket_protocol_version, 1))
                  .error() == errc::bad_length);
        CHECK(decode_socket_header(header(0xFFFFFFFFu, socket_protocol_version, 1)).error() ==
              errc::bad_length);
    }

    TEST_CASE("a header of the wrong size is refused") {
        auto h = header(0, socket_protocol_version, 1);
        for (std::size_t n = 0; n < socket_header_size; ++n) {
            CHECK(decode_socket_header(ByteSpan{h.data(), n}).error() == errc::truncated);
        }
        h.push_back(std::byte{0});
        CHECK(decode_socket_header(h).error() == errc::trailing_bytes);
    }

    TEST_CASE("append_frame writes the header then the payload, after what is there") {
        std::vector<std::byte> out = to_bytes("xyz");
        append_frame(out, ClientFrame{ClientSmsgSend{uid("echo"), "hi"}});
        const auto expect = to_bytes(std::string_view{"xyz\x0E\x00\x00\x00\x03\x00\x02\x00"
                                                      "ECHO    \x02\x00\x00\x00hi",
                                                      3 + 8 + 14});
        CHECK(out == expect);
        append_frame(out, ServerFrame{ServerConsoleEnd{1, ConsoleMode::xedit}});
        CHECK(out.size() == expect.size() + socket_header_size + 5); // rc, then the mode byte
        CHECK(out.back() == std::byte{1});
    }

    TEST_CASE("every client frame type round-trips") {
        const auto samples = client_samples();
        CHECK(samples.size() == std::variant_size_v<ClientFrame>);
        for (std::size_t i = 0; i < samples.size(); ++i) {
            CHECK(samples[i].index() == i);
            check_round_trip(samples[i]);
        }
    }

    TEST_CASE("every server frame type round-trips") {
        const auto samples = server_samples();
        CHECK(samples.size() == std::variant_size_v<ServerFrame>);
        for (std::size_t i = 0; i < samples.size(); ++i) {
            CHECK(samples[i].index() == i);
            check_round_trip(samples[i]);
        }
    }

    TEST_CASE("decoded fields equal the encoded ones") {
        auto r = decode_client_frame(
            0x0004,
            payload_of(ClientFrame{
                ClientConsoleAttach{uid("cms"), AttachMode::observer, true, ReplayScope::unseen}}));
        REQUIRE(r);
        const auto& a = std::get<ClientConsoleAttach>(*r);
        CHECK(a.userid.str() == "CMS");
        CHECK(a.mode == AttachMode::observer);
        CHECK(a.logon);
        CHECK(a.replay == ReplayScope::unseen);
        auto s = decode_server_frame(
            0x8006, payload_of(ServerFrame{ServerConsoleSkipped{0x0102030405060708ull}}));
        REQUIRE(s);
        CHECK(std::get<ServerConsoleSkipped>(*s).lines == 0x0102030405060708ull);
    }

    TEST_CASE("smsg text of 236 bytes is accepted and 237 is refused") {
        const std::string ok(smsg_max_text, 's');
        const std::string over(smsg_max_text + 1, 's');
        check_round_trip(ClientFrame{ClientSmsgSend{uid("ECHO"), ok}});
        check_round_trip(ServerFrame{ServerSmsgEvent{uid("ECHO"), ok}});
        ClientFrame bad = ClientSmsgSend{uid("ECHO"), over};
        CHECK(validate(bad).error() == errc::text_too_long);
        CHECK(decode_client_frame(0x0002, payload_of(bad)).error() == errc::text_too_long);
        ServerFrame bad_event = ServerSmsgEvent{uid("ECHO"), over};
        CHECK(decode_server_frame(0x8002, payload_of(bad_event)).error() == errc::text_too_long);
    }

    TEST_CASE("texts are held to their limits and forbidden bytes") {
        const std::string cmd(cp_command_max, 'c');
        const std::string cmd_over = cmd + "c";
        CHECK(validate(ClientFrame{ClientCpCommand{cmd}}));
        CHECK(validate(ClientFrame{ClientCpCommand{cmd_over}}).error() == errc::text_too_long);
        CHECK(validate(ClientFrame{ClientConsoleCp{cmd_over}}).error() == errc::text_too_long);
        CHECK(validate(ClientFrame{ClientCpCommand{"Q\nN"}}).error() == errc::bad_text);
        CHECK(validate(ClientFrame{ClientConsoleInput{"a\rb"}}).error() == errc::bad_text);
        CHECK(validate(ServerFrame{ServerConsoleOutput{std::string_view{"\0", 1}}}).error() ==
              errc::bad_text);
        const std::string line_over(console_max_line + 1, 'l');
        CHECK(validate(ServerFrame{ServerConsoleOutput{line_over}}).error() == errc::text_too_long);
        CHECK(validate(ServerFrame{ServerCpResponse{CpRc::ok, "a\nb"}}));
        const std::string resp_over(cp_response_max + 1, 'r');
        ServerFrame big = ServerCpResponse{CpRc::ok, resp_over};
        CHECK(decode_server_frame(0x8001, payload_of(big)).error() == errc::text_too_long);
    }

    TEST_CASE("enums and bools out of range are refused") {
        auto attach =
            payload_of(ClientFrame{ClientConsoleAttach{uid("A"), AttachMode::writer, false}});
        attach[8] = std::byte{3};
        CHECK(decode_client_frame(0x0004, attach).error() == errc::bad_field);
        attach[8] = std::byte{2};
        attach[9] = std::byte{2};
        CHECK(decode_client_frame(0x0004, attach).error() == errc::bad_field);
        attach[9] = std::byte{1};
        attach[10] = std::byte{3}; // no ReplayScope 3
        CHECK(decode_client_frame(0x0004, attach).error() == errc::bad_field);
        attach[10] = std::byte{2};
        CHECK(decode_client_frame(0x0004, attach));
        CHECK(validate(ServerFrame{ServerConsoleAttached{uid("A"), ConsoleRole{2}}}).error() ==
              errc::bad_field);
        CHECK(validate(ServerFrame{ServerConsoleRole{ConsoleRole{2}, "X"}}).error() ==
              errc::bad_field);
        CHECK(validate(ServerFrame{ServerConsoleClosed{CloseReason{4}, ""}}).error() ==
              errc::bad_field);
        CHECK(validate(ServerFrame{ServerError{CpRc{1000}, ""}}).error() == errc::bad_field);
        auto resp = payload_of(ServerFrame{ServerCpResponse{CpRc::ok, ""}});
        resp[0] = std::byte{5};
        CHECK(decode_server_frame(0x8001, resp).error() == errc::bad_field);
    }

    TEST_CASE("unknown and wrong-direction frame types are refused") {
        const std::vector<std::byte> empty;
        CHECK(decode_client_frame(0x0003, empty));
        CHECK(decode_client_frame(0x0000, empty).error() == errc::bad_type);
        CHECK(decode_client_frame(0x0008, empty).error() == errc::bad_type);
        CHECK(decode_client_frame(0x8005, empty).error() == errc::bad_type);
        CHECK(decode_server_frame(0x0003, empty).error() == errc::bad_type);
        CHECK(decode_server_frame(0x800A, empty).error() == errc::bad_type);
    }

    TEST_CASE("every truncation of every valid payload is refused") {
        for (const auto& f : client_samples())
            check_truncations(f);
        for (const auto& f : server_samples())
            check_truncations(f);
    }

    TEST_CASE("a trailing byte after any valid payload is refused") {
        for (const auto& f : client_samples()) {
            auto p = payload_of(f);
            p.push_back(std::byte{'x'});
            CHECK(decode_client_frame(type_of(f), p).error() == errc::trailing_bytes);
        }
        for (const auto& f : server_samples()) {
            auto p = payload_of(f);
            p.push_back(std::byte{'x'});
            CHECK(decode_server_frame(type_of(f), p).error() == errc::trailing_bytes);
        }
    }

    TEST_CASE(
        "every single-byte mutation is refused or decodes to a frame of exactly those bytes") {
        const auto types = all_types();
        std::size_t accepted = 0;
        for (const auto& f : client_samples())
            accepted += mutate_all(payload_of(f), types);
        for (const auto& f : server_samples())
            accepted += mutate_all(payload_of(f), types);
        CHECK(accepted > 0);
    }

    TEST_CASE("pseudo-random byte strings never crash a decoder and round-trip if accepted") {
        const auto types = all_types();
        const auto clients = client_samples();
        Rng rng{0x5EED};
        std::vector<std::byte> buf;
        std::size_t accepted = 0;
        for (int i = 0; i < 80000; ++i) {
            if (rng.below(2) == 0) {
                buf = payload_of(clients[rng.below(clients.size())]);
                for (std::size_t k = rng.below(4); k-- > 0 && !buf.empty();) {
                    buf[rng.below(buf.size())] = rng.byte();
                }
            } else {
                buf.resize(rng.below(rng.below(8) == 0 ? 300 : 40));
                for (auto& b : buf)
                    b = rng.byte();
            }
            const auto type = rng.below(8) == 0 ? static_cast<std::uint16_t>(rng.next())
                                                : types[rng.below(types.size())];
            accepted += check_accepted(decode_client_frame(type, buf), type, buf);
            accepted += check_accepted(decode_server_frame(type, buf), type, buf);
            if (buf.size() >= socket_header_size) {
                (void)decode_socket_header(ByteSpan{buf.data(), socket_header_size});
            }
        }
        MESSAGE("accepted " << accepted << " of 160000 decodes");
        CHECK(accepted > 0);
    }

} // TEST_SUITE
