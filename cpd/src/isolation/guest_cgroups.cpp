// SPDX-License-Identifier: MIT
#include "isolation/guest_cgroups.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cpd::daemon {
namespace {

/// One mounted cgroup hierarchy: where it is mounted and which part of it.
struct Mount {
    std::string point;
    std::string root;
};

bool has_word(const std::string& list, const std::string& word, char sep) {
    std::stringstream in(list);
    for (std::string w; std::getline(in, w, sep);) {
        if (w == word) {
            return true;
        }
    }
    return false;
}

/// The mount of the v2 hierarchy ("cgroup2") or of the v1 hierarchy with
/// `controller` ("cgroup" with it among its options), from mountinfo.
std::optional<Mount> find_mount(const std::string& fstype, const std::string& controller) {
    std::ifstream in("/proc/self/mountinfo");
    for (std::string line; std::getline(in, line);) {
        const auto dash = line.find(" - ");
        if (dash == std::string::npos) {
            continue;
        }
        std::istringstream head(line.substr(0, dash));
        std::istringstream tail(line.substr(dash + 3));
        std::string id, parent, dev, root, point, type, source, options;
        head >> id >> parent >> dev >> root >> point;
        tail >> type >> source >> options;
        if (type == fstype && (controller.empty() || has_word(options, controller, ','))) {
            return Mount{point, root};
        }
    }
    return std::nullopt;
}

/// cpd's own group in the hierarchy with `controller` ("" for v2), from
/// /proc/self/cgroup ("id:controllers:path").
std::optional<std::string> own_group(const std::string& controller) {
    std::ifstream in("/proc/self/cgroup");
    for (std::string line; std::getline(in, line);) {
        const auto a = line.find(':');
        const auto b = line.find(':', a + 1);
        if (a == std::string::npos || b == std::string::npos) {
            continue;
        }
        const std::string controllers = line.substr(a + 1, b - a - 1);
        if (controller.empty() ? line.compare(0, a, "0") == 0 && controllers.empty()
                               : has_word(controllers, controller, ',')) {
            return line.substr(b + 1);
        }
    }
    return std::nullopt;
}

/// The directory of `group` under `m` (a container may mount a subtree).
std::string directory_of(const Mount& m, std::string group) {
    if (m.root != "/" && group.compare(0, m.root.size(), m.root) == 0) {
        group.erase(0, m.root.size());
    }
    std::string dir = m.point + group;
    while (dir.size() > 1 && dir.back() == '/') {
        dir.pop_back();
    }
    return dir;
}

/// Writes `text` to a cgroup file; "" or the error.
std::string write_file(const std::string& path, const std::string& text) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
        return path + ": " + std::strerror(errno);
    }
    const ssize_t n = ::write(fd, text.data(), text.size());
    const int error = errno;
    ::close(fd);
    return n == static_cast<ssize_t>(text.size()) ? std::string()
                                                  : path + ": " + std::strerror(error);
}

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

bool make_directory(const std::string& dir) {
    return ::mkdir(dir.c_str(), 0755) == 0 || errno == EEXIST;
}

/// Removes what a previous cpd with this range left empty in `parent`.
void remove_empty_groups(const std::string& parent) {
    DIR* d = ::opendir(parent.c_str());
    if (d == nullptr) {
        return;
    }
    std::vector<std::string> names;
    while (const dirent* e = ::readdir(d)) {
        if (e->d_type == DT_DIR && e->d_name[0] != '.') {
            names.emplace_back(e->d_name);
        }
    }
    ::closedir(d);
    for (const std::string& n : names) {
        ::rmdir((parent + "/" + n).c_str());
    }
}

/// The "oom_kill N" count of a v2 memory.events or v1 memory.oom_control file.
std::uint64_t oom_kills(const std::string& file) {
    std::istringstream in(read_file(file));
    for (std::string key; in >> key;) {
        std::uint64_t n = 0;
        in >> n;
        if (key == "oom_kill") {
            return n;
        }
    }
    return 0;
}

