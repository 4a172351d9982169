#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# REXX EXECs and the console in a real terminal (a tmux pane; issue 16,
# point 3): PULL with an empty stack reads the next line typed, and the
# prompt shows VM READ while the EXEC waits for it; an SMSG
# that arrives while an EXEC runs waits and is shown after it ends; HX typed
# while an EXEC loops forever without any I/O halts it with CMS's message,
# and the next command works, also when the HX is behind an SMSG that came
# meanwhile. Skipped (77) when tmux is not installed.
. "$(dirname "$0")/lib-console.sh"
start_cpd
A=$T/disks/alice191
printf '%s\n' "/* ask */" "say 'Your name?'" "parse pull name" "say 'Hi' name" "exit 3" >"$A/ask.exec"
printf '%s\n' "/* spin */" "say 'spinning'" "do forever; nop; end" >"$A/spin.exec"
console ALICE </dev/null # log ALICE on
expect_rc 0
tmux_start "CPD_SOCKET='$CPD_SOCKET' XDG_STATE_HOME='$XDG_STATE_HOME' '$CMSCONSOLE' ALICE; sleep 60"
expect_screen last_line_is 'ALICE>'

# PULL from the console, with an SMSG arriving meanwhile: it waits.
keys 'ASK' Enter
expect_screen screen_has '^Your name\?$'
expect_screen last_line_is 'ALICE VM READ>'
"$VMSEND" ALICE 'sent during the EXEC' || fail "vmsend"
sleep 0.3
screen_has 'sent during the EXEC' && fail "the SMSG was shown while the EXEC ran:"$'\n'"$(screen)"
keys 'Zaphod Beeblebrox' Enter
expect_screen screen_has '^Hi Zaphod Beeblebrox$'
expect_screen screen_has '^Ready\(00003\);$'
expect_screen screen_has '^\* MSG FROM OPERATOR -- sent during the EXEC$'
python3 - "$(screen)" <<'PY' || fail "the SMSG was not shown after the EXEC ended"
import sys
s = sys.argv[1].split("\n")
hi = next(i for i, l in enumerate(s) if l == "Hi Zaphod Beeblebrox")
msg = next(i for i, l in enumerate(s) if l.startswith("* MSG FROM OPERATOR"))
sys.exit(0 if msg > hi else 1)
PY

# WAKEUP (CONS: a line typed is rc 6, and the line is on the stack.
printf '%s\n' "/* wait */" "'WAKEUP +30 (CONS SMSG'" "say 'woke' rc" "parse pull line" \
    "say 'line' line" >"$A/wait.exec"
keys 'WAIT' Enter
sleep 0.3
keys 'good morning' Enter
expect_screen screen_has '^woke 6$'
expect_screen screen_has '^line good morning$'

# HX halts an endless loop that does no I/O at all; the console survives.
keys 'SPIN' Enter
expect_screen screen_has '^spinning$'
sleep 0.3
keys 'HX' Enter
expect_screen screen_has '^DMSREX444E Error 4 running SPIN EXEC, line 3: Program interrupted$'
expect_screen screen_has '^Ready\(20004\);$'
keys 'QUERY DISK A' Enter
expect_screen screen_has '^CPD191 191  A  R/W'
# Ctrl-C, cmsconsole's interrupt key, is HX too.
keys 'SPIN' Enter
wait_until 5 sh -c "[ \$(tmux -S '$TMUX_SOCK' capture-pane -p | grep -c '^spinning') -ge 2 ]" ||
    fail "SPIN did not start again:"$'\n'"$(screen)"
sleep 0.3
keys C-c
wait_until 5 sh -c "[ \$(tmux -S '$TMUX_SOCK' capture-pane -p | grep -c '^Ready(20004);') -ge 2 ]" ||
    fail "Ctrl-C did not halt the EXEC:"$'\n'"$(screen)"

# HX behind an SMSG that arrived while the loop ran: still halted at once
# (no command in the loop would see it), and the SMSG is shown after.
keys C-l # readline clears the screen, so the pane holds only what follows
tmux -S "$TMUX_SOCK" clear-history
expect_screen last_line_is 'ALICE>'
keys 'SPIN' Enter
expect_screen screen_has '^spinning$'
"$VMSEND" ALICE 'queued before the HX' || fail "vmsend"
sleep 0.3
keys 'HX' Enter
expect_screen screen_has '^Ready\(20004\);$'
expect_screen screen_has '^\* MSG FROM OPERATOR -- queued before the HX$'
expect_screen last_line_is 'ALICE>'
echo "PASS"
