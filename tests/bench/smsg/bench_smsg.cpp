// SPDX-License-Identifier: MIT
// bench_smsg: guest -> cpd -> guest SMSG throughput (flooding and windowed
// senders, 64 and 236 bytes) and ping-pong round trips (busy and asleep),
// beside the same traffic through a Unix-socket hub measured in the same run.
// The asleep round trip is measured three ways: cpd as configured (its CPU
// latency hold on) against the plain hub, against the hub with the same
// kernel request held by this program, and cpd with its hold off.
// Starts a real cpd (CpdHarness) with two SMSGBENCH guests; the guests time
// themselves (CLOCK_MONOTONIC) and write result files. Prints one table.
// With --idle N, N more guests (SINK) are logged on and left idle throughout,
// to show what sleeping bystanders cost the routing of a busy pair.
#include "bench_hub.hpp"
#include "cpd_harness.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <csignal>
#include <cstdint>

#include <fcntl.h>
#include <sys/utsname.h>
#include <unistd.h>

namespace {

using namespace cpd::test;
using cpd::bench::FlowResult;
using cpd::bench::PingResult;

struct Config {
    int runs = 5;
    double seconds = 1.0;
    int pings_busy = 20000;
    int pings_asleep = 500;
    int pause_us = 1500;
    std::size_t ring_bytes = 1u << 20;
    int latency_hold_ms = 20; ///< cpd's latency_hold_ms (20 is cpd's default)
    std::string only; ///< run only cases whose label contains this
    int idle = 0;     ///< idle SINK guests logged on beside the two bench guests
};

/// The userid of idle guest `i` (IDLE0000 ...).
std::string idle_userid(int i) {
    char name[16];
    std::snprintf(name, sizeof name, "IDLE%04d", i);
    return name;
}

/// The window for `size`-byte texts: half the receiver's ring, at most 8192.
std::uint64_t window_for(const Config& c, std::size_t size) {
    const std::size_t record = 8 + ((8 + 4 + size + 7) & ~std::size_t{7});
    std::uint64_t w = 1;
    while (w * 2 <= std::min<std::size_t>(8192, c.ring_bytes / 2 / record)) {
        w *= 2;
    }
    return w;
}

template <class T> T median(std::vector<T> v) {
    if (v.empty()) {
        return T{};
    }
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

double percentile(std::vector<std::uint64_t> v, double p) {
    if (v.empty()) {
        return 0;
    }
    std::sort(v.begin(), v.end());
    return static_cast<double>(v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))]);
}

std::string first_line(const std::string& path, const std::string& key) {
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);) {
        if (line.rfind(key, 0) == 0) {
            return line.substr(line.find(':') + 1);
        }
    }
    return "?";
}

/// Holds a 0 us CPU latency request, as cpd's latency hold does, for as long
/// as it lives: the hub gets the same polling idle CPUs for a fair comparison.
class IdleCpusPolling {
  public:
    IdleCpusPolling() : fd_(::open("/dev/cpu_dma_latency", O_WRONLY | O_CLOEXEC)) {
        const std::int32_t zero = 0;
        if (fd_ >= 0 && ::write(fd_, &zero, sizeof zero) != static_cast<ssize_t>(sizeof zero)) {
            ::close(std::exchange(fd_, -1));
        }
    }
    ~IdleCpusPolling() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }
    IdleCpusPolling(const IdleCpusPolling&) = delete;
    IdleCpusPolling& operator=(const IdleCpusPolling&) = delete;
    bool ok() const noexcept { return fd_ >= 0; }

  private:
    int fd_;
};

std::string loadavg() {
    std::string s = read_file("/proc/loadavg");
    return s.substr(0, s.find(' ', s.find(' ', s.find(' ') + 1) + 1));
}

/// cpd with two SMSGBENCH guests, and the pids whose wake-ups are counted.
class CpdRig {
  public:
    explicit CpdRig(const Config& c) : config_(c), harness_(make_config(c, c.latency_hold_ms)) {}

