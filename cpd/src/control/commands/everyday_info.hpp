// SPDX-License-Identifier: MIT
// What QUERY TIME, QUERY CPLEVEL, QUERY VIRTUAL and INDICATE read from the
// daemon and the host: a guest's connect time, CPU and resident pages, and
// the host's load. Plain data, so the commands' output forms are unit-tested
// with made-up figures.
#pragma once

#include <cstdint>
#include <ctime>
#include <string>

namespace cpd::daemon {

/// One logged-on guest as QUERY TIME and INDICATE USER show it.
struct GuestUsage {
    std::int64_t connect_seconds = 0; ///< since its logon
    double user_cpu = 0;              ///< seconds of user CPU of its process (VTIME)
    double system_cpu = 0;            ///< seconds of system CPU of its process
    std::uint64_t resident_pages = 0; ///< 4K pages resident (RES)
    std::string storage;              ///< directory storage, e.g. "64M" ("" if none)
    std::string ipl;                  ///< what it IPLed: "CMS", "ECHO", a path
    std::uint64_t io = 0;             ///< frames cpd moved for it (in and out)
};

/// The host and cpd as INDICATE LOAD shows them.
struct HostLoad {
    double load1 = 0;        ///< 1-minute load average
    unsigned processors = 1; ///< online processors
    std::size_t running = 0; ///< guests with work waiting in their rings (Q1)
    std::size_t dormant = 0; ///< guests with nothing to do
};

/// cpd as QUERY CPLEVEL and QUERY USERID show it.
struct SystemInfo {
    std::string name = "CPD"; ///< system name (QUERY USERID "... AT name")
    std::string version;      ///< cpd's version
    std::string build;        ///< when this cpd was built ("Generated at")
    std::time_t started = 0;  ///< when cpd started ("IPL at")
};

} // namespace cpd::daemon
