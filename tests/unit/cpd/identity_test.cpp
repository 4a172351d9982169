// SPDX-License-Identifier: MIT
// Who a client acts as: a POSIXINFO entry first; otherwise root and the user
// cpd runs as act as OPERATOR (whatever OPERATOR's own POSIXINFO says), and
// anyone else is nobody.
#include "config/directory/directory_parser.hpp"
#include "control/identity.hpp"

#include <doctest/doctest.h>

using namespace cpd::daemon;

namespace {

// As packaging/sample/user.direct: OPERATOR is root's, ALICE is uid 1000's.
constexpr const char* sample = "USER OPERATOR NOPASS 16M 16M ABCDEFG\n"
                               " IPL SINK\n"
                               " POSIXINFO UID 0\n"
                               "USER ALICE NOPASS 16M 16M G\n"
                               " IPL SINK\n"
                               " POSIXINFO UID 1000\n"
                               "USER ECHO NOPASS 16M 16M G\n"
                               " IPL ECHO\n";

std::string acts_as(const Directory& d, uid_t uid, uid_t daemon_uid) {
    const DirectoryEntry* e = identity_for(d, uid, "", daemon_uid);
    return e == nullptr ? "nobody" : std::string(e->userid.str());
}

} // namespace

TEST_CASE("a root cpd: root is OPERATOR, POSIXINFO users are theirs, others nobody") {
    auto parsed = parse_directory(sample, "user.direct");
    REQUIRE(parsed.ok());
    CHECK(acts_as(parsed.directory, 0, 0) == "OPERATOR");
    CHECK(acts_as(parsed.directory, 1000, 0) == "ALICE");
    CHECK(acts_as(parsed.directory, 65534, 0) == "nobody");
}

TEST_CASE("a personal cpd: the user who started it is OPERATOR") {
    auto parsed = parse_directory(sample, "user.direct");
    REQUIRE(parsed.ok());
    CHECK(acts_as(parsed.directory, 65534, 65534) == "OPERATOR");
    CHECK(acts_as(parsed.directory, 0, 65534) == "OPERATOR");
    CHECK(acts_as(parsed.directory, 1001, 65534) == "nobody");
}

TEST_CASE("a personal cpd: a POSIXINFO entry of the starting user wins over OPERATOR") {
    auto parsed = parse_directory(sample, "user.direct");
    REQUIRE(parsed.ok());
    CHECK(acts_as(parsed.directory, 1000, 1000) == "ALICE");
}

TEST_CASE("no OPERATOR in the directory: the starting user is nobody") {
    auto parsed = parse_directory("USER ECHO NOPASS 16M 16M G\n IPL ECHO\n", "user.direct");
    REQUIRE(parsed.ok());
    CHECK(acts_as(parsed.directory, 65534, 65534) == "nobody");
}
