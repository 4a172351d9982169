// SPDX-License-Identifier: MIT
// Lossless SMSG streams between two guests. CP drops an SMSG whose target's
// ring is full (z/VM's 061W), so a sender that must lose nothing keeps a
// window: at most `window` SMSGs sent and not yet credited by the receiver,
// which credits every `every` it got (an SMSG of its own, "\x1F" "CREDIT n").
// A window no larger than the receiver's ring holds (half of it is a good
// choice) never fills it; when the window or the sender's own ring is full,
// send() says busy and the sender waits (never drops) until a credit comes.
// Thread/process: call only from the guest's callbacks, on its one thread.
#pragma once

#include "cpd/guest/context.hpp"

#include <cstdint>
#include <optional>
#include <string_view>

namespace cpd::guest {

/// The sending end of a windowed stream to one guest.
class SmsgWindow {
  public:
    /// A stream to `to` with at most `window` (>= 1) SMSGs in flight.
    SmsgWindow(std::string_view to, std::uint32_t window) noexcept;

    /// Sends `text` if the window and the outbound ring have room; busy (nothing
    /// sent: send it again after a credit, or a little later) when either is
    /// full; other failures as Context::send_smsg.
    SendStatus send(Context& ctx, std::string_view text) noexcept;
    /// Takes the credit if `text` from `from` is one for this stream; true if
    /// it was (the SMSG is the window's, not the program's).
    bool on_smsg(const Userid& from, std::string_view text) noexcept;

    /// True while `window` SMSGs wait for their credit.
    bool is_window_full() const noexcept { return sent_ - credited_ >= window_; }
    /// SMSGs sent so far.
    std::uint64_t sent() const noexcept { return sent_; }
    /// SMSGs sent and not yet credited.
    std::uint64_t in_flight() const noexcept { return sent_ - credited_; }
    /// Times send() found the window or the ring full.
    std::uint64_t waits() const noexcept { return waits_; }

  private:
    std::optional<Userid> to_;
    std::uint32_t window_;
    std::uint64_t sent_ = 0;
    std::uint64_t credited_ = 0;
    std::uint64_t waits_ = 0;
};

/// The receiving end: credits a window sender for what arrived.
class SmsgCredits {
  public:
    /// Credits the sender once `every` (>= 1) SMSGs from it arrived; half the
    /// sender's window keeps it sending while the credit travels.
    explicit SmsgCredits(std::uint32_t every) noexcept;

    /// Counts one SMSG from `from` and credits it when `every` are owed. A
    /// credit that finds the outbound ring full is sent again shortly (call_later).
    void on_smsg(Context& ctx, const Userid& from) noexcept;
    /// SMSGs counted so far.
    std::uint64_t received() const noexcept { return received_; }

  private:
    void send_credit(Context& ctx) noexcept;

    std::uint32_t every_;
    std::optional<Userid> from_;
    std::uint64_t received_ = 0;
    std::uint64_t owed_ = 0;
    bool retry_armed_ = false;
};

/// True if `text` is a window credit (an SMSG the program should not see).
bool is_smsg_credit(std::string_view text) noexcept;

} // namespace cpd::guest
