#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cpd takes its control socket from the service manager (LISTEN_FDS, fd 3)
# instead of binding it: run under systemd-socket-activate, which binds the
# socket and passes it the way systemd's cpd.socket would. cpd must serve on
# it, must not unlink or rebind it, and the guests it starts must not see
# the LISTEN_* variables.
set -u
: "${CPD_BUILD_DIR:?CPD_BUILD_DIR must name the build tree}"
command -v systemd-socket-activate >/dev/null || { echo "SKIP: no systemd-socket-activate"; exit 77; }

T=$(mktemp -d /tmp/cpd-sock-act.XXXXXX)
PID=
cleanup() {
    [ -n "$PID" ] && kill -TERM "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; echo "---- cpd log ----" >&2; tail -n 30 "$T/cpd.log" >&2; exit 1; }

cat >"$T/user.direct" <<DIRECT
USER OPERATOR NOPASS 16M 16M ABCDEFG
 IPL SINK
 POSIXINFO UID $(id -u)
USER ECHO NOPASS 16M 16M G
 IPL ECHO
DIRECT
cat >"$T/cpd.conf" <<CONF
directory = user.direct
autolog = ECHO
state_dir = $T/state
guest_uid_base = $((0x71010000 + ($$ % 32768) * 256))
guest_uid_count = 256
guest_dir = $CPD_BUILD_DIR/guest-programs
# The CPU latency request is system-wide: integration.latency_hold reads it.
latency_hold_ms = 0
CONF

# systemd-socket-activate listens on the path, then execs cpd with LISTEN_FDS=1.
# --socket names a different path: a cpd that ignored fd 3 would bind that one.
systemd-socket-activate -l "$T/activated.sock" \
    "$CPD_BUILD_DIR/cpd/cpd" --config "$T/cpd.conf" --socket "$T/self-bound.sock" \
    >"$T/cpd.log" 2>&1 &
PID=$!
for _ in $(seq 100); do
    [ -S "$T/activated.sock" ] && break
    sleep 0.05
done
export CPD_SOCKET=$T/activated.sock
out=
for _ in $(seq 100); do
    out=$("$CPD_BUILD_DIR/cpd/cli/vmcp" q n 2>/dev/null) && echo "$out" | grep -q ECHO && break
    sleep 0.05
done
echo "$out" | grep -q "ECHO     - DSC" || fail "vmcp q n through the activated socket: '$out'"
[ -e "$T/self-bound.sock" ] && fail "cpd bound its own socket although one was passed"
reply=$("$CPD_BUILD_DIR/cpd/cli/vmsend" --wait 1 ECHO activated) || fail "vmsend exited $?"
[ "$reply" = "ECHO: activated" ] || fail "ECHO answered '$reply'"

# The guest must not inherit the activation variables.
echo_pid=$(pgrep -P "$(pgrep -P "$PID" -x cpd-spawner)" -f '^cpd:ECHO' | head -n 1)
[ -n "$echo_pid" ] || fail "no cpd:ECHO process"
if tr '\0' '\n' <"/proc/$echo_pid/environ" | grep -q '^LISTEN_'; then
    fail "the ECHO guest inherited LISTEN_* variables"
fi
kill -TERM "$PID"
wait "$PID"
rc=$?
PID=
[ "$rc" -eq 0 ] || fail "cpd exited $rc after SIGTERM"
echo "PASS: cpd serves on a socket passed by the service manager"
