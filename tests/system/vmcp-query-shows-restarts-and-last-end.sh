#!/bin/bash
# SPDX-License-Identifier: MIT
# A guest with a RESTART statement that is killed comes back: vmcp QUERY shows
# its last end and restart count; FORCE then ends it for good, and QUERY and
# FORCE of the guest no longer logged on say how its last session ended.
. "$(dirname "$0")/lib-vmtools.sh"
start_cpd ECHO

cat >>"$T/user.direct" <<DIRECT
USER CRASHY NOPASS 16M 16M G
 IPL SINK
 RESTART LIMIT 3 WITHIN 60 BACKOFF 100MS
DIRECT
kill -HUP "$CPD_PID"
for _ in $(seq 100); do
    grep -q "reload: directory has 5 users" "$T/cpd.log" && break
    sleep 0.05
done
run_tool 0 "$VMCP" xautolog crashy

# waits (10 s) until `vmcp q crashy` prints a line matching $1
await_query() {
    for _ in $(seq 200); do
        "$VMCP" q crashy >"$T/out" 2>/dev/null
        grep -Eq "$1" "$T/out" && return 0
        sleep 0.05
    done
    fail "q crashy never matched '$1': $(cat "$T/out")"
}

pid=
for _ in $(seq 100); do
    pid=$(pgrep -f '^cpd:CRASHY') && break
    sleep 0.05
done
[ -n "$pid" ] || fail "CRASHY never ran"
kill -KILL "$pid"
await_query "^CRASHY +last session ended: crash: killed by signal SIGKILL; restarts 1$"
grep -q "^CRASHY   - DSC$" "$T/out" || fail "restarted CRASHY not logged on: $(cat "$T/out")"

run_tool 0 "$VMCP" force crashy
await_query "^CRASHY +last session ended: FORCE by OPERATOR; restarts 1$"
run_tool 1 "$VMCP" q crashy
grep -q "HCPCQU045E CRASHY not logged on" "$T/out" || fail "q: $(cat "$T/out")"
run_tool 1 "$VMCP" force crashy
grep -q "^CRASHY   last session ended: FORCE by OPERATOR; restarts 1$" "$T/out" ||
    fail "force: $(cat "$T/out")"
grep -q "restart: CRASHY: not restarted: FORCE by OPERATOR" "$T/cpd.log" ||
    fail "no decision logged for the FORCE"
echo PASS
