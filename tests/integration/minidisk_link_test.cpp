// SPDX-License-Identifier: MIT
// Minidisks by LINK through the real cpd: the directory's LINK statements at
// logon, CP LINK with z/VM's modes, passwords and arbitration, class B,
// DETACH, QUERY VIRTUAL DASD and QUERY LINKS, and that the kernel holds each
// guest to what it was granted (HOSTILE tries the files behind the links).
#include "hostile_rig.hpp"

#include <doctest/doctest.h>

#include <fstream>

#include <unistd.h>

using namespace cpd::test;
using cpd::proto::CpRc;

namespace {

/// OWNER has three disks: 0191 (no passwords: only OWNER links it), 0192
/// (passwords RPASS, WPASS, MPASS) and 0193 (read password ALL). READER links
/// OWNER's 0193 at logon; HOSTILE links by command; CHIEF is class B.
std::string link_directory() {
    const std::string probe_disk = " MDISK 0191 3390 1 1 OUT191 MR\n";
    return std::string("USER OPERATOR NOPASS 64M 128M ABCDEFG\n POSIXINFO UID 0\n") +
           "USER OWNER NOPASS 16M 16M G\n IPL $PROBE PARM $DIR/state/disks/OWNER/0191/log\n" +
           probe_disk +
           " MDISK 0192 3390 1 10 OWN192 MR RPASS WPASS MPASS\n"
           " MDISK 0193 3390 1 10 OWN193 MR ALL\n"
           "USER READER NOPASS 16M 16M G\n IPL $PROBE PARM $DIR/state/disks/READER/0191/log\n" +
           probe_disk + " LINK OWNER 0193 0293 RR\n" + hostile_entry() +
           "USER CHIEF NOPASS 16M 16M BG\n IPL $PROBE PARM $DIR/state/disks/CHIEF/0191/log\n" +
           probe_disk;
}

struct LinkRig {
    CpdHarness cpd;
    Client op;
    LinkRig() : cpd(config()) {
        REQUIRE(cpd.start());
        for (const char* who : {"owner", "reader", "chief"}) {
            REQUIRE(wait_for_line(cpd.out_file(who), "IPL "));
        }
        REQUIRE(wait_for_line(cpd.out_file("hostile"), "IPL pid"));
        op = cpd.connect();
    }
    static HarnessConfig config() {
        HarnessConfig c;
        c.directory = link_directory();
        c.autolog = "OWNER READER HOSTILE CHIEF";
        return c;
    }
    /// Has `userid` run a CP command; returns its "CPRESP rc text" line.
    std::string cp_as(const std::string& userid, const std::string& command) {
        const std::string file = cpd.out_file(userid);
        const std::size_t before = read_lines(file).size();
        const std::string text = userid == "hostile" ? "cp " + command : "!CP " + command;
        std::string upper = userid;
        for (char& c : upper) {
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        }
        REQUIRE(op.smsg(upper, text).rc == CpRc::ok);
        std::string found;
        wait_until(
            [&] {
                const auto lines = read_lines(file);
                for (std::size_t i = before; i < lines.size(); ++i) {
                    if (lines[i].starts_with("CPRESP ")) {
                        found = lines[i];
                        return true;
                    }
                }
                return false;
            },
            10s);
        return found;
    }
    /// HOSTILE's attack result (see isolation_test.cpp).
    std::string hostile(const std::string& attack) { return hostile_command(op, cpd, attack); }
    std::string disk(const std::string& owner, const std::string& vdev) const {
        return cpd.dir() + "/state/disks/" + owner + "/" + vdev;
    }
};

bool starts(const std::string& s, const std::string& prefix) {
    return s.rfind(prefix, 0) == 0;
}

} // namespace

