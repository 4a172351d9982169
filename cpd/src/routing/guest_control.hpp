// SPDX-License-Identifier: MIT
// What routing asks of the rest of cpd, as two narrow interfaces: GuestControl
// (the owner of guest processes: force one off now, log one off at its own
// request, note a handler panic) and GuestCommands (run a CP command a guest
// issued). The daemon implements them over its Supervisor and command table;
// tests implement them as recorders. Nothing here may call back into routing.
#pragma once

#include "guests/guest.hpp"

#include "cpd/proto/rc.hpp"

#include <string>
#include <string_view>

namespace cpd::daemon {

/// Outcome of a CP command a guest issued.
struct GuestCommandResult {
    proto::CpRc rc = proto::CpRc::ok;
    std::string text;
};

/// The guest processes' owner, as routing sees it. Thread/process: cpd's one thread.
class GuestControl {
  public:
    virtual ~GuestControl() = default;
    /// Ends `guest` at once (no grace): it broke a rule of its rings or its backlog.
    /// Routing has logged why and set guest.faulted before calling.
    virtual void force_off(Guest& guest, std::string_view reason) = 0;
    /// The guest asked to be logged off (CP LOGOFF).
    virtual void logoff_requested(Guest& guest) = 0;
    /// A handler in the guest threw; the guest exits right after saying so.
    virtual void panicked(Guest& guest, std::string_view what) = 0;
};

/// Runs the CP commands guests issue. Thread/process: cpd's one thread.
class GuestCommands {
  public:
    virtual ~GuestCommands() = default;
    /// Runs `text` as `guest`; the answer goes back to the guest as a CpResponse.
    virtual GuestCommandResult run_for_guest(Guest& guest, std::string_view text) = 0;
};

} // namespace cpd::daemon
