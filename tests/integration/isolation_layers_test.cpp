// SPDX-License-Identifier: MIT
// Each layer of the isolation on its own, and the holes a review found:
// with the sandbox off, the separate uids alone still refuse /proc, signals
// and memory access; a leftover that signals every process it may can
// neither stop nor kill the sweeper; shared memory and Unix sockets outside
// CP are refused; a read-only link stays read-only for files anyone may
// write; no file is hard-linked from one disk into another; no grant
// survives DETACH of a NOLOG owner's disk or cpd's death. Needs root.
#include "hostile_rig.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <sys/stat.h>
#include <unistd.h>

using namespace cpd::test;
namespace fs = std::filesystem;
using cpd::proto::CpRc;

namespace {

/// HOSTILE and VICTIM, TOOLS (NOLOG) owning a disk anyone may read, and
/// OWNER's disk with only a read password.
std::string layers_directory() {
    return "USER OPERATOR NOPASS 64M 128M ABCDEFG\n POSIXINFO UID 0\n" + hostile_entry() +
           "USER VICTIM NOPASS 16M 16M G\n IPL $PROBE PARM $DIR/state/disks/VICTIM/0191/log\n"
           " MDISK 0191 3390 1 1 VIC191 MR\n"
           "USER TOOLS NOLOG\n MDISK 0191 3390 1 1 TLS191 RR ALL\n"
           "USER OWNER NOLOG\n MDISK 0193 3390 1 1 OWN193 MR ALL\n"
           " MDISK 0192 3390 1 1 OWN192 MR RPASS WPASS MPASS\n";
}

struct LayersRig {
    CpdHarness cpd;
    Client op;
    pid_t hostile = 0;
    pid_t victim = 0;
    /// `launcher` runs cpd (e.g. under prlimit).
    explicit LayersRig(bool sandbox, std::vector<std::string> launcher = {})
        : cpd(config(sandbox, std::move(launcher))) {
        REQUIRE(cpd.start());
        attach();
    }
    static HarnessConfig config(bool sandbox, std::vector<std::string> launcher) {
        HarnessConfig c;
        c.directory = layers_directory();
        c.autolog = "HOSTILE VICTIM";
        c.extra_conf = sandbox ? "" : "sandbox = no\n";
        c.launcher = std::move(launcher);
        return c;
    }
    /// Waits for the `incarnation`th logon of HOSTILE and VICTIM (their logs
    /// outlive a restart of cpd), then connects.
    void attach(std::size_t incarnation = 1) {
        const auto logons = [](const std::string& path, const std::string& mark) {
            const auto lines = read_lines(path);
            return static_cast<std::size_t>(
                std::count_if(lines.begin(), lines.end(),
                              [&](const std::string& l) { return l.starts_with(mark); }));
        };
        REQUIRE(wait_until([&] { return logons(log(), "IPL pid") >= incarnation; }, 10s));
        REQUIRE(wait_until(
            [&] { return logons(cpd.out_file("victim"), "IPL VICTIM") >= incarnation; }, 10s));
        op = cpd.connect();
        hostile = cpd.guest_pid("HOSTILE");
        victim = cpd.guest_pid("VICTIM");
    }
    std::string log() const { return cpd.out_file("hostile"); }
    std::string disk(const std::string& owner, const std::string& vdev) const {
        return cpd.dir() + "/state/disks/" + owner + "/" + vdev;
    }
    /// Sends one command to HOSTILE; returns the line it recorded for it.
    std::string attack(const std::string& command) { return hostile_command(op, cpd, command); }
};

} // namespace

