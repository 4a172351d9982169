# SPDX-License-Identifier: MIT
# Starting the installed cpd the way systemd would (root, foreground, a test
# NOTIFY_SOCKET listener, RUNTIME_DIRECTORY/STATE_DIRECTORY set) in a private
# temp tree, and tearing it all down again. Sourced after lib-package.sh.

# make_tree: creates $T (world-traversable, so guests, under uids of their
# own, can reach their disks), $T/run (the socket), $T/state and $T/out
# (given to user cpd by start_cpd when cpd runs as that user).
make_tree() {
    T=$(mktemp -d /tmp/cpd-pkgtest.XXXXXX)
    chmod 0755 "$T"
    mkdir -p "$T/run" "$T/state" "$T/out"
    chmod 0755 "$T/run"
    SOCK=$T/run/cpd.sock
    NOTIFY_LOG=$T/notify.log
    CPD_LOG=$T/cpd.log
    CPD_PID=""
    LISTENER_PID=""
}

# write_config <autolog>: cpd.conf naming $T/user.direct (written by the caller).
write_config() {
    cat >"$T/cpd.conf" <<CONF
directory = user.direct
autolog = $1
state_dir = $T/state
# Guest uids of this test's own (cpds sharing a range refuse to start).
guest_uid_base = $((0x72010000 + ($$ % 4096) * 256))
guest_uid_count = 256
guest_dir = /usr/libexec/cpd
socket = $SOCK
socket_mode = 0660
socket_group = cpd
grace_seconds = 2
log_level = debug
# The CPU latency request is system-wide: integration.latency_hold reads it.
latency_hold_ms = 0
CONF
}

# start_cpd [args...]: starts the listener and /usr/sbin/cpd with the args
# (default: --config $T/cpd.conf) and $CPD_EXTRA_ENV (e.g. WATCHDOG_USEC=...),
# as root, or as user cpd with the unit's ambient capabilities (CAP_SETUID,
# CAP_SETGID, CAP_KILL, nothing else) when CPD_RUN_AS_SERVICE_USER is set;
# waits for READY=1.
start_cpd() {
    local args=("$@") mode=600 as=()
    [ ${#args[@]} -gt 0 ] || args=(--config "$T/cpd.conf")
    if [ -n "${CPD_RUN_AS_SERVICE_USER:-}" ]; then
        mode=666
        as=(setpriv --reuid=cpd --regid=cpd --init-groups --inh-caps=-all,+setuid,+setgid,+kill
            --ambient-caps=+setuid,+setgid,+kill --bounding-set=-all,+setuid,+setgid,+kill)
        chown cpd:cpd "$T/state" "$T/out"
    fi
    python3 "$(dirname "${BASH_SOURCE[0]}")/notify_listener.py" "$T/notify.sock" "$NOTIFY_LOG" 120 $mode &
    LISTENER_PID=$!
    wait_for_line '^LISTENING$' 10 "$NOTIFY_LOG" || fail "notify listener did not start"
    "${as[@]}" env ${CPD_EXTRA_ENV:-} NOTIFY_SOCKET="$T/notify.sock" RUNTIME_DIRECTORY="$T/run" \
        STATE_DIRECTORY="$T/state" /usr/sbin/cpd "${args[@]}" </dev/null >"$CPD_LOG" 2>&1 &
    CPD_PID=$!
    if ! wait_for_line '^READY=1$' 20 "$NOTIFY_LOG"; then
        cat "$CPD_LOG" >&2
        fail "no READY=1 within 20 s"
    fi
}

# stop_all: SIGTERM to cpd (then SIGKILL), listener stopped, temp tree removed.
stop_all() {
    if [ -n "${CPD_PID:-}" ] && kill -0 "$CPD_PID" 2>/dev/null; then
        kill -TERM "$CPD_PID" 2>/dev/null || true
        wait_exit "$CPD_PID" 15 || true
    fi
    if [ -n "${LISTENER_PID:-}" ]; then
        kill -TERM "$LISTENER_PID" 2>/dev/null || true
        wait "$LISTENER_PID" 2>/dev/null || true
    fi
    [ -n "${T:-}" ] && [ -z "${CPD_KEEP_TMP:-}" ] && rm -rf "$T"
}

# guest_pids <USERID>: pids of the guests of the cpd under test ($CPD_PID),
# children of its spawn helper (cpd-spawner) or, once that helper died, of
# cpd itself, whose command line starts with cpd:<USERID> (never another
# test's guests).
# Needs cpd running: to check guests after cpd is gone, remember them before.
guest_pids() {
    [ -n "${CPD_PID:-}" ] || return 0
    local parents
    parents=$(pgrep -d, -P "$CPD_PID" -x cpd-spawner || true)
    ps -o pid=,args= --ppid "$CPD_PID${parents:+,$parents}" | awk -v n="cpd:$1" '$2 == n { print $1 }'
}

# wait_guest <USERID> <secs>: waits until a child cpd:<USERID> of $CPD_PID runs.
wait_guest() {
    local i
    for ((i = 0; i < $2 * 10; i++)); do
        [ -n "$(guest_pids "$1")" ] && return 0
        sleep 0.1
    done
    return 1
}

# as_user <user> <cmd...>: runs cmd with only that user's uid and primary group.
as_user() {
    local user=$1 group
    shift
    group=$(id -gn "$user")
    setpriv --reuid="$user" --regid="$group" --clear-groups --reset-env -- "$@"
}
