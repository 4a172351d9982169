// SPDX-License-Identifier: MIT
// The CPU latency device under the shipped policy (service_user.hpp reads it
// from the package's unit and udev rule): cpd, run as the unit runs it (user
// cpd, the latency group as its one supplementary group, three capabilities),
// opens /dev/cpu_dma_latency and takes the request when traffic flows; a guest
// cannot open the device, and would not be let in by its permissions alone
// (its own uid and gid, no supplementary groups, nothing for others in the
// mode). Where the device stays root's (no udev rule applied), cpd runs on
// without the hold and says why. Needs root (CI runs as root).
#include "hostile_rig.hpp"
#include "service_user.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <thread>

#include <sys/stat.h>
#include <unistd.h>

using namespace cpd::test;
using cpd::proto::CpRc;
namespace fs = std::filesystem;

namespace {

/// True if process `pid` has the device open.
bool holds_device(pid_t pid) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec)) {
        if (fs::read_symlink(e.path(), ec) == latency_device) {
            return true;
        }
    }
    return false;
}

/// The value of a "Key:" line of /proc/<pid>/status, without the key ("?" if none).
std::string status_field(pid_t pid, const std::string& key) {
    for (const std::string& line : read_lines("/proc/" + std::to_string(pid) + "/status")) {
        if (line.rfind(key + ":", 0) == 0) {
            const auto begin = line.find_first_not_of(" \t", key.size() + 1);
            const auto end = line.find_last_not_of(" \t");
            return begin == std::string::npos ? "" : line.substr(begin, end + 1 - begin);
        }
    }
    return "?";
}

/// User + system CPU of `pid` in clock ticks (/proc/<pid>/stat fields 14, 15).
long cpu_ticks(pid_t pid) {
    const std::string stat = read_file("/proc/" + std::to_string(pid) + "/stat");
    std::istringstream rest(stat.substr(stat.rfind(')') + 2));
    std::string field;
    long ticks = 0;
    for (int i = 3; i <= 15 && rest >> field; ++i) {
        ticks += i >= 14 ? std::stol(field) : 0;
    }
    return ticks;
}

/// The first number of a "Uid:" or "Gid:" line (the real id).
long first_id(const std::string& field) {
    return field.empty() || field == "?" ? -1 : std::stol(field);
}

/// cpd with HOSTILE, started by `policy`'s launcher as the unit would start it.
HarnessConfig service_config(const ServicePolicy& policy) {
    HarnessConfig c;
    c.directory = "USER OPERATOR NOPASS 64M 128M ABCDEFG\n POSIXINFO UID 0\n" + hostile_entry();
    c.autolog = "HOSTILE";
    c.latency_hold_ms = 300;
    c.launcher = policy.launcher();
    c.dir_uid = static_cast<int>(policy.uid);
    c.dir_gid = static_cast<int>(policy.gid);
    return c;
}

/// The shipped policy, or a message why the test cannot run here.
std::optional<ServicePolicy> policy_here() {
    std::string why;
    if (::geteuid() != 0) {
        MESSAGE("skipped: needs root to run cpd as its service user");
        return std::nullopt;
    }
    auto policy = shipped_service_policy(why);
    if (!policy) {
        MESSAGE("skipped: ", why);
    } else if (::access(latency_device, F_OK) != 0) {
        MESSAGE("skipped: no ", latency_device);
        policy.reset();
    }
    return policy;
}

} // namespace

TEST_SUITE("integration.latency_device") {

    TEST_CASE(
        "under the shipped policy cpd holds the CPU latency device and no guest can open it") {
        const auto policy = policy_here();
        if (!policy) {
            return;
        }
        LatencyDeviceAsUdevSetsIt device(*policy);
        REQUIRE(device.ok());
        CpdHarness cpd(service_config(*policy));
        REQUIRE_MESSAGE(cpd.start(), cpd.log());
        CHECK(first_id(status_field(cpd.pid(), "Uid")) == static_cast<long>(policy->uid));
        CHECK(status_field(cpd.pid(), "Groups") == std::to_string(policy->latency_gid));
        CHECK(holds_device(cpd.pid()));
        Client op = cpd.connect();
        CHECK(op.cp("QUERY STATS").text.find("\nLATENCY  hold 300 ms, released") !=
              std::string::npos);

        const pid_t hostile = cpd.guest_pid("HOSTILE");
        REQUIRE(hostile > 0);
        REQUIRE(wait_for_line(cpd.out_file("hostile"), "IPL pid"));
        // Its permissions alone keep the guest out: not the owner (root), not
        // in the group, and the mode gives others nothing.
        const long guest_uid = first_id(status_field(hostile, "Uid"));
        const long guest_gid = first_id(status_field(hostile, "Gid"));
        struct stat st {};
        REQUIRE(::stat(latency_device, &st) == 0);
        CHECK(st.st_uid == 0);
        CHECK(st.st_gid == policy->latency_gid);
        CHECK((st.st_mode & 07) == 0);
        CHECK(guest_uid > 0);
        CHECK(guest_uid != static_cast<long>(policy->uid));
        CHECK(guest_gid != static_cast<long>(policy->latency_gid));
        CHECK(status_field(hostile, "Groups") == "");
        CHECK_FALSE(holds_device(hostile));
        // And it cannot, trying.
        for (const char* how : {"write", "read"}) {
            const std::string result =
                hostile_command(op, cpd, std::string(how) + " " + latency_device);
            INFO(how << " " << latency_device << " -> " << result);
            CHECK(refused(result));
        }
        // The attacks were traffic to a guest: cpd took the request for it.
        CHECK(op.cp("QUERY STATS").text.find("held, holds ") != std::string::npos);
        // The request keeps idle CPUs polling, not cpd or the guest: a second
        // after the traffic, neither uses CPU (loosely: two ticks in a second).
        std::this_thread::sleep_for(1s);
        const long before = cpu_ticks(cpd.pid()) + cpu_ticks(hostile);
        std::this_thread::sleep_for(1s);
        CHECK(cpu_ticks(cpd.pid()) + cpu_ticks(hostile) - before <= 2);
        CHECK(op.cp("QUERY STATS").text.find("released, holds ") != std::string::npos);
    }

    TEST_CASE("where the device stays root's, cpd as its service user runs without the hold and "
              "says why") {
        const auto policy = policy_here();
        if (!policy) {
            return;
        }
        struct stat st {};
        REQUIRE(::stat(latency_device, &st) == 0);
        if ((st.st_mode & 077) != 0 || st.st_uid != 0) {
            MESSAGE("skipped: ", latency_device, " is not root's alone here");
            return;
        }
        CpdHarness cpd(service_config(*policy));
        REQUIRE_MESSAGE(cpd.start(), cpd.log());
        CHECK_FALSE(holds_device(cpd.pid()));
        Client op = cpd.connect();
        CHECK(op.cp("QUERY STATS")
                  .text.find("\nLATENCY  unavailable: unable to open " +
                             std::string(latency_device) + ": Permission denied") !=
              std::string::npos);
        CHECK(cpd.log().find("latency hold: unable to open") != std::string::npos);
        // Traffic flows as before.
        REQUIRE(wait_for_line(cpd.out_file("hostile"), "IPL pid"));
        CHECK(hostile_command(op, cpd, std::string("read ") + latency_device) != "");
    }

} // TEST_SUITE
