// SPDX-License-Identifier: MIT
// vmur: work with the spool from the host, as s390-tools' vmur does on Linux
// on Z, as the userid cpd maps this host user to (POSIXINFO): list, receive,
// punch, print, purge and order. The CP commands are vmur's own (QUERY RDR *
// id ALL, SPOOL, CLOSE ... NAME, PURGE *, ORDER *); the records travel as
// spool frames on the control socket, a chunk per frame, each write answered
// before the next is sent (at most `window` unanswered), so a file of any
// size moves in bounded memory.
// Differences from vmur, both because cpd's spool keeps each record's length:
// a binary punch's last record is not padded with X'00', so a received file
// is byte for byte the file punched; receive needs no CLOSE/CHANGE dance.
// Exit status: 0 success, 1 any error, 16 the device has an open file from
// another writer (vmur's "concurrent instance" code).
#include "vmur_commands.hpp"

#include "safe_text.hpp"

#include <iostream>
#include <string>
#include <string_view>
#include <utility>

using namespace cpd;
using namespace cpd::vmur;

namespace cpd::vmur {

int do_list(Cpd& c, const Args& a) {
    std::string out;
    const std::string id = a.operands.empty() ? "" : " " + a.operands[0];
    if (int st = cp_or_fail(c, "QUERY " + a.queue + " *" + id + " ALL", out); st >= 0) {
        return st;
    }
    std::cout << cli::safe_lines(out) << '\n';
    return ex_ok;
}

int do_purge(Cpd& c, const Args& a) {
    std::string sel = a.operands.empty() ? "" : " " + a.operands[0];
    if (!a.spool_class.empty()) {
        sel += " CLASS " + a.spool_class;
    }
    for (const auto& [key, value] : {std::pair{" FORM ", &a.form}, std::pair{" DEST ", &a.dest}}) {
        if (!value->empty()) {
            sel += key;
            sel += *value;
        }
    }
    if (sel.empty()) {
        sel = " ALL";
    }
    if (!a.force) {
        std::cerr << "purge selected " << a.queue << " file(s)? (y/n) ";
        std::string answer;
        if (!std::getline(std::cin, answer) || (answer != "y" && answer != "Y")) {
            return ex_ok;
        }
    }
    std::string out;
    if (int st = cp_or_fail(c, "PURGE * " + a.queue + sel, out); st >= 0) {
        return st;
    }
    std::cerr << cli::safe_lines(out) << '\n';
    return ex_ok;
}

int do_order(Cpd& c, const Args& a) {
    if (a.operands.size() != 1) {
        return fail("Spoolid required: vmur order SPOOLID");
    }
    std::string out;
    if (int st = cp_or_fail(c, "ORDER * " + a.queue + " " + a.operands[0], out); st >= 0) {
        return st;
    }
    return ex_ok;
}

} // namespace cpd::vmur

namespace {

/// The command by vmur's abbreviations.
bool is(const std::string& w, const char* name, std::size_t min) {
    return w.size() >= min && std::string_view(name).starts_with(w);
}

} // namespace

int main(int argc, char** argv) {
    Args a;
    if (int st = parse(argc, argv, a); st >= 0) {
        return st;
    }
    if (a.command.empty()) {
        return fail("Command missing\nTry 'vmur --help' for more information.");
    }
    std::string socket, error;
    if (!cli::resolve_socket(a.socket, socket, error)) {
        return fail(error);
    }
    Cpd c;
    if (!c.conn.open(socket, error)) {
        return fail(error);
    }
    const std::string& w = a.command;
    if (is(w, "receive", 2)) {
        return do_receive(c, a);
    }
    if (is(w, "punch", 3)) {
        return do_punch(c, a, false);
    }
    if (is(w, "print", 2)) {
        return do_punch(c, a, true);
    }
    if (is(w, "list", 2)) {
        return do_list(c, a);
    }
    if (is(w, "purge", 3)) {
        return do_purge(c, a);
    }
    if (is(w, "order", 2)) {
        return do_order(c, a);
    }
    return fail("Unknown command '" + w + "'\nTry 'vmur --help' for more information.");
}
