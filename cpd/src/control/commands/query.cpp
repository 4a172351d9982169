// SPDX-License-Identifier: MIT
// QUERY (Q): NAMES, USERS, STATS, IUCV (alias PATHS), VIRTUAL DASD, LINKS and
// QUERY userid (never one of CP's own operands, such as CPUS), in z/VM's
// output forms ("ECHO     - DSC , MAINT    - DSC", "     3 USERS,      0 DIALED,
//      0 NET"); IUCV paths as the fixed-column table of iucv_query.hpp. TIME,
// CPLEVEL, USERID, PRIVCLASS, LOGMSG and SET are in query_everyday.cpp, the
// devices of QUERY VIRTUAL other than DASD in query_virtual_devices.cpp.
#include "control/commands/command_table.hpp"
#include "control/commands/query_format.hpp"
#include "control/commands/query_operands.hpp"
#include "routing/iucv/iucv_query.hpp"
#include "minidisks/link_rules.hpp"

#include <algorithm>

namespace cpd::daemon {
namespace {

CpOutcome invalid_option(std::string_view op) {
    return {proto::CpRc::invalid_option, "HCPCQU003E Invalid option - " + std::string(op)};
}

/// QUERY operands of z/VM's CP that cpd does not answer (yet). CP never reads
/// them as a userid, so neither does cpd: `Q TIME` is an invalid option, not
/// "TIME not logged on".
bool is_cp_query_operand(std::string_view op) {
    static constexpr std::string_view operands[] = {
        "ALL",      "BYUSER",  "COMMANDS", "CONSOLE", "CPLEVEL", "CPUS",    "DASD",
        "EMSG",     "FILES",   "IMSG",     "INDICATE", "LOGMSG", "MSG",     "OBSERVER",
        "PF",       "PRINTER", "PRIVCLAS", "PRT",     "PUNCH",   "PUN",     "RDR",
        "READER",   "SECUSER", "SET",      "SMSG",    "STORAGE", "TERMINAL", "TIME",
        "USERID",   "WNG",
    };
    for (std::string_view known : operands) {
        if (op.size() == known.size() &&
            std::equal(op.begin(), op.end(), known.begin(), [](char a, char b) {
                return (a >= 'a' && a <= 'z' ? static_cast<char>(a - 32) : a) == b;
            })) {
            return true;
        }
    }
    return false;
}

/// QUERY IUCV [userid]: every path, or those with an end at `userid`.
CpOutcome query_iucv(const CommandArgs& args, CpServices& services) {
    if (args.size() > 3) {
        return invalid_option(args.word(3));
    }
    std::optional<proto::Userid> only;
    if (args.size() == 3) {
        auto id = proto::Userid::parse(args.word(2));
        if (!id) {
            return invalid_userid(args.word(2));
        }
        only = *id;
    }
    const std::vector<IucvPathRow> rows = services.iucv_paths(only ? &*only : nullptr);
    return {proto::CpRc::ok, format_query_iucv(rows)};
}

/// QUERY VIRTUAL DASD | QUERY VIRTUAL vdev: the caller's minidisks.
CpOutcome query_virtual(const CommandArgs& args, const Caller& caller, CpServices& services) {
    if (std::optional<CpOutcome> r = query_virtual_devices(args, caller, services)) {
        return *r;
    }
    if (args.size() != 3) {
        return args.size() < 3
                   ? CpOutcome{proto::CpRc::invalid_operand, "HCPQVD026E Operand missing or invalid"}
                   : invalid_option(args.word(3));
    }
    if (matches_abbrev(args.word(2), "DASD", 2)) {
        return services.query_virtual_dasd(caller.userid, std::nullopt);
    }
    if (auto vdev = parse_vdev(args.word(2))) {
        return services.query_virtual_dasd(caller.userid, *vdev);
    }
    return invalid_option(args.word(2));
}

/// QUERY LINKS [vdev]: who is linked to the caller's minidisks; class B may
/// name another owner: QUERY LINKS userid [vdev].
CpOutcome query_links(const CommandArgs& args, const Caller& caller, CpServices& services) {
    proto::Userid owner = caller.userid;
    std::size_t next = 2;
    if (args.size() > 2 && !parse_vdev(args.word(2))) {
        auto id = proto::Userid::parse(args.word(2));
        if (!id) {
            return invalid_option(args.word(2));
        }
        if (*id != caller.userid && !caller.has_any_class("AB")) {
            return not_authorized("QUERY LINKS " + std::string(id->str()));
        }
        owner = *id;
        next = 3;
    }
    if (args.size() > next + 1) {
        return invalid_option(args.word(next + 1));
    }
    std::optional<std::string> only;
    if (args.size() == next + 1) {
        only = parse_vdev(args.word(next));
        if (!only) {
            return {proto::CpRc::invalid_vdev,
                    "HCPQLK022E A virtual device number was not supplied or it was invalid"};
        }
    }
    return services.query_links(owner, only);
}

} // namespace

CpOutcome cmd_query(const CommandArgs& args, const Caller& caller, CpServices& services) {
    if (args.size() < 2) {
        return {proto::CpRc::invalid_operand, "HCPCQU026E Operand missing or invalid"};
    }
    std::string_view op = args.word(1);
    if (matches_abbrev(op, "COMMANDS", 3)) {
        return query_commands(args, caller, services);
    }
    if (matches_abbrev(op, "DIRECTORY", 3)) {
        return query_directory(args, caller, services);
    }
    if (matches_abbrev(op, "IUCV", 4) || matches_abbrev(op, "PATHS", 4)) {
        return query_iucv(args, services);
    }
    if (matches_abbrev(op, "VIRTUAL", 1)) {
        return query_virtual(args, caller, services);
    }
    if (matches_abbrev(op, "LINKS", 4)) {
        return query_links(args, caller, services);
    }
    if (std::optional<CpOutcome> r = query_everyday(args, caller, services)) {
        return *r;
    }
    if (is_spool_query(op)) {
        return query_spool(args, caller, services);
    }
    if (args.size() > 2) {
        return invalid_option(args.word(2));
    }
    if (matches_abbrev(op, "NAMES", 1)) {
        return {proto::CpRc::ok, format_names(services.guests())};
    }
    if (matches_abbrev(op, "USERS", 1)) {
        return {proto::CpRc::ok, format_users(services.guests().size())};
    }
    if (matches_abbrev(op, "STATS", 4)) {
        std::string text = format_stats(services.guests(), services.totals());
        if (const std::optional<IucvTotals> iucv = services.iucv_totals()) {
            text += '\n';
            text += format_iucv_stats(*iucv);
        }
        return {proto::CpRc::ok, std::move(text)};
    }
    auto id = proto::Userid::parse(op);
    if (!id || is_cp_query_operand(op)) {
        return invalid_option(op);
    }
    const std::string how = services.last_end(*id); // "last session ended: ..." or ""
    const std::string history = how.empty() ? "" : "\n" + std::string(id->padded()) + " " + how;
    for (const GuestInfo& g : services.guests()) {
        if (g.userid == *id) {
            return {proto::CpRc::ok, format_name(g) + history};
        }
    }
    return {proto::CpRc::not_logged_on,
            "HCPCQU045E " + std::string(id->str()) + " not logged on" + history};
}

} // namespace cpd::daemon
