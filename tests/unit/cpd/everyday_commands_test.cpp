// SPDX-License-Identifier: MIT
// QUERY TIME, CPLEVEL, USERID, PRIVCLASS, VIRTUAL (storage, console, spool
// devices, ALL) and INDICATE LOAD / USER: their z/VM output forms from fixed
// figures, their abbreviations and operand checks, class E for another
// user's INDICATE USER, and the /proc/<pid>/stat parsing behind them.
#include "control/commands/command_table.hpp"
#include "control/commands/everyday_format.hpp"
#include "service/host_figures.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <ctime>

#include <unistd.h>

using namespace cpd::daemon;
using cpd::proto::CpRc;
using cpd::proto::Userid;

namespace {

Userid uid(const char* s) {
    return *Userid::parse(s);
}

/// A daemon with one logged-on guest, ALICE, and fixed figures.
class EverydayServices : public CpServices {
  public:
    DirectoryEntry alice = DirectoryEntry::make(uid("ALICE"));
    EverydayServices() { alice.storage = "64M"; }

    std::vector<GuestInfo> guests() const override {
        GuestInfo g(uid("ALICE"));
        g.terminal = "L0003";
        return {g};
    }
    StatsTotals totals() const override { return {}; }
    const DirectoryEntry* entry(const Userid& u) const override {
        return u == alice.userid ? &alice : nullptr;
    }
    CpOutcome logon(const Userid&, const Userid&) override { return {}; }
    CpOutcome logoff(const Userid&, const Userid&, bool) override { return {}; }
    CpOutcome smsg(const Userid&, const Userid&, std::string_view) override { return {}; }
    CpOutcome set_smsg(const Userid&, bool) override { return {}; }
    CpOutcome shutdown(const Userid&) override { return {}; }
    std::optional<GuestUsage> usage(const Userid& u) const override {
        if (u != alice.userid) {
            return std::nullopt;
        }
        GuestUsage g;
        g.connect_seconds = 3723; // 01:02:03
        g.user_cpu = 1.25;
        g.system_cpu = 0.5;
        g.resident_pages = 1622;
        g.storage = "64m";
        g.ipl = "cms";
        g.io = 603;
        return g;
    }
    HostLoad host_load() const override { return {1.0, 2, 1, 3}; }
    SystemInfo system_info() const override { return {"ZVMSYS1", "0.1.0", "12/06/26 08:00:00", 0}; }
};

Caller alice{uid("ALICE"), "G", false};
Caller analyst{uid("EVE"), "EG", false};

/// Lines of a multi-line text.
std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (std::size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1) {
        out.push_back(text.substr(start, nl - start));
    }
    out.push_back(text.substr(start));
    return out;
}

} // namespace

