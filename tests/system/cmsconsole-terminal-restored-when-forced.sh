#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The terminal is restored whatever ends cmsconsole: FORCE of the guest while
# a line is half typed (the console says why and exits 74, as documented) and
# SIGTERM to cmsconsole itself (exit 143). Each run ends with the pane's shell
# checking that the terminal is back in cooked mode. Skipped (77) without tmux.
. "$(dirname "$0")/lib-console.sh"
start_cpd
console ALICE </dev/null # log ALICE on
expect_rc 0
tmux_start "sh"
# run_in_pane: a fresh cmsconsole ALICE in the pane, then its exit status and the tty check.
run_in_pane() {
    keys "clear; '$CMSCONSOLE' ALICE; echo EXITED \$?; $TTY_RESTORED_CHECK" Enter
    expect_screen last_line_is 'ALICE>'
}

# FORCE while attached, with a partial line in the editor.
run_in_pane
keys 'TYPE READ'
expect_screen last_line_is 'ALICE> TYPE READ'
"$VMCP" force alice >/dev/null || fail "vmcp force alice"
expect_screen screen_has '^\*\*\* guest was forced off'
expect_screen screen_has '^EXITED 74$'
expect_screen screen_has '^TTY-RESTORED$'
wait_until 5 is_logged_off ALICE || fail "ALICE still logged on: $(names)"

# SIGTERM to cmsconsole (it logs ALICE on again first).
run_in_pane
pid=$(pane_child cmsconsole) || fail "no cmsconsole process in the pane"
kill -TERM "$pid"
expect_screen screen_has '^EXITED 143$'
expect_screen screen_has '^TTY-RESTORED$'
is_logged_on ALICE || fail "ALICE is not logged on after cmsconsole was terminated"
echo "PASS"
