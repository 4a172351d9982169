#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Two consoles on two CMS guests exchange messages: ALICE's SMSG shows up on
# BOB's console as "* MSG FROM ALICE -- text", BOB's TELL (a CP MSG) on
# ALICE's as "hh:mm:ss * MSG FROM BOB     : text", the last message lands in
# GLOBALV LMSG/LMSGSRC/LMSGTXT, and the SMSG and
# TELL error paths answer with their messages and rcs.
. "$(dirname "$0")/lib-console.sh"
start_cpd "console_log = yes"

bg_console alice ALICE
bg_console bob BOB
bg_send alice 'QUERY DISK A'
bg_send bob 'QUERY DISK A'
bg_wait_count alice out '^Ready;$' 1
bg_wait_count bob out '^Ready;$' 1

# ALICE -> BOB; BOB's console shows it (a guest's message arrives between commands).
bg_send alice 'SMSG BOB hello bob, from alice'
bg_wait_count alice out '^Ready;$' 2
wait_until 5 grep -q -- '-- hello bob, from alice$' "$T/state/console/BOB.log" ||
    fail "BOB's console log lacks ALICE's message"
bg_send bob 'TELL ALICE hi alice'
bg_wait_count bob out '^Ready;$' 2
grep -qx '\* MSG FROM ALICE -- hello bob, from alice' "$T/bob.out" || fail "BOB: $(cat "$T/bob.out")"
wait_until 5 grep -q -- ' \* MSG FROM BOB     : hi alice$' "$T/state/console/ALICE.log" ||
    fail "ALICE's console log lacks BOB's message (TELL is CP MSG)"
bg_send alice 'GLOBALV SELECT LASTING GET LMSGSRC LMSGTXT LMSG'
bg_wait_count alice out '^Ready;$' 3
expect_file_lines() {
    cp "$T/$1.out" "$T/out"
    shift
    expect_lines "$@"
}
grep -Eq '^[0-9]{2}:[0-9]{2}:[0-9]{2} \* MSG FROM BOB     : hi alice$' "$T/alice.out" ||
    fail "ALICE: $(cat "$T/alice.out")"
expect_file_lines alice 'BOB' 'hi alice' 'MSG FROM BOB -- hi alice' 'Ready;'

# Error paths: missing text (24), bad userid (24), a guest not logged on
# (CP's 045 arrives as a message), and TELL without operands.
bg_send alice 'SMSG BOB' 'SMSG TOOLONGID hi' 'SMSG ECHO anybody there?' 'TELL'
bg_wait_count alice out '^Ready' 7
expect_file_lines alice 'DMSMSG026E Message text missing' 'Ready(00024);'
expect_file_lines alice 'DMSMSG020E Invalid userid TOOLONGID' 'Ready(00024);'
wait_until 5 grep -q 'HCPMSG045E ECHO not logged on' "$T/state/console/ALICE.log" ||
    fail "no HCPMSG045E for ECHO"
expect_file_lines alice 'DMSMSG020E Invalid command: TELL requires a userid and text' 'Ready(00024);'
[ "$(grep -c '^Ready(00024);$' "$T/alice.out")" -ge 3 ] || fail "ALICE: $(cat "$T/alice.out")"

# Both consoles end with the last command's rc (24) at end of input.
bg_end alice
[ "$RC" -eq 24 ] || fail "ALICE's console exited $RC, expected 24"
bg_send bob 'QUERY DISK A'
bg_wait_count bob out '^Ready;$' 3
bg_end bob
[ "$RC" -eq 0 ] || fail "BOB's console exited $RC, expected 0"
echo "PASS"
