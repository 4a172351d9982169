// SPDX-License-Identifier: MIT
// RECEIVE and PEEK: a reader file to a CMS file, or its first records to the
// console. RECEIVE [spoolid|*] [fn [ft [fm]]] [( REPLACE | PURGE]: the file
// keeps the name SENDFILE or a :READ card gave it unless a new one is given;
// an existing file is kept (DMSRCV169S, rc 28) unless REPLACE; PURGE discards
// the reader file without receiving it. The reader file is purged once
// received. RCs: 24 bad operands, 28 no such file / file exists.
#include "commands/command_table.hpp"
#include "messages/messages.hpp"

#include "cpd/cms/filespec.hpp"

#include <charconv>

namespace cpd::cms {

void split_options(const std::vector<std::string>& args, std::vector<std::string>& file,
                   std::vector<std::string>& options);

namespace {

bool spoolid_of(const std::string& w, std::uint16_t& id) {
    auto [p, ec] = std::from_chars(w.data(), w.data() + w.size(), id);
    return ec == std::errc{} && p == w.data() + w.size() && id >= 1 && id <= 9999;
}

} // namespace

CommandResult cmd_receive(Session& s, const CommandLine& cl) {
    std::vector<std::string> words, options;
    split_options(cl.args(), words, options);
    SpoolReceive job;
    std::size_t i = 0;
    if (i < words.size() && (words[i] == "*" || spoolid_of(words[i], job.spoolid))) {
        ++i;
    }
    if (words.size() - i > 3) {
        return fail(rc_bad_operand, dms("RCV", 54, 'E', "Invalid fileid " + words.back()));
    }
    job.fn = i < words.size() ? to_upper(words[i]) : "";
    job.ft = i + 1 < words.size() ? to_upper(words[i + 1]) : "";
    const std::string fm = i + 2 < words.size() ? to_upper(words[i + 2]) : "A";
    if ((!job.fn.empty() && job.fn != "=" && !is_valid_name(job.fn)) ||
        (!job.ft.empty() && job.ft != "=" && !is_valid_name(job.ft))) {
        return fail(rc_bad_operand, dms("RCV", 54, 'E', "Invalid fileid " + job.fn + " " + job.ft));
    }
    for (const std::string& o : options) {
        if (o == "REPLACE" || o == "REP") {
            job.replace = true;
        } else if (o == "PURGE") {
            job.purge_only = true;
        } else if (o != "NOLOG" && o != "LOG" && o != "OLDDATE" && o != "NEWDATE") {
            return fail(rc_bad_operand, dms("RCV", 3, 'E', "Invalid option: " + o));
        }
    }
    job.letter = fm.empty() ? 'A' : fm[0];
    bool found = false;
    for (const Disk& d : s.fs.disks()) {
        if (d.letter == job.letter) {
            if (d.read_only && !job.purge_only) {
                return fail(
                    36, dms("RCV", 37, 'E',
                            std::string("Filemode ") + job.letter + " is accessed as read-only"));
            }
            job.dir = d.dir.string();
            found = true;
        }
    }
    if (!found && !job.purge_only) {
        return fail(36, dms("RCV", 69, 'E', std::string("Disk ") + job.letter + " not accessed"));
    }
    CommandResult r;
    r.spool_receive = std::move(job);
    return r;
}

// RDRLIST (RL): the reader, one numbered line per file; RDRLIST n|spoolid
// RECEIVE|PEEK|DISCARD [fn ft] acts on one of them (line mode of the
// full-screen RDRLIST: n is the line number of the last list).
CommandResult cmd_rdrlist(Session& s, const CommandLine& cl) {
    const auto args = cl.args();
    CommandResult r;
    SpoolReceive job;
    if (args.empty()) {
        job.list = true;
        r.spool_receive = std::move(job);
        return r;
    }
    std::uint16_t n = 0;
    if (args.size() < 2 || !spoolid_of(args[0], n)) {
        return fail(rc_bad_operand,
                    dms("RDL", 54, 'E', "Use RDRLIST, or RDRLIST n RECEIVE|PEEK|DISCARD"));
    }
    const std::string action = to_upper(args[1]);
    if (action == "RECEIVE" || action == "RECEIV" || action == "REC") {
        std::string rest = "RECEIVE";
        for (std::size_t i = 2; i < args.size(); ++i) {
            rest += " " + args[i];
        }
        r = cmd_receive(s, CommandLine(rest));
    } else if (action == "PEEK" || action == "PE") {
        r.spool_receive = SpoolReceive{};
        r.spool_receive->peek = true;
    } else if (action == "DISCARD" || action == "DI") {
        r.spool_receive = SpoolReceive{};
        r.spool_receive->purge_only = true;
    } else {
        return fail(rc_bad_operand, dms("RDL", 3, 'E', "Invalid option: " + action));
    }
    if (r.spool_receive) {
        r.spool_receive->line = n;
    }
    return r;
}

// PEEK [spoolid]: the first records of a reader file, without receiving it.
CommandResult cmd_peek(Session&, const CommandLine& cl) {
    const auto args = cl.args();
    SpoolReceive job;
    job.peek = true;
    if (!args.empty() && args[0] != "*" && !spoolid_of(args[0], job.spoolid)) {
        return fail(rc_bad_operand, dms("PEE", 70, 'E', "Invalid spoolid " + args[0]));
    }
    CommandResult r;
    r.spool_receive = std::move(job);
    return r;
}

} // namespace cpd::cms
