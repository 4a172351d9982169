#!/bin/bash
# SPDX-License-Identifier: MIT
# vmsend's documented exit codes for what a healthy cpd never shows, against
# a fake cpd: 69 no socket or connection refused, 74 connection lost before
# the answer (hang-up, half a frame), 76 protocol error (garbage, another
# protocol version), and the CP refusals mapped as --help says (65 67 75 77 70).
. "$(dirname "$0")/lib-vmtools.sh"
. "$(dirname "$0")/lib-fake-cpd.sh"
fake_cpd_dir

# expect_send RC STDERR-REGEX: vmsend to the current fake exits RC saying so.
expect_send() {
    run_tool "$1" "$VMSEND" --socket "$FAKE_SOCK" ECHO hello
    grep -Eq -- "^vmsend: error: $2" "$T/err" || fail "exit $1: stderr: $(cat "$T/err")"
}

run_tool 69 "$VMSEND" --socket "$T/nothing-here.sock" ECHO hello
grep -q "cannot connect to cpd at $T/nothing-here.sock: No such file" "$T/err" ||
    fail "missing socket: stderr: $(cat "$T/err")"
fake_cpd refuse
expect_send 69 "cannot connect to cpd at $FAKE_SOCK: Connection refused"

fake_cpd hangup
expect_send 74 "cpd closed the connection"
fake_cpd truncated
expect_send 74 "connection to cpd lost"

fake_cpd garbage
expect_send 76 "malformed frame from cpd"
fake_cpd version
expect_send 76 "malformed frame from cpd"

# CPD_SOCKET reaches the fake as --socket does.
CPD_SOCKET=unix://$FAKE_SOCK run_tool 76 "$VMSEND" ECHO hello

fake_cpd rc=57 # HCP057I not receiving (SET SMSG OFF)
expect_send 75 "HCP057E refused by the fake cpd \(rc 57\)"
fake_cpd rc=61 # ring full, message dropped
expect_send 75 ".*\(rc 61\)"
fake_cpd rc=99 # CP shutting down
expect_send 75 ".*\(rc 99\)"
fake_cpd rc=2 # privilege class
expect_send 77 ".*\(rc 2\)"
fake_cpd rc=45
expect_send 67 ".*\(rc 45\)"
fake_cpd rc=26
expect_send 65 ".*\(rc 26\)"
fake_cpd rc=1 # no SMSG ever gets "unknown command": unexpected
expect_send 70 ".*\(rc 1\)"
echo PASS
