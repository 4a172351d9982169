#!/bin/bash
# SPDX-License-Identifier: MIT
# A cpd started without the privileges to give each guest a uid of its own
# (here as user nobody) still runs its guests, all as its own user, and says
# so: once in its log and in QUERY STATS ("isolation: none, not started with
# the privileges to separate guests"), never silently.
. "$(dirname "$0")/lib-vmtools.sh"
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root to become nobody"; exit 77; }
command -v setpriv >/dev/null || { echo "SKIP: setpriv (util-linux) is not installed"; exit 77; }
nobody=$(id -u nobody) || { echo "SKIP: no user nobody"; exit 77; }

T=$(mktemp -d /tmp/cpd-sys.XXXXXX) || fail "mktemp"
trap stop_cpd EXIT
chmod 0755 "$T"
cat >"$T/user.direct" <<DIRECT
USER OPERATOR NOPASS 16M 16M ABCDEFG
 IPL SINK
 POSIXINFO UID $nobody
USER ECHO NOPASS 16M 16M G
 IPL ECHO
DIRECT
cat >"$T/cpd.conf" <<CONF
directory = user.direct
autolog = ECHO
socket = $T/run/cpd.sock
socket_group = $(id -gn nobody)
state_dir = $T/state
$(guest_uid_conf)
guest_dir = $CPD_BUILD_DIR/guest-programs
latency_hold_ms = 0
CONF
mkdir -m 0700 "$T/run" "$T/state"
chown "$nobody" "$T/run" "$T/state"
as_nobody=(setpriv --reuid="$nobody" --regid="$(id -g nobody)" --clear-groups --inh-caps=-all
    env HOME="$T" CPD_SOCKET="$T/run/cpd.sock")
"${as_nobody[@]}" "$CPD" --config "$T/cpd.conf" >"$T/cpd.log" 2>&1 &
CPD_PID=$!
wait_for_cpd_socket "$T/run/cpd.sock"

grep -q "isolation: none, not started with the privileges to separate guests" "$T/cpd.log" ||
    fail "no isolation warning in the log"
[ "$(grep -c 'isolation: none' "$T/cpd.log")" = 1 ] || fail "the warning is not said once"
"${as_nobody[@]}" "$VMCP" q stats >"$T/out" 2>&1 || fail "vmcp q stats: $(cat "$T/out")"
grep -q "^ISOLATION none, not started with the privileges to separate guests" "$T/out" ||
    fail "QUERY STATS does not say isolation none: $(cat "$T/out")"
# The guests still work, as the one user.
"${as_nobody[@]}" "$VMSEND" --wait 1 ECHO hi >"$T/out" 2>&1 || fail "vmsend: $(cat "$T/out")"
[ "$(cat "$T/out")" = "ECHO: hi" ] || fail "ECHO answered '$(cat "$T/out")'"
echo_pid=$(pgrep -P "$(pgrep -P "$CPD_PID" -x cpd-spawner)" -f '^cpd:ECHO' | head -1)
[ -n "$echo_pid" ] || fail "no ECHO process"
[ "$(stat -c %u "/proc/$echo_pid")" = "$nobody" ] || fail "ECHO does not run as cpd's user"
echo PASS
