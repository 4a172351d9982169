#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cmsconsole in pipe mode shows what the guest and cpd send with control
# characters as \xHH, so none acts on the terminal: console output (a file
# holding C1 CSI, raw 0x9B and escape sequences, typed by the writer and seen
# by an observer), a CP response quoting an escape sequence, and the replay
# of a typed line holding one. TAB and UTF-8 text pass unchanged.
. "$(dirname "$0")/lib-console.sh"
. "$(dirname "$0")/lib-terminal-safe.sh"
start_cpd

printf '%s\n' "${CLEAR}cleared ${TITLE} ${CLIPBOARD}" $'csi \xc2\x9b2J raw \x9b2J' \
    $'tab\there café 日本語' >"$T/disks/alice191/evil.text"
chmod 644 "$T/disks/alice191/evil.text"

# Console output: CMS itself shows C0 controls as '.', but C1 controls pass
# through it and cmsconsole shows them escaped.
cms ALICE 'TYPE EVIL TEXT A' "#CP QUERY ${TITLE}${CLIPBOARD}" "${CLEAR}typed"
expect_lines 'csi \xc2\x9b2J raw \x9b2J' $'tab\there café 日本語' 'Ready;'
# A CP response quotes the operand it refuses.
expect_lines "HCPCQU003E Invalid option - ${TITLE_SHOWN}${CLIPBOARD_SHOWN}" 'Ready(00003);'
expect_terminal_safe "$T/out"

# The replay holds the typed line with its escape sequence.
console --replay ALICE </dev/null
expect_rc 0
grep -qxF -- "${CLEAR_SHOWN}typed" "$T/out" || fail "replay lacks the typed line, escaped"
expect_terminal_safe "$T/out"

# An observer sees the writer's output escaped too.
bg_console observer --observe ALICE
bg_wait observer err 'attached to ALICE as observer'
cms ALICE 'TYPE EVIL TEXT A'
bg_wait observer out '^csi \\xc2\\x9b2J raw \\x9b2J'
expect_terminal_safe "$T/observer.out"
echo "PASS"
