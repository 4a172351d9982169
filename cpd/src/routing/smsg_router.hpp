// SPDX-License-Identifier: MIT
// SmsgRouter: delivers an SMSG to the guest it names and to every control
// connection listening as that userid, refusing it as CP does (045E not
// logged on, 057I not receiving, 026E bad text). A full target ring drops the
// SMSG (counted, rc busy): SMSGs are droppable, what CP owes a guest is not.
#pragma once

#include "guests/guest.hpp"
#include "routing/delivery.hpp"
#include "routing/target_cache.hpp"

#include "cpd/proto/rc.hpp"
#include "cpd/proto/userid.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace cpd::daemon {

/// A control connection that listens for SMSGs addressed to its identity.
class SmsgListener {
  public:
    virtual ~SmsgListener() = default;
    /// An SMSG for the listener's identity arrived.
    virtual void on_smsg_event(const proto::Userid& from, std::string_view text) = 0;
    /// The directory was reloaded: the identity a listener acts as may have changed.
    virtual void on_directory_reloaded() {}
};

/// SmsgRouter's counters.
struct SmsgTotals {
    std::uint64_t routed = 0;       ///< SMSGs delivered to guest rings
    std::uint64_t to_listeners = 0; ///< SMSG events handed to listening clients
    std::uint64_t dropped = 0;      ///< SMSGs dropped because the target ring was full
    std::uint64_t refused = 0;      ///< SMSGs answered with 045E / 057I / 026E
};

/// Routes SMSGs. Thread/process: cpd's one thread only.
class SmsgRouter {
  public:
    /// Looks targets up in `guests` and pushes through `delivery`; both must outlive it.
    SmsgRouter(const GuestTable& guests, Delivery& delivery)
        : guests_(guests), delivery_(delivery) {}

    /// Routes one SMSG from `from` (a guest when `sender` is set, else a client) to `to`.
    /// Returns ok, not_logged_on, not_receiving, busy (dropped) or invalid_operand.
    proto::CpRc route(const proto::Userid& from, Guest* sender, const proto::Userid& to,
                      std::string_view text);
    /// route() for text the ring decoder has checked already.
    proto::CpRc route_checked(const proto::Userid& from, Guest* sender, const proto::Userid& to,
                              std::string_view text);
    /// Registers a listener for SMSGs addressed to `userid`. Not owned.
    void add_listener(const proto::Userid& userid, SmsgListener* listener);
    /// Removes every registration of `listener`.
    void remove_listener(SmsgListener* listener);
    /// Tells every listener the directory was reloaded.
    void directory_reloaded();
    /// Drops what is cached about `userid`: a guest of that name logged on or
    /// is going away. Router::attach and Router::detach call it.
    void forget_target(const proto::Userid& userid) noexcept;

    const SmsgTotals& totals() const noexcept { return totals_; }

  private:
    /// Counts a refused SMSG (totals and the sender's counters); returns `rc`.
    proto::CpRc refuse(Guest* sender, proto::CpRc rc);
    bool tell_listeners(const proto::Userid& from, const proto::Userid& to, std::string_view text);
    const TargetCache::Entry* look_up(const proto::Userid& to);

    const GuestTable& guests_;
    Delivery& delivery_;
    std::multimap<proto::Userid, SmsgListener*> listeners_;
    TargetCache targets_; ///< filled from guests_ and listeners_, dropped when they change
    SmsgTotals totals_;
};

/// The CP message a refused SMSG earns, e.g. "HCPMSG045E ECHO not logged on".
std::string smsg_refusal_text(proto::CpRc rc, const proto::Userid& to);

} // namespace cpd::daemon