    bool start() {
        if (!harness_.start()) {
            return false;
        }
        op_ = harness_.connect();
        pids_ = {harness_.pid(), harness_.guest_pid("BENCHA"), harness_.guest_pid("BENCHB")};
        return op_.ok() && pids_[1] > 0 && pids_[2] > 0 &&
               wait_until([&] { return op_.cp("Q NAMES").text.find("BENCHB") != std::string::npos; }, 5s) &&
               log_on_idle_guests();
    }

    /// XAUTOLOGs the idle guests one by one, then lets them settle into sleep.
    bool log_on_idle_guests() {
        for (int i = 0; i < config_.idle; ++i) {
            if (op_.cp("XAUTOLOG " + idle_userid(i)).rc != cpd::proto::CpRc::ok) {
                std::fprintf(stderr, "bench_smsg: unable to log on %s\n", idle_userid(i).c_str());
                return false;
            }
        }
        std::this_thread::sleep_for(config_.idle > 0 ? 1s : 0s);
        return true;
    }

    FlowResult flow(std::size_t size, double seconds, std::uint64_t window) {
        FlowResult r;
        const std::string tag = "r" + std::to_string(++seq_);
        command("BENCHB", "RESET " + std::to_string(window / 2));
        const std::uint64_t w0 = wakeups(), c0 = cpu();
        command("BENCHA", "SEND BENCHB " + std::to_string(size) + " " +
                              std::to_string(static_cast<int>(seconds * 1000)) + " " + std::to_string(window));
        std::string sent = wait_file("BENCHA.sent", std::chrono::milliseconds(static_cast<int>(seconds * 1000)) + 20s);
        std::this_thread::sleep_for(100ms); // let cpd and the receiver drain
        command("BENCHB", "REPORT " + tag);
        std::string got = wait_file("BENCHB." + tag, 10s);
        r.wakeups = wakeups() - w0;
        r.cpu_ns = cpu() - c0;
        std::istringstream(sent) >> r.sent >> r.busy;
        std::istringstream(got) >> r.received >> r.last_count >> r.first_ns >> r.last_ns;
        return r;
    }

    /// Changes cpd's latency_hold_ms through cpd.conf and SIGHUP; true once QUERY STATS shows it.
    bool set_latency_hold(int ms) {
        harness_.write_config(make_config(config_, ms));
        ::kill(harness_.pid(), SIGHUP);
        const std::string want = ms == 0 ? "LATENCY  off" : "LATENCY  hold " + std::to_string(ms) + " ms";
        return wait_until([&] { return op_.cp("Q STATS").text.find(want) != std::string::npos; }, 5s, 20ms);
    }

    /// QUERY STATS' LATENCY line.
    std::string latency_hold() {
        const std::string stats = op_.cp("Q STATS").text;
        const auto at = stats.find("LATENCY  ");
        return at == std::string::npos ? "?" : stats.substr(at + 9, stats.find('\n', at) - at - 9);
    }

    PingResult ping(std::size_t size, int count, int pause_us) {
        PingResult r;
        const std::uint64_t w0 = wakeups();
        command("BENCHA", "PING BENCHB " + std::to_string(count) + " " + std::to_string(pause_us) + " " +
                              std::to_string(size));
        std::istringstream in(wait_file("BENCHA.rtt", 60s));
        r.wakeups = wakeups() - w0;
        for (std::uint64_t v; in >> v;) {
            r.rtt_ns.push_back(v);
        }
        return r;
    }

