// SPDX-License-Identifier: MIT
// cpd's option parsing: precedence (CLI > environment > file > default),
// socket forms, every config problem reported at once, exit codes 64 and 78.
#include "config/options.hpp"
#include "config/reload_options.hpp"
#include "spawner/exit_status.hpp"
#include "console/console_hub.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <fstream>

#include <sys/wait.h>
#include <unistd.h>

using namespace cpd::daemon;

namespace {

std::optional<std::string> no_env(const char*) { return std::nullopt; }
std::optional<std::string> socket_env(const char* n) {
    if (std::string(n) == "CPD_SOCKET") {
        return std::string("unix:///env/cpd.sock");
    }
    return std::nullopt;
}

/// A config file in a private temp dir, removed at scope end.
struct TempConf {
    std::string dir;
    std::string path;
    explicit TempConf(const std::string& text) {
        char t[] = "/tmp/cpd-opt-XXXXXX";
        dir = ::mkdtemp(t);
        path = dir + "/cpd.conf";
        std::ofstream(path) << text;
    }
    ~TempConf() { std::system(("rm -rf " + dir).c_str()); }
};

OptionsResult parse(std::vector<const char*> args, EnvLookup env = no_env) {
    args.insert(args.begin(), "cpd");
    return parse_options(static_cast<int>(args.size()), args.data(), env);
}

} // namespace

TEST_SUITE("cpd.options") {

TEST_CASE("the command line beats the environment, which beats the file") {
    TempConf conf("directory = user.direct\nsocket = /file/cpd.sock\ngrace_seconds = 9\n");
    OptionsResult from_file = parse({"--config", conf.path.c_str()});
    REQUIRE(from_file.errors.empty());
    CHECK(from_file.options.socket_path == "/file/cpd.sock");
    CHECK(from_file.options.directory_file == conf.dir + "/user.direct"); // relative to the file
    CHECK(from_file.options.grace_seconds == 9);
    CHECK(parse({"--config", conf.path.c_str()}, socket_env).options.socket_path ==
          "/env/cpd.sock");
    CHECK(parse({"--config", conf.path.c_str(), "--socket", "/cli/s"}, socket_env)
              .options.socket_path == "/cli/s");
}

TEST_CASE("every config problem is listed and the exit code is 78") {
    TempConf conf("directory = d\nbogus = 1\ngrace_seconds = soon\nlog_level = loud\n"
                  "socket_mode = 999\nautolog = ECHO, bad!id\n");
    OptionsResult r = parse({"--config", conf.path.c_str()});
    CHECK(r.action == OptionsResult::Action::exit);
    CHECK(r.exit_code == 78);
    CHECK(r.errors.size() == 5);
}

TEST_CASE("the latency hold defaults to 20 ms, 0 turns it off, and it is bounded") {
    TempConf conf("directory = d\n");
    CHECK(parse({"--config", conf.path.c_str()}).options.latency_hold_ms == 20u);
    CHECK(parse({"--config", conf.path.c_str(), "--latency-hold-ms", "0"})
              .options.latency_hold_ms == 0u);
    TempConf big("directory = d\nlatency_hold_ms = 60001\n");
    OptionsResult r = parse({"--config", big.path.c_str()});
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0] == "latency_hold_ms: '60001' is not a number from 0 to 60000");
    CHECK(r.exit_code == 78);
}

TEST_CASE("usage errors exit 64, help and version exit 0") {
    CHECK(parse({"--no-such-option"}).exit_code == 64);
    OptionsResult h = parse({"--help"});
    CHECK(h.exit_code == 0);
    CHECK(h.output.find("--socket") != std::string::npos);
    CHECK(parse({"--version"}).output.find("cpd 0.1.0") == 0);
}

TEST_CASE("socket paths accept unix:// and refuse other forms") {
    CHECK(parse({"--socket", "unix:///run/x.sock"}).options.socket_path == "/run/x.sock");
    CHECK(parse({"--socket", "/run/x.sock"}).options.socket_path == "/run/x.sock");
    for (const char* bad : {"tcp://host:1", "relative.sock"}) {
        const OptionsResult r = parse({"--socket", bad});
        CHECK(r.exit_code != 0);
        CHECK(std::any_of(r.errors.begin(), r.errors.end(), [&](const std::string& e) {
            return e.find(std::string("socket: '") + bad + "'") != std::string::npos;
        }));
    }
    CHECK(default_socket_path(true, no_env) == "/run/cpd/cpd.sock");
    auto xdg = [](const char* n) -> std::optional<std::string> {
        return std::string(n) == "XDG_RUNTIME_DIR" ? std::optional<std::string>("/run/user/7")
                                                   : std::nullopt;
    };
    CHECK(default_socket_path(false, xdg) == "/run/user/7/cpd/cpd.sock");
}

