#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Ctrl-Z suspends cmsconsole with the terminal restored, and fg resumes it
# with the line being typed intact and the console still working. Runs under
# dash in a tmux pane: dash does no line editing of its own, so the terminal
# mode it sees while cmsconsole is stopped is the one cmsconsole left.
# Skipped (77) without tmux or dash.
. "$(dirname "$0")/lib-console.sh"
command -v dash >/dev/null || { echo "SKIP: dash not installed"; exit 77; }
start_cpd
console ALICE </dev/null # log ALICE on
expect_rc 0
tmux_start "PS1='$ ' dash -i"
expect_screen last_line_is '$'

keys "'$CMSCONSOLE' ALICE" Enter
expect_screen last_line_is 'ALICE>'
keys 'TYPE READ'
expect_screen last_line_is 'ALICE> TYPE READ'
keys C-z
expect_screen last_line_is '$'
screen_has 'Stopped' || fail "no job stopped:"$'\n'"$(screen)"
pid=$(pane_child cmsconsole) || fail "cmsconsole is not in the pane any more"
[ "$(ps -o stat= -p "$pid" | cut -c1)" = T ] || fail "cmsconsole is not stopped: $(ps -o stat= -p "$pid")"
keys "$TTY_RESTORED_CHECK" Enter
expect_screen screen_has '^TTY-RESTORED$'

keys 'fg' Enter
expect_screen last_line_is 'ALICE> TYPE READ'
keys 'ME TEXT B' Enter
expect_screen screen_has '^Hello from the read-only disk$'
expect_screen last_line_is 'ALICE>'
keys 'C-]'
expect_screen screen_has 'DISCONNECTED from ALICE'
keys "echo EXITED \$?" Enter
expect_screen screen_has '^EXITED 0$'
echo "PASS"
