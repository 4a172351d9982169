// SPDX-License-Identifier: MIT
// What the round-trip benchmarks (bench_smsg, bench_iucv) report alike: p50
// and p99 over every round trip of every run of a case (at least 100,000 by
// default), the range of the runs' own medians (how much a run can differ from
// the next), and the CPU that cpd and its guests use after the traffic stops
// (from /proc/<pid>/stat, in clock ticks: 0 means under one tick).
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

namespace cpd::bench {

/// The round trips of one case over all its runs.
class RoundTrips {
  public:
    /// Adds one run's round trips (ns).
    void add_run(std::vector<std::uint64_t> rtt_ns) {
        if (rtt_ns.empty()) {
            return;
        }
        std::sort(rtt_ns.begin(), rtt_ns.end());
        run_p50_us_.push_back(static_cast<double>(rtt_ns[rtt_ns.size() / 2]) / 1e3);
        all_.insert(all_.end(), rtt_ns.begin(), rtt_ns.end());
        sorted_ = false;
    }
    /// The `p` quantile (0..1) over every round trip of every run, in us.
    double percentile_us(double p) {
        if (all_.empty()) {
            return 0;
        }
        if (!sorted_) {
            std::sort(all_.begin(), all_.end());
            sorted_ = true;
        }
        const auto at = static_cast<std::size_t>(p * static_cast<double>(all_.size()));
        return static_cast<double>(all_[std::min(all_.size() - 1, at)]) / 1e3;
    }
    double lowest_run_p50_us() const {
        return run_p50_us_.empty() ? 0 : *std::min_element(run_p50_us_.begin(), run_p50_us_.end());
    }
    double highest_run_p50_us() const {
        return run_p50_us_.empty() ? 0 : *std::max_element(run_p50_us_.begin(), run_p50_us_.end());
    }
    std::size_t count() const noexcept { return all_.size(); }
    std::size_t runs() const noexcept { return run_p50_us_.size(); }

  private:
    std::vector<std::uint64_t> all_;
    std::vector<double> run_p50_us_;
    bool sorted_ = true;
};

/// One table row: "| label | p50 | p99 | min-max of run p50s | [extra |] n (runs) |"
/// (no extra column when `extra` is empty).
inline std::string round_trip_row(const std::string& label, RoundTrips& r,
                                  const std::string& extra) {
    char line[320];
    std::snprintf(line, sizeof line,
                  "| %-44s | %7.1f | %7.1f | %6.1f-%-6.1f |%s%-*s%s %7zu (%zu) |\n", label.c_str(),
                  r.percentile_us(0.50), r.percentile_us(0.99), r.lowest_run_p50_us(),
                  r.highest_run_p50_us(), extra.empty() ? "" : " ", extra.empty() ? 0 : 8,
                  extra.c_str(), extra.empty() ? "" : " |", r.count(), r.runs());
    return line;
}

/// The header of round_trip_row's table; `extra` names the extra column ("": none).
inline std::string round_trip_header(const std::string& extra) {
    char line[320];
    std::snprintf(line, sizeof line,
                  "| %-44s | p50 us  | p99 us  | run p50s range |%s%-*s%s round trips (runs) |\n"
                  "|%s|--------:|--------:|--------------:|%s-------------------:|\n",
                  "round trip", extra.empty() ? "" : " ", extra.empty() ? 0 : 8, extra.c_str(),
                  extra.empty() ? "" : " |", std::string(46, '-').c_str(),
                  extra.empty() ? "" : "---------:|");
    return line;
}

/// User + system CPU of process `pid` in clock ticks (utime + stime of
/// /proc/<pid>/stat), 0 if it is gone.
inline std::uint64_t cpu_ticks(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::size_t p = stat.rfind(')');
    if (p == std::string::npos) {
        return 0;
    }
    std::istringstream rest(stat.substr(p + 2));
    std::string field;
    std::uint64_t ticks = 0;
    for (int i = 3; i <= 15 && rest >> field; ++i) { // fields 14 and 15: utime, stime
        if (i == 14 || i == 15) {
            ticks += std::strtoull(field.c_str(), nullptr, 10);
        }
    }
    return ticks;
}

/// CPU used by `pids` together in the first and the second second after the
/// traffic stopped (call right after it did), in ms.
struct IdleCpu {
    double first_second_ms = 0;
    double second_second_ms = 0;
};

inline IdleCpu idle_cpu_after_traffic(const std::vector<int>& pids) {
    auto total = [&] {
        std::uint64_t t = 0;
        for (int p : pids) {
            t += cpu_ticks(p);
        }
        return t;
    };
    const double ms_per_tick = 1000.0 / static_cast<double>(::sysconf(_SC_CLK_TCK));
    const std::uint64_t t0 = total();
    std::this_thread::sleep_for(std::chrono::seconds(1));
    const std::uint64_t t1 = total();
    std::this_thread::sleep_for(std::chrono::seconds(1));
    const std::uint64_t t2 = total();
    return {static_cast<double>(t1 - t0) * ms_per_tick, static_cast<double>(t2 - t1) * ms_per_tick};
}

} // namespace cpd::bench
