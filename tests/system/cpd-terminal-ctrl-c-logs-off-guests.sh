#!/bin/bash
# SPDX-License-Identifier: MIT
# Ctrl-C at the terminal cpd runs in (as with `bash tools/run`) reaches the
# whole foreground process group. cpd must be the only one of it to act on
# it: every guest and the guardian left that group, so each guest gets cpd's
# orderly logoff (its on_logoff runs) rather than the terminal's SIGINT, and
# cpd exits 0. Run with the sandbox on and off (sandbox = no, as when
# debugging) and, without the privileges to separate guests, as user nobody:
# leaving the group must depend on none of them.
. "$(dirname "$0")/lib-vmtools.sh"
[ -x "$CPD" ] || fail "cpd not built at $CPD"
command -v setsid >/dev/null || { echo "SKIP: setsid (util-linux) is not installed"; exit 77; }

# ctrl_c_run SANDBOX [nobody]: starts cpd (as root, or as nobody) as the
# leader of a process group of its own (a terminal's foreground job), waits
# for its guests, sends SIGINT to the whole group and checks the log and exit
# status.
ctrl_c_run() {
    local sandbox=$1 guest rc=0 pgid as_user=()
    T=$(mktemp -d /tmp/cpd-sys.XXXXXX) || fail "mktemp"
    chmod 0755 "$T"
    mkdir -m 0755 "$T/run" "$T/state"
    if [ "${2:-}" = nobody ]; then
        sandbox="$sandbox (as nobody)"
        chown nobody "$T/run" "$T/state"
        as_user=(setpriv --reuid="$(id -u nobody)" --regid="$(id -g nobody)" --clear-groups
            --inh-caps=-all env HOME="$T")
    fi
    cat >"$T/user.direct" <<DIRECT
USER OPERATOR NOPASS 16M 16M ABCDEFG
 IPL SINK
 POSIXINFO UID $(id -u)
USER MAINT NOPASS 32M 32M G
 IPL CMS
 MDISK 0191 \$STATE/disks/MAINT/191 MR A
USER ECHO NOPASS 16M 16M G
 IPL ECHO
USER SINK NOPASS 16M 16M G
 IPL SINK
DIRECT
    cat >"$T/cpd.conf" <<CONF
directory = user.direct
autolog = MAINT ECHO SINK
socket = $T/run/cpd.sock
socket_group = $(id -gn "${2:-root}")
state_dir = $T/state
$(guest_uid_conf)
guest_dir = $CPD_BUILD_DIR/guest-programs
grace_seconds = 5
console_log = yes
log_level = debug
sandbox = $1
latency_hold_ms = 0
CONF
    export CPD_SOCKET=$T/run/cpd.sock
    # setsid: a new session and process group led by cpd, as a shell with job
    # control gives a foreground job.
    setsid "${as_user[@]}" "$CPD" --config "$T/cpd.conf" >"$T/cpd.log" 2>&1 &
    CPD_PID=$!
    wait_for_cpd_socket "$CPD_SOCKET"
    for guest in MAINT ECHO SINK; do
        for _ in $(seq 100); do
            "$VMCP" q n 2>/dev/null | grep -qw "$guest" && break
            sleep 0.05
        done
        "$VMCP" q n 2>/dev/null | grep -qw "$guest" || fail "sandbox=$sandbox: $guest not logged on"
    done
    pgid=$(ps -o pgid= -p "$CPD_PID" | tr -d ' ')
    [ "$pgid" = "$CPD_PID" ] || fail "sandbox=$sandbox: cpd does not lead its process group"
    # Nothing of cpd's but cpd itself may be in the terminal's group.
    local others
    others=$(ps -e -o pid=,pgid= | awk -v g="$pgid" -v c="$CPD_PID" '$2 == g && $1 != c')
    [ -z "$others" ] || fail "sandbox=$sandbox: in cpd's process group besides cpd: $others"

    kill -INT -- "-$pgid"
    for _ in $(seq 200); do
        kill -0 "$CPD_PID" 2>/dev/null || break
        sleep 0.05
    done
    kill -0 "$CPD_PID" 2>/dev/null && fail "sandbox=$sandbox: cpd still runs 10 s after SIGINT"
    wait "$CPD_PID" || rc=$?
    CPD_PID=
    [ "$rc" = 0 ] || fail "sandbox=$sandbox: cpd exited $rc after SIGINT, not 0"
    grep -q "cpd: shutdown by SIGINT: logging off 3 guests" "$T/cpd.log" ||
        fail "sandbox=$sandbox: no orderly shutdown of 3 guests in the log"
    ! grep -q "killed by signal" "$T/cpd.log" ||
        fail "sandbox=$sandbox: a guest was killed: $(grep 'killed by signal' "$T/cpd.log")"
    for guest in MAINT ECHO SINK; do
        grep -q "supervisor: $guest: logged off (SHUTDOWN by SYSTEM): exited with status 0" \
            "$T/cpd.log" || fail "sandbox=$sandbox: $guest did not log off in order"
        grep -q "guest $guest: debug runtime: logoff" "$T/cpd.log" ||
            fail "sandbox=$sandbox: $guest was not given its logoff"
    done
    # CMS's on_logoff writes LOGOFF AT to the console as its last line (the
    # console log then notes the end).
    [ "$(tail -n 2 "$T/state/console/MAINT.log" 2>/dev/null | head -n 1 | grep -c 'LOGOFF AT')" = 1 ] ||
        fail "sandbox=$sandbox: MAINT's on_logoff did not run (console log ends with" \
            "'$(tail -n 2 "$T/state/console/MAINT.log" 2>/dev/null)')"
    rm -rf "$T"
    T=
}

trap stop_cpd EXIT
ctrl_c_run yes
ctrl_c_run no
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
    ctrl_c_run yes nobody
else
    echo "note: the run as nobody needs root, setpriv and a user nobody; not run"
fi
echo PASS
