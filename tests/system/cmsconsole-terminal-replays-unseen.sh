#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# On a terminal, an attach replays what was written since this user last saw
# the console: the first attach shows the logon output; after a detach only
# the messages that came meanwhile, not the lines already seen; --replay
# shows every kept line again. Skipped (77) when tmux is not installed.
. "$(dirname "$0")/lib-console.sh"
start_cpd
"$VMCP" xautolog alice >/dev/null || fail "vmcp xautolog alice"
wait_until 5 sh -c "'$VMCP' q alice | grep -q 'ALICE    - DSC'" || fail "ALICE not logged on"
tmux_start "sh"
# attach_in_pane [OPTION...]: a cleared pane running cmsconsole ALICE, at its prompt.
attach_in_pane() {
    keys "clear; '$CMSCONSOLE' $* ALICE; echo EXITED \$?" Enter
    expect_screen last_line_is 'ALICE>'
}
detach_in_pane() {
    keys 'C-]'
    expect_screen screen_has '^EXITED 0$'
}

# First attach: nothing was seen yet, so the logon output is replayed.
attach_in_pane
expect_screen screen_has '^z/VM CMS Machine Environment'
keys 'TYPE README TEXT B' Enter
expect_screen screen_has '^Second line$'
detach_in_pane

# Away: two messages arrive. The next attach shows them and nothing older.
"$VMSEND" ALICE 'while away 1' || fail "vmsend 1"
"$VMSEND" ALICE 'while away 2' || fail "vmsend 2"
attach_in_pane
expect_screen screen_has '^\* MSG FROM OPERATOR -- while away 1$'
expect_screen screen_has '^\* MSG FROM OPERATOR -- while away 2$'
! screen_has 'CMS Machine Environment|Hello from the read-only disk|TYPE README' ||
    fail "replayed lines already seen:"$'\n'"$(screen)"
detach_in_pane

# Nothing new: nothing replayed. --replay: everything kept.
attach_in_pane
! screen_has 'while away' || fail "replayed the seen messages again:"$'\n'"$(screen)"
detach_in_pane
attach_in_pane --replay
expect_screen screen_has '^z/VM CMS Machine Environment'
expect_screen screen_has '^Hello from the read-only disk$'
expect_screen screen_has '^\* MSG FROM OPERATOR -- while away 2$'
detach_in_pane
echo "PASS"
