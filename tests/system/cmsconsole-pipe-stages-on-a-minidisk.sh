#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# PIPE through a real console in pipe mode on a real CMS guest: the
# patch-cms cases, pipelines over a file on ALICE's minidisk (locate, sort,
# unique, count, specs, > writing a real host file), multi-stream with
# ENDCHAR and labels, the cp stage answered by the real CP, the command
# stage, and the FPL messages with PIPE's return codes.
. "$(dirname "$0")/lib-console.sh"
start_cpd
printf '%s\n' 'pear 3' 'apple 1' 'cherry 2' 'apple 1' 'banana 4' >"$T/disks/alice191/fruit.data"
chmod 666 "$T/disks/alice191/fruit.data"

# patch-cms: literal to console; PIPE alone is rc 24 with its message.
cms ALICE 'PIPE literal hello | console' 'PIPE'
expect_rc 24
expect_lines 'hello' 'Ready;' 'FPLSCA256I No pipeline specified on PIPE command' 'Ready(00024);'

# A file on the minidisk through selection, sort, unique, count, specs.
cms ALICE 'PIPE < FRUIT DATA A | locate /an/ | console' \
    'PIPE < FRUIT DATA | sort | unique | count lines | console' \
    'PIPE < FRUIT DATA A | specs w2 1 w1 nextword | sort | > OUT DATA A' \
    'TYPE OUT DATA A'
expect_rc 0
expect_lines 'banana 4' 'Ready;' '4' 'Ready;' 'Ready;' \
    '1 apple' '1 apple' '2 cherry' '3 pear' '4 banana' 'Ready;'
[ "$(cat "$T/disks/alice191/out.data")" = "$(printf '1 apple\n1 apple\n2 cherry\n3 pear\n4 banana')" ] ||
    fail "OUT DATA on the host: $(cat "$T/disks/alice191/out.data")"

# Multi-stream: locate's rejected records through a label.
cms ALICE 'PIPE (end ?) < FRUIT DATA A | l: locate /apple/ | count lines | specs /yes / 1 1-* n | console ? l: | count lines | specs /no / 1 1-* n | console'
expect_rc 0
expect_out '^yes 2$'
expect_out '^no 3$'

# cp: each record is a CP command issued as ALICE; the responses are records.
cms ALICE 'PIPE literal QUERY NAMES | cp | locate /ALICE/ | console'
expect_rc 0
expect_out '^ALICE +- '
expect_lines 'Ready;'

# command: CMS commands, their output as records; a failure ends with its rc.
cms ALICE 'PIPE literal LISTFILE * DATA A | command | count lines | console' \
    'PIPE literal STATE NOPE DATA A | command | console'
expect_rc 28
expect_lines '2' 'Ready;' 'DMSSTT002E File NOPE DATA A not found' 'Ready(00028);'

# Errors: unknown stage (-27), null stage (-17), missing file (146), R/O disk (119).
cms ALICE 'PIPE literal x | foofum | console'
expect_rc 63
expect_lines 'FPLSCB027E Entry point FOOFUM not found' \
    'FPLSCA003I ... Issued from stage 2 of pipeline 1' 'FPLSCA001I ... Running "foofum"' \
    'Ready(-0027);'
cms ALICE 'PIPE literal x |'
expect_lines 'FPLSCA017E Null stage found'
cms ALICE 'PIPE < NOPE DATA A | console' 'PIPE literal x | > X DATA B'
expect_lines 'FPLDSR146E File "NOPE DATA A" does not exist' \
    'FPLSCA003I ... Issued from stage 1 of pipeline 1' 'FPLSCA001I ... Running "< NOPE DATA A"' \
    'Ready(00146);' 'FPLDSW119E Mode B not available or read only'
[ ! -e "$T/disks/alice192/x.data" ] || fail "> wrote on a R/O disk"

# The next command after all that still works.
cms ALICE 'PIPE literal done | console'
expect_rc 0
expect_lines 'done' 'Ready;'
echo "PASS"