  private:
    static HarnessConfig make_config(const Config& c, int latency_hold_ms) {
        HarnessConfig h;
        h.latency_hold_ms = latency_hold_ms;
        h.directory = "USER OPERATOR NOPASS 64M 128M ABCDEFG\n POSIXINFO UID 0\n"
                      "USER BENCHA NOPASS 16M 16M G\n IPL SMSGBENCH PARM $DIR/state/disks/BENCHA/0191\n"
                      " MDISK 0191 3390 1 1 OUT191 MR\n"
                      "USER BENCHB NOPASS 16M 16M G\n IPL SMSGBENCH PARM $DIR/state/disks/BENCHB/0191\n"
                      " MDISK 0191 3390 1 1 OUT191 MR\n";
        for (int i = 0; i < c.idle; ++i) {
            h.directory += "USER " + idle_userid(i) + " NOPASS 16M 16M G\n IPL SINK\n";
        }
        h.guest_uid_count = static_cast<unsigned>(std::max(256, c.idle + 8));
        h.autolog = "BENCHA BENCHB";
        h.extra_conf = "ring_kib = " + std::to_string(c.ring_bytes / 1024);
        h.log_level = "info";
        return h;
    }

    std::uint64_t wakeups() const {
        std::uint64_t n = 0;
        for (int p : pids_) {
            n += cpd::bench::context_switches(p);
        }
        return n;
    }

    std::uint64_t cpu() const {
        std::uint64_t n = 0;
        for (int p : pids_) {
            n += cpd::bench::cpu_time_ns(p);
        }
        return n;
    }

    void command(const std::string& to, const std::string& text) {
        for (int i = 0; i < 1000; ++i) { // retried while the target's ring is full
            Reply r = op_.smsg(to, text);
            if (r.type != 0 && r.rc == cpd::proto::CpRc::ok) {
                return;
            }
            std::this_thread::sleep_for(1ms);
        }
        std::fprintf(stderr, "bench_smsg: unable to send \"%s\" to %s\n", text.c_str(), to.c_str());
    }

    std::string wait_file(const std::string& name, std::chrono::milliseconds timeout) {
        // "BENCHA.sent" is on BENCHA's minidisk, where the sandbox lets it write.
        const std::string path =
            harness_.dir() + "/state/disks/" + name.substr(0, name.find('.')) + "/0191/" + name;
        // Polled every 50 ms: a driver waking each millisecond would steal the
        // CPU from the guests it is timing.
        if (!wait_until([&] { return ::access(path.c_str(), R_OK) == 0; }, timeout, 50ms)) {
            std::fprintf(stderr, "bench_smsg: no result file %s\n", name.c_str());
            return {};
        }
        std::string s = read_file(path);
        std::remove(path.c_str());
        return s;
    }

    Config config_;
    CpdHarness harness_;
    Client op_;
    std::vector<int> pids_;
    int seq_ = 0;
};

/// Medians over runs of one throughput case.
struct FlowSummary {
    double rate = 0, drops = 0, wakes_per_msg = 0, cpu_per_msg = 0;
};

template <class F> FlowSummary summarize_flow(const Config& c, const char* label, F&& one) {
    std::vector<double> rate, drops, wpm, cpm;
    for (int i = 0; i < c.runs && std::strstr(label, c.only.c_str()) != nullptr; ++i) {
        FlowResult r = one();
        rate.push_back(r.rate());
        drops.push_back(static_cast<double>(r.dropped()));
        wpm.push_back(r.received ? static_cast<double>(r.wakeups) / static_cast<double>(r.received) : 0);
        cpm.push_back(r.received ? static_cast<double>(r.cpu_ns) / static_cast<double>(r.received) : 0);
        std::fprintf(stderr, "  %-28s run %d: %.3f M/s sent %llu recv %llu busy %llu wakes %llu cpu %.0f ns/msg\n",
                     label, i, r.rate() / 1e6, static_cast<unsigned long long>(r.sent),
                     static_cast<unsigned long long>(r.received), static_cast<unsigned long long>(r.busy),
                     static_cast<unsigned long long>(r.wakeups), cpm.back());
    }
    return {median(rate), median(drops), median(wpm), median(cpm)};
}

/// Medians over runs of one ping-pong case (us).
struct PingSummary {
    double p50 = 0, p99 = 0, wakes_per_rt = 0;
};

