// SPDX-License-Identifier: MIT
// bench_reload: how long a SIGHUP reload takes cpd's thread away from routing.
// A client pings ECHO back to back (SMSG there, ECHO's answer back) while cpd
// reloads, in turn, a 15 MiB directory of bad lines, a 64 KiB cpd.conf of
// unknown keys and a valid 10,000-user directory; the baseline is the same
// pinging with no reload, in the same run. Prints one table: round trips
// (median, p99) and the longest gap between two answers, per scenario.
// --rt runs cpd, ECHO and this client under SCHED_FIFO, so that on a machine
// busy with other work the gaps are cpd's own and not the scheduler's.
#include "reload_rig.hpp"

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <sched.h>
#include <unistd.h>

namespace {

using namespace cpd::test;
using Clock = std::chrono::steady_clock;

struct Config {
    int reloads = 5;      ///< reloads per scenario
    double seconds = 3.0; ///< length of the baseline
    bool rt = false;      ///< SCHED_FIFO for cpd, ECHO and the client
    /// Pause between pings under --rt, so the three stay below the kernel's
    /// real-time throttle (95 % of each second) and it never shows as a gap.
    std::chrono::microseconds rt_pause{100};
};

/// What one scenario measured.
struct Sample {
    std::vector<double> rtt_us;    ///< each round trip
    double longest_gap_ms = 0;     ///< longest time between two answers (or a ping and its answer)
    std::vector<double> reload_ms; ///< SIGHUP to the reload's last log line, as seen by polling
    int lost = 0;                  ///< pings unanswered within 2 s
};

double percentile(std::vector<double> v, double p) {
    if (v.empty()) {
        return 0;
    }
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

std::chrono::microseconds g_pause{0}; ///< between pings (Config::rt_pause under --rt)

/// Times one ping into `s` (the gap runs from the previous answer to this one).
void ping_into(EchoPinger& pinger, Sample& s, Clock::time_point& last_answer) {
    if (g_pause.count() > 0) {
        ::usleep(static_cast<useconds_t>(g_pause.count()));
    }
    auto rtt = pinger.ping(std::chrono::seconds(2));
    const auto now = Clock::now();
    if (!rtt) {
        ++s.lost;
    } else {
        s.rtt_us.push_back(std::chrono::duration<double, std::micro>(*rtt).count());
    }
    s.longest_gap_ms = std::max(
        s.longest_gap_ms, std::chrono::duration<double, std::milli>(now - last_answer).count());
    last_answer = now;
}

/// Times of `needle` in cpd's log so far.
std::size_t occurrences(const CpdHarness& cpd, const char* needle) {
    const std::string log = cpd.log();
    std::size_t n = 0;
    for (auto at = log.find(needle); at != std::string::npos; at = log.find(needle, at + 1)) {
        ++n;
    }
    return n;
}

/// Pings with no reload for `seconds`.
Sample baseline(EchoPinger& pinger, double seconds) {
    Sample s;
    auto last = Clock::now();
    const auto end = last + std::chrono::duration<double>(seconds);
    while (Clock::now() < end) {
        ping_into(pinger, s, last);
    }
    return s;
}

/// Sends `reloads` SIGHUPs, one after the other has ended (its log line
/// `done_line` appeared), pinging throughout and for 50 ms after each.
Sample during_reloads(const CpdHarness& cpd, EchoPinger& pinger, int reloads,
                      const char* done_line) {
    Sample s;
    for (int i = 0; i < reloads; ++i) {
        const std::size_t before = occurrences(cpd, done_line);
        auto last = Clock::now();
        const auto sent = last;
        ::kill(cpd.pid(), SIGHUP);
        auto next_look = sent;
        for (;;) {
            ping_into(pinger, s, last);
            if (Clock::now() >= next_look) {
                if (occurrences(cpd, done_line) > before) {
                    break;
                }
                next_look = Clock::now() + std::chrono::milliseconds(2);
            }
            if (Clock::now() - sent > std::chrono::seconds(60)) {
                std::fprintf(stderr, "bench_reload: reload %d did not end within 60 s\n", i);
                std::exit(1);
            }
        }
        s.reload_ms.push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
        const auto settle = Clock::now() + std::chrono::milliseconds(50);
        while (Clock::now() < settle) {
            ping_into(pinger, s, last);
        }
    }
    return s;
}

/// A directory of `users` valid entries after the harness's own.
std::string big_directory(int users) {
    std::string text;
    char line[128];
    for (int i = 0; i < users; ++i) {
        std::snprintf(line, sizeof line, "USER U%06d NOPASS 16M 32M G\n IPL ECHO\n IUCV ANY\n", i);
        text += line;
    }
    return text;
}

/// `bytes` (at most) of cpd.conf lines of unknown keys.
std::string junk_config(std::size_t bytes) {
    std::string text;
    char line[64];
    for (int i = 0;; ++i) {
        const int n = std::snprintf(line, sizeof line, "no_such_key_%d = 1\n", i);
        if (text.size() + static_cast<std::size_t>(n) > bytes) {
            return text;
        }
        text += line;
    }
}

void row(const char* name, const Sample& s) {
    std::printf("| %-34s | %6zu | %8.1f | %8.1f | %9.2f | %4d | %9.0f |\n", name, s.rtt_us.size(),
                percentile(s.rtt_us, 0.5), percentile(s.rtt_us, 0.99), s.longest_gap_ms, s.lost,
                percentile(s.reload_ms, 0.5));
}

/// Puts `pid` (every thread of it) under SCHED_FIFO; false if not allowed.
bool make_realtime(pid_t pid) {
    sched_param param{};
    param.sched_priority = 10;
    bool ok = true;
    std::error_code ec;
    for (const auto& task :
         std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
        const auto tid = static_cast<pid_t>(std::stol(task.path().filename().string()));
        ok = ::sched_setscheduler(tid, SCHED_FIFO, &param) == 0 && ok;
    }
    return ok && !ec;
}

Config parse_args(int argc, char** argv) {
    Config c;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--rt") == 0) {
            c.rt = true;
            continue;
        }
        if (i + 1 == argc) {
            std::fprintf(stderr, "usage: bench_reload [--reloads N] [--seconds S] [--rt]\n");
            std::exit(64);
        }
        if (std::strcmp(argv[i], "--reloads") == 0) {
            c.reloads = std::atoi(argv[i + 1]);
        } else if (std::strcmp(argv[i], "--seconds") == 0) {
            c.seconds = std::atof(argv[i + 1]);
        } else {
            std::fprintf(stderr, "usage: bench_reload [--reloads N] [--seconds S] [--rt]\n");
            std::exit(64);
        }
        ++i;
    }
    return c;
}

} // namespace

