// SPDX-License-Identifier: MIT
// The shipped guest programs (ECHO, SINK, FLOOD) exec'd as cpd would start
// them, against a fake CP: what they send for what they receive. They must be
// built in CPD_TEST_GUEST_PROGRAM_DIR (set by CMake); a missing one fails.
#include "fake_cp.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

using cpd::test::FakeCp;
using cpd::test::Received;
using cpd::test::uid;
namespace proto = cpd::proto;

namespace {

/// The built program CPD_TEST_GUEST_PROGRAM_DIR/cpd-guest-<name>, which must exist.
std::string program(const char* name) {
    const auto path =
        std::filesystem::path(CPD_TEST_GUEST_PROGRAM_DIR) / (std::string("cpd-guest-") + name);
    std::error_code ec;
    REQUIRE_MESSAGE(std::filesystem::is_regular_file(path, ec), path.string() << " is not built");
    REQUIRE_MESSAGE(::access(path.c_str(), X_OK) == 0, path.string() << " is not executable");
    return path.string();
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
