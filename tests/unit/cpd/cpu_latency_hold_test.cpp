// SPDX-License-Identifier: MIT
// CpuLatencyHold's timing and its requests, written to a regular file that
// stands in for /dev/cpu_dma_latency (each write appends one 32-bit value, so
// the test reads back exactly what the kernel would have been told). The real
// device is exercised by the integration test latency_hold_test.cpp.
#include "service/cpu_latency_hold.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <vector>

#include <unistd.h>

using namespace cpd::daemon;
using namespace std::chrono_literals;

namespace {

/// A private directory with an empty stand-in device file.
struct FakeDevice {
    std::string dir;
    std::string path;
    FakeDevice() {
        char t[] = "/tmp/cpd-qos-XXXXXX";
        dir = ::mkdtemp(t);
        path = dir + "/cpu_dma_latency";
        std::ofstream(path).flush();
    }
    ~FakeDevice() { std::system(("rm -rf " + dir).c_str()); }

    /// Every request written so far, in order.
    std::vector<std::int32_t> requests() const {
        std::ifstream in(path, std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        std::vector<std::int32_t> out(bytes.size() / sizeof(std::int32_t));
        std::memcpy(out.data(), bytes.data(), out.size() * sizeof(std::int32_t));
        return out;
    }
};

/// Runs `io` until `done()` (true) or `timeout` (false). Waits for events, not
/// for a fixed time, so a loaded machine delays the test but cannot fail it.
template <class Pred>
bool run_until(boost::asio::io_context& io, Pred done, std::chrono::milliseconds timeout = 10s) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    io.restart();
    while (!done() && std::chrono::steady_clock::now() < end) {
        if (io.stopped()) {
            io.restart();
        }
        io.run_one_for(10ms);
    }
    return done();
}

} // namespace

TEST_SUITE("cpd.cpu_latency_hold") {

    TEST_CASE("traffic takes the request once and a quiet period releases it") {
        FakeDevice dev;
        boost::asio::io_context io;
        CpuLatencyHold hold(io, dev.path);
        hold.configure(30ms);
        REQUIRE(hold.state() == CpuLatencyHold::State::released);
        CHECK(dev.requests().empty()); // opening asks nothing yet

        hold.note_traffic();
        hold.note_traffic(); // already held: no second write
        CHECK(hold.state() == CpuLatencyHold::State::held);
        CHECK(dev.requests() == std::vector<std::int32_t>{0});

        // The second call above counts as traffic in the first period, so the first
        // check (30 ms) keeps the request and the second (60 ms) releases it.
        const auto taken = std::chrono::steady_clock::now();
        REQUIRE(run_until(io, [&] { return hold.state() != CpuLatencyHold::State::held; }));
        CHECK(std::chrono::steady_clock::now() - taken >= 60ms); // timers never fire early
        CHECK(hold.state() == CpuLatencyHold::State::released);
        CHECK(dev.requests() == std::vector<std::int32_t>{0, -1});
        CHECK(hold.holds() == 1);

        hold.note_traffic(); // the next conversation takes it again
        CHECK(dev.requests() == std::vector<std::int32_t>{0, -1, 0});
        CHECK(hold.holds() == 2);
        CHECK(hold.describe() == "hold 30 ms, held, holds 2");
    }

    TEST_CASE("traffic in every period keeps the request") {
        FakeDevice dev;
        boost::asio::io_context io;
        CpuLatencyHold hold(io, dev.path);
        hold.configure(100ms);
        hold.note_traffic();
        // Traffic every 10 ms for 400 ms, i.e. across four checks.
        boost::asio::steady_timer tick(io);
        int ticks = 0;
        std::function<void()> again = [&] {
            tick.expires_after(10ms);
            tick.async_wait([&](const boost::system::error_code& ec) {
                if (!ec) {
                    hold.note_traffic();
                    if (++ticks < 40) {
                        again();
                    }
                }
            });
        };
        again();
        REQUIRE(run_until(io, [&] { return ticks == 40; }));
        CHECK(hold.state() == CpuLatencyHold::State::held);
        CHECK(dev.requests() == std::vector<std::int32_t>{0});
        // Then quiet: released, and only once.
        REQUIRE(run_until(io, [&] { return hold.state() != CpuLatencyHold::State::held; }));
        CHECK(hold.state() == CpuLatencyHold::State::released);
        CHECK(dev.requests() == std::vector<std::int32_t>{0, -1});
    }

    TEST_CASE("zero turns the hold off, releasing a held request first") {
        FakeDevice dev;
        boost::asio::io_context io;
        CpuLatencyHold hold(io, dev.path);
        CHECK(hold.state() == CpuLatencyHold::State::off);
        hold.note_traffic(); // off: nothing happens
        CHECK(dev.requests().empty());

        hold.configure(1000ms);
        hold.note_traffic();
        hold.configure(0ms);
        CHECK(hold.state() == CpuLatencyHold::State::off);
        CHECK(dev.requests() == std::vector<std::int32_t>{0, -1});
        CHECK(hold.describe() == "off");
        hold.note_traffic();
        CHECK(dev.requests().size() == 2);
    }

    TEST_CASE("a device that cannot be opened leaves the hold unavailable, saying why") {
        boost::asio::io_context io;
        CpuLatencyHold hold(io, "/nonexistent/cpu_dma_latency");
        hold.configure(20ms);
        CHECK(hold.state() == CpuLatencyHold::State::unavailable);
        CHECK(
            hold.describe() ==
            "unavailable: unable to open /nonexistent/cpu_dma_latency: No such file or directory");
        hold.note_traffic(); // harmless
        CHECK(hold.state() == CpuLatencyHold::State::unavailable);
    }

    TEST_CASE("a device that refuses the request makes the hold unavailable") {
        // /dev/full accepts the open and fails every write with ENOSPC.
        boost::asio::io_context io;
        CpuLatencyHold hold(io, "/dev/full");
        hold.configure(20ms);
        REQUIRE(hold.state() == CpuLatencyHold::State::released);
        hold.note_traffic();
        CHECK(hold.state() == CpuLatencyHold::State::unavailable);
        CHECK(hold.describe() == "unavailable: unable to write /dev/full: No space left on device");
        CHECK(hold.holds() == 0);
    }

} // TEST_SUITE
