// SPDX-License-Identifier: MIT
// QUERY VIRTUAL RDR|PUN|PRT from the spool's live state: each unit's SPOOL
// settings (class, CONT, HOLD, COPY, TO, FORM, DIST, DEST, KEEP, NAME) and
// its open file, in z/VM's layout (columns vmur reads: class at 13, "  CONT"
// at 15-20). Only formats: the settings are changed by spool_commands.cpp.
#include "spool/spool_devices.hpp"

#include <cstdio>

namespace cpd::daemon {
namespace {

/// `value`, or `none` when it is empty.
std::string or_else(const std::string& value, const char* none) {
    return value.empty() ? std::string(none) : value;
}

/// The first line, the same layout on every unit.
std::string first_line(const char* dev, std::uint16_t vdev, char cls, bool cont, bool hold,
                       std::string_view tail) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%-4s %04X CL %c %s %s ", dev, static_cast<unsigned>(vdev),
                  cls, cont ? "  CONT" : "NOCONT", hold ? "  HOLD" : "NOHOLD");
    std::string line = buf;
    line += tail;
    return line;
}

} // namespace

std::string SpoolService::query_virtual(const proto::Userid& userid, SpoolDevice kind) const {
    const auto u = units_.find(userid);
    static const UserUnit defaults;
    const UserUnit& unit = u == units_.end() ? defaults : u->second;
    char buf[192];
    if (kind == SpoolDevice::rdr) {
        const Device& d = unit.rdr;
        std::string out = first_line("RDR", d.vdev, d.spool_class, d.cont, d.hold, "EOF    READY");
        std::snprintf(buf, sizeof buf, "\n     %04X 2540 CLOSED NOKEEP NORESCAN SUBCHANNEL = %04X",
                      static_cast<unsigned>(d.vdev), static_cast<unsigned>(d.vdev));
        out += buf;
        return out;
    }
    const bool pun = kind == SpoolDevice::pun;
    const Device& d = pun ? unit.pun : unit.prt;
    const unsigned v = d.vdev;
    std::snprintf(buf, sizeof buf, "COPY %03u    READY FORM %s", static_cast<unsigned>(d.copies),
                  or_else(d.form, "STANDARD").c_str());
    std::string out = first_line(pun ? "PUN" : "PRT", d.vdev, d.spool_class, d.cont, d.hold, buf);
    // TO: a reader's owner; OFF (cpd's default) keeps closed files on the
    // user's own queue, which z/VM shows as the system's queue.
    const std::string to = d.to ? std::string(d.to->str()) : std::string("SYSTEM");
    std::snprintf(buf, sizeof buf, "\n     %04X TO %-8s %s DIST %-8s DEST %s", v, to.c_str(),
                  d.to ? "RDR" : (pun ? "PUN" : "PRT"), or_else(d.dist, "OFF").c_str(),
                  or_else(d.dest, "OFF").c_str());
    out += buf;
    std::snprintf(buf, sizeof buf, "\n     %04X FLASH        000 CHAR       MDFY         0 FCB%s",
                  v, pun ? "" : "       LPP OFF");
    out += buf;
    std::string state = "CLOSED";
    if (d.open) {
        char open[16];
        std::snprintf(open, sizeof open, "OPEN %04u", static_cast<unsigned>(d.open->spoolid));
        state = open;
    }
    std::string name = "NONAME";
    if (!d.name.empty()) {
        name = "NAME ";
        name += d.name;
        name += ' ';
        name += d.type;
    }
    std::snprintf(
        buf, sizeof buf, "\n     %04X %s NOEOF %s %s NOMSG %s\n     %04X SUBCHANNEL = %04X", v,
        pun ? "2540" : "1403", state.c_str(), d.keep ? "  KEEP" : "NOKEEP", name.c_str(), v, v);
    out += buf;
    return out;
}

} // namespace cpd::daemon
