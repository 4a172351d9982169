// SPDX-License-Identifier: MIT
// Unit tests of how cpd words a guest's death: every status spawn's child sets
// before exec, and those the guest runtime sets, carry their meaning; a status
// the guest program chose itself is given as a bare number.
#include "exit_status.hpp"
#include "spawn.hpp"

#include <doctest/doctest.h>

#include <set>
#include <string>

using namespace cpd::daemon;

namespace {
/// The wait status of a process that called exit(code).
int exited(int code) { return code << 8; }
} // namespace

TEST_SUITE("cpd.exit_status") {

TEST_CASE("each failure of spawn's child before exec is worded by what failed") {
    CHECK(describe_exit(exited(exit_exec_failed), false) ==
          "exited with status 127 (could not execute the guest program)");
    CHECK(describe_exit(exited(exit_descriptors_failed), false) ==
          "exited with status 126 (could not set up its descriptors before exec)");
    CHECK(describe_exit(exited(exit_credentials_failed), false) ==
          "exited with status 125 (could not switch to the service user before exec)");
    const std::set<int> distinct{exit_exec_failed, exit_descriptors_failed,
                                 exit_credentials_failed, exit_parent_gone};
    CHECK(distinct.size() == 4);
    for (int code : distinct) {
        CHECK(is_crash(exited(code), false));
    }
}

TEST_CASE("the guest runtime's own statuses are worded, a program's choice is not") {
    CHECK(describe_exit(exited(guest_exit_ipc_failure), false) ==
          "exited with status 87 (ring failure)");
    CHECK(describe_exit(exited(guest_exit_not_a_guest), false) ==
          "exited with status 78 (not started as a guest)");
    CHECK(describe_exit(exited(guest_exit_panic), false) == "crashed: handler panic");
    CHECK(describe_exit(exited(exit_parent_gone), false) == "exited with status 1");
    CHECK(describe_exit(exited(42), false) == "exited with status 42");
    CHECK(describe_exit(exited(0), true) == "crashed: handler panic");
}

} // TEST_SUITE
