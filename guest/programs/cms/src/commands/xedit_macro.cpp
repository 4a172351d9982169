// SPDX-License-Identifier: MIT
// XEDIT macros: the runner XEDIT calls (xedit/macro_hook.hpp) for PROFILE
// XEDIT and for an "fn XEDIT" file typed as a subcommand. The macro is a
// REXX program that starts in ADDRESS XEDIT: each command it gives there
// is one Editor::subcommand(), its rc is the REXX rc, EXTRACT sets the
// macro's variables (CURLINE.3, SIZE.1 ...) through the variable pool at
// that moment, and a word XEDIT does not know goes to CMS (IMPCMSCP). The
// other environments, SAY and PULL are an EXEC's (exec_hooks.hpp). This
// file is the glue between rexx/ and xedit/, which do not know each other.
#include "commands/command_table.hpp"
#include "commands/exec_hooks.hpp"
#include "xedit/macro_hook.hpp"

namespace cpd::cms {

namespace {

/// Macros and EXECs running inside each other, at most (as EXEC's limit).
constexpr int max_macro_depth = 50;
/// A subcommand a macro gives after its FILE or QUIT (not confirmed from IBM).
constexpr int rc_no_file_left = 3;

CommandResult run_macro(Session& s, const FileEntry& e, std::string_view args,
                        xedit::Editor& editor) {
    CommandResult result;
    std::string source;
    // Not REXX: DMSXMC639E, rc 28; unreadable: DMSXMC104S and the like.
    if (auto error = load_rexx_source(s, e, "XMC", source)) {
        return std::move(*error);
    }
    if (s.exec_depth >= max_macro_depth) {
        result.rc = 20011;
        result.lines.push_back("DMSREX451E Error 11 running " + e.fn +
                               " XEDIT: Control stack full");
        return result;
    }
    rexx::ProgramHooks hooks = exec_hooks(s, &result.lines);
    const auto other = hooks.command;
    const auto say = hooks.say;
    hooks.command = [&editor, other, say](std::string_view env, std::string_view cmd) {
        if (env != "XEDIT") {
            return other(env, cmd);
        }
        if (editor.is_done()) {
            // The macro filed or quit the file: XEDIT ends once the macro
            // returns, and has no file for the subcommands it gives meanwhile.
            return rc_no_file_left;
        }
        xedit::Reply r = editor.subcommand(cmd);
        if (r.cms_command) {
            return other("CMS", *r.cms_command); // IMPCMSCP, as at the console
        }
        for (const auto& [name, value] : r.variables) {
            rexx::set_variable(name, value);
        }
        for (const std::string& l : r.lines) {
            say(l);
        }
        return r.rc;
    };
    ++s.exec_depth;
    const rexx::ProgramResult r = rexx::run_program(e.fn, "XEDIT", source, args, "XEDIT", hooks);
    --s.exec_depth;
    result.rc = r.rc;
    return result;
}

/// The runner for one session; a named type so that install_xedit_macros
/// can tell it from a runner someone else set (a test's).
struct RexxMacroRunner {
    Session* s;
    CommandResult operator()(const FileEntry& e, std::string_view args,
                             xedit::Editor& editor) const {
        return run_macro(*s, e, args, editor);
    }
};

} // namespace

void install_xedit_macros(Session& s) {
    xedit::MacroRunner& runner = xedit::macro_runner();
    if (!runner || runner.target<RexxMacroRunner>() != nullptr) {
        runner = RexxMacroRunner{&s}; // the session XEDIT now runs in
    }
}

} // namespace cpd::cms
