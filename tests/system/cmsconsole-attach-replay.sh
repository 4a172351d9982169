#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Attach and detach: refusals (not in the directory, not logged on with
# --no-logon, NOLOG), #CP DISCONNECT leaves the guest running, QUERY NAMES
# shows the console id only while a writer is attached, re-attach with
# --replay replays the kept lines with the overflow marker (pipe mode replays
# nothing without it), the console log keeps it all, and #CP commands run as
# the guest.
. "$(dirname "$0")/lib-console.sh"
start_cpd "console_replay_lines = 8" "console_log = yes"

console NOSUCH </dev/null
expect_rc 67
expect_err 'HCPLGA053E NOSUCH not in CP directory \(rc 53\)'
console --no-logon ALICE </dev/null
expect_rc 67
expect_err 'HCPLGA045E ALICE not logged on \(rc 45\)'
is_logged_off ALICE || fail "--no-logon logged ALICE on"
console NOLOGGER </dev/null
expect_rc 77
expect_err 'NOLOG.*\(rc 64\)'

# Attach (logging ALICE on), a command, #CP QUERY NAMES, then detach.
cms ALICE 'TYPE README TEXT B' '#CP QUERY NAMES' '#CP DISCONNECT' 'TYPE NEVER SENT A'
expect_rc 0
expect_lines 'Hello from the read-only disk' 'Second line' 'Ready;'
expect_out '^ALICE +- CON[0-9]{3}'
expect_out '^DISCONNECTED$'
expect_no_out 'NEVER'
wait_until 5 sh -c "'$VMCP' q n | grep -q 'ALICE    - DSC'" ||
    fail "QUERY NAMES does not show ALICE disconnected: $("$VMCP" q n)"

# Pipe mode replays nothing unless asked: the output is the answers only.
console ALICE </dev/null
expect_rc 0
[ ! -s "$T/out" ] || fail "pipe mode replayed without --replay"
# Re-attach with --replay: the earlier session; nothing was lost yet.
console --replay ALICE </dev/null
expect_rc 0
# (The typed line is kept where cpd received it: here, before the IPL output.)
expect_lines 'z/VM CMS Machine Environment (cpd 0.1.0) - userid ALICE' 'DMSACP723I B (192) R/O' ''
expect_lines 'Hello from the read-only disk' 'Second line'
expect_out '^TYPE README TEXT B$'
[ "$(wc -l <"$T/out")" -eq 6 ] || fail "replay is not the 6 lines of the first session"
expect_no_out 'were not kept'

# 20 messages while detached overflow the 8-line buffer: 26 lines since
# logon, 18 dropped, 6 of them seen before -> 12 lost, the last 8 replayed.
for i in $(seq 20); do
    "$VMSEND" ALICE "msg $i" || fail "vmsend msg $i"
done
wait_until 5 grep -q -- '-- msg 20$' "$T/state/console/ALICE.log" ||
    fail "message 20 not in the console log"
console --replay ALICE </dev/null
expect_rc 0
expect_lines '*** 12 earlier console lines were not kept ***' \
    '* MSG FROM OPERATOR -- msg 13' '* MSG FROM OPERATOR -- msg 14'
expect_out '^\* MSG FROM OPERATOR -- msg 20$'
expect_no_out 'msg 12$'
[ "$(grep -c . "$T/out")" -eq 9 ] || fail "replay is not marker + 8 lines"
# A second re-attach at once: those lines were seen, nothing lost since.
console -r ALICE </dev/null
expect_no_out 'were not kept'
expect_out '^\* MSG FROM OPERATOR -- msg 20$'

# The console log has everything, also what the replay dropped.
for i in 1 12 20; do
    grep -q -- "^\* MSG FROM OPERATOR -- msg $i\$" "$T/state/console/ALICE.log" ||
        fail "console log lacks msg $i"
done
grep -q '^TYPE README TEXT B$' "$T/state/console/ALICE.log" || fail "console log lacks input"

# #CP runs as ALICE (class G): XAUTOLOG of another user is refused, SMSG to
# a guest not logged on gets 045, and #CP LOGOFF logs ALICE off.
cms ALICE '#CP XAUTOLOG ECHO' '#CP SMSG BOB hi'
expect_rc 45
expect_out 'HCPCMD002E'
expect_lines 'Ready(00002);'
expect_lines 'HCPMSG045E BOB not logged on' 'Ready(00045);'
is_logged_off ECHO || fail "#CP XAUTOLOG ran with more than ALICE's privileges"
cms ALICE '#CP LOGOFF'
expect_rc 0
wait_until 5 is_logged_off ALICE || fail "#CP LOGOFF did not log ALICE off"
grep -q 'ALICE gone' "$T/state/console/ALICE.log" || fail "console log lacks the logoff"
echo "PASS"
