// SPDX-License-Identifier: MIT
// SpoolService on a temp state directory: a punch closed to a reader (the
// sender's and the receiver's z/VM lines, exact), QUERY RDR's columns, the
// space bound (the file purged, later writes refused until CLOSE), a
// restart reading the files back, an abandoned open file, ORDER and CHANGE.
#include "spool/spool_service.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include <unistd.h>

using namespace cpd::daemon;
namespace proto = cpd::proto;
namespace fs = std::filesystem;

namespace {

proto::Userid uid(std::string_view s) {
    return *proto::Userid::parse(s);
}

std::vector<std::string_view> ops(std::initializer_list<std::string_view> w) {
    return w;
}

std::vector<std::byte> cards(int n, std::size_t len = 80) {
    std::vector<std::byte> s;
    for (int i = 0; i < n; ++i) {
        proto::append_record(s, std::vector<std::byte>(len, std::byte{0x40}));
    }
    return s;
}

/// Writes `records` to `vdev` as a guest's spool frame reaches the spool:
/// encoded, then checked and counted by decode_spool_write.
CpOutcome write(SpoolService& spool, const SpoolCaller& c, std::uint16_t vdev,
                const std::vector<std::byte>& records) {
    const std::vector<std::byte> frame = proto::encode(proto::SpoolWrite{vdev, records});
    const auto w = proto::decode_spool_write(frame);
    REQUIRE(w);
    return spool.write(c, *w);
}

struct TempState {
    fs::path dir = fs::temp_directory_path() / ("cpd-spool-unit-" + std::to_string(::getpid()));
    TempState() { fs::create_directories(dir); }
    ~TempState() { fs::remove_all(dir); }
};

} // namespace