template <class F> PingSummary summarize_ping(const Config& c, const char* label, F&& one) {
    std::vector<double> p50, p99, wpr;
    for (int i = 0; i < c.runs && std::strstr(label, c.only.c_str()) != nullptr; ++i) {
        PingResult r = one();
        p50.push_back(percentile(r.rtt_ns, 0.50) / 1e3);
        p99.push_back(percentile(r.rtt_ns, 0.99) / 1e3);
        wpr.push_back(r.rtt_ns.empty() ? 0 : static_cast<double>(r.wakeups) / static_cast<double>(r.rtt_ns.size()));
        std::fprintf(stderr, "  %-28s run %d: n %zu p50 %.1f us p99 %.1f us wakes/rt %.2f\n", label, i,
                     r.rtt_ns.size(), p50.back(), p99.back(), wpr.back());
    }
    return {median(p50), median(p99), median(wpr)};
}

void print_environment(const Config& c, const std::string& load_start, const std::string& hold) {
    utsname u{};
    ::uname(&u);
    std::printf("environment: CPU%s, nproc %ld, kernel %s, cpuidle %s\n",
                first_line("/proc/cpuinfo", "model name").c_str(), ::sysconf(_SC_NPROCESSORS_ONLN), u.release,
                read_file("/sys/devices/system/cpu/cpuidle/current_driver").substr(0, 16).c_str());
    std::printf("load average (1/5/15 min): start %s, end %s\n", load_start.c_str(), loadavg().c_str());
    std::printf("method: median of %d runs; throughput runs %.1f s; ping-pong %d (busy) / %d (asleep, %d us "
                "apart) round trips; rings %zu KiB; wakes = voluntary context switches of all 3 processes; "
                "%d idle guests logged on throughout\n\n",
                c.runs, c.seconds, c.pings_busy, c.pings_asleep, c.pause_us, c.ring_bytes / 1024, c.idle);
    std::printf("cpd latency hold (latency_hold_ms = %d): %s after its runs; \"hub + polling\": this program holds "
                "the same 0 us request during the hub runs; \"cpd, hold off\": latency_hold_ms = 0\n\n",
                c.latency_hold_ms, hold.c_str());
}

Config parse_args(int argc, char** argv) {
    Config c;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto next = [&] { return i + 1 < argc ? std::atof(argv[++i]) : 0.0; };
        if (a == "--quick") {
            c.runs = 3;
            c.seconds = 0.5;
            c.pings_busy = 5000;
            c.pings_asleep = 200;
        } else if (a == "--runs") {
            c.runs = std::max(1, static_cast<int>(next()));
        } else if (a == "--only" && i + 1 < argc) {
            c.only = argv[++i];
        } else if (a == "--latency-hold-ms") {
            c.latency_hold_ms = std::max(0, static_cast<int>(next()));
        } else if (a == "--idle") {
            c.idle = std::max(0, static_cast<int>(next()));
        } else if (a == "--seconds") {
            c.seconds = std::max(0.1, next());
        } else {
            std::fprintf(stderr, "usage: bench_smsg [--quick] [--runs N] [--seconds S] [--only LABEL-PART] "
                                 "[--latency-hold-ms MS] [--idle N]\n");
            std::exit(64);
        }
    }
    return c;
}

} // namespace

