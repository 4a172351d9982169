#!/bin/bash
# SPDX-License-Identifier: MIT
# SMSG text limits through vmsend: 236 bytes are delivered (ECHO's answer is
# cut to 236), 237 bytes and empty text exit 65 with HCP026E, a bad userid 65.
. "$(dirname "$0")/lib-vmtools.sh"
start_cpd ECHO

x236=$(printf 'x%.0s' $(seq 236))
run_tool 0 "$VMSEND" --wait 1 ECHO "$x236"
reply=$(cat "$T/out")
[ "${#reply}" -eq 236 ] || fail "ECHO's answer to 236 bytes is ${#reply} bytes"
[ "$reply" = "ECHO: ${x236:0:230}" ] || fail "unexpected answer: $reply"

run_tool 65 "$VMSEND" ECHO "${x236}y"
grep -q "^vmsend: error: HCP026E .*237 bytes.* (rc 26)$" "$T/err" || fail "237: stderr: $(cat "$T/err")"

run_tool 65 "$VMSEND" ECHO ""
grep -q "HCP026E" "$T/err" || fail "empty: stderr: $(cat "$T/err")"

run_tool 65 "$VMSEND" 'NOT*VALID' hello
grep -q "^vmsend: error: HCP020E" "$T/err" || fail "bad userid: stderr: $(cat "$T/err")"

run_tool 64 "$VMSEND"
run_tool 64 "$VMSEND" --no-such-option ECHO hi
echo PASS
