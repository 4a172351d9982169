// SPDX-License-Identifier: MIT
// bench_logon: what the guest sandbox costs at logon and in memory. Starts a
// real cpd (as root: a host uid per guest) with N ECHO guests on its autolog
// list, with cpd.conf `sandbox = yes` (Landlock + seccomp, the default) and
// with `sandbox = no` (uids and rlimits only). Each round gives each mode a
// fresh directory and starts cpd on it twice: a first start (every guest gets
// its uid, one fdatasync each) and a restart (uids known), in the order
// A B B A (A = on in even rounds), so a drift in the machine's load hits both
// modes alike. Measured per start:
//   - cpd's fork until QUERY NAMES lists all N: cpd runs the autolog list
//     before it serves its socket, so the first answer comes after the last
//     logon (a logon returns once the guest has exec'd its program);
//   - from cpd's log: start-up before the first logon, and the autolog time
//     per guest (first to last "logged on by" line);
//   - CPU per guest (/proc/<pid>/schedstat) of cpd and of the guest
//     processes (fork child, sandbox, exec, runtime start) at that point;
//   - until every guest has answered an SMSG (its runtime is up);
//   - memory per guest: Private_Clean + Private_Dirty and Pss
//     (/proc/<pid>/smaps_rollup), page tables (VmPTE), the growth of the
//     kernel's page tables, stacks and unreclaimable slab (/proc/meminfo,
//     system-wide); cpd's RSS;
//   - XAUTOLOG of K more directory users one at a time, N guests running;
//   - SIGTERM until cpd has exited (every guest logged off), then no process
//     may be left in the guest uid range.
// The table shows medians over the starts and the median of the per-round
// on/off ratios (for the fastest starts and XAUTOLOG, the ratio of the values
// shown). cpd is started by this program, not CpdHarness: the harness
// gives each cpd 256 guest uids, and in cpd.conf the first setting of a key wins.
#include "cpd_harness.hpp"
#include "system_sampling.hpp"

#include "cpd/ipc/frame_io.hpp"
#include "cpd/proto/socket_frame.hpp"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

using namespace cpd::test;
using namespace cpd::bench_logon;
namespace fs = std::filesystem;

struct Config {
    int guests = 1000;
    int rounds = 5;
    int xautolog = 100;
    std::string storage = "16M";
    bool warmup = true;
    bool keep = false;                           // keep the temp directories (logs) for inspection
    std::string cpd = cpd_binary();              // this build's, or --cpd
    std::string guest_dir = guest_program_dir(); // this build's, or --guest-dir
};

[[noreturn]] void die(const std::string& what) {
    std::fprintf(stderr, "bench_logon: error: %s\n", what.c_str());
    std::exit(1);
}


struct StartResult {
    double to_names = 0;     ///< s, fork until QUERY NAMES lists all guests
    double before_first = 0; ///< s, fork until the first "logged on by" (cpd's log)
    double per_logon = 0;    ///< us, autolog first to last logon / (N - 1)
    double to_answers = 0;   ///< s, fork until every guest answered an SMSG
    double cpd_cpu = 0;      ///< us of CPU per guest cpd used until it answered QUERY NAMES
    double guest_cpu = 0;    ///< us of CPU per guest process (fork child, exec, runtime start)
    std::string load;        ///< 1-minute load average at the start
    double priv_kib = 0, pss_kib = 0; ///< per guest
    double pte_kib = 0;               ///< page tables (VmPTE) per guest
    double kernel_kib = 0;            ///< system-wide kernel memory growth, per guest
    double cpd_rss_mib = 0;
    std::vector<double> xautolog_ms;
    double shutdown = 0; ///< s, SIGTERM until cpd exited
};

