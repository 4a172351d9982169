#!/bin/bash
# SPDX-License-Identifier: MIT
# vmcp exit codes as on Linux on Z: 1 for a non-zero CP rc (with the s390-tools
# message on stderr), 3 when cpd cannot be reached, 4 for bad options.
. "$(dirname "$0")/lib-vmtools.sh"
start_cpd ECHO

run_tool 1 "$VMCP" frobnicate now
grep -q "^Error: non-zero CP response for command 'FROBNICATE NOW': #1$" "$T/err" ||
    fail "unknown command: stderr: $(cat "$T/err")"

run_tool 1 "$VMCP" smsg idle hello
grep -q "#45" "$T/err" || fail "smsg to IDLE: stderr: $(cat "$T/err")"

run_tool 3 "$VMCP" --socket "$T/no-such.sock" q n
run_tool 4 "$VMCP"
run_tool 4 "$VMCP" --bogus q n
run_tool 4 "$VMCP" "$(printf 'q%.0s' $(seq 600))"
echo PASS
