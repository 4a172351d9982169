// SPDX-License-Identifier: MIT
// RunningCommand: a command that goes on after execute() returns, because it
// waits for something outside the guest (a pipeline's cp stage for CP's
// answer, starmsg for an SMSG, console for a line). The caller delivers each
// event and carries out the CommandResult that comes back, until one comes
// back without `running`: that one ends the command with its rc.
#pragma once

#include "cpd/cms/command_result.hpp"

#include <string_view>

namespace cpd::cms {

/// A command still running; every call returns what to do next.
class RunningCommand {
  public:
    virtual ~RunningCommand() = default;
    /// CP answered the command in the last result's cp_command (or the
    /// runtime refused it: then `rc` is the refusal's and `text` its message).
    virtual CommandResult cp_answer(int rc, std::string_view text) = 0;
    /// True if the command waits for SMSGs (they then go to smsg(), not the console).
    virtual bool wants_smsg() const noexcept = 0;
    /// An SMSG arrived for this guest.
    virtual CommandResult smsg(std::string_view from, std::string_view text) = 0;
    /// True if the command reads console lines.
    virtual bool wants_console() const noexcept = 0;
    /// A console line arrived (empty: a null line).
    virtual CommandResult console_line(std::string_view line) = 0;
    /// True if the command paused only so its output could be shown: call
    /// resume() once the result's lines are written.
    virtual bool is_ready() const noexcept = 0;
    /// Goes on after a pause for output.
    virtual CommandResult resume() = 0;
    /// HX: stop now; the result ends the command.
    virtual CommandResult halt() = 0;
};

} // namespace cpd::cms
