#!/bin/bash
# SPDX-License-Identifier: MIT
# Runs the installed /usr/sbin/cpd as systemd would and checks the notify
# protocol (READY with STATUS, RELOADING then READY on SIGHUP, STOPPING on
# SIGTERM, in that order), the installed clients against it, that guests run
# under uids of their own (neither root nor cpd), that host users outside
# group cpd are refused, and that the installed /etc/cpd runs as the unit runs
# it, MAINT's new A-disk starting with the shipped PROFILE EXEC.
source "$(dirname "$0")/lib-package.sh"
source "$(dirname "$0")/lib-daemon.sh"
require_root_and python3 setpriv dpkg-query
require_installed

make_tree
trap stop_all EXIT
cat >"$T/user.direct" <<'DIRECT'
USER OPERATOR NOPASS 64M 128M ABCDEFG
 POSIXINFO UID 0
USER ECHO NOPASS 16M 16M G
 IPL ECHO
 IUCV ALLOW
USER SINK NOPASS 16M 16M G
 IPL SINK
DIRECT
write_config "ECHO SINK"

# Start-up failures use the documented codes (78 stops systemd's restarts).
rc=0; /usr/sbin/cpd --no-such-option >/dev/null 2>&1 || rc=$?
[ "$rc" = 64 ] || fail "cpd with a bad option exited $rc, expected 64"
rc=0; /usr/sbin/cpd --config "$T/missing.conf" >/dev/null 2>&1 || rc=$?
[ "$rc" = 78 ] || fail "cpd with a missing config file exited $rc, expected 78"

note "starting /usr/sbin/cpd with NOTIFY_SOCKET"
start_cpd
grep -q '^STATUS=' "$NOTIFY_LOG" || fail "no STATUS= line with READY"
note "notify so far: $(tr '\n' ' ' <"$NOTIFY_LOG")"

# The socket: 0660, group cpd.
[ -S "$SOCK" ] || fail "no control socket at $SOCK"
[ "$(stat -c '%G %a' "$SOCK")" = "cpd 660" ] || fail "socket is $(stat -c '%U:%G %a' "$SOCK"), not group cpd 0660"

# Each guest under a uid of its own from the guest range, never root or cpd
# (guest_pids finds cpd's children only).
wait_guest ECHO 10 || fail "no process cpd:ECHO"
wait_guest SINK 10 || fail "no process cpd:SINK"
uids=()
for g in ECHO SINK; do
    for pid in $(guest_pids $g); do
        uid=$(ps -o uid= -p "$pid" | tr -d ' ')
        ((uid >= 0x72010000)) || fail "guest $g (pid $pid) runs as uid $uid, not one of the guest range"
        uids+=("$uid")
    done
done
[ "${uids[0]}" != "${uids[1]}" ] || fail "ECHO and SINK share uid ${uids[0]}"
note "guests ECHO and SINK run as uids ${uids[*]}"

# The installed clients, as root (OPERATOR).
out=$(/usr/bin/vmcp --socket "$SOCK" QUERY NAMES) || fail "vmcp QUERY NAMES failed ($?)"
note "QUERY NAMES: $out"
[[ $out == *ECHO* && $out == *SINK* ]] || fail "QUERY NAMES lacks ECHO or SINK: $out"
CPD_SOCKET=$SOCK /usr/bin/vmsend ECHO hello from the package test || fail "vmsend ECHO failed ($?)"
rc=0; /usr/bin/vmsend --socket "$SOCK" NOSUCH hello >/dev/null 2>&1 || rc=$?
[ "$rc" = 67 ] || fail "vmsend to a userid not logged on exited $rc, expected 67"
rc=0; /usr/bin/vmsend --bogus-option >/dev/null 2>&1 || rc=$?
[ "$rc" = 64 ] || fail "vmsend with a bad option exited $rc, expected 64"
rc=0; /usr/bin/vmcp --socket "$SOCK" QUERY USER NOSUCH >/dev/null 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "vmcp with a failing CP command exited $rc, expected 1"
if [ -x /usr/bin/cmsconsole ]; then
    rc=0; out=$(echo "QUERY TIME" | timeout 20 /usr/bin/cmsconsole --socket "$SOCK" --no-logon ECHO 2>&1) || rc=$?
    note "cmsconsole (pipe mode) exited $rc: $out"
    case $rc in 0 | [1-9] | [1-5][0-9] | 6[0-3]) ;; *) fail "cmsconsole ECHO exited $rc" ;; esac
    rc=0; timeout 10 /usr/bin/cmsconsole --socket "$SOCK" --no-logon NOSUCH </dev/null >/dev/null 2>&1 || rc=$?
    [ "$rc" = 67 ] || fail "cmsconsole to an unknown guest exited $rc, expected 67"
