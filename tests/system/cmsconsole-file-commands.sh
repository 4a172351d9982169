#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# File commands through a real console in pipe mode: ACCESS, RELEASE,
# LISTFILE, STATE, TYPE, COPYFILE, RENAME, ERASE on real files of temporary
# minidisks, each success and error path, the Ready lines and exit status;
# then LOGOFF, whose "LOGOFF AT" line comes last, with no Ready before it.
. "$(dirname "$0")/lib-console.sh"
start_cpd

# The first attach logs ALICE on: IPL output, then the disks as accessed.
cms ALICE 'QUERY DISK'
expect_rc 0
expect_out '^z/VM CMS Machine Environment .* - userid ALICE$'
expect_out '^DMSACP723I B \(192\) R/O$'
expect_out '^CPD191 191  A  R/W +0  '"$T/disks/alice191"'$'
expect_out '^CPD192 192  B  R/O +1  '"$T/disks/alice192"'$'
expect_lines 'Ready;'
expect_err 'attached to ALICE as writer'

# LISTFILE / STATE / TYPE: found and not found.
cms ALICE 'LISTFILE * * B' 'STATE README TEXT *' 'TYPE README TEXT B'
expect_rc 0
expect_lines 'README   TEXT     B1' 'Ready;' 'README TEXT B1' 'Ready;' \
    'Hello from the read-only disk' 'Second line' 'Ready;'
cms ALICE 'LISTFILE NOPE * A'
expect_rc 28
expect_out '^DMSLST.*E '
expect_lines 'Ready(00028);'
cms ALICE 'STATE NOPE EXEC A'
expect_rc 28
expect_lines 'DMSSTT002E File NOPE EXEC A not found' 'Ready(00028);'
cms ALICE 'STATE * EXEC A'
expect_rc 20
expect_lines 'Ready(00020);'
cms ALICE 'TYPE NOPE TEXT'
expect_rc 28
expect_lines 'DMSTYP002E File NOPE TEXT * not found' 'Ready(00028);'
cms ALICE 'LISTFILE'
expect_rc 28 # LISTFILE alone is LISTFILE * * A, and ALICE's A-disk is empty
expect_lines 'DMSLST002E File * * A not found' 'Ready(00028);'

# COPYFILE from the R/O disk to A, then the copy is a real host file.
cms ALICE 'COPYFILE README TEXT B MY TEXT A' 'LISTFILE * * A'
expect_rc 0
expect_lines 'Ready;' 'MY       TEXT     A1' 'Ready;'
[ -f "$T/disks/alice191/my.text" ] || fail "COPYFILE did not create my.text on the A-disk"
cmp -s "$T/disks/alice192/readme.text" "$T/disks/alice191/my.text" || fail "copy differs"
cms ALICE 'COPYFILE NOPE TEXT A X TEXT A'
expect_rc 28
expect_out '^DMSCPY002E File NOPE TEXT A not found$'
cms ALICE 'COPYFILE MY TEXT A MY TEXT B'
expect_rc 28
expect_out 'Filemode B is accessed as read/only'

# RENAME: success, missing source, existing target.
cms ALICE 'RENAME MY TEXT A YOUR TEXT A' 'STATE YOUR TEXT A'
expect_rc 0
expect_lines 'Ready;' 'YOUR TEXT A1' 'Ready;'
[ -f "$T/disks/alice191/your.text" ] && [ ! -e "$T/disks/alice191/my.text" ] ||
    fail "RENAME did not rename the host file"
cms ALICE 'RENAME NOPE TEXT A X TEXT A'
expect_rc 28
expect_lines 'DMSREN002E File NOPE TEXT A not found' 'Ready(00028);'
cms ALICE 'COPYFILE YOUR TEXT A OTHER TEXT A' 'RENAME YOUR TEXT A OTHER TEXT A'
expect_rc 28
expect_out 'already exists'

