// SPDX-License-Identifier: MIT
// bench_ring: throughput and round-trip latency of the cpd ring between two
// processes, beside a Unix socket pair and Boost.Interprocess message_queue
// measured in the same run. Prints one table; --quick shortens every run.
// The producer/ponger is a forked child pinned to another CPU when there is one.
#include "bench_transports.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include <sched.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <csignal>
#include <unistd.h>

namespace {

using Clock = std::chrono::steady_clock;
using cpd::bench::Transport;

struct Config {
    int runs = 5;
    double run_seconds = 1.0;
    int rtt_awake_pings = 20000;
    int rtt_asleep_pings = 300;
    int pause_us = 1000;          // between pings when the peer should be asleep
    std::uint64_t spin_ns = 50000; // consumer spin before sleeping
    bool pin = false;
};

/// Counters the child leaves for the parent (in a MAP_SHARED page).
struct Shared {
    std::uint64_t child_wakeups;
};
Shared* g_shared = nullptr;

double seconds_since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

void pin_to(int cpu, bool pin) {
    if (!pin) {
        return;
    }
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    ::sched_setaffinity(0, sizeof set, &set);
}

/// Runs `child` in a forked process pinned to CPU 1 while `parent` runs here on CPU 0.
template <class Child, class Parent>
auto two_processes(Transport& t, const Config& c, Child child, Parent parent) {
    g_shared->child_wakeups = 0;
    pid_t pid = ::fork();
    if (pid == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        pin_to(1, c.pin);
        t.bind(false);
        child(t);
        g_shared->child_wakeups = t.wakeups();
        ::_exit(0);
    }
    pin_to(0, c.pin);
    t.bind(true);
    auto result = parent(t);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::fprintf(stderr, "bench_ring: child failed (status %d)\n", status);
        std::exit(70);
    }
    return result;
}

struct Throughput {
    double frames_per_s;
    double wakeups_per_msg;
};

/// The child streams `size`-byte frames for `seconds`, then a 1-byte end marker.
Throughput measure_throughput(Transport& t, const Config& c, std::size_t size) {
    auto child = [&](Transport& tx) {
        std::vector<std::byte> msg(size, std::byte{0x5A});
        const auto start = Clock::now();
        for (std::uint64_t i = 0;; ++i) {
            std::memcpy(msg.data(), &i, sizeof i);
            tx.send(msg.data(), size);
            if ((i & 1023) == 0 && seconds_since(start) >= c.run_seconds) {
                break;
            }
        }
        const std::byte end{1};
        tx.send(&end, 1);
        tx.flush();
    };
    auto parent = [&](Transport& rx) {
        std::vector<std::byte> buf(4096);
        std::uint64_t frames = 0;
        rx.recv(buf.data(), buf.size());
        const auto first = Clock::now();
        while (rx.recv(buf.data(), buf.size()) != 1) {
            ++frames;
        }
        return Throughput{static_cast<double>(frames) / seconds_since(first), 0.0};
    };
    Throughput r = two_processes(t, c, child, parent);
    r.wakeups_per_msg = static_cast<double>(g_shared->child_wakeups) /
                        (r.frames_per_s * c.run_seconds + 1.0);
    return r;
}

struct Latency {
    double median_us;
    double p99_us;
    double wakeups_per_hop;
};