fi

# Host users outside group cpd cannot even connect (socket 0660 root:cpd).
rc=0; as_user nobody /usr/bin/vmcp --socket "$SOCK" QUERY NAMES >/dev/null 2>&1 || rc=$?
[ "$rc" = 3 ] || fail "vmcp as nobody exited $rc, expected 3 (refused)"
rc=0; as_user nobody /usr/bin/vmsend --socket "$SOCK" ECHO hi >/dev/null 2>&1 || rc=$?
[ "$rc" = 69 ] || [ "$rc" = 77 ] || fail "vmsend as nobody exited $rc, expected 69 or 77"
if [ -x /usr/bin/cmsconsole ]; then
    rc=0; as_user nobody timeout 10 /usr/bin/cmsconsole --socket "$SOCK" ECHO </dev/null >/dev/null 2>&1 || rc=$?
    [ "$rc" = 69 ] || [ "$rc" = 77 ] || fail "cmsconsole as nobody exited $rc, expected 69 or 77"
fi
# The service user itself (as a guest would) gets in but has no directory entry.
rc=0; as_user cpd /usr/bin/vmsend --socket "$SOCK" ECHO hi >/dev/null 2>&1 || rc=$?
[ "$rc" = 77 ] || fail "vmsend as user cpd (no POSIXINFO entry) exited $rc, expected 77"
note "unauthorized users refused"

