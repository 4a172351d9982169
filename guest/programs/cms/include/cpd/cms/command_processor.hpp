// SPDX-License-Identifier: MIT
// CommandProcessor: runs one CMS console line at a time against a Session
// and says what happened: the return code, the output lines, and what the
// caller must do outside (send an SMSG, pass a command to CP, log off).
// Synchronous; its only I/O is the host directories of the minidisks.
#pragma once

#include "cpd/cms/command_result.hpp"
#include "cpd/cms/modal_session.hpp"
#include "cpd/cms/session.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cpd::cms {

/// The CMS command environment of one guest.
class CommandProcessor {
  public:
    /// A processor for `userid` whose directory lists `disks` (nothing accessed yet).
    explicit CommandProcessor(std::string userid, std::vector<DiskConfig> disks = {});

    /// IPL: accesses each configured disk at its letter, loads LASTING GLOBALV;
    /// returns the console lines to show (R/O notes, problems).
    std::vector<std::string> ipl();
    /// Runs one console line; while a modal session (XEDIT) is open, the
    /// line goes to it instead.
    CommandResult execute(std::string_view line);
    /// Who reads the next console line: CMS (command) or an open XEDIT.
    proto::ConsoleMode console_mode() const noexcept;
    /// After IPL: runs PROFILE EXEC if an accessed disk has one (its output
    /// goes to the host as it runs); an empty result if there is none.
    CommandResult run_profile();
    /// The top line of the program stack, taken off it: CMS reads its next
    /// command from the stack before the console, so lines an EXEC leaves
    /// there run as commands. nullopt when the stack is empty.
    std::optional<std::string> take_stacked_line();
    /// The services running programs use outside the guest (the glue's);
    /// nullptr: none (EXEC output is then collected in its result).
    void set_host(CommandHost* host) noexcept { session_.host = host; }
    /// An SMSG arrived: sets LMSG, LMSGSRC, LMSGTXT in group LASTING (saved to
    /// disk if that changed them) and returns the console line "* MSG FROM <from> -- <text>".
    std::string receive_smsg(std::string_view from, std::string_view text);
    /// A CP MSG arrived (CP shows it on the console): sets LMSG, LMSGSRC and
    /// LMSGTXT as receive_smsg does.
    void receive_msg(std::string_view from, std::string_view text);
    /// CP linked (attached) or detached a minidisk after IPL: ACCESS can now
    /// use it, or no longer; a detached disk that was accessed is released.
    void device_change(std::uint16_t vdev, bool attached, bool write, std::string_view path);
    /// Logoff: saves LASTING GLOBALV; returns messages if it could not.
    std::vector<std::string> logoff();

    /// The session state (for the glue and for tests).
    Session& session() noexcept { return session_; }

  private:
    Session session_;
    std::shared_ptr<ModalSession> modal_; ///< XEDIT while it holds the console

};

} // namespace cpd::cms
