// SPDX-License-Identifier: MIT
#include "isolation/guest_uids.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <unistd.h>

namespace cpd::daemon {

GuestUidMap::GuestUidMap(std::string file, uid_t first, std::uint32_t count)
    : file_(std::move(file)), first_(first), count_(count), next_(first + 1) {}

std::vector<std::string> GuestUidMap::load() {
    std::vector<std::string> errors;
    // Logons append to the map: find out now, not at the first logon, if cpd
    // cannot write it.
    const int fd = ::open(file_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        errors.push_back(file_ +
                         ": unable to open the guest uid map for writing: " + std::strerror(errno));
        return errors;
    }
    ::close(fd);
    std::ifstream in(file_);
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
        ++number;
        std::istringstream words(line);
        std::string name;
        std::string uid_text;
        if (!(words >> name >> uid_text)) {
            continue;
        }
        auto userid = proto::Userid::parse(name);
        std::uint64_t uid = 0;
        auto [end, ec] = std::from_chars(uid_text.data(), uid_text.data() + uid_text.size(), uid);
        const std::string where = file_ + ":" + std::to_string(number) + ": ";
        if (!userid || ec != std::errc{} || end != uid_text.data() + uid_text.size()) {
            errors.push_back(where + "not 'USERID uid': " + line);
        } else if (uid == first_) {
            // Early builds gave the base to the first userid; it is the
            // sweeper's now: that userid gets a new uid at its next logon.
            warnings_.push_back(where + "uid " + uid_text + " is the sweeper's now; " + name +
                                " gets a new uid at its next logon");
        } else if (uid < first_ || uid - first_ >= count_) {
            errors.push_back(where + "uid " + uid_text + " is outside guest_uid_base/count");
        } else if (by_userid_.count(*userid) != 0 || by_uid_.count(static_cast<uid_t>(uid)) != 0) {
            errors.push_back(where + "userid or uid given twice: " + line);
        } else {
            by_userid_.emplace(*userid, static_cast<uid_t>(uid));
            by_uid_.emplace(static_cast<uid_t>(uid), *userid);
        }
    }
    return errors;
}

std::optional<uid_t> GuestUidMap::find(const proto::Userid& userid) const {
    auto it = by_userid_.find(userid);
    return it == by_userid_.end() ? std::nullopt : std::optional<uid_t>(it->second);
}

std::optional<uid_t> GuestUidMap::uid_of(const proto::Userid& userid, std::string& error) {
    if (auto known = find(userid)) {
        return known;
    }
    if (!assign(std::span(&userid, 1), error)) {
        return std::nullopt;
    }
    return find(userid);
}

std::optional<uid_t> GuestUidMap::next_free(const std::set<uid_t>& reserved) {
    // The lowest free id at or after the last one handed out, wrapping once.
    for (std::uint32_t tried = 1; tried < count_; ++tried) {
        if (next_ <= first_ || next_ - first_ >= count_) {
            next_ = first_ + 1; // the base is the sweeper's (see sandbox.hpp)
        }
        const uid_t candidate = next_++;
        // Never an id the host knows: its files, groups or processes.
        if (by_uid_.count(candidate) != 0 || reserved.count(candidate) != 0 ||
            ::getpwuid(candidate) != nullptr ||
            ::getgrgid(static_cast<gid_t>(candidate)) != nullptr) {
            continue;
        }
        return candidate;
    }
    return std::nullopt;
}

bool GuestUidMap::assign(std::span<const proto::Userid> userids, std::string& error) {
    std::vector<std::pair<proto::Userid, uid_t>> fresh;
    std::set<uid_t> reserved;
    std::string lines;
    for (const proto::Userid& userid : userids) {
        if (find(userid) ||
            std::any_of(fresh.begin(), fresh.end(), [&](const auto& f) { return f.first == userid; })) {
            continue;
        }
        const auto candidate = next_free(reserved);
        if (!candidate) {
            error = "all " + std::to_string(count_) + " guest uids are in use (guest_uid_count)";
            return false;
        }
        reserved.insert(*candidate);
        fresh.emplace_back(userid, *candidate);
        lines += userid.str();
        lines += ' ';
        lines += std::to_string(*candidate);
        lines += '\n';
    }
    if (fresh.empty()) {
        return true;
    }
    const int fd = ::open(file_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        error = "unable to record the guest's uid in " + file_ + ": " + std::strerror(errno);
        return false;
    }
    // Lines cut short by a full disk are cut off again, so the next start can
    // still read the map. The sync is what keeps a uid from going to another
    // userid after a power loss, with files of the first one left behind.
    const off_t end = ::lseek(fd, 0, SEEK_END);
    const ssize_t n = ::write(fd, lines.data(), lines.size());
    int failure = n < 0 ? errno : (n != static_cast<ssize_t>(lines.size()) ? ENOSPC : 0);
    if (failure == 0 && ::fdatasync(fd) != 0) {
        failure = errno;
    }
    if (failure != 0 && end >= 0) {
        [[maybe_unused]] const int ignored = ::ftruncate(fd, end);
    }
    ::close(fd);
    if (failure != 0) {
        error = "unable to record the guest's uid in " + file_ + ": " + std::strerror(failure);
        return false;
    }
    for (const auto& [userid, uid] : fresh) {
        by_userid_.emplace(userid, uid);
        by_uid_.emplace(uid, userid);
    }
    return true;
}

namespace {

/// Ranges in a subordinate id file ("name:first:count" lines) that meet ours.
void check_subordinate_file(const char* path, uid_t first, std::uint32_t count,
                            std::vector<std::string>& problems) {
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        const auto a = line.find(':');
        const auto b = line.find(':', a == std::string::npos ? a : a + 1);
        if (a == std::string::npos || b == std::string::npos) {
            continue;
        }
        const std::uint64_t start = std::strtoull(line.c_str() + a + 1, nullptr, 10);
        const std::uint64_t length = std::strtoull(line.c_str() + b + 1, nullptr, 10);
        if (start < std::uint64_t{first} + count && std::uint64_t{first} < start + length) {
            problems.push_back(std::string(path) + " hands out ids " + std::to_string(start) + "-" +
                               std::to_string(start + length - 1) +
                               ", which overlap the guest uid range");
        }
    }
}

} // namespace

std::vector<std::string> check_guest_uid_range(uid_t first, std::uint32_t count) {
    std::vector<std::string> problems;
    if (first == 0 || std::uint64_t{first} + count > 0x80000000ULL) {
        problems.push_back("guest uid range " + std::to_string(first) + "+" +
                           std::to_string(count) + " must lie within 1-2147483647");
        return problems;
    }
    // As systemd does for its own ranges: the first and last ids must be
    // unknown to NSS; a full walk of 64 Ki ids through NSS would be slow.
    for (const uid_t id : {first, static_cast<uid_t>(first + count - 1)}) {
        if (const passwd* pw = ::getpwuid(id)) {
            problems.push_back("uid " + std::to_string(id) + " of the guest uid range belongs to " +
                               pw->pw_name);
        }
        if (const group* gr = ::getgrgid(id)) {
            problems.push_back("gid " + std::to_string(id) + " of the guest uid range belongs to " +
                               gr->gr_name);
        }
    }
    check_subordinate_file("/etc/subuid", first, count, problems);
    check_subordinate_file("/etc/subgid", first, count, problems);
    return problems;
}

} // namespace cpd::daemon
