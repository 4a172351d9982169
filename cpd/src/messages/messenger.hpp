// SPDX-License-Identifier: MIT
// Messenger: CP's MSG, MSGNOH and WARNING, to one guest or to all. It checks
// the target's switch (SET MSG / SET WNG), hands the message to the guest's
// program (a MessageDeliver, whose default handler writes it on the console)
// and, when the program cannot take it (ring full, still logging on), writes
// it on the console itself, so it is kept in the console replay as z/VM keeps
// it in the console spool. Every refusal and fallback is logged with its reason.
#pragma once

#include "control/cp_outcome.hpp"
#include "messages/message_switches.hpp"

#include "cpd/proto/ring_frame.hpp"
#include "cpd/proto/userid.hpp"

#include <cstdint>
#include <ctime>
#include <string_view>
#include <vector>

namespace cpd::daemon {

/// What the Messenger needs of the daemon (a fake in unit tests).
class MessagePort {
  public:
    virtual ~MessagePort() = default;
    /// The switches of the logged-on guest `userid`, or nullptr if it is not logged on.
    virtual const MessageSwitches* switches(const proto::Userid& userid) const = 0;
    /// Every logged-on guest, sorted by userid.
    virtual std::vector<proto::Userid> logged_on() const = 0;
    /// Offers the frame to the guest's program; false if it cannot take it now.
    virtual bool deliver(const proto::Userid& userid, const proto::MessageDeliver& frame) = 0;
    /// Writes a line on the guest's console (and its replay) as CP.
    virtual void write_console(const proto::Userid& userid, std::string_view line) = 0;
};

/// Messenger's counters.
struct MessageTotals {
    std::uint64_t delivered = 0;  ///< messages handed to a guest's program
    std::uint64_t to_console = 0; ///< messages CP wrote on a console itself
    std::uint64_t refused = 0;    ///< messages refused (not logged on, switch OFF)
};

/// Sends CP messages. Thread/process: cpd's one thread only.
class Messenger {
  public:
    explicit Messenger(MessagePort& port) : port_(port) {}

    /// MSG, MSGNOH or WARNING from `from` to `to` at time `now`: ok, or
    /// not_logged_on (HCPMSG045E) or not_receiving (HCPMSG057I ...; MSG off).
    CpOutcome send(const proto::Userid& from, const proto::Userid& to, proto::MessageKind kind,
                   std::string_view text, std::time_t now);
    /// The same to every logged-on guest whose switch takes it (MSG ALL,
    /// WARNING ALL); those that refuse are skipped, as on z/VM.
    CpOutcome send_all(const proto::Userid& from, proto::MessageKind kind, std::string_view text,
                       std::time_t now);
    const MessageTotals& totals() const noexcept { return totals_; }

  private:
    /// Delivers to a guest known to take it; falls back to its console.
    void hand_over(const proto::Userid& to, const proto::MessageDeliver& frame);

    MessagePort& port_;
    MessageTotals totals_;
};

/// The switch of `s` that governs `kind`.
MessageSwitch switch_for(const MessageSwitches& s, proto::MessageKind kind) noexcept;

} // namespace cpd::daemon
