#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Spool files live in cpd's state directory, written to a temporary name,
# synced and renamed: a closed file survives kill -9 of cpd and a restart
# with its spoolid, attributes and data; a punch cut by the kill leaves
# nothing visible; leftovers of a crash (a .tmp, data without metadata) are
# removed at start.
. "$(dirname "$0")/lib-spool.sh"
SPOOL_AUTOLOG= # no guests: the killed cpd's guardian has none to end, so cpd restarts at once
start_spool_cpd

head -c 300000 /dev/urandom >"$T/keep.bin"
"$VMUR" punch -r -N keep.bin "$T/keep.bin" >/dev/null || fail "punch"
"$VMCP" change rdr 1 class c keep >/dev/null || fail "CHANGE"
before=$("$VMUR" list)

# A punch that is still writing when cpd dies: its input never ends.
mkfifo "$T/endless"
( head -c 5000000 /dev/zero; exec sleep 30 ) >"$T/endless" &
feeder=$!
"$VMUR" punch -r -N big.bin "$T/endless" >/dev/null 2>&1 &
for _ in $(seq 100); do
    ls "$T/state/spool" | grep -q 'data.tmp' && break
    sleep 0.05
done
ls "$T/state/spool" | grep -q 'data.tmp' || fail "the endless punch did not start"
kill -KILL "$CPD_PID"
wait "$CPD_PID" 2>/dev/null
kill "$feeder" 2>/dev/null
wait
: >"$T/state/spool/77.data.tmp"
: >"$T/state/spool/78.data"
restart_cpd
after=$("$VMUR" list)
[ "$before" = "$after" ] || fail "reader changed across the kill:
before: $before
after:  $after"
[ ! -e "$T/state/spool/77.data.tmp" ] && [ ! -e "$T/state/spool/78.data" ] ||
    fail "crash leftovers were not removed: $(ls "$T/state/spool")"
ls "$T/state/spool" | grep -q tmp && fail "a temporary file is left: $(ls "$T/state/spool")"
"$VMUR" receive 1 "$T/back.bin" || fail "receive after restart"
cmp -s "$T/keep.bin" "$T/back.bin" || fail "data changed across the kill"
exit 0
