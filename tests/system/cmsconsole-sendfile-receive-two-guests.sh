#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The spool through real consoles: ALICE SENDFILEs a text file and a binary
# one to BOB (CP's PUN FILE line and CMS's "sent to" message); BOB, logged
# on, sees z/VM's arrival message; RECEIVE brings both back byte for byte
# with their names, refuses to overwrite without REPLACE, and purges the
# reader file; PUNCH and PRINT fill ALICE's own queues; PEEK shows a file.
# Then the host round trip: vmur punch -> BOB's reader -> RECEIVE ->
# SENDFILE to OPERATOR -> vmur receive, a binary file included. SENDFILE
# writes NETDATA (OLD: cpd's own earlier format); RECEIVE reads both.
. "$(dirname "$0")/lib-console.sh"
start_cpd
printf 'line one\n  line two  \nthird\n' >"$T/disks/alice191/notes.text"
head -c 70001 /dev/urandom >"$T/disks/alice191/blob.bin"
chmod 644 "$T/disks/alice191/"*

cms BOB 'QUERY DISK' # logs BOB on; he stays logged on, disconnected
cms ALICE 'SENDFILE NOTES TEXT A TO BOB' 'SF BLOB BIN A BOB'
expect_rc 0
expect_out '^PUN FILE [0-9]{4} SENT TO   BOB      RDR AS  [0-9]{4} RECS 0003 CPY  001 A NOHOLD NOKEEP$'
expect_out '^File NOTES TEXT A sent to BOB at CPD on [0-9/]{8} [0-9:]{8}$'
expect_out '^File BLOB BIN A sent to BOB at CPD on '

console --replay BOB < <(printf '%s\n' 'RECEIVE' 'RECEIVE' 'CP QUERY RDR ALL') # the arrival lines came while BOB was away
expect_out '^RDR FILE [0-9]{4} SENT FROM ALICE    PUN WAS [0-9]{4} RECS 0003 CPY  001 A NOHOLD NOKEEP$'
expect_out '^File NOTES TEXT A received from ALICE at CPD$'
expect_out '^File BLOB BIN A received from ALICE at CPD$'
expect_out '^NO RDR FILES$'
cmp -s "$T/disks/alice191/notes.text" "$T/disks/bob191/notes.text" || fail "text file differs"
cmp -s "$T/disks/alice191/blob.bin" "$T/disks/bob191/blob.bin" || fail "binary file differs"

# SENDFILE ( OLD writes cpd's own earlier format; RECEIVE reads it as well as NETDATA.
cms ALICE 'SENDFILE NOTES TEXT A TO BOB ( OLD' 'SENDFILE BLOB BIN A TO BOB ( OLD'
expect_rc 0
expect_out '^PUN FILE [0-9]{4} SENT TO   BOB      RDR AS  [0-9]{4} RECS 0004 CPY  001 A NOHOLD NOKEEP$'
cms BOB 'RECEIVE * OLD TEXT A' 'RECEIVE * OLD BIN A'
expect_rc 0
cmp -s "$T/disks/alice191/notes.text" "$T/disks/bob191/old.text" || fail "OLD text file differs"
cmp -s "$T/disks/alice191/blob.bin" "$T/disks/bob191/old.bin" || fail "OLD binary file differs"

cms ALICE 'SENDFILE NOTES TEXT A TO BOB'
cms BOB 'RECEIVE'
expect_rc 28
expect_out '^DMSRCV169S File NOTES TEXT A already exists; specify REPLACE option$'
cms BOB 'PEEK' 'RECEIVE * COPY TEXT A' 'RECEIVE' 'RECEIVE * ( REPLACE'
expect_out '^  line two  $'
expect_out '^DMSRCV1110E No reader files found$'
cmp -s "$T/disks/alice191/notes.text" "$T/disks/bob191/copy.text" || fail "new-name copy differs"

cms ALICE 'PUNCH NOTES TEXT A' 'PRINT NOTES TEXT A' 'CP QUERY PUN ALL' 'CP QUERY PRT ALL'
expect_rc 0
expect_out '^PUN FILE [0-9]{4} SENT TO   ALICE    PUN AS  [0-9]{4} RECS 0004 '
expect_out '^PRT FILE [0-9]{4} SENT TO   ALICE    PRT AS  [0-9]{4} RECS 0003 '
expect_out '^ALICE    [0-9]{4} A PUN 00000004 001 NONE .* NOTES     TEXT     ALICE    STANDARD OFF$'

# NOTE, RDRLIST (list, then act by line number), DISK DUMP / DISK LOAD
cms ALICE 'NOTE BOB lunch at noon?' 'CP SPOOL PUN TO BOB' 'DISK DUMP NOTES TEXT A' 'CP SPOOL PUN OFF'
expect_rc 0
expect_out '^Note ALICE NOTE A sent to BOB$'
"$VMCP" force bob >/dev/null || fail "FORCE BOB"
wait_until 5 is_logged_off BOB || fail "BOB not forced off"
cms BOB 'RDRLIST'
expect_out '^FILES: 0002 RDR,   NO PRT,   NO PUN$'
expect_out '^ 1  [0-9]{4}  ALICE    A      00000006  ALICE    NOTE *$'
expect_out '^ 2  [0-9]{4}  ALICE    A      00000004  NOTES    TEXT *$'
rm -f "$T/disks/bob191/notes.text"
cms BOB 'RDRLIST 1 PEEK' 'RDRLIST 1 DISCARD' 'DISK LOAD' 'RDRLIST'
expect_out '^lunch at noon\?$'
expect_out '^File NOTES TEXT A received from ALICE at CPD$'
expect_out '^DMSRCV1110E No reader files found$'
cmp -s "$T/disks/alice191/notes.text" "$T/disks/bob191/notes.text" || fail "DISK LOAD differs"

# host -> BOB's reader -> RECEIVE -> SENDFILE -> host, text and binary
head -c 12345 /dev/urandom >"$T/host.bin"
printf 'from the host\n' >"$T/host.txt"
"$VMUR" punch -r -u BOB -N host.bin "$T/host.bin" >/dev/null || fail "vmur punch binary"
"$VMUR" punch -t -r -u BOB -N host.txt "$T/host.txt" >/dev/null || fail "vmur punch text"
cms BOB 'RECEIVE' 'RECEIVE' 'SENDFILE HOST BIN A TO OPERATOR' 'SENDFILE HOST TXT A TO OPERATOR'
expect_rc 0
cmp -s "$T/host.bin" "$T/disks/bob191/host.bin" || fail "binary deck received wrong"
ids=$("$VMUR" list | sed -n '2,$p' | cut -c10-13)
"$VMUR" receive -f "$(echo "$ids" | sed -n 1p)" "$T/back.bin" 2>"$T/vmur.err" || fail "vmur receive bin"
grep -q "^vmur: INFO: Reader file [0-9]* has NETDATA format" "$T/vmur.err" || fail "not NETDATA: $(cat "$T/vmur.err")"
"$VMUR" receive -f "$(echo "$ids" | sed -n 2p)" "$T/back.txt" 2>/dev/null || fail "vmur receive txt"
cmp -s "$T/host.bin" "$T/back.bin" || fail "host binary round trip differs"
cmp -s "$T/host.txt" "$T/back.txt" || fail "host text round trip differs"
echo PASS
