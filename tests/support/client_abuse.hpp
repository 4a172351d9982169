// SPDX-License-Identifier: MIT
// Hostile control-socket clients and the measures taken around them, shared
// by the client-budget integration test and bench_abuse: a forked process (as
// another host uid) holding many connections that misbehave one way, a
// well-behaved client timing `Q N` on a thread of its own, and cpd's memory
// and descriptors read from /proc.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include <sys/types.h>

namespace cpd::test {

/// How the connections of an AbusiveClients misbehave.
enum class Abuse {
    announce_and_stall, ///< a header announcing a 1 MiB request, then silence
    trickle,            ///< a header announcing 16,000 bytes, half of them, then silence
    stats_no_read,      ///< QUERY STATS requests, sent on and on, replies never read
    observe_no_read,    ///< attach as observer to `target`, output never read
};

/// What to start.
struct AbuseSpec {
    std::string socket; ///< cpd's control socket
    uid_t uid = 0;      ///< host uid the connections are made as (0: as we are)
    Abuse kind = Abuse::announce_and_stall;
    int count = 1;      ///< connections
    std::string target; ///< the guest observed (observe_no_read)
};

/// A child process that holds `count` misbehaving connections until stop().
class AbusiveClients {
  public:
    explicit AbusiveClients(AbuseSpec spec) : spec_(std::move(spec)) {}
    ~AbusiveClients() { stop(); }
    AbusiveClients(const AbusiveClients&) = delete;
    AbusiveClients& operator=(const AbusiveClients&) = delete;

    /// Forks the child; returns how many connections it made (-1 on error).
    int start(std::chrono::milliseconds timeout = std::chrono::seconds(30));
    /// How many of its connections cpd has closed so far (the child counts).
    int closed_by_cpd();
    /// Closes every connection and reaps the child.
    void stop();

  private:
    AbuseSpec spec_;
    pid_t pid_ = 0;
    int control_ = -1; ///< our end of the socket pair to the child
};

/// Round trips of `Q N` by a well-behaved client, timed on a thread of its own.
class LatencyProbe {
  public:
    /// Probes `socket` every `interval` once started.
    LatencyProbe(std::string socket, std::chrono::milliseconds interval)
        : socket_(std::move(socket)), interval_(interval) {}
    ~LatencyProbe() { stop(); }
    /// Starts probing.
    void start();
    /// Stops; the results stay readable.
    void stop();
    /// Round trip times so far, in milliseconds (a failed one counts as its timeout).
    std::vector<double> samples_ms() const;
    /// When the slowest round trip started, in ms after start() (-1 if none).
    double worst_at_ms() const;
    /// Requests that got no answer (or an error) within the timeout.
    int failures() const noexcept { return failures_.load(); }

  private:
    void run();

    std::string socket_;
    std::chrono::milliseconds interval_;
    std::thread thread_;
    std::atomic<bool> stop_{false};
    std::atomic<int> failures_{0};
    std::vector<double> samples_;       ///< written by the thread until stop()
    std::vector<double> started_at_ms_; ///< each sample's start, after start()
};

/// Median and maximum of samples (0 if none).
double median_of(std::vector<double> v);
double max_of(const std::vector<double>& v);

/// Resident set (VmRSS) and its peak (VmHWM) of a process, in KiB (0 if unknown).
std::size_t rss_kib(pid_t pid);
std::size_t peak_rss_kib(pid_t pid);
/// Resets the peak to the current RSS (/proc/<pid>/clear_refs); false if not allowed.
bool reset_peak_rss(pid_t pid);
/// Open descriptors of a process (-1 if unknown).
int descriptor_count(pid_t pid);

} // namespace cpd::test
