// SPDX-License-Identifier: MIT
// Guest: what cpd holds for one logged-on virtual machine: its process (pid,
// and the tag the spawn helper knows it by), its segment and both ring ends,
// its doorbells, its state, SMSG switch and counters. Two descriptors per
// guest, its two bells, or one when a socket pair serves both directions
// (the helper holds its output pipe and reaps it). Owned by the Supervisor's
// table; the Router reads and writes its rings. Shared-owned so asio
// handlers can outlive its removal.
#pragma once

#include "routing/guest_budget.hpp"
#include "guests/lifecycle/guest_end.hpp"
#include "messages/message_switches.hpp"

#include "cpd/ipc/doorbell.hpp"
#include "cpd/ipc/ring.hpp"
#include "cpd/ipc/ring_frames.hpp"
#include "cpd/ipc/segment.hpp"
#include "cpd/ipc/unique_fd.hpp"
#include "cpd/proto/ring_frame.hpp"
#include "cpd/proto/userid.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <sys/types.h>

namespace cpd::daemon {

/// Lifecycle of a guest, as QUERY and the supervisor see it. A Guest exists
/// once its process has been forked. Until the child has exec'd QUERY shows it
/// logging_on, but its `state` is already running: the Router queues what it
/// is sent on its ring, where the program finds it once it runs.
enum class GuestState { logging_on, running, logging_off, gone };

/// A readable name for a GuestState.
const char* to_string(GuestState s) noexcept;

/// Counters kept on the hot path, reported by QUERY STATS.
struct GuestCounters {
    std::uint64_t routed_out = 0;   ///< SMSGs this guest sent that were delivered
    std::uint64_t routed_in = 0;    ///< SMSGs delivered to this guest
    std::uint64_t dropped_in = 0;   ///< SMSGs for this guest dropped: its ring was full
    std::uint64_t dropped_out = 0;  ///< SMSGs this guest sent that were dropped (target full)
    std::uint64_t refused_out = 0;  ///< SMSGs this guest sent that got 045E/057I
    std::uint64_t frames_out = 0;   ///< frames read from its outbound ring
    std::uint64_t wakeups = 0;      ///< doorbell wake-ups of cpd for this guest
    std::uint64_t bells_rung = 0;   ///< times cpd rang this guest's inbound bell
};

/// The everything cpd keeps about one logged-on guest.
class Guest {
public:
    /// Builds the entry for a freshly spawned process; takes ownership of everything.
    /// If it throws (asio cannot watch a descriptor), every descriptor passed in is
    /// closed. The process itself is the spawn helper's child: cpd learns of its
    /// exec and its end from the helper, and holds no descriptor of it.
    Guest(boost::asio::io_context& io, proto::Userid userid, pid_t pid, ipc::Segment segment,
          ipc::Doorbell inbound_bell, ipc::Doorbell outbound_bell);
    Guest(const Guest&) = delete;
    Guest& operator=(const Guest&) = delete;
    ~Guest();

    /// Pushes one frame (a CpdFrame or one of its structs) on the inbound ring
    /// (no wake-up; see wake()).
    template <class Frame> ipc::RingStatus push(const Frame& frame) noexcept {
        return ipc::push_frame(inbound, frame);
    }
    /// The bell that wakes the guest: its inbound eventfd, or cpd's end of
    /// the pair that serves both directions.
    const ipc::Doorbell& guest_bell() const noexcept {
        return inbound_bell.valid() ? inbound_bell : outbound_bell;
    }
    /// Rings the guest's bell if the guest announced it sleeps.
    void wake() noexcept;
    /// Stops every pending asio operation (descriptors, timers).
    void cancel_io() noexcept;

    const proto::Userid userid;
    pid_t pid;                            ///< -1 until the spawn helper has forked it
    std::uint64_t spawn_tag = 0;          ///< names it to the spawn helper
    std::string logon_text;               ///< "by (pid, program, uid)" for the logged-on line
    GuestState state = GuestState::running;
    bool logging_on = true;               ///< forked; its exec not yet confirmed
    std::string start_error;              ///< its child reported a failed step before exec
    GuestEnd end;                         ///< how it ended, set before the Supervisor's on_gone
    bool smsg_on = true;                  ///< SET SMSG; ON at logon for cpd guests
    MessageSwitches messages;             ///< SET MSG, WNG, EMSG, IMSG (z/VM's defaults)
    bool reaped = false;                  ///< waitpid collected it
    bool panicked = false;                ///< it reported a handler panic
    bool faulted = false;                 ///< its ring or a frame was corrupt; being killed
    bool storage_exhausted = false;       ///< its memory cgroup's limit killed one of its processes
    std::string panic_what;
    std::string kill_reason;              ///< why CP killed it (Supervisor::kill_guest)
    std::string logoff_by;                ///< who FORCEd it ("" for own LOGOFF)
    proto::LogoffReason logoff_reason = proto::LogoffReason::logoff;
    bool logoff_pending = false;          ///< Logoff frame not yet on the ring (full)
    std::chrono::steady_clock::time_point logon_time;
    std::string storage;                  ///< the USER statement's storage (its memory limit)
    std::string program;                  ///< the executable it was started with
    GuestCounters counters;

    ipc::Segment segment;
    ipc::RingWriter inbound;  ///< cpd -> guest
    ipc::RingReader outbound; ///< guest -> cpd
    ipc::Doorbell inbound_bell;  ///< empty when outbound_bell is a pair end serving both ways
    ipc::Doorbell outbound_bell; ///< owns the descriptor bell_watch waits on
    boost::asio::posix::stream_descriptor bell_watch; ///< outbound_bell's own fd, never closed by asio
    boost::asio::steady_timer grace_timer;
    boost::asio::steady_timer retry_timer;            ///< re-tries a Logoff that did not fit
    GuestBudget budget;                               ///< its share of cpd's thread
    boost::asio::steady_timer budget_timer;           ///< when its throttled work may go on
    bool throttled = false;                           ///< waiting on budget_timer: neither spun over nor slept
    bool console_held = false;                        ///< its console output waits for its console (ConsoleHub::holds_output)
    bool bell_armed = false;                          ///< async_wait pending on bell_watch
    bool bell_rung = false;                           ///< outbound bell fired, not yet drained
    bool bell_closed = false; ///< its pair end is closed: never rings again, never waited on
    bool in_ready_queue = false;                      ///< Router has it queued
    bool touched = false;                             ///< Router owes it a wake-up
};

/// The logged-on guests by userid (sorted, as QUERY NAMES lists them).
using GuestTable = std::map<proto::Userid, std::shared_ptr<Guest>>;

} // namespace cpd::daemon
