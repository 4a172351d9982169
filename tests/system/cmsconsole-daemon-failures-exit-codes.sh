#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cmsconsole's documented exit codes when attaching fails, against a fake
# cpd: 69 no socket or connection refused, 74 connection lost, 76 protocol
# error, and CP's refusals of the attach mapped as vmsend maps them (65 67 70
# 75 77), each with the z/VM message and rc on stderr.
. "$(dirname "$0")/lib-console.sh"
. "$(dirname "$0")/lib-fake-cpd.sh"
fake_cpd_dir

# expect_attach RC STDERR-REGEX: attaching through the current fake exits RC.
expect_attach() {
    console --socket "$FAKE_SOCK" ALICE </dev/null
    expect_rc "$1"
    expect_err "^cmsconsole: error: $2"
}

console --socket "$T/nothing-here.sock" ALICE </dev/null
expect_rc 69
expect_err "^cmsconsole: error: cannot connect to cpd at $T/nothing-here.sock"
fake_cpd refuse
expect_attach 69 "cannot connect to cpd at .*: Connection refused"

fake_cpd hangup
expect_attach 74 "cpd closed the connection"
fake_cpd truncated
expect_attach 74 "connection to cpd lost"
fake_cpd garbage
expect_attach 76 "malformed frame from cpd"
fake_cpd version
expect_attach 76 "malformed frame from cpd"

fake_cpd rc=75 # another writer holds the console
expect_attach 75 "HCP075E refused by the fake cpd \(rc 75\)"
fake_cpd rc=64 # NOLOG
expect_attach 77 ".*\(rc 64\)"
fake_cpd rc=99 # CP shutting down
expect_attach 75 ".*\(rc 99\)"
fake_cpd rc=53 # not in the directory
expect_attach 67 ".*\(rc 53\)"
fake_cpd rc=2 # not authorized
expect_attach 77 ".*\(rc 2\)"
fake_cpd rc=26
expect_attach 65 ".*\(rc 26\)"
fake_cpd rc=71 # the guest program could not be started
expect_attach 70 ".*\(rc 71\)"
echo PASS
