// SPDX-License-Identifier: MIT
// IucvPaths, path lifecycle: CONNECT, ACCEPT/refuse, SEVER, a guest leaving,
// QUERY IUCV rows. Messages (SEND, REPLY, QUIESCE, RESUME) are in
// iucv_messages.cpp. Rules chosen where z/VM leaves room:
// - A self-connection needs no IUCV statement (it grants nothing new); its two
//   ends are two local ids of one guest, it counts twice toward MAXCONN, and
//   that guest gets both IucvCompletes and, on SEVER, the IucvSevered of the other id.
// - MSGLIMIT: 0 asks for 10; capped by the MSGLIMIT of the statement that
//   authorized the path (source's `IUCV target`, else its `IUCV ANY`, else the
//   target's `IUCV ALLOW`); no MSGLIMIT there means no cap (65535).
// - A CONNECT on a local id the guest already uses gets no frame (an IucvFailed
//   for it would kill the live path in the guest's mirror), only rc invalid_path.
// - An answer to a path that is gone gets originator_severed and no frame: the
//   target was already sent IucvSevered when the path went away.
// - A guest leaving: peers of established paths, and targets of its pending
//   CONNECTs, get IucvSevered (user data zero); sources of pending CONNECTs to
//   it get IucvFailed{not_logged_on}. Outstanding two-way messages on a removed
//   path are purged silently: the IucvSevered tells the sender they are lost.
#include "routing/iucv/iucv_paths.hpp"

#include <cstring>
#include <variant>

