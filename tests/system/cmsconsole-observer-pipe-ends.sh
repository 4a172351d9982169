#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# An observer without a terminal: the end of its input ends it (exit 0,
# detached); stdin /dev/null is no input at all, so it streams until the guest
# logs off; SIGINT detaches it (exit 0) and SIGTERM too (exit 143). The guest
# keeps running after every detach.
. "$(dirname "$0")/lib-console.sh"
start_cpd
cms ALICE 'QUERY DISK' # logs ALICE on
expect_rc 0

# Input that ends: the observer detaches at its end.
console --observe ALICE < <(printf '%s\n' 'QUERY DISK')
expect_rc 0
expect_err 'attached to ALICE as observer'
expect_err 'observing ALICE: input is not allowed'
expect_err 'end of input; detached from ALICE, the guest keeps running'
is_logged_on ALICE || fail "ALICE was logged off"

# Signals: SIGINT detaches with 0, SIGTERM with 128+15. Background jobs of a
# script ignore SIGINT; cmsconsole must still take it.
for sig in INT TERM; do
    "$CMSCONSOLE" --observe ALICE </dev/null >"$T/$sig.out" 2>"$T/$sig.err" &
    pid=$!
    wait_until 5 grep -q 'attached to ALICE as observer' "$T/$sig.err" || fail "$sig: not attached"
    kill -"$sig" "$pid"
    wait_until 5 is_gone "$pid" || fail "observer ignored SIG$sig"
    wait "$pid"
    rc=$?
    want=0
    [ "$sig" = TERM ] && want=143
    [ "$rc" -eq "$want" ] || fail "SIG$sig: exit $rc, expected $want"
    grep -q 'interrupted; detached from ALICE' "$T/$sig.err" || fail "SIG$sig: $(cat "$T/$sig.err")"
done

# /dev/null: still watching after its immediate end of file, until logoff.
"$CMSCONSOLE" --observe ALICE </dev/null >"$T/null.out" 2>"$T/null.err" &
pid=$!
BACKGROUND_PIDS+=("$pid")
wait_until 5 grep -q 'attached to ALICE as observer' "$T/null.err" || fail "not attached"
"$VMSEND" ALICE 'still watching' || fail "vmsend"
wait_until 5 grep -q -- '-- still watching$' "$T/null.out" ||
    fail "the </dev/null observer stopped: $(cat "$T/null.err")"
cms ALICE 'LOGOFF'
wait_until 5 is_gone "$pid" || fail "the observer outlived the guest"
wait "$pid"
rc=$?
[ "$rc" -eq 0 ] || fail "observer exited $rc after LOGOFF, expected 0"
grep -q 'guest logged off' "$T/null.err" || fail "not told: $(cat "$T/null.err")"
grep -q '^LOGOFF AT ' "$T/null.out" || fail "did not see LOGOFF AT: $(cat "$T/null.out")"
echo "PASS"
