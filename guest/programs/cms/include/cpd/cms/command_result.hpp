// SPDX-License-Identifier: MIT
// CommandResult: what one CMS command did, as every caller of a command sees
// it (the console today; REXX's ADDRESS CMS and the pipeline's command stage
// later): the rc, the output lines, and the side effects the caller must
// carry out outside the guest. Plain data; no command logic.
#pragma once

#include <cstddef>
#include <cstdint>
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

/// PUNCH, PRINT, SENDFILE: a CMS file's records go to a spool device (the
/// glue streams them to cpd in chunks), then `close` ends the spool file.
struct SpoolSend {
    std::string path;              ///< the file on the host
    std::uint16_t vdev = 0x000D;   ///< punch 000D or printer 000E
    std::uint8_t format = 0;       ///< a cms::SpoolFormat (cpd/cms/spool_records.hpp)
    std::string fn, ft, fm;        ///< the CMS file id, upper case
    std::string close;             ///< the CP command that ends the file
    std::string done;              ///< the CMS message once CP closed it ("" for none)
    std::string text;              ///< NOTE: the file's content, when `path` is empty
    std::string to;                ///< SENDFILE in NETDATA: the receiver's userid
};

/// RECEIVE and PEEK: the glue reads a reader file (the first, or `spoolid`).
struct SpoolReceive {
    std::uint16_t spoolid = 0;     ///< 0: the first file in the reader
    std::string fn, ft;            ///< the new name ("" = the spool file's own)
    char letter = 'A';             ///< target disk
    std::string dir;               ///< its host directory
    bool replace = false;          ///< overwrite an existing file
    bool purge_only = false;       ///< PURGE: discard the file without receiving it
    bool peek = false;             ///< PEEK: show the first records on the console instead
    bool list = false;             ///< RDRLIST alone: list the reader, numbered
    std::size_t line = 0;          ///< RDRLIST n ...: act on the n-th file of the list (1-based)
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
    std::optional<SpoolSend> spool_send;   ///< PUNCH, PRINT, SENDFILE
    std::optional<SpoolReceive> spool_receive; ///< RECEIVE, PEEK
};

/// A result that is only a return code (MAKEBUF, SENTRIES, WAKEUP, EXECIO).
inline CommandResult rc_only(int rc) {
    CommandResult r;
    r.rc = rc;
    return r;
}

} // namespace cpd::cms