namespace cpd::daemon {

using proto::IucvRc;
using proto::Userid;

namespace {

/// Which directory statement authorizes a path, and its MSGLIMIT (0: none).
struct Grant {
    bool allowed = false;
    std::uint32_t cap = 0;
};

/// Finds the statement that lets `from` connect to `to` (z/VM precedence: named, ANY, ALLOW).
Grant authorize(const Userid& from, const DirectoryEntry* src, const DirectoryEntry& dst) {
    const bool self = from == dst.userid;
    const IucvAuthorization* any = nullptr;
    if (src != nullptr) {
        for (const auto& a : src->iucv) {
            if (a.kind == IucvAuthorization::Kind::user && a.target == dst.userid)
                return {true, a.msglimit};
            if (a.kind == IucvAuthorization::Kind::any && any == nullptr)
                any = &a;
        }
    }
    if (any != nullptr)
        return {true, any->msglimit};
    for (const auto& a : dst.iucv)
        if (a.kind == IucvAuthorization::Kind::allow)
            return {true, a.msglimit};
    return {self, 0};
}

} // namespace

const char* to_string(IucvPathState s) noexcept {
    switch (s) {
    case IucvPathState::pending:
        return "PENDING";
    case IucvPathState::established:
        return "ESTABLISHED";
    case IucvPathState::quiesced:
        return "QUIESCED";
    }
    return "UNKNOWN";
}

// Mixes the 8 userid bytes with the local id (splitmix64 finalizer).
std::size_t IucvPaths::EndKeyHash::operator()(const End& e) const noexcept {
    std::uint64_t u = 0;
    std::memcpy(&u, e.user.padded().data(), sizeof u);
    std::uint64_t h = u ^ (std::uint64_t{e.local} * 0x9E3779B97F4A7C15ULL);
    h ^= h >> 30;
    h *= 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 27;
    h *= 0x94D049BB133111EBULL;
    h ^= h >> 31;
    return static_cast<std::size_t>(h);
}

const IucvPaths::EndRef* IucvPaths::find(const Userid& who, std::uint32_t local) const noexcept {
    auto it = ends_.find(End{who, local});
    return it == ends_.end() ? nullptr : &it->second;
}

std::uint32_t IucvPaths::paths_held(const Userid& who) const noexcept {
    auto it = guests_.find(who);
    return it == guests_.end() ? 0 : it->second.held;
}

// Picks the target's local id: counting down, never reissued, skipping ids in use.
std::uint32_t IucvPaths::next_incoming_id(const Userid& target) {
    GuestState& g = guests_[target];
    std::uint32_t id = g.next_incoming--;
    while (id == 0 || find(target, id) != nullptr)
        id = g.next_incoming--;
    return id;
}

IucvPaths::Path& IucvPaths::add_path(const End& source, const End& target, std::uint16_t msglimit,
                                     const proto::UserData& data) {
    const std::uint64_t id = next_id_++;
    Path& p = paths_.try_emplace(id, id, source, target).first->second;
    p.msglimit = msglimit;
    p.connect_data = data;
    for (int side = 0; side < 2; ++side) {
        ends_.emplace(p.ends[side], EndRef{&p, side});
        ++guests_[p.ends[side].user].held;
    }
    ++totals_.paths_open;
    ++totals_.paths_pending;
    return p;
}

void IucvPaths::remove_path(Path& p) {
    for (const End& e : p.ends) {
        ends_.erase(e);
        auto g = guests_.find(e.user);
        if (g != guests_.end() && g->second.held > 0)
            --g->second.held;
    }
    --totals_.paths_open;
    if (!p.established)
        --totals_.paths_pending;
    paths_.erase(p.id);
}

IucvRc IucvPaths::connect_failed(const Userid& from, std::uint32_t path, IucvRc rc) {
    ++totals_.connect_failures;
    sink_.notify(from, proto::IucvFailed{path, rc});
    return rc;
}

// Checks a CONNECT against the directory and MAXCONN; sets `cap` to the MSGLIMIT cap.
IucvRc IucvPaths::check_connect(const Userid& from, const proto::IucvConnect& f,
                                std::uint32_t& cap) const {
    const DirectoryEntry* dst = sink_.entry(f.target);
    if (dst == nullptr || !sink_.is_logged_on(f.target))
        return IucvRc::not_logged_on;
    const DirectoryEntry* src = sink_.entry(from);
    const Grant grant = authorize(from, src, *dst);
    if (!grant.allowed)
        return IucvRc::not_authorized;
    cap = grant.cap;
    const std::uint32_t src_max = src != nullptr ? src->maxconn : default_maxconn;
    const std::uint32_t src_held = paths_held(from);
    if (src_held >= src_max)
        return IucvRc::source_maxconn;
    // A self-path's source end takes a slot before its target end does.
    const std::uint32_t dst_held = from == f.target ? src_held + 1 : paths_held(f.target);
    if (dst_held >= dst->maxconn)
        return IucvRc::target_maxconn;
    return IucvRc::ok;
}

IucvRc IucvPaths::connect(const Userid& from, const proto::IucvConnect& f) {
    if (f.path == 0)
        return connect_failed(from, f.path, IucvRc::invalid_path);
    if (find(from, f.path) != nullptr) {
        ++totals_.connect_failures;
        return IucvRc::invalid_path;
    }
    std::uint32_t cap = 0;
    if (IucvRc rc = check_connect(from, f, cap); rc != IucvRc::ok)
        return connect_failed(from, f.path, rc);
    std::uint32_t limit = f.msglimit == 0 ? default_msglimit : f.msglimit;
    if (cap != 0 && cap < limit)
        limit = cap;
    const std::uint16_t msglimit = static_cast<std::uint16_t>(limit);
    const std::uint32_t target_local = next_incoming_id(f.target);
    Path& p = add_path(End{from, f.path}, End{f.target, target_local}, msglimit, f.user_data);
    const proto::IucvPending pending{target_local, from, msglimit, f.user_data};
    if (!sink_.try_deliver(f.target, pending)) {
        ++totals_.ring_full;
        remove_path(p);
        return connect_failed(from, f.path, IucvRc::busy);
    }
    ++totals_.connects;
    return IucvRc::ok;
}

IucvRc IucvPaths::answer(const Userid& from, const proto::IucvAnswer& f) {
    const EndRef* ref = find(from, f.path);
    if (ref == nullptr)
        return IucvRc::originator_severed;
    Path& p = *ref->path;
    if (ref->side != 1 || p.established)
        return IucvRc::invalid_path;
    const End source = p.ends[0];
    const End target = p.ends[1];
    if (!f.accept) {
        remove_path(p);
        ++totals_.refused;
        sink_.notify(source.user, proto::IucvFailed{source.local, IucvRc::refused});
        return IucvRc::ok;
    }
    p.established = true;
    --totals_.paths_pending;
    ++totals_.completed;
    sink_.notify(target.user,
                 proto::IucvComplete{target.local, source.user, p.msglimit, p.connect_data});
    sink_.notify(source.user,
                 proto::IucvComplete{source.local, target.user, p.msglimit, f.user_data});
    return IucvRc::ok;
}

IucvRc IucvPaths::sever(const Userid& from, const proto::IucvSever& f) {
    const EndRef* ref = find(from, f.path);
    if (ref == nullptr)
        return IucvRc::invalid_path;
    Path& p = *ref->path;
    const End peer = p.ends[1 - ref->side];
    remove_path(p);
    ++totals_.severed;
    sink_.notify(peer.user, proto::IucvSevered{peer.local, from, f.user_data});
    return IucvRc::ok;
}

std::size_t IucvPaths::guest_gone(const Userid& who) {
    std::size_t removed = 0;
    for (auto it = paths_.begin(); it != paths_.end();) {
        Path& p = it->second;
        ++it; // remove_path erases p
        const bool is_source = p.ends[0].user == who;
        const bool is_target = p.ends[1].user == who;
        if (!is_source && !is_target)
            continue;
        const End source = p.ends[0];
        const End target = p.ends[1];
        const bool was_pending = !p.established;
        remove_path(p);
        ++totals_.severed;
        ++removed;
        if (is_source && is_target)
            continue; // a self-path: nobody left to tell
        if (is_target && was_pending)
            sink_.notify(source.user, proto::IucvFailed{source.local, IucvRc::not_logged_on});
        else if (is_target)
            sink_.notify(source.user, proto::IucvSevered{source.local, who, {}});
        else
            sink_.notify(target.user, proto::IucvSevered{target.local, who, {}});
    }
    guests_.erase(who);
    return removed;
}

std::vector<IucvPathRow> IucvPaths::query(const Userid* only) const {
    std::vector<IucvPathRow> rows;
    rows.reserve(paths_.size());
    for (const auto& [id, p] : paths_) {
        if (only != nullptr && p.ends[0].user != *only && p.ends[1].user != *only)
            continue;
        IucvPathState state = IucvPathState::established;
        if (!p.established)
            state = IucvPathState::pending;
        else if (p.quiesced[0] || p.quiesced[1])
            state = IucvPathState::quiesced;
        const auto outstanding = p.awaiting[0].size() + p.awaiting[1].size();
        rows.push_back(IucvPathRow{id, p.ends[0].user, p.ends[0].local, p.ends[1].user,
                                   p.ends[1].local, state, p.msglimit,
                                   static_cast<std::uint32_t>(outstanding), p.messages[0],
                                   p.bytes[0], p.messages[1], p.bytes[1]});
    }
    return rows;
}

IucvTotals IucvPaths::totals() const noexcept {
    return totals_;
}

std::optional<IucvRc> IucvPaths::handle(const Userid& from, const proto::GuestFrame& f) {
    using namespace proto;
    if (auto* c = std::get_if<IucvConnect>(&f))
        return connect(from, *c);
    if (auto* a = std::get_if<IucvAnswer>(&f))
        return answer(from, *a);
    if (auto* s = std::get_if<IucvSever>(&f))
        return sever(from, *s);
    if (auto* m = std::get_if<IucvSend>(&f))
        return send(from, *m);
    if (auto* r = std::get_if<IucvReply>(&f))
        return reply(from, *r);
    if (auto* q = std::get_if<IucvQuiesce>(&f))
        return quiesce(from, *q);
    if (auto* r = std::get_if<IucvResume>(&f))
        return resume(from, *r);
    return std::nullopt;
}

} // namespace cpd::daemon