/// Ping-pong of 64-byte messages, at most `pings` or `run_seconds`, ended by a
/// 1-byte stop message; `pause_us` > 0 lets the peer fall asleep between pings.
Latency measure_rtt(Transport& t, const Config& c, int pings, int pause_us) {
    auto child = [&](Transport& tx) {
        std::byte buf[4096];
        for (;;) {
            std::size_t n = tx.recv(buf, sizeof buf);
            if (n == 1) {
                return;
            }
            tx.send(buf, n);
            tx.flush();
        }
    };
    auto parent = [&](Transport& tx) {
        std::byte buf[4096] = {};
        std::vector<double> us;
        us.reserve(static_cast<std::size_t>(pings));
        const auto start = Clock::now();
        for (int i = 0; i < pings && (i < 20 || seconds_since(start) < c.run_seconds); ++i) {
            if (pause_us > 0) {
                std::this_thread::sleep_for(std::chrono::microseconds(pause_us));
            }
            const auto t0 = Clock::now();
            tx.send(buf, 64);
            tx.flush();
            tx.recv(buf, sizeof buf);
            us.push_back(seconds_since(t0) * 1e6);
        }
        const std::uint64_t wakeups = tx.wakeups();
        tx.send(buf, 1);
        tx.flush();
        std::sort(us.begin(), us.end());
        return std::make_pair(us, wakeups);
    };
    auto [us, parent_wakeups] = two_processes(t, c, child, parent);
    const double hops = 2.0 * static_cast<double>(us.size());
    return Latency{us[us.size() / 2], us[std::min(us.size() - 1, us.size() * 99 / 100)],
                   static_cast<double>(parent_wakeups + g_shared->child_wakeups) / hops};
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
}

/// Median over `runs` fresh transports of one throughput measurement.
Throughput median_throughput(const std::function<std::unique_ptr<Transport>()>& make,
                             const Config& c, std::size_t size) {
    std::vector<double> rate, wake;
    for (int i = 0; i < c.runs; ++i) {
        auto t = make();
        Throughput r = measure_throughput(*t, c, size);
        rate.push_back(r.frames_per_s);
        wake.push_back(r.wakeups_per_msg);
    }
    return {median(rate), median(wake)};
}

/// Median over `runs` of per-run median, p99 and wake-ups.
Latency median_rtt(const std::function<std::unique_ptr<Transport>()>& make, const Config& c,
                   int pings, int pause_us) {
    std::vector<double> med, p99, wake;
    for (int i = 0; i < c.runs; ++i) {
        auto t = make();
        Latency l = measure_rtt(*t, c, pings, pause_us);
        med.push_back(l.median_us);
        p99.push_back(l.p99_us);
        wake.push_back(l.wakeups_per_hop);
    }
    return {median(med), median(p99), median(wake)};
}

std::string cpu_model() {
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("model name", 0) == 0) {
            return line.substr(line.find(':') + 2);
        }
    }
    return "unknown";
}

void print_environment(const Config& c) {
    utsname u{};
    ::uname(&u);
    std::printf("environment: %s, Linux %s, nproc %ld, %s\n", cpu_model().c_str(), u.release,
                ::sysconf(_SC_NPROCESSORS_ONLN),
                c.pin ? "producer and consumer pinned to CPUs 1 and 0" : "not pinned");
    std::printf("method: median of %d runs; throughput runs %.1f s each; round trip 64 B, "
                "up to %d pings awake, %d asleep (%d us pause) or %.1f s per run; "
                "ring spin %.0f us\n\n",
                c.runs, c.run_seconds, c.rtt_awake_pings, c.rtt_asleep_pings, c.pause_us,
                c.run_seconds, static_cast<double>(c.spin_ns) / 1000.0);
}

} // namespace

