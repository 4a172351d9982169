// SPDX-License-Identifier: MIT
// ChaosRig: the real cpd with two SMSG flooders into SINK, two IUCV pairs of
// CHAOS guests (chaos_guest.cpp) flooding each other, ECHO for a bystander's
// pings, and what the chaos test does to them: kill -9 with the checks that
// follow a kill, logging back on, and the final count. Pinger pings ECHO from
// its own thread and client. Also: a process's descriptors, RSS and zombies.
#pragma once

#include "test_directory.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace cpd::test {

inline constexpr const char* chaos_directory = R"(* chaos test directory
USER OPERATOR NOPASS 64M 128M ABCDEFG
 POSIXINFO UID 0
USER ECHO NOPASS 16M 16M G
 IPL ECHO
USER SINK NOPASS 16M 16M G
 IPL SINK
USER FLOOD1 NOPASS 16M 16M G
 IPL FLOOD PARM SINK 0 64
USER FLOOD2 NOPASS 16M 16M G
 IPL FLOOD PARM SINK 0 200
USER CHAOSA NOPASS 16M 16M G
 IPL $CHAOS PARM $DIR/state/disks/CHAOSA/0191/log
 MDISK 0191 3390 1 1 OUT191 MR
 IUCV ANY
USER CHAOSB NOPASS 16M 16M G
 IPL $CHAOS PARM $DIR/state/disks/CHAOSB/0191/log
 MDISK 0191 3390 1 1 OUT191 MR
 IUCV ALLOW
USER CHAOSC NOPASS 16M 16M G
 IPL $CHAOS PARM $DIR/state/disks/CHAOSC/0191/log
 MDISK 0191 3390 1 1 OUT191 MR
 IUCV ANY
USER CHAOSD NOPASS 16M 16M G
 IPL $CHAOS PARM $DIR/state/disks/CHAOSD/0191/log
 MDISK 0191 3390 1 1 OUT191 MR
 IUCV ALLOW
)";

/// The guests the chaos kills; SINK and ECHO are never killed.
inline const std::array<const char*, 6> victims = {"FLOOD1", "FLOOD2", "CHAOSA",
                                                   "CHAOSB", "CHAOSC", "CHAOSD"};
/// IUCV pairs: the first connects to the second and floods it.
inline const std::array<std::pair<const char*, const char*>, 2> pairs = {
    {{"CHAOSA", "CHAOSB"}, {"CHAOSC", "CHAOSD"}}};

/// Entries in /proc/<pid>/fd.
inline std::size_t descriptor_count(pid_t pid) {
    std::error_code ec;
    std::size_t n = 0;
    for (std::filesystem::directory_iterator it("/proc/" + std::to_string(pid) + "/fd", ec), end;
         !ec && it != end; it.increment(ec)) {
        ++n;
    }
    return n;
}

/// VmRSS of `pid` in KiB (0 if unknown).
inline long rss_kib(pid_t pid) {
    for (const std::string& line : read_lines("/proc/" + std::to_string(pid) + "/status")) {
        if (line.rfind("VmRSS:", 0) == 0) {
            return std::stol(line.substr(6));
        }
    }
    return 0;
}

/// The whitespace-separated words of `line`.
inline std::vector<std::string> words(const std::string& line) {
    std::istringstream in(line);
    std::vector<std::string> out;
    for (std::string w; in >> w;) {
        out.push_back(w);
    }
    return out;
}

/// Pings ECHO from its own client and thread until stopped, each ping within 2 s.
class Pinger {
  public:
    explicit Pinger(const CpdHarness& cpd) : client_(cpd.connect()) {
        REQUIRE(client_.listen().rc == proto::CpRc::ok);
        thread_ = std::thread([this] { run(); });
    }
    ~Pinger() { stop(); }
    Pinger(const Pinger&) = delete;
    Pinger& operator=(const Pinger&) = delete;

    /// Stops pinging and disconnects (a listener that no longer reads would pile up output).
    void stop() {
        stop_ = true;
        if (thread_.joinable()) {
            thread_.join();
        }
        client_ = Client{};
    }
    int answered() const { return answered_; }
    int late() const { return late_; }
    std::chrono::milliseconds worst() const { return std::chrono::milliseconds(worst_ms_); }