TEST_SUITE("cpd.spool") {

    TEST_CASE("CLOSE TO sends the file: the sender's and receiver's lines, QUERY RDR columns") {
        TempState t;
        SpoolService spool(t.dir.string(), 1 << 20);
        spool.load();
        std::vector<std::string> told;
        spool.set_notify([&](const SpoolFile& f, const std::string& m) {
            CHECK(f.owner == uid("BOB"));
            told.push_back(m);
        });
        const SpoolCaller alice{uid("ALICE"), false, true, &t};
        CHECK(write(spool, alice, 0x000D, cards(4)).rc == proto::CpRc::ok);
        const CpOutcome r = spool.close(alice, ops({"00D", "TO", "BOB", "RDR", "NAME", "x", "y"}));
        CHECK(r.text ==
              "PUN FILE 0001 SENT TO   BOB      RDR AS  0002 RECS 0004 CPY  001 A NOHOLD NOKEEP");
        REQUIRE(told.size() == 1);
        CHECK(told[0] ==
              "RDR FILE 0002 SENT FROM ALICE    PUN WAS 0001 RECS 0004 CPY  001 A NOHOLD NOKEEP");
        const SpoolCaller bob{uid("BOB"), false, true, nullptr};
        const std::string q = spool.query(bob, ops({"RDR", "ALL"})).text;
        const std::string line = q.substr(q.find('\n') + 1);
        CHECK(q.substr(0, q.find('\n')) ==
              "ORIGINID FILE CLASS RECORDS  CPY HOLD DATE  TIME     NAME      TYPE     DIST     "
              "FORM     DEST");
        CHECK(line.substr(72) == "ALICE    STANDARD OFF");
        CHECK(line.substr(0, 37) == "ALICE    0002 A PUN 00000004 001 NONE");
        CHECK(line.substr(53, 8) == "x       ");
        CHECK(line.substr(63, 1) == "y");
        CHECK(spool.query(alice, ops({"RDR"})).text == "NO RDR FILES");
        CHECK(spool.query(alice, ops({"RDR", "BOB"})).rc == proto::CpRc::not_authorized);
        CHECK(spool.files_line(uid("BOB")) == "FILES: 0001 RDR,   NO PRT,   NO PUN");
    }

    TEST_CASE("space full purges the open file and refuses the rest until CLOSE") {
        TempState t;
        SpoolService spool(t.dir.string(), 8192);
        spool.load();
        const SpoolCaller alice{uid("ALICE"), false, true, &t};
        CHECK(write(spool, alice, 0x000D, cards(50)).rc == proto::CpRc::ok); // 4100 bytes
        const CpOutcome full = write(spool, alice, 0x000D, cards(60));
        CHECK(full.rc == proto::CpRc::spool_full);
        CHECK(full.text == "HCPSPL427E Spool space full; PUN file 0001 purged");
        CHECK(spool.used_bytes() == 0);
        CHECK(write(spool, alice, 0x000D, cards(1)).rc == proto::CpRc::spool_full); // no new file
        CHECK(spool.close(alice, ops({"00D"})).rc == proto::CpRc::spool_full);
        CHECK(write(spool, alice, 0x000D, cards(1)).rc == proto::CpRc::ok); // after CLOSE, a new one
        CHECK(spool.close(alice, ops({"00D"})).rc == proto::CpRc::ok);
        CHECK(spool.query(alice, ops({"PUN"})).text.find("ALICE    0002") != std::string::npos);
    }

    TEST_CASE("a restart reads the files back; an abandoned open file leaves nothing") {
        TempState t;
        const SpoolCaller op{uid("OPERATOR"), true, false, &t};
        {
            SpoolService spool(t.dir.string(), 1 << 20);
            spool.load();
            CHECK(write(spool, op, 0x000E, cards(3, 132)).rc == proto::CpRc::ok);
            CHECK(spool.close(op, ops({"PRT", "HOLD", "KEEP"})).rc == proto::CpRc::ok);
            CHECK(write(spool, op, 0x000D, cards(2)).rc == proto::CpRc::ok);
            spool.abandon(&t); // the writer went away: the open punch file is purged
            CHECK(spool.query(op, ops({"PUN"})).text == "NO PUN FILES");
        }
        SpoolService again(t.dir.string(), 1 << 20);
        again.load();
        const std::string q = again.query(op, ops({"PRT", "ALL"})).text;
        CHECK(q.find("\nOPERATOR 0001 A PRT 00000003 001 USER") != std::string::npos);
        CHECK(again.used_bytes() == 3 * 134);
        for (const auto& e : fs::directory_iterator(t.dir / "spool")) {
            CHECK(e.path().extension() != ".tmp");
        }
    }

    TEST_CASE("ORDER, CHANGE, TRANSFER and PURGE answer with z/VM's counts") {
        TempState t;
        SpoolService spool(t.dir.string(), 1 << 20);
        spool.load();
        const SpoolCaller me{uid("ME"), false, true, &t};
        for (int i = 0; i < 3; ++i) {
            CHECK(write(spool, me, 0x000D, cards(1)).rc == proto::CpRc::ok);
            CHECK(spool.close(me, ops({"D", "TO", "*", "RDR"})).rc == proto::CpRc::ok);
        }
        CHECK(spool.order(me, ops({"RDR", "3", "2"})).text == "0000002 FILES ORDERED");
        const std::string q = spool.query(me, ops({"RDR"})).text;
        CHECK(q.substr(q.find('\n'), 14) == "\nME       0003");
        CHECK(spool.change(me, ops({"RDR", "1", "CLASS", "Z", "NAME", "A", "B"})).text ==
              "0000001 FILE  CHANGED");
        CHECK(spool.purge(me, ops({"RDR", "CLASS", "Z"})).text == "0000001 FILE  PURGED");
        CHECK(spool.transfer(me, ops({"RDR", "ALL", "TO", "YOU"})).text ==
              "0000002 FILES TRANSFERRED");
        CHECK(spool.purge(me, ops({"RDR"})).text == "NO FILES PURGED");
        CHECK(spool.purge(me, ops({"RDR", "7"})).text ==
              "HCPCPU042E Spoolid 0007 does not exist\nNO FILES PURGED");
        CHECK(spool.spool(me, ops({"PUN", "COPY", "300"})).rc == proto::CpRc::invalid_option);
    }
}
