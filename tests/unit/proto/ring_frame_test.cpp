// SPDX-License-Identifier: MIT
// Tests of the guest<->cpd ring frame codec: round trips of every frame type,
// the pinned byte layout, CP limits, and that no byte string - truncated,
// mutated or pseudo-random - makes a decoder crash or accept garbage: what a
// decoder accepts must validate and re-encode to exactly the bytes it read
// (the property the fuzzers in tests/fuzz check).
#include "cpd/proto/ring_frame.hpp"
#include "cpd/proto/ring_layout.hpp"

#include "frame_samples.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace cpd::proto;
using namespace cpd::proto::test;

namespace {

template <class Frame> std::vector<std::byte> encode_vec(const Frame& f) {
    std::vector<std::byte> out(encoded_size(f));
    const std::size_t n = encode(f, out);
    REQUIRE(n == out.size());
    return out;
}

Result<GuestFrame> decode(const GuestFrame&, std::uint32_t type, Bytes b) {
    return decode_guest_frame(type, b);
}
Result<CpdFrame> decode(const CpdFrame&, std::uint32_t type, Bytes b) {
    return decode_cpd_frame(type, b);
}

std::uint32_t type_of(const auto& f) {
    return static_cast<std::uint32_t>(frame_type(f));
}

/// Decodes `f`'s encoding and checks the result re-encodes to the same bytes.
template <class Frame> void check_round_trip(const Frame& f) {
    CAPTURE(type_of(f));
    REQUIRE(validate(f));
    const auto bytes = encode_vec(f);
    auto back = decode(f, type_of(f), bytes);
    REQUIRE_MESSAGE(back, describe(back.error()));
    CHECK(back->index() == f.index());
    CHECK(frame_type(*back) == frame_type(f));
    CHECK(encode_vec(*back) == bytes);
}

/// Every strict prefix of `f`'s encoding is refused as truncated.
template <class Frame> void check_truncations(const Frame& f) {
    const auto bytes = encode_vec(f);
    for (std::size_t n = 0; n < bytes.size(); ++n) {
        CAPTURE(type_of(f));
        CAPTURE(n);
        auto r = decode(f, type_of(f), Bytes{bytes.data(), n});
        CHECK(r.error() == errc::truncated);
    }
}

/// If `r` was accepted from `bytes` under `type`: checks it is a frame of that
/// type that validates and re-encodes to exactly `bytes`; returns 1, else 0.
template <class Frame>
std::size_t check_accepted(const Result<Frame>& r, std::uint32_t type, Bytes bytes) {
    if (!r) {
        return 0;
    }
    CAPTURE(type);
    CHECK(type_of(*r) == type);
    CHECK(validate(*r));
    CHECK(encode_vec(*r) == std::vector<std::byte>(bytes.begin(), bytes.end()));
    return 1;
}

/// Decodes every single-byte mutation of `f`'s encoding under every type; any
/// accepted one must round-trip. Returns how many were accepted.
template <class Frame>
std::size_t mutate_all(const Frame& f, const std::vector<std::uint32_t>& types) {
    auto bytes = encode_vec(f);
    std::size_t accepted = 0;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        CAPTURE(i);
        const std::byte orig = bytes[i];
        for (unsigned v : {0x00u, 0x01u, 0x02u, 0x0Au, 0x20u, 0x7Fu, 0x80u, 0xFEu, 0xFFu}) {
            bytes[i] = static_cast<std::byte>(v);
            for (auto t : types) {
                accepted += check_accepted(decode_guest_frame(t, bytes), t, bytes);
                accepted += check_accepted(decode_cpd_frame(t, bytes), t, bytes);
            }
        }
        bytes[i] = orig;
    }
    return accepted;
}

/// The frame-struct forms (no variant) agree with the variant forms on the
/// sample `v`: record type, size, bytes, and decode_as under the same type.
template <class Variant> void check_struct_forms(const Variant& v) {
    std::visit(
        [&v](const auto& f) {
            using F = std::decay_t<decltype(f)>;
            CHECK(frame_type(f) == frame_type(v));
            CHECK(encoded_size(f) == encoded_size(v));
            std::vector<std::byte> bytes(encoded_size(f));
            CHECK(encode(f, bytes) == bytes.size());
            CHECK(bytes == encode_vec(v));
            const Result<F> back = decode_as<F>(bytes);
            REQUIRE(back);
            std::vector<std::byte> again(encoded_size(*back));
            encode(*back, again);
            CHECK(again == bytes);
            if (!bytes.empty()) { // the struct decoders refuse what the variant ones refuse
                CHECK_FALSE(decode_as<F>(std::span(bytes).first(bytes.size() - 1)));
            }
        },
        v);
}

