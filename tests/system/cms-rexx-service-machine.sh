#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The shipped REXX service machine (packaging/sample/disks/RXECHO/191
# PROFILE EXEC, issue 16 point 8) on a real CMS guest: autologged, it
# answers vmsend --wait round trips one after another (WAKEUP on SMSG, the
# message on the stack, SMSG back), ignores STOP from others, logs off on
# STOP from OPERATOR, and a FORCE ends it cleanly while it waits.
. "$(dirname "$0")/lib-console.sh"
start_cpd
cp "$CPD_SOURCE_DIR/packaging/sample/disks/RXECHO/191/profile.exec" "$T/disks/bob191/" ||
    fail "no sample PROFILE EXEC"
"$VMCP" XAUTOLOG BOB >/dev/null || fail "XAUTOLOG BOB"
wait_until 5 is_logged_on BOB || fail "BOB was not logged on"

out=$("$VMSEND" --wait 1 BOB "round trip") || fail "vmsend --wait: exit $?"
[ "$out" = "ECHO: round trip" ] || fail "round trip: got '$out'"
# 20 senders at once: each listens 3 s and must see its own answer (every
# listener of OPERATOR sees all of them): WAKEUP keeps up, nothing is lost.
pids=()
for i in $(seq 1 20); do
    "$VMSEND" --wait 3 BOB "burst $i" >"$T/burst.$i" 2>&1 &
    pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || fail "a burst vmsend failed"; done
for i in $(seq 1 20); do
    grep -qx "ECHO: burst $i" "$T/burst.$i" || fail "burst $i: no answer: $(cat "$T/burst.$i")"
done
# STOP from someone else is just a message; from OPERATOR it ends the machine.
cms ALICE 'SMSG BOB stop'
expect_lines 'Ready;'
is_logged_on BOB || fail "BOB stopped on ALICE's STOP"
"$VMSEND" BOB STOP || fail "vmsend STOP"
wait_until 5 is_logged_off BOB || fail "BOB did not log off on STOP"
grep -q 'BOB: logged off' "$T/cpd.log" || grep -q 'BOB.*LOGOFF\|BOB.*logged off' "$T/cpd.log" ||
    fail "no logoff of BOB in the log: $(grep BOB "$T/cpd.log")"

# FORCE while it waits in WAKEUP: it ends at once and cleanly.
"$VMCP" XAUTOLOG BOB >/dev/null || fail "XAUTOLOG BOB again"
wait_until 5 is_logged_on BOB || fail "BOB was not logged on again"
[ "$("$VMSEND" --wait 1 BOB again)" = "ECHO: again" ] || fail "no answer after the second logon"
"$VMCP" FORCE BOB >/dev/null || fail "FORCE BOB"
wait_until 5 is_logged_off BOB || fail "BOB was not forced off"
! grep -Eq 'BOB.*(crash|panic|exit status [1-9])' "$T/cpd.log" ||
    fail "BOB did not end cleanly: $(grep BOB "$T/cpd.log")"
echo "PASS"
