#!/bin/bash
# SPDX-License-Identifier: MIT
# vmsend to a guest that is not logged on exits 67 with HCPMSG045E on stderr
# (a userid in the directory and one that is not); no cpd at the socket exits 69.
. "$(dirname "$0")/lib-vmtools.sh"
start_cpd ECHO

run_tool 67 "$VMSEND" IDLE hello
grep -Eq "^vmsend: error: HCP(MSG)?045E IDLE +not logged on.* \(rc 45\)$" "$T/err" ||
    fail "IDLE: stderr: $(cat "$T/err")"

"$VMSEND" NOSUCH hello >"$T/out" 2>"$T/err"
rc=$?
[ "$rc" -eq 67 ] || fail "NOSUCH exited $rc: $(cat "$T/err")"
# As on z/VM, SMSG does not tell a userid that does not exist from one not
# logged on: HCPMSG045E for both (vmsend(1) says so).
grep -Eq "^vmsend: error: HCPMSG045E NOSUCH +not logged on.* \(rc 45\)$" "$T/err" ||
    fail "NOSUCH: stderr: $(cat "$T/err")"

run_tool 69 "$VMSEND" --socket "$T/no-such.sock" ECHO hello
grep -q "cannot connect to cpd at $T/no-such.sock" "$T/err" || fail "69: stderr: $(cat "$T/err")"

run_tool 64 "$VMSEND" --socket relative.sock ECHO hello
echo PASS
