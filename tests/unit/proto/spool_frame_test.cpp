// SPDX-License-Identifier: MIT
// The spool frames and the SENDFILE record format: round trips, the version
// byte, whole records only, bounds, every strict prefix refused, and a file
// (text and binary) through RecordPacker and RecordUnpacker unchanged.
#include "cpd/proto/sendfile_format.hpp"
#include "cpd/proto/ring_frame.hpp"
#include "cpd/proto/socket_frame.hpp"
#include "cpd/proto/spool_frame.hpp"

#include <doctest/doctest.h>

#include <random>
#include <string>

namespace proto = cpd::proto;

namespace {

std::vector<std::byte> stream_of(std::initializer_list<std::string> records) {
    std::vector<std::byte> s;
    for (const std::string& r : records) {
        proto::append_record(s, std::as_bytes(std::span(r)));
    }
    return s;
}

/// Packs `file` in pieces of `piece` bytes and unpacks it again.
std::string round_trip(const std::string& file, proto::SpoolFormat format, bool binary,
                       std::size_t piece) {
    proto::RecordPacker packer(format, binary, "FN", "FT", "A", file.size());
    std::vector<std::byte> stream;
    for (std::size_t at = 0; at < file.size() || at == 0; at += piece) {
        const bool last = at + piece >= file.size();
        packer.feed(std::string_view(file).substr(at, std::min(piece, file.size() - at)), last,
                    stream);
        if (last) {
            break;
        }
    }
    proto::RecordUnpacker unpacker;
    std::string out;
    proto::for_each_record(stream, [&](std::span<const std::byte> r) { unpacker.feed(r, out); });
    return out;
}

} // namespace

