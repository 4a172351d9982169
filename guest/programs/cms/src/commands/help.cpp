// SPDX-License-Identifier: MIT
// HELP: the list of built-in commands with their syntax, and HELP <command>
// for one of them. Names are shown IBM style: the minimum abbreviation in
// upper case, the rest in lower case (ACcess, LISTfile, Query).
#include "commands/command_table.hpp"
#include "messages/messages.hpp"

#include "cpd/cms/filespec.hpp"

namespace cpd::cms {

namespace {

// "ACcess": upper-case minimum abbreviation, lower-case remainder.
std::string ibm_name(const CommandSpec& c) {
    return std::string(c.name.substr(0, c.min_length)) + to_lower(c.name.substr(c.min_length));
}

std::string padded(std::string s, std::size_t width) {
    s.resize(std::max(s.size(), width), ' ');
    return s;
}

} // namespace

// HELP [command]
CommandResult cmd_help(Session&, const CommandLine& cl) {
    const auto args = cl.args();
    CommandResult r;
    if (args.empty()) {
        r.lines.push_back("CMS commands (upper case shows the minimum abbreviation):");
        for (const CommandSpec& c : command_table()) {
            r.lines.push_back("  " + padded(ibm_name(c), 10) + std::string(c.syntax));
        }
        r.lines.push_back("Type HELP <command> for a description of one command.");
        return r;
    }
    if (args.size() > 1) {
        return fail(rc_bad_operand, dms("HLP", 24, 'E',
                                        "Invalid command: HELP takes one "
                                        "command name"));
    }
    const CommandSpec* c = find_command(args[0]);
    if (c == nullptr) {
        return fail(rc_file_error,
                    dms("HLP", 2, 'E', "No help available for " + to_upper(args[0])));
    }
    r.lines.push_back(ibm_name(*c) + ' ' + std::string(c->syntax));
    r.lines.push_back("  " + std::string(c->summary) + '.');
    r.lines.push_back("  Minimum abbreviation: " + std::string(c->name.substr(0, c->min_length)));
    return r;
}

} // namespace cpd::cms
