// SPDX-License-Identifier: MIT
// The hostile-client scenarios of issue 13 at full scale against a real cpd,
// with its memory bounds and time bounds loose enough for a loaded machine
// (bench_abuse measures the figures): silent clients announcing 1 MiB,
// tricklers, and never-reading QUERY STATS clients plus console observers.
// A good client's `Q N` is answered throughout, and cpd's descriptors (and,
// after the non-readers, its memory) return to where they started.
#include "client_abuse.hpp"
#include "test_directory.hpp"

#include <doctest/doctest.h>

#include <memory>

#include <unistd.h>

using namespace cpd::test;

namespace {

constexpr uid_t hostile_uid = 65532;
constexpr std::size_t mib = 1024; // in KiB

/// ECHO, and ABUSER (class B: may observe) as the hostile uid; caps high enough
/// for every hostile client to get in, short deadlines so they end soon.
HarnessConfig abuse_config() {
    HarnessConfig c = test_config("ECHO");
    c.directory +=
        "USER ABUSER NOPASS 16M 16M BG\n POSIXINFO UID " + std::to_string(hostile_uid) + "\n";
    c.extra_conf = "socket_mode = 0666\nmax_clients = 4000\nmax_clients_per_uid = 4000\n"
                   "client_frame_seconds = 2\nclient_write_seconds = 2\n";
    return c;
}

/// Runs the hostile groups until cpd has closed every connection; checks
/// memory and the good client on the way. `drive` keeps ECHO's console busy.
void run_scenario(CpdHarness& cpd, const std::vector<AbuseSpec>& groups, bool drive,
                  bool memory_returns) {
    const pid_t pid = cpd.pid();
    const std::size_t start = rss_kib(pid);
    const int descriptors = descriptor_count(pid);
    REQUIRE(reset_peak_rss(pid));
    LatencyProbe probe(cpd.socket_path(), std::chrono::milliseconds(10));
    probe.start();
    std::vector<std::unique_ptr<AbusiveClients>> hostile;
    int made = 0;
    for (const AbuseSpec& g : groups) {
        hostile.push_back(std::make_unique<AbusiveClients>(g));
        const int n = hostile.back()->start();
        CHECK(n == g.count);
        made += std::max(n, 0);
    }
    Client writer;
    if (drive) {
        writer = cpd.connect();
        REQUIRE(writer.send(cpd::proto::ClientConsoleAttach{
            *cpd::proto::Userid::parse("ECHO"), cpd::proto::AttachMode::writer, false}));
    }
    const std::string line(4000, 'z');
    int closed = 0;
    const bool all_closed = wait_until(
        [&] {
            if (drive) {
                writer.send(cpd::proto::ClientConsoleInput{line});
                while (writer.read(0ms).type != 0) {
                }
            }
            closed = 0;
            for (auto& h : hostile) {
                closed += std::max(0, h->closed_by_cpd());
            }
            return closed >= made;
        },
        30s, 5ms);
    CHECK_MESSAGE(all_closed, closed << " of " << made << " closed by cpd");
    CHECK(peak_rss_kib(pid) < 64 * mib);
    hostile.clear();
    writer = Client{};
    probe.stop(); // its connection closes too: back to where we started
    CHECK(wait_until([&] { return descriptor_count(pid) <= descriptors; }, 5s));
    if (memory_returns) {
        CHECK(rss_kib(pid) < start + 16 * mib);
    }
    CHECK(probe.failures() == 0);
    CHECK(max_of(probe.samples_ms()) < 2000); // loose: the benchmark holds the 100 ms
    CHECK(probe.samples_ms().size() > 10);
}

} // namespace

TEST_SUITE("integration.client_abuse") {

    TEST_CASE("1,000 clients announcing 1 MiB and going silent cost cpd little") {
        if (not_root()) {
            return;
        }
        CpdHarness cpd(abuse_config());
        REQUIRE(cpd.start());
        run_scenario(cpd, {{cpd.socket_path(), hostile_uid, Abuse::announce_and_stall, 1000, ""}},
                     false, true);
    }

    TEST_CASE("1,000 clients trickling half a request are held in bounded memory, then cut off") {
        if (not_root()) {
            return;
        }
        CpdHarness cpd(abuse_config());
        REQUIRE(cpd.start());
        run_scenario(cpd, {{cpd.socket_path(), hostile_uid, Abuse::trickle, 1000, ""}}, false,
                     true);
        CHECK(cpd.log().find("closed: request not complete within 2 s") != std::string::npos);
    }

    TEST_CASE(
        "250 never-reading QUERY STATS clients and 250 observers are dropped, memory returns") {
        if (not_root()) {
            return;
        }
        CpdHarness cpd(abuse_config());
        REQUIRE(cpd.start());
        run_scenario(cpd,
                     {{cpd.socket_path(), hostile_uid, Abuse::stats_no_read, 250, ""},
                      {cpd.socket_path(), hostile_uid, Abuse::observe_no_read, 250, "ECHO"}},
                     true, true);
        CHECK(cpd.log().find("dropped: does not read its output") != std::string::npos);
    }

} // TEST_SUITE