# Bash completion (installed file) offers the logged-on userids from QUERY NAMES.
comp=$(bash -c 'source /usr/share/bash-completion/completions/vmsend
    COMP_WORDS=(vmsend --socket "$1" ""); COMP_CWORD=3; _cpd_complete; echo "${COMPREPLY[*]}"' _ "$SOCK")
[ "$comp" = "ECHO SINK" ] || fail "completion of 'vmsend ' offered '$comp', expected 'ECHO SINK'"

# SIGHUP: RELOADING=1, then READY=1 again.
kill -HUP "$CPD_PID"
wait_for_line '^RELOADING=1$' 10 "$NOTIFY_LOG" || fail "no RELOADING=1 after SIGHUP"
for ((i = 0; i < 100; i++)); do
    [ "$(grep -c '^READY=1$' "$NOTIFY_LOG")" -ge 2 ] && break
    sleep 0.1
done
[ "$(grep -c '^READY=1$' "$NOTIFY_LOG")" -ge 2 ] || fail "no READY=1 after the reload"
grep -q '^MONOTONIC_USEC=[0-9]\+$' "$NOTIFY_LOG" || fail "RELOADING=1 came without MONOTONIC_USEC"
kill -0 "$CPD_PID" || fail "cpd died on SIGHUP"
[ -n "$(guest_pids ECHO)" ] || fail "ECHO did not survive the reload"

# SIGTERM: STOPPING=1, clean exit, no guest left.
guests="$(guest_pids ECHO) $(guest_pids SINK)"
kill -TERM "$CPD_PID"
rc=0; wait_exit "$CPD_PID" 15 || rc=$?
CPD_PID=""
[ "$rc" = 0 ] || { cat "$CPD_LOG" >&2; fail "cpd exited $rc after SIGTERM, expected 0"; }
grep -q '^STOPPING=1$' "$NOTIFY_LOG" || fail "no STOPPING=1 after SIGTERM"
for pid in $guests; do
    ! kill -0 "$pid" 2>/dev/null || fail "guest pid $pid outlived cpd"
done

# Order: READY, RELOADING, READY, STOPPING.
order=$(grep -E '^(READY|RELOADING|STOPPING)=1$' "$NOTIFY_LOG" | tr '\n' ' ')
note "notify order: $order"
[[ $order == "READY=1 RELOADING=1 READY=1 STOPPING=1 " ]] || fail "notify order is '$order'"
if grep -q "^WATCHDOG=1$" "$NOTIFY_LOG"; then fail "WATCHDOG=1 sent without WATCHDOG_USEC"; fi
note "installed cpd runs as a notify service"

# As the unit runs it: user cpd from the start with the unit's three ambient
# capabilities, the installed /etc/cpd/cpd.conf and user.direct (only socket
# and state directory moved into the test tree). Guests get uids of their own
# and none of cpd's capabilities: ambient ones would survive both the uid
# change and exec unless the child clears them.
stop_all
make_tree
chown cpd:cpd "$T/run"
note "starting /usr/sbin/cpd as user cpd with /etc/cpd/cpd.conf"
CPD_RUN_AS_SERVICE_USER=1 start_cpd --config /etc/cpd/cpd.conf --socket "$SOCK" --state-dir "$T/state"
[ "$(ps -o user= -p "$CPD_PID")" = cpd ] || fail "cpd does not run as user cpd"
# The installed cpd.conf keeps the default latency hold; user cpd may not open
# the device, and cpd says so and carries on (cpd(8), "CPU LATENCY HOLD").
grep -q "latency hold: unable to open /dev/cpu_dma_latency: Permission denied" "$CPD_LOG" ||
    fail "cpd as user cpd did not report the latency hold unavailable: $(cat "$CPD_LOG")"
[ "$(stat -c '%U:%G %a' "$SOCK")" = "cpd:cpd 660" ] || fail "socket is $(stat -c '%U:%G %a' "$SOCK")"
out=$(/usr/bin/vmcp --socket "$SOCK" QUERY NAMES) || fail "vmcp QUERY NAMES failed ($?)"
autolog=$(sed -n 's/^autolog *= *//p' /etc/cpd/cpd.conf | tr ',' ' ')
for g in $autolog; do
    [[ $out == *"$g"* ]] || fail "autologged $g missing from QUERY NAMES: $out"
    for pid in $(guest_pids "$g"); do
        uid=$(ps -o uid= -p "$pid" | tr -d ' ')
        ((uid >= 0x70000000)) || fail "guest $g runs as uid $uid, not one of its own"
        for set in CapInh CapPrm CapEff CapBnd CapAmb; do
            value=$(awk -v s="$set:" '$1 == s { print $2 }' "/proc/$pid/status")
            [ "$set" = CapBnd ] && continue # the bounding set only limits; the others must be empty
            [ "$value" = 0000000000000000 ] || fail "guest $g has $set $value"
        done
    done
done
grep -q "isolation: uid per guest" "$CPD_LOG" || fail "cpd as the unit runs it does not separate guests"
# The production directory's MAINT: cpd makes its A-disk with the files of
# /etc/cpd/disks/MAINT/191, so a newcomer's first LISTFILE shows PROFILE EXEC.
if [ -x /usr/bin/cmsconsole ]; then
    rc=0
    out=$(printf 'LISTFILE\nLOGOFF\n' | timeout 30 /usr/bin/cmsconsole --socket "$SOCK" MAINT 2>&1) || rc=$?
    [ "$rc" = 0 ] || fail "cmsconsole MAINT (LISTFILE, LOGOFF) exited $rc: $out"
    [[ $out == *"PROFILE  EXEC     A1"* ]] || fail "LISTFILE on MAINT's new A-disk: $out"
    cmp -s /etc/cpd/disks/MAINT/191/profile.exec "$T/state/disks/MAINT/191/profile.exec" ||
        fail "MAINT's A-disk does not hold /etc/cpd/disks/MAINT/191/profile.exec"
    note "MAINT's new A-disk starts with PROFILE EXEC"
fi
kill -TERM "$CPD_PID"
rc=0; wait_exit "$CPD_PID" 15 || rc=$?
CPD_PID=""
[ "$rc" = 0 ] || { cat "$CPD_LOG" >&2; fail "cpd (as user cpd) exited $rc after SIGTERM"; }
echo "PASS: installed configuration runs as user cpd, its guests under uids of their own"
