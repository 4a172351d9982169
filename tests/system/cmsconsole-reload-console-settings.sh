#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# SIGHUP applies cpd.conf's console settings to a guest already logged on:
# console_log turned on starts ALICE's console log, turned off stops it; a
# changed socket_mode is named in cpd's log as waiting for a restart, and the
# socket keeps its mode.
. "$(dirname "$0")/lib-console.sh"
start_cpd "console_log = no"
LOG=$T/state/console/ALICE.log

cms ALICE 'QUERY DISK A' # logs ALICE on
expect_rc 0
[ ! -e "$LOG" ] || fail "a console log was written with console_log = no"
mode_before=$(stat -c %a "$T/cpd.sock")

# reloads_done N: cpd's log shows at least N completed reloads.
reloads_done() { [ "$(grep -c 'reload: directory has' "$T/cpd.log")" -ge "$1" ]; }

# reload N: sends SIGHUP and waits for the Nth completed reload in cpd's log.
reload() {
    kill -HUP "$CPD_PID"
    wait_until 5 reloads_done "$1" || fail "reload $1 did not complete"
}

sed -i 's/^console_log = no$/console_log = yes/' "$T/cpd.conf"
echo "socket_mode = 0600" >>"$T/cpd.conf"
reload 1
grep -q 'socket_mode changed; it takes effect when cpd restarts' "$T/cpd.log" ||
    fail "the restart-only change is not named"
[ "$(stat -c %a "$T/cpd.sock")" = "$mode_before" ] || fail "the socket's mode changed at run time"
[ -f "$LOG" ] || fail "console_log = yes did not start ALICE's log"
grep -q '^\*\*\* console log started ' "$LOG" || fail "log lacks its start line: $(cat "$LOG")"
cms ALICE 'QUERY DISK A'
expect_rc 0
grep -qx 'QUERY DISK A' "$LOG" || fail "log lacks the input after the reload: $(cat "$LOG")"

sed -i 's/^console_log = yes$/console_log = no/' "$T/cpd.conf"
reload 2
grep -q '^\*\*\* console log stopped ' "$LOG" || fail "log lacks its stop line: $(cat "$LOG")"
cms ALICE 'QUERY DISK B'
expect_rc 0
! grep -q 'QUERY DISK B' "$LOG" || fail "input logged after console_log = no"
echo "PASS"