std::vector<std::uint32_t> all_types() {
    std::vector<std::uint32_t> t;
    for (const auto& f : guest_samples())
        t.push_back(type_of(f));
    for (const auto& f : cpd_samples())
        t.push_back(type_of(f));
    return t;
}

} // namespace

TEST_SUITE("proto.ring_frame") {

    TEST_CASE("every guest frame type round-trips") {
        const auto samples = guest_samples();
        CHECK(samples.size() == std::variant_size_v<GuestFrame>);
        for (std::size_t i = 0; i < samples.size(); ++i) {
            CHECK(samples[i].index() == i);
            check_round_trip(samples[i]);
        }
    }

    TEST_CASE("every cpd frame type round-trips") {
        const auto samples = cpd_samples();
        CHECK(samples.size() == std::variant_size_v<CpdFrame>);
        for (std::size_t i = 0; i < samples.size(); ++i) {
            CHECK(samples[i].index() == i);
            check_round_trip(samples[i]);
        }
    }

    TEST_CASE("the frame-struct codec agrees with the variant codec for every type") {
        for (const auto& f : guest_samples()) {
            check_struct_forms(f);
        }
        for (const auto& f : cpd_samples()) {
            check_struct_forms(f);
        }
        std::vector<std::byte> small(3);
        CHECK(encode(SmsgDeliver{uid("ALICE"), "hi"}, small) == 0); // too small: nothing
    }

    TEST_CASE("decoded fields equal the encoded ones") {
        const auto data = sample_data();
        GuestFrame f = IucvSend{0x01020304u, 0xA0B0C0D0u, true, data};
        const auto wire = encode_vec(f); // decoded views point into it
        auto r = decode_guest_frame(type_of(f), wire);
        REQUIRE(r);
        const auto& s = std::get<IucvSend>(*r);
        CHECK(s.path == 0x01020304u);
        CHECK(s.msgid == 0xA0B0C0D0u);
        CHECK(s.two_way);
        CHECK(std::vector<std::byte>(s.data.begin(), s.data.end()) == data);

        CpdFrame c = IucvComplete{9, uid("peer"), 300, user_data(0x40)};
        auto rc = decode_cpd_frame(type_of(c), encode_vec(c));
        REQUIRE(rc);
        const auto& k = std::get<IucvComplete>(*rc);
        CHECK(k.path == 9);
        CHECK(k.peer.str() == "PEER");
        CHECK(k.msglimit == 300);
        CHECK(k.user_data == user_data(0x40));
    }

    TEST_CASE("the wire layout is little-endian with a padded userid and a length-prefixed text") {
        const auto bytes = encode_vec(GuestFrame{SmsgSend{uid("ECHO"), "hi"}});
        CHECK(bytes == to_bytes(std::string_view{"ECHO    \x02\x00\x00\x00hi", 14}));
        const auto end = encode_vec(GuestFrame{ConsoleEnd{-2}});
        CHECK(end == to_bytes(std::string_view{"\xFE\xFF\xFF\xFF\x00", 5}));
        const auto xedit = encode_vec(GuestFrame{ConsoleEnd{0, ConsoleMode::xedit_input}});
        CHECK(xedit == to_bytes(std::string_view{"\x00\x00\x00\x00\x02", 5}));
        const auto unknown_mode = to_bytes(std::string_view{"\x00\x00\x00\x00\x04", 5});
        CHECK(decode_guest_frame(type_of(GuestFrame{ConsoleEnd{0}}), unknown_mode).error() ==
              errc::bad_field);
        CHECK(type_of(GuestFrame{SmsgSend{uid("A"), ""}}) == 0x0101);
        CHECK(type_of(CpdFrame{IucvSendFailed{}}) == 0x0218);
        CHECK(type_of(CpdFrame{DeviceChange{}}) == 0x0220);
        CHECK(type_of(CpdFrame{MessageDeliver{uid("A"), MessageKind::msg, 0, ""}}) == 0x0230);
        const auto msg =
            encode_vec(CpdFrame{MessageDeliver{uid("BOB"), MessageKind::msg, 0x0102, "yo"}});
        CHECK(msg == to_bytes(std::string_view{
                         "BOB     \x00\x02\x01\x00\x00\x00\x00\x00\x00\x02\x00\x00\x00yo", 23}));
    }

    TEST_CASE("a message of an unknown kind or with a line break is refused") {
        auto m = encode_vec(CpdFrame{MessageDeliver{uid("BOB"), MessageKind::imsg, 1, "x"}});
        CHECK(decode_cpd_frame(0x0230, m));
        m[8] = std::byte{5}; // MessageKind 5 is not an enumerator
        CHECK(decode_cpd_frame(0x0230, m).error() == errc::bad_field);
        CHECK(validate(CpdFrame{MessageDeliver{uid("BOB"), MessageKind::msg, 1, "a\nb"}}).error() ==
              errc::bad_text);
        CHECK(decode_guest_frame(0x0230, m).error() == errc::bad_type);
    }

    TEST_CASE("smsg text of 236 bytes is accepted and 237 is refused") {
        const std::string ok(smsg_max_text, 'x');
        const std::string too_long(smsg_max_text + 1, 'x');
        CHECK(check_smsg_text(ok));
        CHECK(check_smsg_text(too_long).error() == errc::text_too_long);
        check_round_trip(GuestFrame{SmsgSend{uid("ECHO"), ok}});
        check_round_trip(CpdFrame{SmsgDeliver{uid("ECHO"), ok}});

        GuestFrame bad = SmsgSend{uid("ECHO"), too_long};
        CHECK(validate(bad).error() == errc::text_too_long);
        CHECK(decode_guest_frame(type_of(bad), encode_vec(bad)).error() == errc::text_too_long);
        CpdFrame bad_in = SmsgDeliver{uid("ECHO"), too_long};
        CHECK(decode_cpd_frame(type_of(bad_in), encode_vec(bad_in)).error() == errc::text_too_long);
    }

    TEST_CASE("smsg text is counted in bytes, not characters") {
        std::string euro;
        for (int i = 0; i < 78; ++i)
            euro += "\xE2\x82\xAC"; // 234 bytes
        CHECK(check_smsg_text(euro));
        CHECK(check_smsg_text(euro + "\xE2\x82\xAC").error() == errc::text_too_long);
    }

    TEST_CASE("single-line texts refuse NUL, CR and LF") {
        for (std::string_view t :
             {std::string_view{"a\0b", 3}, std::string_view{"a\rb"}, std::string_view{"a\nb"}}) {
            CHECK(check_smsg_text(t).error() == errc::bad_text);
            GuestFrame f = ConsoleOutput{t};
            CHECK(validate(f).error() == errc::bad_text);
            CHECK(decode_guest_frame(type_of(f), encode_vec(f)).error() == errc::bad_text);
            CHECK(validate(GuestFrame{CpCommand{1, t}}).error() == errc::bad_text);
            CHECK(validate(CpdFrame{ConsoleInput{t}}).error() == errc::bad_text);
            CHECK(validate(CpdFrame{CpMessage{t}}).error() == errc::bad_text);
        }
        CHECK(validate(CpdFrame{CpResponse{1, CpRc::ok, "a\nb"}}));
        CHECK(validate(CpdFrame{CpResponse{1, CpRc::ok, std::string_view{"a\0b", 3}}}).error() ==
              errc::bad_text);
    }

    TEST_CASE("a NUL, CR or LF is found at every position of every length") {
        // The check runs 16, then 8, then 1 byte at a time: each tail matters.
        for (std::size_t size = 1; size <= smsg_max_text; ++size) {
            std::string text(size, 'x');
            REQUIRE(check_smsg_text(text));
            for (std::size_t at = 0; at < size; ++at) {
                for (char bad : {'\0', '\r', '\n'}) {
                    text[at] = bad;
                    CHECK(check_smsg_text(text).error() == errc::bad_text);
                }
                text[at] = static_cast<char>(0x8D); // a byte whose low bits match CR: allowed
                CHECK(check_smsg_text(text));
                text[at] = 'x';
            }
        }
    }

    TEST_CASE("a trusted SMSG decode checks the layout but not the text") {
        const std::string text = "from cpd";
        const auto bytes = encode_vec(SmsgDeliver{uid("ECHO"), text});
        auto f = decode_as_trusted<SmsgDeliver>(bytes);
        REQUIRE(f);
        CHECK(f->from == uid("ECHO"));
        CHECK(f->text == text);
        // The text rule is cpd's to enforce: a CR passes here, not in decode_as.
        const auto with_cr = encode_vec(SmsgDeliver{uid("ECHO"), "a\rb"});
        CHECK(decode_as_trusted<SmsgDeliver>(with_cr));
        CHECK(decode_as<SmsgDeliver>(with_cr).error() == errc::bad_text);
        // Lengths and the userid are still checked.
        const std::span<const std::byte> all(bytes);
        CHECK(decode_as_trusted<SmsgDeliver>(all.first(all.size() - 1)).error() == errc::truncated);
        auto longer = bytes;
        longer.push_back(std::byte{0});
        CHECK(decode_as_trusted<SmsgDeliver>(longer).error() == errc::trailing_bytes);
        auto bad_id = bytes;
        bad_id[0] = std::byte{'a'};
        CHECK(decode_as_trusted<SmsgDeliver>(bad_id).error() == errc::bad_userid);
    }

    TEST_CASE("console lines, commands and responses are held to their limits") {
        const std::string line(console_max_line, 'l');
        CHECK(validate(GuestFrame{ConsoleOutput{line}}));
        CHECK(validate(GuestFrame{ConsoleOutput{line + "l"}}).error() == errc::text_too_long);
        CHECK(validate(CpdFrame{ConsoleInput{line + "l"}}).error() == errc::text_too_long);
        const std::string cmd(cp_command_max, 'c');
        CHECK(validate(GuestFrame{CpCommand{1, cmd}}));
        CHECK(validate(GuestFrame{CpCommand{1, cmd + "c"}}).error() == errc::text_too_long);
        const std::string resp(cp_response_max, 'r');
        check_round_trip(CpdFrame{CpResponse{1, CpRc::ok, resp}});
        const std::string resp_over = resp + "r";
        CpdFrame big = CpResponse{1, CpRc::ok, resp_over};
        CHECK(decode_cpd_frame(type_of(big), encode_vec(big)).error() == errc::text_too_long);
    }

    TEST_CASE("iucv data of 65535 bytes is accepted and 65536 is refused") {
        const std::vector<std::byte> max(iucv_max_data, std::byte{0xAB});
        const std::vector<std::byte> over(iucv_max_data + 1, std::byte{0xAB});
        check_round_trip(GuestFrame{IucvSend{1, 2, false, max}});
        check_round_trip(GuestFrame{IucvReply{1, 2, max}});
        check_round_trip(CpdFrame{IucvMessage{1, 2, true, max}});
        check_round_trip(CpdFrame{IucvReplyIn{1, 2, max}});
        for (GuestFrame f :
             {GuestFrame{IucvSend{1, 2, false, over}}, GuestFrame{IucvReply{1, 2, over}}}) {
            CHECK(validate(f).error() == errc::data_too_long);
            CHECK(decode_guest_frame(type_of(f), encode_vec(f)).error() == errc::data_too_long);
        }
        for (CpdFrame f :
             {CpdFrame{IucvMessage{1, 2, true, over}}, CpdFrame{IucvReplyIn{1, 2, over}}}) {
            CHECK(validate(f).error() == errc::data_too_long);
            CHECK(decode_cpd_frame(type_of(f), encode_vec(f)).error() == errc::data_too_long);
        }
    }

    TEST_CASE("every truncation of every valid encoding is refused") {
        for (const auto& f : guest_samples())
            check_truncations(f);
        for (const auto& f : cpd_samples())
            check_truncations(f);
    }

    TEST_CASE("a trailing byte after any valid encoding is refused") {
        for (const auto& f : guest_samples()) {
            auto b = encode_vec(f);
            b.push_back(std::byte{0});
            CHECK(decode_guest_frame(type_of(f), b).error() == errc::trailing_bytes);
        }
        for (const auto& f : cpd_samples()) {
            auto b = encode_vec(f);
            b.push_back(std::byte{0});
            CHECK(decode_cpd_frame(type_of(f), b).error() == errc::trailing_bytes);
        }
    }

    TEST_CASE("unknown and wrong-direction frame types are refused") {
        const auto b = encode_vec(GuestFrame{LogoffRequest{}});
        CHECK(decode_guest_frame(0, b).error() == errc::bad_type);
        CHECK(decode_guest_frame(0x0117, b).error() == errc::bad_type);
        CHECK(decode_guest_frame(record_pad, b).error() == errc::bad_type);
        CHECK(decode_guest_frame(0x0203, b).error() == errc::bad_type);
        CHECK(decode_cpd_frame(0x0103, b).error() == errc::bad_type);
    }

    TEST_CASE("bools, enums and userids out of range are refused") {
        CHECK(decode_guest_frame(0x0102, to_bytes("\x02")).error() == errc::bad_field);
        CHECK(decode_guest_frame(0x0102, to_bytes("\x01")));
        CHECK(decode_cpd_frame(0x0203, to_bytes("\x03")).error() == errc::bad_field);
        CHECK(validate(CpdFrame{Logoff{LogoffReason{7}}}).error() == errc::bad_field);

        auto resp = encode_vec(CpdFrame{CpResponse{1, CpRc::ok, ""}});
        resp[4] = std::byte{4}; // CpRc 4 is not an enumerator
        CHECK(decode_cpd_frame(0x0204, resp).error() == errc::bad_field);
        resp[4] = std::byte{45};
        CHECK(decode_cpd_frame(0x0204, resp));

        auto failed = encode_vec(CpdFrame{IucvFailed{1, IucvRc::ok}});
        failed[4] = std::byte{5};
        CHECK(decode_cpd_frame(0x0212, failed).error() == errc::bad_field);
        CHECK(validate(CpdFrame{IucvSendFailed{1, 1, IucvRc{99}}}).error() == errc::bad_field);

        auto smsg = encode_vec(GuestFrame{SmsgSend{uid("ECHO"), "x"}});
        smsg[0] = std::byte{'e'};
        CHECK(decode_guest_frame(0x0101, smsg).error() == errc::bad_userid);
        smsg[0] = std::byte{' '};
        CHECK(decode_guest_frame(0x0101, smsg).error() == errc::bad_userid);
    }

    TEST_CASE("a length field larger than the bytes present is refused") {
        auto b = encode_vec(GuestFrame{ConsoleOutput{"abc"}});
        b[0] = std::byte{0xFF};
        b[3] = std::byte{0xFF};
        CHECK(decode_guest_frame(0x0105, b).error() == errc::truncated);
    }

    TEST_CASE("encode refuses a buffer that is too small and reports the size") {
        for (const auto& f : guest_samples()) {
            const std::size_t need = encoded_size(f);
            std::vector<std::byte> out(need + 4, std::byte{0x5A});
            for (std::size_t n = 0; n < need; ++n) {
                CHECK(encode(f, std::span{out.data(), n}) == 0);
            }
            CHECK(out[need] == std::byte{0x5A});
            CHECK(encode(f, out) == need);
            CHECK(out[need] == std::byte{0x5A});
        }
    }

    TEST_CASE(
        "every single-byte mutation is refused or decodes to a frame of exactly those bytes") {
        const auto types = all_types();
        std::size_t accepted = 0;
        for (const auto& f : guest_samples())
            accepted += mutate_all(f, types);
        for (const auto& f : cpd_samples())
            accepted += mutate_all(f, types);
        // Some mutations are still valid frames (a changed path id); many are not.
        CHECK(accepted > 0);
    }

    TEST_CASE("pseudo-random byte strings never crash a decoder and round-trip if accepted") {
        const auto types = all_types();
        const auto guest = guest_samples();
        Rng rng{0xC0FFEE};
        std::vector<std::byte> buf;
        std::size_t accepted = 0;
        for (int i = 0; i < 120000; ++i) {
            if (rng.below(2) == 0) { // structured: a valid encoding with a few bytes changed
                buf = encode_vec(guest[rng.below(guest.size())]);
                for (std::size_t k = rng.below(4); k-- > 0 && !buf.empty();) {
                    buf[rng.below(buf.size())] = rng.byte();
                }
                if (!buf.empty() && rng.below(4) == 0)
                    buf.resize(rng.below(buf.size()));
            } else { // raw: random length, random bytes
                buf.resize(rng.below(rng.below(8) == 0 ? 300 : 40));
                for (auto& b : buf)
                    b = rng.byte();
            }
            const std::uint32_t type = rng.below(8) == 0 ? static_cast<std::uint32_t>(rng.next())
                                                         : types[rng.below(types.size())];
            accepted += check_accepted(decode_guest_frame(type, buf), type, buf);
            accepted += check_accepted(decode_cpd_frame(type, buf), type, buf);
        }
        MESSAGE("accepted " << accepted << " of 240000 decodes");
        CHECK(accepted > 0);
    }

} // TEST_SUITE
