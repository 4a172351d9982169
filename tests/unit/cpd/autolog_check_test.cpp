// SPDX-License-Identifier: MIT
// autolog_errors, the one check of the autolog list that start-up and SIGHUP
// share: each userid missing from the directory is named, in the same words.
#include "config/autolog_check.hpp"

#include <doctest/doctest.h>

using namespace cpd::daemon;

namespace {

Options with_autolog(std::vector<std::string> autolog) {
    Options o;
    o.directory_file = "/etc/cpd/user.direct";
    o.autolog = std::move(autolog);
    return o;
}

const char* const directory_text = "USER ECHO NOPASS 16M 16M G\n IPL ECHO\n"
                                   "USER SINK NOPASS 16M 16M G\n IPL SINK\n";

} // namespace

TEST_SUITE("cpd.autolog_check") {

TEST_CASE("an autolog list the directory holds has no errors") {
    const DirectoryParseResult dir = parse_directory(directory_text, "user.direct");
    REQUIRE(dir.ok());
    CHECK(autolog_errors(with_autolog({}), dir).empty());
    CHECK(autolog_errors(with_autolog({"ECHO", "SINK"}), dir).empty());
}

TEST_CASE("each autolog userid missing from the directory is named with the directory file") {
    const DirectoryParseResult dir = parse_directory(directory_text, "user.direct");
    REQUIRE(dir.ok());
    CHECK(autolog_errors(with_autolog({"NOSUCH", "ECHO", "OTHER"}), dir) ==
          std::vector<std::string>{
              "autolog: NOSUCH is not in the directory /etc/cpd/user.direct",
              "autolog: OTHER is not in the directory /etc/cpd/user.direct"});
}

TEST_CASE("a directory with errors of its own gets no autolog errors on top") {
    const DirectoryParseResult dir = parse_directory("USER BAD!ID NOPASS\n", "user.direct");
    REQUIRE_FALSE(dir.ok());
    CHECK(autolog_errors(with_autolog({"NOSUCH"}), dir).empty());
}

} // TEST_SUITE
