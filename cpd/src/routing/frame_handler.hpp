// SPDX-License-Identifier: MIT
// FrameHandler: acts on the frames a guest writes to its outbound ring, a
// bounded batch at a time: SMSGs (sender stamped from the ring), SET SMSG, CP
// commands (answered through Delivery's must-not-lose path), console lines,
// LOGOFF, panics and IUCV. Everything it checks is first copied out of guest
// memory; a frame or ring that breaks the rules gets its guest forced off.
#pragma once

#include "console/console_hub.hpp"
#include "guests/guest.hpp"
#include "routing/iucv/iucv_hub.hpp"
#include "routing/delivery.hpp"
#include "routing/guest_control.hpp"
#include "routing/round_parts.hpp"
#include "routing/smsg_router.hpp"
#include "routing/spool_meter.hpp"

#include "cpd/proto/version.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace cpd::daemon {

/// Takes the spool's frames (proto/spool_frame.hpp) off a guest's ring:
/// spool/spool_frames.hpp implements it. The payload is a copy, never a view
/// of the ring.
class SpoolFrameSink {
  public:
    virtual ~SpoolFrameSink() = default;
    /// False if the frame breaks the contract (the guest is then forced off).
    virtual bool on_spool_frame(Guest& guest, std::uint32_t type,
                                std::span<const std::byte> payload) = 0;
};

/// Acts on guests' frames. Thread/process: cpd's one thread only.
class FrameHandler final : public FrameDrainer {
  public:
    /// Frames drained from one ring before moving on to the next.
    static constexpr int batch_frames = 64;
    /// Largest valid SmsgSend payload: target, text length, text.
    static constexpr std::size_t smsg_send_max_payload =
        proto::Userid::max_length + sizeof(std::uint32_t) + proto::smsg_max_text;

    /// Every reference must outlive the handler; the hub and IUCV handler can be replaced.
    FrameHandler(Delivery& delivery, SmsgRouter& smsg, GuestControl& control,
                 GuestCommands& commands, ConsoleHub& console, IucvHandler& iucv);

    /// Replaces the console hub. Not owned.
    void set_console_hub(ConsoleHub& console) noexcept { console_ = &console; }
    /// Replaces the IUCV handler. Not owned.
    void set_iucv_handler(IucvHandler& iucv) noexcept { iucv_ = &iucv; }
    /// Sets who takes the spool's frames (nullptr: they are refused). Not owned.
    void set_spool_sink(SpoolFrameSink* sink) noexcept { spool_ = sink; }

    /// Handles up to batch_frames frames of `guest`.
    DrainResult drain(Guest& guest) override;
    /// Handles what a guest that is going away left on its ring (its last
    /// words: LOGOFF AT, a final SMSG), a bounded number of batches.
    void drain_last_words(Guest& guest);

    /// Frames read from guest rings.
    std::uint64_t frames() const noexcept { return frames_; }
    /// The per-turn bound on guests' spool writes.
    SpoolMeter& spool_meter() noexcept { return spool_meter_; }

  private:
    /// Spends from the guest's budget for a frame of `type` (CP commands and
    /// console lines cost; the rest is free); false if it must wait.
    bool within_budget(Guest& guest, std::uint32_t type);
    bool is_held_console_output(const Guest& guest, std::uint32_t type) const;
    bool unmetered_ = false; ///< draining last words: a guest going away is not throttled
    SpoolMeter spool_meter_;
    bool route_fast(Guest& guest, const ipc::RecordView& record);
    bool route_smsg(Guest& guest, const ipc::RecordView& record);
    template <class Frame> bool route_iucv_data(Guest& guest, const ipc::RecordView& record);
    bool route_decoded(Guest& guest, const ipc::RecordView& record);
    bool route_spool(Guest& guest, const ipc::RecordView& record);
    void dispatch(Guest& guest, const proto::GuestFrame& frame);
    void on_guest_smsg(Guest& guest, const proto::SmsgSend& m);
    void fault(Guest& guest, const std::string& reason);
    void fault_frame(Guest& guest, std::uint32_t type, proto::errc error);

    Delivery& delivery_;
    SmsgRouter& smsg_;
    GuestControl& control_;
    GuestCommands& commands_;
    ConsoleHub* console_;
    IucvHandler* iucv_;
    SpoolFrameSink* spool_ = nullptr;
    std::vector<std::byte> buffer_; // reused copy-out buffer
    std::uint64_t frames_ = 0;
};

} // namespace cpd::daemon
