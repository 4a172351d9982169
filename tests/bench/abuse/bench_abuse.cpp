// SPDX-License-Identifier: MIT
// bench_abuse: what hostile control-socket clients cost cpd (issue 13, point
// 2). One private cpd with ECHO and the default client limits, except caps
// raised so that every hostile client is admitted and the per-client budget,
// not the cap, is what is measured. A good client times `Q N` every 5 ms
// throughout; the baseline is the same probe with no hostile client, in the
// same run. Scenarios: 1,000 clients announcing a 1 MiB request and going
// silent; 1,000 sending half of a 16,000-byte request and going silent;
// 250 never-reading QUERY STATS clients plus 250 never-reading console
// observers of a guest whose console a writer keeps busy. Each ends when cpd
// has closed every hostile connection; prints peak and after RSS and the good
// client's median and worst latency. Exit 1 if a bound of the issue is missed.
#include "client_abuse.hpp"
#include "cpd_harness.hpp"

#include "cpd/ipc/frame_io.hpp"

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <unistd.h>

namespace {

using namespace cpd::test;
using Clock = std::chrono::steady_clock;

constexpr uid_t hostile_uid = 65532;

struct Row {
    std::string name;
    int clients = 0;
    double start_mib = 0, peak_mib = 0, after_mib = 0, seconds = 0;
    double median_ms = 0, worst_ms = 0;
    int failures = 0;
};

double mib(std::size_t kib) {
    return static_cast<double>(kib) / 1024.0;
}

/// The private cpd: ECHO logged on, ABUSER (class B, may observe) for the hostile uid.
HarnessConfig bench_config() {
    HarnessConfig c;
    c.directory = "USER OPERATOR NOPASS 64M 128M ABCDEFG\n POSIXINFO UID 0\n"
                  "USER ECHO NOPASS 16M 16M G\n IPL ECHO\n"
                  "USER ABUSER NOPASS 16M 16M BG\n POSIXINFO UID " +
                  std::to_string(hostile_uid) + "\n";
    c.autolog = "ECHO";
    c.extra_conf = "socket_mode = 0666\nmax_clients = 4000\nmax_clients_per_uid = 4000\n";
    return c;
}

/// Keeps ECHO's console busy: a writer typing 4,000-byte lines, reading all it gets.
class ConsoleDriver {
  public:
    explicit ConsoleDriver(const CpdHarness& cpd) : client_(cpd.connect()) {
        client_.send(cpd::proto::ClientConsoleAttach{*cpd::proto::Userid::parse("ECHO"),
                                                     cpd::proto::AttachMode::writer, false});
    }
    void type_a_line() {
        client_.send(cpd::proto::ClientConsoleInput{line_});
        while (client_.read(std::chrono::milliseconds(0)).type != 0) {
        }
    }

