// SPDX-License-Identifier: MIT
// bench_hop: the cost of one hop through cpd, against floors measured in the
// same run: two processes on a raw shared-memory ring; two processes pinned
// to one CPU (each round trip is two hand-overs of it, the least any three
// processes on two CPUs pay); and a bare relay, three processes with no cpd
// logic in the middle (--only relay runs these two). Two cases:
// the busy round trip (guest -> cpd -> guest -> cpd -> guest, both guests
// spinning; p50 and p99 over >= 100,000 round trips) and lossless windowed
// 64 B SMSG throughput (the sender keeps a window in flight, the receiver
// credits; nothing may be lost, counted at the receiver). Each figure is the
// median of several runs, printed with the run-to-run range. A program, not a test.
#include "../ring/bench_transports.hpp"
#include "../smsg/bench_driver.hpp"
#include "../smsg/bench_hub.hpp"
#include "cpd_harness.hpp"
#include "cpd/ipc/segment.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <sched.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

using namespace cpd::test;
using Clock = std::chrono::steady_clock;

struct Config {
    int runs = 3;
    int pings = 100000;
    double seconds = 2.0;
    std::uint64_t window = 4096;
    std::size_t size = 64;
    std::string only; ///< run only the cases whose name contains this
};

/// Median and run-to-run range of one figure.
struct Spread {
    double median = 0, lo = 0, hi = 0;
};

Spread spread(std::vector<double> v) {
    if (v.empty()) {
        return {};
    }
    std::sort(v.begin(), v.end());
    return {v[v.size() / 2], v.front(), v.back()};
}

double percentile(std::vector<std::uint64_t>& v, double p) {
    if (v.empty()) {
        return 0;
    }
    std::sort(v.begin(), v.end());
    const auto at =
        std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())));
    return static_cast<double>(v[at]);
}

/// One round-trip run: p50 and p99 in µs, and wake-ups per round trip.
struct RttRun {
    double p50 = 0, p99 = 0, wakes = 0;
    bool ok = false; ///< false: no result in time (the run and any after it are left out)
};

/// One throughput run: delivered M/s at the receiver, and what was lost.
struct FlowRun {
    double mps = 0;
    std::uint64_t sent = 0, received = 0;
};

// ---- the floor: two processes on a raw ring, no cpd -----------------------

/// Runs `child` in a forked process on side B of `t`, `parent` on side A here.
template <class C, class P> auto two_processes(cpd::bench::Transport& t, C child, P parent) {
    const pid_t pid = ::fork();
    if (pid == 0) {
        t.bind(false);
        child(t);
        ::_exit(0);
    }
    t.bind(true);
    auto r = parent(t);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return r;
}

