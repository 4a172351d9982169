// SPDX-License-Identifier: MIT
// Lookups on the parsed user directory: by userid, by POSIXINFO (host uid
// first, then host user name), privilege class tests and $STATE expansion of
// minidisk paths. No I/O; the parser builds the Directory.
#include "config/directory/directory.hpp"

#include <algorithm>
#include <utility>

namespace cpd::daemon {

std::string resolve_host_path(const std::string& host_path, const std::string& state_dir) {
    if (!host_path.starts_with(state_dir_prefix))
        return host_path;
    std::string out = state_dir;
    while (out.size() > 1 && out.back() == '/')
        out.pop_back();
    if (out != "/")
        out += '/';
    out += host_path.substr(state_dir_prefix.size());
    return out;
}

// Builds an entry by designated initializer; g++ 12 warns about the fields left
// to their default member initializers, which is exactly what is wanted here.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
DirectoryEntry DirectoryEntry::make(proto::Userid id) {
    DirectoryEntry entry{.userid = id};
    entry.classes.push_back('G');
    return entry;
}
#pragma GCC diagnostic pop

bool DirectoryEntry::has_class(char c) const noexcept {
    if (c >= 'a' && c <= 'z')
        c = static_cast<char>(c - 'a' + 'A');
    return classes.find(c) != std::string::npos;
}

bool Directory::add(DirectoryEntry entry) {
    const proto::Userid key = entry.userid;
    std::string area(state_dir_prefix);
    area += "disks/";
    const bool shares_a_disk =
        std::any_of(entry.minidisks.begin(), entry.minidisks.end(), [&](const Minidisk& m) {
            return !m.host_path.starts_with(area) || m.write_password || m.multi_password;
        });
    if (!entries_.emplace(key, std::move(entry)).second) {
        return false;
    }
    if (shares_a_disk) {
        owners_of_shared_disks_.insert(key);
    }
    return true;
}

const DirectoryEntry* Directory::find(const proto::Userid& id) const noexcept {
    auto it = entries_.find(id);
    return it == entries_.end() ? nullptr : &it->second;
}

// Finds the entry for a host account: a UID claim wins over a UNAME claim,
// because the uid is what SO_PEERCRED proves and names can be reused.
const DirectoryEntry* Directory::find_by_posix(std::uint32_t uid,
                                               const std::string& uname) const noexcept {
    for (const auto& [id, entry] : entries_)
        if (entry.posix_uid && *entry.posix_uid == uid)
            return &entry;
    if (uname.empty())
        return nullptr;
    for (const auto& [id, entry] : entries_)
        if (entry.posix_uname && *entry.posix_uname == uname)
            return &entry;
    return nullptr;
}

} // namespace cpd::daemon
