# SPDX-License-Identifier: MIT
# Shared by the vmur-*.sh spool tests: a private cpd whose directory maps this
# host user (root) to OPERATOR (classes A-G, so class D) and the host user
# nobody to ALICE (class G only), with BOB and CAROL (CMS) as guests. Sourced,
# never run; excluded from ctest by name.
# shellcheck shell=bash
. "$(dirname "${BASH_SOURCE[0]}")/lib-vmtools.sh"

NOBODY_UID=$(id -u nobody 2>/dev/null)

# as_nobody CMD...: runs CMD as the host user nobody (ALICE's POSIXINFO uid).
as_nobody() {
    setpriv --reuid="$NOBODY_UID" --regid="$(id -g nobody)" --clear-groups --inh-caps=-all "$@"
}

# start_spool_cpd [CONF-LINE...]: starts cpd with the extra cpd.conf lines;
# BOB is logged on unless SPOOL_AUTOLOG says otherwise (empty: nobody).
start_spool_cpd() {
    [ -x "$CPD" ] || fail "cpd not built at $CPD"
    T=$(mktemp -d /tmp/cpd-spool.XXXXXX) || fail "mktemp"
    chmod 755 "$T"
    trap stop_cpd EXIT
    cat >"$T/user.direct" <<DIRECT
USER OPERATOR NOPASS 16M 16M ABCDEFG
 IPL SINK
 POSIXINFO UID $(id -u)
USER ALICE NOPASS 16M 16M G
 IPL SINK
 POSIXINFO UID ${NOBODY_UID:-65534}
USER BOB NOPASS 64M 64M G
 IPL SINK
USER CAROL NOPASS 64M 64M G
 IPL CMS
 MDISK 191 3390 0 10 CAR191 MR
DIRECT
    {
        echo "directory = user.direct"
        [ -n "${SPOOL_AUTOLOG-BOB}" ] && echo "autolog = ${SPOOL_AUTOLOG-BOB}"
        echo "socket = $T/cpd.sock"
        echo "socket_mode = 0666"
        echo "state_dir = $T/state"
        guest_uid_conf
        echo "guest_dir = $CPD_BUILD_DIR/guest-programs"
        echo "grace_seconds = 2"
        echo "latency_hold_ms = 0"
        local line
        for line in "$@"; do echo "$line"; done
    } >"$T/cpd.conf"
    launch_cpd
}

# restart_cpd: starts cpd again on the same state directory after a kill -9;
# retried while the dead cpd's guardian still holds the guest uid range.
restart_cpd() {
    local _
    export CPD_SOCKET=$T/cpd.sock
    for _ in $(seq 50); do
        rm -f "$T/cpd.sock"
        "$CPD" --config "$T/cpd.conf" >"$T/cpd.log" 2>&1 &
        CPD_PID=$!
        # Ready, not only bound: cpd binds its socket before it checks the
        # guest uid range, and leaves when the dead cpd's guardian holds it.
        for _ in $(seq 100); do
            grep -q "cpd: ready" "$T/cpd.log" && return 0
            kill -0 "$CPD_PID" 2>/dev/null || break
            sleep 0.05
        done
        wait "$CPD_PID" 2>/dev/null
        grep -q "in use by another cpd" "$T/cpd.log" || fail "cpd did not restart"
        sleep 0.1
    done
    fail "cpd did not restart: the guest uid range stayed in use"
}
