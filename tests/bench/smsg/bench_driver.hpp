// SPDX-License-Identifier: MIT
// Driving the SMSGBENCH guests from a benchmark (bench_smsg, bench_hop):
// commands go by SMSG from the operator, retried while the target's ring is
// full; results come back as files the guests write on their minidisks,
// polled coarsely so the waiting driver does not take the CPU from what it
// times.
#pragma once

#include "bench_hub.hpp"
#include "cpd_harness.hpp"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

namespace cpd::bench {

/// Sends `text` to the guest `to`; says so on stderr (as `bench`) if it never fits.
inline void send_command(test::Client& op, const std::string& to, const std::string& text,
                         const char* bench) {
    for (int i = 0; i < 1000; ++i) {
        const test::Reply r = op.smsg(to, text);
        if (r.type != 0 && r.rc == proto::CpRc::ok) {
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    std::fprintf(stderr, "%s: unable to send \"%s\" to %s\n", bench, text.c_str(), to.c_str());
}

/// The result file `name` ("BENCHA.rtt" is on BENCHA's minidisk, where the
/// sandbox lets it write), read and removed; "" if it did not come in time.
inline std::string take_result_file(const test::CpdHarness& harness, const std::string& name,
                                    std::chrono::milliseconds timeout, const char* bench) {
    const std::string path =
        harness.dir() + "/state/disks/" + name.substr(0, name.find('.')) + "/0191/" + name;
    if (!test::wait_until([&] { return ::access(path.c_str(), R_OK) == 0; }, timeout,
                          std::chrono::milliseconds(50))) {
        std::fprintf(stderr, "%s: no result file %s\n", bench, name.c_str());
        return {};
    }
    std::string s = test::read_file(path);
    std::remove(path.c_str());
    return s;
}

/// Voluntary context switches (wake-ups) of all `pids` so far.
inline std::uint64_t wakeups_of(const std::vector<int>& pids) {
    std::uint64_t n = 0;
    for (int p : pids) {
        n += context_switches(p);
    }
    return n;
}

} // namespace cpd::bench
