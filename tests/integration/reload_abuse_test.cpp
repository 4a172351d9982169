// SPDX-License-Identifier: MIT
// A SIGHUP reload of a 15 MiB directory of bad lines must not take cpd's
// thread away: a client's pings to ECHO are answered throughout within 2 s (a
// bound loose enough for a loaded machine; bench_reload measures the real
// stall), the log gets 100 errors and one summary line, not millions, and
// cpd's RSS comes back near where it started.
#include "reload_rig.hpp"
#include "test_directory.hpp"

#include <doctest/doctest.h>

#include <csignal>

using namespace cpd::test;

TEST_SUITE("integration.reload_abuse") {

    TEST_CASE("a reload of 15 MiB of bad lines keeps routing and gives its memory back") {
        CpdHarness cpd(test_config("ECHO"));
        REQUIRE(cpd.start());
        EchoPinger pinger(cpd);
        REQUIRE(pinger.ok());
        for (int i = 0; i < 50; ++i) {
            REQUIRE(pinger.ping(2s).has_value());
        }
        const long rss_before = rss_kib(cpd.pid());
        REQUIRE(rss_before > 0);
        cpd.write_directory(std::string(test_directory) + bad_directory_text(15 * 1024 * 1024));

        constexpr int reloads = 3;
        int pings = 0;
        for (int n = 1; n <= reloads; ++n) {
            ::kill(cpd.pid(), SIGHUP);
            auto failed_count = [&] {
                std::size_t count = 0;
                const std::string log = cpd.log();
                for (auto at = log.find("reload failed"); at != std::string::npos;
                     at = log.find("reload failed", at + 1)) {
                    ++count;
                }
                return count;
            };
            while (failed_count() < static_cast<std::size_t>(n)) {
                CAPTURE(n);
                REQUIRE(pinger.ping(2s).has_value());
                ++pings;
            }
        }
        MESSAGE(pings << " pings answered during " << reloads << " reloads");
        CHECK(pings >= reloads);
        const std::string log = cpd.log();
        CHECK(log.size() < 256 * 1024); // 101 lines a reload, not 3 million
        CHECK(log.find(" more errors\n") != std::string::npos);
        const long rss_after = rss_kib(cpd.pid());
        MESSAGE("RSS before " << rss_before << " KiB, after " << rss_after << " KiB");
        CHECK(rss_after < rss_before + 32 * 1024);
        CHECK(pinger.ping(2s).has_value());
    }

} // TEST_SUITE
