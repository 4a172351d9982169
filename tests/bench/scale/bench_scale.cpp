// SPDX-License-Identifier: MIT
// bench_scale: ten thousand guests on one cpd (issue 14). A program, not a
// test: it needs root (a host uid per guest) and minutes. Two starts of cpd on
// one generated directory (BENCHA and BENCHB run SMSGBENCH, the others ECHO,
// 4 KiB rings), under the shipped unit's LimitNOFILE (soft = hard = 262144):
//   1. autolog (first start): every user on cpd's autolog list;
//   2. bulk XAUTOLOG (restart): BENCHA and BENCHB at start, the SMSG round trip with
//      those 2 guests (the baseline), then XAUTOLOG of the others from four
//      connections at once.
// The first start gives every guest its host uid; the restart finds them
// known. Each start measures the time until 1,000, 5,000 and all guests are logged on
// (cpd's "logged on by" lines against the fork of cpd), the cost of one logon
// near the first and near the last guest, private memory and Pss per idle
// guest (smaps_rollup), cpd's RSS, cpd's and the guests' CPU over 10 s idle,
// Q N latency, the BENCHA-BENCHB round trip with all others idle, and the time
// from SHUTDOWN until cpd has exited. It prints the median over both starts
// beside each target.
#include "cpd_harness.hpp"
#include "system_sampling.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

using namespace cpd::test;
using namespace cpd::bench_logon;
using namespace std::chrono_literals;

struct Config {
    int guests = 10000; ///< BENCHA, BENCHB and guests - 2 ECHO guests
    int idle_seconds = 10;
    rlim_t nofile = 262144; ///< packaging/systemd/cpd.service.in LimitNOFILE=
    long tasks_max = 32768; ///< its TasksMax=
    int pings = 2000;
};

[[noreturn]] void die(const std::string& what) {
    std::fprintf(stderr, "bench_scale: error: %s\n", what.c_str());
    std::exit(1);
}

/// What one start of cpd measured.
struct Run {
    double to_1k = 0, to_5k = 0, to_all = 0; ///< s from cpd's fork
    /// ms of one XAUTOLOG (cpd's work for a logon, fork included) over the
    /// first / last 500; -1 for the autolog start, which answers no command
    double first_ms = -1, last_ms = -1;
    /// ms between "logged on" lines (the helper's fork to exec heard, one
    /// after another) over the first / last 500: the cost of a logon's fork
    double first_gap_ms = 0, last_gap_ms = 0;
    double priv_kib = 0, pss_kib = 0; ///< per idle guest
    double cpd_rss_mib = 0;
    double idle_cpu_ms = 0;              ///< cpd + all guests over idle_seconds
    long tasks = 0;                      ///< cpd's and its guests' threads
    double qn_ms = 0;                    ///< Q N, median of 21
    double rtt_2_us = 0, rtt_all_us = 0; ///< SMSG round trip p50: 2 guests / all
    double shutdown_s = 0;
};

std::string ids(int from, int to) { // "G00001 G00002 ..."
    std::string out;
    for (int i = from; i <= to; ++i) {
        out += (out.empty() ? "" : " ") + userid('G', i);
    }
    return out;
}

HarnessConfig directory(const Config& c, bool autolog_all) {
    HarnessConfig h;
    h.directory = "USER OPERATOR NOPASS 64M 128M ABCDEFG\n POSIXINFO UID 0\n";
    for (const char* b : {"BENCHA", "BENCHB"}) {
        h.directory += std::string("USER ") + b + " NOPASS 16M 16M G\n IPL SMSGBENCH PARM " +
                       "$DIR/state/disks/" + b + "/0191\n MDISK 0191 3390 1 1 OUT191 MR\n";
    }
    for (int i = 1; i <= c.guests - 2; ++i) {
        h.directory += "USER " + userid('G', i) + " NOPASS 16M 16M G\n IPL ECHO\n";
    }
    h.autolog = "BENCHA BENCHB" + (autolog_all ? " " + ids(1, c.guests - 2) : std::string());
    h.extra_conf = "ring_kib = 4\n";
    h.guest_uid_count = static_cast<unsigned>(c.guests + 64);
    h.grace_seconds = 5;
    return h;
}

