// SPDX-License-Identifier: MIT
// PathTable: the local IUCV state rules. Every check returns the IPRCODE a
// caller gets at once; state changes happen only when a frame was queued
// (ContextImpl) or arrived (the dispatcher).
#include "iucv_paths.hpp"

#include "cpd/proto/version.hpp"

namespace cpd::guest::detail {

PathId PathTable::add_outgoing() noexcept {
    const PathId id = next_id_++;
    paths_[id] = Path{};
    return id;
}

void PathTable::add_incoming(PathId path) noexcept {
    paths_[path] = Path{};
}

Path* PathTable::find(PathId path) noexcept {
    auto it = paths_.find(path);
    return it == paths_.end() ? nullptr : &it->second;
}

bool PathTable::complete(PathId path, std::uint16_t msglimit) noexcept {
    Path* p = find(path);
    if (p == nullptr) {
        return false;
    }
    p->state = Path::State::established;
    p->msglimit = msglimit == 0 ? default_msglimit : msglimit;
    return true;
}

IucvRc PathTable::check_send(PathId path, std::size_t size, bool two_way) noexcept {
    Path* p = find(path);
    if (p == nullptr) {
        return IucvRc::invalid_path;
    }
    if (p->state == Path::State::pending) {
        return IucvRc::pending_path;
    }
    if (p->peer_quiesced) {
        return IucvRc::path_quiesced;
    }
    if (size > proto::iucv_max_data) {
        return IucvRc::data_too_long;
    }
    if (two_way && p->awaiting_reply.size() >= p->msglimit) {
        return IucvRc::msglimit_exceeded;
    }
    return IucvRc::ok;
}

IucvRc PathTable::check_reply(PathId path, std::uint32_t msgid, std::size_t size) noexcept {
    Path* p = find(path);
    if (p == nullptr || p->state != Path::State::established || !p->unreplied.contains(msgid)) {
        return IucvRc::invalid_path;
    }
    if (size > proto::iucv_max_data) {
        return IucvRc::data_too_long;
    }
    return IucvRc::ok;
}

IucvRc PathTable::check_established(PathId path) noexcept {
    Path* p = find(path);
    if (p == nullptr) {
        return IucvRc::invalid_path;
    }
    return p->state == Path::State::pending ? IucvRc::pending_path : IucvRc::ok;
}

} // namespace cpd::guest::detail
