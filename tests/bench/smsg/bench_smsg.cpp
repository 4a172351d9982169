// SPDX-License-Identifier: MIT
// bench_smsg: guest -> cpd -> guest SMSG throughput (flooding and windowed
// senders, 64 and 236 bytes) and ping-pong round trips (busy and asleep),
// beside the same traffic through a Unix-socket hub measured in the same run.
// Round trips are measured with cpd run two ways in the same run: as root
// (its CPU latency hold always available), and as the package runs it (user
// cpd with the unit's groups and capabilities, the latency device as the
// package's udev rule sets it: service_user.hpp); then cpd as root with its
// hold off, the hub, and the hub while this program holds the kernel request.
// p50/p99 over every round trip of all runs, the range of the runs' medians,
// and the CPU of cpd and its guests in the two seconds after the traffic stops.
// Starts a real cpd (CpdHarness) with two SMSGBENCH guests; the guests time
// themselves (CLOCK_MONOTONIC) and write result files. Prints one table.
// With --idle N, N more guests (SINK) are logged on and left idle throughout,
// to show what sleeping bystanders cost the routing of a busy pair.
#include "bench_driver.hpp"
#include "bench_hub.hpp"
#include "cpd_harness.hpp"
#include "round_trip_stats.hpp"
#include "service_user.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
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
    int ping_runs = 3;        ///< runs of each round-trip case
    int pings_busy = 34000;   ///< round trips per busy run (3 runs: >= 100,000)
    int pings_asleep = 34000; ///< round trips per asleep run
    /// Pause before each asleep ping: longer than every spin (the runtime's
    /// 100 us, cpd's 60 us), so all three processes are asleep when it comes.
    int pause_us = 500;
    std::size_t ring_bytes = 1u << 20;
    int latency_hold_ms = 20; ///< cpd's latency_hold_ms (20 is cpd's default)
    std::string only; ///< run only cases whose label contains this
    bool throughput = true; ///< false: round trips only
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
    /// cpd as root, or as the package runs it when `service` is given.
    CpdRig(const Config& c, const ServicePolicy* service)
        : config_(c), service_(service), harness_(make_config(c, c.latency_hold_ms, service)) {}

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
        if (late_) {
            return r; // see late_
        }
        const std::string tag = "r" + std::to_string(++seq_);
        command("BENCHB", "RESET " + std::to_string(window / 2));
        const std::uint64_t w0 = wakeups(), c0 = cpu();
        command("BENCHA", "SEND BENCHB " + std::to_string(size) + " " +
                              std::to_string(static_cast<int>(seconds * 1000)) + " " + std::to_string(window));
        std::string sent = wait_file("BENCHA.sent", std::chrono::milliseconds(static_cast<int>(seconds * 1000)) + 20s);
        late_ = sent.empty();
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
        harness_.write_config(make_config(config_, ms, service_));
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

    /// cpd and the two bench guests.
    const std::vector<int>& pids() const noexcept { return pids_; }

    PingResult ping(std::size_t size, int count, int pause_us) {
        PingResult r;
        if (late_) {
            return r; // see late_
        }
        const std::uint64_t w0 = wakeups();
        command("BENCHA", "PING BENCHB " + std::to_string(count) + " " + std::to_string(pause_us) + " " +
                              std::to_string(size));
        // Asleep runs take their pauses and a wake-up or two per round trip.
        const auto budget =
            std::chrono::milliseconds(30000 + static_cast<long>(count) * (pause_us + 1000) / 1000);
        const std::string rtt = wait_file("BENCHA.rtt", budget);
        late_ = rtt.empty();
        std::istringstream in(rtt);
        r.wakeups = wakeups() - w0;
        for (std::uint64_t v; in >> v;) {
            r.rtt_ns.push_back(v);
        }
        return r;
    }

  private:
    static HarnessConfig make_config(const Config& c, int latency_hold_ms, const ServicePolicy* service) {
        HarnessConfig h;
        h.latency_hold_ms = latency_hold_ms;
        if (service != nullptr) {
            h.launcher = service->launcher();
            h.dir_uid = static_cast<int>(service->uid);
            h.dir_gid = static_cast<int>(service->gid);
        }
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

    std::uint64_t wakeups() const { return cpd::bench::wakeups_of(pids_); }

    std::uint64_t cpu() const {
        std::uint64_t n = 0;
        for (int p : pids_) {
            n += cpd::bench::cpu_time_ns(p);
        }
        return n;
    }

    void command(const std::string& to, const std::string& text) {
        cpd::bench::send_command(op_, to, text, "bench_smsg");
    }

    std::string wait_file(const std::string& name, std::chrono::milliseconds timeout) {
        return cpd::bench::take_result_file(harness_, name, timeout, "bench_smsg");
    }

    Config config_;
    const ServicePolicy* service_;
    /// A run whose result file did not come in time may still write it, and
    /// BENCHA's result files are not named per run: the next run would read
    /// the late one as its own. So after a missing result this cpd runs no
    /// more (its runs come out empty, and the summaries leave them out).
    bool late_ = false;
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
        if (r.sent == 0 && r.received == 0) {
            std::fprintf(stderr, "  %-28s run %d: no result in time; left out\n", label, i);
            continue;
        }
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

/// Every round trip of one case over its runs, and the median wakes per round trip.
struct PingCase {
    cpd::bench::RoundTrips rtt;
    std::vector<double> wakes_per_rt;
    /// Runs `one` once more if `label` is selected (--only), adding what it measured.
    template <class F> void run(const Config& c, const std::string& label, F&& one) {
        if (label.find(c.only) == std::string::npos) {
            return;
        }
        PingResult r = one();
        if (r.rtt_ns.empty()) {
            std::fprintf(stderr, "  %-44s no result in time; left out\n", label.c_str());
            return;
        }
        const double wpr = static_cast<double>(r.wakeups) / static_cast<double>(r.rtt_ns.size());
        wakes_per_rt.push_back(wpr);
        std::fprintf(stderr, "  %-44s run %zu: n %zu p50 %.1f us p99 %.1f us wakes/rt %.2f\n", label.c_str(),
                     rtt.runs(), r.rtt_ns.size(), percentile(r.rtt_ns, 0.50) / 1e3,
                     percentile(r.rtt_ns, 0.99) / 1e3, wpr);
        rtt.add_run(std::move(r.rtt_ns));
    }
    std::string row(const std::string& label) {
        char wakes[16];
        std::snprintf(wakes, sizeof wakes, "%.2f", median(wakes_per_rt));
        return rtt.count() == 0 ? "" : cpd::bench::round_trip_row(label, rtt, wakes);
    }
};

void print_environment(const Config& c, const std::string& load_start, const std::string& hold) {
    utsname u{};
    ::uname(&u);
    std::printf("environment: CPU%s, nproc %ld, kernel %s, cpuidle %s\n",
                first_line("/proc/cpuinfo", "model name").c_str(), ::sysconf(_SC_NPROCESSORS_ONLN), u.release,
                read_file("/sys/devices/system/cpu/cpuidle/current_driver").substr(0, 16).c_str());
    std::printf("load average (1/5/15 min): start %s, end %s\n", load_start.c_str(), loadavg().c_str());
    std::printf("method: throughput: median of %d runs of %.1f s; round trips: %d runs of %d (busy) / %d (asleep, "
                "%d us apart) round trips each, p50 and p99 over all of them, range = lowest-highest median of a "
                "run; rings %zu KiB; wakes = voluntary context switches of all 3 processes; %d idle guests "
                "logged on throughout\n\n",
                c.runs, c.seconds, c.ping_runs, c.pings_busy, c.pings_asleep, c.pause_us, c.ring_bytes / 1024,
                c.idle);
    std::printf("%s\n\n", hold.c_str());
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
            c.pings_asleep = 2000;
        } else if (a == "--runs") {
            c.runs = std::max(1, static_cast<int>(next()));
        } else if (a == "--round-trips-only") {
            c.throughput = false;
        } else if (a == "--ping-runs") {
            c.ping_runs = std::max(1, static_cast<int>(next()));
        } else if (a == "--pings") {
            c.pings_busy = c.pings_asleep = std::max(1, static_cast<int>(next()));
        } else if (a == "--pause-us") {
            c.pause_us = std::max(0, static_cast<int>(next()));
        } else if (a == "--only" && i + 1 < argc) {
            c.only = argv[++i];
        } else if (a == "--latency-hold-ms") {
            c.latency_hold_ms = std::max(0, static_cast<int>(next()));
        } else if (a == "--idle") {
            c.idle = std::max(0, static_cast<int>(next()));
        } else if (a == "--seconds") {
            c.seconds = std::max(0.1, next());
        } else {
            std::fprintf(stderr, "usage: bench_smsg [--quick] [--runs N] [--seconds S] [--round-trips-only] [--ping-runs N] [--pings N] "
                                 "[--pause-us US] [--only LABEL-PART] [--latency-hold-ms MS] [--idle N]\n");
            std::exit(64);
        }
    }
    return c;
}

} // namespace

