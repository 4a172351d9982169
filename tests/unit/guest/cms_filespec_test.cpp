// SPDX-License-Identifier: MIT
// Unit tests of CMS file identifiers (§7.3): name characters and lengths,
// modes and digits, defaults, patterns, and the disk-config parser.
#include "cpd/cms/disk_config.hpp"
#include "cpd/cms/filespec.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace cpd::cms;

namespace {
Parsed<FileSpec> parse(std::vector<std::string> tokens) {
    return parse_filespec(tokens);
}
} // namespace

TEST_SUITE("guest.cms.filespec") {

    TEST_CASE("a lower-case fileid is upper-cased and fm defaults to A1") {
        auto r = parse({"profile", "exec"});
        REQUIRE(r);
        CHECK(r.value->fn == "PROFILE");
        CHECK(r.value->ft == "EXEC");
        CHECK(r.value->mode.letter == 'A');
        CHECK(r.value->mode.digit == 1);
        CHECK(r.value->text() == "PROFILE EXEC A");
    }

    TEST_CASE("a filemode letter takes an optional digit 0-6") {
        auto r = parse({"a", "b", "c2"});
        REQUIRE(r);
        CHECK(r.value->mode.letter == 'C');
        CHECK(r.value->mode.digit == 2);
        CHECK(r.value->mode.text() == "C2");
        CHECK(parse({"a", "b", "c0"}));
        CHECK(parse({"a", "b", "c6"}));
        CHECK_FALSE(parse({"a", "b", "c7"}));
        CHECK_FALSE(parse({"a", "b", "c9"}));
        CHECK_FALSE(parse({"a", "b", "cx"}));
        CHECK_FALSE(parse({"a", "b", "a12"}));
        CHECK_FALSE(parse({"a", "b", "1"}));
    }

    TEST_CASE("names are 1-8 characters of A-Z 0-9 $ # @") {
        CHECK(parse({"abcdefgh", "$#@09"}));
        CHECK_FALSE(parse({"abcdefghi", "exec"}));
        CHECK_FALSE(parse({"a.b", "exec"}));
        CHECK_FALSE(parse({"a", "ex-ec"}));
        CHECK_FALSE(parse({"ä", "exec"}));
    }

    TEST_CASE("one token or more than three tokens is refused") {
        CHECK_FALSE(parse({"profile"}));
        CHECK_FALSE(parse({}));
        auto r = parse({"a", "b", "a", "x"});
        CHECK_FALSE(r);
        CHECK_FALSE(r.error.empty());
    }

    TEST_CASE("fm star and name patterns parse and are reported as wild") {
        auto r = parse({"*", "exec", "*"});
        REQUIRE(r);
        CHECK(r.value->mode.letter == '*');
        CHECK(r.value->is_wild());
        auto p = parse({"prof%le", "ex*"});
        REQUIRE(p);
        CHECK(p.value->is_wild());
        CHECK_FALSE(parse({"a", "b", "c"}).value->is_wild());
    }

    TEST_CASE("patterns match with star and percent") {
        CHECK(matches_pattern("*", "PROFILE"));
        CHECK(matches_pattern("PROF*", "PROFILE"));
        CHECK(matches_pattern("*ILE", "PROFILE"));
        CHECK(matches_pattern("P%OFILE", "PROFILE"));
        CHECK(matches_pattern("P*F*E", "PROFILE"));
        CHECK_FALSE(matches_pattern("PROF", "PROFILE"));
        CHECK_FALSE(matches_pattern("%", "AB"));
        CHECK_FALSE(matches_pattern("X*", "PROFILE"));
    }

    TEST_CASE("disk config lines give letter, access, vdev and a path with blanks") {
        auto r = parse_disk_config("A RW 0191 /tmp/my disk/a\n\nb ro 19e /tmp/b\n");
        REQUIRE(r.disks.size() == 2);
        CHECK(r.errors.empty());
        CHECK(r.disks[0].letter == 'A');
        CHECK_FALSE(r.disks[0].read_only);
        CHECK(r.disks[0].vdev == "191");
        CHECK(r.disks[0].path == "/tmp/my disk/a");
        CHECK(r.disks[1].letter == 'B');
        CHECK(r.disks[1].read_only);
        CHECK(r.disks[1].vdev == "19E");
    }

    TEST_CASE("bad disk config lines are reported and skipped") {
        auto r = parse_disk_config("1 RW 191 /x\nA XX 191 /x\nA RW 19G /x\nA RW 191\nC RO 193 /ok");
        CHECK(r.errors.size() == 4);
        REQUIRE(r.disks.size() == 1);
        CHECK(r.disks[0].letter == 'C');
    }

} // TEST_SUITE
