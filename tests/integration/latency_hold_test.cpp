// SPDX-License-Identifier: MIT
// The CPU latency hold against the kernel's real /dev/cpu_dma_latency: traffic
// to a guest takes the request (the system-wide value reads 0), a quiet period
// gives it back, SIGHUP can turn it off, SIGKILL of cpd drops it, and no guest
// inherits the descriptor. Needs root (the device is root's alone).
#include "test_directory.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include <csignal>
#include <fcntl.h>
#include <unistd.h>

using namespace cpd::test;
using cpd::proto::CpRc;
namespace fs = std::filesystem;

namespace {

constexpr const char* qos_device = "/dev/cpu_dma_latency";
/// What the device reads when nobody asks for anything (PM_QOS_CPU_LATENCY_DEFAULT_VALUE).
constexpr std::int32_t no_request = 2'000'000'000;

/// The system-wide CPU latency limit in microseconds, or -1 if unreadable.
std::int32_t system_limit() {
    cpd::ipc::UniqueFd fd(::open(qos_device, O_RDONLY | O_CLOEXEC));
    std::int32_t v = -1;
    if (!fd || ::read(fd.get(), &v, sizeof v) != static_cast<ssize_t>(sizeof v)) {
        return -1;
    }
    return v;
}

/// True if process `pid` has the QoS device open.
bool holds_device(pid_t pid) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec)) {
        if (fs::read_symlink(e.path(), ec) == qos_device) {
            return true;
        }
    }
    return false;
}

/// Waits until nobody on the machine holds a request (other cpds, other tests).
bool wait_quiet(std::chrono::milliseconds timeout) {
    return wait_until([] { return system_limit() == no_request; }, timeout, 20ms);
}

HarnessConfig hold_config(int hold_ms) {
    HarnessConfig c = test_config("ECHO");
    c.latency_hold_ms = hold_ms;
    return c;
}

} // namespace

TEST_SUITE("integration.latency_hold") {

    TEST_CASE("traffic to a guest takes the CPU latency request and a quiet period gives it back") {
        if (::geteuid() != 0 || ::access(qos_device, W_OK) != 0) {
            MESSAGE("skipped: needs root and ", qos_device);
            return;
        }
        CpdHarness cpd(hold_config(300));
        REQUIRE(cpd.start());
        const pid_t echo = cpd.guest_pid("ECHO");
        REQUIRE(echo > 0);
        CHECK(holds_device(cpd.pid()));
        CHECK_FALSE(holds_device(echo)); // the guest inherits nothing of it
        Client op = cpd.connect();
        CHECK(op.cp("QUERY STATS").text.find("\nLATENCY  hold 300 ms, released, holds 0") !=
              std::string::npos);
        REQUIRE_MESSAGE(wait_quiet(10s), "another process holds a CPU latency request");

        REQUIRE(op.smsg("ECHO", "wake up").rc == CpRc::ok);
        CHECK(system_limit() == 0); // held as soon as the SMSG is routed
        CHECK(op.cp("QUERY STATS").text.find("held, holds 1") != std::string::npos);

        // 300 ms without traffic: back to no request within two checks.
        CHECK(wait_quiet(3s));
        CHECK(op.cp("QUERY STATS").text.find("released, holds 1") != std::string::npos);

        SUBCASE("SIGHUP with latency_hold_ms = 0 closes the device") {
            cpd.write_config(hold_config(0));
            ::kill(cpd.pid(), SIGHUP);
            REQUIRE(wait_until([&] { return !holds_device(cpd.pid()); }, 5s));
            CHECK(op.cp("QUERY STATS").text.find("\nLATENCY  off") != std::string::npos);
            REQUIRE(op.smsg("ECHO", "no hold now").rc == CpRc::ok);
            CHECK(system_limit() == no_request);
        }
        SUBCASE("SIGKILL of cpd while held drops the request") {
            REQUIRE(op.smsg("ECHO", "hold it").rc == CpRc::ok);
            REQUIRE(system_limit() == 0);
            REQUIRE(cpd.stop(SIGKILL) != -1);
            CHECK(wait_quiet(2s));
        }
    }

    TEST_CASE("latency_hold_ms = 0 never opens the device") {
        CpdHarness cpd(hold_config(0));
        REQUIRE(cpd.start());
        CHECK_FALSE(holds_device(cpd.pid()));
        Client op = cpd.connect();
        REQUIRE(op.smsg("ECHO", "hello").rc == CpRc::ok);
        CHECK_FALSE(holds_device(cpd.pid()));
        CHECK(op.cp("QUERY STATS").text.find("\nLATENCY  off") != std::string::npos);
    }

} // TEST_SUITE
