// SPDX-License-Identifier: MIT
// SmsgRouter: the SMSG hot path (one cached lookup of the target, see
// target_cache.hpp, and one push) and the listener registry. Listeners are called from a copy of the
// registry, because a listener may unregister itself while it is told.
#include "routing/smsg_router.hpp"

#include <algorithm>
#include <vector>

namespace cpd::daemon {

std::string smsg_refusal_text(proto::CpRc rc, const proto::Userid& to) {
    std::string id(to.str());
    switch (rc) {
    case proto::CpRc::not_logged_on:
        return "HCPMSG045E " + id + " not logged on";
    case proto::CpRc::not_receiving:
        return "HCPMSG057I " + id + " not receiving; SMSG off";
    case proto::CpRc::busy:
        return "HCPMSG061W " + id + " not receiving; message queue full";
    case proto::CpRc::invalid_operand:
        return "HCPMSG026E Text missing or invalid";
    case proto::CpRc::invalid_userid:
        return "HCPMSG020E Userid missing or invalid";
    default:
        return {};
    }
}

proto::CpRc SmsgRouter::route(const proto::Userid& from, Guest* sender, const proto::Userid& to,
                              std::string_view text) {
    if (!proto::check_smsg_text(text)) {
        return refuse(sender, proto::CpRc::invalid_operand);
    }
    return route_checked(from, sender, to, text);
}

proto::CpRc SmsgRouter::refuse(Guest* sender, proto::CpRc rc) {
    ++totals_.refused;
    if (sender != nullptr) {
        ++sender->counters.refused_out;
    }
    return rc;
}

/// The ring frame decoder has checked a guest's text already, and checking it
/// again took about 7% of cpd's time per SMSG in bench_smsg (perf, windowed 64 B).
proto::CpRc SmsgRouter::route_checked(const proto::Userid& from, Guest* sender,
                                      const proto::Userid& to, std::string_view text) {
    if (text.empty()) {
        return refuse(sender, proto::CpRc::invalid_operand);
    }
    const TargetCache::Entry* cached = targets_.find(to);
    if (cached == nullptr) {
        cached = look_up(to);
    }
    Guest* target = cached != nullptr && cached->guest != nullptr &&
                            cached->guest->state == GuestState::running
                        ? cached->guest.get()
                        : nullptr;
    const bool listened = cached != nullptr && cached->listened;
    if (target == nullptr && !listened) {
        return refuse(sender, proto::CpRc::not_logged_on);
    }
    if (target != nullptr && !target->smsg_on && !listened) {
        return refuse(sender, proto::CpRc::not_receiving);
    }
    bool delivered = false;
    bool dropped = false;
    if (target != nullptr && target->smsg_on) {
        if (delivery_.offer(*target, proto::SmsgDeliver{from, text}) == ipc::RingStatus::ok) {
            ++target->counters.routed_in;
            ++totals_.routed;
            delivered = true;
        } else {
            ++target->counters.dropped_in;
            ++totals_.dropped;
            dropped = true;
        }
    }
    if (listened) {
        delivered = tell_listeners(from, to, text) || delivered;
    }
    if (sender != nullptr) {
        ++(delivered ? sender->counters.routed_out : sender->counters.dropped_out);
    }
    return delivered || !dropped ? proto::CpRc::ok : proto::CpRc::busy;
}

/// Asks the guest table and the listener registry about `to`, and caches the
/// answer if it names a guest or a listener (a refusal is not the hot path);
/// nullptr if neither knows `to`.
const TargetCache::Entry* SmsgRouter::look_up(const proto::Userid& to) {
    auto it = guests_.find(to);
    std::shared_ptr<Guest> guest = it != guests_.end() ? it->second : nullptr;
    const bool listened = listeners_.contains(to);
    if (guest == nullptr && !listened) {
        return nullptr;
    }
    targets_.put(to, std::move(guest), listened);
    return targets_.find(to);
}

void SmsgRouter::forget_target(const proto::Userid& userid) noexcept {
    targets_.forget(userid);
}

/// Hands the SMSG to every listener of `to`; true if there was one.
bool SmsgRouter::tell_listeners(const proto::Userid& from, const proto::Userid& to,
                                std::string_view text) {
    auto [lo, hi] = listeners_.equal_range(to);
    std::vector<SmsgListener*> targets; // a copy: a listener may unregister itself while called
    for (; lo != hi; ++lo) {
        targets.push_back(lo->second);
    }
    for (SmsgListener* l : targets) {
        ++totals_.to_listeners;
        l->on_smsg_event(from, text);
    }
    return !targets.empty();
}

void SmsgRouter::add_listener(const proto::Userid& userid, SmsgListener* listener) {
    listeners_.emplace(userid, listener);
    targets_.clear();
}

void SmsgRouter::remove_listener(SmsgListener* listener) {
    std::erase_if(listeners_, [listener](const auto& kv) { return kv.second == listener; });
    targets_.clear();
}

void SmsgRouter::directory_reloaded() {
    std::vector<SmsgListener*> all; // copied: a listener may re-register or leave when told
    for (const auto& [id, l] : listeners_) {
        if (std::find(all.begin(), all.end(), l) == all.end()) {
            all.push_back(l);
        }
    }
    for (SmsgListener* l : all) {
        l->on_directory_reloaded();
    }
}

} // namespace cpd::daemon
