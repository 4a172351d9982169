// SPDX-License-Identifier: MIT
// Unit tests of the directory parser on valid input: every statement form, the
// defaults, comments and warnings, POSIXINFO lookup, and the shipped sample
// directory. Error forms are in directory_parser_errors_test.cpp.
#include "config/directory/directory_parser.hpp"

#include "directory_test_support.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <string>

using cpd::daemon::DirectoryEntry;
using cpd::daemon::DirectoryParseResult;
using cpd::daemon::IucvAuthorization;
using cpd::daemon::load_directory;
using cpd::daemon::parse_directory;
using cpd::proto::Userid;
using cpd::daemon::test::all;
using cpd::daemon::test::parse;

namespace {

/// The entry for `name` in a result that must have parsed cleanly.
const DirectoryEntry& entry(const DirectoryParseResult& r, const char* name) {
    INFO(all(r.errors));
    REQUIRE(r.ok());
    auto id = Userid::parse(name);
    REQUIRE(id.has_value());
    const DirectoryEntry* e = r.directory.find(*id);
    REQUIRE(e != nullptr);
    return *e;
}

std::string sample_path(const char* name) {
    return (std::filesystem::path(__FILE__).parent_path() / "../../../packaging/sample" / name)
        .lexically_normal()
        .string();
}

} // namespace

