#!/bin/bash
# SPDX-License-Identifier: MIT
# cpd creates no directory for a socket path it was given: a mistyped
# --socket (or cpd.conf `socket`) whose directory is missing ends cpd with
# exit 71 and a message naming that directory, and the directory stays absent.
# Only cpd's own default runtime directory ($XDG_RUNTIME_DIR/cpd here, for a
# cpd run as user nobody) is created when missing.
. "$(dirname "$0")/lib-vmtools.sh"
[ -x "$CPD" ] || fail "cpd not built at $CPD"

T=$(mktemp -d /tmp/cpd-sys.XXXXXX) || fail "mktemp"
trap stop_cpd EXIT
chmod 0755 "$T"
cat >"$T/user.direct" <<DIRECT
USER OPERATOR NOPASS 16M 16M ABCDEFG
 IPL SINK
 POSIXINFO UID $(id -u)
DIRECT
write_conf() { # write_conf [socket line]
    {
        echo "directory = user.direct"
        [ $# = 0 ] || echo "$1"
        echo "state_dir = $T/state"
        guest_uid_conf
        echo "guest_dir = $CPD_BUILD_DIR/guest-programs"
        echo "latency_hold_ms = 0"
    } >"$T/cpd.conf"
}

# expect_refused WHERE ARGS...: cpd must exit 71 naming $T/missing/dir and
# must not create it.
expect_refused() {
    local where=$1 rc=0
    shift
    timeout 10 "$CPD" --config "$T/cpd.conf" "$@" >"$T/out" 2>&1 || rc=$?
    [ "$rc" = 71 ] || fail "$where: exit $rc, not 71: $(cat "$T/out")"
    grep -q "directory $T/missing/dir does not exist" "$T/out" ||
        fail "$where: the message does not name the missing directory: $(cat "$T/out")"
    [ ! -e "$T/missing" ] || fail "$where: cpd created $T/missing"
}

write_conf
expect_refused "--socket" --socket "$T/missing/dir/s.sock"
write_conf "socket = $T/missing/dir/s.sock"
expect_refused "cpd.conf socket"
write_conf "socket = unix://$T/missing/dir/s.sock"
expect_refused "cpd.conf socket unix://"

# The default runtime directory is cpd's own: created (mode 0755) when
# missing. As root the default is /run/cpd, shared with the system service,
# so this part runs cpd as nobody with XDG_RUNTIME_DIR in $T.
[ "$(id -u)" = 0 ] || { echo "PASS (default runtime directory part skipped: needs root)"; exit 0; }
command -v setpriv >/dev/null || { echo "PASS (default part skipped: no setpriv)"; exit 0; }
nobody=$(id -u nobody) || { echo "PASS (default part skipped: no user nobody)"; exit 0; }
sed -i "s/^ POSIXINFO UID .*/ POSIXINFO UID $nobody/" "$T/user.direct"
write_conf "socket_group = $(id -gn nobody)"
mkdir -m 0700 "$T/xdg" "$T/state"
chown "$nobody" "$T/xdg" "$T/state"
setpriv --reuid="$nobody" --regid="$(id -g nobody)" --clear-groups --inh-caps=-all \
    env -u CPD_SOCKET HOME="$T" XDG_RUNTIME_DIR="$T/xdg" \
    "$CPD" --config "$T/cpd.conf" >"$T/cpd.log" 2>&1 &
CPD_PID=$!
wait_for_cpd_socket "$T/xdg/cpd/cpd.sock"
[ "$(stat -c %a "$T/xdg/cpd")" = 755 ] || fail "$T/xdg/cpd is mode $(stat -c %a "$T/xdg/cpd")"
echo PASS
