// SPDX-License-Identifier: MIT
// Unit tests of how cpd words a guest's death: the statuses the guest runtime
// sets carry their meaning; a status the guest program chose itself is given
// as a bare number.
#include "spawner/exit_status.hpp"
#include "guests/spawn.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace cpd::daemon;

namespace {
/// The wait status of a process that called exit(code).
int exited(int code) { return code << 8; }
} // namespace

TEST_SUITE("cpd.exit_status") {

TEST_CASE("the guest runtime's own statuses are worded, a program's choice is not") {
    CHECK(describe_exit(exited(guest_exit_ipc_failure), false) ==
          "exited with status 87 (ring failure)");
    CHECK(describe_exit(exited(guest_exit_not_a_guest), false) ==
          "exited with status 78 (not started as a guest)");
    CHECK(describe_exit(exited(guest_exit_panic), false) == "crashed: handler panic");
    CHECK(describe_exit(exited(exit_parent_gone), false) == "exited with status 1");
    CHECK(describe_exit(exited(42), false) == "exited with status 42");
    // spawn reports its own failures before exec (the logon fails), so these
    // are a program's choice too, e.g. a shell's "command not found"
    CHECK(describe_exit(exited(exit_exec_failed), false) == "exited with status 127");
    CHECK(describe_exit(exited(exit_credentials_failed), false) == "exited with status 125");
    CHECK(describe_exit(exited(0), true) == "crashed: handler panic");
}

} // TEST_SUITE
