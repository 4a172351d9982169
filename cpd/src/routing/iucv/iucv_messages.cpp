// SPDX-License-Identifier: MIT
// IucvPaths, traffic on established paths: SEND, REPLY, QUIESCE, RESUME. SEND
// is the bulk path: one hash lookup, no copy of the data (the span goes to the
// sink untouched), no allocation except when a two-way message is remembered.
// Rules: a quiesce stops the peer's SENDs only, never REPLYs; QUIESCE on a
// quiesced path (or RESUME on a running one) is ok and tells nobody; a two-way
// SEND reusing a msgid still awaiting its reply fails with invalid_path.
#include "routing/iucv/iucv_paths.hpp"

#include <algorithm>

namespace cpd::daemon {

using proto::IucvRc;
using proto::Userid;

IucvRc IucvPaths::send_failed(const Userid& from, std::uint32_t path, std::uint32_t msgid,
                              IucvRc rc) {
    ++totals_.send_failures;
    sink_.notify(from, proto::IucvSendFailed{path, msgid, rc});
    return rc;
}

void IucvPaths::count_delivery(Path& p, int side, std::size_t size) noexcept {
    ++p.messages[side];
    p.bytes[side] += size;
    ++totals_.messages;
    totals_.bytes += size;
}

IucvRc IucvPaths::send(const Userid& from, const proto::IucvSend& f) {
    const EndRef* ref = find(from, f.path);
    if (ref == nullptr)
        return send_failed(from, f.path, f.msgid, IucvRc::invalid_path);
    Path& p = *ref->path;
    const int side = ref->side;
    const int peer = 1 - side;
    if (!p.established)
        return send_failed(from, f.path, f.msgid, IucvRc::pending_path);
    if (f.data.size() > max_data)
        return send_failed(from, f.path, f.msgid, IucvRc::data_too_long);
    if (p.quiesced[peer])
        return send_failed(from, f.path, f.msgid, IucvRc::path_quiesced);
    auto& awaiting = p.awaiting[peer];
    auto slot = awaiting.end();
    if (f.two_way) {
        if (awaiting.size() >= p.msglimit)
            return send_failed(from, f.path, f.msgid, IucvRc::msglimit_exceeded);
        slot = std::lower_bound(awaiting.begin(), awaiting.end(), f.msgid);
        if (slot != awaiting.end() && *slot == f.msgid)
            return send_failed(from, f.path, f.msgid, IucvRc::invalid_path);
    }
    const End& to = p.ends[peer];
    if (!sink_.try_deliver(to.user, proto::IucvMessage{to.local, f.msgid, f.two_way, f.data})) {
        ++totals_.ring_full;
        return send_failed(from, f.path, f.msgid, IucvRc::busy);
    }
    if (f.two_way)
        awaiting.insert(slot, f.msgid);
    count_delivery(p, side, f.data.size());
    return IucvRc::ok;
}

IucvRc IucvPaths::reply(const Userid& from, const proto::IucvReply& f) {
    const EndRef* ref = find(from, f.path);
    if (ref == nullptr || !ref->path->established)
        return send_failed(from, f.path, f.msgid, IucvRc::invalid_path);
    Path& p = *ref->path;
    const int side = ref->side;
    auto& awaiting = p.awaiting[side];
    auto slot = std::lower_bound(awaiting.begin(), awaiting.end(), f.msgid);
    if (slot == awaiting.end() || *slot != f.msgid)
        return send_failed(from, f.path, f.msgid, IucvRc::invalid_path);
    if (f.data.size() > max_data)
        return send_failed(from, f.path, f.msgid, IucvRc::data_too_long);
    const End& to = p.ends[1 - side];
    if (!sink_.try_deliver(to.user, proto::IucvReplyIn{to.local, f.msgid, f.data})) {
        ++totals_.ring_full;
        return send_failed(from, f.path, f.msgid, IucvRc::busy); // still outstanding: retry
    }
    awaiting.erase(slot);
    ++totals_.replies;
    count_delivery(p, side, f.data.size());
    return IucvRc::ok;
}

IucvRc IucvPaths::quiesce(const Userid& from, const proto::IucvQuiesce& f) {
    const EndRef* ref = find(from, f.path);
    if (ref == nullptr || !ref->path->established)
        return IucvRc::invalid_path;
    Path& p = *ref->path;
    if (p.quiesced[ref->side])
        return IucvRc::ok;
    p.quiesced[ref->side] = true;
    const End& peer = p.ends[1 - ref->side];
    sink_.notify(peer.user, proto::IucvQuiesced{peer.local, f.user_data});
    return IucvRc::ok;
}

IucvRc IucvPaths::resume(const Userid& from, const proto::IucvResume& f) {
    const EndRef* ref = find(from, f.path);
    if (ref == nullptr || !ref->path->established)
        return IucvRc::invalid_path;
    Path& p = *ref->path;
    if (!p.quiesced[ref->side])
        return IucvRc::ok;
    p.quiesced[ref->side] = false;
    const End& peer = p.ends[1 - ref->side];
    sink_.notify(peer.user, proto::IucvResumed{peer.local, f.user_data});
    return IucvRc::ok;
}

} // namespace cpd::daemon