/// Timestamps (seconds since midnight) of cpd's "logged on by" lines, in
/// order, from byte `from` of its log on (the log of both starts is one
/// file). Reads only what was added since its last look: rereading the whole
/// log every poll cost the benchmark time that grew with the guests, taken
/// from the logons it measures.
class LogonTimes {
  public:
    LogonTimes(const CpdHarness& cpd, std::size_t from) : path_(cpd.dir() + "/cpd.log"), at_(from) {}
    const std::vector<double>& read() {
        std::ifstream in(path_, std::ios::binary);
        in.seekg(static_cast<std::streamoff>(at_));
        std::string line;
        while (std::getline(in, line)) {
            if (in.eof()) { // no newline yet: the rest of this line comes later
                break;
            }
            at_ += line.size() + 1;
            if (line.find(": logged on by ") != std::string::npos) {
                times_.push_back(log_seconds(line));
            }
        }
        return times_;
    }

  private:
    std::string path_;
    std::size_t at_;
    std::vector<double> times_;
};

std::vector<double> wait_logged_on(const CpdHarness& cpd, std::size_t from, int n) {
    LogonTimes times(cpd, from);
    if (!wait_until([&] { return static_cast<int>(times.read().size()) >= n; }, 600s, 500ms)) {
        die("only " + std::to_string(times.read().size()) + " of " + std::to_string(n) +
            " guests logged on; see " + cpd.dir());
    }
    return times.read();
}

/// Time to 1k/5k/all from the log.
void logon_figures(Run& r, const std::vector<double>& t, double wall0) {
    const auto at = [&](std::size_t k) { return t[std::min(k, t.size()) - 1] - wall0; };
    r.to_1k = at(1000);
    r.to_5k = at(5000);
    r.to_all = at(t.size());
    if (t.size() > 1000) {
        r.first_gap_ms = (t[500] - t[0]) / 500 * 1e3;
        r.last_gap_ms = (t[t.size() - 1] - t[t.size() - 501]) / 500 * 1e3;
    }
}

void memory_and_cpu(Run& r, const CpdHarness& cpd, const Config& c) {
    const std::vector<pid_t> guests = guest_pids(cpd.pid());
    if (static_cast<int>(guests.size()) != c.guests) {
        die("found " + std::to_string(guests.size()) + " guest processes, not " +
            std::to_string(c.guests));
    }
    double priv = 0, pss = 0;
    long tasks = kib_fields("/proc/" + std::to_string(cpd.pid()) + "/status")["Threads"];
    for (pid_t g : guests) {
        auto f = kib_fields("/proc/" + std::to_string(g) + "/smaps_rollup");
        priv += static_cast<double>(f["Private_Clean"] + f["Private_Dirty"]);
        pss += static_cast<double>(f["Pss"]);
        tasks += kib_fields("/proc/" + std::to_string(g) + "/status")["Threads"];
    }
    r.priv_kib = priv / c.guests;
    r.pss_kib = pss / c.guests;
    r.tasks = tasks;
    r.cpd_rss_mib =
        static_cast<double>(kib_fields("/proc/" + std::to_string(cpd.pid()) + "/status")["VmRSS"]) /
        1024.0;
    const auto total_cpu = [&] {
        double s = cpu_seconds(cpd.pid());
        for (pid_t g : guests) {
            s += cpu_seconds(g);
        }
        return s;
    };
    std::this_thread::sleep_for(2s); // what the logons set going (first SMSGs, logs) settles
    const double before = total_cpu();
    std::this_thread::sleep_for(std::chrono::seconds(c.idle_seconds));
    r.idle_cpu_ms = (total_cpu() - before) * 1e3;
}

double query_names_ms(Client& op) {
    std::vector<double> ms;
    for (int i = 0; i < 21; ++i) {
        const auto t = Clock::now();
        const Reply q = op.cp("Q N");
        ms.push_back(seconds_since(t) * 1e3);
        if (q.rc != cpd::proto::CpRc::ok || q.text.find("BENCHA") == std::string::npos) {
            die("Q N: " + q.text.substr(0, 200)); // long answers are cut: BENCHA comes first
        }
    }
    return median(ms);
}

