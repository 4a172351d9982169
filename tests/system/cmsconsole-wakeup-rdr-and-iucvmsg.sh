#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# WAKEUP's RDR and IUCVMSG options on a real CMS guest (issue 16, point 8):
# a file punched to the guest's reader wakes `WAKEUP (RDR` with rc 3 (a MSG
# that came first does not wake it and keeps its place); `WAKEUP (IUCVMSG`
# then takes a MSG, an SMSG and a WARNING in arrival order, each rc 5 and
# stacked with its class (*MSG, *SMSG, *WNG) and sender; with nothing left
# it ends on its time (rc 2). No "* MSG FROM" is typed for what it takes.
. "$(dirname "$0")/lib-console.sh"
start_cpd
A=$T/disks/alice191
printf '%s\n' "/* WAKEUP on a reader file, then on messages */" \
    "queue 'waiting'; 'EXECIO 1 DISKW WAITING FLAG A (FINIS'" \
    "'WAKEUP +20 (RDR QUIET'" "say 'rdr rc' rc queued()" \
    "do 3" "  'WAKEUP +20 (IUCVMSG QUIET'" "  w = rc" \
    "  parse pull class 9 sender 17 text" \
    "  say 'msg rc' w strip(class) strip(sender) '['text']'" "end" \
    "'WAKEUP +1 (IUCVMSG RDR QUIET'" "say 'idle rc' rc" >"$A/svc.exec"
printf 'one record\n' >"$T/data.txt"

bg_console svc ALICE
bg_send svc 'SVC'
# The EXEC writes WAITING FLAG A just before its first WAKEUP (pipe mode
# prints a command's output when it ends, so its lines cannot tell).
wait_until 5 test -f "$A/waiting.flag" || fail "the EXEC did not start"
sleep 0.2
# vmcp upper-cases its command line, as CP does: the texts arrive in capitals.
"$VMCP" MSG ALICE hello alice >/dev/null || fail "MSG"
"$VMSEND" ALICE 'an smsg' || fail "vmsend"
"$VMCP" WARNING ALICE going down >/dev/null || fail "WARNING"
sleep 0.3
"$VMUR" punch -t -r -u ALICE -N data.file "$T/data.txt" >/dev/null || fail "vmur punch"
bg_wait svc out '^rdr rc 3 0$' # 3: the reader file, not the messages before it
bg_wait svc out '^idle rc 2$'
bg_wait svc out '^Ready;$'
bg_end svc
python3 - "$T/svc.out" <<'PY' || fail "messages out of order or malformed: $(cat "$T/svc.out")"
import sys
lines = open(sys.argv[1]).read().split("\n")
want = ["msg rc 5 *MSG OPERATOR [HELLO ALICE]",
        "msg rc 5 *SMSG OPERATOR [an smsg]",
        "msg rc 5 *WNG OPERATOR [GOING DOWN]"]
at = [lines.index(w) for w in want]
sys.exit(0 if at == sorted(at) else 1)
PY
grep -q 'MSG FROM' "$T/svc.out" && fail "a message WAKEUP took was typed too: $(cat "$T/svc.out")"
# The file is still in the reader: WAKEUP only noticed it.
cms ALICE 'CP QUERY RDR ALL'
expect_out ' data +file +OPERATOR( |$)' # DIST, then FORM and DEST
echo "PASS"
