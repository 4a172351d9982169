#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# vmur as the host user's userid (OPERATOR): a text file and a binary one go
# to its reader (punch -r), show in vmur list and QUERY RDR ALL with their
# names, come back unchanged with receive (-t for text), and are purged by
# receive; a held file is refused; exit codes and vmur's messages.
. "$(dirname "$0")/lib-vmtools.sh"
start_cpd SINK

printf 'HELLO WORLD\nsecond line\n' >"$T/greet.txt"
out=$("$VMUR" punch -t -r "$T/greet.txt") || fail "punch -t -r failed: $out"
[ "$out" = "Reader file with spoolid 0001 created." ] || fail "punch said: $out"

list=$("$VMUR" list) || fail "list failed"
echo "$list" | head -1 | grep -q '^ORIGINID FILE CLASS RECORDS  CPY HOLD DATE  TIME     NAME      TYPE     DIST     FORM     DEST$' \
    || fail "list header: $list"
line=$(echo "$list" | sed -n 2p)
[ "${line:0:8}" = "OPERATOR" ] && [ "${line:9:4}" = "0001" ] && [ "${line:14:1}" = A ] &&
    [ "${line:16:3}" = PUN ] && [ "${line:20:8}" = 00000002 ] && [ "${line:33:4}" = NONE ] &&
    [ "${line:53:5}" = greet ] && [ "${line:63:3}" = txt ] || fail "list line: '$line'"

mkdir "$T/in" && cd "$T/in" || fail "cd"
"$VMUR" receive -t 1 || fail "receive -t failed"
cmp greet.txt "$T/greet.txt" || fail "text round trip differs"
"$VMCP" q rdr all | grep -q "NO RDR FILES" || fail "receive did not purge: $("$VMCP" q rdr all)"

head -c 100003 /dev/urandom >"$T/blob.bin"
"$VMUR" punch -r -N blob.bin "$T/blob.bin" >/dev/null || fail "binary punch failed"
"$VMUR" receive -H 2 "$T/back.bin" || fail "binary receive failed"
cmp "$T/blob.bin" "$T/back.bin" || fail "binary round trip differs"
"$VMUR" receive 2 "$T/back.bin" 2>"$T/err" && fail "receive over an existing file without -f"
grep -q "already exists" "$T/err" || fail "no exists message: $(cat "$T/err")"

"$VMCP" change rdr 2 hold >/dev/null || fail "CHANGE HOLD"
"$VMUR" receive -f 2 "$T/back.bin" 2>"$T/err" && fail "a held file was received"
"$VMCP" change rdr 2 nohold >/dev/null || fail "CHANGE NOHOLD"
"$VMUR" receive -f 2 "$T/back.bin" || fail "receive after NOHOLD"
cmp -s "$T/blob.bin" "$T/back.bin" || fail "binary differs after hold"

"$VMUR" receive 77 2>"$T/err"
[ $? -eq 1 ] || fail "receive of a missing file should exit 1"
grep -q "vmur: Spoolid 0077 does not exist" "$T/err" || fail "missing-file message: $(cat "$T/err")"
"$VMUR" punch -u SINK "$T/greet.txt" 2>"$T/err" && fail "--user without --rdr accepted"
grep -q -- "--user without --rdr specified" "$T/err" || fail "no -u message"
: >"$T/empty"
"$VMUR" punch -r "$T/empty" 2>"$T/err" && fail "empty punch accepted"
grep -q "No spool file created" "$T/err" || fail "no empty-input message"
out=$("$VMUR" punch "$T/greet.txt") || fail "punch to own punch queue"
echo "$out" | grep -q "^Punch file with spoolid" || fail "punch said: $out"
"$VMUR" list -q pun | grep -q greet || fail "punch file not in PUN queue"
"$VMUR" purge -f -q pun || fail "purge -f"
"$VMUR" list -q pun | grep -q "NO PUN FILES" || fail "PUN not empty after purge"
exit 0
