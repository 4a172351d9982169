#!/bin/bash
# SPDX-License-Identifier: MIT
# A personal cpd, started by an ordinary user on the sample configuration
# (as README's `runuser -u nobody -- env XDG_RUNTIME_DIR=... cpd --config
# packaging/sample/cpd.conf`), just works for that user: its socket keeps the
# user's group (the default group cpd is a root cpd's, even when a group cpd
# exists), its state directory is made with every missing parent
# (~/.local/state/cpd), and the user acts as OPERATOR, although the sample's
# OPERATOR is POSIXINFO UID 0.
. "$(dirname "$0")/lib-vmtools.sh"
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root to become nobody"; exit 77; }
command -v setpriv >/dev/null || { echo "SKIP: setpriv (util-linux) is not installed"; exit 77; }
nobody=$(id -u nobody) || { echo "SKIP: no user nobody"; exit 77; }
: "${CPD_SOURCE_DIR:?CPD_SOURCE_DIR must name the source tree}"

T=$(mktemp -d /tmp/cpd-sys.XXXXXX) || fail "mktemp"
trap stop_cpd EXIT
chmod 0755 "$T"
cp "$CPD_SOURCE_DIR/packaging/sample/cpd.conf" "$CPD_SOURCE_DIR/packaging/sample/user.direct" "$T/"
mkdir -m 0700 "$T/xdg" "$T/home"
chown "$nobody" "$T/xdg" "$T/home"
# The command line's guest uid range wins over cpd.conf's: cpds sharing one refuse to start.
read -ra uid_args <<<"$(guest_uid_conf | sed 's/^\([a-z_]*\) = /--\1 /; s/_/-/g' | tr '\n' ' ')"
as_nobody=(setpriv --reuid="$nobody" --regid="$(id -g nobody)" --clear-groups --inh-caps=-all
    env -u CPD_SOCKET -u XDG_STATE_HOME HOME="$T/home" XDG_RUNTIME_DIR="$T/xdg")
"${as_nobody[@]}" "$CPD" --config "$T/cpd.conf" --guest-dir "$CPD_BUILD_DIR/guest-programs" \
    --latency-hold-ms 0 "${uid_args[@]}" >"$T/cpd.log" 2>&1 &
CPD_PID=$!
wait_for_cpd_socket "$T/xdg/cpd/cpd.sock"

[ "$(stat -c %G "$T/xdg/cpd/cpd.sock")" = "$(id -gn nobody)" ] ||
    fail "the socket's group is $(stat -c %G "$T/xdg/cpd/cpd.sock"), not nobody's"
[ -d "$T/home/.local/state/cpd" ] || fail "no state directory $T/home/.local/state/cpd"
"${as_nobody[@]}" "$VMCP" q n >"$T/out" 2>&1 || fail "vmcp q n as the starting user: $(cat "$T/out")"
grep -qw ECHO "$T/out" || fail "vmcp q n does not list ECHO: $(cat "$T/out")"
# Root still acts as OPERATOR (its POSIXINFO UID 0 entry) on a personal cpd.
"$VMCP" --socket "$T/xdg/cpd/cpd.sock" q n >"$T/out" 2>&1 || fail "vmcp q n as root: $(cat "$T/out")"
echo PASS
