#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cmsconsole on a real terminal (a tmux pane) shows what the guest and cpd
# send with control characters as \xHH: the replay of a line that set the
# window title, console output holding C1 CSI, and a CP response quoting a
# title escape typed with Ctrl-V. The pane's title never changes.
# Skipped (77) when tmux is not installed.
. "$(dirname "$0")/lib-console.sh"
. "$(dirname "$0")/lib-terminal-safe.sh"
start_cpd
printf '%s\n' $'csi \xc2\x9b2J raw \x9b2J' >"$T/disks/alice191/evil.text"
chmod 644 "$T/disks/alice191/evil.text"
cms ALICE "${TITLE}typed" # logs ALICE on; --replay shows the line again at the next attach
tmux_start "CPD_SOCKET='$CPD_SOCKET' XDG_STATE_HOME='$XDG_STATE_HOME' '$CMSCONSOLE' --replay ALICE; sleep 60"
title() { tmux -S "$TMUX_SOCK" display-message -p '#{pane_title}'; }
screen_has_text() { screen | grep -qF -- "$1"; }

expect_screen last_line_is 'ALICE>'
expect_screen screen_has_text "${TITLE_SHOWN}typed"

keys 'TYPE EVIL TEXT A' Enter
expect_screen screen_has_text 'csi \xc2\x9b2J raw \x9b2J'
expect_screen last_line_is 'ALICE>'

# Ctrl-V makes readline insert the next key as it is: ESC, then BEL.
keys '#CP QUERY ' C-v Escape ']0;evil' C-v C-g Enter
expect_screen screen_has_text "HCPCQU003E Invalid option - ${TITLE_SHOWN}"
expect_screen last_line_is 'ALICE>'
[ "$(title)" != evil ] || fail "the guest's text set the pane title"
keys 'C-]'
expect_screen screen_has 'DISCONNECTED from ALICE'
echo "PASS"