/// A private cpd directory: user directory of N autologged ECHO guests and K
/// more for XAUTOLOG, cpd.conf with its own guest uid range.
class Instance {
  public:
    Instance(const Config& c, bool sandbox, unsigned uid_base) : c_(c), uid_base_(uid_base) {
        char tmpl[] = "/tmp/cpd-bench-logon-XXXXXX";
        if (::mkdtemp(tmpl) == nullptr) {
            die("mkdtemp failed");
        }
        dir_ = tmpl;
        ::chmod(dir_.c_str(), 0711); // guests (their own uids) pass through to their disks
        fs::create_directories(dir_ + "/state");
        ::chmod((dir_ + "/state").c_str(), 0711);
        std::ofstream d(dir_ + "/user.direct");
        d << "USER OPERATOR NOPASS 16M 16M ABCDEFG\n IPL SINK\n POSIXINFO UID 0\n";
        std::string autolog;
        for (int i = 1; i <= c.guests; ++i) {
            d << "USER " << userid('G', i) << " NOPASS " << c.storage << " " << c.storage
              << " G\n IPL ECHO\n";
            autolog += i > 1 ? " " : ""; // two appends: g++ 12 -O3 -Wrestrict (GCC bug 105651)
            autolog += userid('G', i);
        }
        for (int i = 1; i <= c.xautolog; ++i) {
            d << "USER " << userid('X', i) << " NOPASS " << c.storage << " " << c.storage
              << " G\n IPL ECHO\n";
        }
        std::ofstream(dir_ + "/cpd.conf") << "directory = " << dir_ << "/user.direct\n"
                                          << "socket = " << socket() << "\n"
                                          << "state_dir = " << dir_ << "/state\n"
                                          << "guest_dir = " << c.guest_dir << "\n"
                                          << "guest_uid_base = " << uid_base << "\n"
                                          << "guest_uid_count = 65536\n"
                                          << "sandbox = " << (sandbox ? "yes" : "no") << "\n"
                                          << "grace_seconds = 5\n"
                                          << "latency_hold_ms = 0\n"
                                          << "log_level = info\n"
                                          << "autolog = " << autolog << "\n";
    }

    ~Instance() {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
        std::error_code ec;
        if (!c_.keep) {
            fs::remove_all(dir_, ec);
        } else {
            std::fprintf(stderr, "  kept %s\n", dir_.c_str());
        }
    }

    std::string socket() const { return dir_ + "/cpd.sock"; }

