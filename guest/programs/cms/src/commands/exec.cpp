// SPDX-License-Identifier: MIT
// EXEC, the implicit EXEC search for unknown command words, and what a
// running EXEC's commands do. An EXEC is a REXX program run by the engine in
// rexx/; this file gives it its hooks: ADDRESS CMS (the command table, then
// an EXEC of that name, then CP: IMPCP), ADDRESS COMMAND (the table only),
// ADDRESS CP (CP), SAY and command output through the CommandHost in order,
// PULL from the console, and the CMS built-in functions.
//
// RCs (cms-programming.md §1.4): exit n is n; a normal end or a bare exit
// is 0; a REXX error n is 20000 + n with CMS's DMSREX message; a result
// that is not a whole number is 20026; EXEC with no such file is -3 (z/VM;
// patch-cms answers 3 or 28).
#include "commands/command_table.hpp"
#include "commands/exec_hooks.hpp"
#include "messages/messages.hpp"
#include "rexx/program_stack.hpp"
#include "rexx/rexx_engine.hpp"

#include "cpd/cms/filespec.hpp"
#include "cpd/cms/modal_session.hpp"
#include "cpd/cms/running_command.hpp"

#include <cstdio>

namespace cpd::cms {

namespace {

/// EXECs running inside each other, at most; a deeper call is REXX error 11.
constexpr int max_exec_depth = 50;

// CP's response text as lines.
std::vector<std::string> split_lines(const std::vector<std::string>& parts) {
    std::vector<std::string> out;
    for (const std::string& p : parts) {
        std::string_view text = p;
        while (!text.empty()) {
            const auto eol = text.find('\n');
            out.emplace_back(text.substr(0, eol));
            text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
        }
    }
    return out;
}

/// Where a running EXEC's lines go: the host, or (no host: unit tests) the
/// result the outermost EXEC returns.
struct Output {
    Session& s;
    std::vector<std::string>* collected;