/// BENCHA pings BENCHB through cpd; the p50 round trip in microseconds.
double round_trip_us(const CpdHarness& cpd, Client& op, const Config& c) {
    const std::string file = cpd.dir() + "/state/disks/BENCHA/0191/BENCHA.rtt";
    std::remove(file.c_str());
    const std::string ping = "PING BENCHB " + std::to_string(c.pings) + " 0 64";
    if (!wait_until([&] { return op.smsg("BENCHA", ping).rc == cpd::proto::CpRc::ok; }, 10s,
                    10ms)) {
        die("unable to send PING to BENCHA");
    }
    if (!wait_until([&] { return ::access(file.c_str(), R_OK) == 0; }, 120s, 50ms)) {
        die("BENCHA wrote no round trips");
    }
    std::istringstream in(read_file(file));
    std::vector<double> us;
    for (double ns = 0; in >> ns;) {
        us.push_back(ns / 1e3);
    }
    return median(us);
}

/// SHUTDOWN from the operator until cpd has exited; seconds.
double shut_down(CpdHarness& cpd, Client& op) {
    const auto t = Clock::now();
    if (!op.send(cpd::proto::ClientCpCommand{"SHUTDOWN"})) {
        die("unable to send SHUTDOWN");
    }
    const int status = cpd.wait_exit(120s);
    if (status == -1) {
        die("cpd did not end within 120 s of SHUTDOWN");
    }
    return seconds_since(t);
}

timeval now_wall() {
    timeval tv{};
    ::gettimeofday(&tv, nullptr);
    return tv;
}

/// First start: every user on the autolog list, each given its host uid (one
/// fdatasync of the uid map each).
Run run_autolog(CpdHarness& cpd, const Config& c) {
    Run r;
    const double wall0 = local_seconds(now_wall());
    if (!cpd.start(600s)) {
        die("cpd did not start; see " + cpd.dir());
    }
    logon_figures(r, wait_logged_on(cpd, 0, c.guests), wall0);
    std::fprintf(stderr, "  autolog: %d guests in %.2f s\n", c.guests, r.to_all);
    memory_and_cpu(r, cpd, c);
    Client op = cpd.connect();
    r.qn_ms = query_names_ms(op);
    r.rtt_all_us = round_trip_us(cpd, op, c);
    r.shutdown_s = shut_down(cpd, op);
    return r;
}

/// Restart on the same state (uids known): BENCHA and BENCHB autologged, the
/// 2-guest round trip, then XAUTOLOG of all others.
Run run_xautolog(CpdHarness& cpd, const Config& c) {
    Run r;
    cpd.write_config(directory(c, false));
    const std::size_t from = cpd.log().size();
    if (!cpd.start(60s)) {
        die("cpd did not start; see " + cpd.dir());
    }
    wait_logged_on(cpd, from, 2);
    Client op = cpd.connect();
    r.rtt_2_us = round_trip_us(cpd, op, c);
    // One operator, one command after another: each answer comes once cpd
    // has forked that guest, so its latency is cpd's cost of one logon.
    const double wall0 = local_seconds(now_wall());
    std::vector<double> ms;
    for (int i = 1; i <= c.guests - 2; ++i) {
        auto t0 = Clock::now();
        Reply x = op.cp("XAUTOLOG " + userid('G', i));
        // cpd answers once the order is on its way to the spawn helper; when
        // 256 wait there it refuses more, and the operator tries again.
        while (x.rc != cpd::proto::CpRc::ok &&
               x.text.find("waiting for the spawn helper") != std::string::npos) {
            std::this_thread::sleep_for(2ms);
            t0 = Clock::now();
            x = op.cp("XAUTOLOG " + userid('G', i));
        }
        ms.push_back(seconds_since(t0) * 1e3);
        if (x.rc != cpd::proto::CpRc::ok) {
            die("XAUTOLOG " + userid('G', i) + ": " + x.text);
        }
    }
    r.first_ms = median(std::vector<double>(ms.begin(), ms.begin() + 500));
    r.last_ms = median(std::vector<double>(ms.end() - 500, ms.end()));
    std::vector<double> t = wait_logged_on(cpd, from, c.guests);
    t.erase(t.begin(), t.begin() + 2); // BENCHA and BENCHB, before the clock started
    logon_figures(r, t, wall0);
    std::fprintf(stderr, "  XAUTOLOG: %d guests in %.2f s\n", c.guests - 2, r.to_all);
    memory_and_cpu(r, cpd, c);
    r.qn_ms = query_names_ms(op);
    r.rtt_all_us = round_trip_us(cpd, op, c);
    r.shutdown_s = shut_down(cpd, op);
    return r;
}