/// Ping-pong of `size`-byte messages on a spinning ring; ends with a 1-byte stop.
RttRun ring_rtt(const Config& c) {
    auto t = cpd::bench::make_ring(1'000'000'000, 1); // spins for a second: never sleeps
    auto child = [](cpd::bench::Transport& tx) {
        std::byte buf[512];
        for (std::size_t n; (n = tx.recv(buf, sizeof buf)) != 1;) {
            tx.send(buf, n);
            tx.flush();
        }
    };
    auto parent = [&c](cpd::bench::Transport& tx) {
        std::byte buf[512] = {};
        std::vector<std::uint64_t> ns;
        ns.reserve(static_cast<std::size_t>(c.pings));
        for (int i = 0; i < c.pings; ++i) {
            const auto t0 = Clock::now();
            tx.send(buf, c.size);
            tx.flush();
            tx.recv(buf, sizeof buf);
            ns.push_back(static_cast<std::uint64_t>((Clock::now() - t0).count()));
        }
        tx.send(buf, 1);
        tx.flush();
        return ns;
    };
    std::vector<std::uint64_t> ns = two_processes(*t, child, parent);
    return {percentile(ns, 0.50) / 1e3, percentile(ns, 0.99) / 1e3, 0, true};
}

/// One-way stream of `size`-byte messages for c.seconds; the sender waits
/// while the ring is full (lossless). Counted at the receiver.
FlowRun ring_flow(const Config& c) {
    auto t = cpd::bench::make_ring(1'000'000'000, 64);
    auto* sent = static_cast<std::uint64_t*>(::mmap(
        nullptr, sizeof(std::uint64_t), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
    *sent = 0;
    auto child = [&c, sent](cpd::bench::Transport& tx) {
        std::byte buf[512] = {};
        buf[0] = std::byte{'d'};
        const auto end = Clock::now() + std::chrono::duration<double>(c.seconds);
        std::uint64_t n = 0;
        for (; (n & 255) != 0 || Clock::now() < end; ++n) {
            tx.send(buf, c.size);
        }
        *sent = n;
        tx.send(buf, 1);
        tx.flush();
    };
    auto parent = [](cpd::bench::Transport& rx) {
        std::byte buf[512];
        std::uint64_t got = 0;
        rx.recv(buf, sizeof buf);
        const auto first = Clock::now();
        while (rx.recv(buf, sizeof buf) != 1) {
            ++got;
        }
        return std::make_pair(got + 1, std::chrono::duration<double>(Clock::now() - first).count());
    };
    auto [got, secs] = two_processes(*t, child, parent);
    FlowRun r{static_cast<double>(got - 1) / secs / 1e6, *sent, got};
    ::munmap(sent, sizeof(std::uint64_t));
    return r;
}

// ---- the floor of a hop through a third process: a bare relay -----------------

/// Spins on `r` until a record is there, yielding the CPU between looks (so
/// three spinners on two CPUs hand the CPUs round); copies it into `buf`.
std::size_t spin_pop(cpd::ipc::RingReader& r, std::byte* buf, std::size_t capacity) {
    for (;;) {
        cpd::ipc::RecordView v;
        if (r.peek(v) == cpd::ipc::RingStatus::ok) {
            const std::size_t n = std::min(v.payload.size(), capacity);
            std::memcpy(buf, v.payload.data(), n);
            r.consume();
            return n;
        }
        ::sched_yield();
    }
}

void spin_push(cpd::ipc::RingWriter& w, const std::byte* data, std::size_t size) {
    while (w.push(1, {data, size}) == cpd::ipc::RingStatus::full) {
        ::sched_yield();
    }
}

/// The ponger: sends back each record, the closing 1-byte one included.
void echo_until_stop(cpd::ipc::RingReader& in, cpd::ipc::RingWriter& out) {
    std::byte buf[512];
    std::size_t n;
    do {
        n = spin_pop(in, buf, sizeof buf);
        spin_push(out, buf, n);
    } while (n != 1);
}

/// The pinger: c.pings timed round trips of c.size bytes, then the closing
/// 1-byte record and its answer. The round trips in ns.
std::vector<std::uint64_t> ping_rounds(const Config& c, cpd::ipc::RingWriter& out,
                                       cpd::ipc::RingReader& in) {
    std::byte buf[512] = {};
    std::vector<std::uint64_t> ns;
    ns.reserve(static_cast<std::size_t>(c.pings));
    for (int i = 0; i < c.pings; ++i) {
        const auto t0 = Clock::now();
        spin_push(out, buf, c.size);
        spin_pop(in, buf, sizeof buf);
        ns.push_back(static_cast<std::uint64_t>((Clock::now() - t0).count()));
    }
    spin_push(out, buf, 1);
    spin_pop(in, buf, sizeof buf);
    return ns;
}

/// Three processes on raw rings with no cpd logic: the parent at one end, a
/// relay in the middle that copies records both ways, and `far_end` at the
/// other end; each spins with a yield between looks. `near_end` runs in the
/// parent and ends with a 1-byte record, which the far end answers with one
/// record. What any design with a supervisor process in the middle pays for
/// its CPU hand-overs on this machine.
template <class Far, class Near> auto three_processes(Far far_end, Near near_end) {
    std::error_code ec;
    // `near` joins the parent and the relay, `far` the relay and the far end;
    // in both, ring 0 carries outward (to the far end) and ring 1 back.
    cpd::ipc::Segment near = cpd::ipc::Segment::create({1u << 20, 1u << 20}, "relay0", ec);
    cpd::ipc::Segment far = cpd::ipc::Segment::create({1u << 20, 1u << 20}, "relay1", ec);
    if (ec || !near.valid() || !far.valid()) {
        std::fprintf(stderr, "bench_hop: unable to create the relay segments\n");
        std::exit(71);
    }
    const pid_t relay = ::fork();
    if (relay == 0) { // ends when the far end has answered a 1-byte record
        cpd::ipc::RingReader from_near = near.reader(0);
        cpd::ipc::RingWriter to_far = far.writer(0);
        cpd::ipc::RingReader from_far = far.reader(1);
        cpd::ipc::RingWriter to_near = near.writer(1);
        std::byte buf[512];
        bool stopping = false;
        for (bool stop = false; !stop;) {
            bool moved = false;
            cpd::ipc::RecordView v;
            if (from_near.peek(v) == cpd::ipc::RingStatus::ok) {
                const std::size_t n = std::min(v.payload.size(), sizeof buf);
                std::memcpy(buf, v.payload.data(), n);
                from_near.consume();
                spin_push(to_far, buf, n);
                stopping = stopping || n == 1;
                moved = true;
            }
            if (from_far.peek(v) == cpd::ipc::RingStatus::ok) {
                const std::size_t n = std::min(v.payload.size(), sizeof buf);
                std::memcpy(buf, v.payload.data(), n);
                from_far.consume();
                spin_push(to_near, buf, n);
                stop = stopping;
                moved = true;
            }
            if (!moved) {
                ::sched_yield();
            }
        }
        ::_exit(0);
    }
    const pid_t far_pid = ::fork();
    if (far_pid == 0) {
        cpd::ipc::RingReader in = far.reader(0);
        cpd::ipc::RingWriter out = far.writer(1);
        far_end(in, out);
        ::_exit(0);
    }
    cpd::ipc::RingWriter out = near.writer(0);
    cpd::ipc::RingReader in = near.reader(1);
    auto r = near_end(out, in);
    int status = 0;
    ::waitpid(relay, &status, 0);
    ::waitpid(far_pid, &status, 0);
    return r;
}

/// The busy round trip of two processes pinned to one CPU, each yielding
/// between looks: every round trip is exactly two hand-overs of that CPU.
/// With three processes on two CPUs, one CPU always serves two of them, and
/// each of the two must run once per round trip: no schedule does fewer.
RttRun shared_cpu_rtt(const Config& c) {
    std::error_code ec;
    cpd::ipc::Segment seg = cpd::ipc::Segment::create({1u << 20, 1u << 20}, "onecpu", ec);
    if (ec || !seg.valid()) {
        std::fprintf(stderr, "bench_hop: unable to create the segment\n");
        std::exit(71);
    }
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(0, &one);
    const pid_t pong = ::fork();
    if (pong == 0) {
        ::sched_setaffinity(0, sizeof one, &one);
        cpd::ipc::RingReader in = seg.reader(0);
        cpd::ipc::RingWriter out = seg.writer(1);
        echo_until_stop(in, out);
        ::_exit(0);
    }
    cpu_set_t before;
    ::sched_getaffinity(0, sizeof before, &before);
    ::sched_setaffinity(0, sizeof one, &one);
    cpd::ipc::RingWriter out = seg.writer(0);
    cpd::ipc::RingReader in = seg.reader(1);
    std::vector<std::uint64_t> ns = ping_rounds(c, out, in);
    ::sched_setaffinity(0, sizeof before, &before);
    int status = 0;
    ::waitpid(pong, &status, 0);
    return {percentile(ns, 0.50) / 1e3, percentile(ns, 0.99) / 1e3, 0, true};
}

/// The busy round trip of the cpd case through a bare relay.
RttRun relay_rtt(const Config& c) {
    std::vector<std::uint64_t> ns =
        three_processes(echo_until_stop, [&c](cpd::ipc::RingWriter& out, cpd::ipc::RingReader& in) {
            return ping_rounds(c, out, in);
        });
    return {percentile(ns, 0.50) / 1e3, percentile(ns, 0.99) / 1e3, 0, true};
}

/// A lossless one-way stream through a bare relay for c.seconds, counted at
/// the far end (the sender waits while a ring is full).
FlowRun relay_flow(const Config& c) {
    auto receiver = [](cpd::ipc::RingReader& in, cpd::ipc::RingWriter& out) {
        std::byte buf[512];
        spin_pop(in, buf, sizeof buf);
        const auto first = Clock::now();
        std::uint64_t got = 1;
        while (spin_pop(in, buf, sizeof buf) != 1) {
            ++got;
        }
        const double secs = std::chrono::duration<double>(Clock::now() - first).count();
        const std::uint64_t report[2] = {got, static_cast<std::uint64_t>(secs * 1e9)};
        spin_push(out, reinterpret_cast<const std::byte*>(report), sizeof report);
    };
    auto sender = [&c](cpd::ipc::RingWriter& out, cpd::ipc::RingReader& in) {
        std::byte buf[512] = {};
        const auto end = Clock::now() + std::chrono::duration<double>(c.seconds);
        std::uint64_t n = 0;
        for (; (n & 255) != 0 || Clock::now() < end; ++n) {
            spin_push(out, buf, c.size);
        }
        spin_push(out, buf, 1);
        std::uint64_t report[2] = {};
        spin_pop(in, reinterpret_cast<std::byte*>(report), sizeof report);
        const double secs = static_cast<double>(report[1]) / 1e9;
        return FlowRun{static_cast<double>(report[0] - 1) / secs / 1e6, n, report[0]};
    };
    return three_processes(receiver, sender);
}

// ---- through cpd: two SMSGBENCH guests --------------------------------------

class CpdPair {
  public:
    CpdPair() : harness_(make_config()) {}

    bool start() {
        if (!harness_.start()) {
            return false;
        }
        op_ = harness_.connect();
        pids_ = {harness_.pid(), harness_.guest_pid("BENCHA"), harness_.guest_pid("BENCHB")};
        return op_.ok() && pids_[1] > 0 && pids_[2] > 0 &&
               wait_until(
                   [&] { return op_.cp("Q NAMES").text.find("BENCHB") != std::string::npos; }, 5s);
    }

    RttRun rtt(const Config& c) {
        const std::uint64_t w0 = wakeups();
        const std::array<std::uint64_t, 3> sleeps0 = sleeps();
        command("BENCHA",
                "PING BENCHB " + std::to_string(c.pings) + " 0 " + std::to_string(c.size));
        // On a loaded machine a round trip can take milliseconds: allow 5 ms each.
        const std::chrono::milliseconds timeout{std::max(120'000, c.pings * 5)};
        std::istringstream in(wait_file("BENCHA.rtt", timeout));
        const std::uint64_t w = wakeups() - w0;
        // Who slept: each sleep costs the round trip a wake-up.
        std::fprintf(stderr, "  sleeps per round trip: cpd %.3f, pinger %.3f, ponger %.3f\n",
                     per_ping(0, sleeps0[0], c), per_ping(1, sleeps0[1], c),
                     per_ping(2, sleeps0[2], c));
        std::vector<std::uint64_t> ns;
        for (std::uint64_t v; in >> v;) {
            ns.push_back(v);
        }
        if (ns.empty()) {
            return {}; // still pinging: the caller must not start another run
        }
        const double n = static_cast<double>(ns.size());
        return {percentile(ns, 0.50) / 1e3, percentile(ns, 0.99) / 1e3, static_cast<double>(w) / n,
                true};
    }

    FlowRun flow(const Config& c) {
        const std::string tag = "r" + std::to_string(++seq_);
        const std::array<std::uint64_t, 3> sleeps0 = sleeps();
        command("BENCHB", "RESET " + std::to_string(c.window / 2));
        const int ms = static_cast<int>(c.seconds * 1000);
        command("BENCHA", "SEND BENCHB " + std::to_string(c.size) + " " + std::to_string(ms) + " " +
                              std::to_string(c.window));
        cpd::bench::FlowResult r;
        std::istringstream(wait_file("BENCHA.sent", std::chrono::milliseconds(ms) + 20s)) >>
            r.sent >> r.busy;
        const std::array<std::uint64_t, 3> sleeps1 = sleeps();
        std::fprintf(stderr, "  sleeps per second: cpd %.0f, sender %.0f, receiver %.0f\n",
                     static_cast<double>(sleeps1[0] - sleeps0[0]) / c.seconds,
                     static_cast<double>(sleeps1[1] - sleeps0[1]) / c.seconds,
                     static_cast<double>(sleeps1[2] - sleeps0[2]) / c.seconds);
        std::this_thread::sleep_for(200ms); // cpd and the receiver drain what is in flight
        command("BENCHB", "REPORT " + tag);
        std::istringstream(wait_file("BENCHB." + tag, 10s)) >> r.received >> r.last_count >>
            r.first_ns >> r.last_ns;
        return {r.rate() / 1e6, r.sent, r.received};
    }

  private:
    static HarnessConfig make_config() {
        HarnessConfig h;
        h.latency_hold_ms = 20; // cpd's default
        h.directory =
            "USER OPERATOR NOPASS 64M 128M ABCDEFG\n POSIXINFO UID 0\n"
            "USER BENCHA NOPASS 16M 16M G\n IPL SMSGBENCH PARM $DIR/state/disks/BENCHA/0191\n"
            " MDISK 0191 3390 1 1 OUT191 MR\n"
            "USER BENCHB NOPASS 16M 16M G\n IPL SMSGBENCH PARM $DIR/state/disks/BENCHB/0191\n"
            " MDISK 0191 3390 1 1 OUT191 MR\n";
        h.autolog = "BENCHA BENCHB";
        h.extra_conf = "ring_kib = 1024";
        return h;
    }

    std::uint64_t wakeups() const { return cpd::bench::wakeups_of(pids_); }

    /// Sleeps so far of cpd, BENCHA and BENCHB.
    std::array<std::uint64_t, 3> sleeps() const {
        return {cpd::bench::context_switches(pids_[0]), cpd::bench::context_switches(pids_[1]),
                cpd::bench::context_switches(pids_[2])};
    }

    double per_ping(std::size_t who, std::uint64_t before, const Config& c) const {
        return static_cast<double>(cpd::bench::context_switches(pids_[who]) - before) / c.pings;
    }

    void command(const std::string& to, const std::string& text) {
        cpd::bench::send_command(op_, to, text, "bench_hop");
    }

    std::string wait_file(const std::string& name, std::chrono::milliseconds timeout) {
        return cpd::bench::take_result_file(harness_, name, timeout, "bench_hop");
    }

    CpdHarness harness_;
    Client op_;
    std::vector<int> pids_;
    int seq_ = 0;
};

// ---- runs and the table -------------------------------------------------------

struct RttRow {
    Spread p50, p99, wakes;
};

template <class F> RttRow rtt_runs(const Config& c, const char* name, F one) {
    std::vector<double> p50, p99, wakes;
    for (int i = 0; i < c.runs; ++i) {
        const RttRun r = one();
        if (!r.ok) {
            std::fprintf(stderr, "  %-24s run %d: no result in time; no more runs\n", name, i);
            break;
        }
        p50.push_back(r.p50);
        p99.push_back(r.p99);
        wakes.push_back(r.wakes);
        std::fprintf(stderr, "  %-24s run %d: p50 %.2f us p99 %.2f us wakes/rt %.3f\n", name, i,
                     r.p50, r.p99, r.wakes);
    }
    return {spread(p50), spread(p99), spread(wakes)};
}

struct FlowRow {
    Spread mps;
    std::uint64_t lost = 0; ///< most messages any run lost
};

template <class F> FlowRow flow_runs(const Config& c, const char* name, F one) {
    std::vector<double> mps;
    std::uint64_t lost = 0;
    for (int i = 0; i < c.runs; ++i) {
        const FlowRun r = one();
        mps.push_back(r.mps);
        lost = std::max(lost, r.sent > r.received ? r.sent - r.received : 0);
        std::fprintf(stderr, "  %-24s run %d: %.2f M/s sent %llu received %llu\n", name, i, r.mps,
                     static_cast<unsigned long long>(r.sent),
                     static_cast<unsigned long long>(r.received));
    }
    return {spread(mps), lost};
}

bool wanted(const Config& c, const char* name) {
    return std::strstr(name, c.only.c_str()) != nullptr;
}

Config parse_args(int argc, char** argv) {
    Config c;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const bool has_value = i + 1 < argc;
        if (a == "--runs" && has_value) {
            c.runs = std::max(1, std::atoi(argv[++i]));
        } else if (a == "--pings" && has_value) {
            c.pings = std::max(1000, std::atoi(argv[++i]));
        } else if (a == "--seconds" && has_value) {
            c.seconds = std::max(0.2, std::atof(argv[++i]));
        } else if (a == "--window" && has_value) {
            c.window = static_cast<std::uint64_t>(std::max(2, std::atoi(argv[++i])));
        } else if (a == "--only" && has_value) {
            c.only = argv[++i];
        } else {
            std::fprintf(stderr,
                         "usage: bench_hop [--runs N] [--pings N] [--seconds S] [--window N] "
                         "[--only ring|relay|cpd]\n");
            std::exit(64);
        }
    }
    return c;
}

std::string load_average() {
    std::string s = read_file("/proc/loadavg");
    return s.substr(0, s.find(' ', s.find(' ', s.find(' ') + 1) + 1));
}

void print_rtt(const char* name, const RttRow& r) {
    std::printf("| %-34s | %5.2f (%.2f–%.2f) | %6.2f (%.2f–%.2f) | %5.3f |\n", name, r.p50.median,
                r.p50.lo, r.p50.hi, r.p99.median, r.p99.lo, r.p99.hi, r.wakes.median);
}

void print_flow(const char* name, const FlowRow& r) {
    std::printf("| %-34s | %6.2f M/s (%.2f–%.2f) | %llu |\n", name, r.mps.median, r.mps.lo,
                r.mps.hi, static_cast<unsigned long long>(r.lost));
}

} // namespace

int main(int argc, char** argv) {
    const Config c = parse_args(argc, argv);
    const std::string load_start = load_average();
    RttRow ring_rt, shared_rt, relay_rt, cpd_rt;
    FlowRow ring_fl, relay_fl, cpd_fl;
    if (wanted(c, "ring")) {
        ring_rt = rtt_runs(c, "ring round trip", [&] { return ring_rtt(c); });
        ring_fl = flow_runs(c, "ring stream", [&] { return ring_flow(c); });
    }
    if (wanted(c, "relay")) { // the floors of a hop through a middle process
        shared_rt = rtt_runs(c, "one-CPU round trip", [&] { return shared_cpu_rtt(c); });
        relay_rt = rtt_runs(c, "relay round trip", [&] { return relay_rtt(c); });
        relay_fl = flow_runs(c, "relay stream", [&] { return relay_flow(c); });
    }
    if (wanted(c, "cpd")) {
        CpdPair pair;
        if (!pair.start()) {
            std::fprintf(stderr, "bench_hop: cpd did not start\n");
            return 1;
        }
        cpd_rt = rtt_runs(c, "cpd round trip", [&] { return pair.rtt(c); });
        cpd_fl = flow_runs(c, "cpd window", [&] { return pair.flow(c); });
    }
    std::printf(
        "method: median of %d runs (range in brackets); %d round trips a run; %.1f s streams; "
        "%zu B messages; cpd window %llu (receiver credits every %llu); load average start %s, end "
        "%s\n\n",
        c.runs, c.pings, c.seconds, c.size, static_cast<unsigned long long>(c.window),
        static_cast<unsigned long long>(c.window / 2), load_start.c_str(), load_average().c_str());
    std::printf("| busy round trip                    | p50 µs | p99 µs | wakes/rt |\n"
                "|------------------------------------|--:|--:|--:|\n");
    print_rtt("raw ring, 2 processes (floor)", ring_rt);
    print_rtt("2 processes on 1 CPU (2 switches)", shared_rt);
    print_rtt("raw relay, 3 processes (floor)", relay_rt);
    print_rtt("guest -> cpd -> guest -> cpd", cpd_rt);
    std::printf("\n| lossless stream, %3zu B             | delivered | lost |\n"
                "|------------------------------------|--:|--:|\n",
                c.size);
    print_flow("raw ring, 2 processes (floor)", ring_fl);
    print_flow("raw relay, 3 processes (floor)", relay_fl);
    print_flow("SMSG through cpd, windowed", cpd_fl);
    return 0;
}
