// SPDX-License-Identifier: MIT
// A guest that writes garbage into its own outbound ring is logged and forced
// off; cpd stays up, nothing is left behind, and the other guests do not
// notice (an SMSG round trip through ECHO keeps working, a probe guest keeps
// its state and sees no event). A guest that corrupts its inbound ring is
// forced off as soon as cpd next needs room on it, not waited out.
#include "test_directory.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <csignal>
#include <string>

using namespace cpd::test;
using cpd::proto::CpRc;

namespace {

HarnessConfig abuse_config() {
    HarnessConfig c;
    c.directory = std::string(test_directory) + "USER SCRIB NOPASS 16M 16M G\n IPL " +
                  CPD_TEST_SCRIBBLER + "\n";
    c.autolog = "ALICE ECHO SCRIB";
    return c;
}

} // namespace

TEST_SUITE("integration.ring_abuse") {

TEST_CASE("a guest that corrupts its own ring is forced off and nobody else notices") {
    for (const char* fault : {"BADFRAME", "BADTEXT", "BADIUCV", "BADLENGTH", "BADTAIL", "BACKWARDS"}) {
        CAPTURE(fault);
        auto shm_before = shm_entries();
        CpdHarness cpd(abuse_config());
        REQUIRE(cpd.start());
        REQUIRE(wait_for_line(cpd.out_file("alice"), "IPL ALICE"));
        const pid_t scrib = cpd.guest_pid("SCRIB");
        const pid_t alice = cpd.guest_pid("ALICE");
        REQUIRE(scrib > 0);
        REQUIRE(alice > 0);
        const std::string alice_before = read_file(cpd.out_file("alice"));

        Client op = cpd.connect();
        REQUIRE(op.smsg("SCRIB", fault).rc == CpRc::ok);

        CHECK(cpd.wait_for_log("router: SCRIB: corrupt frame/ring"));
        CHECK(wait_until([&] { return op.cp("Q SCRIB").rc == CpRc::not_logged_on; }, 2s));
        CHECK(wait_until([&] { return !process_exists(scrib); }, 2s)); // killed and reaped
        CHECK(process_alive(cpd.pid()));
        CHECK(process_alive(alice));
        CHECK(op.cp("Q N").text == "ALICE    - DSC , ECHO     - DSC");

        Client listener = cpd.connect();
        REQUIRE(listener.listen().rc == CpRc::ok);
        REQUIRE(listener.smsg("ECHO", "still here").rc == CpRc::ok);
        Reply echo = listener.read();
        CHECK(echo.is_event());
        CHECK(echo.from == "ECHO");
        CHECK(echo.text == "ECHO: still here");
        CHECK(read_file(cpd.out_file("alice")) == alice_before); // ALICE saw nothing

        CHECK(op.cp("XAUTOLOG SCRIB").rc == CpRc::ok); // a fresh segment, a fresh start
        CHECK(cpd.stop() == 0);
        CHECK(shm_entries() == shm_before);
    }
}

TEST_CASE("a guest that corrupts its inbound ring's head is forced off at once, saying why") {
    HarnessConfig c = abuse_config();
    c.extra_conf = "ring_kib = 16"; // a few hundred SMSGs fill it
    c.grace_seconds = 30;            // "at once" must not mean "after the grace period"
    CpdHarness cpd(c);
    REQUIRE(cpd.start());
    const pid_t scrib = cpd.guest_pid("SCRIB");
    REQUIRE(scrib > 0);
    Client op = cpd.connect();
    REQUIRE(op.smsg("SCRIB", "BADHEAD").rc == CpRc::ok);

    // Until cpd needs room on the ring it has no reason to look at the head;
    // then the first push that does must end the guest. Keep sending until
    // SCRIB is gone: on a loaded machine SCRIB may reach BADHEAD only after the
    // ring filled, and only a later push makes cpd look again (a fixed count
    // could run out first). The deadline is a watchdog, not a measure.
    const auto give_up = std::chrono::steady_clock::now() + 30s;
    for (int i = 0; process_alive(scrib) && std::chrono::steady_clock::now() < give_up; ++i) {
        if (op.smsg("SCRIB", "are you there " + std::to_string(i)).rc == CpRc::not_logged_on) {
            break;
        }
    }
    CHECK(cpd.wait_for_log("router: SCRIB: forcing it off: corrupt inbound ring"));
    CHECK(wait_until([&] { return !process_exists(scrib); }, 5s));
    if (process_alive(scrib)) { // cpd missed it: end SCRIB here, not in a 30 s grace
        ::kill(scrib, SIGKILL);
    }
    // The spawn helper reaps it, then tells cpd: a moment later, CP knows.
    CHECK(wait_until([&] { return op.cp("Q SCRIB").rc == CpRc::not_logged_on; }, 2s));
    CHECK(process_alive(cpd.pid()));
    CHECK(op.cp("XAUTOLOG SCRIB").rc == CpRc::ok); // a fresh segment, a fresh start
}

} // TEST_SUITE
