// SPDX-License-Identifier: MIT
// The spawn helper's contract: every message survives pack and unpack, and
// no truncated, padded or garbled datagram is ever taken for a message.
#include "spawner/spawn_wire.hpp"

#include <doctest/doctest.h>

#include <random>

using namespace cpd::daemon;

namespace {

SpawnOrder sample_order() {
    SpawnOrder o;
    o.tag = 0x0102030405060708ULL;
    o.userid = "ECHO";
    o.program = "/usr/libexec/cpd/cpd-guest-echo";
    o.argv = {"cpd:ECHO"};
    o.envp = {"PATH=/bin", "CPD_GUEST_PARM=hello world"};
    o.has_sandbox = true;
    o.has_credentials = true;
    o.uid = 70001;
    o.gid = 70001;
    o.sweeper = 70000;
    o.data_limit = 32 << 20;
    o.process_limit = 64;
    o.open_files = 1024;
    o.seccomp = {{0x20, 0, 0, 4}, {0x15, 1, 2, 0xC000003E}, {0x06, 0, 0, 0x7FFF0000}};
    o.has_landlock = true;
    o.cgroup_count = 2;
    o.cgroups_confine_uid = true;
    return o;
}

} // namespace

TEST_SUITE("cpd.spawn_wire") {

    TEST_CASE("a Spawn order comes back as it was packed") {
        const SpawnOrder o = sample_order();
        const auto back = unpack_to_helper(pack(ToHelper{o}));
        REQUIRE(back);
        const auto& b = std::get<SpawnOrder>(*back);
        CHECK(b.tag == o.tag);
        CHECK(b.userid == o.userid);
        CHECK(b.program == o.program);
        CHECK(b.argv == o.argv);
        CHECK(b.envp == o.envp);
        CHECK(b.has_credentials);
        CHECK(b.uid == 70001);
        CHECK(b.sweeper == 70000);
        CHECK(b.data_limit == o.data_limit);
        REQUIRE(b.seccomp.size() == 3);
        CHECK(b.seccomp[1].jf == 2);
        CHECK(b.seccomp[1].k == 0xC000003E);
        CHECK(b.fd_count() == 6);
        CHECK(b.cgroups_confine_uid);
    }

    TEST_CASE("every answer of the helper comes back as it was packed") {
        const auto started = unpack_from_helper(pack(FromHelper{Started{7, -1, 24, "no room"}}));
        REQUIRE(started);
        CHECK(std::get<Started>(*started).error == "no room");
        CHECK(std::get<Started>(*started).error_number == 24);
        const auto heard = unpack_from_helper(pack(FromHelper{ExecHeard{7, 121, 1}}));
        REQUIRE(heard);
        CHECK(std::get<ExecHeard>(*heard).step == 121);
        const auto line = unpack_from_helper(pack(FromHelper{OutputLine{7, "guest G: hi"}}));
        REQUIRE(line);
        CHECK(std::get<OutputLine>(*line).line == "guest G: hi");
        const auto exited = unpack_from_helper(pack(FromHelper{Exited{9, 0x0900}}));
        REQUIRE(exited);
        CHECK(std::get<Exited>(*exited).tag == 9);
        CHECK(std::get<Exited>(*exited).wait_status == 0x0900);
        const auto kill = unpack_to_helper(pack(ToHelper{KillOrder{3, 9}}));
        REQUIRE(kill);
        CHECK(std::get<KillOrder>(*kill).signal == 9);
    }

    TEST_CASE("every truncation and any trailing byte is refused") {
        const std::vector<std::vector<std::uint8_t>> messages = {pack(ToHelper{sample_order()}),
                                                                 pack(ToHelper{KillOrder{1, 9}})};
        for (const auto& m : messages) {
            for (std::size_t n = 0; n < m.size(); ++n) {
                CHECK_FALSE(unpack_to_helper(std::span(m.data(), n)));
            }
            auto padded = m;
            padded.push_back(0);
            CHECK_FALSE(unpack_to_helper(padded));
        }
        const std::vector<std::vector<std::uint8_t>> answers = {
            pack(FromHelper{Started{1, 2, 0, "x"}}), pack(FromHelper{ExecHeard{1, 0, 0}}),
            pack(FromHelper{OutputLine{1, "line"}}), pack(FromHelper{Exited{1, 0}})};
        for (const auto& m : answers) {
            for (std::size_t n = 0; n < m.size(); ++n) {
                CHECK_FALSE(unpack_from_helper(std::span(m.data(), n)));
            }
            auto padded = m;
            padded.push_back(0);
            CHECK_FALSE(unpack_from_helper(padded));
        }
    }

    TEST_CASE("a length larger than the datagram, or an unknown kind, is refused") {
        auto m = pack(FromHelper{OutputLine{1, "line"}});
        m[12] = 0xFF; // the string's length, just after the kind and tag
        CHECK_FALSE(unpack_from_helper(m));
        auto order = pack(ToHelper{sample_order()});
        order[0] = 0x63; // kind 99: neither side's
        CHECK_FALSE(unpack_to_helper(order));
        CHECK_FALSE(unpack_from_helper(order));
        // cpd's orders are never the helper's answers, nor the other way round.
        CHECK_FALSE(unpack_from_helper(pack(ToHelper{KillOrder{1, 9}})));
        CHECK_FALSE(unpack_to_helper(pack(FromHelper{Exited{1, 0}})));
    }

    TEST_CASE("an order without argv or with too many cgroups is refused") {
        SpawnOrder o = sample_order();
        o.argv.clear();
        CHECK_FALSE(unpack_to_helper(pack(ToHelper{o})));
        o = sample_order();
        o.cgroup_count = 3;
        CHECK_FALSE(unpack_to_helper(pack(ToHelper{o})));
    }

    TEST_CASE("random bytes never unpack into a crash") {
        std::mt19937 random(14);
        const auto order = pack(ToHelper{sample_order()});
        for (int round = 0; round < 20000; ++round) {
            auto bytes = order;
            for (int flips = 0; flips < 4; ++flips) {
                bytes[random() % bytes.size()] = static_cast<std::uint8_t>(random());
            }
            (void)unpack_to_helper(bytes);
            (void)unpack_from_helper(bytes);
        }
        CHECK(true);
    }

} // TEST_SUITE
