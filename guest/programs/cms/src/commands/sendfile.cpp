// SPDX-License-Identifier: MIT
// SENDFILE (SF) fn ft fm [TO] userid [( CLASS c]: sends a CMS file to a
// user's reader through the punch, as z/VM's SENDFILE does, in NETDATA
// (cpd/proto/netdata.hpp; OLD: cpd's own earlier format), which keeps the
// file's name, type, lines and, for a binary file, every byte. On success CMS says "File fn ft
// fm sent to userid at CPD on mm/dd/yy hh:mm:ss" after CP's PUN FILE line.
// RCs: 24 bad operands, 28 file not found.
#include "commands/command_table.hpp"
#include "messages/messages.hpp"
#include "cpd/cms/spool_records.hpp"

#include "cpd/cms/filespec.hpp"
#include "cpd/proto/userid.hpp"

#include <ctime>

namespace cpd::cms {

void split_options(const std::vector<std::string>& args, std::vector<std::string>& file,
                   std::vector<std::string>& options);
std::optional<CommandResult> find_spool_source(Session& s, const std::vector<std::string>& words,
                                               std::string_view mod, FileEntry& e);

CommandResult cmd_sendfile(Session& s, const CommandLine& cl) {
    std::vector<std::string> words, options;
    split_options(cl.args(), words, options);
    std::erase_if(words, [](const std::string& w) { return to_upper(w) == "TO"; });
    if (words.size() < 3) {
        return fail(rc_bad_operand, dms("SND", 54, 'E', "Incomplete fileid or userid specified"));
    }
    const std::string target = words.back();
    words.pop_back();
    const auto id = proto::Userid::parse(target);
    if (!id) {
        return fail(rc_bad_operand,
                    dms("SND", 20, 'E', "Userid " + to_upper(target) + " is invalid"));
    }
    std::string cls;
    bool old_format = false; // OLD: cpd's own format of earlier versions; NEW (default): NETDATA
    for (std::size_t i = 0; i < options.size(); ++i) {
        if (options[i] == "CLASS" && i + 1 < options.size() && options[i + 1].size() == 1) {
            cls = options[++i];
        } else if (options[i] == "OLD" || options[i] == "NEW") {
            old_format = options[i] == "OLD";
        } else if (options[i] != "NOACK" && options[i] != "ACK" && options[i] != "NOLOG" &&
                   options[i] != "NOTYPE" && options[i] != "TYPE") {
            return fail(rc_bad_operand, dms("SND", 3, 'E', "Invalid option: " + options[i]));
        }
    }
    FileEntry e;
    if (auto bad = find_spool_source(s, words, "SND", e)) {
        return *bad;
    }
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    localtime_r(&now, &tm);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%m/%d/%y %H:%M:%S", &tm);
    CommandResult r;
    SpoolSend job;
    job.path = e.path.string();
    job.vdev = 0x000D;
    job.format = static_cast<std::uint8_t>(old_format ? SpoolFormat::sendfile : SpoolFormat::netdata);
    job.to = std::string(id->str());
    job.fn = e.fn;
    job.ft = e.ft;
    job.fm = std::string(1, e.letter);
    job.close = "CLOSE 000D TO " + std::string(id->str()) + " RDR NAME " + e.fn + " " + e.ft;
    job.done = "File " + e.fn + " " + e.ft + " " + job.fm + " sent to " + std::string(id->str()) +
               " at CPD on " + stamp;
    if (!cls.empty()) {
        r.cp_command = "SPOOL 000D CLASS " + cls; // the glue runs it before the data
    }
    r.spool_send = std::move(job);
    return r;
}

// NOTE userid text: a short note to a user's reader, as the file
// "<sender> NOTE" (line mode: the text on the command line is the note).
CommandResult cmd_note(Session& s, const CommandLine& cl) {
    const auto args = cl.args();
    if (args.size() < 2) {
        return fail(rc_bad_operand, dms("NOT", 54, 'E', "Use NOTE userid text"));
    }
    const auto id = proto::Userid::parse(args[0]);
    if (!id) {
        return fail(rc_bad_operand,
                    dms("NOT", 20, 'E', "Userid " + to_upper(args[0]) + " is invalid"));
    }
    const std::string me = s.userid;
    CommandResult r;
    SpoolSend job;
    job.vdev = 0x000D;
    job.format = static_cast<std::uint8_t>(SpoolFormat::sendfile);
    job.fn = me;
    job.ft = "NOTE";
    job.fm = "A";
    job.text = "Date: " + std::to_string(std::time(nullptr)) + "\nFrom: " + me +
               "\nTo: " + std::string(id->str()) + "\n\n" + std::string(cl.rest_from(2)) + "\n";
    job.close = "CLOSE 000D TO " + std::string(id->str()) + " RDR NAME " + me + " NOTE";
    job.done = "Note " + me + " NOTE A sent to " + std::string(id->str());
    r.spool_send = std::move(job);
    return r;
}

} // namespace cpd::cms
