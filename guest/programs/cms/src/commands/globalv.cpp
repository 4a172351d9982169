// SPDX-License-Identifier: MIT
// GLOBALV: SELECT (sticky, and may prefix another subcommand as in CMS),
// SET/SETP (session), SETL/SETLP (lasting: saved in LASTING GLOBALV A),
// GET, LIST, DELETE, PURGE (§7.3). Subcommands are spelled in full. The
// lasting file is rewritten once after a subcommand that changed a lasting
// variable, and not at all after one that did not (GET, LIST, a SET to the
// value already there). From a running EXEC, as in CMS, GET sets the EXEC's
// REXX variables of those names (a missing one to the null string) instead
// of typing the values, and PUT/PUTL/PUTP (PUTS) take the values from them.
#include "commands/command_table.hpp"
#include "messages/messages.hpp"
#include "rexx/rexx_engine.hpp"

#include "cpd/cms/filespec.hpp"

namespace cpd::cms {

namespace {

using Args = std::vector<std::string>;

CommandResult bad(std::string text) {
    return fail(rc_bad_operand, dms("GLB", 24, 'E', "Invalid command: " + text));
}

// Joins args[from...] with single blanks.
std::string join(const Args& a, std::size_t from) {
    std::string out;
    for (std::size_t i = from; i < a.size(); ++i) {
        out += (i == from ? "" : " ") + a[i];
    }
    return out;
}

CommandResult set_var(Session& s, const Args& a, bool lasting) {
    if (a.size() < 2) {
        return bad("GLOBALV " + to_upper(a[0]) + " requires a variable name");
    }
    const std::string& g = s.globalv.selected();
    if (a.size() == 2) { // no value: the variable becomes null, i.e. it goes away
        s.globalv.erase(g, a[1]);
    } else {
        s.globalv.set(g, a[1], join(a, 2), lasting);
    }
    return {};
}

CommandResult get_vars(Session& s, const Args& a) {
    if (a.size() < 2) {
        return bad("GLOBALV GET requires a variable name");
    }
    CommandResult r;
    if (rexx::program_active()) { // the calling EXEC's variables
        for (std::size_t i = 1; i < a.size(); ++i) {
            auto v = s.globalv.get(s.globalv.selected(), a[i]);
            rexx::set_variable(to_upper(a[i]), v ? *v : std::string());
        }
        return r;
    }
    for (std::size_t i = 1; i < a.size(); ++i) {
        auto v = s.globalv.get(s.globalv.selected(), a[i]);
        if (!v) {
            r.rc = 4;
            break;
        }
        r.lines.push_back(std::move(*v));
    }
    return r;
}

// PUT n...: from the calling EXEC's variables (an unset one is null: the
// GLOBALV variable goes away, as SET with no value does).
CommandResult put_vars(Session& s, const Args& a, bool lasting) {
    if (a.size() < 2) {
        return bad("GLOBALV " + to_upper(a[0]) + " requires a variable name");
    }
    if (!rexx::program_active()) {
        return bad("GLOBALV " + to_upper(a[0]) + " can only be used from an EXEC");
    }
    const std::string& g = s.globalv.selected();
    for (std::size_t i = 1; i < a.size(); ++i) {
        const std::optional<std::string> v = rexx::get_variable(to_upper(a[i]));
        if (!v || v->empty()) {
            s.globalv.erase(g, a[i]);
        } else {
            s.globalv.set(g, a[i], *v, lasting);
        }
    }
    return {};
}

CommandResult list_vars(Session& s, const Args& a) {
    if (a.size() > 2) {
        return bad("GLOBALV LIST takes at most one group name");
    }
    CommandResult r;
    for (auto& [name, value] : s.globalv.list(a.size() == 2 ? a[1] : s.globalv.selected())) {
        r.lines.push_back(name + " = " + value);
    }
    return r;
}

CommandResult delete_vars(Session& s, const Args& a) {
    if (a.size() < 2) {
        return bad("GLOBALV DELETE requires a variable name");
    }
    CommandResult r;
    for (std::size_t i = 1; i < a.size(); ++i) {
        if (!s.globalv.erase(s.globalv.selected(), a[i])) {
            r.rc = 4;
            r.lines.push_back(dms("GLB", 4, 'W', "Variable " + to_upper(a[i]) + " not found"));
        }
    }
    return r;
}

// Runs one subcommand (after any SELECT prefix); a[0] is the subcommand word.
CommandResult run_sub(Session& s, const Args& a) {
    const std::string sub = to_upper(a[0]);
    if (sub == "SET" || sub == "SETP") { // SETP: the session is this logon
        return set_var(s, a, false);
    }
    if (sub == "SETL" || sub == "SETLP") {
        return set_var(s, a, true);
    }
    if (sub == "GET") {
        return get_vars(s, a);
    }
    if (sub == "PUT" || sub == "PUTS" || sub == "PUTP") {
        return put_vars(s, a, false);
    }
    if (sub == "PUTL") {
        return put_vars(s, a, true);
    }
    if (sub == "LIST") {
        return list_vars(s, a);
    }
    if (sub == "DELETE") {
        return delete_vars(s, a);
    }
    if (sub == "PURGE") {
        if (a.size() != 1) { // refused before anything is purged
            return bad("GLOBALV PURGE takes no operands");
        }
        s.globalv.purge(s.globalv.selected());
        return {};
    }
    return bad("Unknown GLOBALV subcommand: " + sub);
}

} // namespace

// GLOBALV [SELECT group] [subcommand operands...]
CommandResult cmd_globalv(Session& s, const CommandLine& cl) {
    Args a = cl.args();
    if (a.empty()) {
        return bad("GLOBALV requires a subcommand");
    }
    if (to_upper(a[0]) == "SELECT") {
        if (a.size() < 2 || a[1].size() > 8) {
            return bad("GLOBALV SELECT requires a group name of 1-8 characters");
        }
        s.globalv.select(a[1]);
        a.erase(a.begin(), a.begin() + 2);
        if (a.empty()) {
            return {};
        }
    }
    const bool explicit_lasting =
        to_upper(a[0]).starts_with("SETL") || to_upper(a[0]) == "PUTL";
    const auto changes_before = s.globalv.lasting_changes();
    CommandResult r = run_sub(s, a);
    if (s.globalv.lasting_changes() == changes_before) {
        return r; // a save that failed earlier is retried by the next change or logoff
    }
    // Only the command that changed a lasting variable reports a failed save;
    // a guest without an A-disk keeps LASTING in memory unless it asked for SETL.
    const FsStatus saved = s.save_lasting();
    if (saved != FsStatus::ok && (saved != FsStatus::not_accessed || explicit_lasting)) {
        r.lines.push_back(fs_message("GLB", saved, "LASTING GLOBALV A", 'A', s.fs.last_error()));
        r.rc = r.rc == 0 ? rc_file_error : r.rc;
    }
    return r;
}

} // namespace cpd::cms
