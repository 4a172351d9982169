// SPDX-License-Identifier: MIT
// QUERY COMMANDS, as z/VM has it: the commands the caller's privilege classes
// allow, eight to a line; QUERY COMMANDS QUERY lists the QUERY operands with
// what may follow each ("QUERY    VIRTUAL   DASD|vdev"). Both come from the
// tables the dispatcher uses, so they never offer what cpd would refuse.
#include "control/commands/query_operands.hpp"

#include <string>

namespace cpd::daemon {
namespace {

/// `word` padded with blanks to `width` (never cut).
std::string pad(std::string_view word, std::size_t width) {
    std::string out(word);
    if (out.size() < width) {
        out.append(width - out.size(), ' ');
    }
    return out;
}

/// True if the caller's classes let it issue `spec` at all.
bool may_use(const CommandSpec& spec, const Caller& caller) {
    return *spec.classes == '\0' || caller.has_any_class(spec.classes);
}

/// The line without its trailing blanks (fields are padded for alignment).
std::string trim_right(std::string line) {
    line.erase(line.find_last_not_of(' ') + 1);
    return line;
}

/// The verbs, eight to a line, each in a 9-column field.
std::string list_commands(const Caller& caller) {
    std::string out;
    std::string line;
    std::size_t on_line = 0;
    for (const CommandSpec& spec : command_table()) {
        if (!may_use(spec, caller)) {
            continue;
        }
        if (on_line == 8) {
            out += trim_right(line) + '\n';
            line.clear();
            on_line = 0;
        }
        line += pad(spec.name, 9);
        ++on_line;
    }
    return out + trim_right(line);
}

/// One line per QUERY operand, then QUERY userid.
std::string list_query_operands() {
    std::string out;
    for (const QueryOperand& op : query_operands()) {
        out += trim_right("QUERY    " + pad(op.name, 10) + op.operands) + '\n';
    }
    return out + "QUERY    userid";
}

} // namespace

CpOutcome query_commands(const CommandArgs& args, const Caller& caller, CpServices&) {
    if (args.size() > 3) {
        return {proto::CpRc::invalid_option, "HCPCQU003E Invalid option - " + args.upper(3)};
    }
    if (args.size() == 2) {
        return {proto::CpRc::ok, list_commands(caller)};
    }
    const CommandSpec* spec = find_command(args.word(2));
    if (spec == nullptr) {
        return {proto::CpRc::unknown_command, "HCPCMD001E Unknown CP command: " + args.upper(2)};
    }
    if (!may_use(*spec, caller)) {
        return not_authorized(spec->name);
    }
    if (std::string_view(spec->name) == "QUERY") {
        return {proto::CpRc::ok, list_query_operands()};
    }
    return {proto::CpRc::ok, spec->name};
}

} // namespace cpd::daemon
