#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Line-mode XEDIT through real cmsconsole pipe-mode sessions on a real CMS
# guest: create a file, type lines in input mode (ended by a null line),
# change them, FILE; re-open it, QUIT is refused on the changed file, QQUIT
# leaves it as it was; a console that attaches while XEDIT is in input mode
# keeps feeding it null lines; SAVE on a R/O disk is refused. No "Ready;"
# appears while XEDIT holds the console.
. "$(dirname "$0")/lib-console.sh"
start_cpd

# Create: new file, input mode, a null line ends it, CHANGE over the file, FILE.
cms ALICE 'XEDIT PLAN TEXT A' 'INPUT' 'first line' 'second line' '' \
    'TOP' 'CHANGE /line/LINE/ * *' 'FILE' 'STATE PLAN TEXT A'
expect_rc 0
expect_lines 'DMSXIN561I New file' 'DMSXIN573I Input mode:' 'TOF:' \
    'DMSXCG517I 2 occurrence(s) changed on 2 line(s)' 'second LINE' 'Ready;' \
    'PLAN TEXT A1' 'Ready;'
[ "$(grep -c '^Ready' "$T/out")" -eq 2 ] || fail "a Ready line appeared inside XEDIT"
[ "$(cat "$T/disks/alice191/plan.text")" = "$(printf 'first LINE\nsecond LINE')" ] ||
    fail "FILE wrote: $(cat "$T/disks/alice191/plan.text")"

# Re-open: the lines are there; a change makes QUIT refuse with rc 12's
# message; QQUIT returns to CMS and the file on disk is unchanged.
cms ALICE 'XEDIT PLAN TEXT' 'TYPE *' '-/second/' 'REPLACE changed' 'QUIT' 'QQUIT' \
    'TYPE PLAN TEXT A'
expect_rc 0
expect_lines 'TOF:' 'first LINE' 'second LINE' 'EOF:' 'second LINE' \
    'DMSXSU577E File has been changed; type QQUIT to quit anyway' 'Ready;' \
    'first LINE' 'second LINE' 'Ready;'
expect_no_out 'changed$'

# A script that ends inside XEDIT input mode leaves XEDIT there; the next
# console learns the mode at attach, so its null line still ends input mode.
cms ALICE 'XEDIT PLAN TEXT A' 'BOTTOM' 'INPUT'
expect_rc 0
expect_lines 'second LINE' 'DMSXIN573I Input mode:'
expect_no_out '^Ready'
cms ALICE 'third line' '' 'TYPE' 'SAVE' 'LISTFILE PLAN * A' 'QUIT'
expect_rc 0
expect_lines 'third line' 'PLAN     TEXT     A1' 'Ready;'
[ "$(sed -n 3p "$T/disks/alice191/plan.text")" = "third line" ] || fail "SAVE did not write"

# A file on the R/O disk opens; SAVE is refused with the disk's message.
cms ALICE 'XEDIT README TEXT B' 'NEXT' 'SAVE' 'QUIT'
expect_rc 0
expect_lines 'Hello from the read-only disk' \
    'DMSXSU037E Filemode B is accessed as read/only' 'Ready;'

# The XEDIT command's own errors end with CMS's Ready.
cms ALICE 'XEDIT PLAN'
expect_rc 24
expect_lines 'DMSXIN054E Incomplete fileid specified' 'Ready(00024);'
echo "PASS"
