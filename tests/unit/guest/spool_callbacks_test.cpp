// SPDX-License-Identifier: MIT
// The guest runtime's spool callbacks against a fake CP on real rings:
// on_reader_file gets the arriving file's attributes, on_spool_data a
// reader chunk's records or CP's refusal; a malformed spool frame ends the
// guest as any corrupt frame does.
#include "fake_cp.hpp"
#include "scripted_guest.hpp"

#include "cpd/proto/spool_frame.hpp"

using cpd::test::FakeCp;
using cpd::test::ScriptedGuest;
using cpd::test::uid;
namespace proto = cpd::proto;

namespace {
constexpr auto ring_type = [](proto::SpoolFrameType t) { return static_cast<std::uint32_t>(t); };
}

TEST_SUITE("guest.spool") {

    TEST_CASE("on_reader_file gets the spoolid, sender, origin, class, records, hold and name") {
        FakeCp cp;
        ScriptedGuest g;
        cp.start(g);
        CHECK(cp.line().starts_with("IPL"));
        cp.push_raw(ring_type(proto::SpoolFrameType::ring_reader_file),
                    proto::encode(proto::ReaderFileArrived{
                        12, uid("ALICE"), proto::SpoolDevice::pun, 'A', 4, false, "PROFILE EXEC"}));
        CHECK(cp.line() == "RDRFILE 12 ALICE PUN A 4 NOHOLD PROFILE.EXEC");
        cp.push_raw(ring_type(proto::SpoolFrameType::ring_reader_file),
                    proto::encode(proto::ReaderFileArrived{13, uid("BOB"), proto::SpoolDevice::prt,
                                                           'C', 1, true, ""}));
        CHECK(cp.line() == "RDRFILE 13 BOB PRT C 1 HOLD .");
    }

    TEST_CASE("a wait for reader files takes the next one; a MSG meanwhile keeps its place") {
        FakeCp cp;
        ScriptedGuest g;
        cp.start(g);
        CHECK(cp.line().starts_with("IPL"));
        cp.type("WAIT RDR MSG");
        cp.push(proto::MessageDeliver{uid("BOB"), proto::MessageKind::imsg, 0, "CP's own"});
        cp.push(proto::MessageDeliver{uid("BOB"), proto::MessageKind::warning, 0, "shutdown"});
        CHECK(cp.line() == "WAITED MSG BOB 0 shutdown"); // not CP's own IMSG
        cpd::test::Received r;
        CHECK(cp.expect<proto::ConsoleEnd>(r).rc == 0);
        CHECK(cp.line().find("CP's own") != std::string::npos); // held, then shown
        cp.type("WAIT RDR");
        cp.push(proto::SmsgDeliver{uid("ALICE"), "held"});
        cp.push_raw(ring_type(proto::SpoolFrameType::ring_reader_file),
                    proto::encode(proto::ReaderFileArrived{
                        21, uid("ALICE"), proto::SpoolDevice::pun, 'A', 4, false, "DATA FILE"}));
        CHECK(cp.line() == "WAITED RDR ALICE 21 ");
        CHECK(cp.expect<proto::ConsoleEnd>(r).rc == 0);
        CHECK(cp.line() == "SMSG ALICE held");
    }

    TEST_CASE("on_spool_data gets whole records, or CP's refusal text") {
        FakeCp cp;
        ScriptedGuest g;
        cp.start(g);
        CHECK(cp.line().starts_with("IPL"));
        std::vector<std::byte> stream;
        const std::string a = "first", b = "second";
        proto::append_record(stream, std::as_bytes(std::span(a)));
        proto::append_record(stream, std::as_bytes(std::span(b)));
        cp.push_raw(ring_type(proto::SpoolFrameType::ring_data),
                    proto::encode(proto::SpoolData{7, proto::CpRc::ok, 15, true, stream}));
        CHECK(cp.line() == "SPOOLDATA 7 rc 0 next 15 eof [first][second]");
        const std::string why = "HCP042E Spoolid 0009 does not exist";
        cp.push_raw(ring_type(proto::SpoolFrameType::ring_data),
                    proto::encode(proto::SpoolData{8, proto::CpRc::no_spool_file, 0, false,
                                                   std::as_bytes(std::span(why))}));
        CHECK(cp.line() == "SPOOLDATA 8 rc 42 next 0 " + why);
    }

    TEST_CASE("a spool frame that does not decode ends the guest") {
        FakeCp cp;
        ScriptedGuest g;
        cp.start(g);
        CHECK(cp.line().starts_with("IPL"));
        auto bad = proto::encode(proto::SpoolData{1, proto::CpRc::ok, 0, true, {}});
        bad[0] = std::byte{2}; // an unknown version
        cp.push_raw(ring_type(proto::SpoolFrameType::ring_data), bad);
        CHECK(cp.wait_exit() != 0);
    }
}