int main(int argc, char** argv) {
    const Config c = parse_args(argc, argv);
    const std::string load_start = loadavg();
    CpdRig rig(c);
    if (!rig.start()) {
        std::fprintf(stderr, "bench_smsg: cpd did not start\n");
        return 1;
    }
    std::string rows;
    char line[512];
    for (std::size_t size : {std::size_t{64}, std::size_t{236}}) {
        for (bool windowed : {false, true}) {
            const std::uint64_t w = windowed ? window_for(c, size) : 0;
            std::string label = std::string(windowed ? "window " + std::to_string(w) : "flood") + ", " +
                                std::to_string(size) + " B";
            FlowSummary a = summarize_flow(c, ("cpd " + label).c_str(), [&] { return rig.flow(size, c.seconds, w); });
            FlowSummary b = summarize_flow(c, ("hub " + label).c_str(),
                                           [&] { return cpd::bench::hub_flow(size, c.seconds, w); });
            FlowSummary h = summarize_flow(c, ("batched hub " + label).c_str(),
                                           [&] { return cpd::bench::hub_flow(size, c.seconds, w, true); });
            std::snprintf(line, sizeof line,
                          "| %-20s | %6.2f M/s | %9.0f | %6.4f | %5.0f | %6.2f M/s | %9.0f | %6.4f | %5.0f | %5.2fx "
                          "| %6.2f M/s | %5.2fx |\n",
                          label.c_str(), a.rate / 1e6, a.drops, a.wakes_per_msg, a.cpu_per_msg, b.rate / 1e6,
                          b.drops, b.wakes_per_msg, b.cpu_per_msg, b.rate > 0 ? a.rate / b.rate : 0.0,
                          h.rate / 1e6, h.rate > 0 ? a.rate / h.rate : 0.0);
            rows += line;
        }
    }
    std::string ping_rows;
    auto ping_row = [&](const std::string& label, const PingSummary& a, const PingSummary& b) {
        std::snprintf(line, sizeof line, "| %-30s | %7.1f | %7.1f | %5.2f | %7.1f | %7.1f | %5.2f | %5.2fx |\n",
                      label.c_str(), a.p50, a.p99, a.wakes_per_rt, b.p50, b.p99, b.wakes_per_rt,
                      a.p50 > 0 ? b.p50 / a.p50 : 0.0);
        ping_rows += line;
    };
    auto cpd_ping = [&](const std::string& label, int n, int pause) {
        return summarize_ping(c, ("cpd " + label).c_str(), [&] { return rig.ping(64, n, pause); });
    };
    auto hub_ping = [&](const std::string& label, int n, int pause) {
        return summarize_ping(c, ("hub " + label).c_str(), [&] { return cpd::bench::hub_ping(64, n, pause); });
    };
    const std::string busy = "ping-pong busy, 64 B", asleep = "ping-pong asleep, 64 B";
    ping_row(busy, cpd_ping(busy, c.pings_busy, 0), hub_ping(busy, c.pings_busy, 0));
    const PingSummary cpd_asleep = cpd_ping(asleep, c.pings_asleep, c.pause_us);
    ping_row(asleep, cpd_asleep, hub_ping(asleep, c.pings_asleep, c.pause_us));
    PingSummary polling_hub;
    if (IdleCpusPolling polling; polling.ok()) {
        polling_hub = hub_ping(asleep + ", hub + polling", c.pings_asleep, c.pause_us);
    } else {
        std::fprintf(stderr, "bench_smsg: /dev/cpu_dma_latency unavailable (not root?): no hub + polling row\n");
    }
    ping_row("asleep, hub + polling", cpd_asleep, polling_hub);
    const std::string hold = rig.latency_hold();
    if (c.latency_hold_ms != 0 && rig.set_latency_hold(0)) {
        ping_row("asleep, cpd hold off", cpd_ping(asleep + ", hold off", c.pings_asleep, c.pause_us),
                 hub_ping(asleep + ", hold off", c.pings_asleep, c.pause_us));
    }
    print_environment(c, load_start, hold);
    std::printf("| throughput           | cpd delivered | cpd drops | wakes/msg | CPU ns/msg | hub delivered | hub drops "
                "| wakes/msg | CPU ns/msg | cpd/hub | batched hub | cpd/batched |\n"
                "|----------------------|-----------:|----------:|-------:|------:|-----------:|----------:|-------:|------:"
                "|------:|-----------:|------:|\n%s\n",
                rows.c_str());
    std::printf("| round trip (us)                | cpd p50 | cpd p99 | wakes/rt | hub p50 | hub p99 | wakes/rt | hub/cpd p50 |\n"
                "|--------------------------------|--------:|--------:|------:|--------:|--------:|------:|------:|\n%s",
                ping_rows.c_str());
    return 0;
}