TEST_SUITE("integration.link") {

    TEST_CASE("a LINK statement links at logon; QUERY VIRTUAL DASD and QUERY LINKS show it") {
        LinkRig rig;
        const std::string dasd = rig.cp_as("reader", "QUERY VIRTUAL DASD");
        CHECK(dasd.find("DASD 0191 3390 OUT191 R/W          1 CYL ON DASD  0191") !=
              std::string::npos);
        CHECK(dasd.find("DASD 0293 3390 OWN193 R/O         10 CYL ON DASD  0193") !=
              std::string::npos);
        CHECK(rig.cp_as("reader", "Q V 293").find("DASD 0293 3390 OWN193 R/O") !=
              std::string::npos);
        CHECK(starts(rig.cp_as("reader", "Q V 294"),
                     "CPRESP 40 HCPQVD040E Device 0294 does not exist"));
        const std::string links = rig.cp_as("owner", "QUERY LINKS 193");
        CHECK(links.find("DASD 0193 LINKS: OWNER    0193 R/W , READER   0293 R/O") !=
              std::string::npos);
    }

    TEST_CASE("LINK checks passwords, and class B needs none") {
        LinkRig rig;
        CHECK(starts(rig.cp_as("hostile", "LINK OWNER 192 292 RR"),
                     "CPRESP 113 HCPLNM113E OWNER 0192 not linked; read password required"));
        CHECK(starts(rig.cp_as("hostile", "LINK OWNER 192 292 RR WRONG"),
                     "CPRESP 114 HCPLNM114E OWNER 0192 not linked; password incorrect"));
        CHECK(starts(rig.cp_as("hostile", "LINK OWNER 191 291 RR"),
                     "CPRESP 113 HCPLNM113E OWNER 0191 not linked; no read password"));
        CHECK(starts(rig.cp_as("hostile", "LINK NOBODY 191 291 RR"),
                     "CPRESP 53 HCPLNM053E NOBODY not in CP directory"));
        CHECK(starts(rig.cp_as("hostile", "LINK OWNER 199 299 RR"), "CPRESP 107 HCPLNM107E"));
        CHECK(rig.cp_as("hostile", "LINK OWNER 192 292 RR rpass") == "CPRESP 0 ");
        CHECK(starts(rig.cp_as("hostile", "LINK OWNER 193 292 RR"),
                     "CPRESP 110 HCPLNM110E 0292 already defined"));
        // Read password ALL; R would be refused while OWNER writes, RR is not.
        CHECK(starts(rig.cp_as("hostile", "LINK OWNER 193 293 R"),
                     "CPRESP 104 HCPLNM104E OWNER 0193 not linked; R/W by OWNER"));
        CHECK(rig.cp_as("hostile", "LINK OWNER 193 293 RR") == "CPRESP 0 ");
        CHECK(rig.cp_as("chief", "LINK OWNER 191 291 RR") == "CPRESP 0 "); // class B
    }

    TEST_CASE("passwords cannot be tried at ring speed: five failures a minute, then refused") {
        LinkRig rig;
        for (int i = 0; i < 5; ++i) {
            CHECK(starts(rig.cp_as("hostile", "LINK OWNER 192 292 RR GUESS" + std::to_string(i)),
                         "CPRESP 114 HCPLNM114E OWNER 0192 not linked; password incorrect"));
        }
        CHECK(starts(rig.cp_as("hostile", "LINK OWNER 192 292 RR RPASS"),
                     "CPRESP 114 HCPLNM114E OWNER 0192 not linked; too many password failures"));
        CHECK(rig.cpd.log().find("RPASS") == std::string::npos); // passwords never reach the log
        CHECK(rig.cpd.log().find("GUESS") == std::string::npos);
        CHECK(rig.cp_as("hostile", "LINK OWNER 193 293 RR") == "CPRESP 0 "); // ALL needs none
        CHECK(rig.cp_as("chief", "LINK OWNER 192 292 RR RPASS") == "CPRESP 0 ");
    }

    TEST_CASE("arbitration: one writer, readers as the mode allows, MR forced read-only") {
        LinkRig rig;
        // READER holds 0193 R/O (its LINK statement): a W link is refused.
        CHECK(
            starts(rig.cp_as("hostile", "LINK OWNER 193 293 W ALL"), "CPRESP 113")); // no write pw
        CHECK(starts(rig.cp_as("hostile", "LINK OWNER 192 292 W WPASS"), "CPRESP 104 HCPLNM104E"));
        // OWNER itself holds 0192 R/W (its MDISK mode MR): M refused, MR forced to read.
        CHECK(starts(rig.cp_as("hostile", "LINK OWNER 192 292 M MPASS"),
                     "CPRESP 104 HCPLNM104E OWNER 0192 not linked; R/W by OWNER"));
        const std::string mr = rig.cp_as("hostile", "LINK OWNER 192 292 MR MPASS");
        CHECK(starts(mr, "CPRESP 0 HCPLNM101W DASD 0292 forced R/O"));
        CHECK(rig.cp_as("hostile", "Q V 292").find("R/O") != std::string::npos);
        // RR is granted while someone writes; R is not.
        CHECK(rig.cp_as("chief", "LINK OWNER 192 392 RR") == "CPRESP 0 ");
        CHECK(starts(rig.cp_as("chief", "DETACH 392"), "CPRESP 0 DASD 0392 DETACHED"));
        CHECK(starts(rig.cp_as("chief", "LINK OWNER 192 392 R"),
                     "CPRESP 104 HCPLNM104E OWNER 0192 not linked; R/W by OWNER"));
        // W is refused while anyone else holds a link: two readers by count.
        CHECK(rig.op.cp("FORCE OWNER").rc == CpRc::ok);
        CHECK(wait_until([&] { return rig.cpd.guest_pid("OWNER") == 0; }, 10s));
        CHECK(rig.cp_as("chief", "LINK OWNER 192 392 RR") == "CPRESP 0 ");
        CHECK(starts(rig.cp_as("reader", "LINK OWNER 192 492 W WPASS"),
                     "CPRESP 105 HCPLNM105E OWNER 0192 not linked; R/O by 2 users"));
        CHECK(starts(rig.cp_as("chief", "DETACH 392"), "CPRESP 0 DASD 0392 DETACHED"));
        CHECK(starts(rig.cp_as("reader", "LINK OWNER 192 492 W WPASS"),
                     "CPRESP 104 HCPLNM104E OWNER 0192 not linked; R/O by HOSTILE"));
        CHECK(starts(rig.cp_as("hostile", "DETACH 292"), "CPRESP 0 DASD 0292 DETACHED"));
        CHECK(rig.cp_as("reader", "LINK OWNER 192 492 W WPASS") == "CPRESP 0 ");
        CHECK(rig.cp_as("reader", "Q V 492").find("R/W") != std::string::npos);
    }

    TEST_CASE("the kernel holds a guest to its links: read-only is read-only, detached is gone") {
        if (not_root()) {
            return;
        }
        LinkRig rig;
        {
            std::ofstream f(rig.disk("OWNER", "0193") + "/notes.text");
            f << "owner's notes\n";
        }
        const std::string notes = rig.disk("OWNER", "0193") + "/notes.text";
        CHECK(starts(rig.hostile("read " + notes), "read: ")); // before LINK: no access
        CHECK(rig.hostile("read " + notes) != "read: ok");
        CHECK(rig.cp_as("hostile", "LINK OWNER 193 293 RR") == "CPRESP 0 ");
        CHECK(rig.hostile("read " + notes) == "read: ok");
        CHECK(rig.hostile("write " + notes) != "write: ok");
        CHECK(rig.hostile("write " + rig.disk("OWNER", "0193") + "/new.file") != "write: ok");
        CHECK(::access((rig.disk("OWNER", "0193") + "/new.file").c_str(), F_OK) != 0);
        // Another's disk it never linked stays closed; its own stays open.
        CHECK(rig.hostile("read " + rig.cpd.out_file("reader")) != "read: ok");
        CHECK(starts(rig.cp_as("hostile", "DETACH 293"), "CPRESP 0 DASD 0293 DETACHED"));
        CHECK(rig.hostile("read " + notes) != "read: ok");
        CHECK(starts(rig.cp_as("hostile", "DETACH 293"), "CPRESP 40 HCPDTV040E Device 0293"));
        // A write link writes.
        CHECK(rig.cp_as("chief", "LINK OWNER 191 291 RR") == "CPRESP 0 ");
        CHECK(starts(rig.cp_as("hostile", "LINK OWNER 192 292 MW MPASS"), "CPRESP 0"));
        CHECK(rig.hostile("write " + rig.disk("OWNER", "0192") + "/hostile.file") == "write: ok");
    }

    TEST_CASE("logoff drops every link: the disk is closed to that guest's uid") {
        if (not_root()) {
            return;
        }
        LinkRig rig;
        const std::string before = rig.cp_as("owner", "QUERY LINKS 193");
        CHECK(before.find("READER") != std::string::npos);
        CHECK(rig.op.cp("FORCE READER").rc == CpRc::ok);
        CHECK(wait_until(
            [&] {
                return rig.cp_as("owner", "QUERY LINKS 193").find("READER") == std::string::npos;
            },
            10s));
    }

} // TEST_SUITE