    void line(std::string_view text) const {
        if (s.host != nullptr) {
            s.host->write_line(text);
        } else if (collected != nullptr) {
            collected->emplace_back(text);
        }
    }
};

// Issues a CP command for a running EXEC and shows CP's answer; CP's rc.
int cp_for_exec(Session& s, const Output& out, std::string_view command) {
    if (s.host == nullptr) {
        out.line(dms("CPX", 26, 'E', "CP command not sent: no CP in this session"));
        return -3;
    }
    CpAnswer a = s.host->cp_command(command);
    for (const std::string& l : split_lines(a.lines)) {
        out.line(l);
    }
    return a.rc;
}

// Drives a command that goes on (a PIPE with cp, command, starmsg or console
// stages) from inside an EXEC until it ends: the EXEC waits, as in CMS,
// while CP answers, an SMSG or a console line comes, or HX stops it. Each
// step's lines are shown in order; the last result (without `running`)
// ends the command.
CommandResult drive(Session& s, const Output& out, CommandResult r) {
    while (r.running) {
        for (const std::string& l : r.lines) {
            out.line(l);
        }
        r.lines.clear();
        const std::shared_ptr<RunningCommand> cmd = std::move(r.running);
        if (s.host == nullptr || s.host->halt_requested()) {
            r = cmd->halt(); // nobody can answer it (unit tests), or HX
        } else if (r.cp_command) {
            const CpAnswer a = s.host->cp_command(*r.cp_command);
            std::string text;
            for (std::size_t i = 0; i < a.lines.size(); ++i) {
                text += i == 0 ? "" : "\n";
                text += a.lines[i];
            }
            r = cmd->cp_answer(a.rc, text);
        } else if (cmd->is_ready()) {
            r = cmd->resume();
        } else if (cmd->wants_console()) {
            const std::optional<std::string> line =
                s.host->read_console_line(proto::ConsoleMode::vm_read);
            r = line ? cmd->console_line(*line) : cmd->halt();
        } else if (cmd->wants_smsg()) {
            const HostEvent e = s.host->wait_for_event(host_smsg, std::nullopt);
            r = e.kind == HostEvent::Kind::smsg ? cmd->smsg(e.from, e.text) : cmd->halt();
        } else {
            r = cmd->halt(); // waits for nothing an EXEC can give it
        }
    }
    return r;
}

int perform(Session& s, const Output& out, CommandResult r);

// A program that holds the console (XEDIT) started from an EXEC: as in CMS
// it reads its lines from the program stack first, then from the console (a
// VM READ shown in the program's own mode, so a terminal prompts "XEDIT>"),
// until it ends; its rc is then the command's (0 after FILE, n after QUIT
// n). HX or logoff, or no console and an empty stack (unit tests), leave it
// as QQUIT would, with the last line's rc.
int hold_console(Session& s, const Output& out, ModalSession& modal) {
    int rc = 0;
    while (!modal.is_over()) {
        std::optional<std::string> line;
        if (s.host != nullptr && s.host->halt_requested()) {
            break;
        }
        if (rexx::stack_lines() > 0) {
            line = rexx::stack_pull();
        } else if (s.host != nullptr) {
            line = s.host->read_console_line(modal.mode());
        }
        if (!line) {
            break;
        }
        rc = perform(s, out, modal.on_line(*line));
    }
    return rc;
}

// Carries out a command's result inside a running EXEC: its lines now, then
// its side effect, waiting for CP where there is one; the rc.
int perform(Session& s, const Output& out, CommandResult r) {
    const std::shared_ptr<ModalSession> modal = std::move(r.modal);
    r = drive(s, out, std::move(r));
    for (const std::string& l : r.lines) {
        out.line(l);
    }
    if (modal && !modal->is_over()) {
        return hold_console(s, out, *modal);
    }
    if (r.smsg) {
        return cp_for_exec(s, out, "SMSG " + r.smsg->to + " " + r.smsg->text);
    }
    if (r.cp_command) {
        return cp_for_exec(s, out, *r.cp_command);
    }
    if (r.logoff && s.host != nullptr) {
        s.host->request_logoff();
    }
    return r.rc;
}

CommandResult run_exec(Session& s, const FileEntry& e, std::string_view args);

// IMPEX: the EXEC the line's first word names, if an accessed disk has it.
std::optional<CommandResult> run_implicit_exec(Session& s, const CommandLine& cl) {
    const std::string word = to_upper(cl.words()[0]);
    FileEntry e;
    if (!is_valid_name(word) || s.fs.find(word, "EXEC", '*', e) != FsStatus::ok) {
        return std::nullopt;
    }
    return run_exec(s, e, cl.rest_from(1));
}

// A command line from a running EXEC. `as_typed` (ADDRESS CMS): an unknown
// word runs the EXEC of that name, else goes to CP (IMPCP); without it
// (ADDRESS COMMAND) an unknown word is -3.
int exec_command(Session& s, const Output& out, std::string_view line, bool as_typed) {
    const CommandLine cl(line);
    if (cl.words().empty()) {
        return 0;
    }
    if (as_typed) { // as at the console: an EXEC of that name comes first
        if (std::optional<CommandResult> r = run_implicit_exec(s, cl)) {
            return perform(s, out, std::move(*r));
        }
    }
    if (find_command(cl.words()[0]) != nullptr) {
        return perform(s, out, dispatch(s, cl));
    }
    if (!as_typed) {
        return rc_unknown_command;
    }
    if (s.host == nullptr) {
        return rc_unknown_command;
    }
    const CpAnswer a = s.host->cp_command(line);
    if (a.rc == 1) { // CP does not know it either
        return rc_unknown_command;
    }
    for (const std::string& l : split_lines(a.lines)) {
        out.line(l);
    }
    return a.rc;
}

// CMSFLAG(flag): the CMS settings this CMS has, as 1 or 0.
std::optional<std::string> cmsflag(const std::vector<std::string>& args) {
    if (args.size() != 1) {
        return std::nullopt;
    }
    const std::string f = to_upper(args[0]);
    static constexpr std::string_view on[] = {"IMPCP", "IMPEX", "PROTECT", "ABBREV"};
    static constexpr std::string_view off[] = {"AUTOREAD", "CMSTYPE", "DOS", "EXECTRAC",
                                               "RELPAGE", "SUBSET"};
    for (std::string_view n : on) {
        if (f == n) {
            return "1";
        }
    }
    for (std::string_view n : off) {
        if (f == n) {
            return f == "CMSTYPE" ? "1" : "0"; // CMSTYPE is RT (typing on)
        }
    }
    return std::nullopt;
}

// The CMS built-in functions: USERID(), DIAG(8,cmd), DIAGRC(8,cmd),
// CMSFLAG(flag), LINESIZE(). nullopt is a wrong call (REXX error 40).
std::optional<std::string> cms_function(Session& s, std::string_view name,
                                        const std::vector<std::string>& args) {
    if (name == "USERID" && args.empty()) {
        return s.userid;
    }
    if (name == "LINESIZE" && args.empty()) {
        return "130";
    }
    if (name == "CMSFLAG") {
        return cmsflag(args);
    }
    if ((name == "DIAG" || name == "DIAGRC") && args.size() == 2 && (args[0] == "8" || args[0] == "08")) {
        if (s.host == nullptr) {
            return std::nullopt;
        }
        const CpAnswer a = s.host->cp_command(args[1]);
        std::string text;
        for (const std::string& l : split_lines(a.lines)) {
            text += l;
            text += '\n'; // CMS ends each response line with X'15'; '\n' here
        }
        if (name == "DIAG") {
            return text;
        }
        char head[17];
        std::snprintf(head, sizeof head, "%9d       ", a.rc); // rc in the first 16 bytes
        return std::string(head, 16) + text;
    }
    return std::nullopt;
}

// The SIGPROF check of a computing EXEC (async-signal-safe).
bool take_hx(void* host) noexcept {
    return static_cast<CommandHost*>(host)->take_hx_async();
}

// Reads an EXEC's source; an error result if it cannot be read or is not REXX.
std::optional<CommandResult> load_exec(Session& s, const FileEntry& e, std::string& source,
                                       std::string_view module = "EXE") {
    std::vector<std::string> lines;
    const std::string fileid = e.fn + " " + e.ft + " " + std::string(1, e.letter);
    if (const FsStatus st = s.fs.read_lines(e, lines); st != FsStatus::ok) {
        return fail(rc_file_error, fs_message(module, st, fileid, e.letter, s.fs.last_error()));
    }
    if (lines.empty() || !lines[0].starts_with("/*")) {
        // CMS would run it as CMS EXEC or EXEC 2; only REXX exists here.
        return fail(rc_file_error, dms(module, 639, 'E',
                                       "Error in " + e.fn + " " + e.ft +
                                           ": only REXX programs (first "
                                           "line a /* comment */) can run"));
    }
    for (const std::string& l : lines) {
        source += l;
        source += '\n';
    }
    return std::nullopt;
}

// The hooks of a running EXEC: everything it does outside Regina.
rexx::ProgramHooks hooks_for(Session& s, const Output& out) {
    rexx::ProgramHooks hooks;
    hooks.say = [out](std::string_view line) { out.line(line); };
    hooks.command = [&s, out](std::string_view env, std::string_view cmd) {
        if (env == "CP") {
            return cp_for_exec(s, out, cmd);
        }
        if (env == "CMS" || env == "COMMAND") {
            return exec_command(s, out, cmd, env == "CMS");
        }
        return rc_unknown_command;
    };
    hooks.read_line = [&s]() -> std::optional<std::string> {
        return s.host != nullptr ? s.host->read_console_line(proto::ConsoleMode::vm_read)
                                 : std::nullopt;
    };
    hooks.function = [&s](std::string_view name, const std::vector<std::string>& a) {
        return cms_function(s, name, a);
    };
    // CALL name / name(): the EXEC of that name, as a function (CMS's search
    // for external routines).
    hooks.external = [&s, out](std::string_view name, const std::vector<std::string>& a,
                               bool& found) -> std::optional<std::string> {
        FileEntry e;
        found = is_valid_name(name) && s.fs.find(name, "EXEC", '*', e) == FsStatus::ok;
        std::string source;
        if (!found) {
            return std::nullopt;
        }
        if (auto error = load_exec(s, e, source)) {
            for (const std::string& l : error->lines) {
                out.line(l);
            }
            return std::nullopt;
        }
        if (s.exec_depth >= max_exec_depth) {
            out.line("DMSREX451E Error 11 running " + e.fn + " EXEC: Control stack full");
            return std::nullopt;
        }
        rexx::ProgramHooks inner = hooks_for(s, out);
        ++s.exec_depth;
        rexx::ProgramResult r = rexx::run_function(e.fn, "EXEC", source, a, "CMS", inner);
        --s.exec_depth;
        return r.result;
    };
    hooks.halt_requested = [&s] { return s.host != nullptr && s.host->halt_requested(); };
    if (s.host != nullptr) {
        hooks.attention = take_hx;
        hooks.attention_context = s.host;
    }
    return hooks;
}

} // namespace

rexx::ProgramHooks exec_hooks(Session& s, std::vector<std::string>* collected) {
    return hooks_for(s, Output{s, collected});
}

std::optional<CommandResult> load_rexx_source(Session& s, const FileEntry& e,
                                              std::string_view module, std::string& source) {
    return load_exec(s, e, source, module);
}

namespace {

CommandResult run_exec(Session& s, const FileEntry& e, std::string_view args) {
    CommandResult result;
    const Output out{s, &result.lines};
    std::string source;
    if (auto error = load_exec(s, e, source)) {
        return std::move(*error);
    }
    if (s.exec_depth >= max_exec_depth) {
        out.line("DMSREX451E Error 11 running " + e.fn + " EXEC: Control stack full");
        result.rc = 20011;
        return result;
    }
    rexx::ProgramHooks hooks = hooks_for(s, out);
    ++s.exec_depth;
    const rexx::ProgramResult r = rexx::run_program(e.fn, "EXEC", source, args, "CMS", hooks);
    --s.exec_depth;
    result.rc = r.rc;
    return result;
}

} // namespace

// EXEC name [args]: RC 24 without a name, 28 for a bad name or no disks,
// -3 if there is no such EXEC (as a command that is not found), else the
// EXEC's own rc.
CommandResult cmd_exec(Session& s, const CommandLine& cl) {
    const auto args = cl.args();
    if (args.empty()) {
        return fail(rc_bad_operand, dms("EXE", 24, 'E', "Invalid command: EXEC requires a name"));
    }
    const std::string name = to_upper(args[0]);
    if (!is_valid_name(name)) {
        return fail(rc_file_error, dms("EXE", 62, 'E', "Invalid EXEC name " + name));
    }
    if (s.fs.disks().empty()) {
        return fail(rc_file_error, fs_message("EXE", FsStatus::not_accessed, "", '*'));
    }
    FileEntry e;
    if (s.fs.find(name, "EXEC", '*', e) != FsStatus::ok) {
        return fail(rc_unknown_command, dms("EXE", 1, 'E', "EXEC " + name + " not found"));
    }
    return run_exec(s, e, cl.rest_from(2));
}

// An unknown command word at the console: the EXEC of that name, else CP
// (IMPCP: the glue says "Unknown CP/CMS command", RC -3, if CP does not
// know it either).
CommandResult cmd_implicit(Session& s, const CommandLine& cl) {
    if (std::optional<CommandResult> r = run_implicit_exec(s, cl)) {
        return std::move(*r);
    }
    if (s.host == nullptr) {
        return fail(rc_unknown_command, "Unknown CP/CMS command");
    }
    CommandResult r;
    r.cp_command = std::string(cl.rest_from(0));
    r.implicit_cp = true;
    return r;
}

std::optional<CommandResult> exec_before_command(Session& s, const CommandLine& cl) {
    return run_implicit_exec(s, cl);
}

/// PROFILE EXEC at IPL: the first on the accessed disks in search order, if any.
CommandResult run_profile(Session& s) {
    FileEntry e;
    if (s.fs.find("PROFILE", "EXEC", '*', e) != FsStatus::ok) {
        return {};
    }
    return run_exec(s, e, "");
}

} // namespace cpd::cms
