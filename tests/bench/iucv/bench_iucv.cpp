// SPDX-License-Identifier: MIT
// bench_iucv: IUCV bulk transfer between two guest processes through a real
// cpd, at 65,535-byte (64 KiB, the IUCV maximum) and 1 KiB messages, beside a
// Unix-domain-socket baseline with a hub process (also two hops) in the same
// run. One-way sends with a window: the receiver acks every N messages.
// Runs alternate between the two; prints medians and the median per-run ratio.
// Then IUCV round trips (a 64-byte message and its 4-byte reply, back to back
// and with every process asleep in between) with cpd run as root and as the
// package runs it (service_user.hpp), alternately, printed as p50/p99 over all
// runs with the range of the runs' medians, and the CPU cpd and its guests use
// in the two seconds after the traffic stops. A program, not a test.
#include "bench_uds.hpp"
#include "cpd_harness.hpp"
#include "round_trip_stats.hpp"
#include "service_user.hpp"

#include <functional>

#include <algorithm>
#include <optional>
#include <utility>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <sys/utsname.h>
#include <unistd.h>

#ifndef CPD_BENCH_IUCV_GUEST
#define CPD_BENCH_IUCV_GUEST "cpd-bench-iucv-guest"
#endif

namespace {

using namespace cpd::test;
using cpd::bench::Transfer;

/// One row of the table: a message size and how the traffic is paced.
struct Shape {
    const char* name;
    std::size_t size;
    std::uint64_t count;
    std::uint64_t window;    ///< unacknowledged messages at most
    std::uint64_t ack_every; ///< receiver acks every this many messages
};

/// Ring size per direction (cpd.conf ring_kib). Bulk transfer is configured with
/// 2 MiB rings (cpd's default is 1 MiB): room for a window that keeps both copies
/// busy. Larger rings measured slower here: the data no longer stays in cache.
unsigned ring_kib = 2048;
/// cpd.conf latency_hold_ms (20 is cpd's default; the harness turns it off for tests).
int latency_hold_ms = 20;

/// One IUCV transfer through a fresh cpd.
Transfer run_iucv(const Shape& s) {
    const std::string guest = CPD_BENCH_IUCV_GUEST;
    HarnessConfig c;
    c.autolog = "BRECV BSEND";
    c.latency_hold_ms = latency_hold_ms;
    if (ring_kib != 0) {
        c.extra_conf = "ring_kib = " + std::to_string(ring_kib);
    }
    c.directory = "USER OPERATOR NOPASS 64M 128M ABCDEFG\n POSIXINFO UID 0\n"
                  "USER BRECV NOPASS 16M 16M G\n IPL " +
                  guest + " PARM RECV " + std::to_string(s.count) + " " +
                  std::to_string(s.ack_every) +
                  "\n IUCV ALLOW\nUSER BSEND NOPASS 16M 16M G\n IPL " + guest +
                  " PARM SEND BRECV " + std::to_string(s.size) + " " + std::to_string(s.count) +
                  " " + std::to_string(s.window) +
                  " $DIR/state/disks/BSEND/0191/log\n MDISK 0191 3390 1 1 OUT191 MR\n";
    CpdHarness cpd(c);
    Transfer t;
    if (!cpd.start()) {
        std::fprintf(stderr, "bench_iucv: cpd did not start:\n%s\n", cpd.log().c_str());
        return t;
    }
    const std::string result = cpd.out_file("bsend");
    // Polled every 20 ms, so the waiting driver takes no CPU from the transfer.
    if (!wait_until([&] { return read_file(result).find('\n') != std::string::npos; }, 60s, 20ms)) {
        std::fprintf(stderr, "bench_iucv: no result:\n%s\n", cpd.log().c_str());
        return t;
    }
    unsigned long long msgs = 0, bytes = 0, failures = 0;
    long long ns = 0;
    if (std::sscanf(read_file(result).c_str(), "%llu %llu %lld %llu", &msgs, &bytes, &ns,
                    &failures) == 4 &&
        ns > 0 && msgs == s.count && failures == 0) {
        t = {msgs, bytes, static_cast<double>(ns) / 1e9, true};
    } else {
        std::fprintf(stderr, "bench_iucv: bad result: %s", read_file(result).c_str());
    }
    cpd.stop();
    return t;
}

/// One IUCV round-trip run through a fresh cpd: its round trips, and (when
/// asked) the CPU of cpd and both guests after the last one, and cpd's
/// QUERY STATS LATENCY line then.
struct PingRun {
    std::vector<std::uint64_t> rtt_ns;
    cpd::bench::IdleCpu idle;
    std::string hold = "-";
};

PingRun run_iucv_ping(const ServicePolicy* service, std::uint64_t count, unsigned pause_us,
                      bool measure_idle) {
    const std::string guest = CPD_BENCH_IUCV_GUEST;
    HarnessConfig c;
    c.autolog = "BRECV BPING";
    c.latency_hold_ms = latency_hold_ms;
    c.directory = "USER OPERATOR NOPASS 64M 128M ABCDEFG\n POSIXINFO UID 0\n"
                  "USER BRECV NOPASS 16M 16M G\n IPL " +
                  guest + " PARM RECV " + std::to_string(count) +
                  " 1\n IUCV ALLOW\nUSER BPING NOPASS 16M 16M G\n IPL " + guest +
                  " PARM PING BRECV 64 " + std::to_string(count) + " " + std::to_string(pause_us) +
                  " $DIR/state/disks/BPING/0191/rtt\n MDISK 0191 3390 1 1 OUT191 MR\n";
    std::optional<LatencyDeviceAsUdevSetsIt> device;
    if (service != nullptr) {
        device.emplace(*service);
        c.launcher = service->launcher();
        c.dir_uid = static_cast<int>(service->uid);
        c.dir_gid = static_cast<int>(service->gid);
    }
    PingRun run;
    CpdHarness cpd(c);
    if (!cpd.start()) {
        std::fprintf(stderr, "bench_iucv: cpd did not start:\n%s\n", cpd.log().c_str());
        return run;
    }
    const std::string result = cpd.dir() + "/state/disks/BPING/0191/rtt";
    const auto budget = std::chrono::milliseconds(30000 + count * (pause_us + 1000) / 1000);
    // Polled every 50 ms, so the waiting driver takes no CPU from the guests.
    if (!wait_until([&] { return ::access(result.c_str(), R_OK) == 0; }, budget, 50ms)) {
        std::fprintf(stderr, "bench_iucv: no round trips:\n%s\n", cpd.log().c_str());
        return run;
    }
    if (measure_idle) {
        std::vector<int> pids{cpd.pid()};
        for (pid_t g : cpd.guest_pids()) {
            pids.push_back(g);
        }
        run.idle = cpd::bench::idle_cpu_after_traffic(pids);
        const std::string stats = cpd.connect().cp("Q STATS").text;
        const auto at = stats.find("LATENCY  ");
        run.hold = at == std::string::npos ? "?" : stats.substr(at + 9, stats.find('\n', at) - at - 9);
    }
    for (const std::string& line : read_lines(result)) {
        run.rtt_ns.push_back(std::strtoull(line.c_str(), nullptr, 10));
    }
    cpd.stop();
    return run;
}

/// Every round trip of one case over its runs.
struct PingCase {
    cpd::bench::RoundTrips rtt;
    cpd::bench::IdleCpu idle;
    std::string hold = "-";
    void run(const char* label, const ServicePolicy* service, std::uint64_t count, unsigned pause_us,
             bool last) {
        PingRun r = run_iucv_ping(service, count, pause_us, last && pause_us != 0);
        std::sort(r.rtt_ns.begin(), r.rtt_ns.end());
        std::fprintf(stderr, "  %s run %zu: n %zu p50 %.1f us\n", label, rtt.runs(), r.rtt_ns.size(),
                     r.rtt_ns.empty() ? 0.0 : static_cast<double>(r.rtt_ns[r.rtt_ns.size() / 2]) / 1e3);
        if (last && pause_us != 0) {
            idle = r.idle;
            hold = r.hold;
        }
        rtt.add_run(std::move(r.rtt_ns));
    }
};

double median(std::vector<double> v) {
    if (v.empty()) {
        return 0;
    }
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

/// Medians of one row: IUCV and baseline bytes/s and messages/s, and the median of
/// the per-run ratios.
struct RowResult {
    double iucv_bps = 0, iucv_mps = 0, uds_bps = 0, uds_mps = 0, ratio = 0;
};

/// Alternates IUCV and baseline transfers, `runs` of each, so a noisy spell on
/// this shared machine hits both sides alike; each run is shown on stderr.
RowResult measure(const char* name, const std::function<Transfer()>& iucv,
                  const std::function<Transfer()>& uds, int runs) {
    std::vector<double> ibps, imps, ubps, umps, ratios;
    for (int i = 0; i < runs; ++i) {
        const Transfer a = iucv();
        const Transfer b = uds ? uds() : Transfer{};
        const double a_bps = a.ok && a.seconds > 0 ? static_cast<double>(a.bytes) / a.seconds : 0;
        const double b_bps = b.ok && b.seconds > 0 ? static_cast<double>(b.bytes) / b.seconds : 0;
        if (a_bps > 0) {
            ibps.push_back(a_bps);
            imps.push_back(static_cast<double>(a.messages) / a.seconds);
        }
        if (b_bps > 0) {
            ubps.push_back(b_bps);
            umps.push_back(static_cast<double>(b.messages) / b.seconds);
        }
        if (a_bps > 0 && b_bps > 0) {
            ratios.push_back(a_bps / b_bps);
        }
        std::fprintf(stderr, "  %s run %d: IUCV %.2f GB/s, UDS %.2f GB/s\n", name, i, a_bps / 1e9,
                     b_bps / 1e9);
    }
    return {median(ibps), median(imps), median(ubps), median(umps), median(ratios)};
}

std::string loadavg() {
    std::string s = read_file("/proc/loadavg");
    return s.substr(0, s.find(' ', s.find(' ', s.find(' ') + 1) + 1));
}

} // namespace

int main(int argc, char** argv) {
    int runs = 7;
    double scale = 1.0;
    std::string only; // --only=64k|1k
    bool no_baseline = false;
    std::uint64_t window = 0, ack = 0; // overrides
    bool throughput = true, round_trips = true;
    int ping_runs = 3;
    std::uint64_t pings = 34000; // per run: 3 runs give >= 100,000 round trips
    unsigned pause_us = 500;     // longer than every spin: all processes asleep
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--quick") == 0) {
            runs = 3;
            scale = 0.25;
        } else if (std::strncmp(argv[i], "--only=", 7) == 0) {
            only = argv[i] + 7;
        } else if (std::strncmp(argv[i], "--window=", 9) == 0) {
            window = std::strtoull(argv[i] + 9, nullptr, 10);
        } else if (std::strncmp(argv[i], "--ring-kib=", 11) == 0) {
            ring_kib = static_cast<unsigned>(std::strtoul(argv[i] + 11, nullptr, 10));
        } else if (std::strncmp(argv[i], "--latency-hold-ms=", 18) == 0) {
            latency_hold_ms = std::max(0, std::atoi(argv[i] + 18));
        } else if (std::strncmp(argv[i], "--ack=", 6) == 0) {
            ack = std::strtoull(argv[i] + 6, nullptr, 10);
        } else if (std::strcmp(argv[i], "--round-trips-only") == 0) {
            throughput = false;
        } else if (std::strcmp(argv[i], "--no-round-trips") == 0) {
            round_trips = false;
        } else if (std::strncmp(argv[i], "--ping-runs=", 12) == 0) {
            ping_runs = std::max(1, std::atoi(argv[i] + 12));
        } else if (std::strncmp(argv[i], "--pings=", 8) == 0) {
            pings = std::max<std::uint64_t>(1, std::strtoull(argv[i] + 8, nullptr, 10));
        } else if (std::strncmp(argv[i], "--pause-us=", 11) == 0) {
            pause_us = static_cast<unsigned>(std::strtoul(argv[i] + 11, nullptr, 10));
        } else if (std::strcmp(argv[i], "--no-baseline") == 0) {
            no_baseline = true;
        } else if (std::strncmp(argv[i], "--scale=", 8) == 0) {
            scale = std::atof(argv[i] + 8);
        } else if (std::strncmp(argv[i], "--runs=", 7) == 0) {
            runs = std::max(1, std::atoi(argv[i] + 7));
        } else {
            std::fprintf(stderr,
                         "usage: bench_iucv [--quick] [--runs=N] [--scale=F] [--only=64k|1k] "
                         "[--window=N] [--ack=N] [--ring-kib=N] [--latency-hold-ms=N] "
                         "[--no-baseline] [--round-trips-only | --no-round-trips] [--ping-runs=N] "
                         "[--pings=N] [--pause-us=N]\n");
            return 2;
        }
    }
    auto scaled = [scale](std::uint64_t n) {
        return static_cast<std::uint64_t>(static_cast<double>(n) * scale);
    };
    std::vector<Shape> shapes = {
        {"64 KiB (65,535 B)", 65535, scaled(40000), 28, 4}, // 30 records fill a 2 MiB ring
        {"1 KiB", 1024, scaled(1000000), 768, 32},
    };
    for (Shape& s : shapes) {
        s.window = window != 0 ? window : s.window;
        s.ack_every = ack != 0 ? ack : s.ack_every;
    }
    utsname u{};
    ::uname(&u);
    std::printf("bench_iucv: Linux %s, nproc %ld, load average before: %s\n", u.release,
                ::sysconf(_SC_NPROCESSORS_ONLN), loadavg().c_str());
    std::printf("method: %d IUCV runs alternating with %d baseline runs, medians, ratio = median "
                "of the per-pair ratios; IUCV: guest -> cpd -> guest, one-way sends, window "
                "of unacked messages, 4-byte ack every N; UDS: sender -> hub process -> receiver "
                "over SOCK_STREAM socket pairs, same sizes, window and acks; both receivers read "
                "every byte (64-bit sum); rings %u KiB\n\n",
                runs, runs, ring_kib);
    std::printf("%-18s %9s %7s | %10s %12s | %10s %12s | %7s\n", "message", "count", "window",
                "IUCV GB/s", "IUCV msg/s", "UDS GB/s", "UDS msg/s", "ratio");
    for (const Shape& s : shapes) {
        if (!throughput || (!only.empty() && (only == "1k") != (s.size == 1024))) {
            continue;
        }
        const RowResult r = measure(
            s.name, [&] { return run_iucv(s); },
            no_baseline ? std::function<Transfer()>{}
                        : [&] { return cpd::bench::run_uds(s.size, s.count, s.window, s.ack_every); },
            runs);
        std::printf("%-18s %9llu %7llu | %10.2f %12.0f | %10.2f %12.0f | %6.1fx\n", s.name,
                    static_cast<unsigned long long>(s.count),
                    static_cast<unsigned long long>(s.window), r.iucv_bps / 1e9, r.iucv_mps,
                    r.uds_bps / 1e9, r.uds_mps, r.ratio);
        std::fflush(stdout);
    }
    if (round_trips) {
        std::string why;
        const std::optional<ServicePolicy> policy = shipped_service_policy(why);
        if (!policy) {
            std::fprintf(stderr, "bench_iucv: no service user mode: %s\n", why.c_str());
        }
        const ServicePolicy* service = policy ? &*policy : nullptr;
        PingCase root_busy, service_busy, root_asleep, service_asleep;
        for (int i = 0; i < ping_runs; ++i) { // alternately, so a noisy spell hits both
            const bool last = i + 1 == ping_runs;
            root_busy.run("cpd as root, busy", nullptr, pings, 0, last);
            root_asleep.run("cpd as root, asleep", nullptr, pings, pause_us, last);
            if (service != nullptr) {
                service_busy.run("cpd as service user, busy", service, pings, 0, last);
                service_asleep.run("cpd as service user, asleep", service, pings, pause_us, last);
            }
        }
        std::printf("\nIUCV round trips (64 B message, 4 B reply; asleep: %u us apart), %d runs of "
                    "%llu, a fresh cpd each; latency_hold_ms = %d\n",
                    pause_us, ping_runs, static_cast<unsigned long long>(pings), latency_hold_ms);
        if (policy) {
            std::printf("service user: setpriv as %s (uid %u) with supplementary group %s (gid %u%s), "
                        "the unit's capabilities, /dev/cpu_dma_latency as the udev rule sets it\n",
                        policy->user.c_str(), static_cast<unsigned>(policy->uid),
                        policy->latency_group.c_str(), static_cast<unsigned>(policy->latency_gid),
                        policy->latency_group_exists ? "" : ", not created here");
        }
        std::printf("\n%s", cpd::bench::round_trip_header("").c_str());
        const std::pair<const char*, PingCase*> cases[] = {
            {"cpd as root, busy", &root_busy},
            {"cpd as service user, busy", &service_busy},
            {"cpd as root, asleep", &root_asleep},
            {"cpd as service user, asleep", &service_asleep}};
        for (const auto& [label, pc] : cases) {
            if (pc->rtt.count() != 0) {
                std::printf("%s", cpd::bench::round_trip_row(label, pc->rtt, "").c_str());
            }
        }
        std::printf("\n| after the last asleep run | cpd as root | cpd as service user |\n"
                    "|---|--:|--:|\n"
                    "| CPU of cpd + 2 guests, first second (ms) | %.0f | %.0f |\n"
                    "| CPU of cpd + 2 guests, second second (ms) | %.0f | %.0f |\n"
                    "| QUERY STATS LATENCY | %s | %s |\n",
                    root_asleep.idle.first_second_ms, service_asleep.idle.first_second_ms,
                    root_asleep.idle.second_second_ms, service_asleep.idle.second_second_ms,
                    root_asleep.hold.c_str(), service_asleep.hold.c_str());
    }
    std::printf("\nload average after: %s\n", loadavg().c_str());
    return 0;
}