  private:
    Client client_;
    std::string line_ = std::string(4000, 'z');
};

/// Runs one scenario: the hostile groups start, the probe runs until cpd has closed them all.
Row run(CpdHarness& cpd, const std::string& name, std::vector<AbuseSpec> groups, bool drive) {
    Row row{name};
    const pid_t pid = cpd.pid();
    row.start_mib = mib(rss_kib(pid));
    reset_peak_rss(pid);
    LatencyProbe probe(cpd.socket_path(), std::chrono::milliseconds(5));
    probe.start();
    const auto t0 = Clock::now();
    std::vector<std::unique_ptr<AbusiveClients>> hostile;
    for (const AbuseSpec& g : groups) {
        hostile.push_back(std::make_unique<AbusiveClients>(g));
        const int made = hostile.back()->start();
        row.clients += made > 0 ? made : 0;
    }
    std::unique_ptr<ConsoleDriver> driver;
    if (drive) {
        driver = std::make_unique<ConsoleDriver>(cpd);
    }
    auto all_closed = [&] {
        int closed = 0;
        for (auto& h : hostile) {
            closed += std::max(0, h->closed_by_cpd());
        }
        return closed >= row.clients;
    };
    const auto give_up = t0 + std::chrono::seconds(120);
    for (int i = 0; Clock::now() < give_up; ++i) {
        if (driver) {
            driver->type_a_line();
        }
        if (i % 50 == 0 && all_closed()) {
            break;
        }
        ::usleep(2000);
    }
    row.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    row.peak_mib = mib(peak_rss_kib(pid));
    driver.reset();
    hostile.clear();
    ::usleep(500000); // let cpd's sweep forget the closed sessions
    probe.stop();
    row.after_mib = mib(rss_kib(pid));
    const auto samples = probe.samples_ms();
    row.median_ms = median_of(samples);
    row.worst_ms = max_of(samples);
    row.failures = probe.failures();
    std::fprintf(stderr, "%s: worst round trip began %.0f ms in\n", name.c_str(),
                 probe.worst_at_ms());
    return row;
}

/// The baseline: the probe alone for two seconds.
Row baseline(CpdHarness& cpd) {
    Row row{"baseline: good client alone"};
    row.start_mib = row.peak_mib = mib(rss_kib(cpd.pid()));
    LatencyProbe probe(cpd.socket_path(), std::chrono::milliseconds(5));
    probe.start();
    ::sleep(2);
    probe.stop();
    row.after_mib = mib(rss_kib(cpd.pid()));
    row.seconds = 2;
    const auto samples = probe.samples_ms();
    row.median_ms = median_of(samples);
    row.worst_ms = max_of(samples);
    row.failures = probe.failures();
    return row;
}

} // namespace

int main(int argc, char** argv) {
    const std::string only = argc > 1 ? argv[1] : ""; // a scenario letter: a, b or c
    if (::geteuid() != 0) {
        std::fprintf(stderr, "bench_abuse: needs root (hostile clients run as uid %u)\n",
                     hostile_uid);
        return 2;
    }
    CpdHarness cpd(bench_config());
    if (!cpd.start()) {
        std::fprintf(stderr, "bench_abuse: cpd did not start:\n%s", cpd.log().c_str());
        return 1;
    }
    cpd.connect().cp("Q N"); // warm up
    const std::string sock = cpd.socket_path();
    std::printf("%-38s %7s %9s %9s %9s %8s %9s %9s %5s\n", "scenario", "clients", "start MiB",
                "peak MiB", "after MiB", "gone s", "median ms", "worst ms", "fail");
    bool ok = true;
    auto report = [&ok](const Row& r) {
        std::printf("%-38s %7d %9.1f %9.1f %9.1f %8.1f %9.2f %9.2f %5d\n", r.name.c_str(),
                    r.clients, r.start_mib, r.peak_mib, r.after_mib, r.seconds, r.median_ms,
                    r.worst_ms, r.failures);
        std::fflush(stdout);
        ok = ok && r.peak_mib < 64 && r.after_mib < r.start_mib + 16 && r.worst_ms < 100 &&
             r.failures == 0;
    };
    report(baseline(cpd));
    if (only.empty() || only == "a") {
        report(run(cpd, "a: 1,000 announce 1 MiB, silent",
                   {{sock, hostile_uid, Abuse::announce_and_stall, 1000, ""}}, false));
    }
    if (only.empty() || only == "b") {
        report(run(cpd, "b: 1,000 send 8 of 16 KB, silent",
                   {{sock, hostile_uid, Abuse::trickle, 1000, ""}}, false));
    }
    if (only.empty() || only == "c") {
        report(run(cpd, "c: 250 Q STATS + 250 observers, no read",
                   {{sock, hostile_uid, Abuse::stats_no_read, 250, ""},
                    {sock, hostile_uid, Abuse::observe_no_read, 250, "ECHO"}},
                   true));
    }
    std::printf("\nbounds (issue 13): peak < 64 MiB, after < start + 16 MiB, worst < 100 ms: %s\n",
                ok ? "met" : "MISSED");
    return ok ? 0 : 1;
}
