// SPDX-License-Identifier: MIT
// The layouts of everyday_format.hpp, after the z/VM samples in
// cp-spool-link-isolation.md §4.2 (QUERY TIME, CPLEVEL, USERID, PRIVCLASS,
// LOGMSG, VIRTUAL, INDICATE LOAD and USER).
#include "control/commands/everyday_format.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

namespace cpd::daemon {
namespace {

std::string upper(std::string s) {
    for (char& c : s) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return s;
}

/// strftime of the local time `t`, upper-cased (day names, zone).
std::string local(std::time_t t, const char* format) {
    std::tm tm{};
    localtime_r(&t, &tm);
    char buf[96];
    const std::size_t n = std::strftime(buf, sizeof buf, format, &tm);
    return upper(std::string(buf, n));
}

/// "mmm:ss.hh" of a CPU time in seconds.
std::string cpu_time(double seconds) {
    const auto hundredths = static_cast<long long>(std::llround(std::max(seconds, 0.0) * 100));
    char buf[32];
    std::snprintf(buf, sizeof buf, "%03lld:%02lld.%02lld", hundredths / 6000, hundredths / 100 % 60,
                  hundredths % 100);
    return buf;
}

/// Clamps a count to what a fixed-width field of `digits` can show.
unsigned long long clamp(std::uint64_t v, int digits) {
    unsigned long long max = 1;
    for (int i = 0; i < digits; ++i) {
        max *= 10;
    }
    return std::min<unsigned long long>(v, max - 1);
}

} // namespace

std::string format_query_time(std::time_t now, const std::optional<GuestUsage>& usage) {
    std::string out = "TIME IS " + local(now, "%H:%M:%S %Z  %A %m/%d/%y");
    if (usage) {
        const std::int64_t c = std::max<std::int64_t>(usage->connect_seconds, 0);
        char line[128];
        std::snprintf(line, sizeof line, "\nCONNECT= %02lld:%02lld:%02lld VIRTCPU= %s TOTCPU= %s",
                      static_cast<long long>(std::min<std::int64_t>(c / 3600, 99)),
                      static_cast<long long>(c / 60 % 60), static_cast<long long>(c % 60),
                      cpu_time(usage->user_cpu).c_str(),
                      cpu_time(usage->user_cpu + usage->system_cpu).c_str());
        out += line;
    }
    return out;
}

std::string format_cplevel(const SystemInfo& info) {
    unsigned major = 0, minor = 0, patch = 0;
    std::sscanf(info.version.c_str(), "%u.%u.%u", &major, &minor, &patch);
    char line[128];
    std::snprintf(line, sizeof line, "cpd Version %u Release %u.%u, service level 0000 (64-bit)",
                  major, minor, patch);
    std::string out = line;
    out += "\nGenerated at " + info.build;
    out += "\nIPL at " + local(info.started, "%m/%d/%y %H:%M:%S %Z");
    return out;
}

std::string format_userid(const proto::Userid& userid, std::string_view system) {
    return std::string(userid.padded()) + " AT " + std::string(system);
}

std::string format_privclass(const proto::Userid& userid, std::string_view classes) {
    const std::string shown = classes.empty() ? "none" : std::string(classes);
    return "Privilege classes for user " + std::string(userid.str()) + "\nCurrently: " + shown +
           "\nDirectory: " + shown + "\nThe privilege classes are not locked against changes.";
}

std::string format_logmsg(const std::vector<std::string>& lines) {
    if (lines.empty()) {
        return "There is no logmsg data";
    }
    std::string out;
    for (const std::string& l : lines) {
        out += out.empty() ? "* " : "\n* ";
        out += l;
    }
    return out;
}

std::string format_virtual_storage(std::string_view storage) {
    return "STORAGE = " + (storage.empty() ? std::string("0M") : upper(std::string(storage)));
}

std::string format_virtual_console(std::string_view terminal) {
    char line[96];
    std::snprintf(line, sizeof line, "CONS 0009 ON LDEV %-6.6s TERM START",
                  std::string(terminal).c_str());
    return std::string(line) + "\n     0009 CL T NOCONT NOHOLD COPY 001    READY FORM STANDARD";
}

std::string format_virtual_spool(std::string_view device) {
    if (device == "RDR") {
        return "RDR  000C CL * NOCONT NOHOLD EOF    READY\n"
               "     000C 2540 CLOSED NOKEEP NORESCAN SUBCHANNEL = 000C";
    }
    if (device == "PUN") {
        return "PUN  000D CL A NOCONT NOHOLD COPY 001    READY FORM STANDARD\n"
               "     000D TO * RDR DIST OFF      DEST OFF\n"
               "     000D FLASH        000 CHAR       MDFY         0 FCB\n"
               "     000D 2540 NOEOF CLOSED NOKEEP NOMSG NONAME\n"
               "     000D SUBCHANNEL = 000D";
    }
    return "PRT  000E CL A NOCONT NOHOLD COPY 001    READY FORM STANDARD\n"
           "     000E TO * RDR DIST OFF      DEST OFF\n"
           "     000E FLASH        000 CHAR       MDFY         0 FCB       LPP OFF\n"
           "     000E 1403 NOEOF CLOSED NOKEEP NOMSG NONAME\n"
           "     000E SUBCHANNEL = 000E";
}

std::string format_indicate_load(const HostLoad& load) {
    const unsigned cpus = std::max(load.processors, 1u);
    const auto pct =
        static_cast<unsigned>(std::clamp(std::lround(load.load1 * 100.0 / cpus), 0L, 100L));
    char buf[512];
    std::snprintf(buf, sizeof buf,
                  "AVGPROC-%03u%% %02u\n"
                  "MDC READS-000000/SEC WRITES-000000/SEC HIT RATIO-000%%\n"
                  "PAGING-0/SEC\n"
                  "Q0-00000(00000)                           DORMANT-%05llu\n"
                  "Q1-%05llu(00000)           E1-00000(00000)\n"
                  "Q2-00000(00000) EXPAN-001 E2-00000(00000)\n"
                  "Q3-00000(00000) EXPAN-001 E3-00000(00000)",
                  pct, std::min(cpus, 99u), clamp(load.dormant, 5), clamp(load.running, 5));
    std::string out = buf;
    out += "\n";
    for (unsigned i = 0; i < cpus; ++i) {
        std::snprintf(buf, sizeof buf, "%sPROC %04u-%03u%% CP   HZ", i % 2 == 0 ? "\n" : "     ", i,
                      pct);
        out += buf;
    }
    out += "\nLIMITED-00000";
    return out;
}

std::string format_indicate_user(const proto::Userid& userid, const GuestUsage& u) {
    const std::int64_t c = std::max<std::int64_t>(u.connect_seconds, 0);
    const std::string storage = u.storage.empty() ? "0M" : upper(u.storage);
    char buf[640];
    std::snprintf(buf, sizeof buf,
                  "USERID=%-8s MACH=ESA STOR=%s VIRT=V XSTORE=NONE\n"
                  "IPLSYS=%s DEVNUM=00000\n"
                  "PAGES: RES=%llu  WS=%llu  LOCKEDREAL=0  RESVD=0\n"
                  "       INSTAN=%llu\n"
                  "NPREF=0  PREF=0  READS=0  WRITES=0\n"
                  "CPU 00: CTIME=%02lld:%02lld VTIME=%s TTIME=%s IO=%06llu\n"
                  "        RDR=000000 PRT=000000 PCH=000000 TYPE=CP   CPUAFFIN=ON",
                  std::string(userid.str()).c_str(), storage.c_str(),
                  u.ipl.empty() ? "NONE" : upper(u.ipl).substr(0, 8).c_str(),
                  static_cast<unsigned long long>(u.resident_pages),
                  static_cast<unsigned long long>(u.resident_pages),
                  static_cast<unsigned long long>(u.resident_pages),
                  static_cast<long long>(std::min<std::int64_t>(c / 3600, 99)),
                  static_cast<long long>(c / 60 % 60), cpu_time(u.user_cpu).substr(0, 6).c_str(),
                  cpu_time(u.user_cpu + u.system_cpu).substr(0, 6).c_str(), clamp(u.io, 6));
    return buf;
}

} // namespace cpd::daemon
