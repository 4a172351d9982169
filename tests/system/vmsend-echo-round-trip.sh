#!/bin/bash
# SPDX-License-Identifier: MIT
# vmsend --wait prints ECHO's answer: "vmsend --wait 1 ECHO hi" prints "ECHO: hi",
# exits 0; text may come from stdin; --show-sender prefixes the userid.
. "$(dirname "$0")/lib-vmtools.sh"
start_cpd ECHO

run_tool 0 "$VMSEND" --wait 1 ECHO hi
[ "$(cat "$T/out")" = "ECHO: hi" ] || fail "expected 'ECHO: hi', got '$(cat "$T/out")'"

run_tool 0 "$VMSEND" -w 1 --show-sender echo -- -dash and  words
[ "$(cat "$T/out")" = "ECHO: ECHO: -dash and words" ] || fail "show-sender: got '$(cat "$T/out")'"

echo "from stdin" | "$VMSEND" --wait 1 ECHO >"$T/out" 2>"$T/err" || fail "stdin: exit $?: $(cat "$T/err")"
[ "$(cat "$T/out")" = "ECHO: from stdin" ] || fail "stdin: got '$(cat "$T/out")'"

# Without --wait nothing is printed and the answer is still 0 (delivered).
run_tool 0 "$VMSEND" ECHO quiet
[ ! -s "$T/out" ] || fail "no --wait, yet output: $(cat "$T/out")"
echo PASS
