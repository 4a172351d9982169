#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A starmsg service machine at a real terminal (a tmux pane): ALICE runs
# "PIPE starmsg | specs ... | cp", so each SMSG becomes a record and the
# answer goes back through CP; vmsend --wait gets it. The SMSGs go to the
# pipeline, not to the console. HX stops the pipeline ("CMS", then Ready),
# the next command works, and SMSGs show at the console again. Skipped (77)
# when tmux is not installed.
. "$(dirname "$0")/lib-console.sh"
start_cpd
console ALICE </dev/null # log ALICE on
expect_rc 0
tmux_start "CPD_SOCKET='$CPD_SOCKET' XDG_STATE_HOME='$XDG_STATE_HOME' '$CMSCONSOLE' ALICE; \
     echo EXITED \$?; sleep 60"
expect_screen last_line_is 'ALICE>'

keys 'PIPE starmsg | specs /SMSG/ 1 9.8 strip nw /got/ nw 17-* nw | cp' Enter
# The pipeline waits for SMSGs; each one is answered to its sender.
for word in ping pong; do
    wait_until 5 sh -c "'$VMSEND' --wait 1 ALICE $word >'$T/out' 2>'$T/err' && grep -qx 'got $word' '$T/out'" ||
        fail "vmsend --wait ALICE $word: $(cat "$T/out" "$T/err")"
done
! screen_has 'MSG FROM OPERATOR' || fail "an SMSG for starmsg reached the console:"$'\n'"$(screen)"
! screen_has '^Ready' || fail "the pipeline ended early:"$'\n'"$(screen)"

# HX stops it; the console shows CMS and the Ready line; the next command works.
keys 'HX' Enter
expect_screen screen_has '^CMS$'
expect_screen screen_has '^Ready;$'
keys 'PIPE literal after hx | console' Enter
expect_screen screen_has '^after hx$'
"$VMSEND" ALICE 'back to the console' || fail "vmsend"
expect_screen screen_has '^\* MSG FROM OPERATOR -- back to the console$'
echo "PASS"
