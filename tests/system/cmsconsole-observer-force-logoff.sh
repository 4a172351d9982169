#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# One writer and observers: an observer sees the writer's commands and output
# but cannot type; a second writer is refused (75) unless it uses --force,
# which makes the old writer an observer and tells it who took the role (cpd
# then refuses its input); LOGOFF from the console closes every console
# (observers exit 0) and ALICE leaves QUERY NAMES.
. "$(dirname "$0")/lib-console.sh"
start_cpd

bg_console w1 ALICE
bg_wait w1 err 'attached to ALICE as writer'
bg_send w1 'QUERY DISK'
bg_wait w1 out '^Ready;$'
bg_console obs --observe ALICE
bg_wait obs err 'attached to ALICE as observer'

# The observer sees the typed line, the output and the end marker.
bg_send w1 'TYPE README TEXT B'
bg_wait w1 out '^Second line$'
bg_wait obs out '^TYPE README TEXT B$'
bg_wait obs out '^Second line$'
bg_wait obs out '^Ready;$'
# It cannot type: nothing reaches the guest.
bg_send obs 'COPYFILE README TEXT B OBS TEXT A'
bg_wait obs err 'observing ALICE: input is not allowed'
[ ! -e "$T/disks/alice191/obs.text" ] || fail "an observer's line reached the guest"

# A second writer is refused while w1 holds the role; QUERY NAMES shows a console id.
console ALICE </dev/null
expect_rc 75
expect_err 'HCPCON075E .*--force.*\(rc 75\)'
names | grep -Eq '^ALICE +- CON[0-9]{3}$' || fail "QUERY NAMES: $(names)"

# --force takes the role; the observer sees the new writer's work.
console --force ALICE < <(printf '%s\n' 'COPYFILE README TEXT B FORCED TEXT A')
expect_rc 0
expect_err 'attached to ALICE as writer'
[ -f "$T/disks/alice191/forced.text" ] || fail "the forcing writer's command did not run"
bg_wait obs out '^COPYFILE README TEXT B FORCED TEXT A$'
# The old writer is told when it next types (a script cannot go on: exit 77),
# and cpd refuses that line.
bg_send w1 'ERASE FORCED TEXT A'
bg_exited w1
[ "$RC" -eq 77 ] || fail "demoted writer exited $RC, expected 77"
grep -q 'writer role taken by OPERATOR' "$T/w1.err" || fail "w1 not told: $(cat "$T/w1.err")"
[ -f "$T/disks/alice191/forced.text" ] || fail "the demoted writer's ERASE reached the guest"
# Nobody writes now: DSC again.
wait_until 5 sh -c "'$VMCP' q n | grep -q 'ALICE    - DSC'" || fail "QUERY NAMES: $(names)"

# LOGOFF from a console: it exits 0, the observer is told and exits 0 too.
cms ALICE 'LOGOFF'
expect_rc 0
expect_no_out '^Ready' # LOGOFF AT is the last line, as in CMS
bg_exited obs
[ "$RC" -eq 0 ] || fail "observer exited $RC after LOGOFF, expected 0"
grep -q 'guest logged off' "$T/obs.err" || fail "observer not told: $(cat "$T/obs.err")"
grep -q '^LOGOFF AT ' "$T/obs.out" || fail "observer did not see LOGOFF AT: $(cat "$T/obs.out")"
wait_until 5 is_logged_off ALICE || fail "ALICE still in QUERY NAMES: $(names)"
echo "PASS"
