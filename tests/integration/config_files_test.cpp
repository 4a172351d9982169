// SPDX-License-Identifier: MIT
// cpd.conf and the user directory are read without blocking and with a bound:
// at start, a FIFO, a directory, /dev/zero or an oversized file ends cpd with
// exit 78 and a message naming the file and what it is; errors are capped; on
// SIGHUP the same files are refused while the old directory stays in force and
// cpd keeps routing. (Before, a FIFO hung cpd in open(); a test of that ends
// by a timeout, not a hang.)
#include "reload_rig.hpp"
#include "test_directory.hpp"

#include <doctest/doctest.h>

#include <csignal>
#include <filesystem>
#include <fstream>

#include <sys/stat.h>
#include <sys/wait.h>

using namespace cpd::test;
using cpd::proto::CpRc;
namespace fs = std::filesystem;

namespace {

/// Starts cpd, which must fail, and returns its exit status (-1: still running after 5 s).
int failed_start_status(CpdHarness& cpd) {
    CHECK_FALSE(cpd.start(5s));
    const int status = cpd.wait_exit(5s);
    return status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/// Puts a FIFO where `path` was.
void make_fifo(const std::string& path) {
    fs::remove_all(path);
    REQUIRE(::mkfifo(path.c_str(), 0600) == 0);
}

/// Lines of `text` that contain `needle`.
std::size_t count_lines(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (std::size_t at = 0; at < text.size();) {
        const std::size_t nl = std::min(text.find('\n', at), text.size());
        n += text.substr(at, nl - at).find(needle) != std::string::npos ? 1 : 0;
        at = nl + 1;
    }
    return n;
}

} // namespace

TEST_SUITE("integration.config_files") {

    TEST_CASE("a start with a file cpd must not read exits 78 naming the file and its type") {
        CpdHarness cpd(test_config("ECHO"));
        std::string expected;
        SUBCASE("a FIFO as the user directory") {
            make_fifo(cpd.dir() + "/user.direct");
            expected = cpd.dir() + "/user.direct: directory file is a FIFO, not a regular file";
        }
        SUBCASE("a FIFO as cpd.conf") {
            make_fifo(cpd.dir() + "/cpd.conf");
            expected = cpd.dir() + "/cpd.conf: config file is a FIFO, not a regular file";
        }
        SUBCASE("a directory as cpd.conf") {
            fs::remove(cpd.dir() + "/cpd.conf");
            fs::create_directory(cpd.dir() + "/cpd.conf");
            expected = cpd.dir() + "/cpd.conf: config file is a directory, not a regular file";
        }
        SUBCASE("/dev/zero as cpd.conf") {
            fs::remove(cpd.dir() + "/cpd.conf");
            fs::create_symlink("/dev/zero", cpd.dir() + "/cpd.conf");
            expected =
                cpd.dir() + "/cpd.conf: config file is a character device, not a regular file";
        }
        SUBCASE("a user directory over 16 MiB") {
            std::ofstream(cpd.dir() + "/user.direct") << std::string(17 * 1024 * 1024, '\n');
            expected =
                cpd.dir() + "/user.direct: directory file is larger than 16 MiB (17825792 bytes)";
        }
        SUBCASE("a cpd.conf over 256 KiB") {
            std::ofstream(cpd.dir() + "/cpd.conf", std::ios::app) << std::string(256 * 1024, '#');
            expected = cpd.dir() + "/cpd.conf: config file is larger than 256 KiB";
        }
        CHECK(failed_start_status(cpd) == 78);
        CHECK(cpd.log().find("cpd: error: " + expected) != std::string::npos);
    }

    TEST_CASE("a directory of many errors logs the first 100 and how many more there were") {
        HarnessConfig config = test_config("");
        for (int i = 0; i < 300; ++i) {
            config.directory += "USER BAD!ID NOPASS\n";
        }
        CpdHarness cpd(config);
        CHECK(failed_start_status(cpd) == 78);
        const std::string log = cpd.log();
        CHECK(count_lines(log, "cpd: error: ") == 101);
        CHECK(log.find("cpd: error: ... and 200 more errors\n") != std::string::npos);
    }

    TEST_CASE(
        "a reload of a file cpd must not read is refused; the old directory stays and routes") {
        CpdHarness cpd(test_config("ECHO"));
        REQUIRE(cpd.start());
        EchoPinger pinger(cpd);
        REQUIRE(pinger.ok());
        std::string expected;
        SUBCASE("a FIFO as the user directory") {
            make_fifo(cpd.dir() + "/user.direct");
            expected = "user.direct: directory file is a FIFO, not a regular file";
        }
        SUBCASE("a FIFO as cpd.conf") {
            make_fifo(cpd.dir() + "/cpd.conf");
            expected = "cpd.conf: config file is a FIFO, not a regular file";
        }
        SUBCASE("/dev/zero as the user directory") {
            fs::remove(cpd.dir() + "/user.direct");
            fs::create_symlink("/dev/zero", cpd.dir() + "/user.direct");
            expected = "user.direct: directory file is a character device, not a regular file";
        }
        SUBCASE("a user directory over 16 MiB") {
            std::ofstream(cpd.dir() + "/user.direct") << std::string(17 * 1024 * 1024, '*');
            expected = "user.direct: directory file is larger than 16 MiB";
        }
        ::kill(cpd.pid(), SIGHUP);
        REQUIRE(
            cpd.wait_for_log("cpd: reload failed; the old cpd.conf and directory stay in force"));
        CHECK(cpd.log().find(expected) != std::string::npos);
        CHECK(pinger.ping(2s).has_value());
        Client op = cpd.connect();
        CHECK(op.cp("XAUTOLOG SINK").rc == CpRc::ok); // SINK is in the old directory
    }

    TEST_CASE("a reload's errors are capped as at start") {
        CpdHarness cpd(test_config("ECHO"));
        REQUIRE(cpd.start());
        cpd.write_directory(std::string(test_directory) + bad_directory_text(3000));
        ::kill(cpd.pid(), SIGHUP);
        REQUIRE(cpd.wait_for_log("cpd: reload failed"));
        const std::string log = cpd.log();
        CHECK(count_lines(log, "cpd: reload: ") == 101);
        CHECK(log.find("cpd: reload: ... and ") != std::string::npos);
        CHECK(log.find(" more errors\n") != std::string::npos);
    }

    TEST_CASE("a SIGHUP during a reload reads the files again when it ends") {
        CpdHarness cpd(test_config("ECHO"));
        REQUIRE(cpd.start());
        cpd.write_directory(bad_directory_text(15 * 1024 * 1024));
        ::kill(cpd.pid(), SIGHUP);
        REQUIRE(cpd.wait_for_log("cpd: SIGHUP: reloading"));
        cpd.write_directory(std::string(test_directory) +
                            "USER NEWBIE NOPASS 16M 16M G\n IPL ECHO\n");
        ::kill(cpd.pid(), SIGHUP);
        Client op = cpd.connect();
        CHECK(wait_until([&] { return op.cp("XAUTOLOG NEWBIE").rc == CpRc::ok; }, 10s, 20ms));
    }

} // TEST_SUITE
