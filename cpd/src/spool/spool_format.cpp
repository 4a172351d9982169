// SPDX-License-Identifier: MIT
// The spool's output forms (spool_format.hpp). Column positions follow the
// reference notes (vmur.c and the SMAPI client read them by offset).
#include "spool/spool_format.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace cpd::daemon {
namespace {

std::string_view hold_word(const SpoolFile& f) {
    return f.hold ? "HOLD" : "NOHOLD";
}
std::string_view keep_word(const SpoolFile& f) {
    return f.keep ? "KEEP" : "NOKEEP";
}

/// The shared tail: " RECS 0004 CPY  001 A NOHOLD NOKEEP".
std::string tail(const SpoolFile& f) {
    char buf[64];
    std::snprintf(buf, sizeof buf, " RECS %s CPY  %03u %c %s %s", recs4(f.records).c_str(),
                  static_cast<unsigned>(f.copies), f.spool_class, hold_word(f).data(),
                  keep_word(f).data());
    return buf;
}

} // namespace

std::string recs4(std::uint64_t records) {
    char buf[16];
    if (records <= 9999) {
        std::snprintf(buf, sizeof buf, "%04u", static_cast<unsigned>(records));
    } else if (records <= 999'999) {
        std::snprintf(buf, sizeof buf, "%03uK", static_cast<unsigned>(records / 1000));
    } else {
        std::snprintf(buf, sizeof buf, "%03uM",
                      static_cast<unsigned>(std::min<std::uint64_t>(records / 1'000'000, 999)));
    }
    return buf;
}

std::string arrival_message(const SpoolFile& f) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "RDR FILE %04u SENT FROM %-8s %s WAS %04u",
                  static_cast<unsigned>(f.spoolid), std::string(f.origin.str()).c_str(),
                  proto::device_name(f.made_on).data(), static_cast<unsigned>(f.origin_spoolid));
    return buf + tail(f);
}

std::string sent_message(const SpoolFile& f, SpoolDevice made_on, std::uint16_t old_spoolid) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s FILE %04u SENT TO   %-8s %s AS  %04u",
                  proto::device_name(made_on).data(), static_cast<unsigned>(old_spoolid),
                  std::string(f.owner.str()).c_str(), proto::device_name(f.queue).data(),
                  static_cast<unsigned>(f.spoolid));
    return buf + tail(f);
}

std::string count_message(std::size_t n, std::string_view verb) {
    if (n == 0) {
        return "NO FILES " + std::string(verb);
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%07zu FILE%c ", n, n == 1 ? ' ' : 'S');
    return buf + std::string(verb);
}

std::string query_listing(const std::vector<const SpoolFile*>& files, SpoolDevice queue, bool all,
                          bool owner_column) {
    if (files.empty()) {
        return "NO " + std::string(proto::device_name(queue)) + " FILES";
    }
    std::string out = owner_column ? "OWNERID " : "ORIGINID";
    out += all ? " FILE CLASS RECORDS  CPY HOLD DATE  TIME     NAME      TYPE     DIST     FORM     DEST"
               : " FILE CLASS RECORDS  CPY HOLD FORM     DEST     KEEP MSG";
    for (const SpoolFile* f : files) {
        char buf[128];
        const std::string who(owner_column ? f->owner.str() : f->origin.str());
        const int n =
            std::snprintf(buf, sizeof buf, "\n%-8s %04u %c %s %08u %03u %-4s", who.c_str(),
                          static_cast<unsigned>(f->spoolid), f->spool_class,
                          proto::device_name(f->made_on).data(),
                          static_cast<unsigned>(std::min<std::uint32_t>(f->records, 99'999'999)),
                          static_cast<unsigned>(f->copies), f->hold ? "USER" : "NONE");
        out.append(buf, static_cast<std::size_t>(n));
        if (all) {
            std::tm tm{};
            const std::time_t t = static_cast<std::time_t>(f->created);
            ::localtime_r(&t, &tm);
            std::snprintf(buf, sizeof buf, " %02d/%02d %02d:%02d:%02d %-8s  %-8s %-8s %-8s %-8s",
                          tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                          f->name.c_str(), f->type.c_str(), f->dist.c_str(),
                          f->form.empty() ? "STANDARD" : f->form.c_str(),
                          f->dest.empty() ? "OFF" : f->dest.c_str());
        } else {
            std::snprintf(buf, sizeof buf, " %-8s %-8s %-4s %-3s",
                          f->form.empty() ? "STANDARD" : f->form.c_str(),
                          f->dest.empty() ? "OFF" : f->dest.c_str(),
                          f->keep ? "KEEP" : "OFF", "OFF");
        }
        out += buf;
        while (!out.empty() && out.back() == ' ') {
            out.pop_back();
        }
    }
    return out;
}

std::string files_line(std::size_t rdr, std::size_t prt, std::size_t pun) {
    auto col = [](std::size_t n) {
        char buf[16];
        if (n == 0) {
            return std::string("  NO");
        }
        std::snprintf(buf, sizeof buf, "%04zu", std::min<std::size_t>(n, 9999));
        return std::string(buf);
    };
    return "FILES: " + col(rdr) + " RDR, " + col(prt) + " PRT, " + col(pun) + " PUN";
}

} // namespace cpd::daemon
