#!/bin/bash
# SPDX-License-Identifier: MIT
# One run of cpd reports every problem of cpd.conf and of the user directory
# it names, then exits 78: a user fixes both files at once instead of seeing
# the directory's errors only after cpd.conf is right. When cpd.conf cannot
# be read at all, the directory given on the command line is still checked.
. "$(dirname "$0")/lib-vmtools.sh"
[ -x "$CPD" ] || fail "cpd not built at $CPD"

T=$(mktemp -d /tmp/cpd-sys.XXXXXX) || fail "mktemp"
trap stop_cpd EXIT
cat >"$T/user.direct" <<DIRECT
USER OPERATOR NOPASS 16M 16M ABCDEFG
 IPL SINK
 POSIXINFO UID $(id -u)
USER
USER ECHO NOPASS 16M 16M G
 IPL ECHO
DIRECT
cat >"$T/cpd.conf" <<CONF
directory = user.direct
socket = $T/cpd.sock
state_dir = $T/state
$(guest_uid_conf)
guest_dir = $CPD_BUILD_DIR/guest-programs
grace_secnods = 3
ring_kib = 5
CONF

rc=0
timeout 10 "$CPD" --config "$T/cpd.conf" >"$T/out" 2>&1 || rc=$?
[ "$rc" = 78 ] || fail "exit $rc, not 78: $(cat "$T/out")"
grep -q "cpd.conf: unknown setting 'grace_secnods'" "$T/out" ||
    fail "the unknown cpd.conf setting is not reported: $(cat "$T/out")"
grep -q "ring_kib: 5 is not a power of two" "$T/out" ||
    fail "the bad ring_kib is not reported: $(cat "$T/out")"
grep -q "user.direct:4: " "$T/out" ||
    fail "the directory error (line 4) is not reported with cpd.conf's: $(cat "$T/out")"
[ ! -e "$T/cpd.sock" ] || fail "cpd bound its socket despite the errors"

# cpd.conf missing: the directory named on the command line is still checked.
rc=0
timeout 10 "$CPD" --config "$T/missing.conf" --directory "$T/user.direct" >"$T/out" 2>&1 || rc=$?
[ "$rc" = 78 ] || fail "missing cpd.conf: exit $rc, not 78: $(cat "$T/out")"
grep -q "missing.conf: " "$T/out" || fail "the missing cpd.conf is not reported: $(cat "$T/out")"
grep -q "user.direct:4: " "$T/out" ||
    fail "missing cpd.conf: the directory error is not reported: $(cat "$T/out")"
echo PASS