int main(int argc, char** argv) {
    Config c;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--quick") == 0) {
            c.runs = 3;
            c.run_seconds = 0.2;
            c.rtt_awake_pings = 5000;
            c.rtt_asleep_pings = 100;
        } else {
            std::fprintf(stderr, "usage: bench_ring [--quick]\n");
            return 64;
        }
    }
    c.pin = ::sysconf(_SC_NPROCESSORS_ONLN) >= 2;
    void* page = ::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED) {
        return 71;
    }
    g_shared = static_cast<Shared*>(page);
    print_environment(c);

    struct Row {
        const char* name;
        std::function<std::unique_ptr<Transport>()> make_stream;
        std::function<std::unique_ptr<Transport>()> make_awake;
        std::function<std::unique_ptr<Transport>()> make_asleep;
    };
    const std::uint64_t forever = 3'600'000'000'000ull;
    std::vector<Row> rows = {
        {"cpd ring", [&] { return cpd::bench::make_ring(c.spin_ns, 64); },
         [&] { return cpd::bench::make_ring(forever, 1); },
         [&] { return cpd::bench::make_ring(c.spin_ns, 1); }},
        {"cpd ring, no spin", nullptr, nullptr, [] { return cpd::bench::make_ring(0, 1); }},
        {"unix seqpacket", cpd::bench::make_unix_socket, cpd::bench::make_unix_socket,
         cpd::bench::make_unix_socket},
        {"boost message_queue", cpd::bench::make_message_queue, cpd::bench::make_message_queue,
         cpd::bench::make_message_queue},
    };

    std::printf("%-20s %12s %12s %9s %10s | %9s %9s %9s %9s %9s %10s\n", "transport",
                "64B frames/s", "236B frames/s", "x unix", "wake/msg", "awake med", "awake p99",
                "sleep med", "sleep p99", "x unix", "wake/hop");
    std::printf("%-20s %12s %12s %9s %10s | %9s %9s %9s %9s %9s %10s\n", "", "", "", "(64 B)",
                "", "(us)", "(us)", "(us)", "(us)", "(sleep)", "(sleep)");
    Throughput unix64{};
    Latency unix_sleep{};
    std::vector<std::pair<Throughput, Latency>> measured;
    // measure unix first so ratios can be printed on each line
    std::vector<std::size_t> order = {2, 0, 1, 3};
    std::vector<std::string> lines(rows.size());
    for (std::size_t idx : order) {
        const Row& r = rows[idx];
        Throughput t64{}, t236{};
        Latency awake{}, asleep{};
        if (r.make_stream) {
            t64 = median_throughput(r.make_stream, c, 64);
            t236 = median_throughput(r.make_stream, c, 236);
        }
        if (r.make_awake) {
            awake = median_rtt(r.make_awake, c, c.rtt_awake_pings, 0);
        }
        asleep = median_rtt(r.make_asleep, c, c.rtt_asleep_pings, c.pause_us);
        if (idx == 2) {
            unix64 = t64;
            unix_sleep = asleep;
        }
        char buf[512];
        auto num = [](double v, const char* fmt) {
            char s[32];
            std::snprintf(s, sizeof s, fmt, v);
            return std::string(v > 0 ? s : "-");
        };
        std::snprintf(buf, sizeof buf, "%-20s %12s %12s %9s %10s | %9s %9s %9s %9s %9s %10s",
                      r.name, num(t64.frames_per_s, "%.3g").c_str(),
                      num(t236.frames_per_s, "%.3g").c_str(),
                      num(t64.frames_per_s / unix64.frames_per_s, "%.1f").c_str(),
                      idx == 0 ? num(t64.wakeups_per_msg + 1e-12, "%.1e").c_str() : "-",
                      num(awake.median_us, "%.1f").c_str(), num(awake.p99_us, "%.1f").c_str(),
                      num(asleep.median_us, "%.1f").c_str(), num(asleep.p99_us, "%.1f").c_str(),
                      num(asleep.median_us / unix_sleep.median_us, "%.2f").c_str(),
                      idx < 2 ? num(asleep.wakeups_per_hop + 1e-12, "%.2f").c_str() : "-");
        lines[idx] = buf;
        if (idx == 0) {
            measured.push_back({t64, asleep});
        }
        std::fflush(stdout);
    }
    for (const auto& l : lines) {
        std::printf("%s\n", l.c_str());
    }
    const auto& ring = measured.front();
    std::printf("\ntargets: ring >= 20 M frames/s at 64 B: %s (%.1f M); >= 10x unix: %s (%.1fx); "
                "sleeping round trip <= 1.2x unix: %s (%.2fx)\n",
                ring.first.frames_per_s >= 20e6 ? "met" : "MISSED", ring.first.frames_per_s / 1e6,
                ring.first.frames_per_s >= 10 * unix64.frames_per_s ? "met" : "MISSED",
                ring.first.frames_per_s / unix64.frames_per_s,
                ring.second.median_us <= 1.2 * unix_sleep.median_us ? "met" : "MISSED",
                ring.second.median_us / unix_sleep.median_us);
    return 0;
}
