// SPDX-License-Identifier: MIT
// A windowed SMSG stream (the SDK's SmsgWindow and SmsgCredits) loses
// nothing: the sender's own ring is far smaller than its window, so it finds
// the ring full again and again, and the receiver is stopped for a while
// mid-stream, so the window fills too; the sender waits each time, and the
// receiver gets every SMSG, in order. Counts only, no timing.
#include "test_directory.hpp"

#include <doctest/doctest.h>

#include <csignal>
#include <sstream>
#include <thread>

using namespace cpd::test;
using cpd::proto::CpRc;

namespace {

constexpr int stream_count = 100000;

/// WRECV credits every 128; WSEND keeps a window of 256 SMSGs (22 KiB of
/// records: far more than its 4 KiB ring, well within WRECV's 64 KiB).
HarnessConfig window_config(unsigned ring_kib) {
    HarnessConfig c;
    c.directory =
        std::string("USER OPERATOR NOPASS 64M 128M ABCDEFG\n POSIXINFO UID 0\n") +
        "USER WRECV NOPASS 16M 16M G\n IPL " + CPD_TEST_WINDOW +
        " PARM $DIR/state/disks/WRECV/0191/log RECV 128\n MDISK 0191 3390 1 1 OUT191 MR\n" +
        "USER WSEND NOPASS 16M 16M G\n IPL " + CPD_TEST_WINDOW +
        " PARM $DIR/state/disks/WSEND/0191/log SEND WRECV " + std::to_string(stream_count) +
        " 256\n MDISK 0191 3390 1 1 OUT191 MR\n";
    c.autolog = "WRECV";
    c.extra_conf = "ring_kib = " + std::to_string(ring_kib);
    return c;
}

/// The number after `word` in the last line of `text` that has it (-1: none).
long long number_after(const std::string& text, const std::string& word) {
    long long n = -1;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (const auto at = line.find(word); at != std::string::npos) {
            n = std::stoll(line.substr(at + word.size()));
        }
    }
    return n;
}

} // namespace

TEST_SUITE("integration.smsg_window") {

    TEST_CASE("a windowed SMSG stream is lossless while rings and window are full") {
        CpdHarness cpd(window_config(64));
        REQUIRE(cpd.start());
        const pid_t receiver = cpd.guest_pid("WRECV");
        REQUIRE(receiver > 0);
        // Guests logged on after the reload get 4 KiB rings: the sender's ring
        // holds about 46 SMSGs of its window of 256.
        cpd.write_config(window_config(4));
        ::kill(cpd.pid(), SIGHUP);
        REQUIRE(cpd.wait_for_log("cpd: reload: directory has"));
        Client op = cpd.connect();
        REQUIRE(op.cp("XAUTOLOG WSEND").rc == CpRc::ok);
        REQUIRE(cpd.guest_pid("WSEND") > 0);

        REQUIRE(op.smsg("WSEND", "!GO").rc == CpRc::ok);
        ::kill(receiver, SIGSTOP); // its ring and then the window fill; the sender must wait
        std::this_thread::sleep_for(200ms);
        ::kill(receiver, SIGCONT);

        const std::string sent_file = cpd.out_file("WSEND");
        REQUIRE(wait_for_line(sent_file, "SENT ", 60s));
        CHECK(number_after(read_file(sent_file), "SENT ") == stream_count);
        CHECK(number_after(read_file(sent_file), "WAITS ") > 0); // it did find them full

        const std::string want = "GOT " + std::to_string(stream_count) + " ORDER ok";
        const std::string got_file = cpd.out_file("WRECV");
        CHECK(wait_until(
            [&] {
                op.smsg("WRECV", "!REPORT");
                return wait_for_line(got_file, want, 200ms);
            },
            30s, 10ms));
        INFO("receiver: " << read_file(got_file));
        CHECK(number_after(read_file(got_file), "GOT ") == stream_count);
        CHECK(read_file(got_file).find("ORDER bad") == std::string::npos);
    }

} // TEST_SUITE
