// SPDX-License-Identifier: MIT
// Processor tests of IPL, ACCESS, RELEASE and QUERY DISK/ACCESSED/SEARCH:
// directory minidisks by vdev, disks linked after IPL, R/O rules, and error RCs.
#include "cms_test_support.hpp"

#include <doctest/doctest.h>

using namespace cms_test;
namespace fs = std::filesystem;

TEST_SUITE("guest.cms.disks") {

    TEST_CASE("ipl accesses the directory disks at their letters and notes R/O ones") {
        Machine m;
        CHECK(text(m.run("QUERY SEARCH")) == "CPD191   191  A   R/W\nCPD192   192  B   R/O\n");
        REQUIRE(m.ipl_lines.size() == 1);
        CHECK(m.ipl_lines[0] == "DMSACP723I B (192) R/O");
        CHECK(fs::is_directory(m.a));
    }

    TEST_CASE("ipl reports a disk whose directory cannot be made and keeps the others") {
        TempDir dir;
        put(dir.path() / "file", "x");
        cpd::cms::CommandProcessor cms("u", {{'A', false, "191", (dir.path() / "a").string()},
                                             {'C', false, "193", (dir.path() / "file").string()}});
        auto lines = cms.ipl();
        REQUIRE(lines.size() == 1);
        CHECK(has(lines[0], "DMSACC112S Disk 193 (C) cannot be accessed"));
        CHECK(cms.session().fs.disk('A') != nullptr);
        CHECK(cms.session().fs.disk('C') == nullptr);
    }

    TEST_CASE("access by vdev moves a directory disk to another letter") {
        Machine m;
        put(m.a / "x.y", "1");
        auto r = m.run("ACCESS 191 C");
        CHECK(r.rc == 0);
        CHECK(has(text(r), "DMSACC726I 191 A released"));
        CHECK(m.run("STATE X Y C").rc == 0);
        CHECK(m.run("STATE X Y A").rc == 20);
    }

    TEST_CASE("access with a read-only digit, or of an RO link, is read-only") {
        Machine m;
        auto r = m.run("ACCESS 191 A2");
        CHECK(r.rc == 0);
        CHECK(has(text(r), "DMSACP723I A (191) R/O"));
        put(m.a / "a.b", "1");
        CHECK(has(text(m.run("COPYFILE A B A C D A")), "Filemode A is accessed as read/only"));
        CHECK(m.run("ERASE A B A").rc == 28);
        CHECK(fs::exists(m.a / "a.b"));
        auto ro = m.run("ACCESS 192 D1"); // the link is RO whatever the digit says
        CHECK(ro.rc == 0);
        CHECK(m.session().fs.disk('D')->read_only);
    }

    TEST_CASE("a host path is never accessed: only the disks CP linked") {
        Machine m;
        const fs::path p = m.dir.path() / "host" / "dir";
        auto r = m.run("ACCESS " + p.string() + " A");
        CHECK(r.rc == 24);
        CHECK(!fs::exists(p));
        CHECK(m.run("ACCESS /etc C").rc == 24);
        CHECK(m.session().fs.disk('C') == nullptr);
    }

    TEST_CASE("a disk CP links after IPL can be accessed, and a detach releases it") {
        Machine m;
        const fs::path p = m.dir.path() / "linked";
        fs::create_directories(p);
        put(p / "new.file", "x");
        CHECK(m.run("ACCESS 2A0 C").rc == 100);
        m.cms.device_change(0x02A0, true, false, p.string());
        auto r = m.run("ACCESS 2A0 C");
        CHECK(r.rc == 0);
        CHECK(has(text(r), "DMSACP723I C (2A0) R/O")); // a read link is always R/O
        CHECK(m.run("STATE NEW FILE C").rc == 0);
        m.cms.device_change(0x02A0, false, false, "");
        CHECK(m.session().fs.disk('C') == nullptr);
        CHECK(m.run("ACCESS 2A0 C").rc == 100);
    }

    TEST_CASE("access errors: operands 24, unknown vdev 100, unusable path 28") {
        Machine m;
        put(m.dir.path() / "plain", "x");
        CHECK(m.run("ACCESS").rc == 24);
        CHECK(m.run("ACCESS 191").rc == 24);
        CHECK(m.run("ACCESS 191 A B").rc == 24);
        CHECK(m.run("ACCESS 191 1").rc == 24);
        CHECK(m.run("ACCESS 191 AX").rc == 24);
        CHECK(m.run("ACCESS XYZ A").rc == 24);
        auto nv = m.run("ACCESS 199 C");
        CHECK(nv.rc == 100);
        CHECK(has(text(nv), "DMSACP113S C(199) not attached or invalid device address"));
        CHECK(m.session().fs.disk('C') == nullptr);
    }

    TEST_CASE("release drops a letter or a vdev and is RC 0 even when not accessed") {
        Machine m;
        CHECK(m.run("RELEASE B").rc == 0);
        CHECK(m.session().fs.disk('B') == nullptr);
        CHECK(m.run("RELEASE B").rc == 0);
        CHECK(m.run("RELEASE 191").rc == 0);
        CHECK(m.session().fs.disk('A') == nullptr);
        CHECK(m.run("RELEASE").rc == 24);
        CHECK(m.run("RELEASE A B").rc == 24);
        CHECK(m.run("RELEASE XYZ").rc == 24);
    }

    TEST_CASE("query disk lists accessed disks with label, vdev, mode, status and files") {
        Machine m;
        put(m.a / "one.file", "1");
        put(m.a / "two.file", "2");
        auto r = m.run("QUERY DISK");
        CHECK(r.rc == 0);
        REQUIRE(r.lines.size() == 3);
        CHECK(r.lines[0] == "LABEL  VDEV M  STAT   FILES  DIRECTORY");
        CHECK(r.lines[1] == "CPD191 191  A  R/W        2  " + m.a.string());
        CHECK(r.lines[2] == "CPD192 192  B  R/O        0  " + m.b.string());
        CHECK(m.run("Q DISK B").lines.size() == 2);
        CHECK(m.run("Q DISK *").lines.size() == 3);
    }

    TEST_CASE("query accessed and search show the search order") {
        Machine m;
        auto acc = m.run("QUERY ACCESSED");
        CHECK(acc.rc == 0);
        REQUIRE(acc.lines.size() == 3);
        CHECK(acc.lines[0] == "Mode  Stat  Files  Vdev  Label/Directory");
        CHECK(acc.lines[2].starts_with("B     R/O       0  192   CPD192 "));
        m.run("RELEASE A");
        m.run("RELEASE B");
        CHECK(has(text(m.run("Q SEARCH")), "No disks accessed"));
    }

    TEST_CASE("query errors and the CP passthrough of other operands") {
        Machine m;
        CHECK(m.run("QUERY").rc == 24);
        CHECK(m.run("QUERY DISK C").rc == 28);
        CHECK(m.run("QUERY DISK A B").rc == 24);
        CHECK(m.run("QUERY DISK 9").rc == 24);
        CHECK(m.run("QUERY SEARCH X").rc == 24);
        auto cp = m.run("Q names");
        CHECK(cp.rc == 0);
        REQUIRE(cp.cp_command);
        CHECK(*cp.cp_command == "QUERY names");
    }

} // TEST_SUITE
