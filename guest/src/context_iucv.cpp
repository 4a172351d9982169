// SPDX-License-Identifier: MIT
// ContextImpl's IUCV calls: each checks the local PathTable first (what z/VM
// refuses at once), then queues the frame, and only then changes local state,
// so a busy ring leaves everything as it was.
#include "context_impl.hpp"

#include "cpd/proto/version.hpp"

namespace cpd::guest::detail {

ConnectResult ContextImpl::iucv_connect(std::string_view target, const UserData& user_data,
                                        std::uint16_t msglimit) noexcept {
    if (closed_) {
        return {0, IucvRc::invalid_path};
    }
    auto who = Userid::parse(target);
    if (!who) {
        return {0, IucvRc::invalid_userid};
    }
    const PathId id = paths_.peek_connect_id();
    const IucvRc rc = send_iucv(proto::IucvConnect{id, *who, msglimit, user_data});
    if (rc != IucvRc::ok) {
        return {0, rc};
    }
    paths_.add_outgoing();
    return {id, IucvRc::ok};
}

IucvRc ContextImpl::iucv_sever(PathId path, const UserData& user_data) noexcept {
    if (paths_.find(path) == nullptr) {
        return IucvRc::invalid_path;
    }
    const IucvRc rc = send_iucv(proto::IucvSever{path, user_data});
    if (rc == IucvRc::ok) {
        paths_.erase(path);
    }
    return rc;
}

IucvSendResult ContextImpl::iucv_send(PathId path, std::span<const std::byte> data,
                                      bool two_way) noexcept {
    if (const IucvRc rc = paths_.check_send(path, data.size(), two_way); rc != IucvRc::ok) {
        return {0, rc};
    }
    const std::uint32_t msgid = paths_.next_msgid();
    const IucvRc rc = send_iucv(proto::IucvSend{path, msgid, two_way, data});
    if (rc != IucvRc::ok) {
        return {0, rc};
    }
    if (two_way) {
        paths_.find(path)->awaiting_reply.insert(msgid);
    }
    return {msgid, IucvRc::ok};
}

IucvRc ContextImpl::iucv_reply(PathId path, std::uint32_t msgid,
                               std::span<const std::byte> data) noexcept {
    if (const IucvRc rc = paths_.check_reply(path, msgid, data.size()); rc != IucvRc::ok) {
        return rc;
    }
    const IucvRc rc = send_iucv(proto::IucvReply{path, msgid, data});
    if (rc == IucvRc::ok) {
        paths_.find(path)->unreplied.erase(msgid);
    }
    return rc;
}

IucvRc ContextImpl::iucv_quiesce(PathId path, const UserData& user_data) noexcept {
    if (const IucvRc rc = paths_.check_established(path); rc != IucvRc::ok) {
        return rc;
    }
    return send_iucv(proto::IucvQuiesce{path, user_data});
}

IucvRc ContextImpl::iucv_resume(PathId path, const UserData& user_data) noexcept {
    if (const IucvRc rc = paths_.check_established(path); rc != IucvRc::ok) {
        return rc;
    }
    return send_iucv(proto::IucvResume{path, user_data});
}

} // namespace cpd::guest::detail
