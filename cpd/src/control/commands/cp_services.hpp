// SPDX-License-Identifier: MIT
// What CP commands may see and do: the caller's identity and classes, and the
// CpServices interface the daemon implements (guest list, logon, force, SMSG,
// SET, shutdown, IUCV paths). Commands depend only on this, so they are unit-testable
// with a fake and never touch rings or sockets themselves.
#pragma once

#include "control/cp_outcome.hpp"
#include "control/commands/everyday_info.hpp"
#include "messages/message_switches.hpp"
#include "config/directory/directory.hpp"
#include "guests/guest.hpp"
#include "routing/iucv/iucv_paths.hpp"

#include "cpd/proto/ring_frame.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cpd::daemon {

class SpoolService;

/// Who issues a command.
struct Caller {
    proto::Userid userid;
    std::string classes;   ///< privilege classes from the directory ("" if none)
    bool is_guest = false; ///< issued by the guest itself (CpCommand), not a client
    /// True if the caller holds any of the classes in `any_of`.
    bool has_any_class(std::string_view any_of) const noexcept;
};

/// One logged-on guest as commands see it.
struct GuestInfo {
    explicit GuestInfo(const proto::Userid& id) : userid(id) {}
    proto::Userid userid;
    GuestState state = GuestState::running;
    std::string terminal = "DSC";
    GuestCounters counters;
    std::size_t inbound_used = 0, inbound_capacity = 0;
    std::size_t outbound_used = 0, outbound_capacity = 0;
};

/// Router-wide totals as QUERY STATS shows them.
struct StatsTotals {
    std::uint64_t routed = 0, to_listeners = 0, dropped = 0, refused = 0, frames = 0,
                  wakeups = 0;
    std::uint64_t backlogged = 0;        ///< notifications that waited for a full ring
    std::uint64_t spins_won = 0;         ///< rings that got data during the pre-sleep spin
    std::uint64_t backlog_overflows = 0; ///< guests forced off for not draining their backlog
    std::string latency_hold = "off";    ///< CpuLatencyHold::describe()
    std::string isolation = "none";      ///< GuestIsolation::summary()
    /// Every userid that ended a session, by userid: how its last session
    /// ended, its restarts, and whether one is pending or given up.
    std::vector<std::pair<proto::Userid, std::string>> last_ends{};
};

/// The daemon seen from a command.
class CpServices {
public:
    virtual ~CpServices() = default;
    /// Logged-on guests, sorted by userid.
    virtual std::vector<GuestInfo> guests() const = 0;
    /// Totals since start.
    virtual StatsTotals totals() const = 0;
    /// The directory entry of `userid`, or nullptr.
    virtual const DirectoryEntry* entry(const proto::Userid& userid) const = 0;
    /// Every directory entry, sorted by userid (QUERY DIRECTORY); valid until
    /// the directory is reloaded. None by default, for test doubles.
    virtual std::vector<const DirectoryEntry*> directory_entries() const { return {}; }
    /// Logs `userid` on (XAUTOLOG).
    virtual CpOutcome logon(const proto::Userid& userid, const proto::Userid& by) = 0;
    /// Logs `userid` off: FORCE when `by` differs, else the guest's own LOGOFF.
    virtual CpOutcome logoff(const proto::Userid& userid, const proto::Userid& by,
                             bool force) = 0;
    /// Sends an SMSG as `from`.
    virtual CpOutcome smsg(const proto::Userid& from, const proto::Userid& to,
                           std::string_view text) = 0;
    /// SET SMSG ON|OFF for the guest `userid`.
    virtual CpOutcome set_smsg(const proto::Userid& userid, bool on) = 0;
    /// Starts an orderly shutdown.
    virtual CpOutcome shutdown(const proto::Userid& by) = 0;
    /// IUCV paths by path number; only those with an end at `*only` when given.
    /// Empty where IUCV is not available (the default, for test doubles).
    virtual std::vector<IucvPathRow> iucv_paths(const proto::Userid* /*only*/) const { return {}; }
    /// IUCV counters for QUERY STATS; nullopt where IUCV is not available.
    virtual std::optional<IucvTotals> iucv_totals() const { return std::nullopt; }
    /// "last session ended: <how>[; restarts N][; restarting in T | ; not
    /// restarted: why]", or "" if `userid` never ended a session.
    virtual std::string last_end(const proto::Userid& /*userid*/) const { return ""; }
    /// SET CRASHMSG ON|OFF: whether `userid`'s console gets CP's messages about
    /// guests that crash or are not restarted.
    virtual CpOutcome set_crashmsg(const proto::Userid& /*userid*/, bool /*on*/) {
        return {proto::CpRc::invalid_option, "HCPSET003E Invalid option - CRASHMSG"};
    }