  private:
    void run() {
        const auto echo = *proto::Userid::parse("ECHO");
        for (int n = 0; !stop_; ++n) {
            const std::string text = "ping " + std::to_string(n);
            const auto sent = std::chrono::steady_clock::now();
            const auto deadline = sent + 2s;
            bool answered = client_.send(proto::ClientSmsgSend{echo, text});
            for (bool seen = false; answered && !seen;) {
                const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now());
                const Reply r = left.count() > 0 ? client_.read(left) : Reply{};
                answered = r.type != 0;
                seen = r.is_event() && r.from == "ECHO" && r.text == "ECHO: " + text;
            }
            const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::steady_clock::now() - sent);
            (answered ? answered_ : late_) += 1;
            worst_ms_ = std::max<long>(worst_ms_, took.count());
            std::this_thread::sleep_for(20ms);
        }
    }

    Client client_;
    std::thread thread_;
    std::atomic<bool> stop_{false};
    std::atomic<int> answered_{0};
    std::atomic<int> late_{0};
    std::atomic<long> worst_ms_{0};
};

/// cpd with the chaos directory, and what the chaos test does to its guests.
class ChaosRig {
  public:
    ChaosRig() : cpd_(config()) {
        REQUIRE(cpd_.start());
        op_ = cpd_.connect();
        REQUIRE(op_.ok());
    }

    ChaosRig(const ChaosRig&) = delete;
    ChaosRig& operator=(const ChaosRig&) = delete;
    /// With CPD_TEST_SHOW_LOG set, prints cpd's log (for debugging a failed run).
    ~ChaosRig() {
        if (std::getenv("CPD_TEST_SHOW_LOG") != nullptr) {
            std::fprintf(stderr, "---- cpd log\n%s", cpd_.log().c_str());
            for (const auto& [a, b] : pairs) {
                for (const char* id : {a, b}) {
                    std::fprintf(stderr, "---- %s\n%s", id, read_file(file(id)).c_str());
                }
            }
        }
    }

    CpdHarness& cpd() { return cpd_; }
    int kills() const { return kills_; }

    /// Logs on ECHO, SINK and every victim, and starts both IUCV floods.
    void log_on_all() {
        for (const char* id : {"ECHO", "SINK"}) {
            REQUIRE(op_.cp(std::string("XAUTOLOG ") + id).rc == proto::CpRc::ok);
        }
        log_back_on({victims.begin(), victims.end()});
    }

    /// Kills `ids` at once and checks what must follow: each is reaped (no
    /// zombie) and logged off, and each surviving IUCV partner is told.
    void kill_and_check(const std::vector<std::string>& ids) {
        std::map<std::string, std::size_t> severs_before;
        for (const auto& [a, b] : pairs) {
            severs_before[a] = count(a, std::string(" ") + b);
            severs_before[b] = count(b, std::string(" ") + a);
        }
        std::vector<pid_t> pids;
        for (const std::string& id : ids) {
            pids.push_back(cpd_.guest_pid(id));
            REQUIRE(pids.back() > 0);
            REQUIRE(::kill(pids.back(), SIGKILL) == 0);
            ++kills_;
        }
        for (std::size_t i = 0; i < ids.size(); ++i) {
            CAPTURE(ids[i]);
            CHECK(wait_until([&] { return !process_exists(pids[i]); }, 5s)); // reaped
            CHECK(wait_until([&] { return op_.cp("Q " + ids[i]).rc == proto::CpRc::not_logged_on; },
                             5s));
        }
        for (const auto& [a, b] : pairs) {
            const bool a_dead = is_in(ids, a);
            const bool b_dead = is_in(ids, b);
            if (a_dead != b_dead) { // the survivor sees the sever
                const std::string survivor = a_dead ? b : a;
                const std::string dead = a_dead ? a : b;
                CAPTURE(survivor);
                CHECK(wait_until(
                    [&] { return count(survivor, " " + dead) > severs_before[survivor]; }, 5s));
            }
        }
    }

