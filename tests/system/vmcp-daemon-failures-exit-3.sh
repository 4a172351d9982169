#!/bin/bash
# SPDX-License-Identifier: MIT
# vmcp exits 3 when cpd cannot be reached, hangs up or answers with garbage,
# and 1 (printing CP's message) when cpd refuses the command, against a fake cpd.
. "$(dirname "$0")/lib-vmtools.sh"
. "$(dirname "$0")/lib-fake-cpd.sh"
fake_cpd_dir

run_tool 3 "$VMCP" --socket "$T/nothing-here.sock" q n
grep -q "^vmcp: error: cannot connect to cpd" "$T/err" || fail "stderr: $(cat "$T/err")"
for mode in refuse hangup truncated garbage version; do
    fake_cpd "$mode"
    run_tool 3 "$VMCP" --socket "$FAKE_SOCK" q n
    grep -q "^vmcp: error: " "$T/err" || fail "$mode: stderr: $(cat "$T/err")"
done
fake_cpd rc=2
run_tool 1 "$VMCP" --socket "$FAKE_SOCK" force echo
grep -q "^HCP002E refused by the fake cpd$" "$T/err" || fail "rc=2: stderr: $(cat "$T/err")"
grep -q "^Error: non-zero CP response for command 'FORCE ECHO': #2$" "$T/err" ||
    fail "rc=2: stderr: $(cat "$T/err")"
echo PASS
