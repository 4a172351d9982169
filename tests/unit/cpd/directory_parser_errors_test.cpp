// SPDX-License-Identifier: MIT
// Unit tests of the directory parser on bad input: every error form must name
// file:line and say what is wrong, all errors are collected, and load_directory
// reports unreadable files with the errno text.
#include "config/directory/directory_parser.hpp"

#include "directory_test_support.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <unistd.h>

using cpd::daemon::DirectoryParseResult;
using cpd::daemon::load_directory;
using cpd::daemon::parse_directory;
using cpd::proto::Userid;
using cpd::daemon::test::all;
using cpd::daemon::test::parse;

namespace {

/// The one error `text` must produce, as "file:line: message".
std::string only_error(std::string_view text) {
    const auto r = parse(text);
    INFO(all(r.errors));
    REQUIRE(r.errors.size() == 1);
    return r.errors[0].to_string();
}

/// The one error of a statement placed on line 2, after "USER A X".
std::string error_of(const std::string& statement) {
    return only_error("USER A X\n" + statement + "\n");
}

} // namespace

TEST_SUITE("cpd.directory") {

    TEST_CASE("a statement before the first USER is an error") {
        CHECK(only_error("* header\nIPL CMS\nUSER A X\n") ==
              "user.direct:2: IPL statement before the first USER statement");
        CHECK(only_error("mdisk 191 /a MR\n") ==
              "user.direct:1: MDISK statement before the first USER statement");
    }

    TEST_CASE("USER errors name the line and the problem") {
        CHECK(only_error("USER\n") == "user.direct:1: USER: missing userid");
        CHECK(only_error("USER ALICE\n") ==
              "user.direct:1: USER: missing password (any word, or NOLOG)");
        CHECK(only_error("USER ALICE X 32Q\n") ==
              "user.direct:1: USER: storage must be a number followed by K, M or G, got '32Q'");
        CHECK(only_error("USER ALICE X 0M\n") ==
              "user.direct:1: USER: storage must be a number followed by K, M or G, got '0M'");
        CHECK(only_error("USER ALICE X M\n") ==
              "user.direct:1: USER: storage must be a number followed by K, M or G, got 'M'");
        CHECK(only_error("USER ALICE X 32M 1.5G\n") ==
              "user.direct:1: USER: maximum storage must be a number followed by K, M or G, got "
              "'1.5G'");
        CHECK(only_error("USER ALICE X 64M 32M\n") ==
              "user.direct:1: USER: maximum storage 32M is less than storage 64M");
        CHECK(only_error("USER ALICE X 1G 1024M G 99\n") ==
              "user.direct:1: USER: unexpected operand '99' (USER userid password [storage "
              "[maxstorage [classes]]])");
    }

    TEST_CASE("privilege classes must be letters or digits 1-6") {
        CHECK(only_error("USER A X 1M 1M G7\n") ==
              "user.direct:1: USER: privilege classes must be letters A-Z or digits 1-6, got 'G7'");
        CHECK(only_error("USER A X 1M 1M G*\n") ==
              "user.direct:1: USER: privilege classes must be letters A-Z or digits 1-6, got 'G*'");
        const auto r = parse("USER A X 1M 1M ggAb6\n");
        REQUIRE(r.ok());
        CHECK(r.directory.find(*Userid::parse("A"))->classes == "GAB6");
    }

    TEST_CASE("bad userids are rejected with the reason") {
        CHECK(only_error("USER ABCDEFGHI X\n") ==
              "user.direct:1: USER: invalid userid 'ABCDEFGHI': longer than 8 characters");
        CHECK(only_error("USER \xc3\x84NNE X\n") ==
              "user.direct:1: USER: invalid userid '\xc3\x84NNE': contains non-ASCII characters");
        CHECK(only_error("USER stra\xc3\x9f"
                         "e X\n") == "user.direct:1: USER: invalid userid 'stra\xc3\x9f"
                                     "e': contains non-ASCII characters");
        CHECK(only_error("USER A.B X\n") ==
              "user.direct:1: USER: invalid userid 'A.B': character '.' is not allowed (only A-Z "
              "0-9 @ # $)");
        CHECK(only_error("USER SYSTEM X\n") ==
              "user.direct:1: USER: userid SYSTEM is reserved (CP's own name)");
        CHECK(only_error("USER $con X\n") ==
              "user.direct:1: USER: userid $CON is reserved (the console pseudo-machine)");
        const auto ok = parse("USER ABCDEFGH X\nUSER @#$09 X\n");
        CHECK(ok.ok());
        CHECK(ok.directory.size() == 2);
    }

    TEST_CASE("a rejected USER drops its entry without a cascade of errors") {
        const auto r = parse("USER TOOLONGNAME X\n IPL CMS\n MDISK 191 /a MR\n");
        CHECK(r.errors.size() == 1);
        CHECK(r.directory.size() == 0);
    }

    TEST_CASE("a duplicate USER is an error naming the first definition") {
        const auto r = parse("USER ECHO X\n IPL ECHO\nUSER MAINT X\nuser echo Y\n IPL CMS\n");
        REQUIRE(r.errors.size() == 1);
        CHECK(r.errors[0].to_string() ==
              "user.direct:4: USER: duplicate userid ECHO (first defined at user.direct:1)");
        CHECK(r.directory.find(*Userid::parse("ECHO"))->ipl_program == "ECHO");
    }

    TEST_CASE("IPL errors") {
        CHECK(error_of("IPL") == "user.direct:2: IPL: missing program (a built-in name such as "
                                 "CMS, or an absolute path)");
        CHECK(error_of("IPL bin/guest") == "user.direct:2: IPL: program must be a built-in name "
                                           "(letters and digits, starting with a letter) or an "
                                           "absolute path, got 'bin/guest'");
        CHECK(error_of("IPL 190") == "user.direct:2: IPL: program must be a built-in name (letters "
                                     "and digits, starting with a letter) or an absolute path, got "
                                     "'190'");
        CHECK(error_of("IPL CMS LOADPARM 1") ==
              "user.direct:2: IPL: unexpected operand 'LOADPARM' (IPL program [PARM text])");
        CHECK(error_of("IPL CMS PARM") == "user.direct:2: IPL: PARM needs text");
        CHECK(error_of("IPL CMS PARM   ") == "user.direct:2: IPL: PARM needs text");
        CHECK(only_error("USER A X\nIPL CMS\nIPL ECHO\n") ==
              "user.direct:3: IPL: second IPL statement for this user (first at user.direct:2)");
    }

    TEST_CASE("IUCV errors") {
        CHECK(error_of("IUCV") == "user.direct:2: IUCV: missing operand (ALLOW, ANY or a userid)");
        CHECK(error_of("IUCV ANY MSGLIMIT x") ==
              "user.direct:2: IUCV: MSGLIMIT needs a number 1-65535, got 'x'");
        CHECK(error_of("IUCV ANY MSGLIMIT 0") ==
              "user.direct:2: IUCV: MSGLIMIT needs a number 1-65535, got '0'");
        CHECK(error_of("IUCV ANY MSGLIMIT 65536") ==
              "user.direct:2: IUCV: MSGLIMIT needs a number 1-65535, got '65536'");
        CHECK(error_of("IUCV ANY MSGLIMIT -1") ==
              "user.direct:2: IUCV: MSGLIMIT needs a number 1-65535, got '-1'");
        CHECK(error_of("IUCV ANY MSGLIMIT") ==
              "user.direct:2: IUCV: MSGLIMIT needs a number 1-65535");
        CHECK(error_of("IUCV NINECHARS") ==
              "user.direct:2: IUCV: invalid userid 'NINECHARS': longer than 8 characters");
        CHECK(error_of("IUCV ALLOW QUICKLY") == "user.direct:2: IUCV: unexpected operand 'QUICKLY' "
                                                "(IUCV ALLOW | ANY | userid [MSGLIMIT n])");
    }

    TEST_CASE("OPTION errors") {
        CHECK(error_of("OPTION") == "user.direct:2: OPTION: missing operand (e.g. MAXCONN n)");
        CHECK(error_of("OPTION MAXCONN") ==
              "user.direct:2: OPTION: MAXCONN needs a number 1-65535");
        CHECK(error_of("OPTION MAXCONN 0") ==
              "user.direct:2: OPTION: MAXCONN needs a number 1-65535, got '0'");
        CHECK(error_of("OPTION MAXCONN 99999999999") ==
              "user.direct:2: OPTION: MAXCONN needs a number 1-65535, got '99999999999'");
    }

    TEST_CASE("POSIXINFO errors") {
        CHECK(error_of("POSIXINFO") ==
              "user.direct:2: POSIXINFO: missing operand (UID n or UNAME name)");
        CHECK(error_of("POSIXINFO UID") ==
              "user.direct:2: POSIXINFO: UID needs a number 0-4294967294");
        CHECK(error_of("POSIXINFO UID 4294967295") ==
              "user.direct:2: POSIXINFO: UID needs a number 0-4294967294, got '4294967295'");
        CHECK(error_of("POSIXINFO UID abc") ==
              "user.direct:2: POSIXINFO: UID needs a number 0-4294967294, got 'abc'");
        CHECK(error_of("POSIXINFO UNAME -rf") ==
              "user.direct:2: POSIXINFO: UNAME needs a host user "
              "name (1-32 of A-Z a-z 0-9 . _ -), got '-rf'");
        CHECK(error_of("POSIXINFO UNAME") ==
              "user.direct:2: POSIXINFO: UNAME needs a host user name "
              "(1-32 of A-Z a-z 0-9 . _ -)");
        CHECK(
            error_of("POSIXINFO SHELL /bin/sh") ==
            "user.direct:2: POSIXINFO: unexpected operand 'SHELL' (POSIXINFO UID n | UNAME name)");
        CHECK(only_error("USER A X\nPOSIXINFO UID 1\nPOSIXINFO UID 2\n") ==
              "user.direct:3: POSIXINFO: UID given twice for A");
    }

    TEST_CASE("two entries claiming one POSIX uid or user name is an error naming both lines") {
        CHECK(
            only_error("USER ALICE X\n POSIXINFO UID 1000\n\nUSER BOB X\n POSIXINFO UID 1000\n") ==
            "user.direct:5: POSIXINFO: UID 1000 of BOB is already claimed by ALICE at "
            "user.direct:2");
        CHECK(only_error("USER ALICE X\n POSIXINFO UNAME al\nUSER BOB X\n POSIXINFO UNAME al\n") ==
              "user.direct:4: POSIXINFO: UNAME al of BOB is already claimed by ALICE at "
              "user.direct:2");
        const auto distinct = parse("USER A X\nPOSIXINFO UNAME al\nUSER B X\nPOSIXINFO UNAME Al\n");
        CHECK(distinct.ok());
    }

    TEST_CASE("MDISK errors") {
        CHECK(error_of("MDISK") ==
              "user.direct:2: MDISK: missing virtual device number (1-4 hex digits)");
        CHECK(error_of("MDISK 191") == "user.direct:2: MDISK: missing host path or device type");
        CHECK(error_of("MDISK 191 /a") ==
              "user.direct:2: MDISK: missing mode (RR read-only, MR read-write)");
        CHECK(error_of("MDISK 10000 /a MR") ==
              "user.direct:2: MDISK: virtual device must be 1-4 hex digits, got '10000'");
        CHECK(error_of("MDISK 19G /a MR") ==
              "user.direct:2: MDISK: virtual device must be 1-4 hex digits, got '19G'");
        CHECK(error_of("MDISK 191 disks/191 MR") ==
              "user.direct:2: MDISK: z/VM form needs devtype start size volser mode "
              "(MDISK vdev devtype start size volser mode)");
        CHECK(error_of("MDISK 191 $STATE/ MR") ==
              "user.direct:2: MDISK: host path must be absolute "
              "or start with $STATE/, got '$STATE/'");
        CHECK(error_of("MDISK 191 $STATEX/a MR") ==
              "user.direct:2: MDISK: host path must be absolute "
              "or start with $STATE/, got '$STATEX/a'");
        CHECK(error_of("MDISK 191 /a VR") ==
              "user.direct:2: MDISK: mode must be R or RR (read-only) or W, WR, M, MR, MW "
              "(read-write), got 'VR'");
        CHECK(error_of("MDISK 191 /a MR 1") ==
              "user.direct:2: MDISK: filemode must be a letter A-Z, got '1'");
        CHECK(error_of("MDISK 191 /a MR A R W M X") ==
              "user.direct:2: MDISK: unexpected operand 'X' "
              "(MDISK vdev hostpath mode [filemode] [readpw [writepw [multpw]]])");
        CHECK(error_of("MDISK 191 /a MR A TOOLONGPW") ==
              "user.direct:2: MDISK: password must be 1-8 printable characters, got 'TOOLONGPW'");
        CHECK(error_of("MDISK 191 3390 X 50 VOL001 MR") ==
              "user.direct:2: MDISK: start must be a number, got 'X'");
        CHECK(error_of("MDISK 191 3390 1 X VOL001 MR") ==
              "user.direct:2: MDISK: size must be a number or END, got 'X'");
        CHECK(error_of("MDISK 191 3390 1 5 VOLUME1 MR") ==
              "user.direct:2: MDISK: volume serial must be 1-6 of A-Z 0-9 @ # $, got 'VOLUME1'");
        CHECK(error_of("MDISK 191 3390 V-DISK 5 VOL1 MR") ==
              "user.direct:2: MDISK: V-DISK (temporary disks) is not supported");
        CHECK(error_of("MDISK 191 3390 1 5 VOL1 ER") ==
              "user.direct:2: MDISK: mode must be R or RR (read-only) or W, WR, M, MR, MW "
              "(read-write), got 'ER'");
    }

    TEST_CASE("LINK and SHARE errors") {
        CHECK(error_of("LINK") == "user.direct:2: LINK: missing userid (LINK userid vdev1 [vdev2 [mode]])");
        CHECK(error_of("LINK MAINT") ==
              "user.direct:2: LINK: missing virtual device number (1-4 hex digits)");
        CHECK(error_of("LINK TOOLONGID 191") ==
              "user.direct:2: LINK: invalid userid 'TOOLONGID': longer than 8 characters");
        CHECK(error_of("LINK MAINT 1G1") ==
              "user.direct:2: LINK: virtual device must be 1-4 hex digits, got '1G1'");
        CHECK(error_of("LINK MAINT 191 291 XX") ==
              "user.direct:2: LINK: mode must be one of R RR W WR M MR MW SR SW SM ER EW, got 'XX'");
        CHECK(error_of("LINK MAINT 191 291 RR 7") ==
              "user.direct:2: LINK: filemode must be a letter A-Z, got '7'");
        CHECK(error_of("LINK MAINT 191 291 RR C X") ==
              "user.direct:2: LINK: unexpected operand 'X' (LINK userid vdev1 [vdev2 [mode [filemode]]])");
        CHECK(error_of("SHARE RELATIVE 0") ==
              "user.direct:2: SHARE: RELATIVE needs a number 1-10000, got '0'");
        CHECK(error_of("SHARE") == "user.direct:2: SHARE: expected SHARE RELATIVE n (n 1-10000)");
    }

    TEST_CASE("MDISK $STATE/ paths may not leave the state directory") {
        const std::string msg = "user.direct:2: MDISK: host path below $STATE/ must not contain "
                                "'.', '..' or empty components, got ";
        CHECK(error_of("MDISK 191 $STATE/../x MR") == msg + "'$STATE/../x'");
        CHECK(error_of("MDISK 191 $STATE/.. MR") == msg + "'$STATE/..'");
        CHECK(error_of("MDISK 191 $STATE/disks/../../etc MR") == msg + "'$STATE/disks/../../etc'");
        CHECK(error_of("MDISK 191 $STATE/./x MR") == msg + "'$STATE/./x'");
        CHECK(error_of("MDISK 191 $STATE/x/. MR") == msg + "'$STATE/x/.'");
        CHECK(error_of("MDISK 191 $STATE//x MR") == msg + "'$STATE//x'");
        CHECK(error_of("MDISK 191 $STATE/x//y MR") == msg + "'$STATE/x//y'");
        CHECK(error_of("MDISK 191 $STATE/x/ MR") == msg + "'$STATE/x/'");
        const auto ok = parse("USER A X\nMDISK 191 $STATE/..x/.y/x..z/disks.. MR\n");
        INFO(all(ok.errors));
        CHECK(ok.ok());
    }

    TEST_CASE("two minidisks at one filemode or one vdev in an entry are errors") {
        CHECK(only_error("USER A X\nMDISK 191 /a MR A\nMDISK 192 /b RR a\n") ==
              "user.direct:3: MDISK: filemode A is already used by MDISK 0191 at user.direct:2");
        CHECK(only_error("USER A X\nMDISK 191 /a MR\nMDISK 0191 /b RR\n") ==
              "user.direct:3: MDISK: virtual device 0191 already defined at user.direct:2");
    }

    TEST_CASE("more than 26 minidisks leave no filemode for the last") {
        std::string text = "USER A X\n";
        for (int i = 0; i < 27; ++i)
            text += "MDISK " + std::to_string(100 + i) + " /d" + std::to_string(i) + " RR\n";
        CHECK(only_error(text) == "user.direct:28: MDISK: no free filemode left for 0126");
    }

    TEST_CASE("control characters in a line are an error") {
        CHECK(only_error(std::string("USER A X\nIPL CMS PARM a\0b\n", 26)) ==
              "user.direct:2: control character 0x00 in line");
        CHECK(only_error("USER A X\nIPL CMS PARM a\x1b[2Jb\n") ==
              "user.direct:2: control character 0x1B in line");
    }

    TEST_CASE("all errors are collected, in line order") {
        const auto r = parse("IPL CMS\n"
                             "USER TOOLONGUSER X\n"
                             "USER A X\n"
                             " IUCV ANY MSGLIMIT x\n"
                             " CONSOLE 009 3215\n"
                             " OPTION MAXCONN 0\n"
                             "USER A X\n");
        INFO(all(r.errors));
        REQUIRE(r.errors.size() == 5);
        CHECK(r.errors[0].line == 1);
        CHECK(r.errors[1].line == 2);
        CHECK(r.errors[2].line == 4);
        CHECK(r.errors[3].line == 6);
        CHECK(r.errors[4].to_string() ==
              "user.direct:7: USER: duplicate userid A (first defined at user.direct:3)");
        REQUIRE(r.warnings.size() == 1);
        CHECK(r.warnings[0].line == 5);
    }

    TEST_CASE("random statements never crash the parser and keep its invariants") {
        static constexpr const char* words[] = {
            "USER",     "IPL",       "IUCV", "OPTION", "POSIXINFO", "MDISK", "PARM",
            "MSGLIMIT", "MAXCONN",   "UID",  "UNAME",  "ALLOW",     "ANY",   "NOLOG",
            "A",        "ECHO",      "G",    "64M",    "0",         "65536", "191",
            "/d",       "$STATE/x",  "MR",   "RR",     "B",         "*",     "#",
            "\xff",     "ABCDEFGHI", "1000", "alice",  ""};
        std::mt19937 rng(20240601);
        for (int round = 0; round < 200; ++round) {
            std::string text;
            const int lines = 1 + static_cast<int>(rng() % 30);
            for (int l = 0; l < lines; ++l) {
                const auto n = rng() % 7;
                for (unsigned w = 0; w < n; ++w)
                    text += std::string(words[rng() % std::size(words)]) + (rng() % 4 ? " " : "\t");
                text += "\n";
            }
            const auto r = parse(text);
            for (const auto& d : r.errors)
                CHECK((d.line >= 1 && d.line <= lines));
            for (const auto& [id, e] : r.directory.entries()) {
                std::set<char> modes;
                for (const auto& disk : e.minidisks) {
                    CHECK(disk.vdev.size() == 4);
                    CHECK(modes.insert(disk.filemode).second);
                }
            }
        }
    }

    TEST_CASE("load_directory of a missing file names the file and the errno text") {
        const auto r = load_directory("/nonexistent-cpd-test/user.direct");
        REQUIRE(r.errors.size() == 1);
        CHECK(r.errors[0].to_string() == "/nonexistent-cpd-test/user.direct: unable to open "
                                         "directory file: No such file or directory");
        CHECK(r.directory.size() == 0);
    }

    TEST_CASE("load_directory refuses a directory, naming what it is") {
        const auto r = load_directory("/");
        REQUIRE(r.errors.size() == 1);
        CHECK(r.errors[0].to_string() == "/: directory file is a directory, not a regular file");
    }

    TEST_CASE("load_directory names diagnostics by the path it was given") {
        char tmpl[] = "/tmp/cpd-directory-test-XXXXXX";
        REQUIRE(::mkdtemp(tmpl) != nullptr);
        const std::string path = std::string(tmpl) + "/user.direct";
        std::ofstream(path) << "USER A X\nIUCV ANY MSGLIMIT x\n";
        const auto r = load_directory(path);
        std::filesystem::remove_all(tmpl);
        REQUIRE(r.errors.size() == 1);
        CHECK(r.errors[0].to_string() ==
              path + ":2: IUCV: MSGLIMIT needs a number 1-65535, got 'x'");
    }

    TEST_CASE("load_directory refuses a file over 16 MiB") {
        char tmpl[] = "/tmp/cpd-directory-test-XXXXXX";
        REQUIRE(::mkdtemp(tmpl) != nullptr);
        const std::string path = std::string(tmpl) + "/huge.direct";
        std::ofstream(path) << "USER A X\n";
        std::filesystem::resize_file(path, 17 * 1024 * 1024); // sparse
        const auto r = load_directory(path);
        std::filesystem::remove_all(tmpl);
        REQUIRE(r.errors.size() == 1);
        CHECK(r.errors[0].to_string() ==
              path + ": directory file is larger than 16 MiB (17825792 bytes)");
    }

} // TEST_SUITE