    // Minidisks (the default, for test doubles: no devices).
    /// LINK for the guest `linker` with the operands after the verb.
    virtual CpOutcome link(const proto::Userid& /*linker*/, std::string_view /*operands*/) {
        return {proto::CpRc::unknown_command, "HCPCMD001E Unknown CP command: LINK"};
    }
    /// DETACH for the guest `linker`.
    virtual CpOutcome detach(const proto::Userid& /*linker*/, std::string_view /*operands*/) {
        return {proto::CpRc::unknown_command, "HCPCMD001E Unknown CP command: DETACH"};
    }
    /// QUERY VIRTUAL DASD (or one vdev) of `linker`.
    virtual CpOutcome query_virtual_dasd(const proto::Userid& /*linker*/,
                                         std::optional<std::string> /*only*/) const {
        return {proto::CpRc::ok, "No DASD"};
    }
    /// The spool (SPOOL, CLOSE, PURGE, ...); nullptr where there is none (test doubles).
    virtual SpoolService* spool() { return nullptr; }
    /// QUERY LINKS [vdev] of `owner`'s minidisks.
    virtual CpOutcome query_links(const proto::Userid& /*owner*/,
                                  std::optional<std::string> /*only*/) const {
        return {proto::CpRc::ok, "No links"};
    }

    // Messages and the everyday QUERY, SET and INDICATE (the defaults, for
    // test doubles: nobody logged on, nothing known).
    /// MSG, MSGNOH or WARNING from `from` to `to`.
    virtual CpOutcome message(const proto::Userid& /*from*/, const proto::Userid& to,
                              proto::MessageKind /*kind*/, std::string_view /*text*/) {
        return {proto::CpRc::not_logged_on, "HCPMSG045E " + std::string(to.str()) +
                                                " not logged on"};
    }
    /// MSG ALL or WARNING ALL from `from`.
    virtual CpOutcome message_all(const proto::Userid& /*from*/, proto::MessageKind /*kind*/,
                                  std::string_view /*text*/) {
        return {};
    }
    /// The message switches of the logged-on guest `userid` (nullopt if not logged on).
    virtual std::optional<MessageSwitches> message_switches(const proto::Userid& /*userid*/,
                                                            bool* /*smsg_on*/) const {
        return std::nullopt;
    }
    /// Replaces the message switches of the logged-on guest `userid`
    /// (SET MSG ...); HCPSET045E if it is not logged on.
    virtual CpOutcome set_message_switches(const proto::Userid& userid,
                                           const MessageSwitches& /*switches*/) {
        return {proto::CpRc::not_logged_on,
                "HCPSET045E " + std::string(userid.str()) + " not logged on"};
    }
    /// The log message lines (SET LOGMSG), oldest first.
    virtual std::vector<std::string> logmsg() const { return {}; }
    /// Replaces the log message lines.
    virtual void set_logmsg(std::vector<std::string> /*lines*/, const proto::Userid& /*by*/) {}
    /// Connect time, CPU and pages of the logged-on guest `userid`.
    virtual std::optional<GuestUsage> usage(const proto::Userid& /*userid*/) const {
        return std::nullopt;
    }
    /// The host's load and cpd's guests for INDICATE LOAD.
    virtual HostLoad host_load() const { return {}; }
    /// cpd's name, version, build and start time.
    virtual SystemInfo system_info() const { return {}; }
};

} // namespace cpd::daemon
