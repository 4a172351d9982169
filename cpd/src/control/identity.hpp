// SPDX-License-Identifier: MIT
// Who a control-socket client is: SO_PEERCRED of the connection, mapped to a
// directory userid: a uid a POSIXINFO UID or UNAME names acts as that entry;
// otherwise root and the user cpd runs as (who started a personal cpd) act as
// OPERATOR, and anyone else is nobody.
#pragma once

#include "config/directory/directory.hpp"

#include <optional>
#include <string>

#include <sys/types.h>

namespace cpd::daemon {

/// The peer of a Unix socket as the kernel saw it at connect().
struct PeerCredentials {
    pid_t pid = 0;
    uid_t uid = 0;
    gid_t gid = 0;
};

/// SO_PEERCRED of a connected Unix socket; nullopt on error.
std::optional<PeerCredentials> peer_credentials(int fd);

/// The login name of `uid`, or "" if it has none.
std::string user_name(uid_t uid);

/// The directory entry host user `uid` (named `name`) acts as, or nullptr;
/// `daemon_uid` is the user cpd runs as.
const DirectoryEntry* identity_for(const Directory& directory, uid_t uid, const std::string& name,
                                   uid_t daemon_uid);

} // namespace cpd::daemon
