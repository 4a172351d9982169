// SPDX-License-Identifier: MIT
// cpd.conf through parse_options and SIGHUP's ConfigReload: a file cpd must
// not read is refused with exit 78 (a FIFO at once, never a hang); errors
// past 100 are summed up in one line; a reload runs in slices on the
// io_context, reports cpd.conf's errors and the directory's together,
// coalesces a request made during it, and stops when cancelled.
#include "config/config_reload.hpp"
#include "config/options.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <sys/stat.h>
#include <unistd.h>

using namespace cpd::daemon;

namespace {

std::optional<std::string> no_env(const char*) {
    return std::nullopt;
}

/// A private temp directory with a cpd.conf naming its user.direct.
struct TempSetup {
    std::string dir;
    TempSetup() {
        char t[] = "/tmp/cpd-conf-XXXXXX";
        dir = ::mkdtemp(t);
        write("cpd.conf", "directory = user.direct\nsocket = " + dir + "/s.sock\n");
        write("user.direct", "USER ECHO NOPASS\n IPL ECHO\n");
    }
    ~TempSetup() { std::filesystem::remove_all(dir); }
    void write(const std::string& name, const std::string& text) const {
        std::ofstream(dir + "/" + name) << text;
    }
    std::string conf() const { return dir + "/cpd.conf"; }
    std::vector<std::string> argv() const { return {"cpd", "--config", conf()}; }
};

OptionsResult parse_conf(const std::string& path) {
    const char* args[] = {"cpd", "--config", path.c_str()};
    return parse_options(3, args, no_env);
}

/// Runs `io` until `reload` is idle and nothing is queued.
void run_until_idle(boost::asio::io_context& io, const ConfigReload& reload) {
    while (reload.running() && io.run_one() > 0) {
    }
    io.restart();
}

} // namespace

TEST_SUITE("cpd.config_files") {

    TEST_CASE("a cpd.conf cpd must not read is an error naming it, with exit 78") {
        TempSetup s;
        std::string expected;
        SUBCASE("missing") {
            std::filesystem::remove(s.conf());
            expected = s.conf() + ": unable to open config file: No such file or directory";
        }
        SUBCASE("a FIFO, which must not hang the open") {
            std::filesystem::remove(s.conf());
            REQUIRE(::mkfifo(s.conf().c_str(), 0600) == 0);
            expected = s.conf() + ": config file is a FIFO, not a regular file";
        }
        SUBCASE("over 256 KiB") {
            s.write("cpd.conf", std::string(256 * 1024 + 1, '#'));
            expected = s.conf() + ": config file is larger than 256 KiB (262145 bytes)";
        }
        const OptionsResult r = parse_conf(s.conf());
        CHECK(r.exit_code == 78);
        REQUIRE_FALSE(r.errors.empty());
        CHECK(r.errors[0] == expected);
    }

    TEST_CASE("a cpd.conf of many unknown keys lists 100 and how many more") {
        TempSetup s;
        std::string text = "directory = user.direct\n";
        for (int i = 0; i < 250; ++i) {
            text += "bogus_" + std::to_string(i) + " = 1\n";
        }
        s.write("cpd.conf", text);
        const OptionsResult r = parse_conf(s.conf());
        CHECK(r.exit_code == 78);
        REQUIRE(r.errors.size() == 101);
        CHECK(r.errors[0] == s.conf() + ": unknown setting 'bogus_0'");
        CHECK(r.errors[100] == "... and 150 more errors");
    }

    TEST_CASE("a reload parses in slices on the io_context and hands over a complete result") {
        TempSetup s;
        std::string big;
        for (int i = 0; i < 20000; ++i) {
            big += "USER U" + std::to_string(i) + " NOPASS\n IPL ECHO\n";
        }
        s.write("user.direct", big);
        boost::asio::io_context io;
        int done = 0;
        std::size_t users = 0;
        ConfigReload reload(io, s.argv(), [&](ReloadResult& r) {
            ++done;
            CHECK(r.ok());
            users = r.dir.directory.size();
        });
        CHECK(reload.request());
        CHECK(reload.running());
        int handlers = 0;
        while (reload.running() && io.run_one() > 0) {
            ++handlers;
        }
        CHECK(done == 1);
        CHECK(users == 20000);
        CHECK(handlers > 2); // 40,000 lines do not fit one 2 ms slice
    }

    TEST_CASE("a reload of a refused directory completes with its error") {
        TempSetup s;
        std::filesystem::remove(s.dir + "/user.direct");
        REQUIRE(::mkfifo((s.dir + "/user.direct").c_str(), 0600) == 0);
        boost::asio::io_context io;
        std::vector<std::string> errors;
        ConfigReload reload(io, s.argv(), [&](ReloadResult& r) { errors = r.errors; });
        reload.request();
        run_until_idle(io, reload);
        REQUIRE(errors.size() == 1);
        CHECK(errors[0] == s.dir + "/user.direct: directory file is a FIFO, not a regular file");
    }

    TEST_CASE("a reload with cpd.conf errors still checks the directory: both sets reported") {
        TempSetup s;
        s.write("cpd.conf", "directory = user.direct\nsocket = " + s.dir +
                                "/s.sock\ngrace_secnods = 3\n");
        s.write("user.direct", "USER ECHO NOPASS\n IPL ECHO\nUSER\n");
        boost::asio::io_context io;
        std::vector<std::string> errors;
        ConfigReload reload(io, s.argv(), [&](ReloadResult& r) { errors = r.errors; });
        reload.request();
        run_until_idle(io, reload);
        REQUIRE(errors.size() == 2);
        CHECK(errors[0] == s.conf() + ": unknown setting 'grace_secnods'");
        CHECK(errors[1].starts_with(s.dir + "/user.direct:3: "));
    }

    TEST_CASE("a request during a reload is one more reload after it; cancel ends both") {
        TempSetup s;
        boost::asio::io_context io;
        int done = 0;
        ConfigReload reload(io, s.argv(), [&](ReloadResult&) { ++done; });
        SUBCASE("two requests during a reload make one more") {
            CHECK(reload.request());
            CHECK_FALSE(reload.request());
            CHECK_FALSE(reload.request());
            run_until_idle(io, reload); // the second starts as the first ends
            CHECK(done == 2);
            CHECK_FALSE(reload.running());
        }
        SUBCASE("cancel") {
            reload.request();
            reload.request();
            reload.cancel();
            CHECK_FALSE(reload.running());
            io.run();
            CHECK(done == 0);
        }
    }

} // TEST_SUITE
