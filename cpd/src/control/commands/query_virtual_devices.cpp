// SPDX-License-Identifier: MIT
// QUERY VIRTUAL (Q V) of the caller's virtual machine beyond its DASD:
// STORAGE, CONSOLE (0009), the spool devices at their fixed addresses (reader
// 000C, punch 000D, printer 000E, with their live SPOOL settings), and ALL (or no
// operand): storage, console, spool devices, then the DASD lines.
#include "control/commands/command_table.hpp"
#include "control/commands/everyday_format.hpp"
#include "control/commands/spool_command.hpp"
#include "minidisks/link_rules.hpp"

namespace cpd::daemon {
namespace {

/// The caller's console as QUERY NAMES shows it ("DSC" when none is attached).
std::string terminal_of(const Caller& caller, const CpServices& services) {
    for (const GuestInfo& g : services.guests()) {
        if (g.userid == caller.userid) {
            return g.terminal;
        }
    }
    return "DSC";
}

std::string storage_of(const Caller& caller, const CpServices& services) {
    const DirectoryEntry* e = services.entry(caller.userid);
    return e != nullptr ? e->storage : std::string();
}

/// The spool device `op` names ("RDR", "PUN", "PRT"), by name or address; "" if none.
std::string_view spool_device(std::string_view op) {
    if (matches_abbrev(op, "READER", 1) || matches_abbrev(op, "RDR", 3)) {
        return "RDR";
    }
    if (matches_abbrev(op, "PUNCH", 2) || matches_abbrev(op, "PCH", 3)) {
        return "PUN";
    }
    if (matches_abbrev(op, "PRINTER", 2) || matches_abbrev(op, "PRT", 3)) {
        return "PRT";
    }
    if (const std::optional<std::string> vdev = parse_vdev(op)) {
        return *vdev == "000C" ? "RDR" : *vdev == "000D" ? "PUN" : *vdev == "000E" ? "PRT" : "";
    }
    return "";
}

/// The lines of spool device `dev` ("RDR", "PUN", "PRT"): the spool's live
/// SPOOL settings and open file, or the defaults where there is no spool.
std::string spool_lines(const Caller& caller, CpServices& services, std::string_view dev) {
    const SpoolService* spool = services.spool();
    if (spool == nullptr) {
        return format_virtual_spool(dev);
    }
    const proto::SpoolDevice kind = dev == "RDR"   ? proto::SpoolDevice::rdr
                                    : dev == "PUN" ? proto::SpoolDevice::pun
                                                   : proto::SpoolDevice::prt;
    return spool->query_virtual(caller.userid, kind);
}

/// QUERY VIRTUAL ALL: every device, in z/VM's order.
CpOutcome query_all(const Caller& caller, CpServices& services) {
    std::string out = format_virtual_storage(storage_of(caller, services));
    out += '\n';
    out += format_virtual_console(terminal_of(caller, services));
    for (std::string_view dev : {"RDR", "PUN", "PRT"}) {
        out += '\n';
        out += spool_lines(caller, services, dev);
    }
    const CpOutcome dasd = services.query_virtual_dasd(caller.userid, std::nullopt);
    if (dasd.rc == proto::CpRc::ok && dasd.text != "No DASD") {
        out += '\n';
        out += dasd.text;
    }
    return {proto::CpRc::ok, std::move(out)};
}

} // namespace

std::optional<CpOutcome> query_virtual_devices(const CommandArgs& args, const Caller& caller,
                                               CpServices& services) {
    if (args.size() == 2) {
        return query_all(caller, services);
    }
    const std::string_view op = args.word(2);
    std::optional<CpOutcome> r;
    if (matches_abbrev(op, "ALL", 3)) {
        r = query_all(caller, services);
    } else if (matches_abbrev(op, "STORAGE", 4)) {
        r = CpOutcome{proto::CpRc::ok, format_virtual_storage(storage_of(caller, services))};
    } else if (matches_abbrev(op, "CONSOLE", 4) || parse_vdev(op) == "0009") {
        r = CpOutcome{proto::CpRc::ok, format_virtual_console(terminal_of(caller, services))};
    } else if (const std::string_view dev = spool_device(op); !dev.empty()) {
        r = CpOutcome{proto::CpRc::ok, spool_lines(caller, services, dev)};
    } else {
        return std::nullopt;
    }
    if (args.size() > 3) {
        return CpOutcome{proto::CpRc::invalid_option,
                         "HCPCQV003E Invalid option - " + std::string(args.word(3))};
    }
    return r;
}

} // namespace cpd::daemon
