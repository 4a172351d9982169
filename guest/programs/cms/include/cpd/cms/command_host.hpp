// SPDX-License-Identifier: MIT
// CommandHost: what a CMS program that runs for a while (a REXX EXEC; later
// XEDIT's input mode, a pipeline's starmsg stage, WAKEUP) needs from outside
// the guest while it runs. A console command returns a CommandResult for the
// glue to carry out after it ends; a running program cannot wait that long:
// its SAY lines must reach the console in order with the output of the
// commands it issues, and it needs CP's answer, the next console line or the
// next SMSG before it can go on. The glue implements this over the guest
// runtime (Context::wait_for); unit tests use a scripted fake. Every call
// blocks this guest only, as a single-tasking CMS does: other events wait,
// in order, until the program ends.
#pragma once

#include "cpd/proto/console_mode.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cpd::cms {

/// CP's answer to a command a program issued.
struct CpAnswer {
    int rc = 0;                     ///< CP's return code
    std::vector<std::string> lines; ///< the response, one line each
};

/// What wait_for_event may return.
enum HostEventKind : unsigned {
    host_console = 1, ///< a console line
    host_smsg = 2,    ///< an SMSG (`from`, `text`)
    host_message = 4, ///< a MSG or WARNING from another user (`from`, `text`, `msg_class`)
    host_reader = 8,  ///< a file arrived in the reader (`from`, `spoolid`)
};

/// The event a wait_for_event ended with.
struct HostEvent {
    enum class Kind { console, smsg, message, reader, timeout, halted };
    Kind kind = Kind::halted;
    std::string from;      ///< smsg, message, reader: the sender's userid
    std::string text;      ///< the console line or the message text
    std::string msg_class; ///< "*SMSG", or for a message "*MSG" (MSG, MSGNOH) or "*WNG" (WARNING)
    unsigned spoolid = 0;  ///< reader: the new file's spoolid
};

/// The services a running program uses outside the guest.
class CommandHost {
  public:
    virtual ~CommandHost() = default;

    /// Writes one line at the console now (SAY, a command's output).
    virtual void write_line(std::string_view line) = 0;
    /// Issues `command` to CP as this guest and waits for its answer; the
    /// response is returned, not shown (the caller shows or captures it).
    virtual CpAnswer cp_command(std::string_view command) = 0;
    /// A VM READ: waits for the next console line; nullopt if the program
    /// must stop instead (HX, logoff). The console is told first that the
    /// guest reads, in `shown` (VM READ for a PULL, XEDIT's prompt for XEDIT
    /// run from an EXEC), so that pipe-mode cmsconsole sends its next line.
    virtual std::optional<std::string> read_console_line(proto::ConsoleMode shown) = 0;
    /// Waits for the first of the `kinds` (HostEventKind bits) or the
    /// deadline; Kind::halted on HX or logoff.
    virtual HostEvent
    wait_for_event(unsigned kinds,
                   std::optional<std::chrono::steady_clock::time_point> deadline) = 0;
    /// True once the program must stop: HX was typed, or the guest is being
    /// logged off. Cheap; programs call it between steps.
    virtual bool halt_requested() = 0;
    /// Async-signal-safe, for a program computing without calling the host:
    /// true if HX is the next console line (it is consumed and
    /// halt_requested() becomes true). Only while the program's own code is
    /// not inside a host call.
    virtual bool take_hx_async() noexcept = 0;
    /// A command asked to log the guest off: the glue does it once the
    /// program has stopped (halt_requested() is true from now on).
    virtual void request_logoff() = 0;
};

} // namespace cpd::cms