TEST_SUITE("proto.spool") {

    TEST_CASE("no spool frame type is also a ring or socket frame type") {
        // The spool's frames share the ring's and the socket's type ranges: a
        // number both decoders know would reach the wrong one (it happened
        // once, when MESSAGE and the spool were added side by side).
        const std::vector<std::byte> none;
        for (std::uint32_t t = 0; t <= 0xffff; ++t) {
            CAPTURE(t);
            if (proto::is_spool_ring_type(t)) {
                CHECK(proto::decode_guest_frame(t, none).error() == proto::errc::bad_type);
                CHECK(proto::decode_cpd_frame(t, none).error() == proto::errc::bad_type);
            }
            if (proto::is_spool_socket_type(t)) {
                const auto type = static_cast<std::uint16_t>(t);
                CHECK(proto::decode_client_frame(type, none).error() == proto::errc::bad_type);
                CHECK(proto::decode_server_frame(type, none).error() == proto::errc::bad_type);
            }
        }
    }

    TEST_CASE("every spool frame round-trips") {
        const auto records = stream_of({"one", "", std::string(80, 'x')});
        const auto wb = proto::encode(proto::SpoolWrite{0x000D, records}); // decoders view it
        const auto w = proto::decode_spool_write(wb);
        REQUIRE(w);
        CHECK(w->vdev == 0x000D);
        CHECK(std::equal(w->records.begin(), w->records.end(), records.begin(), records.end()));
        const auto r =
            proto::decode_spool_read(proto::encode(proto::SpoolRead{9, 1234, 1ull << 40}));
        REQUIRE(r);
        CHECK((r->tag == 9 && r->spoolid == 1234 && r->offset == (1ull << 40)));
        const auto db = proto::encode(proto::SpoolData{3, proto::CpRc::ok, 99, true, records});
        const auto d = proto::decode_spool_data(db);
        REQUIRE(d);
        CHECK((d->tag == 3 && d->next == 99 && d->eof && d->records.size() == records.size()));
        const auto ab = proto::encode(proto::ReaderFileArrived{
            12, *proto::Userid::parse("ALICE"), proto::SpoolDevice::pun, 'A', 4, true, "X Y"});
        const auto a = proto::decode_reader_file(ab);
        REQUIRE(a);
        CHECK((a->spoolid == 12 && a->from.str() == "ALICE" && a->spool_class == 'A' &&
               a->records == 4 && a->hold && a->name == "X Y"));
        CHECK(proto::count_records(records).value() == 3);
    }

    TEST_CASE("decoders refuse another version, partial records, oversize chunks, every prefix") {
        auto bytes = proto::encode(proto::SpoolWrite{0x000D, stream_of({"abc", "defg"})});
        for (std::size_t n = 0; n < bytes.size(); ++n) {
            CHECK_FALSE(proto::decode_spool_write(std::span(bytes).first(n)));
        }
        auto longer = bytes;
        longer.push_back(std::byte{0});
        CHECK_FALSE(proto::decode_spool_write(longer));
        bytes[0] = std::byte{2};
        CHECK(proto::decode_spool_write(bytes).error() == proto::errc::bad_version);
        std::vector<std::byte> partial = stream_of({"abc"});
        partial.pop_back();
        CHECK(
            proto::decode_spool_write(proto::encode(proto::SpoolWrite{0x000D, partial})).error() ==
            proto::errc::bad_length);
        std::vector<std::byte> huge;
        while (huge.size() <= proto::spool_chunk_max) {
            proto::append_record(huge, std::vector<std::byte>(60000));
        }
        CHECK(proto::decode_spool_write(proto::encode(proto::SpoolWrite{0x000D, huge})).error() ==
              proto::errc::data_too_long);
        CHECK_FALSE(proto::decode_spool_read(proto::encode(proto::SpoolRead{1, 10000, 0})));
        auto bad_rc = proto::encode(proto::SpoolData{1, proto::CpRc::ok, 0, true, {}});
        bad_rc[5] = std::byte{0xEE}; // rc 0x00EE is no CP return code
        CHECK_FALSE(proto::decode_spool_data(bad_rc));
    }

    TEST_CASE("random bytes never crash a decoder") {
        std::mt19937 rng(18);
        for (int i = 0; i < 20000; ++i) {
            std::vector<std::byte> b(rng() % 40);
            for (auto& x : b) {
                x = static_cast<std::byte>(rng());
            }
            if (!b.empty() && rng() % 2 == 0) {
                b[0] = std::byte{proto::spool_frame_version};
            }
            (void)proto::decode_spool_write(b);
            (void)proto::decode_spool_read(b);
            (void)proto::decode_spool_data(b);
            (void)proto::decode_reader_file(b);
        }
    }

    TEST_CASE("SENDFILE keeps a text file's lines and a binary file's bytes") {
        const std::string text = "line one\n  two  \n\nlast\n";
        for (std::size_t piece : {1u, 3u, 7u, 4096u}) {
            CHECK(round_trip(text, proto::SpoolFormat::sendfile, false, piece) == text);
        }
        std::string bin(100003, '\0');
        std::mt19937 rng(7);
        for (char& c : bin) {
            c = static_cast<char>(rng());
        }
        CHECK(round_trip(bin, proto::SpoolFormat::sendfile, true, 5000) == bin);
        proto::TextShape binary_shape;
        binary_shape.feed(bin);
        CHECK(binary_shape.binary());
        proto::TextShape text_shape;
        text_shape.feed(text);
        CHECK_FALSE(text_shape.binary());
    }

    TEST_CASE("TextShape: the longest line across pieces, and what makes a file binary") {
        proto::TextShape shape;
        shape.feed("ab\nabcd"); // a line open at the end of the piece...
        shape.feed("ef\n\nx");  // ...goes on in the next
        CHECK_FALSE(shape.binary());
        CHECK(shape.longest() == 6);
        proto::TextShape nul;
        nul.feed("text");
        nul.feed(std::string_view("a\0b", 3));
        CHECK(nul.binary());
        proto::TextShape too_long; // a record holds 65,535 bytes, not 65,536
        too_long.feed(std::string(proto::spool_record_max, 'x'));
        CHECK_FALSE(too_long.binary());
        too_long.feed("\n");
        too_long.feed(std::string(40000, 'y'));
        too_long.feed(std::string(30000, 'y'));
        CHECK(too_long.binary());
    }

    TEST_CASE("a punched deck: the :READ card names it, cards lose their padding") {
        proto::RecordPacker packer(proto::SpoolFormat::cards, false, "NOTES", "TEXT", "A", 0);
        std::vector<std::byte> stream;
        packer.feed("hello\n", true, stream);
        CHECK(packer.records() == 2);
        proto::RecordUnpacker u;
        std::string out;
        std::size_t n = 0;
        proto::for_each_record(stream, [&](std::span<const std::byte> r) {
            CHECK(r.size() == 80);
            ++n;
            u.feed(r, out);
        });
        CHECK(n == 2);
        CHECK(out == "hello\n");
        CHECK(u.fn() == "NOTES");
        CHECK(u.ft() == "TEXT");
    }
}