    /// Starts cpd, measures, stops it. `tag` names the log file.
    StartResult run(const std::string& tag) {
        StartResult r;
        wait_range_free();
        r.load = loadavg();
        const long kernel0 = kernel_kib(meminfo());
        log_ = dir_ + "/cpd-" + tag + ".log";
        timeval wall0{};
        ::gettimeofday(&wall0, nullptr);
        const auto t0 = Clock::now();
        pid_ = ::fork();
        if (pid_ == 0) {
            const int fd = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            ::dup2(fd, STDOUT_FILENO);
            ::dup2(fd, STDERR_FILENO);
            ::unsetenv("CPD_SOCKET");
            ::unsetenv("NOTIFY_SOCKET");
            ::unsetenv("JOURNAL_STREAM");
            const std::string& bin = c_.cpd;
            const std::string conf = dir_ + "/cpd.conf";
            ::execl(bin.c_str(), bin.c_str(), "--config", conf.c_str(),
                    static_cast<char*>(nullptr));
            ::_exit(127);
        }
        if (pid_ < 0) {
            die("fork failed");
        }
        // End point: the first QUERY NAMES answer. cpd listens before it runs
        // the autolog list and serves commands only after it, so that answer
        // lists every guest; polled every 2 ms until the socket accepts.
        int listed = 0;
        for (;;) {
            if (!process_alive(pid_)) {
                die("cpd ended at start; see " + log_ + ":\n" + read_file(log_));
            }
            std::error_code ec;
            Client op(cpd::ipc::connect_unix(socket(), ec));
            if (!op.ok()) {
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
                continue;
            }
            if (!op.send(cpd::proto::ClientCpCommand{"Q N"})) {
                continue;
            }
            Reply q = op.read(std::chrono::seconds(300));
            if (q.type == 0) {
                continue;
            }
            listed = count_names(q.text);
            if (listed >= c_.guests) {
                r.to_names = seconds_since(t0);
                break;
            }
            if (seconds_since(t0) > 300) {
                die("only " + std::to_string(listed) + " guests logged on; see " + log_);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        r.cpd_cpu = cpu_seconds(pid_) * 1e6 / c_.guests;
        double guests_cpu = 0;
        for (pid_t g : guest_pids(pid_)) {
            guests_cpu += cpu_seconds(g);
        }
        r.guest_cpu = guests_cpu * 1e6 / c_.guests;
        answers(r, t0);
        log_phases(r, local_seconds(wall0));
        memory(r, kernel0);
        xautolog(r);
        stop(r);
        return r;
    }

  private:
    int count_names(const std::string& text) const {
        int n = 0;
        for (std::size_t p = 0; (p = text.find('G', p)) != std::string::npos; ++p) {
            if ((p == 0 || text[p - 1] == ' ' || text[p - 1] == '\n') && p + 6 <= text.size() &&
                std::all_of(text.begin() + static_cast<long>(p) + 1,
                            text.begin() + static_cast<long>(p) + 6,
                            [](char ch) { return ch >= '0' && ch <= '9'; })) {
                ++n;
            }
        }
        return n;
    }

    /// SMSG to every guest from a listening OPERATOR connection, until every
    /// ECHO has answered.
    void answers(StartResult& r, Clock::time_point t0) {
        std::error_code ec;
        Client op(cpd::ipc::connect_unix(socket(), ec));
        if (!op.ok() || op.listen().rc != cpd::proto::CpRc::ok) {
            die("unable to listen as OPERATOR");
        }
        int echoed = 0;
        for (int i = 1; i <= c_.guests; ++i) {
            const std::string id = userid('G', i);
            if (!op.send(cpd::proto::ClientSmsgSend{*cpd::proto::Userid::parse(id), "hi"})) {
                die("send to cpd failed");
            }
            for (;;) { // until the command's response; echoes may come first
                Reply f = op.read(std::chrono::seconds(30));
                if (f.type == 0) {
                    die("no answer to SMSG " + id);
                }
                if (f.is_event()) {
                    ++echoed;
                    continue;
                }
                if (f.rc != cpd::proto::CpRc::ok) {
                    die("SMSG " + id + ": " + f.text);
                }
                break;
            }
        }
        while (echoed < c_.guests) {
            Reply f = op.read(std::chrono::seconds(30));
            if (f.type == 0) {
                die(std::to_string(c_.guests - echoed) + " guests did not answer");
            }
            echoed += f.is_event() ? 1 : 0;
        }
        r.to_answers = seconds_since(t0);
    }

    /// Start-up and per-logon time from the timestamps of cpd's log.
    void log_phases(StartResult& r, double wall0) const {
        double first = -1, last = -1;
        int logons = 0;
        for (const std::string& line : read_lines(log_)) {
            if (line.find(": logged on by AUTOLOG (") != std::string::npos) {
                const double t = log_seconds(line);
                first = first < 0 ? t : first;
                last = t;
                ++logons;
            }
        }
        if (logons != c_.guests) {
            die("cpd's log shows " + std::to_string(logons) + " autolog logons, not " +
                std::to_string(c_.guests) + "; see " + log_);
        }
        r.before_first = first - wall0;
        r.per_logon = logons > 1 ? (last - first) / (logons - 1) * 1e6 : 0;
    }

    void memory(StartResult& r, long kernel0) const {
        const std::vector<pid_t> guests = guest_pids(pid_);
        if (static_cast<int>(guests.size()) != c_.guests) {
            die("found " + std::to_string(guests.size()) + " guest processes, not " +
                std::to_string(c_.guests));
        }
        double priv = 0, pss = 0, pte = 0;
        for (pid_t g : guests) {
            auto f = kib_fields("/proc/" + std::to_string(g) + "/smaps_rollup");
            priv += static_cast<double>(f["Private_Clean"] + f["Private_Dirty"]);
            pss += static_cast<double>(f["Pss"]);
            pte +=
                static_cast<double>(kib_fields("/proc/" + std::to_string(g) + "/status")["VmPTE"]);
        }
        const double n = c_.guests;
        r.priv_kib = priv / n;
        r.pss_kib = pss / n;
        r.pte_kib = pte / n;
        r.kernel_kib = static_cast<double>(kernel_kib(meminfo()) - kernel0) / n;
        r.cpd_rss_mib =
            static_cast<double>(kib_fields("/proc/" + std::to_string(pid_) + "/status")["VmRSS"]) /
            1024.0;
    }

    /// XAUTOLOG of the K spare users, one at a time, while N guests run.
    void xautolog(StartResult& r) const {
        std::error_code ec;
        Client op(cpd::ipc::connect_unix(socket(), ec));
        for (int i = 1; i <= c_.xautolog; ++i) {
            const std::string cmd = "XAUTOLOG " + userid('X', i);
            const auto t = Clock::now();
            if (!op.send(cpd::proto::ClientCpCommand{cmd})) {
                die("send to cpd failed");
            }
            Reply q = op.read(std::chrono::seconds(30));
            r.xautolog_ms.push_back(seconds_since(t) * 1e3);
            if (q.type == 0 || q.rc != cpd::proto::CpRc::ok) {
                die(cmd + ": " + q.text);
            }
        }
    }

    void stop(StartResult& r) {
        const auto t = Clock::now();
        ::kill(pid_, SIGTERM);
        int status = 0;
        if (!wait_until([&] { return ::waitpid(pid_, &status, WNOHANG) == pid_; },
                        std::chrono::seconds(120), std::chrono::milliseconds(5))) {
            die("cpd did not exit within 120 s of SIGTERM; see " + log_);
        }
        r.shutdown = seconds_since(t);
        pid_ = 0;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            die("cpd exited with status " + std::to_string(status) + "; see " + log_);
        }
        wait_range_free();
    }

    /// Waits until no process runs in the uid range and the range claim is
    /// released (cpd's guardian holds it a moment longer than cpd).
    void wait_range_free() const {
        const std::string claim = "cpd-guest-uid-range-" + std::to_string(uid_base_);
        if (!wait_until(
                [&] {
                    return processes_in_range(uid_base_, 65536).empty() &&
                           !abstract_socket_bound(claim);
                },
                std::chrono::seconds(30), std::chrono::milliseconds(10))) {
            const auto left = processes_in_range(uid_base_, 65536);
            die(std::to_string(left.size()) + " processes left in the guest uid range after cpd");
        }
    }

    const Config& c_;
    unsigned uid_base_;
    std::string dir_;
    std::string log_;
    pid_t pid_ = 0;
};

/// The starts of one mode, by round.
struct Series {
    std::vector<StartResult> first, restart;
    const std::vector<StartResult>& of(bool restarts) const { return restarts ? restart : first; }
};

using Metric = double StartResult::*;

std::vector<double> values(const std::vector<StartResult>& v, Metric m) {
    std::vector<double> out;
    for (const auto& r : v) {
        out.push_back(r.*m);
    }
    return out;
}

void print_start(const char* mode, const char* kind, int round, const StartResult& r) {
    std::fprintf(stderr,
                 "  round %d sandbox %-3s %-7s (load %s): Q N lists all %.3f s (first logon at "
                 "%.3f s, %.0f us/logon; CPU per guest: cpd %.0f us, guest %.0f us), all "
                 "answered %.3f s; per guest private %.0f KiB, Pss %.0f KiB, page tables %.0f "
                 "KiB, kernel %.0f KiB; cpd RSS %.1f MiB; XAUTOLOG p50 %.2f ms; shutdown %.2f s\n",
                 round, mode, kind, r.load.c_str(), r.to_names, r.before_first, r.per_logon,
                 r.cpd_cpu, r.guest_cpu, r.to_answers, r.priv_kib, r.pss_kib, r.pte_kib,
                 r.kernel_kib, r.cpd_rss_mib, median(r.xautolog_ms), r.shutdown);
}

void row(const std::string& label, const char* fmt, double on, double off, double q) {
    char a[32], b[32];
    std::snprintf(a, sizeof a, fmt, on);
    std::snprintf(b, sizeof b, fmt, off);
    std::printf("| %-52s | %10s | %11s | %6.2fx |\n", label.c_str(), a, b, q);
}

/// A row of medians over the starts of one kind (first or restart) or both.
void row(const std::string& label, const char* fmt, const Series& on, const Series& off, Metric m,
         int kinds) {
    std::vector<double> a, b, q;
    for (bool restarts : {false, true}) {
        if ((kinds & (restarts ? 2 : 1)) == 0) {
            continue;
        }
        auto va = values(on.of(restarts), m);
        auto vb = values(off.of(restarts), m);
        a.insert(a.end(), va.begin(), va.end());
        b.insert(b.end(), vb.begin(), vb.end());
        for (std::size_t i = 0; i < va.size() && i < vb.size(); ++i) {
            if (vb[i] != 0) {
                q.push_back(va[i] / vb[i]);
            }
        }
    }
    row(label, fmt, median(a), median(b), median(q));
}

/// The fastest start of a kind in each mode.
void fastest(const std::string& label, const Series& on, const Series& off, bool restarts) {
    auto a = values(on.of(restarts), &StartResult::to_names);
    auto b = values(off.of(restarts), &StartResult::to_names);
    const double fa = *std::min_element(a.begin(), a.end());
    const double fb = *std::min_element(b.begin(), b.end());
    row(label, "%.2f s", fa, fb, fa / fb);
}

} // namespace

