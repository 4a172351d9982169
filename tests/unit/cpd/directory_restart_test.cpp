// SPDX-License-Identifier: MIT
// The RESTART directory statement: defaults, every operand, units, bounds,
// and the errors that name what is wrong.
#include "directory_test_support.hpp"

#include <doctest/doctest.h>

using namespace cpd::daemon;
using namespace cpd::daemon::test;
using namespace std::chrono_literals;

namespace {

/// The policy of user R after `statement`, or nullopt (errors in `errors`).
std::optional<RestartPolicy> policy_of(const std::string& statement, std::string& errors) {
    const DirectoryParseResult r =
        parse("USER R NOPASS 16M 16M G\n IPL ECHO\n " + statement + "\n");
    errors = all(r.errors);
    const DirectoryEntry* e = r.directory.find(*cpd::proto::Userid::parse("R"));
    return e != nullptr ? e->restart : std::nullopt;
}

} // namespace

TEST_SUITE("cpd.directory.restart") {

    TEST_CASE("an entry without RESTART has no policy") {
        const DirectoryParseResult r = parse("USER R NOPASS 16M 16M G\n IPL ECHO\n");
        CHECK_FALSE(r.directory.find(*cpd::proto::Userid::parse("R"))->restart);
    }

    TEST_CASE("RESTART alone takes the defaults") {
        std::string errors;
        const auto p = policy_of("RESTART", errors);
        REQUIRE(p);
        CHECK(errors.empty());
        CHECK(p->limit == 3);
        CHECK(p->window == 60s);
        CHECK(p->backoff == 1s);
        CHECK(p->max_backoff == 60s);
    }

    TEST_CASE("every operand, in any order, with units") {
        std::string errors;
        const auto p = policy_of("restart backoff 250ms within 2m limit 5 maxbackoff 4s", errors);
        REQUIRE(p);
        CHECK(errors.empty());
        CHECK(p->limit == 5);
        CHECK(p->window == 120s);
        CHECK(p->backoff == 250ms);
        CHECK(p->max_backoff == 4s);
    }

    TEST_CASE("a BACKOFF above the default maximum raises the maximum") {
        std::string errors;
        const auto p = policy_of("RESTART BACKOFF 90", errors);
        REQUIRE(p);
        CHECK(p->max_backoff == 90s);
    }

    TEST_CASE("bad operands are errors that say what is wrong") {
        std::string errors;
        SUBCASE("limit out of range") {
            CHECK_FALSE(policy_of("RESTART LIMIT 0", errors));
            CHECK(errors.find("LIMIT needs a number 1-1000, got '0'") != std::string::npos);
        }
        SUBCASE("limit without a number") {
            CHECK_FALSE(policy_of("RESTART LIMIT", errors));
            CHECK(errors.find("LIMIT needs a number 1-1000") != std::string::npos);
        }
        SUBCASE("backoff too short to be a backoff") {
            CHECK_FALSE(policy_of("RESTART BACKOFF 5MS", errors));
            CHECK(errors.find("BACKOFF needs a time 10MS-60M, got '5MS'") != std::string::npos);
        }
        SUBCASE("window beyond a day") {
            CHECK_FALSE(policy_of("RESTART WITHIN 25H", errors)); // H is no unit
            CHECK(errors.find("WITHIN needs a time 1S-24H") != std::string::npos);
        }
        SUBCASE("unknown unit") {
            CHECK_FALSE(policy_of("RESTART WITHIN 10X", errors));
            CHECK(errors.find("got '10X'") != std::string::npos);
        }
        SUBCASE("unknown keyword") {
            CHECK_FALSE(policy_of("RESTART ALWAYS", errors));
            CHECK(errors.find("unexpected operand 'ALWAYS'") != std::string::npos);
        }
        SUBCASE("keyword twice") {
            CHECK_FALSE(policy_of("RESTART LIMIT 2 LIMIT 3", errors));
            CHECK(errors.find("LIMIT given twice") != std::string::npos);
        }
        SUBCASE("maximum below the first backoff") {
            CHECK_FALSE(policy_of("RESTART BACKOFF 2S MAXBACKOFF 1S", errors));
            CHECK(errors.find("MAXBACKOFF is shorter than BACKOFF") != std::string::npos);
        }
        SUBCASE("second statement") {
            policy_of("RESTART\n RESTART LIMIT 1", errors);
            CHECK(errors.find("user.direct:4: RESTART: second RESTART statement") !=
                  std::string::npos);
        }
    }

} // TEST_SUITE
