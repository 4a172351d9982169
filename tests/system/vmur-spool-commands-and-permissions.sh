#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The spool's CP commands with their options and z/VM's responses (SPOOL TO
# CLASS HOLD COPY NAME, CLOSE, QUERY RDR|PUN [ALL], CHANGE, ORDER, TRANSFER,
# PURGE), the arrival message on the receiver's console, and who may see
# what: ALICE (host user nobody, class G) sees and purges only her own files
# and may put files only into her own reader; OPERATOR (class D) sees and
# acts on everyone's.
. "$(dirname "$0")/lib-spool.sh"
command -v setpriv >/dev/null || { echo "SKIP: setpriv (util-linux) is not installed"; exit 77; }
[ -n "$NOBODY_UID" ] || { echo "SKIP: no user nobody"; exit 77; }
start_spool_cpd "console_log = yes"
printf 'ONE\nTWO\nTHREE\n' >"$T/three.txt"
chmod 644 "$T/three.txt"

# SPOOL options, then CLOSE (through vmur punch) sends the file to BOB.
"$VMCP" spool pun to bob class b hold copy 2 >/dev/null || fail "SPOOL PUN TO BOB"
"$VMUR" punch -t "$T/three.txt" >/dev/null || fail "punch via SPOOL TO"
q=$("$VMCP" q rdr bob all) || fail "Q RDR BOB ALL"
echo "$q" | head -1 | grep -q "^OWNERID  FILE CLASS" || fail "class D listing header: $q"
line=$(echo "$q" | sed -n 2p)
[ "${line:0:8}" = "BOB     " ] && [ "${line:14:1}" = B ] && [ "${line:20:8}" = 00000003 ] &&
    [ "${line:29:3}" = 002 ] && [ "${line:33:4}" = USER ] && [ "${line:53:5}" = three ] ||
    fail "BOB's file: '$line'"
bob_id=${line:9:4}
for _ in $(seq 40); do
    grep -q "RDR FILE $bob_id SENT FROM OPERATOR PUN WAS 0001 RECS 0003 CPY  002 B HOLD NOKEEP" \
        "$T/state/console/BOB.log" 2>/dev/null && break
    sleep 0.05
done
grep -q "RDR FILE $bob_id SENT FROM OPERATOR PUN WAS 0001 RECS 0003 CPY  002 B HOLD NOKEEP" \
    "$T/state/console/BOB.log" || fail "no arrival message on BOB's console: $(cat "$T/state/console/BOB.log")"
"$VMCP" spool pun off class a nohold copy 1 >/dev/null || fail "SPOOL PUN OFF"

# CHANGE, ORDER, TRANSFER, PURGE on one's own reader.
"$VMUR" punch -t -r -N a.one "$T/three.txt" >/dev/null || fail "punch a"
"$VMUR" punch -t -r -N b.two "$T/three.txt" >/dev/null || fail "punch b"
ids=$("$VMCP" q rdr all | sed -n '2,$p' | cut -c10-13)
first=$(echo "$ids" | sed -n 1p)
second=$(echo "$ids" | sed -n 2p)
[ "$("$VMCP" change rdr "$first" class x name new name)" = "0000001 FILE  CHANGED" ] || fail "CHANGE"
"$VMCP" q rdr all | grep "^OPERATOR $first X" | grep -q "NEW       NAME" || fail "CHANGE not shown"
[ "$("$VMCP" order rdr "$second")" = "0000001 FILE  ORDERED" ] || fail "ORDER"
[ "$("$VMCP" q rdr all | sed -n 2p | cut -c10-13)" = "$second" ] || fail "ORDER did not move $second first"
[ "$("$VMCP" q rdr)" = "$(printf 'ORIGINID FILE CLASS RECORDS  CPY HOLD FORM     DEST     KEEP MSG\n')
$("$VMCP" q rdr | sed -n '2,$p')" ] || fail "Q RDR header"
out=$("$VMCP" transfer rdr "$second" to alice) || fail "TRANSFER to ALICE"
[ "$out" = "0000001 FILE  TRANSFERRED" ] || fail "TRANSFER said: $out"
[ "$("$VMCP" purge rdr class x)" = "0000001 FILE  PURGED" ] || fail "PURGE CLASS X"
[ "$("$VMCP" purge rdr)" = "NO FILES PURGED" ] || fail "PURGE of an empty reader"
"$VMCP" purge rdr 4242 >"$T/out" 2>&1 && fail "PURGE of a missing spoolid succeeded"
grep -q "HCPCPU042E Spoolid 4242 does not exist" "$T/out" || fail "missing spoolid: $(cat "$T/out")"
"$VMCP" spool pun bogus >"$T/out" 2>&1 && fail "SPOOL with a bad option succeeded"
grep -q "HCPCSP003E Invalid option - BOGUS" "$T/out" || fail "bad option: $(cat "$T/out")"

# ALICE: her own reader only.
alice=$(as_nobody "$VMCP" q rdr all) || fail "ALICE Q RDR"
echo "$alice" | sed -n 2p | grep -q "^OPERATOR" || fail "ALICE does not see the transferred file: $alice"
alice_id=$(echo "$alice" | sed -n 2p | cut -c10-13)
as_nobody "$VMCP" q rdr bob all >"$T/out" 2>&1 && fail "ALICE listed BOB's reader"
grep -q "HCPCQU002E" "$T/out" || fail "no not-authorized message: $(cat "$T/out")"
as_nobody "$VMCP" purge bob rdr all >/dev/null 2>&1 && fail "ALICE purged BOB's files"
as_nobody "$VMCP" purge rdr "$bob_id" >/dev/null 2>&1 && fail "ALICE purged BOB's file by spoolid"
as_nobody "$VMUR" receive -O "$bob_id" >/dev/null 2>"$T/err" && fail "ALICE read BOB's file"
grep -q "does not exist" "$T/err" || fail "ALICE's read refusal: $(cat "$T/err")"
"$VMCP" q rdr bob all | grep -q "^BOB      $bob_id" || fail "BOB's file is gone"
as_nobody "$VMUR" punch -r -u BOB "$T/three.txt" >/dev/null 2>"$T/err" && fail "ALICE punched into BOB's reader"
grep -q "not authorized" "$T/err" || fail "ALICE -u BOB refusal: $(cat "$T/err")"
as_nobody "$VMUR" receive -t -O "$alice_id" | grep -q "^THREE$" || fail "ALICE cannot read her file"
out=$("$VMUR" punch -r -u ALICE -N to.alice "$T/three.txt") || fail "OPERATOR -u ALICE"
echo "$out" | grep -q "created and transferred to ALICE" || fail "OPERATOR -u said: $out"
exit 0