    /// Logs `ids` back on and restarts the IUCV flood of every pair they are in.
    void log_back_on(const std::vector<std::string>& ids) {
        for (const std::string& id : ids) {
            const std::size_t ipls = count(id, "IPL ");
            REQUIRE(op_.cp("XAUTOLOG " + id).rc == proto::CpRc::ok);
            if (id.rfind("CHAOS", 0) == 0) {
                REQUIRE(wait_until([&] { return count(id, "IPL ") > ipls; }, 5s));
            } else {
                REQUIRE(cpd_.guest_pid(id) > 0);
            }
        }
        for (const auto& [a, b] : pairs) {
            if (is_in(ids, a) || is_in(ids, b)) {
                flood(a, b);
            }
        }
    }

    /// ROUTED-IN of `userid` in QUERY STATS.
    unsigned long long routed_in(const std::string& userid) {
        for (const std::string& line : lines(op_.cp("QUERY STATS").text)) {
            const auto w = words(line);
            if (w.size() > 2 && w[0] == userid) {
                return std::stoull(w[2]);
            }
        }
        return 0;
    }

    /// Stops every flood and compares what the receivers counted with cpd's figures.
    void check_counters_add_up();

    /// Children of cpd that are zombies.
    std::vector<pid_t> zombies() const;

  private:
    /// SINK's own count of the SMSGs it got, asked by SMSG "STATS".
    unsigned long long sink_count();
    /// Stops the flood of pair (a, b); true if b counted what a sent, less what failed,
    /// and that is what cpd says it delivered on their path.
    void check_pair(const std::string& a, const std::string& b);

    static HarnessConfig config() {
        HarnessConfig c;
        c.directory = chaos_directory;
        for (std::size_t p; (p = c.directory.find("$CHAOS")) != std::string::npos;) {
            c.directory.replace(p, 6, CPD_TEST_CHAOS);
        }
        return c;
    }
    static bool is_in(const std::vector<std::string>& ids, const std::string& id) {
        return std::find(ids.begin(), ids.end(), id) != ids.end();
    }
    static std::vector<std::string> lines(const std::string& text) {
        std::vector<std::string> out;
        std::istringstream in(text);
        for (std::string l; std::getline(in, l);) {
            out.push_back(l);
        }
        return out;
    }
    /// The event file of a CHAOS guest.
    std::string file(const std::string& userid) const { return cpd_.out_file(userid); }
    /// Lines of its file containing `needle`.
    std::size_t count(const std::string& userid, const std::string& needle) const {
        const auto all = read_lines(file(userid));
        return static_cast<std::size_t>(std::count_if(all.begin(), all.end(), [&](const auto& l) {
            return l.find(needle) != std::string::npos;
        }));
    }
    /// The last line of its file that starts with `prefix`, as words.
    std::vector<std::string> last(const std::string& userid, const std::string& prefix) const {
        std::vector<std::string> found;
        for (const std::string& l : read_lines(file(userid))) {
            if (l.rfind(prefix, 0) == 0) {
                found = words(l);
            }
        }
        return found;
    }
    /// Sends a command to a guest by SMSG, retried while its ring is full (rc 61).
    void tell(const std::string& userid, const std::string& command) {
        proto::CpRc rc = proto::CpRc::busy;
        for (int i = 0; i < 5000 && rc == proto::CpRc::busy; ++i) {
            if ((rc = op_.smsg(userid, command).rc) == proto::CpRc::busy) {
                std::this_thread::sleep_for(1ms);
            }
        }
        REQUIRE(rc == proto::CpRc::ok);
    }
    /// `a` connects to `b` and floods it; both ends report the path complete.
    void flood(const std::string& a, const std::string& b) {
        const std::size_t a_before = count(a, "COMPLETE");
        const std::size_t b_before = count(b, "COMPLETE");
        tell(a, "FLOOD " + b);
        REQUIRE(wait_until([&] { return count(a, "COMPLETE") > a_before; }, 5s));
        REQUIRE(wait_until([&] { return count(b, "COMPLETE") > b_before; }, 5s));
        ++paths_;
    }

    CpdHarness cpd_;
    Client op_;
    int kills_ = 0;
    unsigned paths_ = 0; ///< IUCV paths established over the whole run
};

} // namespace cpd::test
