// SPDX-License-Identifier: MIT
// Peer credentials and their mapping onto directory userids.
#include "control/identity.hpp"

#include <vector>

#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

namespace cpd::daemon {

std::optional<PeerCredentials> peer_credentials(int fd) {
    ucred cred{};
    socklen_t len = sizeof cred;
    if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) {
        return std::nullopt;
    }
    return PeerCredentials{cred.pid, cred.uid, cred.gid};
}

std::string user_name(uid_t uid) {
    std::vector<char> buf(4096);
    passwd pw{};
    passwd* result = nullptr;
    if (::getpwuid_r(uid, &pw, buf.data(), buf.size(), &result) != 0 || result == nullptr) {
        return {};
    }
    return pw.pw_name;
}

const DirectoryEntry* identity_for(const Directory& directory, uid_t uid, const std::string& name,
                                   uid_t daemon_uid) {
    if (const DirectoryEntry* e = directory.find_by_posix(uid, name)) {
        return e;
    }
    // OPERATOR's own POSIXINFO does not stop this: a personal cpd on the
    // sample directory (OPERATOR is POSIXINFO UID 0 there) must serve the user
    // who started it, who can read its state and signal it anyway.
    if (uid == 0 || uid == daemon_uid) {
        if (auto op = proto::Userid::parse("OPERATOR")) {
            return directory.find(*op);
        }
    }
    return nullptr;
}

} // namespace cpd::daemon