void print(const Config& c, const Run& a, const Run& x, bool paired_bells) {
    const auto row = [](const char* what, double va, double vx, const char* unit,
                        const std::string& target, bool met) {
        const auto cell = [](double v) {
            char b[32];
            if (v < 0) {
                std::snprintf(b, sizeof b, "%10s", "-");
            } else {
                std::snprintf(b, sizeof b, "%10.2f", v);
            }
            return std::string(b);
        };
        std::printf("| %-44s | %s | %s | %-4s | %-16s | %-4s |\n", what, cell(va).c_str(),
                    cell(vx).c_str(), unit, target.c_str(), met ? "met" : "MISS");
    };
    std::printf("\nbench_scale: %d guests (2 SMSGBENCH, %d ECHO, 4 KiB rings), RLIMIT_NOFILE "
                "%llu, doorbells %s, load %s\n\n",
                c.guests, c.guests - 2, static_cast<unsigned long long>(c.nofile),
                paired_bells ? "1 socket pair per guest (cpd: 1 descriptor each)"
                             : "2 eventfds per guest",
                loadavg().c_str());
    std::printf("| %-44s | %10s | %10s | %-4s | %-16s | %-4s |\n", "measure", "autolog", "XAUTOLOG",
                "unit", "target", "");
    std::printf("|%s|%s|%s|%s|%s|%s|\n", std::string(46, '-').c_str(), std::string(12, '-').c_str(),
                std::string(12, '-').c_str(), std::string(6, '-').c_str(),
                std::string(18, '-').c_str(), std::string(6, '-').c_str());
    row("1,000 guests logged on", a.to_1k, x.to_1k, "s", "", true);
    row("5,000 guests logged on", a.to_5k, x.to_5k, "s", "", true);
    row("all guests logged on", a.to_all, x.to_all, "s", "<= 15",
        std::max(a.to_all, x.to_all) <= 15);
    row("XAUTOLOG p50 (cpd's part), guests 1-500", a.first_ms, x.first_ms, "ms", "", true);
    row("XAUTOLOG p50 (cpd's part), the last 500", a.last_ms, x.last_ms, "ms", "same as 1-500",
        x.last_ms <= 1.5 * x.first_ms);
    row("logon interval (helper's fork), 1-500", a.first_gap_ms, x.first_gap_ms, "ms", "", true);
    row("logon interval (helper's fork), last 500", a.last_gap_ms, x.last_gap_ms, "ms",
        "same as 1-500", std::max(a.last_gap_ms / a.first_gap_ms, x.last_gap_ms / x.first_gap_ms) <= 1.5);
    row("private memory per idle guest", a.priv_kib, x.priv_kib, "KiB", "<= 256",
        std::max(a.priv_kib, x.priv_kib) <= 256);
    row("Pss per idle guest", a.pss_kib, x.pss_kib, "KiB", "", true);
    row("cpd RSS", a.cpd_rss_mib, x.cpd_rss_mib, "MiB", "", true);
    row("tasks (cpd + guests)", static_cast<double>(a.tasks), static_cast<double>(x.tasks), "",
        "< TasksMax " + std::to_string(c.tasks_max), std::max(a.tasks, x.tasks) < c.tasks_max);
    row(("CPU of cpd + guests, " + std::to_string(c.idle_seconds) + " s idle").c_str(),
        a.idle_cpu_ms, x.idle_cpu_ms, "ms", "0", std::max(a.idle_cpu_ms, x.idle_cpu_ms) < 1);
    row("Q N", a.qn_ms, x.qn_ms, "ms", "<= 50", std::max(a.qn_ms, x.qn_ms) <= 50);
    row("SMSG round trip, 2 guests (baseline)", x.rtt_2_us, x.rtt_2_us, "us", "", true);
    row("SMSG round trip, all guests", a.rtt_all_us, x.rtt_all_us, "us", "<= 1.5x baseline",
        std::max(a.rtt_all_us, x.rtt_all_us) <= 1.5 * x.rtt_2_us);
    row("SHUTDOWN until cpd exited", a.shutdown_s, x.shutdown_s, "s", "<= 5",
        std::max(a.shutdown_s, x.shutdown_s) <= 5);
    std::printf("\nround trips: p50 of %d pings BENCHA -> BENCHB -> BENCHA; the baseline is "
                "measured in the XAUTOLOG start before the other guests log on\n",
                c.pings);
}

} // namespace

