// SPDX-License-Identifier: MIT
// The shipped guest programs (ECHO, SINK, FLOOD) exec'd as cpd would start
// them, against a fake CP: what they send for what they receive. Skipped when
// the programs are not next to this test binary's build tree.
#include "fake_cp.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

using cpd::test::FakeCp;
using cpd::test::Received;
using cpd::test::uid;
namespace proto = cpd::proto;

namespace {

/// The built program cpd-guest-<name>: <build>/guest-programs, three levels above this binary.
std::string program(const char* name) {
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    const auto path = exe.parent_path().parent_path().parent_path().parent_path() /
                      "guest-programs" / (std::string("cpd-guest-") + name);
    return std::filesystem::exists(path, ec) ? path.string() : std::string();
}

/// The next frame must be an SMSG; returns "TO text".
std::string smsg(FakeCp& cp) {
    Received r;
    const auto f = cp.expect<proto::SmsgSend>(r);
    return std::string(f.to.str()) + " " + std::string(f.text);
}

} // namespace

TEST_SUITE("guest.programs") {

    TEST_CASE("echo answers every smsg to its sender, cut to 236 bytes") {
        const std::string path = program("echo");
        if (path.empty()) {
            MESSAGE("cpd-guest-echo not built; skipped");
            return;
        }
        FakeCp cp;
        cp.start_program(path, "ECHO", "");
        cp.push(proto::SmsgDeliver{uid("ALICE"), "hi"});
        CHECK(smsg(cp) == "ALICE ECHO: hi");
        cp.push(proto::SmsgDeliver{uid("BOB"), std::string(236, 'x')});
        CHECK(smsg(cp) == "BOB ECHO: " + std::string(230, 'x'));
        cp.push(proto::Logoff{proto::LogoffReason::logoff});
        CHECK(cp.wait_exit() == 0);
    }

    TEST_CASE("echo keeps its answers in order when its outbound ring is full") {
        const std::string path = program("echo");
        if (path.empty()) {
            return;
        }
        FakeCp cp({1u << 16, 1u << 12});
        cp.start_program(path, "ECHO", "");
        for (int i = 1; i <= 600; ++i) {
            cp.push(proto::SmsgDeliver{uid("ALICE"), std::to_string(i)});
        }
        for (int i = 1; i <= 600; ++i) {
            REQUIRE(smsg(cp) == "ALICE ECHO: " + std::to_string(i));
        }
    }

    TEST_CASE("sink counts, logs and reports what it received") {
        const std::string path = program("sink");
        if (path.empty()) {
            return;
        }
        char log_name[] = "/tmp/cpd-sink-test.XXXXXX";
        const int fd = ::mkstemp(log_name);
        REQUIRE(fd >= 0);
        ::close(fd);
        FakeCp cp;
        cp.start_program(path, "SINK", (std::string("LOG ") + log_name).c_str());
        cp.push(proto::SmsgDeliver{uid("ALICE"), "one"});
        cp.push(proto::SmsgDeliver{uid("ALICE"), "two words"});
        cp.push(proto::SmsgDeliver{uid("BOB"), "STATS"});
        CHECK(smsg(cp) == "BOB SINK: 2 ALICE two words");
        cp.type("COUNT");
        CHECK(cp.line() == "SINK: 2 messages");
        Received r;
        CHECK(cp.expect<proto::ConsoleEnd>(r).rc == 0);
        std::ifstream log(log_name);
        std::string l1, l2;
        std::getline(log, l1);
        std::getline(log, l2);
        CHECK(l1 == "ALICE one");
        CHECK(l2 == "ALICE two words");
        std::remove(log_name);
    }

    TEST_CASE("flood sends count numbered messages of the asked size through a full ring") {
        const std::string path = program("flood");
        if (path.empty()) {
            return;
        }
        FakeCp cp({1u << 16, 1u << 12});
        cp.start_program(path, "FLOOD", "FLOOD SINK 2000 64");
        for (int i = 1; i <= 2000; ++i) {
            Received r;
            const auto f = cp.expect<proto::SmsgSend>(r);
            REQUIRE(f.to == uid("SINK"));
            REQUIRE(f.text.size() == 64);
            REQUIRE(f.text.starts_with(std::to_string(i) + "."));
        }
        CHECK_FALSE(cp.next(100).has_value());
        cp.type("STATS");
        const std::string stats = cp.line();
        CHECK(stats.starts_with("FLOOD: sent 2000 busy "));
        CHECK(stats != "FLOOD: sent 2000 busy 0"); // a 4 KiB ring must have filled up
    }

} // TEST_SUITE
