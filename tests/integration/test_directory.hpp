// SPDX-License-Identifier: MIT
// The user directory the integration tests share: an operator (root), two
// PROBE guests (ALICE, BOB) that record what they see, the shipped ECHO, SINK
// and FLOOD programs, a class-G host user (uid 65534) and a NOLOG entry.
#pragma once

#include "cpd_harness.hpp"

#include <doctest/doctest.h>

#include <string>

#include <unistd.h>

namespace cpd::test {

inline constexpr const char* test_directory = R"(* integration test directory
USER OPERATOR NOPASS 64M 128M ABCDEFG
 POSIXINFO UID 0
USER ALICE NOPASS 16M 16M G
 IPL $PROBE PARM $DIR/state/disks/ALICE/0191/log
 MDISK 0191 3390 1 1 OUT191 MR
USER BOB NOPASS 16M 16M G
 IPL $PROBE PARM $DIR/state/disks/BOB/0191/log
 MDISK 0191 3390 1 1 OUT191 MR
USER CAROL NOPASS 16M 16M G
 IPL $PROBE PARM $DIR/state/disks/CAROL/0191/log
 MDISK 0191 3390 1 1 OUT191 MR
USER ECHO NOPASS 16M 16M G
 IPL ECHO
USER SINK NOPASS 16M 16M G
 IPL SINK
USER FLOOD NOPASS 16M 16M G
 IPL FLOOD PARM SINK 0 64
USER GUSER NOPASS 16M 16M G
 POSIXINFO UID 65534
USER LOCKED NOLOG
)";

/// A directory of `n` SINK guests G0..G<n-1> beside an operator, for tests
/// that count descriptors or processes per guest.
inline HarnessConfig sinks(int n) {
    HarnessConfig c;
    c.directory = "USER OPERATOR NOPASS 64M 128M ABCDEFG\n POSIXINFO UID 0\n";
    for (int i = 0; i < n; ++i) {
        c.directory += "USER G" + std::to_string(i) + " NOPASS 16M 16M G\n IPL SINK\n";
    }
    return c;
}

/// A harness config with the shared directory and the given autolog list.
inline HarnessConfig test_config(const std::string& autolog) {
    HarnessConfig c;
    c.directory = test_directory;
    c.autolog = autolog;
    return c;
}

/// True (and says so) when the test does not run as root: only root's cpd
/// can give guests uids of their own, so there is nothing to test.
inline bool not_root() {
    if (::geteuid() == 0) {
        return false;
    }
    MESSAGE("not root: cpd cannot separate guests here; not tested");
    return true;
}

/// Waits until the file contains `needle`.
inline bool wait_for_line(const std::string& path, const std::string& needle,
                          std::chrono::milliseconds timeout = 5s) {
    return wait_until([&] { return read_file(path).find(needle) != std::string::npos; },
                      timeout);
}

} // namespace cpd::test