TEST_SUITE("integration.isolation.layers") {

    TEST_CASE("with the sandbox off, separate uids alone keep a guest from the others") {
        if (not_root()) {
            return;
        }
        LayersRig rig(false);
        CHECK(rig.cpd.log().find("sandbox off") != std::string::npos);
        const std::string victim = std::to_string(rig.victim);
        for (const std::string& attack : std::vector<std::string>{
                 "procfd " + victim + "/fd/3", "procmem " + victim, "environ " + victim,
                 "kill " + victim, std::string("killparent"), "ptrace " + victim,
                 "vmread " + victim, "read " + rig.cpd.out_file("victim"),
                 "write " + rig.disk("VICTIM", "0191") + "/x",
                 "read " + rig.cpd.dir() + "/state/guest-uids"}) {
            const std::string result = rig.attack(attack);
            INFO(attack << " -> " << result);
            CHECK(refused(result));
        }
        CHECK(process_alive(rig.victim));
    }

    TEST_CASE("a leftover signalling everything it may neither stops nor kills the sweeper") {
        if (not_root()) {
            return;
        }
        LayersRig rig(false); // no Landlock signal scope: only the uids protect
        const std::string result = rig.attack("signaller");
        const pid_t child = recorded_pid(result);
        REQUIRE(child > 0);
        // The child kills HOSTILE itself (same uid); cpd then sweeps the uid
        // while the child keeps signalling.
        CHECK(wait_until([&] { return !process_exists(rig.hostile); }, 10s));
        CHECK(wait_until([&] { return !process_exists(child); }, 10s));
        // cpd's one thread was not stopped: it answers, and logs HOSTILE on again.
        CHECK(rig.op.cp("QUERY NAMES").rc == CpRc::ok);
        CHECK(wait_until([&] { return rig.op.cp("XAUTOLOG HOSTILE").rc == CpRc::ok; }, 10s));
        CHECK(wait_until([&] { return rig.cpd.guest_pid("HOSTILE") != 0; }, 10s));
    }

    TEST_CASE("no shared memory or Unix socket outside CP") {
        if (not_root()) {
            return;
        }
        LayersRig rig(true);
        for (const char* kind : {"sysv", "memfd", "socketpair", "mmap"}) {
            const std::string result = rig.attack(std::string("shared ") + kind);
            INFO(kind << " -> " << result);
            CHECK(refused(result));
        }
    }

    TEST_CASE("a read-only link stays read-only, whoever may write the files") {
        if (not_root()) {
            return;
        }
        LayersRig rig(true);
        CHECK(rig.attack("cp LINK OWNER 193 293 RR") == "CPRESP 0 ");
        const std::string open_file = rig.disk("OWNER", "0193") + "/open.file";
        {
            std::ofstream f(open_file);
            f << "anyone may write me\n";
        }
        REQUIRE(::chmod(open_file.c_str(), 0666) == 0);
        CHECK(rig.attack("read " + open_file) == "read: ok");
        CHECK(refused(rig.attack("write " + open_file)));
        // Nor can a file of a disk it may write be linked into another disk.
        CHECK(rig.attack("cp LINK OWNER 192 292 MW MPASS") == "CPRESP 0 ");
        const std::string mine = rig.disk("HOSTILE", "0191") + "/mine";
        CHECK(rig.attack("write " + mine) == "write: ok");
        CHECK(refused(rig.attack("hardlink " + mine + " " + rig.disk("OWNER", "0192") + "/mine")));
        CHECK(::access((rig.disk("OWNER", "0192") + "/mine").c_str(), F_OK) != 0);
    }

    TEST_CASE("a one-descriptor bell is a socket its guest can only ring through") {
        if (not_root()) {
            return;
        }
        // A limit too low for two descriptors per user beside the clients and
        // the waiting logons: every guest gets a socket pair end as its bells.
        LayersRig rig(true, {"prlimit", "--nofile=1000:1000", "--"});
        REQUIRE(rig.cpd.log().find("new guests get one") != std::string::npos);
        const std::string fd4 = fs::read_symlink("/proc/" + std::to_string(rig.hostile) + "/fd/4");
        CHECK(fd4.starts_with("socket:"));
        CHECK(fd4 == fs::read_symlink("/proc/" + std::to_string(rig.hostile) + "/fd/5").string());
        for (const char* how : {"bind", "pass", "grow"}) {
            const std::string result = rig.attack(std::string("bell ") + how);
            INFO(how << " -> " << result);
            CHECK(refused(result));
        }
        // End-of-stream on cpd's end: cpd stops waiting on it instead of
        // waking round after round, and serves everyone else.
        CHECK(rig.attack("bell shut") == "bell: ok");
        CHECK(rig.cpd.wait_for_log("HOSTILE: closed its doorbell", 10s));
        const auto cpu_ticks = [&] {
            std::istringstream stat(read_file("/proc/" + std::to_string(rig.cpd.pid()) + "/stat"));
            std::string field;
            long ticks = 0;
            for (int i = 1; i <= 15 && stat >> field; ++i) {
                ticks += i == 14 || i == 15 ? std::stol(field) : 0; // utime, stime
            }
            return ticks;
        };
        const long before = cpu_ticks();
        std::this_thread::sleep_for(1s);
        const long spent = cpu_ticks() - before;
        INFO("cpd used " << spent << " ticks in 1 s");
        CHECK(spent < ::sysconf(_SC_CLK_TCK) / 4);
        // Waiting on it still would spend HOSTILE's empty wake-up budget
        // within the second, and the budget would say so.
        CHECK(rig.cpd.log().find("HOSTILE: throttled") == std::string::npos);
        CHECK(rig.op.cp("QUERY NAMES").rc == CpRc::ok);
        CHECK(rig.op.cp("FORCE HOSTILE").rc == CpRc::ok); // its own loop spins on its shut end
    }

    TEST_CASE("no grant outlives DETACH of a NOLOG owner's disk, or cpd's death") {
        if (not_root()) {
            return;
        }
        LayersRig rig(true);
        CHECK(rig.attack("cp LINK TOOLS 191 291 RR") == "CPRESP 0 ");
        const std::string tools = rig.disk("TOOLS", "0191") + "/tool.exec";
        {
            std::ofstream f(tools);
            f << "say 'hi'\n";
        }
        CHECK(rig.attack("read " + tools) == "read: ok");
        CHECK(rig.attack("cp DETACH 291").starts_with("CPRESP 0 DASD 0291 DETACHED"));
        CHECK(refused(rig.attack("read " + tools)));
        // Linked again, then cpd dies: the next cpd starts with every disk closed.
        CHECK(rig.attack("cp LINK TOOLS 191 291 RR") == "CPRESP 0 ");
        CHECK(rig.attack("read " + tools) == "read: ok");
        ::kill(rig.cpd.pid(), SIGKILL);
        REQUIRE(rig.cpd.wait_exit(10s) != -1);
        REQUIRE(wait_until([&] { return !process_exists(rig.hostile); }, 10s));
        // The old guardian holds the range until its sweep is done.
        REQUIRE(wait_until([&] { return rig.cpd.start(); }, 20s, 200ms));
        rig.attach(2);
        const std::string after_restart = rig.attack("read " + tools);
        INFO("read after the restart -> " << after_restart);
        CHECK(refused(after_restart));
    }

} // TEST_SUITE
