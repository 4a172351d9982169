#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# GLOBALV, QUERY, HELP, CP, EXEC and unknown commands through a real console
# in pipe mode, with their error paths, abbreviations and exit statuses; and
# LASTING GLOBALV variables surviving LOGOFF and a new logon.
. "$(dirname "$0")/lib-console.sh"
start_cpd

# GLOBALV: SET/GET/LIST in a group, a missing variable (rc 4), a bad subcommand.
cms ALICE 'GLOBALV SELECT MYGRP SET COLOR red' 'GLOBALV SELECT MYGRP GET COLOR' \
    'GLOBALV SELECT MYGRP LIST'
expect_rc 0
expect_lines 'Ready;' 'red' 'Ready;' 'COLOR = red' 'Ready;'
cms ALICE 'GLOBALV SELECT MYGRP GET NOPE'
expect_rc 4
expect_lines 'Ready(00004);'
cms ALICE 'GLOBALV SELECT MYGRP DELETE NOPE'
expect_rc 4
expect_lines 'DMSGLB004W Variable NOPE not found' 'Ready(00004);'
cms ALICE 'GLOBALV BOGUS'
expect_rc 24
expect_lines 'DMSGLB024E Invalid command: Unknown GLOBALV subcommand: BOGUS' 'Ready(00024);'
cms ALICE 'GLOB SETL SHELL keep me' 'GLO SET X 1'
expect_rc 63
expect_lines 'Ready;' 'Unknown CP/CMS command' 'Ready(-0003);'

# QUERY: DISK, ACCESSED, SEARCH (and Q abbreviation), a disk not accessed.
cms ALICE 'Q ACCESSED' 'QUERY SEARCH'
expect_rc 0
expect_out '^A +R/W +[0-9]+ +191 +CPD191 '"$T/disks/alice191"'$'
expect_out '^B +R/O +1 +192 +CPD192 '"$T/disks/alice192"'$'
expect_lines 'CPD191   191  A   R/W' 'CPD192   192  B   R/O' 'Ready;'
cms ALICE 'QUERY DISK Z'
expect_rc 28
expect_lines 'DMSQRY069E Filemode Z not accessed' 'Ready(00028);'

# HELP: the list, one command, an unknown one, too many operands.
cms ALICE 'HELP'
expect_rc 0
for c in ACcess COPYfile CP ERase EXEC GLOBalv HELP LISTfile LOGoff Query RELease \
    REName SMsg STate TELL Type; do
    expect_out "^  $c "
done
cms ALICE 'HELP STATE'
expect_rc 0
expect_lines 'STate fn ft [fm]' '  Verify that a file exists.' '  Minimum abbreviation: ST' 'Ready;'
cms ALICE 'HELP NOPE'
expect_rc 28
expect_lines 'DMSHLP002E No help available for NOPE' 'Ready(00028);'
cms ALICE 'HELP A B'
expect_rc 24

# CP: passes the command to CP as ALICE; errors keep CP's rc.
cms ALICE 'CP QUERY NAMES'
expect_rc 0
expect_out '^ALICE +- CON[0-9]{3}'
cms ALICE 'CP BOGUS'
expect_rc 1
expect_lines 'HCPCMD001E Unknown CP command: BOGUS' 'Ready(00001);'
cms ALICE 'CP'
expect_rc 24

# EXEC: a missing one is -3; a word names an EXEC (tests/system/
# cmsconsole-rexx-exec.sh has the rest); unknown words are -3 too.
cms ALICE 'EXEC PROFILE'
expect_rc 63
expect_lines 'DMSEXE001E EXEC PROFILE not found' 'Ready(-0003);'
printf '/* */\nsay "hi"\n' >"$T/disks/alice191/hello.exec"
cms ALICE 'HELLO'
expect_rc 0
expect_lines 'hi' 'Ready;'
cms ALICE 'FROBNICATE'
expect_rc 63
expect_lines 'Unknown CP/CMS command' 'Ready(-0003);'

# LASTING GLOBALV survives LOGOFF and a new logon; other groups do not.
cms ALICE 'GLOBALV SELECT LASTING SETL PET cat' 'LOGOFF'
expect_rc 0
expect_lines 'Ready;' # GLOBALV's; LOGOFF ends with LOGOFF AT, no Ready
[ "$(grep -c '^Ready;$' "$T/out")" -eq 1 ] || fail "LOGOFF printed a Ready line"
wait_until 5 is_logged_off ALICE || fail "ALICE still logged on after LOGOFF"
cms ALICE 'GLOBALV SELECT LASTING GET PET' 'GLOBALV SELECT MYGRP GET COLOR'
expect_out '^z/VM CMS Machine Environment' # a new logon
expect_lines 'cat' 'Ready;'
expect_rc 4 # MYGRP was not LASTING
echo "PASS"
