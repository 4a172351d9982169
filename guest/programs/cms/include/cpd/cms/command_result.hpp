// SPDX-License-Identifier: MIT
// CommandResult: what one CMS command did, as every caller of a command sees
// it (the console today; REXX's ADDRESS CMS and the pipeline's command stage
// later): the rc, the output lines, and the side effects the caller must
// carry out outside the guest. Plain data; no command logic.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cpd::cms {

class ModalSession;
class RunningCommand;

/// An SMSG the caller must send for a command.
struct OutboundSmsg {
    std::string to;   ///< upper-case target userid
    std::string text; ///< message text
};

/// What a console command did.
struct CommandResult {
    int rc = 0;                            ///< CMS return code
    std::vector<std::string> lines;        ///< console output, in order
    std::optional<OutboundSmsg> smsg;      ///< SMSG: send this
    std::optional<std::string> cp_command; ///< CP, TELL (MSG), QUERY of a CP item: pass to CP
    bool logoff = false;                   ///< LOGOFF: log the guest off
    /// XEDIT: the console's next lines go to this session until it is over.
    std::shared_ptr<ModalSession> modal;
    /// Set while the command goes on (running_command.hpp): the caller
    /// delivers its events to it; a result without it ends the command.
    std::shared_ptr<RunningCommand> running;
    /// cp_command is IMPCP (an unknown word at the console with no EXEC):
    /// if CP does not know it either, the answer is "Unknown CP/CMS command", RC -3.
    bool implicit_cp = false;
};

/// A result that is only a return code (MAKEBUF, SENTRIES, WAKEUP, EXECIO).
inline CommandResult rc_only(int rc) {
    CommandResult r;
    r.rc = rc;
    return r;
}

} // namespace cpd::cms