/// Sets up a delegated v2 group: cpd's processes move to the leaf "cpd" so
/// that its group may hand controllers down, then the guests' parent group
/// gets them too. False with `why` unless cpd alone lives in its group.
bool start_v2(const std::string& own, const std::string& guests, std::string& why) {
    const std::string available = read_file(own + "/cgroup.controllers");
    const bool cpu = has_word(available.substr(0, available.find('\n')), "cpu", ' ');
    std::istringstream procs(read_file(own + "/cgroup.procs"));
    std::vector<std::string> pids;
    for (std::string pid; procs >> pid;) {
        pids.push_back(pid);
    }
    // Only cpd and its guardian (its child) may be there: moving anyone
    // else's processes is not cpd's business.
    for (const std::string& pid : pids) {
        const std::string stat = read_file("/proc/" + pid + "/stat");
        const auto close = stat.rfind(')');
        std::istringstream rest(close == std::string::npos ? "" : stat.substr(close + 2));
        std::string state;
        long ppid = 0;
        rest >> state >> ppid;
        if (std::stol(pid) != ::getpid() && ppid != ::getpid()) {
            why = "cgroup " + own + " is not cpd's own (process " + pid + " is there)";
            return false;
        }
    }
    if (!make_directory(own + "/cpd")) {
        why = own + "/cpd: " + std::strerror(errno);
        return false;
    }
    for (const std::string& pid : pids) {
        if (auto e = write_file(own + "/cpd/cgroup.procs", pid); !e.empty()) {
            why = e;
            return false;
        }
    }
    const std::string controllers = cpu ? "+memory +cpu" : "+memory";
    for (const std::string& dir : {own, guests}) {
        if (dir == guests && !make_directory(guests)) {
            why = guests + ": " + std::strerror(errno);
            return false;
        }
        if (auto e = write_file(dir + "/cgroup.subtree_control", controllers); !e.empty()) {
            why = e;
            return false;
        }
    }
    return true;
}

/// "/USERID", a guest's group under a parent. Built by appends: "/" + a
/// temporary trips g++ 12's -Wrestrict false positive at -O3.
std::string leaf_of(const proto::Userid& userid) {
    std::string leaf(1, '/');
    leaf += userid.str();
    return leaf;
}

} // namespace

std::uint64_t cpu_weight_for_share(std::uint32_t share, bool v2) noexcept {
    const std::uint64_t relative = share == 0 ? 100 : std::clamp<std::uint32_t>(share, 1, 10000);
    // z/VM's RELATIVE 100 is the normal share: v2's default weight is 100
    // (range 1-10000), v1's default shares 1024 (minimum 2).
    return v2 ? relative : std::max<std::uint64_t>(2, relative * 1024 / 100);
}

std::string GuestCgroups::start(std::uint32_t range_base) {
    const std::string name = "/cpd-guests-" + std::to_string(range_base);
    std::string why;
    if (auto mount = find_mount("cgroup2", ""); mount) {
        if (auto group = own_group(""); group) {
            const std::string own = directory_of(*mount, *group);
            const std::string available = read_file(own + "/cgroup.controllers");
            if (has_word(available.substr(0, available.find('\n')), "memory", ' ') &&
                start_v2(own, own + name, why)) {
                v2_ = true;
                memory_ = own + name;
                const std::string handed = read_file(memory_ + "/cgroup.controllers");
                cpu_ = has_word(handed.substr(0, handed.find('\n')), "cpu", ' ') ? memory_ : "";
                remove_empty_groups(memory_);
                return cpu_.empty() ? "memory cgroup (v2)" : "memory and CPU cgroups (v2)";
            }
        }
    }
    for (const char* controller : {"memory", "cpu"}) {
        auto mount = find_mount("cgroup", controller);
        auto group = own_group(controller);
        if (!mount || !group) {
            continue;
        }
        // cpd drops CAP_DAC_OVERRIDE after start: a group it could make only
        // with it (the hierarchy's root is 0555) it could never remove.
        const std::string own = directory_of(*mount, *group);
        struct stat st {};
        if (::stat(own.c_str(), &st) != 0 || st.st_uid != ::geteuid() ||
            (st.st_mode & S_IWUSR) == 0) {
            why = own + " is not writable by cpd's user";
            continue;
        }
        const std::string dir = own + name;
        if (!make_directory(dir)) {
            why = dir + ": " + std::strerror(errno);
            continue;
        }
        remove_empty_groups(dir);
        (std::string_view(controller) == "memory" ? memory_ : cpu_) = dir;
    }
    if (!memory_.empty() || !cpu_.empty()) {
        return memory_.empty() ? "CPU cgroup (v1)"
               : cpu_.empty()  ? "memory cgroup (v1)"
                               : "memory and CPU cgroups (v1)";
    }
    return "no cgroups" +
           (why.empty() ? std::string(" (none delegated to cpd)") : " (" + why + ")");
}

GuestCgroups::GuestCgroups(GuestCgroups&& other) noexcept
    : memory_(std::exchange(other.memory_, {})), cpu_(std::exchange(other.cpu_, {})),
      v2_(other.v2_), oom_kills_at_logon_(std::move(other.oom_kills_at_logon_)) {}

