#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# -e/--escape: a bad key is a usage error (64); "-e ^X" makes Ctrl-X detach
# (banner says so) and Ctrl-] an ordinary key; "-e none" shows no escape key,
# Ctrl-] does not detach and "#CP DISCONNECT" still does. Terminal parts run in
# a tmux pane; skipped (77) without tmux.
. "$(dirname "$0")/lib-console.sh"
start_cpd

for bad in x '^' '^?' 'ctrl-' 'ctrl-xy'; do
    console -e "$bad" ALICE </dev/null
    expect_rc 64
    expect_err "^cmsconsole: error: bad escape key"
done
console --escape ctrl-x ALICE </dev/null # also logs ALICE on
expect_rc 0

tmux_start "sh"
# attach OPTIONS...: a fresh cmsconsole in the pane, then its exit status.
attach() {
    keys "clear; '$CMSCONSOLE' $* ALICE; echo EXITED \$?" Enter
    expect_screen last_line_is 'ALICE>'
}
# still_attached: Ctrl-] did not detach; a command still runs. (Ctrl-U twice:
# readline's Ctrl-] binding may swallow the first key after it.)
still_attached() {
    keys C-u C-u 'QUERY DISK A' Enter
    expect_screen screen_has '^CPD191 191  A  R/W'
    ! screen_has '^EXITED' || fail "cmsconsole exited:"$'\n'"$(screen)"
}

attach -e '^X'
screen_has 'escape character is \^X$' || fail "banner:"$'\n'"$(screen)"
keys 'C-]'
still_attached
keys C-x
expect_screen screen_has 'DISCONNECTED from ALICE; the guest keeps running'
expect_screen screen_has '^EXITED 0$'

attach -e none
screen_has 'attached to ALICE as writer$' || fail "banner names an escape key:"$'\n'"$(screen)"
keys 'C-]'
still_attached
keys '#CP DISC' Enter
expect_screen screen_has 'DISCONNECTED from ALICE'
expect_screen screen_has '^EXITED 0$'
is_logged_on ALICE || fail "ALICE is not logged on after the detach"
echo "PASS"
