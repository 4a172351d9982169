// SPDX-License-Identifier: MIT
// A process's children as /proc shows them, and cpd's spawn helper among
// them: for the tests that act on the helper (kill it, stop it).
#pragma once

#include "cpd_harness.hpp"

#include <sstream>
#include <string>
#include <vector>

#include <sys/types.h>

namespace cpd::test {

/// One child of a process, with its state and name.
struct Proc {
    pid_t pid;
    char state;
    std::string name;
};

/// The children of `pid`.
inline std::vector<Proc> children_of(pid_t pid) {
    std::vector<Proc> out;
    std::istringstream list(
        read_file("/proc/" + std::to_string(pid) + "/task/" + std::to_string(pid) + "/children"));
    for (pid_t child; list >> child;) {
        const std::string stat = read_file("/proc/" + std::to_string(child) + "/stat");
        const auto open = stat.find('(');
        const auto close = stat.rfind(')');
        if (open != std::string::npos && close != std::string::npos && close + 2 < stat.size()) {
            out.push_back({child, stat[close + 2], stat.substr(open + 1, close - open - 1)});
        }
    }
    return out;
}

/// The spawn helper of cpd `pid`, or 0.
inline pid_t helper_of(pid_t pid) {
    for (const Proc& p : children_of(pid)) {
        if (p.name == "cpd-spawner" && p.state != 'Z') {
            return p.pid;
        }
    }
    return 0;
}

} // namespace cpd::test