TEST_SUITE("cpd.directory") {

    TEST_CASE("the sample directory parses with no errors and no warnings") {
        const auto r = load_directory(sample_path("user.direct"));
        INFO(all(r.errors), all(r.warnings));
        REQUIRE(r.ok());
        CHECK(r.warnings.empty());
        for (const char* name :
             {"OPERATOR", "MAINT", "ECHO", "SINK", "FLOOD", "ALICE", "BOB", "DISKS"})
            CHECK_MESSAGE(entry(r, name).userid.str() == name, name);
        const auto& oper = entry(r, "OPERATOR");
        CHECK(oper.has_class('A'));
        CHECK(oper.posix_uid == 0u);
        CHECK(entry(r, "MAINT").ipl_program == "CMS");
        REQUIRE(entry(r, "MAINT").minidisks.size() == 1);
        CHECK(entry(r, "MAINT").minidisks[0].host_path == "$STATE/disks/MAINT/191");
        CHECK(entry(r, "ECHO").ipl_program == "ECHO");
        CHECK(entry(r, "DISKS").nolog);
        CHECK(entry(r, "DISKS").minidisks[0].read_password == "ALL");
        REQUIRE(entry(r, "ALICE").links.size() == 1);
        CHECK(entry(r, "ALICE").links[0].owner == "DISKS");
        CHECK(entry(r, "ALICE").links[0].filemode == 'B');
        CHECK(r.directory.find_by_posix(0, "root")->userid.str() == "OPERATOR");
    }

    TEST_CASE("a minimal USER statement gets the defaults") {
        const auto r = parse("USER alice pw\n");
        const auto& e = entry(r, "ALICE");
        CHECK(e.classes == "G");
        CHECK_FALSE(e.nolog);
        CHECK(e.storage.empty());
        CHECK(e.max_storage.empty());
        CHECK(e.ipl_program.empty());
        CHECK(e.maxconn == 64);
        CHECK(e.source == "user.direct:1");
    }

    TEST_CASE("USER keeps storage, maximum storage and upper-cased classes") {
        const auto r = parse("\n\nuser maint secret 64m 1G abcg12\n");
        const auto& e = entry(r, "MAINT");
        CHECK(e.storage == "64M");
        CHECK(e.max_storage == "1G");
        CHECK(e.classes == "ABCG12");
        CHECK(e.has_class('B'));
        CHECK_FALSE(e.has_class('E'));
        CHECK(e.source == "user.direct:3");
    }

    TEST_CASE("the password NOLOG marks an entry that cannot be logged on") {
        const auto r = parse("USER DISKS nolog\nUSER ALICE NOLOGX\n");
        CHECK(entry(r, "DISKS").nolog);
        CHECK_FALSE(entry(r, "ALICE").nolog);
    }

    TEST_CASE("an IPL for a NOLOG user is warned about") {
        const auto r = parse("USER DISKS NOLOG\n IPL CMS\n");
        REQUIRE(r.ok());
        REQUIRE(r.warnings.size() == 1);
        CHECK(r.warnings[0].to_string() ==
              "user.direct:2: IPL of NOLOG user DISKS is never used (NOLOG cannot be logged on)");
    }

    TEST_CASE("warnings come out in line order") {
        const auto r = parse("USER DISKS NOLOG\n IPL CMS\n CONSOLE 009 3215\n");
        REQUIRE(r.warnings.size() == 2);
        CHECK(r.warnings[0].line == 2);
        CHECK(r.warnings[1].line == 3);
    }

    TEST_CASE("IPL names a built-in program or an absolute path") {
        SUBCASE("built-in name, upper-cased") {
            const auto r = parse("USER A X\n ipl echo\n");
            CHECK(entry(r, "A").ipl_program == "ECHO");
            CHECK(entry(r, "A").ipl_parm.empty());
        }
        SUBCASE("absolute path kept verbatim") {
            const auto r = parse("USER A X\nIPL /opt/Guests/my-guest\n");
            CHECK(entry(r, "A").ipl_program == "/opt/Guests/my-guest");
        }
        SUBCASE("PARM keeps the rest of the line verbatim") {
            const auto r = parse("USER A X\nIPL CMS PARM  Two  spaces and *stars* # too \n");
            CHECK(entry(r, "A").ipl_program == "CMS");
            CHECK(entry(r, "A").ipl_parm == " Two  spaces and *stars* # too ");
        }
        SUBCASE("parm keyword in lower case, CRLF line ending") {
            const auto r = parse("USER A X\r\nIPL SINK parm count=10\r\n");
            CHECK(entry(r, "A").ipl_parm == "count=10");
        }
    }

    TEST_CASE("IUCV statements accumulate with their MSGLIMIT") {
        const auto r = parse("USER A X\n"
                             " IUCV ALLOW\n"
                             " iucv any msglimit 65535\n"
                             " IUCV echo MSGLIMIT 1\n");
        const auto& iucv = entry(r, "A").iucv;
        REQUIRE(iucv.size() == 3);
        CHECK(iucv[0].kind == IucvAuthorization::Kind::allow);
        CHECK(iucv[0].msglimit == 0);
        CHECK_FALSE(iucv[0].target.has_value());
        CHECK(iucv[1].kind == IucvAuthorization::Kind::any);
        CHECK(iucv[1].msglimit == 65535);
        CHECK(iucv[2].kind == IucvAuthorization::Kind::user);
        REQUIRE(iucv[2].target.has_value());
        CHECK(iucv[2].target->str() == "ECHO");
        CHECK(iucv[2].msglimit == 1);
    }

    TEST_CASE("IUCV to a CP system service and PRIORITY are warned about and ignored") {
        const auto r = parse("USER A X\nIUCV *MSG\nIUCV ANY PRIORITY\n");
        CHECK(entry(r, "A").iucv.size() == 1);
        REQUIRE(r.warnings.size() == 2);
        CHECK(r.warnings[0].to_string() ==
              "user.direct:2: IUCV *MSG: CP system services are not modelled; ignored");
        CHECK(r.warnings[1].to_string() ==
              "user.direct:3: IUCV: PRIORITY is not modelled; ignored");
    }

    TEST_CASE("OPTION MAXCONN sets the connection limit; other options are warned about") {
        SUBCASE("MAXCONN alone") {
            const auto r = parse("USER A X\nOPTION MAXCONN 128\n");
            CHECK(entry(r, "A").maxconn == 128);
            CHECK(r.warnings.empty());
        }
        SUBCASE("MAXCONN among other options") {
            const auto r = parse("USER A X\noption quickdsp maxconn 1 lkfactor 10\n");
            CHECK(entry(r, "A").maxconn == 1);
            REQUIRE(r.warnings.size() == 1);
            CHECK(r.warnings[0].to_string() ==
                  "user.direct:2: OPTION QUICKDSP LKFACTOR 10 not supported; ignored");
        }
    }

    TEST_CASE("POSIXINFO names a host uid, a host user name, or both") {
        const auto r = parse("USER OPERATOR X\n POSIXINFO UID 0\n"
                             "USER ALICE X\n posixinfo uname alice.b UID 1000\n"
                             "USER BOB X\n POSIXINFO UNAME Bob_2\n"
                             "USER MAX X\n POSIXINFO UID 4294967294\n");
        CHECK(entry(r, "OPERATOR").posix_uid == 0u);
        CHECK_FALSE(entry(r, "OPERATOR").posix_uname.has_value());
        CHECK(entry(r, "ALICE").posix_uid == 1000u);
        CHECK(entry(r, "ALICE").posix_uname == "alice.b");
        CHECK(entry(r, "BOB").posix_uname == "Bob_2");
        CHECK(entry(r, "MAX").posix_uid == 4294967294u);

        SUBCASE("lookup by uid") {
            CHECK(r.directory.find_by_posix(0, "root")->userid.str() == "OPERATOR");
            CHECK(r.directory.find_by_posix(1000, "")->userid.str() == "ALICE");
        }
        SUBCASE("lookup by user name") {
            CHECK(r.directory.find_by_posix(5000, "Bob_2")->userid.str() == "BOB");
            CHECK(r.directory.find_by_posix(5000, "bob_2") == nullptr);
        }
    }

    TEST_CASE("POSIXINFO GID and friends are warned about and ignored") {
        const auto r = parse("USER A X\nPOSIXINFO UID 10 GID 100 IWDIR /home/a\n");
        CHECK(entry(r, "A").posix_uid == 10u);
        REQUIRE(r.warnings.size() == 2);
        CHECK(r.warnings[0].message == "POSIXINFO: GID is not used; ignored");
        CHECK(r.warnings[1].message == "POSIXINFO: IWDIR is not used; ignored");
    }

    TEST_CASE("MDISK modes map to read-only and read-write") {
        const char* rw_modes[] = {"W", "WR", "M", "MR", "MW", "RW", "mr"};
        const char* ro_modes[] = {"R", "RR", "rr"};
        for (const char* m : rw_modes) {
            const auto r = parse(std::string("USER A X\nMDISK 191 /d ") + m + "\n");
            REQUIRE(entry(r, "A").minidisks.size() == 1);
            CHECK_MESSAGE(entry(r, "A").minidisks[0].read_write, m);
        }
        for (const char* m : ro_modes) {
            const auto r = parse(std::string("USER A X\nMDISK 191 /d ") + m + "\n");
            REQUIRE(entry(r, "A").minidisks.size() == 1);
            CHECK_FALSE_MESSAGE(entry(r, "A").minidisks[0].read_write, m);
        }
    }

    TEST_CASE("MDISK pads the virtual device and keeps $STATE paths verbatim") {
        const auto r = parse("USER A X\nMDISK 1a /srv/a MR\nMDISK FFFF $STATE/disks/A/ffff RR\n");
        const auto& d = entry(r, "A").minidisks;
        REQUIRE(d.size() == 2);
        CHECK(d[0].vdev == "001A");
        CHECK(d[0].host_path == "/srv/a");
        CHECK(d[1].vdev == "FFFF");
        CHECK(d[1].host_path == "$STATE/disks/A/ffff");
    }

    TEST_CASE("MDISK filemodes default to the lowest free letter") {
        SUBCASE("in statement order") {
            const auto r = parse("USER A X\nMDISK 191 /a MR\nMDISK 192 /b RR\nMDISK 193 /c RR\n");
            const auto& d = entry(r, "A").minidisks;
            REQUIRE(d.size() == 3);
            CHECK(d[0].filemode == 'A');
            CHECK(d[1].filemode == 'B');
            CHECK(d[2].filemode == 'C');
        }
        SUBCASE("skipping letters given explicitly, even later ones") {
            const auto r =
                parse("USER A X\nMDISK 190 /s RR s\nMDISK 191 /a MR\nMDISK 192 /b RR A\n");
            const auto& d = entry(r, "A").minidisks;
            REQUIRE(d.size() == 3);
            CHECK(d[0].filemode == 'S');
            CHECK(d[1].filemode == 'B');
            CHECK(d[2].filemode == 'A');
        }
        SUBCASE("each entry has its own letters") {
            const auto r = parse("USER A X\nMDISK 191 /a MR\nUSER B X\nMDISK 191 /b MR\n");
            CHECK(entry(r, "A").minidisks[0].filemode == 'A');
            CHECK(entry(r, "B").minidisks[0].filemode == 'A');
        }
    }

    TEST_CASE("comment lines and blank lines are skipped") {
        const auto r = parse("* z/VM comment\n# shell comment\n\n   \t\n  * indented\nUSER A X\n"
                             "*IPL BOGUS\n");
        CHECK(entry(r, "A").ipl_program.empty());
        CHECK(r.warnings.empty());
    }

    TEST_CASE("unknown statements are warned about, not fatal") {
        const auto r =
            parse("DIRECTORY 0123 3390 VMRES\nUSER A X\n CONSOLE 009 3215 T\n"
                  " spool 00C 2540 READER *\n XAUTOLOG MAINT\n INCLUDE IBMDFLT\n");
        REQUIRE(r.ok());
        REQUIRE(r.warnings.size() == 5);
        CHECK(r.warnings[0].to_string() == "user.direct:1: unknown statement DIRECTORY ignored");
        CHECK(r.warnings[1].to_string() == "user.direct:3: unknown statement CONSOLE ignored");
        CHECK(r.warnings[2].to_string() == "user.direct:4: unknown statement SPOOL ignored");
        CHECK(r.warnings[3].to_string() == "user.direct:5: unknown statement XAUTOLOG ignored");
        CHECK(r.warnings[4].to_string() == "user.direct:6: unknown statement INCLUDE ignored");
        CHECK(entry(r, "A").userid.str() == "A");
    }

    TEST_CASE("an empty directory is a warning") {
        const auto r = parse("* nothing here\n");
        CHECK(r.ok());
        REQUIRE(r.warnings.size() == 1);
        CHECK(r.warnings[0].to_string() ==
              "user.direct: no USER statements: the directory is empty");
        CHECK(r.directory.size() == 0);
    }

    TEST_CASE("a last line without a newline is parsed") {
        const auto r = parse("USER A X\nIPL ECHO");
        CHECK(entry(r, "A").ipl_program == "ECHO");
    }

} // TEST_SUITE