int main(int argc, char** argv) {
    Config c;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--guests" && i + 1 < argc) {
            c.guests = std::max(2, std::atoi(argv[++i]));
        } else if (a == "--rounds" && i + 1 < argc) {
            c.rounds = std::max(1, std::atoi(argv[++i]));
        } else if (a == "--xautolog" && i + 1 < argc) {
            c.xautolog = std::max(0, std::atoi(argv[++i]));
        } else if (a == "--storage" && i + 1 < argc) {
            c.storage = argv[++i];
        } else if (a == "--no-warmup") {
            c.warmup = false;
        } else if (a == "--keep") {
            c.keep = true;
        } else if (a == "--cpd" && i + 1 < argc) {
            c.cpd = argv[++i];
        } else if (a == "--guest-dir" && i + 1 < argc) {
            c.guest_dir = argv[++i];
        } else {
            std::fprintf(stderr, "usage: bench_logon [--guests N] [--rounds R] [--xautolog K] "
                                 "[--storage 16M] [--no-warmup] [--keep] [--cpd PATH] "
                                 "[--guest-dir DIR]\n");
            return 64;
        }
    }
    if (::geteuid() != 0) {
        std::fprintf(stderr, "bench_logon: run as root (a host uid per guest needs it)\n");
        return 77;
    }
    if (c.guests + c.xautolog >= 65536) {
        die("--guests plus --xautolog must stay below 65536");
    }
    ::signal(SIGPIPE, SIG_IGN);
    // A range of our own, clear of the tests' (0x70010000-0x72ffffff); both
    // modes use it, never at the same time.
    const unsigned uid_base = 0x73000000U + (static_cast<unsigned>(::getpid()) % 64U) * 65536U;

    if (c.warmup) { // page cache and allocator warm, not measured
        Config w = c;
        w.guests = std::min(c.guests, 100);
        w.xautolog = 0;
        Instance(w, true, uid_base).run("warmup");
    }
    Series on, off;
    const std::string load0 = loadavg();
    const auto t_all = Clock::now();
    for (int round = 0; round < c.rounds; ++round) {
        // A B B A, A = on in even rounds: a drift in the machine's load hits
        // both modes alike. Each mode has a fresh directory per round.
        const bool a_on = round % 2 == 0;
        Instance a(c, a_on, uid_base);
        Instance b(c, !a_on, uid_base);
        Series& sa = a_on ? on : off;
        Series& sb = a_on ? off : on;
        const char* ma = a_on ? "on" : "off";
        const char* mb = a_on ? "off" : "on";
        sa.first.push_back(a.run("first"));
        print_start(ma, "first", round, sa.first.back());
        sb.first.push_back(b.run("first"));
        print_start(mb, "first", round, sb.first.back());
        sb.restart.push_back(b.run("restart"));
        print_start(mb, "restart", round, sb.restart.back());
        sa.restart.push_back(a.run("restart"));
        print_start(ma, "restart", round, sa.restart.back());
    }

    std::printf("cpd: %s, guest programs: %s\n", c.cpd.c_str(), c.guest_dir.c_str());
    std::printf("bench_logon: %d ECHO guests (%s), sandbox on (Landlock + seccomp) vs off "
                "(uids and rlimits only), medians of %d rounds, %.0f s in all; load average "
                "%s at the start, %s at the end\n\n",
                c.guests, c.storage.c_str(), c.rounds, seconds_since(t_all), load0.c_str(),
                loadavg().c_str());
    std::printf("| %-52s | %10s | %11s | %7s |\n", "", "sandbox on", "sandbox off", "on/off");
    std::printf("|%s|%s|%s|%s|\n", std::string(54, '-').c_str(),
                std::string(11, '-').append(":").c_str(), std::string(12, '-').append(":").c_str(),
                std::string(8, '-').append(":").c_str());
    const std::string n = std::to_string(c.guests);
    row(n + " guests, first start: start -> Q N lists all", "%.2f s", on, off,
        &StartResult::to_names, 1);
    row(n + " guests, restart: start -> Q N lists all", "%.2f s", on, off, &StartResult::to_names,
        2);
    fastest("  fastest first start", on, off, false);
    fastest("  fastest restart", on, off, true);
    row("  start-up before the first logon", "%.3f s", on, off, &StartResult::before_first, 3);
    row("  autolog per guest, first start (cpd's log)", "%.0f us", on, off, &StartResult::per_logon,
        1);
    row("  autolog per guest, restart (cpd's log)", "%.0f us", on, off, &StartResult::per_logon, 2);
    row("  CPU per logon: cpd", "%.0f us", on, off, &StartResult::cpd_cpu, 3);
    row("  CPU per logon: guest process (fork to runtime up)", "%.0f us", on, off,
        &StartResult::guest_cpu, 3);
    row("start -> every guest answered an SMSG, restart", "%.2f s", on, off,
        &StartResult::to_answers, 2);
    if (c.xautolog > 0) {
        std::vector<double> xa, xb;
        for (bool restarts : {false, true}) {
            for (const auto& r : on.of(restarts)) {
                xa.insert(xa.end(), r.xautolog_ms.begin(), r.xautolog_ms.end());
            }
            for (const auto& r : off.of(restarts)) {
                xb.insert(xb.end(), r.xautolog_ms.begin(), r.xautolog_ms.end());
            }
        }
        row("XAUTOLOG, " + n + " guests running: p50", "%.2f ms", median(xa), median(xb),
            median(xa) / median(xb));
        row("XAUTOLOG, " + n + " guests running: p90", "%.2f ms", percentile(xa, 0.9),
            percentile(xb, 0.9), percentile(xa, 0.9) / percentile(xb, 0.9));
    }
    row("guest private memory (Private_Clean+Dirty) / guest", "%.0f KiB", on, off,
        &StartResult::priv_kib, 3);
    row("guest Pss / guest", "%.0f KiB", on, off, &StartResult::pss_kib, 3);
    row("guest page tables (VmPTE) / guest", "%.0f KiB", on, off, &StartResult::pte_kib, 3);
    row("kernel memory / guest (meminfo: PTE+stack+slab)", "%.0f KiB", on, off,
        &StartResult::kernel_kib, 3);
    row("cpd RSS", "%.1f MiB", on, off, &StartResult::cpd_rss_mib, 3);
    row("SIGTERM -> cpd exited (all guests logged off)", "%.2f s", on, off, &StartResult::shutdown,
        3);

    const double on_first = median(values(on.first, &StartResult::to_names));
    const double on_restart = median(values(on.restart, &StartResult::to_names));
    double worst = 0;
    for (const Series* s : {&on, &off}) {
        for (bool restarts : {false, true}) {
            for (double v : values(s->of(restarts), &StartResult::to_names)) {
                worst = std::max(worst, v);
            }
        }
    }
    std::printf("\n%d guests logged on in under 5 s with the sandbox on: first start %s (median "
                "%.2f s), restart %s (median %.2f s); slowest start of either mode %.2f s\n",
                c.guests, on_first < 5.0 ? "yes" : "NO", on_first, on_restart < 5.0 ? "yes" : "NO",
                on_restart, worst);
    return 0;
}
