// SPDX-License-Identifier: MIT
// NETDATA: a text file and a binary one through NetdataPacker (in pieces of
// any size) come back unchanged through RecordUnpacker with their name and
// type; every card is 80 bytes; the first card is recognized as NETDATA and
// a deck of cpd's own format is not; segments that do not parse stop the
// reader instead of reading past them, and a control record too short for
// its keys is read safely.
#include "cpd/proto/netdata.hpp"
#include "cpd/proto/sendfile_format.hpp"
#include "cpd/proto/spool_frame.hpp"

#include <doctest/doctest.h>

#include <random>
#include <string>

namespace proto = cpd::proto;

namespace {

proto::NetdataHeader header(bool binary, std::uint64_t bytes) {
    proto::NetdataHeader h;
    h.from = "ALICE";
    h.to = "BOB";
    h.time = "20261206120000";
    h.fn = "PROFILE";
    h.ft = "EXEC";
    h.binary = binary;
    h.lrecl = 80;
    h.bytes = bytes;
    return h;
}

/// The cards of `file` packed in pieces of `piece` bytes.
std::vector<std::byte> pack(const std::string& file, bool binary, std::size_t piece) {
    proto::RecordPacker packer(header(binary, file.size()));
    std::vector<std::byte> stream;
    for (std::size_t at = 0;; at += piece) {
        const bool last = at + piece >= file.size();
        packer.feed(std::string_view(file).substr(at, std::min(piece, file.size() - at)), last,
                    stream);
        if (last) {
            return stream;
        }
    }
}

} // namespace

TEST_SUITE("proto.netdata") {

    TEST_CASE("a text file and a binary file come back unchanged, with name and type") {
        std::string binary(100'000, '\0');
        std::mt19937 rng(7);
        for (char& c : binary) {
            c = static_cast<char>(rng());
        }
        const std::string text = "/* REXX */\n  say 'hello'  \n\nexit 0\n";
        for (std::size_t piece : {1u, 7u, 80u, 4096u, 1u << 20}) {
            CAPTURE(piece);
            for (const auto& [file, is_binary] :
                 {std::pair{text, false}, std::pair{binary, true}}) {
                const std::vector<std::byte> cards = pack(file, is_binary, piece);
                std::size_t n = 0;
                bool first = true;
                proto::RecordUnpacker u;
                std::string out;
                proto::for_each_record(cards, [&](std::span<const std::byte> r) {
                    CHECK(r.size() == 80);
                    if (first) {
                        CHECK(proto::is_netdata(r));
                        first = false;
                    }
                    u.feed(r, out);
                    ++n;
                });
                CHECK(n > 0);
                CHECK(u.netdata());
                CHECK_FALSE(u.damaged());
                CHECK(u.sendfile());
                CHECK(u.fn() == "PROFILE");
                CHECK(u.ft() == "EXEC");
                CHECK(u.binary() == is_binary);
                CHECK(out == file);
            }
        }
    }

    TEST_CASE("only a NETDATA control segment is recognized") {
        proto::RecordPacker old(proto::SpoolFormat::sendfile, false, "A", "B", "A", 3);
        std::vector<std::byte> stream;
        old.feed("x\n", true, stream);
        std::span<const std::byte> first;
        proto::for_each_record(stream, [&](std::span<const std::byte> r) {
            if (first.empty()) {
                first = r;
            }
        });
        REQUIRE_FALSE(first.empty());
        CHECK_FALSE(proto::is_netdata(first)); // the :CPDSF record that starts the file
        CHECK_FALSE(proto::is_netdata({}));
    }

    TEST_CASE("a NETDATA file cut short is damaged, so RECEIVE and vmur refuse it") {
        std::string file;
        for (int i = 0; i < 200; ++i) {
            file += "line " + std::to_string(i) + "\n";
        }
        const std::vector<std::byte> cards = pack(file, false, 1000);
        std::vector<std::span<const std::byte>> records;
        proto::for_each_record(cards, [&](std::span<const std::byte> r) { records.push_back(r); });
        REQUIRE(records.size() > 3);
        proto::RecordUnpacker cut;
        std::string out;
        for (std::size_t i = 0; i + 2 < records.size(); ++i) { // INMR06 never comes
            cut.feed(records[i], out);
        }
        CHECK(cut.netdata());
        CHECK(cut.damaged());
        proto::RecordUnpacker whole;
        for (const auto& r : records) {
            whole.feed(r, out);
        }
        CHECK_FALSE(whole.damaged());
    }

    TEST_CASE("a broken segment stops the reader") {
        std::vector<std::byte> cards = pack("line\n", false, 100);
        std::vector<std::byte> bad(cards.begin() + 2, cards.begin() + 82); // the first card
        bad[80 - 1] = std::byte{0};
        proto::NetdataReader r;
        std::string out;
        std::vector<std::byte> zero(80, std::byte{0}); // a zero length byte
        r.feed(bad, out);
        r.feed(zero, out);
        CHECK(r.broken());
        CHECK_FALSE(r.done());
        CHECK(out.empty());
    }

    TEST_CASE("a control record too short for its keys is read as having none") {
        // Found by fuzz_spool_frame: an INMR02 of 6 to 9 bytes made the key loop
        // start past the record's end. Segment: length, flags (first, last,
        // control), then "INMR02" in EBCDIC and up to 3 more bytes.
        for (std::size_t extra = 0; extra <= 4; ++extra) {
            CAPTURE(extra);
            std::vector<std::byte> card{std::byte(static_cast<unsigned char>(2 + 6 + extra)),
                                        std::byte{0xE0}};
            for (int c : {0xC9, 0xD5, 0xD4, 0xD9, 0xF0, 0xF2}) {
                card.push_back(static_cast<std::byte>(c));
            }
            card.resize(card.size() + extra, std::byte{0xFF});
            proto::NetdataReader r;
            std::string out;
            r.feed(card, out); // must not throw or read past the record
            CHECK(out.empty());
            CHECK(r.fn().empty());
        }
    }
}
