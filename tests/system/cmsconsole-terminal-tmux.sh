#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Terminal mode in a real terminal (a tmux pane): the prompt, history recall
# with the Up arrow (and the per-guest history file), output arriving while
# a line is half typed is printed above the prompt and the partial line
# survives, Ctrl-] detaches with the guest still running, and the terminal
# is restored afterwards. Skipped (77) when tmux is not installed.
. "$(dirname "$0")/lib-console.sh"
start_cpd
console ALICE </dev/null # log ALICE on
expect_rc 0
tmux_start "CPD_SOCKET='$CPD_SOCKET' XDG_STATE_HOME='$XDG_STATE_HOME' '$CMSCONSOLE' ALICE; \
     echo EXITED \$?; $TTY_RESTORED_CHECK; sleep 60"

expect_screen screen_has 'attached to ALICE as writer; escape character is \^]'
expect_screen last_line_is 'ALICE>'
keys 'QUERY DISK A' Enter
expect_screen screen_has '^CPD191 191  A  R/W'
expect_screen last_line_is 'ALICE>'
screen_has '^Ready;$' || fail "no Ready; after QUERY DISK A"

# History: Up recalls the previous command; Enter runs it again.
keys Up
expect_screen last_line_is 'ALICE> QUERY DISK A'
keys Enter
wait_until 5 sh -c "[ \$(tmux -S '$TMUX_SOCK' capture-pane -p | grep -c '^CPD191 191') -ge 2 ]" ||
    fail "recalled command did not run again:"$'\n'"$(screen)"

# Output while typing: the message goes above, the partial line stays below.
expect_screen last_line_is 'ALICE>'
keys 'TYPE READ'
expect_screen last_line_is 'ALICE> TYPE READ'
"$VMSEND" ALICE 'ping while you type' || fail "vmsend"
expect_screen screen_has '^\* MSG FROM OPERATOR -- ping while you type$'
expect_screen last_line_is 'ALICE> TYPE READ'
keys 'ME TEXT B' Enter
expect_screen screen_has '^Hello from the read-only disk$'
expect_screen last_line_is 'ALICE>'

# Ctrl-] detaches; the guest keeps running; the terminal is restored.
keys 'C-]'
expect_screen screen_has 'DISCONNECTED from ALICE; the guest keeps running'
expect_screen screen_has '^EXITED 0$'
expect_screen screen_has '^TTY-RESTORED$'
is_logged_on ALICE || fail "ALICE is not logged on after the detach"
names | grep -Eq '^ALICE +- DSC$' || fail "QUERY NAMES: $(names)"
grep -qx 'QUERY DISK A' "$XDG_STATE_HOME/cpd/history/ALICE" ||
    fail "history file lacks the command"
echo "PASS"