# ERASE: success, missing file, read-only disk.
cms ALICE 'ERASE OTHER TEXT A' 'STATE OTHER TEXT A'
expect_rc 28
expect_lines 'Ready;' 'DMSSTT002E File OTHER TEXT A not found' 'Ready(00028);'
[ ! -e "$T/disks/alice191/other.text" ] || fail "ERASE left the host file"
cms ALICE 'ERASE OTHER TEXT A'
expect_rc 28
expect_lines 'DMSERS002E File OTHER TEXT A not found' 'Ready(00028);'
cms ALICE 'ERASE README TEXT B'
expect_rc 28
expect_lines 'DMSERS037E Filemode B is accessed as read/only' 'Ready(00028);'
[ -f "$T/disks/alice192/readme.text" ] || fail "ERASE removed a file on a R/O disk"

# RELEASE and ACCESS: by vdev, with errors; the exit status is the last rc.
cms ALICE 'RELEASE B' 'QUERY DISK B'
expect_rc 28
expect_lines 'Ready;' 'DMSQRY069E Filemode B not accessed' 'Ready(00028);'
cms ALICE 'RELEASE'
expect_rc 24
expect_out '^DMSARL024E '
cms ALICE 'ACCESS 192 C' 'TYPE README TEXT C'
expect_rc 0
expect_lines 'DMSACP723I C (192) R/O' 'Ready;' 'Hello from the read-only disk'
cms ALICE 'ACCESS 999 D'
expect_rc 63 # rc 100 is over 63
expect_lines 'DMSACP113S D(999) not attached or invalid device address' 'Ready(00100);'
cms ALICE 'ACCESS 191'
expect_rc 24
expect_lines 'Ready(00024);'
# A host path is never a disk: a guest reaches only what CP linked to it.
mkdir -m 777 "$T/disks/extra"
cms ALICE "ACCESS $T/disks/extra E"
expect_rc 24
expect_out '^DMSACC017E Invalid device address '
cms ALICE 'ACCESS /etc E'
expect_rc 24
cms ALICE 'CP LINK BOB 191 291 RR'
expect_rc 63 # rc 113 is over 63
expect_out 'HCPLNM113E BOB 0191 not linked; no read password'
cms ALICE 'COPYFILE YOUR TEXT A NEW DATA A' 'LISTFILE NEW DATA A'
expect_rc 0
expect_lines 'NEW      DATA     A1' 'Ready;'

# Abbreviations: shortest accepted, one shorter refused (unknown: rc -3 -> 63).
cms ALICE 'ST YOUR TEXT A' 'LIST YOUR TEXT A' 'ER NEW DATA A'
expect_rc 0
expect_lines 'YOUR TEXT A1' 'Ready;' 'YOUR     TEXT     A1' 'Ready;' 'Ready;'
for short in 'S YOUR TEXT A' 'LIS YOUR TEXT A' 'E YOUR TEXT A' 'RE YOUR TEXT A X Y A'; do
    cms ALICE "$short"
    expect_rc 63
    expect_lines 'Unknown CP/CMS command' 'Ready(-0003);'
done
[ -f "$T/disks/alice191/your.text" ] || fail "a refused abbreviation touched a file"

# LISTFILE's FORMAT columns: records and the longest record (192 is at C now).
cms ALICE 'LISTFILE * * C (FORMAT'
expect_rc 0
expect_lines 'FILENAME FILETYPE FM FORMAT LRECL       RECS     BLOCKS' \
    'README   TEXT     C1 V         29          2          1' 'Ready;'

# LOGOFF: "LOGOFF AT" is the last line, with no "Ready;" before it, and the
# console ends because the guest logged off (exit 0).
cms ALICE 'LOGOFF'
expect_rc 0
expect_no_out '^Ready'
[[ $(tail -n 1 "$T/out") == "LOGOFF AT "* ]] || fail "the last line is not LOGOFF AT"
echo "PASS"
