// SPDX-License-Identifier: MIT
// The CMS command processor: IPL (access the directory's minidisks, load
// LASTING GLOBALV), one console line at a time through the command table,
// inbound SMSGs into GLOBALV, and the save at logoff.
#include "cpd/cms/command_processor.hpp"

#include "commands/command_table.hpp"
#include "messages/messages.hpp"
#include "rexx/program_stack.hpp"

#include "cpd/cms/filespec.hpp"

namespace cpd::cms {

CommandProcessor::CommandProcessor(std::string userid, std::vector<DiskConfig> disks) {
    session_.userid = to_upper(userid);
    session_.configured = std::move(disks);
}

// Accesses each configured disk at its letter, then loads LASTING GLOBALV.
std::vector<std::string> CommandProcessor::ipl() {
    std::vector<std::string> lines;
    for (const DiskConfig& c : session_.configured) {
        std::string detail;
        Disk d{c.letter, c.read_only, c.vdev, c.path};
        if (session_.fs.access(d, &detail) != FsStatus::ok) {
            lines.push_back(dms("ACC", 112, 'S',
                                "Disk " + c.vdev + " (" + std::string(1, c.letter) +
                                    ") cannot be accessed: " + detail));
        } else if (session_.fs.disk(c.letter)->read_only) { // linked R/O or not writable
            lines.push_back(
                dms("ACP", 723, 'I', std::string(1, c.letter) + " (" + c.vdev + ") R/O"));
        }
    }
    for (std::string& m : session_.load_lasting()) {
        lines.push_back(std::move(m));
    }
    return lines;
}

void CommandProcessor::device_change(std::uint16_t vdev, bool attached, bool write,
                                     std::string_view path) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string text;
    for (int shift = 12; shift >= 0; shift -= 4) {
        text += hex[(vdev >> shift) & 0xF];
    }
    const std::string id = canonical_vdev(text);
    std::erase_if(session_.configured, [&](const DiskConfig& c) { return c.vdev == id; });
    for (const Disk& d : session_.fs.disks()) {
        if (d.vdev == id) {
            session_.fs.release(d.letter);
            break;
        }
    }
    if (attached) {
        // Not accessed until the user says ACCESS vdev fm, as in CMS.
        session_.configured.push_back(DiskConfig{'A', !write, id, std::string(path)});
    }
}

CommandResult CommandProcessor::execute(std::string_view line) {
    // Modal hook (XEDIT): an open session takes every line, a null one too,
    // until it is over. The REXX "command reads console lines" mechanism can
    // take over this job later without changing the session.
    if (modal_) {
        CommandResult r = modal_->on_line(line);
        if (modal_->is_over()) {
            modal_.reset();
        }
        return r;
    }
    const CommandLine cl(line);
    if (cl.words().empty()) {
        return {};
    }
    if (std::optional<CommandResult> r = exec_before_command(session_, cl)) {
        return std::move(*r); // an EXEC comes before a command of its name
    }
    CommandResult r = dispatch(session_, cl);
    if (r.modal && !r.modal->is_over()) {
        modal_ = r.modal;
    }
    return r;
}

proto::ConsoleMode CommandProcessor::console_mode() const noexcept {
    return modal_ ? modal_->mode() : proto::ConsoleMode::command;
}

CommandResult CommandProcessor::run_profile() {
    return cms::run_profile(session_);
}

std::optional<std::string> CommandProcessor::take_stacked_line() {
    return rexx::stack_lines() == 0 ? std::nullopt : rexx::stack_pull();
}

std::string CommandProcessor::receive_smsg(std::string_view from, std::string_view text) {
    receive_msg(from, text);
    return "* MSG FROM " + to_upper(from) + " -- " + printable(text);
}

void CommandProcessor::receive_msg(std::string_view from, std::string_view text) {
    const std::string sender = to_upper(from);
    const std::string body = printable(text); // CP forbids controls; be safe on disk
    const std::string msg = "MSG FROM " + sender + " -- " + body;
    const auto group = GlobalvStore::lasting_group;
    session_.globalv.set(group, "LMSG", msg);
    session_.globalv.set(group, "LMSGSRC", sender);
    session_.globalv.set(group, "LMSGTXT", body);
    // Written only if that changed them (a repeated message does not); best
    // effort: a diskless guest keeps them in memory.
    session_.save_lasting();
}

std::vector<std::string> CommandProcessor::logoff() {
    const FsStatus s = session_.save_lasting();
    if (s == FsStatus::ok || s == FsStatus::not_accessed) {
        return {};
    }
    return {fs_message("GLB", s, "LASTING GLOBALV A", 'A', session_.fs.last_error())};
}

} // namespace cpd::cms