GuestCgroups::~GuestCgroups() {
    for (const std::string& parent : parents()) {
        remove_cgroup_tree(parent);
    }
}

std::vector<std::string> GuestCgroups::parents() const {
    std::vector<std::string> all;
    for (const std::string* parent : {&memory_, &cpu_}) {
        if (!parent->empty() && (all.empty() || all.front() != *parent)) {
            all.push_back(*parent);
        }
    }
    return all;
}

bool remove_cgroup_tree(const std::string& parent) {
    remove_empty_groups(parent);
    // A group just removed goes offline asynchronously (after an RCU grace
    // period), and until then its parent is busy: a few short retries. Only
    // at cpd's exit and in the guardian, never on the event loop.
    for (int attempt = 0; attempt < 50; ++attempt) {
        if (::rmdir(parent.c_str()) == 0 || errno == ENOENT) {
            return true;
        }
        if (errno != EBUSY) {
            return false;
        }
        ::usleep(2'000);
    }
    return false;
}

std::optional<CgroupJoin> GuestCgroups::prepare(const proto::Userid& userid,
                                                std::uint64_t memory_bytes,
                                                std::uint32_t share_relative, std::string& error) {
    CgroupJoin join;
    const std::string leaf = leaf_of(userid);
    std::size_t slot = 0;
    for (const std::string* parent : {&memory_, &cpu_}) {
        if (parent->empty() || (parent == &cpu_ && cpu_ == memory_)) {
            continue; // unused, or v2's one group serves both
        }
        const std::string dir = *parent + leaf;
        if (!make_directory(dir)) {
            error = "unable to create cgroup " + dir + ": " + std::strerror(errno);
            return std::nullopt;
        }
        // The first group is read too: the child looks there for anything
        // an earlier incarnation left (sandbox.hpp, cgroups_confine_uid).
        const int mode = slot == 0 ? O_RDWR : O_WRONLY;
        join[slot] = ipc::UniqueFd(::open((dir + "/cgroup.procs").c_str(), mode | O_CLOEXEC));
        if (!join[slot++]) {
            error = "unable to open " + dir + "/cgroup.procs: " + std::strerror(errno);
            return std::nullopt;
        }
    }
    std::vector<std::pair<std::string, std::string>> settings;
    if (!memory_.empty()) {
        const std::string limit =
            memory_bytes == 0 ? (v2_ ? "max" : "-1") : std::to_string(memory_bytes);
        const std::string dir = memory_ + leaf;
        settings.emplace_back(dir + (v2_ ? "/memory.max" : "/memory.limit_in_bytes"), limit);
        if (v2_) {
            settings.emplace_back(dir + "/memory.oom.group", "1");
        }
        oom_kills_at_logon_[userid] =
            oom_kills(dir + (v2_ ? "/memory.events" : "/memory.oom_control"));
    }
    if (!cpu_.empty()) {
        settings.emplace_back(cpu_ + leaf + (v2_ ? "/cpu.weight" : "/cpu.shares"),
                              std::to_string(cpu_weight_for_share(share_relative, v2_)));
    }
    for (const auto& [file, value] : settings) {
        if (auto e = write_file(file, value); !e.empty()) {
            error = "unable to set " + e;
            return std::nullopt;
        }
    }
    return join;
}

bool GuestCgroups::ran_out_of_memory(const proto::Userid& userid) const {
    auto it = oom_kills_at_logon_.find(userid);
    if (memory_.empty() || it == oom_kills_at_logon_.end()) {
        return false;
    }
    const std::string dir = memory_ + leaf_of(userid);
    return oom_kills(dir + (v2_ ? "/memory.events" : "/memory.oom_control")) > it->second;
}

bool GuestCgroups::is_empty(const proto::Userid& userid) const {
    if (memory_.empty() || oom_kills_at_logon_.count(userid) == 0) {
        return false;
    }
    const int fd = ::open((memory_ + leaf_of(userid) + "/cgroup.procs").c_str(),
                          O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return false;
    }
    char byte = 0;
    const ssize_t n = ::read(fd, &byte, 1);
    ::close(fd);
    return n == 0;
}

void GuestCgroups::remove(const proto::Userid& userid) {
    oom_kills_at_logon_.erase(userid);
    for (const std::string* parent : {&memory_, &cpu_}) {
        if (!parent->empty()) {
            ::rmdir((*parent + leaf_of(userid)).c_str());
        }
    }
}

} // namespace cpd::daemon