int main(int argc, char** argv) {
    const Config config = parse_args(argc, argv);
    HarnessConfig hc;
    hc.directory = "USER OPERATOR NOPASS 64M 128M ABCDEFG\n POSIXINFO UID 0\n"
                   "USER ECHO NOPASS 16M 16M G\n IPL ECHO\n";
    hc.autolog = "ECHO";
    CpdHarness cpd(hc);
    if (!cpd.start()) {
        std::fprintf(stderr, "bench_reload: cpd did not start:\n%s", cpd.log().c_str());
        return 1;
    }
    EchoPinger pinger(cpd);
    if (!pinger.ok()) {
        std::fprintf(stderr, "bench_reload: cannot listen as OPERATOR (run as root)\n");
        return 1;
    }
    if (config.rt && !(make_realtime(cpd.pid()) && make_realtime(cpd.guest_pid("ECHO")) &&
                       make_realtime(::getpid()))) {
        std::fprintf(stderr, "bench_reload: --rt: cannot set SCHED_FIFO (run as root)\n");
        return 1;
    }
    g_pause = config.rt ? config.rt_pause : std::chrono::microseconds(0);
    baseline(pinger, 0.3); // warm up
    const long rss_start = rss_kib(cpd.pid());

    const Sample base = baseline(pinger, config.seconds);
    cpd.write_directory(hc.directory + bad_directory_text(15 * 1024 * 1024));
    const Sample bad = during_reloads(cpd, pinger, config.reloads, "reload failed");
    const long rss_after_bad = rss_kib(cpd.pid());

    cpd.write_directory(hc.directory);
    std::ofstream(cpd.dir() + "/cpd.conf", std::ios::app) << junk_config(60 * 1024);
    const Sample conf = during_reloads(cpd, pinger, config.reloads, "reload failed");

    cpd.write_config(hc);
    cpd.write_directory(hc.directory + big_directory(10000));
    const Sample good = during_reloads(cpd, pinger, config.reloads, "reload: directory has");
    const long rss_end = rss_kib(cpd.pid());

    std::printf("bench_reload: %d reloads a scenario; client pings ECHO back to back%s\n\n",
                config.reloads,
                config.rt ? "; cpd, ECHO and client SCHED_FIFO, 100 us between pings" : "");
    std::printf("| %-34s | %6s | %8s | %8s | %9s | %4s | %9s |\n", "scenario", "pings", "p50 us",
                "p99 us", "gap ms", "lost", "reload ms");
    std::printf("|%s|%s|%s|%s|%s|%s|%s|\n", std::string(36, '-').c_str(),
                std::string(8, '-').c_str(), std::string(10, '-').c_str(),
                std::string(10, '-').c_str(), std::string(11, '-').c_str(),
                std::string(6, '-').c_str(), std::string(11, '-').c_str());
    row("baseline: no reload", base);
    row("15 MiB directory of bad lines", bad);
    row("64 KiB cpd.conf of unknown keys", conf);
    row("valid directory of 10,000 users", good);
    std::printf("\ncpd RSS: %ld KiB at start, %ld KiB after the bad reloads, %ld KiB at the end\n",
                rss_start, rss_after_bad, rss_end);
    std::printf("gap ms: the longest time between two answers; reload ms: median SIGHUP to its "
                "last log line (polled every 2 ms)\n");
    return 0;
}
