#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# CP messages at CMS consoles: CMS TELL is CP MSG (the receiver sees CP's
# "hh:mm:ss * MSG FROM userid  :" form, the sender CP's answer), vmcp MSG,
# WARNING and MSGNOH and vmsend --msg send as the caller, a message to a
# disconnected guest is kept in its console replay, SET MSG OFF refuses with
# HCPMSG057I and QUERY SET shows it, and Q T / CP IND work from CMS.
. "$(dirname "$0")/lib-console.sh"
start_cpd "console_replay_lines = 50"

# Log both CMS guests on; they stay logged on, disconnected, after the pipe ends.
cms ALICE 'Q SET'
expect_rc 0
expect_lines 'MSG ON    , WNG ON    , EMSG ON    , ACNT OFF, RUN OFF'
cms BOB 'TELL ALICE hello  there' 'TELL NOBODY hi'
expect_rc 45
expect_lines 'Ready;'
expect_lines 'HCPMSG045E NOBODY not logged on' 'Ready(00045);'

# The operator (vmcp and vmsend run as OPERATOR here) sends MSG, WNG, MSGNOH.
"$VMCP" -k MSG ALICE from the operator || fail "vmcp MSG"
"$VMCP" -k WNG ALICE system going down || fail "vmcp WNG"
"$VMCP" -k MSGNOH ALICE raw service text || fail "vmcp MSGNOH"
"$VMSEND" --msg ALICE via vmsend || fail "vmsend --msg"

# ALICE was disconnected for all of them: the replay has them in z/VM's forms.
wait_until 5 sh -c "'$CMSCONSOLE' --replay ALICE </dev/null | grep -q 'via vmsend'" ||
    fail "the messages never reached ALICE's console"
console --replay ALICE </dev/null
expect_rc 0
expect_out '^[0-9]{2}:[0-9]{2}:[0-9]{2} \* MSG FROM BOB     : hello  there$'
expect_out '^[0-9]{2}:[0-9]{2}:[0-9]{2} \* MSG FROM OPERATOR: from the operator$'
expect_out '^[0-9]{2}:[0-9]{2}:[0-9]{2} \* WNG FROM OPERATOR: system going down$'
expect_out '^raw service text$'
expect_out '^[0-9]{2}:[0-9]{2}:[0-9]{2} \* MSG FROM OPERATOR: via vmsend$'

# SET MSG OFF: TELL and MSG are refused with 057I; WNG has its own switch.
cms ALICE 'CP SET MSG OFF' 'CP Q SET' 'CP Q V ALL'
expect_rc 0
expect_out '^MSG OFF   , WNG ON    , EMSG ON'
expect_out '^STORAGE = 32M$'
expect_out '^RDR  000C CL \* '
expect_out '^PUN  000D CL A '
expect_out '^PRT  000E CL A '
expect_out '^DASD 0191 '
cms BOB 'TELL ALICE are you there'
expect_rc 57
expect_lines 'HCPMSG057I ALICE not receiving; MSG off' 'Ready(00057);'
"$VMCP" MSG ALICE refused >/dev/null 2>&1
[ $? -eq 1 ] || fail "vmcp MSG to a guest with MSG OFF did not fail"
"$VMSEND" --msg ALICE refused 2>"$T/err"
[ $? -eq 75 ] || fail "vmsend --msg to MSG OFF did not exit 75"
expect_err 'HCPMSG057I ALICE not receiving; MSG off'
"$VMCP" -k WNG ALICE still warned || fail "WNG refused while only MSG is off"

# A class G user may not warn or broadcast.
cms BOB 'CP WNG ALICE hi' 'CP MSG ALL hi'
expect_lines 'HCPCMD002E Command WNG not authorized' 'Ready(00002);'
expect_lines 'HCPCMD002E Command MSG ALL not authorized' 'Ready(00002);'

# The everyday queries at the CMS prompt (CMS QUERY passes CP operands on).
cms BOB 'Q T' 'Q USERID' 'Q PRIV' 'CP IND' 'CP Q V STOR' 'Q CPLEVEL' 'Q LOGMSG'
expect_rc 0
expect_out '^TIME IS [0-9]{2}:[0-9]{2}:[0-9]{2} .*  [A-Z]+DAY [0-9]{2}/[0-9]{2}/[0-9]{2}$'
expect_out '^CONNECT= [0-9]{2}:[0-9]{2}:[0-9]{2} VIRTCPU= [0-9]{3}:[0-9]{2}\.[0-9]{2} TOTCPU='
expect_out '^BOB      AT [A-Z0-9@#$_-]+$'
expect_lines 'Currently: G' 'Directory: G'
expect_out '^AVGPROC-[0-9]{3}% [0-9]{2}$'
expect_out '^STORAGE = 32M$'
expect_out '^cpd Version 0 Release 1\.0, service level 0000 \(64-bit\)$'
expect_out '^There is no logmsg data$'
"$VMCP" -k SET LOGMSG 1 back at noon || fail "SET LOGMSG"
[ "$("$VMCP" Q LOGMSG)" = "* back at noon" ] || fail "QUERY LOGMSG: $("$VMCP" Q LOGMSG)"
grep -q 'msg: MSG from OPERATOR to ALICE: refused: MSG off' "$T/cpd.log" ||
    fail "the refusal is not logged"
echo "PASS"
