// SPDX-License-Identifier: MIT
// Tests of GLOBALV: the store's groups, the GLOBALV command's subcommands
// and RCs, LASTING persistence across two processors on the same A-disk
// (logoff then logon), and inbound SMSGs setting LMSG, LMSGSRC, LMSGTXT.
#include "cms_test_support.hpp"

#include "cpd/cms/globalv.hpp"

#include <doctest/doctest.h>

using namespace cms_test;
using cpd::cms::CommandProcessor;
namespace fs = std::filesystem;

TEST_SUITE("guest.cms.globalv") {

    TEST_CASE("the store starts with LASTING selected and upper-cases names, not values") {
        cpd::cms::GlobalvStore g;
        CHECK(g.selected() == "LASTING");
        g.set("mygrp", "color", "Blue Sky");
        CHECK(g.get("MYGRP", "COLOR") == "Blue Sky");
        CHECK_FALSE(g.get("LASTING", "COLOR"));
        CHECK(g.serialize_lasting().empty());
        g.set("mygrp", "keep", "x y", true);
        g.set("lasting", "a", "");
        CHECK(g.serialize_lasting() == "LASTING A \nMYGRP KEEP x y\n");
    }

    TEST_CASE("load_lasting reads values with blanks and counts malformed lines") {
        cpd::cms::GlobalvStore g;
        CHECK(g.load_lasting("LASTING X  two  blanks \nbad\nG Y\nG Z \n") == 2);
        CHECK(g.get("LASTING", "X") == " two  blanks ");
        CHECK(g.get("G", "Z") == "");
    }

    TEST_CASE("set, get, list, delete and purge in the selected group") {
        Machine m;
        CHECK(m.run("GLOBALV SELECT work").rc == 0);
        CHECK(m.run("GLOBALV SET color  blue   green").rc == 0);
        CHECK(m.run("globalv set size 10").rc == 0);
        auto get = m.run("GLOBALV GET COLOR SIZE");
        CHECK(get.rc == 0);
        CHECK(text(get) == "blue green\n10\n");
        auto partial = m.run("GLOBALV GET SIZE NONE COLOR");
        CHECK(partial.rc == 4);
        CHECK(text(partial) == "10\n");
        CHECK(text(m.run("GLOBALV LIST")) == "COLOR = blue green\nSIZE = 10\n");
        CHECK(m.run("GLOBALV LIST LASTING").lines.empty());
        CHECK(m.run("GLOBALV DELETE SIZE").rc == 0);
        auto del = m.run("GLOBALV DELETE SIZE");
        CHECK(del.rc == 4);
        CHECK(has(text(del), "Variable SIZE not found"));
        CHECK(m.run("GLOBALV SET COLOR").rc == 0); // no value: the variable goes away
        CHECK(m.run("GLOBALV GET COLOR").rc == 4);
        m.run("GLOBALV SET A 1");
        CHECK(m.run("GLOBALV PURGE").rc == 0);
        CHECK(m.run("GLOBALV LIST").lines.empty());
    }

    TEST_CASE("select can prefix another subcommand and stays selected") {
        Machine m;
        CHECK(m.run("GLOBALV SELECT g1 SET x 1").rc == 0);
        CHECK(text(m.run("GLOBALV GET X")) == "1\n");
        CHECK(text(m.run("GLOBALV LIST G1")) == "X = 1\n");
    }

    TEST_CASE("globalv syntax errors are RC 24") {
        Machine m;
        CHECK(m.run("GLOBALV").rc == 24);
        CHECK(has(text(m.run("GLOBALV FROB")), "Unknown GLOBALV subcommand: FROB"));
        CHECK(m.run("GLOBALV SEL G").rc == 24);
        CHECK(m.run("GLOBALV SELECT").rc == 24);
        CHECK(m.run("GLOBALV SELECT NINECHARS").rc == 24);
        CHECK(m.run("GLOBALV SET").rc == 24);
        CHECK(m.run("GLOBALV GET").rc == 24);
        CHECK(m.run("GLOBALV DELETE").rc == 24);
        CHECK(m.run("GLOBALV LIST A B").rc == 24);
        CHECK(m.run("GLOBALV SET KEEP 1").rc == 0);
        CHECK(m.run("GLOBALV PURGE X").rc == 24);
        CHECK(has(text(m.run("GLOBALV LIST")), "KEEP")); // a refused PURGE purges nothing
    }

    TEST_CASE("lasting variables survive logoff and logon through LASTING GLOBALV A") {
        TempDir dir;
        const std::vector<cpd::cms::DiskConfig> disks{
            {'A', false, "191", (dir.path() / "a").string()}};
        {
            CommandProcessor first("user1", disks);
            first.ipl();
            CHECK(first.execute("GLOBALV SET city Paris  France").rc == 0); // LASTING group
            CHECK(first.execute("GLOBALV SELECT temp SET gone 1").rc == 0);
            CHECK(first.execute("GLOBALV SELECT app SETL keep yes").rc == 0);
            CHECK(first.execute("GLOBALV SETLP both 2").rc == 0);
            CHECK(get(dir.path() / "a" / "lasting.globalv") ==
                  "APP BOTH 2\nAPP KEEP yes\nLASTING CITY Paris France\n");
            CHECK(first.logoff().empty());
        }
        CommandProcessor second("user1", disks);
        CHECK(second.ipl().empty());
        CHECK(text(second.execute("GLOBALV GET CITY")) == "Paris France\n");
        CHECK(text(second.execute("GLOBALV LIST APP")) == "BOTH = 2\nKEEP = yes\n");
        CHECK(second.execute("GLOBALV LIST TEMP").lines.empty());
        CHECK(second.execute("GLOBALV SELECT LASTING DELETE CITY").rc == 0);
        CHECK_FALSE(has(get(dir.path() / "a" / "lasting.globalv"), "CITY"));
    }

    TEST_CASE("setl on a read-only A-disk keeps the value and reports RC 28") {
        Machine m;
        m.run("ACCESS 191 A2");
        auto r = m.run("GLOBALV SETL X 1");
        CHECK(r.rc == 28);
        CHECK(has(text(r), "DMSGLB037E Filemode A is accessed as read/only"));
        CHECK(text(m.run("GLOBALV GET X")) == "1\n");
        CHECK(m.run("GLOBALV GET X").rc == 0); // reading does not re-report the failed save
    }

    TEST_CASE("a guest without an A-disk keeps LASTING in memory; SETL says why it cannot save") {
        CommandProcessor cms("diskless");
        CHECK(cms.ipl().empty());
        CHECK(cms.execute("GLOBALV SET X 1").rc == 0);
        auto r = cms.execute("GLOBALV SETL Y 1");
        CHECK(r.rc == 28);
        CHECK(has(text(r), "Filemode A not accessed"));
    }

    TEST_CASE("an inbound smsg is shown and sets LMSG, LMSGSRC and LMSGTXT in LASTING") {
        Machine m;
        m.run("GLOBALV SELECT mine");
        const std::string line = m.cms.receive_smsg("oper", "hello  there");
        CHECK(line == "* MSG FROM OPER -- hello  there");
        CHECK(m.session().globalv.selected() == "MINE");
        m.run("GLOBALV SELECT LASTING");
        CHECK(text(m.run("GLOBALV GET LMSG LMSGSRC LMSGTXT")) ==
              "MSG FROM OPER -- hello  there\nOPER\nhello  there\n");
        CHECK(has(get(m.a / "lasting.globalv"), "LASTING LMSGSRC OPER\n"));
    }

} // TEST_SUITE
