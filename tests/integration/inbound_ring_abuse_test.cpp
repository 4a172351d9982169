// SPDX-License-Identifier: MIT
// A guest that corrupts the consumer head of its own inbound ring (beyond the
// tail, misaligned, out of any range) and keeps it so is caught the next time
// cpd needs that head, logged with the reason and forced at once: gone within
// seconds although the FORCE grace period is 30 s. cpd stays up, nothing is
// left behind, and the other guests notice nothing.
// Built as its own test (integration_inbound_ring) so that it can be marked as
// expected to fail until cpd detects the fault (issue 13, point 5).
#include "test_directory.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <string_view>

using namespace cpd::test;
using cpd::proto::CpRc;

namespace {

HarnessConfig inbound_abuse_config() {
    HarnessConfig c;
    c.directory = std::string(test_directory) + "USER SCRIB NOPASS 16M 16M G\n IPL " +
                  CPD_TEST_SCRIBBLER + "\n";
    c.autolog = "ALICE ECHO SCRIB";
    c.grace_seconds = 30;          // "at once" must not mean "after the grace period"
    c.extra_conf = "ring_kib = 4"; // a few hundred SMSGs fill SCRIB's inbound ring
    return c;
}

/// True if one line of cpd's log mentions both `a` and `b`.
bool log_has_line_with(const CpdHarness& cpd, const std::string& a, const std::string& b) {
    const std::string log = cpd.log();
    for (std::size_t at = 0; at < log.size();) {
        const std::size_t end = std::min(log.find('\n', at), log.size());
        const std::string_view line(log.data() + at, end - at);
        if (line.find(a) != std::string_view::npos && line.find(b) != std::string_view::npos) {
            return true;
        }
        at = end + 1;
    }
    return false;
}

} // namespace

TEST_SUITE("integration.inbound_ring_abuse") {

    TEST_CASE(
        "a guest that corrupts its inbound ring's head is forced at once, nobody else notices") {
        for (const std::string fault : {"HEADPAST", "HEADODD", "HEADFAR"}) {
            CAPTURE(fault);
            auto shm_before = shm_entries();
            CpdHarness cpd(inbound_abuse_config());
            REQUIRE(cpd.start());
            REQUIRE(wait_for_line(cpd.out_file("alice"), "IPL ALICE"));
            const pid_t scrib = cpd.guest_pid("SCRIB");
            const pid_t alice = cpd.guest_pid("ALICE");
            REQUIRE(scrib > 0);
            REQUIRE(alice > 0);
            const std::string alice_before = read_file(cpd.out_file("alice"));

            Client op = cpd.connect();
            REQUIRE(op.smsg("SCRIB", fault).rc == CpRc::ok);
            // SCRIB now never reads: SMSGs fill its 4 KiB ring within a few hundred,
            // so cpd has to look at the head. Keep sending until SCRIB is gone: on a
            // loaded machine SCRIB may reach the fault only after the ring filled,
            // and only a later push makes cpd look again (a count could run out
            // first). The deadline is a watchdog, not a measure.
            const auto give_up = std::chrono::steady_clock::now() + 30s;
            for (int i = 0; process_alive(scrib) && std::chrono::steady_clock::now() < give_up;
                 ++i) {
                const Reply r = op.smsg("SCRIB", "fill " + std::to_string(i));
                if (r.rc == CpRc::not_logged_on) {
                    break;
                }
            }

            CHECK(wait_until([&] { return log_has_line_with(cpd, "SCRIB", "corrupt"); }, 5s));
            CHECK(wait_until([&] { return !process_exists(scrib); }, 5s)); // killed and reaped
            if (process_alive(scrib)) { // cpd missed it: end SCRIB here, not in a 30 s grace
                ::kill(scrib, SIGKILL);
            }
            // The spawn helper reaps SCRIB, then tells cpd: a moment later, CP knows.
            CHECK(wait_until([&] { return op.cp("Q SCRIB").rc == CpRc::not_logged_on; }, 2s));
            CHECK(process_alive(cpd.pid()));
            CHECK(process_alive(alice));
            CHECK(op.cp("Q N").text == "ALICE    - DSC , ECHO     - DSC");

            Client listener = cpd.connect();
            REQUIRE(listener.listen().rc == CpRc::ok);
            REQUIRE(listener.smsg("ECHO", "still here").rc == CpRc::ok);
            Reply echo = listener.read();
            CHECK(echo.is_event());
            CHECK(echo.text == "ECHO: still here");
            CHECK(read_file(cpd.out_file("alice")) == alice_before); // ALICE saw nothing

            CHECK(op.cp("XAUTOLOG SCRIB").rc == CpRc::ok); // a fresh segment, a fresh start
            CHECK(cpd.stop() == 0);
            CHECK(shm_entries() == shm_before);
        }
    }

} // TEST_SUITE
