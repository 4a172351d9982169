#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# XEDIT in terminal mode (a tmux pane): the prompt names XEDIT while it holds
# the console and INPUT in input mode, no "Ready;" appears for a subcommand,
# an empty Enter ends input mode, and FILE gives the console back to CMS with
# "Ready;" and the plain prompt. Skipped (77) when tmux is not installed.
. "$(dirname "$0")/lib-console.sh"
start_cpd
console ALICE </dev/null # log ALICE on
expect_rc 0
tmux_start "CPD_SOCKET='$CPD_SOCKET' XDG_STATE_HOME='$XDG_STATE_HOME' '$CMSCONSOLE' ALICE; \
     echo EXITED \$?; $TTY_RESTORED_CHECK; sleep 60"

expect_screen last_line_is 'ALICE>'
keys 'XEDIT NOTE TEXT A' Enter
expect_screen screen_has '^DMSXIN561I New file$'
expect_screen last_line_is 'ALICE XEDIT>'
keys 'INPUT' Enter
expect_screen screen_has '^DMSXIN573I Input mode:$'
expect_screen last_line_is 'ALICE INPUT>'
keys 'typed at the terminal' Enter
keys Enter
expect_screen last_line_is 'ALICE XEDIT>'
keys 'TYPE' Enter
expect_screen screen_has '^typed at the terminal$'
screen_has '^Ready' && fail "Ready inside XEDIT:"$'\n'"$(screen)"
keys 'FILE' Enter
expect_screen screen_has '^Ready;$'
expect_screen last_line_is 'ALICE>'
[ "$(cat "$T/disks/alice191/note.text")" = "typed at the terminal" ] || fail "FILE did not write"

keys 'C-]'
expect_screen screen_has '^EXITED 0$'
echo "PASS"
