// SPDX-License-Identifier: MIT
// The CMS spool commands through CommandProcessor::execute: what each one
// hands the glue (the file, the device, the CLOSE command, the messages) and
// their operand errors and RCs. The transfer itself is tested through real
// consoles (tests/system/cmsconsole-sendfile-receive-two-guests.sh).
#include "cms_test_support.hpp"

#include "cpd/cms/spool_records.hpp"

#include <doctest/doctest.h>

using namespace cpd::cms;
using cms_test::Machine;
using cms_test::put;

namespace {
/// A machine with files on its A-disk.
struct CmsFixture : Machine {
    void write_a(const std::string& name, const std::string& content) { put(a / name, content); }
};
} // namespace

TEST_SUITE("cms.spool") {

    TEST_CASE("SENDFILE hands over the file and CLOSE ... TO userid RDR NAME fn ft") {
        CmsFixture f;
        f.write_a("notes.text", "one\ntwo\n");
        for (const char* line : {"SENDFILE NOTES TEXT A TO BOB", "sf notes text a bob"}) {
            CAPTURE(line);
            const CommandResult r = f.run(line);
            CHECK(r.rc == 0);
            REQUIRE(r.spool_send);
            CHECK(r.spool_send->vdev == 0x000D);
            CHECK(r.spool_send->close == "CLOSE 000D TO BOB RDR NAME NOTES TEXT");
            CHECK(r.spool_send->done.starts_with("File NOTES TEXT A sent to BOB at CPD on "));
            CHECK(r.spool_send->path.ends_with("/notes.text"));
        }
        CHECK(f.run("SENDFILE NOTES TEXT A TO BOB ( CLASS C").cp_command == "SPOOL 000D CLASS C");
        CHECK(f.run("SENDFILE MISSING FILE A TO BOB").rc == 28);
        CHECK(f.run("SENDFILE NOTES TEXT A TO TOOLONGUSER").rc == 24);
        CHECK(f.run("SENDFILE NOTES").rc == 24);
        CHECK(f.run("SENDFILE NOTES TEXT A BOB ( BOGUS").rc == 24);
    }

    TEST_CASE("PUNCH and PRINT: device, format and CLOSE NAME") {
        CmsFixture f;
        f.write_a("deck.data", "card\n");
        const CommandResult p = f.run("PUNCH DECK DATA A");
        REQUIRE(p.spool_send);
        CHECK(p.spool_send->vdev == 0x000D);
        CHECK(p.spool_send->format == static_cast<std::uint8_t>(SpoolFormat::cards));
        CHECK(p.spool_send->close == "CLOSE 000D NAME DECK DATA");
        CHECK(f.run("PUNCH DECK DATA A ( NOHEADER").spool_send->format ==
              static_cast<std::uint8_t>(SpoolFormat::print));
        const CommandResult q = f.run("PRINT DECK DATA");
        REQUIRE(q.spool_send);
        CHECK(q.spool_send->vdev == 0x000E);
        CHECK(q.spool_send->close == "CLOSE 000E NAME DECK DATA");
        CHECK(f.run("PRINT DECK DATA A ( HEADER").rc == 24);
        CHECK(f.run("PUNCH NO SUCH A").rc == 28);
        CHECK(f.run("DISK DUMP DECK DATA A").spool_send->format ==
              static_cast<std::uint8_t>(SpoolFormat::sendfile));
        CHECK(f.run("DISK FROB").rc == 24);
    }

    TEST_CASE("RECEIVE, PEEK, RDRLIST and NOTE: what the glue is asked to do") {
        CmsFixture f;
        CommandResult r = f.run("RECEIVE 12 NEW NAME A ( REPLACE");
        REQUIRE(r.spool_receive);
        CHECK(r.spool_receive->spoolid == 12);
        CHECK(r.spool_receive->fn == "NEW");
        CHECK(r.spool_receive->ft == "NAME");
        CHECK(r.spool_receive->replace);
        CHECK_FALSE(r.spool_receive->purge_only);
        r = f.run("RECEIVE * ( PURGE");
        REQUIRE(r.spool_receive);
        CHECK(r.spool_receive->spoolid == 0);
        CHECK(r.spool_receive->purge_only);
        CHECK(f.run("RECEIVE 12 ( SHRED").rc == 24);
        CHECK(f.run("RECEIVE 12 A B Z").rc == 36); // not accessed
        CHECK(f.run("PEEK 7").spool_receive->peek);
        CHECK(f.run("RDRLIST").spool_receive->list);
        r = f.run("RL 2 DISCARD");
        REQUIRE(r.spool_receive);
        CHECK(r.spool_receive->line == 2);
        CHECK(r.spool_receive->purge_only);
        CHECK(f.run("RDRLIST 2 FROB").rc == 24);
        r = f.run("NOTE BOB see you at noon");
        REQUIRE(r.spool_send);
        CHECK(r.spool_send->text.ends_with("\n\nsee you at noon\n"));
        CHECK(r.spool_send->close.starts_with("CLOSE 000D TO BOB RDR NAME "));
        CHECK(f.run("NOTE BOB").rc == 24);
    }
}