int main(int argc, char** argv) {
    const Config c = parse_args(argc, argv);
    const std::string load_start = loadavg();
    CpdRig rig(c, nullptr);
    if (!rig.start()) {
        std::fprintf(stderr, "bench_smsg: cpd did not start\n");
        return 1;
    }
    std::string rows;
    char line[512];
    for (std::size_t size : {std::size_t{64}, std::size_t{236}}) {
        for (bool windowed : {false, true}) {
            if (!c.throughput) {
                break;
            }
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
    // Round trips: cpd as root and cpd as the package runs it, alternately,
    // each beside the hub; then cpd as root without its hold.
    std::string why;
    const std::optional<ServicePolicy> policy = shipped_service_policy(why);
    std::optional<LatencyDeviceAsUdevSetsIt> device;
    std::unique_ptr<CpdRig> service;
    if (policy) {
        device.emplace(*policy);
        service = std::make_unique<CpdRig>(c, &*policy);
        if (!device->ok() || !service->start()) {
            std::fprintf(stderr, "bench_smsg: cpd as its service user did not start\n");
            service.reset();
        }
    } else {
        std::fprintf(stderr, "bench_smsg: no service user mode: %s\n", why.c_str());
    }
    const std::string as_root = "cpd as root", as_service = "cpd as service user";
    PingCase root_busy, service_busy, hub_busy, root_asleep, service_asleep, hub_asleep, polling_asleep,
        hold_off_asleep;
    for (int i = 0; i < c.ping_runs; ++i) {
        root_busy.run(c, as_root + ", busy", [&] { return rig.ping(64, c.pings_busy, 0); });
        if (service) {
            service_busy.run(c, as_service + ", busy", [&] { return service->ping(64, c.pings_busy, 0); });
        }
        hub_busy.run(c, "hub, busy", [&] { return cpd::bench::hub_ping(64, c.pings_busy, 0); });
    }
    cpd::bench::IdleCpu root_idle, service_idle;
    std::string root_hold = "-", service_hold = "-";
    for (int i = 0; i < c.ping_runs; ++i) {
        const bool last = i + 1 == c.ping_runs;
        root_asleep.run(c, as_root + ", asleep", [&] { return rig.ping(64, c.pings_asleep, c.pause_us); });
        if (last) {
            root_idle = cpd::bench::idle_cpu_after_traffic(rig.pids());
            root_hold = rig.latency_hold();
        }
        if (service) {
            service_asleep.run(c, as_service + ", asleep",
                               [&] { return service->ping(64, c.pings_asleep, c.pause_us); });
            if (last) {
                service_idle = cpd::bench::idle_cpu_after_traffic(service->pids());
                service_hold = service->latency_hold();
            }
        }
        hub_asleep.run(c, "hub, asleep", [&] { return cpd::bench::hub_ping(64, c.pings_asleep, c.pause_us); });
        if (IdleCpusPolling polling; polling.ok()) {
            polling_asleep.run(c, "hub + polling, asleep",
                               [&] { return cpd::bench::hub_ping(64, c.pings_asleep, c.pause_us); });
        }
    }
    if (c.latency_hold_ms != 0 && rig.set_latency_hold(0)) {
        for (int i = 0; i < c.ping_runs; ++i) {
            hold_off_asleep.run(c, as_root + ", hold off, asleep",
                                [&] { return rig.ping(64, c.pings_asleep, c.pause_us); });
        }
    }
    service.reset(); // its cpd ends before the device is put back
    device.reset();
    std::string ping_rows = root_busy.row(as_root + ", busy") + service_busy.row(as_service + ", busy") +
                            hub_busy.row("hub, busy") + root_asleep.row(as_root + ", asleep") +
                            service_asleep.row(as_service + ", asleep") + hub_asleep.row("hub, asleep") +
                            polling_asleep.row("hub + polling, asleep") +
                            hold_off_asleep.row(as_root + ", hold off, asleep");
    std::string hold = "cpd latency_hold_ms = " + std::to_string(c.latency_hold_ms) + "; QUERY STATS LATENCY after " +
                       "the asleep runs: as root \"" + root_hold + "\", as service user \"" + service_hold + "\"";
    if (policy) {
        hold += "\nservice user: setpriv as " + policy->user + " (uid " + std::to_string(policy->uid) +
                ") with supplementary group " + policy->latency_group + " (gid " +
                std::to_string(policy->latency_gid) + (policy->latency_group_exists ? "" : ", not created here") +
                ") and the unit's capabilities; /dev/cpu_dma_latency as the udev rule sets it during its runs";
    }
    hold += "\n\"hub + polling\": this program holds the 0 us request during those hub runs; \"hold off\": "
            "latency_hold_ms = 0";
    print_environment(c, load_start, hold);
    if (!rows.empty()) {
        std::printf("| throughput           | cpd delivered | cpd drops | wakes/msg | CPU ns/msg | hub delivered | hub drops "
                "| wakes/msg | CPU ns/msg | cpd/hub | batched hub | cpd/batched |\n"
                "|----------------------|-----------:|----------:|-------:|------:|-----------:|----------:|-------:|------:"
                "|------:|-----------:|------:|\n%s\n",
                rows.c_str());
    }
    std::printf("%s%s\n", cpd::bench::round_trip_header("wakes/rt").c_str(), ping_rows.c_str());
    std::printf("| CPU of cpd + its 2 guests after the last asleep run | cpd as root | cpd as service user |\n"
                "|------------------------------------------------------|------:|------:|\n"
                "| first second (ms)                                    | %5.0f | %5.0f |\n"
                "| second second (ms)                                   | %5.0f | %5.0f |\n",
                root_idle.first_second_ms, service_idle.first_second_ms, root_idle.second_second_ms,
                service_idle.second_second_ms);
    return 0;
}