TEST_SUITE("cpd.everyday") {

    TEST_CASE("query time shows the time, zone, day and date, then connect and cpu") {
        setenv("TZ", "UTC", 1);
        tzset();
        EverydayServices s;
        // 2026-12-06 16:45:28 UTC was a Sunday.
        const std::string t = format_query_time(1796575528, s.usage(uid("ALICE")));
        CHECK(t == "TIME IS 16:45:28 UTC  SUNDAY 12/06/26\n"
                   "CONNECT= 01:02:03 VIRTCPU= 000:01.25 TOTCPU= 000:01.75");
        CHECK(format_query_time(1796575528, std::nullopt) ==
              "TIME IS 16:45:28 UTC  SUNDAY 12/06/26");
        const CpOutcome q = execute_command("Q T", alice, s);
        CHECK(q.rc == CpRc::ok);
        CHECK(q.text.starts_with("TIME IS "));
        CHECK(lines(q.text).size() == 2);
        CHECK(execute_command("QUERY TIME NOW", alice, s).text ==
              "HCPCQU003E Invalid option - NOW");
    }

    TEST_CASE("query cplevel, userid and privclass") {
        setenv("TZ", "UTC", 1);
        tzset();
        EverydayServices s;
        CHECK(execute_command("Q CPLEVEL", alice, s).text ==
              "cpd Version 0 Release 1.0, service level 0000 (64-bit)\n"
              "Generated at 12/06/26 08:00:00\n"
              "IPL at 01/01/70 00:00:00 UTC");
        CHECK(execute_command("q userid", alice, s).text == "ALICE    AT ZVMSYS1");
        CHECK(execute_command("Q PRIV", alice, s).text ==
              "Privilege classes for user ALICE\nCurrently: G\nDirectory: G\n"
              "The privilege classes are not locked against changes.");
        CHECK(execute_command("Q PRIVCLASS", analyst, s).text.find("Currently: EG") !=
              std::string::npos);
    }

    TEST_CASE("query virtual shows storage, console, the spool devices and all of them") {
        EverydayServices s;
        CHECK(execute_command("Q V STOR", alice, s).text == "STORAGE = 64M");
        CHECK(execute_command("Q V CONS", alice, s).text ==
              "CONS 0009 ON LDEV L0003  TERM START\n"
              "     0009 CL T NOCONT NOHOLD COPY 001    READY FORM STANDARD");
        const std::string rdr = execute_command("Q V RDR", alice, s).text;
        CHECK(rdr.starts_with("RDR  000C CL * NOCONT NOHOLD EOF    READY"));
        CHECK(execute_command("Q V 000C", alice, s).text == rdr);
        CHECK(execute_command("Q V C", alice, s).text == rdr);
        CHECK(execute_command("Q V PUN", alice, s).text.starts_with("PUN  000D CL A"));
        CHECK(execute_command("Q V 00E", alice, s).text.starts_with("PRT  000E CL A"));
        const std::vector<std::string> all = lines(execute_command("Q V ALL", alice, s).text);
        REQUIRE(all.size() > 5);
        CHECK(all[0] == "STORAGE = 64M");
        CHECK(all[1].starts_with("CONS 0009"));
        CHECK(execute_command("Q V", alice, s).text == execute_command("Q V ALL", alice, s).text);
        CHECK(execute_command("Q V STOR X", alice, s).text == "HCPCQV003E Invalid option - X");
        CHECK(execute_command("Q V FROB", alice, s).rc == CpRc::invalid_option);
    }

    TEST_CASE("indicate load shows the host's load and cpd's guests in z/VM's layout") {
        EverydayServices s;
        const std::vector<std::string> l = lines(execute_command("IND", alice, s).text);
        REQUIRE(l.size() == 10);
        CHECK(l[0] == "AVGPROC-050% 02");
        CHECK(l[3] == "Q0-00000(00000)                           DORMANT-00003");
        CHECK(l[4] == "Q1-00001(00000)           E1-00000(00000)");
        CHECK(l[8] == "PROC 0000-050% CP   HZ     PROC 0001-050% CP   HZ");
        CHECK(l[9] == "LIMITED-00000");
        CHECK(execute_command("INDICATE LOAD", alice, s).text ==
              execute_command("ind", alice, s).text);
        CHECK(execute_command("IND LOAD X", alice, s).text == "HCPIND003E Invalid option - X");
        CHECK(execute_command("IN", alice, s).rc == CpRc::unknown_command); // IND at least
        HostLoad busy{9.0, 4, 0, 0};
        CHECK(format_indicate_load(busy).starts_with("AVGPROC-100% 04"));
    }

    TEST_CASE("indicate user shows one guest; another's needs class E") {
        EverydayServices s;
        const CpOutcome mine = execute_command("IND USER", alice, s);
        CHECK(mine.rc == CpRc::ok);
        const std::vector<std::string> l = lines(mine.text);
        REQUIRE(l.size() == 7);
        CHECK(l[0] == "USERID=ALICE    MACH=ESA STOR=64M VIRT=V XSTORE=NONE");
        CHECK(l[1] == "IPLSYS=CMS DEVNUM=00000");
        CHECK(l[2] == "PAGES: RES=1622  WS=1622  LOCKEDREAL=0  RESVD=0");
        CHECK(l[5] == "CPU 00: CTIME=01:02 VTIME=000:01 TTIME=000:01 IO=000603");
        CHECK(execute_command("IND USER ALICE", analyst, s).rc == CpRc::ok);
        CHECK(execute_command("IND USER BOB", alice, s).rc == CpRc::not_authorized);
        const CpOutcome bob = execute_command("IND USER BOB", analyst, s);
        CHECK(bob.rc == CpRc::not_logged_on);
        CHECK(bob.text == "HCPIND045E BOB not logged on");
        Caller none{uid("NOCLASS"), "", false};
        CHECK(execute_command("IND", none, s).rc == CpRc::not_authorized);
    }

    TEST_CASE("proc stat is read past a command name holding blanks and parentheses") {
        const std::string stat = "1234 (a (b) c) S 1 2 3 4 5 6 7 8 9 10 250 50 0 0 20 0 1 0 99 "
                                 "12345678 1622 rest";
        const ProcessFigures f = parse_proc_stat(stat, 100);
        CHECK(f.user_cpu == doctest::Approx(2.5));
        CHECK(f.system_cpu == doctest::Approx(0.5));
        CHECK(f.resident_pages == 1622);
        CHECK(parse_proc_stat("garbage", 100).resident_pages == 0);
        const ProcessFigures self = process_figures(::getpid());
        CHECK(self.resident_pages > 0);
    }

} // TEST_SUITE
