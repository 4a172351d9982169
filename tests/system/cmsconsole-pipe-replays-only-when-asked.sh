#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Pipe mode prints the answers to its lines and nothing of the console's past:
# a 2-line answer after a busy console is 3 lines (with Ready;), not the kept
# buffer; --replay adds the kept lines, and only then.
. "$(dirname "$0")/lib-console.sh"
start_cpd "console_log = yes"
cms ALICE 'TYPE README TEXT B' # logs ALICE on: the IPL banner is kept
expect_rc 0
for i in $(seq 30); do
    "$VMSEND" ALICE "busy $i" || fail "vmsend busy $i"
done
# Written to the console (and kept) before the next attach: not live output.
wait_until 5 grep -q -- '-- busy 30$' "$T/state/console/ALICE.log" ||
    fail "message 30 not on the console"

cms ALICE 'TYPE README TEXT B'
expect_rc 0
expect_lines 'Hello from the read-only disk' 'Second line' 'Ready;'
[ "$(wc -l <"$T/out")" -eq 3 ] || fail "pipe mode printed more than the answer"
expect_no_out 'busy|CMS Machine Environment'

console --replay ALICE < <(printf '%s\n' 'TYPE README TEXT B')
expect_rc 0
expect_out '^z/VM CMS Machine Environment'
expect_out '^\* MSG FROM OPERATOR -- busy 30$'
[ "$(wc -l <"$T/out")" -gt 33 ] || fail "--replay did not replay the kept lines"
[ "$(tail -n 3 "$T/out" | tr '\n' '|')" = 'Hello from the read-only disk|Second line|Ready;|' ] ||
    fail "the answer does not follow the replay"

echo "PASS"
