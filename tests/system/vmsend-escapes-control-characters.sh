#!/bin/bash
# SPDX-License-Identifier: MIT
# vmsend --wait shows what a sender wrote with its control characters as \xHH:
# ECHO sends back escape sequences (clear screen, window title, clipboard),
# BEL, BS, DEL and C1 CSI, and none reaches the terminal raw, while TAB and
# UTF-8 text pass unchanged.
. "$(dirname "$0")/lib-vmtools.sh"
. "$(dirname "$0")/lib-terminal-safe.sh"
start_cpd ECHO

run_tool 0 "$VMSEND" --wait 1 ECHO "${CLEAR}cleared ${TITLE} ${CLIPBOARD}"
want="ECHO: ${CLEAR_SHOWN}cleared ${TITLE_SHOWN} ${CLIPBOARD_SHOWN}"
[ "$(cat "$T/out")" = "$want" ] || fail "expected '$want', got '$(cat -v "$T/out")'"
expect_terminal_safe "$T/out"

# C1 CSI as UTF-8 and as a raw byte (CSI on 8-bit terminals), BEL, BS, DEL;
# --show-sender prints the sender's userid the same way.
run_tool 0 "$VMSEND" --wait 1 --show-sender ECHO $'\xc2\x9b2J \x9b2J bel\a bs\b del\x7f'
want='ECHO: ECHO: \xc2\x9b2J \x9b2J bel\x07 bs\x08 del\x7f'
[ "$(cat "$T/out")" = "$want" ] || fail "expected '$want', got '$(cat -v "$T/out")'"
expect_terminal_safe "$T/out"

# TAB and UTF-8 text are shown as they are.
run_tool 0 "$VMSEND" --wait 1 ECHO $'tab\there café 日本語'
[ "$(cat "$T/out")" = $'ECHO: tab\there café 日本語' ] || fail "plain text changed: '$(cat -v "$T/out")'"
echo PASS
