// SPDX-License-Identifier: MIT
// QUERY DIRECTORY (a cpd operand; z/VM has no such CP query): whose console
// the caller may attach to with cmsconsole, by the rule the attach enforces
// (console_access.hpp): its own for an ordinary user, every entry for class A
// or B. Logged-on guests show their terminal as QUERY NAMES does; entries a
// logon can start show "OFF"; NOLOG entries and those without IPL are left out.
#include "control/commands/console_access.hpp"
#include "control/commands/query_format.hpp"
#include "control/commands/query_operands.hpp"

#include <map>

namespace cpd::daemon {

CpOutcome query_directory(const CommandArgs& args, const Caller& caller, CpServices& services) {
    if (args.size() > 2) {
        return {proto::CpRc::invalid_option, "HCPCQU003E Invalid option - " + args.upper(2)};
    }
    std::map<proto::Userid, std::string> terminals;
    for (const GuestInfo& g : services.guests()) {
        terminals.emplace(g.userid, g.terminal);
    }
    std::vector<GuestInfo> rows;
    for (const DirectoryEntry* e : services.directory_entries()) {
        if (!may_attach_console(caller, e->userid)) {
            continue;
        }
        GuestInfo row(e->userid);
        if (auto it = terminals.find(e->userid); it != terminals.end()) {
            row.terminal = it->second;
        } else if (may_be_logged_on(*e)) {
            row.terminal = "OFF";
        } else {
            continue;
        }
        rows.push_back(std::move(row));
    }
    if (rows.empty()) {
        return {proto::CpRc::ok, "No consoles for " + std::string(caller.userid.str())};
    }
    return {proto::CpRc::ok, format_names(rows)};
}

} // namespace cpd::daemon
