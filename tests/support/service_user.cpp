// SPDX-License-Identifier: MIT
// ServicePolicy from the package's files, and the udev rule's effect on the
// CPU latency device applied (and undone) by hand.
#include "service_user.hpp"

#include "cpd_harness.hpp"

#include <cctype>
#include <sstream>

#include <csignal>

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef CPD_TEST_SOURCE_DIR
#define CPD_TEST_SOURCE_DIR "."
#endif

namespace cpd::test {
namespace {

/// The value of the first line "key=value" of a unit file ("" if none).
std::string unit_value(const std::string& unit, const std::string& key) {
    std::istringstream in(unit);
    for (std::string line; std::getline(in, line);) {
        if (line.rfind(key + "=", 0) == 0) {
            return line.substr(key.size() + 1);
        }
    }
    return {};
}

/// The value of KEY="value" in a udev rule line ("" if absent).
std::string rule_value(const std::string& line, const std::string& key) {
    const std::string want = key + "=\"";
    for (std::size_t at = line.find(want); at != std::string::npos; at = line.find(want, at + 1)) {
        // KEY= assigns; KEY== would match and is not what is asked.
        if (at == 0 || line[at - 1] == ' ' || line[at - 1] == ',') {
            const std::size_t begin = at + want.size();
            return line.substr(begin, line.find('"', begin) - begin);
        }
    }
    return {};
}

/// The first line of the udev rule that names the device (comments skipped).
std::string device_rule(const std::string& rules) {
    std::istringstream in(rules);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line[0] != '#' && line.find("cpu_dma_latency") != std::string::npos) {
            return line;
        }
    }
    return {};
}

/// A system gid no group has: stands in for the package's group where the
/// package is not installed, so nothing on the machine gets that group by chance.
gid_t free_system_gid() {
    for (gid_t g = 999; g >= 100; --g) {
        if (::getgrgid(g) == nullptr) {
            return g;
        }
    }
    return 0;
}

/// What the device was before LatencyDeviceAsUdevSetsIt changed it, for the
/// signal handler below (a benchmark stopped with Ctrl-C or kill runs no
/// destructor, and must not leave the device open to a group).
struct stat device_before {};
volatile std::sig_atomic_t device_changed = 0;
/// The process that changed it (not a forked child, such as a hub process).
pid_t device_changer = 0;

extern "C" void restore_device_and_die(int sig) {
    if (device_changed != 0 && ::getpid() == device_changer) {
        // chown and chmod are async-signal-safe; nothing to do if they fail.
        if (::chown(latency_device, device_before.st_uid, device_before.st_gid) == 0) {
            ::chmod(latency_device, device_before.st_mode & 07777);
        }
    }
    ::signal(sig, SIG_DFL);
    ::raise(sig);
}

} // namespace

std::vector<std::string> ServicePolicy::launcher() const {
    std::string caps;
    for (const std::string& c : capabilities) {
        caps += ",+";
        caps += c;
    }
    // --groups: exactly the unit's supplementary groups, as systemd sets them
    // (SupplementaryGroups= and not the user's entries in /etc/group).
    return {"setpriv",
            "--reuid=" + std::to_string(uid),
            "--regid=" + std::to_string(gid),
            "--groups=" + std::to_string(latency_gid),
            "--inh-caps=-all" + caps,
            "--ambient-caps=" + caps.substr(1),
            "--bounding-set=-all" + caps,
            "--"};
}

std::optional<ServicePolicy> shipped_service_policy(std::string& why) {
    const std::string source = CPD_TEST_SOURCE_DIR;
    const std::string unit = read_file(source + "/packaging/systemd/cpd.service.in");
    const std::string rule = device_rule(read_file(source + "/packaging/udev/60-cpd-latency.rules"));
    if (unit.empty() || rule.empty()) {
        why = "no cpd.service.in or udev rule under " + source + "/packaging";
        return std::nullopt;
    }
    ServicePolicy p;
    p.user = unit_value(unit, "User");
    p.latency_group = unit_value(unit, "SupplementaryGroups");
    if (p.latency_group != rule_value(rule, "GROUP")) {
        why = "the unit's SupplementaryGroups= is not the udev rule's GROUP=";
        return std::nullopt;
    }
    p.device_mode = static_cast<unsigned>(std::stoul("0" + rule_value(rule, "MODE"), nullptr, 8));
    std::istringstream caps(unit_value(unit, "AmbientCapabilities"));
    for (std::string c; caps >> c;) {
        std::string name = c.rfind("CAP_", 0) == 0 ? c.substr(4) : c;
        for (char& ch : name) {
            ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        }
        p.capabilities.push_back(name);
    }
    const passwd* pw = ::getpwnam(p.user.c_str());
    const group* gr = ::getgrnam(unit_value(unit, "Group").c_str());
    if (pw == nullptr || gr == nullptr) {
        why = "no user or group " + p.user + " on this machine";
        return std::nullopt;
    }
    p.uid = pw->pw_uid;
    p.gid = gr->gr_gid;
    if (const group* lat = ::getgrnam(p.latency_group.c_str()); lat != nullptr) {
        p.latency_gid = lat->gr_gid;
        p.latency_group_exists = true;
    } else {
        p.latency_gid = free_system_gid();
    }
    if (p.capabilities.empty() || p.latency_gid == 0 || ::access("/usr/bin/setpriv", X_OK) != 0) {
        why = "no capabilities in the unit, no free gid, or no /usr/bin/setpriv";
        return std::nullopt;
    }
    return p;
}

LatencyDeviceAsUdevSetsIt::LatencyDeviceAsUdevSetsIt(const ServicePolicy& policy) {
    struct stat st {};
    if (::stat(latency_device, &st) != 0 || !S_ISCHR(st.st_mode)) {
        return;
    }
    uid_ = st.st_uid;
    gid_ = st.st_gid;
    mode_ = st.st_mode & 07777;
    device_before = st;
    device_changer = ::getpid();
    device_changed = 1;
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) {
        ::signal(sig, restore_device_and_die);
    }
    ok_ = ::chown(latency_device, 0, policy.latency_gid) == 0 &&
          ::chmod(latency_device, static_cast<mode_t>(policy.device_mode)) == 0;
}

LatencyDeviceAsUdevSetsIt::~LatencyDeviceAsUdevSetsIt() {
    // Nothing to do if putting it back fails: the next boot's udev (or
    // devtmpfs) makes the device again.
    device_changed = 0;
    if (mode_ != 0 &&
        (::chown(latency_device, uid_, gid_) != 0 || ::chmod(latency_device, mode_) != 0)) {
        return;
    }
}

} // namespace cpd::test
