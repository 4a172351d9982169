#!/bin/bash
# SPDX-License-Identifier: MIT
# vmcp issues CP commands: "vmcp q n" lists the logged-on guests (ECHO among
# them) and exits 0, lower case is upper-cased, -k keeps case (both checked
# by what SINK received), unix:// works.
. "$(dirname "$0")/lib-vmtools.sh"
start_cpd ECHO SINK

run_tool 0 "$VMCP" q n
grep -Eq "ECHO +- " "$T/out" || fail "q n: $(cat "$T/out")"
grep -Eq "SINK +- " "$T/out" || fail "q n lacks SINK: $(cat "$T/out")"

run_tool 0 "$VMCP" --socket "unix://$CPD_SOCKET" QUERY NAMES
grep -qw ECHO "$T/out" || fail "QUERY NAMES via unix://: $(cat "$T/out")"

# SMSG through vmcp is upper-cased like Linux vmcp, -k keeps the case; SINK
# counts each and answers STATS with "SINK: <count> <last from> <last text>".
run_tool 0 "$VMCP" smsg sink hello
run_tool 0 "$VMSEND" --wait 1 SINK STATS
[ "$(cat "$T/out")" = "SINK: 1 OPERATOR HELLO" ] || fail "after 'vmcp smsg sink hello', SINK STATS: '$(cat "$T/out")'"
run_tool 0 "$VMCP" -k SMSG SINK keep case
run_tool 0 "$VMSEND" --wait 1 SINK STATS
[ "$(cat "$T/out")" = "SINK: 2 OPERATOR keep case" ] || fail "after 'vmcp -k SMSG SINK keep case', SINK STATS: '$(cat "$T/out")'"
echo PASS
