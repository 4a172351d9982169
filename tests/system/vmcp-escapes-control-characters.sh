#!/bin/bash
# SPDX-License-Identifier: MIT
# vmcp shows CP's response with control characters as \xHH: CP quotes the
# operand it refuses, so an escape sequence in it (here a window title and a
# clipboard write) comes back in the response and must not act on the terminal.
# Multi-line responses keep their line breaks.
. "$(dirname "$0")/lib-vmtools.sh"
. "$(dirname "$0")/lib-terminal-safe.sh"
start_cpd ECHO

run_tool 1 "$VMCP" -k "QUERY ${TITLE}${CLIPBOARD}"
grep -qxF -- "HCPCQU003E Invalid option - ${TITLE_SHOWN}${CLIPBOARD_SHOWN}" "$T/out" ||
    fail "stdout: $(cat -v "$T/out")"
grep -qxF -- "Error: non-zero CP response for command 'QUERY ${TITLE_SHOWN}${CLIPBOARD_SHOWN}': #3" \
    "$T/err" || fail "stderr: $(cat -v "$T/err")"
expect_terminal_safe "$T/out"
expect_terminal_safe "$T/err"

run_tool 1 "$VMCP" -k "${CLEAR}"
grep -qF -- "${CLEAR_SHOWN}" "$T/out" || fail "stdout: $(cat -v "$T/out")"
expect_terminal_safe "$T/out"
expect_terminal_safe "$T/err"

# QUERY STATS answers with many lines; they stay lines.
run_tool 0 "$VMCP" q stats
[ "$(wc -l <"$T/out")" -gt 2 ] || fail "QUERY STATS lost its line breaks: $(cat "$T/out")"
grep -q '^LATENCY' "$T/out" || fail "QUERY STATS: $(cat "$T/out")"
expect_terminal_safe "$T/out"
echo PASS