int main(int argc, char** argv) {
    Config c;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const auto next = [&]() -> long {
            if (i + 1 >= argc) {
                die("missing value after " + a);
            }
            return std::atol(argv[++i]);
        };
        if (a == "--guests") {
            c.guests = static_cast<int>(next());
        } else if (a == "--idle-seconds") {
            c.idle_seconds = static_cast<int>(next());
        } else if (a == "--nofile") {
            c.nofile = static_cast<rlim_t>(next());
        } else if (a == "--pings") {
            c.pings = static_cast<int>(next());
        } else {
            std::fprintf(stderr,
                         "usage: bench_scale [--guests N (10000)] [--idle-seconds S (10)] "
                         "[--nofile N (262144, the unit's LimitNOFILE)] [--pings N (2000)]\n");
            return 64;
        }
    }
    if (::geteuid() != 0) {
        die("needs root: every guest runs under a host uid of its own");
    }
    if (c.guests < 1002) {
        die("--guests must be at least 1002");
    }
    // What the unit gives cpd: soft = hard = LimitNOFILE (cpd inherits it).
    // Without CAP_SYS_RESOURCE (a container) the hard limit cannot rise: then
    // cpd gives each guest one descriptor (a socket-pair bell) where two do
    // not fit, and the run is cut only if even one each does not (beside the
    // logons waiting for the spawn helper, up to 128 of 7 each).
    rlimit nofile{c.nofile, c.nofile};
    if (::setrlimit(RLIMIT_NOFILE, &nofile) != 0) {
        ::getrlimit(RLIMIT_NOFILE, &nofile);
        std::fprintf(stderr,
                     "bench_scale: cannot raise RLIMIT_NOFILE to %llu (%s); using the hard "
                     "limit %llu\n",
                     static_cast<unsigned long long>(c.nofile), std::strerror(errno),
                     static_cast<unsigned long long>(nofile.rlim_max));
        nofile.rlim_cur = nofile.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &nofile);
        c.nofile = nofile.rlim_max;
        // 1 each at the least, beside cpd's own and what the waiting logons hold.
        const int fits = static_cast<int>(c.nofile - 64 - 128 * 7) / 100 * 100;
        if (fits < c.guests) {
            std::fprintf(stderr,
                         "bench_scale: %d guests fit (1 descriptor each, and 128 logons "
                         "waiting for the spawn helper at 7), not %d\n",
                         fits, c.guests);
            c.guests = fits;
        }
    }
    std::fprintf(stderr, "bench_scale: %d guests, RLIMIT_NOFILE %llu\n", c.guests,
                 static_cast<unsigned long long>(c.nofile));
    CpdHarness cpd(directory(c, true));
    const Run a = run_autolog(cpd, c);
    const Run x = run_xautolog(cpd, c);
    print(c, a, x, cpd.log().find("new guests get one") != std::string::npos);
    return 0;
}
