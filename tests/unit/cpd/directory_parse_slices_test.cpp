// SPDX-License-Identifier: MIT
// The directory parser's bounds: errors and warnings past max_kept_diagnostics
// are counted, not kept, and summed up in one line; DirectoryParse, a slice of
// lines at a time, comes to the same result as parse_directory.
#include "config/directory/directory_parser.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace cpd::daemon;

namespace {

/// `n` copies of `line`.
std::string repeated(const std::string& line, std::size_t n) {
    std::string text;
    for (std::size_t i = 0; i < n; ++i) {
        text += line;
    }
    return text;
}

const char* const sample = "* a directory with a bit of everything\n"
                           "USER MAINT NOPASS 64M 128M ABCDEFG\n"
                           " POSIXINFO UID 0\n"
                           " MDISK 0191 3390 1 10 $STATE/MAINT MR\n"
                           "USER ECHO NOPASS 16M 16M G\n"
                           " IPL ECHO\n"
                           " BOGUS statement\n"
                           "USER ECHO NOPASS\n"
                           " IUCV ANY MSGLIMIT x\n"
                           "USER SINK NOPASS\n"
                           " IPL SINK\n";

} // namespace

TEST_SUITE("cpd.directory_parser") {

    TEST_CASE("errors past the cap are counted, and the last line says how many") {
        const std::size_t bad = max_kept_diagnostics + 150;
        const auto r = parse_directory(repeated("USER\n", bad), "user.direct");
        CHECK_FALSE(r.ok());
        CHECK(r.errors.size() == max_kept_diagnostics);
        CHECK(r.more_errors == 150);
        const auto lines = r.error_lines();
        REQUIRE(lines.size() == max_kept_diagnostics + 1);
        CHECK(lines.front() == "user.direct:1: USER: missing userid");
        CHECK(lines.back() == "... and 150 more errors");
    }

    TEST_CASE("warnings are capped apart from errors") {
        const auto r = parse_directory("USER A X\n" + repeated("BOGUS\n", max_kept_diagnostics + 1),
                                       "user.direct");
        CHECK(r.ok());
        CHECK(r.warnings.size() == max_kept_diagnostics);
        CHECK(r.more_warnings == 1);
        CHECK(r.warning_lines().back() == "... and 1 more warnings");
        CHECK(r.directory.size() == 1);
    }

    TEST_CASE("up to the cap, no summary line is added") {
        const auto r = parse_directory(repeated("USER\n", max_kept_diagnostics), "user.direct");
        CHECK(r.more_errors == 0);
        CHECK(r.error_lines().size() == max_kept_diagnostics);
    }

    TEST_CASE("a parse in slices gives what one parse of the whole text gives") {
        const DirectoryParseResult whole = parse_directory(sample, "user.direct");
        for (std::size_t slice : {std::size_t{1}, std::size_t{3}, std::size_t{1000}}) {
            CAPTURE(slice);
            DirectoryParse parse(sample, "user.direct");
            int slices = 1;
            while (!parse.parse_some(slice)) {
                ++slices;
            }
            const DirectoryParseResult sliced = parse.finish();
            CHECK(slices == (slice == 1 ? 11 : slice == 3 ? 4 : 1));
            CHECK(sliced.error_lines() == whole.error_lines());
            CHECK(sliced.warning_lines() == whole.warning_lines());
            CHECK(sliced.directory.size() == whole.directory.size());
            CHECK(sliced.directory.find(*cpd::proto::Userid::parse("SINK")) != nullptr);
        }
    }

    TEST_CASE("an empty text is parsed in one slice") {
        DirectoryParse parse("", "user.direct");
        CHECK(parse.parse_some(1));
        const auto r = parse.finish();
        CHECK(r.ok());
        REQUIRE(r.warnings.size() == 1);
        CHECK(r.warnings[0].message == "no USER statements: the directory is empty");
    }

} // TEST_SUITE
