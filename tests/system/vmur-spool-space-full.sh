#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The spool's space bound (spool_mib): a punch that would pass it is refused
# with HCPSPL427E, its partial file purged (nothing in any queue, nothing on
# disk), vmur exits 1, the operator is warned in cpd's log; smaller files
# still go, and purging makes room again.
. "$(dirname "$0")/lib-spool.sh"
start_spool_cpd "spool_mib = 1"

head -c 600000 /dev/urandom >"$T/half.bin"
head -c 2000000 /dev/urandom >"$T/two.bin"
"$VMUR" punch -r -N half.bin "$T/half.bin" >/dev/null || fail "a file under the bound was refused"
"$VMUR" punch -r -N two.bin "$T/two.bin" >"$T/out" 2>"$T/err"
[ $? -eq 1 ] || fail "vmur should exit 1 when the spool is full"
grep -q "^vmur: Spool space full; PUN file 0002 purged" "$T/err" || fail "message: $(cat "$T/err")"
[ "$("$VMUR" list | grep -c '^OPERATOR')" -eq 1 ] || fail "the refused file is listed: $("$VMUR" list)"
"$VMCP" q pun all | grep -q "NO PUN FILES" || fail "the refused file is in the PUN queue"
[ "$(ls "$T/state/spool" | grep -c data)" -eq 1 ] || fail "data left on disk: $(ls "$T/state/spool")"
grep -q "spool: space full" "$T/cpd.log" || fail "no operator warning in the log"
"$VMUR" punch -r -N half.bin "$T/half.bin" >/dev/null && fail "a second 600 KB file fits in 1 MiB?"
"$VMUR" purge -f 1 2>/dev/null || fail "purge"
"$VMUR" punch -r -N half.bin "$T/half.bin" >/dev/null || fail "no room after purge"
exit 0