TEST_CASE("modes and autolog lists") {
    CHECK(parse_mode("0660") == 0660u);
    CHECK(parse_mode("0666") == 0666u);
    CHECK_FALSE(parse_mode("0800"));
    CHECK_FALSE(parse_mode("rw"));
    std::vector<std::string> errors;
    CHECK(parse_autolog("echo, maint  sink", errors) ==
          std::vector<std::string>{"ECHO", "MAINT", "SINK"});
    CHECK(errors.empty());
}

TEST_CASE("a reload takes over the run-time settings and names those that need a restart") {
    Options running;
    running.directory_file = "/etc/cpd/user.direct";
    running.state_dir = "/var/lib/cpd";
    running.socket_path = "/run/cpd/cpd.sock";
    Options fresh = running;
    CHECK(take_reloadable(running, fresh).empty()); // nothing changed, nothing to say

    fresh.directory_file = "/etc/cpd/other.direct";
    fresh.autolog = {"ECHO"};
    fresh.grace_seconds = 9;
    fresh.log_level = "debug";
    fresh.console_replay_lines = 7;
    fresh.console_log = true;
    fresh.ring_kib = 64;
    fresh.latency_hold_ms = 0;
    fresh.guest_dir = "/opt/guests";
    fresh.state_dir = "/srv/cpd";
    fresh.socket_path = "/tmp/cpd.sock";
    fresh.socket_mode = 0600;
    fresh.socket_group = "wheel";
    CHECK(take_reloadable(running, fresh) ==
          std::vector<std::string>{"state_dir", "socket", "socket_mode", "socket_group"});
    CHECK(running.directory_file == "/etc/cpd/other.direct");
    CHECK(running.autolog == std::vector<std::string>{"ECHO"});
    CHECK(running.grace_seconds == 9);
    CHECK(running.log_level == "debug");
    CHECK(running.console_replay_lines == 7);
    CHECK(running.console_log);
    CHECK(running.ring_kib == 64);
    CHECK(running.latency_hold_ms == 0u);
    CHECK(running.guest_dir == "/opt/guests");
    CHECK(running.state_dir == "/var/lib/cpd"); // the restart-only ones stay as they are
    CHECK(running.socket_path == "/run/cpd/cpd.sock");
    CHECK(running.socket_mode == 0660u);
    CHECK(running.socket_group.empty());
}

} // TEST_SUITE

TEST_SUITE("cpd.exit_status") {

TEST_CASE("guest deaths are worded by status and signal") {
    CHECK(describe_exit(0, false) == "exited with status 0");
    CHECK(describe_exit(3 << 8, false) == "exited with status 3");
    CHECK(describe_exit(guest_exit_panic << 8, false) == "crashed: handler panic");
    CHECK(describe_exit(SIGKILL, false) == "killed by signal SIGKILL");
    CHECK(is_crash(SIGKILL, false));
    CHECK_FALSE(is_crash(0, false));
    CHECK(is_crash(0, true));
}

} // TEST_SUITE

TEST_SUITE("cpd.console_hub") {

TEST_CASE("the replay buffer keeps the newest lines and counts the dropped") {
    ReplayBuffer b(2);
    b.add("one");
    b.add("two");
    b.add("three");
    REQUIRE(b.lines().size() == 2);
    CHECK(b.lines().front() == "two");
    CHECK(b.dropped() == 1);
    b.set_limit(1); // a reload's smaller bound drops the oldest and counts them
    REQUIRE(b.lines().size() == 1);
    CHECK(b.lines().front() == "three");
    CHECK(b.dropped() == 2);
    b.set_limit(3);
    b.add("four");
    CHECK(b.lines().size() == 2);
}

TEST_CASE("the buffering hub applies a reloaded bound to running guests and later ones") {
    BufferingConsoleHub hub(3);
    const auto alice = *cpd::proto::Userid::parse("ALICE");
    const auto bob = *cpd::proto::Userid::parse("BOB");
    hub.on_guest_logon(alice);
    for (const char* l : {"a1", "a2", "a3"}) {
        hub.on_console_output(alice, l);
    }
    hub.reconfigure(1, true); // no logs in this hub; the bound applies
    REQUIRE(hub.replay(alice) != nullptr);
    CHECK(hub.replay(alice)->lines() == std::deque<std::string>{"a3"});
    hub.on_guest_logon(bob);
    hub.on_console_output(bob, "b1");
    hub.on_console_output(bob, "b2");
    CHECK(hub.replay(bob)->lines() == std::deque<std::string>{"b2"});
}

} // TEST_SUITE
