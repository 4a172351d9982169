# SPDX-License-Identifier: MIT
# Shared by the vmsend-*.sh and vmcp-*.sh system tests: start a private cpd
# (own temp dir, directory, config and socket), wait until it serves, and stop
# it on exit whatever happens. Sourced, never run; excluded from ctest by name.
# shellcheck shell=bash
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib-cpd.sh"

fail() {
    echo "FAIL: $*" >&2
    if [ -n "$T" ] && [ -f "$T/cpd.log" ]; then
        echo "---- cpd log ----" >&2
        tail -n 40 "$T/cpd.log" >&2
    fi
    exit 1
}

stop_cpd() {
    stop_cpd_process
}

# start_cpd AUTOLOG...: a directory with OPERATOR (this host user), ECHO, SINK
# and IDLE (defined, never logged on); logs on the named guests.
start_cpd() {
    [ -x "$CPD" ] || fail "cpd not built at $CPD"
    T=$(mktemp -d /tmp/cpd-sys.XXXXXX) || fail "mktemp"
    trap stop_cpd EXIT
    cat >"$T/user.direct" <<DIRECT
USER OPERATOR NOPASS 16M 16M ABCDEFG
 IPL SINK
 POSIXINFO UID $(id -u)
USER ECHO NOPASS 16M 16M G
 IPL ECHO
USER SINK NOPASS 16M 16M G
 IPL SINK
USER IDLE NOPASS 16M 16M G
 IPL SINK
DIRECT
    cat >"$T/cpd.conf" <<CONF
directory = user.direct
autolog = $*
socket = $T/cpd.sock
state_dir = $T/state
$(guest_uid_conf)
guest_dir = $CPD_BUILD_DIR/guest-programs
grace_seconds = 2
log_level = info
# The CPU latency request is system-wide: integration.latency_hold reads it.
latency_hold_ms = 0
CONF
    launch_cpd
    local guest
    for guest in "$@"; do
        for _ in $(seq 100); do
            "$VMCP" q n 2>/dev/null | grep -qw "$guest" && break
            sleep 0.05
        done
        "$VMCP" q n 2>/dev/null | grep -qw "$guest" || fail "$guest not logged on after start"
    done
}

# run_tool EXPECTED_RC CMD...: runs CMD, output in $T/out and $T/err, checks the exit status.
run_tool() {
    local want=$1
    shift
    "$@" >"$T/out" 2>"$T/err"
    local rc=$?
    [ "$rc" -eq "$want" ] || fail "'$*' exited $rc, expected $want; stdout: $(cat "$T/out"); stderr: $(cat "$T/err")"
}
