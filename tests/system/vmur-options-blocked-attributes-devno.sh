#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# vmur's record and attribute options: -b SEP,PAD punches a file split at
# SEP with records padded by PAD and receives it back (pad stripped, SEP
# appended); --form, --dest and --dist become the file's FORM, DEST and DIST
# (QUERY RDR ALL shows them) and the punch's own settings are put back after;
# purge selects by --form and --dest and -f never asks; -n/--node is refused
# (no RSCS), never read as a file; -d/--devno names the
# device and a device of the wrong kind is refused.
. "$(dirname "$0")/lib-vmtools.sh"
start_cpd SINK

# -b: three records split at '|', padded with '#' to 80 bytes.
printf 'one|two two|three' >"$T/blocked.in"
out=$("$VMUR" punch -r -b 0x7c,0x23 -N blk.dat "$T/blocked.in") || fail "punch -b: $out"
id=$(echo "$out" | sed -n 's/.*spoolid \([0-9]\{4\}\).*/\1/p')
"$VMCP" q rdr "$id" all | sed -n 2p | grep -q "^OPERATOR $id A PUN 00000003 " ||
    fail "blocked punch is not 3 records: $("$VMCP" q rdr "$id" all)"
"$VMUR" receive -H -O "$id" | cmp -s - <(printf 'one%s' "$(printf '#%.0s' $(seq 77))"; \
    printf 'two two%s' "$(printf '#%.0s' $(seq 73))"; printf 'three%s' "$(printf '#%.0s' $(seq 75))") ||
    fail "raw records are not padded with #"
"$VMUR" receive -b 0x0a,0x23 -O "$id" >"$T/blocked.out" || fail "receive -b"
[ "$(cat "$T/blocked.out")" = "$(printf 'one\ntwo two\nthree')" ] || fail "receive -b: $(od -c "$T/blocked.out")"
"$VMUR" punch -r -t -b 0x7c,0x23 -N x.y "$T/blocked.in" >/dev/null 2>"$T/err" && fail "-t with -b accepted"
grep -q "Conflicting options" "$T/err" || fail "-t -b: $(cat "$T/err")"
"$VMUR" punch -r -b 7c -N x.y "$T/blocked.in" >/dev/null 2>"$T/err" && fail "bad -b accepted"
head -c 81 /dev/zero | tr '\0' 'x' >"$T/long.in"
"$VMUR" punch -r -b 0x0a,0x40 -N x.y "$T/long.in" >/dev/null 2>"$T/err" && fail "81-byte record accepted"
grep -q "Input line 1 too long" "$T/err" || fail "long record: $(cat "$T/err")"

# --form, --dest, --dist; the punch's settings come back afterwards.
"$VMCP" spool pun class c >/dev/null || fail "SPOOL PUN CLASS C"
before=$("$VMCP" q v pun)
printf 'memo\n' >"$T/memo.txt"
out=$("$VMUR" punch -t -r --form memo --dest lab2 --dist d42 -C b "$T/memo.txt") || fail "punch attrs: $out"
id=$(echo "$out" | sed -n 's/.*spoolid \([0-9]\{4\}\).*/\1/p')
line=$("$VMCP" q rdr "$id" all | sed -n 2p)
[ "${line:14:1}" = B ] && [ "${line:72:8}" = "D42     " ] && [ "${line:81:8}" = "MEMO    " ] &&
    [ "${line:90}" = LAB2 ] || fail "attributes: '$line'"
[ "$("$VMCP" q v pun)" = "$before" ] || fail "punch settings not restored: $("$VMCP" q v pun)"
"$VMCP" q rdr | grep "^OPERATOR $id" | grep -q " MEMO     LAB2 " || fail "Q RDR FORM/DEST: $("$VMCP" q rdr)"

# purge by form and dest, without a question (-f).
printf 'plain\n' >"$T/plain.txt"
"$VMUR" punch -t -r "$T/plain.txt" >/dev/null || fail "punch plain"
n=$("$VMCP" q rdr | grep -c '^OPERATOR')
"$VMUR" purge -f --form memo --dest lab2 </dev/null 2>"$T/err" || fail "purge -f: $(cat "$T/err")"
grep -q "^0000001 FILE  PURGED" "$T/err" || fail "purge -f said: $(cat "$T/err")"
[ "$("$VMCP" q rdr | grep -c '^OPERATOR')" -eq $((n - 1)) ] || fail "purge --form --dest"
"$VMCP" q rdr | grep -q " MEMO " && fail "the MEMO file is still there"

# -d/--devno: the unit's own number works; another kind or none is refused.
out=$("$VMUR" punch -t -r -d 000d -N dev.one "$T/plain.txt") || fail "punch -d 000d: $out"
out=$("$VMUR" print -t -d 0x0e -N dev.two "$T/plain.txt") || fail "print -d 0x0e: $out"
echo "$out" | grep -q "^Printer file with spoolid" || fail "print -d said: $out"
"$VMUR" punch -t -r -d 000c -N x.y "$T/plain.txt" >/dev/null 2>"$T/err" && fail "punch to a reader"
grep -q "Device 000C is not a punch" "$T/err" || fail "punch -d 000c: $(cat "$T/err")"
"$VMUR" punch -t -r --devno 0123 -N x.y "$T/plain.txt" >/dev/null 2>"$T/err" && fail "punch to 0123"
"$VMUR" punch -t -r -d xyz -N x.y "$T/plain.txt" >/dev/null 2>"$T/err" && fail "-d xyz accepted"
grep -q "Invalid device number" "$T/err" || fail "-d xyz: $(cat "$T/err")"
id=$("$VMUR" list | sed -n 2p | cut -c10-13)
"$VMUR" receive -t -d 00c -O "$id" >/dev/null || fail "receive -d 00c"
"$VMUR" receive -t -d 000d -O "$id" >/dev/null 2>"$T/err" && fail "receive from a punch"
grep -q "Device 000D is not a reader" "$T/err" || fail "receive -d 000d: $(cat "$T/err")"

# -n/--node (s390-tools: an RSCS node) takes its value and is refused, never
# read as the file to punch; without -u it is vmur's usage error.
before=$("$VMCP" q rdr | grep -c '^OPERATOR')
"$VMUR" punch -t -r -u OPERATOR -n REMOTE1 "$T/plain.txt" >/dev/null 2>"$T/err" &&
    fail "punch --node accepted"
grep -q "node REMOTE1 needs RSCS" "$T/err" || fail "punch -n: $(cat "$T/err")"
"$VMUR" punch -t -r --node REMOTE1 "$T/plain.txt" >/dev/null 2>"$T/err" && fail "--node without -u"
grep -q -- "--node without --user" "$T/err" || fail "--node without -u: $(cat "$T/err")"
[ "$("$VMCP" q rdr | grep -c '^OPERATOR')" -eq "$before" ] || fail "a --node punch made a file"
echo PASS
