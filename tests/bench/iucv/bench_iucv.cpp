// SPDX-License-Identifier: MIT
// bench_iucv: IUCV bulk transfer between two guest processes through a real
// cpd, at 65,535-byte (64 KiB, the IUCV maximum) and 1 KiB messages, beside a
// Unix-domain-socket baseline with a hub process (also two hops) in the same
// run. One-way sends with a window: the receiver acks every N messages.
// Runs alternate between the two; prints medians and the median per-run ratio.
// A program, not a test.
#include "bench_uds.hpp"
#include "cpd_harness.hpp"

#include <functional>

#include <algorithm>
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
                         "[--no-baseline]\n");
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
        if (!only.empty() && (only == "1k") != (s.size == 1024)) {
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
    std::printf("\nload average after: %s\n", loadavg().c_str());
    return 0;
}
