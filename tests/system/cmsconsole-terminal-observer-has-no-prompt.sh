#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Observers on a real terminal (a tmux pane) have no prompt: Enter only says
# how to detach, typed keys are neither echoed nor sent, the writer's work
# shows, Ctrl-C detaches. A writer pushed out by --force loses its prompt and
# its half-typed line, is told so, watches on and detaches with the escape
# key. The terminal is restored each time. Skipped (77) without tmux.
. "$(dirname "$0")/lib-console.sh"
start_cpd
tmux_start "sh" # first: the tmux server must not hold the writer's input open
bg_console w ALICE # the writer, in pipe mode (logs ALICE on)
bg_wait w err 'attached to ALICE as writer'

# --observe: no prompt; Enter gives the hint; keys go nowhere; Ctrl-C detaches.
keys "clear; '$CMSCONSOLE' --observe ALICE; echo EXITED \$?; $TTY_RESTORED_CHECK" Enter
expect_screen screen_has 'attached to ALICE as observer; escape character is \^]'
keys Enter
expect_screen screen_has '^\*\*\* observing ALICE: input is not sent; \^\], Ctrl-D or Ctrl-C detaches \*\*\*$'
keys 'ERASE README TEXT B' Enter
bg_send w 'TYPE README TEXT B'
expect_screen screen_has '^Second line$'
! screen_has 'ALICE>' || fail "an observer has a prompt:"$'\n'"$(screen)"
! screen_has 'ERASE' || fail "an observer's keys were echoed:"$'\n'"$(screen)"
keys C-c
expect_screen screen_has 'DISCONNECTED from ALICE; the guest keeps running'
expect_screen screen_has '^EXITED 0$'
expect_screen screen_has '^TTY-RESTORED$'
bg_end w
[ "$RC" -eq 0 ] || fail "the writer exited $RC"

# A writer pushed out by --force: its prompt and half-typed line go away.
keys "clear; '$CMSCONSOLE' ALICE; echo EXITED \$?; $TTY_RESTORED_CHECK" Enter
expect_screen last_line_is 'ALICE>'
keys 'TYPE HALF'
expect_screen last_line_is 'ALICE> TYPE HALF'
console --force ALICE < <(printf '%s\n' 'TYPE README TEXT B')
expect_rc 0
expect_screen screen_has '^\*\*\* writer role taken by OPERATOR; you are now an observer: input is not sent \*\*\*$'
expect_screen screen_has '^Second line$'
! screen_has 'ALICE>' || fail "the pushed-out writer kept its prompt:"$'\n'"$(screen)"
keys 'more' Enter
expect_screen screen_has 'observing ALICE: input is not sent'
! screen_has 'more' || fail "keys were echoed after the push-out:"$'\n'"$(screen)"
keys 'C-]'
expect_screen screen_has 'DISCONNECTED from ALICE; the guest keeps running'
expect_screen screen_has '^EXITED 0$'
expect_screen screen_has '^TTY-RESTORED$'
is_logged_on ALICE || fail "ALICE was logged off"
echo "PASS"
