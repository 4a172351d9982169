// SPDX-License-Identifier: MIT
// The minidisk statements of the directory: MDISK in both forms (host path,
// and z/VM's devtype start size volser), its passwords, LINK statements and
// their filemodes, and the OPTIONs and SHARE that isolation reads.
#include "directory_test_support.hpp"

#include <doctest/doctest.h>

using namespace cpd::daemon;
using cpd::daemon::test::all;
using cpd::daemon::test::parse;
using cpd::proto::Userid;

namespace {

const DirectoryEntry& entry(const DirectoryParseResult& r, const char* name) {
    INFO(all(r.errors));
    REQUIRE(r.ok());
    const DirectoryEntry* e = r.directory.find(*Userid::parse(name));
    REQUIRE(e != nullptr);
    return *e;
}

} // namespace

TEST_SUITE("cpd.directory.disks") {

    TEST_CASE("the z/VM MDISK form keeps the disk in $STATE/disks/<userid>/<vdev>") {
        const auto r = parse("USER MAINT X\n MDISK 191 3390 100 50 MNT191 MR\n"
                             " MDISK 0192 FB-512 0 END MNT192 RR\n");
        const auto& d = entry(r, "MAINT").minidisks;
        REQUIRE(d.size() == 2);
        CHECK(d[0].host_path == "$STATE/disks/MAINT/0191");
        CHECK(d[0].devtype == "3390");
        CHECK(d[0].volser == "MNT191");
        CHECK(d[0].cylinders == 50);
        CHECK(d[0].mode == "MR");
        CHECK(d[0].read_write);
        CHECK(d[1].host_path == "$STATE/disks/MAINT/0192");
        CHECK(d[1].devtype == "FB-512");
        CHECK(d[1].cylinders == 0); // END
        CHECK_FALSE(d[1].read_write);
    }

    TEST_CASE("MDISK passwords follow the mode, after an optional filemode") {
        const auto r = parse("USER A X\n MDISK 191 3390 1 5 VOL1 MR rpw wpw mpw\n"
                             " MDISK 192 /b RR C ALL\n MDISK 193 /c W\n");
        const auto& d = entry(r, "A").minidisks;
        REQUIRE(d.size() == 3);
        CHECK(d[0].read_password == "RPW");
        CHECK(d[0].write_password == "WPW");
        CHECK(d[0].multi_password == "MPW");
        CHECK(d[1].filemode == 'C');
        CHECK(d[1].read_password == "ALL");
        CHECK_FALSE(d[1].write_password.has_value());
        CHECK_FALSE(d[2].read_password.has_value());
        CHECK(d[2].mode == "W");
    }

    TEST_CASE("RW is W; the mode is kept as written otherwise") {
        const auto r = parse("USER A X\n MDISK 191 /a RW\n MDISK 192 /b mw\n");
        const auto& d = entry(r, "A").minidisks;
        CHECK(d[0].mode == "W");
        CHECK(d[1].mode == "MW");
    }

    TEST_CASE("LINK statements: owner, vdevs, mode, and filemodes after the MDISKs'") {
        const auto r = parse("USER A X\n MDISK 191 /a MR\n LINK MAINT 190 190 RR\n"
                             " LINK * 191 291\n LINK MAINT 19e 19e rr Y\n LINK TCPIP 592\n");
        const auto& e = entry(r, "A");
        REQUIRE(e.links.size() == 4);
        CHECK(e.links[0].owner == "MAINT");
        CHECK(e.links[0].owner_vdev == "0190");
        CHECK(e.links[0].vdev == "0190");
        CHECK(e.links[0].mode == "RR");
        CHECK(e.links[0].filemode == 'B');
        CHECK(e.links[0].source == "user.direct:3");
        CHECK(e.links[1].owner == "*");
        CHECK(e.links[1].vdev == "0291");
        CHECK(e.links[1].mode == "R"); // z/VM's default
        CHECK(e.links[1].filemode == 'C');
        CHECK(e.links[2].filemode == 'Y');
        CHECK(e.links[3].vdev == "0592");
        CHECK(e.links[3].filemode == 'D');
        CHECK(e.minidisks[0].filemode == 'A');
    }

    TEST_CASE("a vdev or filemode used twice across MDISK and LINK is an error") {
        CHECK(all(parse("USER A X\n MDISK 191 /a MR\n LINK MAINT 190 191\n").errors) ==
              "user.direct:3: LINK: virtual device 0191 already defined at user.direct:2\n");
        CHECK(all(parse("USER A X\n LINK MAINT 190\n MDISK 190 /a MR\n").errors) ==
              "user.direct:3: MDISK: virtual device 0190 already defined at user.direct:2\n");
        CHECK(all(parse("USER A X\n MDISK 191 /a MR A\n LINK MAINT 190 190 RR A\n").errors) ==
              "user.direct:3: LINK: filemode A is already used by MDISK 0191 at user.direct:2\n");
    }

    TEST_CASE("each MDISK needs a directory of its own, not another's or one inside it") {
        CHECK(
            all(parse("USER A X\n MDISK 191 /srv/a MR\nUSER B X\n MDISK 191 /srv/a/ RR\n")
                    .errors) ==
            "user.direct:4: MDISK: B 0191 uses the directory of A 0191 at user.direct:2: /srv/a\n");
        CHECK(all(parse("USER A X\n MDISK 191 /srv/a MR\n MDISK 192 /srv/a/b RR\n").errors) ==
              "user.direct:3: MDISK: A 0192 lies inside the directory of A 0191 at "
              "user.direct:2: /srv/a/b\n");
        CHECK(parse("USER A X\n MDISK 191 /srv/a MR\n MDISK 192 /srv/ab RR\n").ok());
        // '-' and '.' sort before '/': the nesting is still seen, and so are
        // the same directory spelled with "//" or "/./".
        CHECK(all(parse("USER A X\n MDISK 191 /srv/d MR\n MDISK 192 /srv/d-x RR\n"
                        " MDISK 193 /srv/d/in RR\n MDISK 194 /srv//./d-x/ RR\n")
                      .errors) ==
              "user.direct:4: MDISK: A 0193 lies inside the directory of A 0191 at "
              "user.direct:2: /srv/d/in\n"
              "user.direct:5: MDISK: A 0194 uses the directory of A 0192 at user.direct:3: "
              "/srv/d-x\n");
    }

    TEST_CASE("OPTION NETWORK and LNKNOPAS, and SHARE RELATIVE") {
        const auto r = parse("USER A X\n OPTION NETWORK LNKNOPAS MAXCONN 9\n SHARE RELATIVE 300\n"
                             "USER B X\n SHARE ABSOLUTE 10%\n");
        CHECK(entry(r, "A").network);
        CHECK(entry(r, "A").lnknopas);
        CHECK(entry(r, "A").maxconn == 9);
        CHECK(entry(r, "A").share_relative == 300u);
        CHECK_FALSE(entry(r, "B").network);
        CHECK_FALSE(entry(r, "B").share_relative.has_value());
        REQUIRE(r.warnings.size() == 1);
        CHECK(r.warnings[0].message ==
              "SHARE ABSOLUTE is not supported; ignored (use SHARE RELATIVE n)");
    }

} // TEST_SUITE
