#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# XEDIT inside an EXEC through a real console in pipe mode (issue 16, points
# 3 and 7): an EXEC that queues its subcommands edits a file without asking
# anything (the README's ADDTODO); one that leaves the stack empty reads
# XEDIT's subcommands and input from the console (VM READ in XEDIT's modes,
# so pipe mode sends them, a null line included) and gets XEDIT's rc; a
# macro that FILEs ends XEDIT, and CMS has the console again.
. "$(dirname "$0")/lib-console.sh"
start_cpd
A=$T/disks/alice191
printf '%s\n' "/* ADDTODO EXEC: append a line to TODO LIST A */" "parse arg item" \
    "queue 'BOTTOM'" "queue 'INPUT' item" "queue 'FILE'" "'XEDIT TODO LIST A'" \
    "say 'XEDIT ended with rc' rc" >"$A/addtodo.exec"
printf '%s\n' "/* EDITNOTE EXEC */" "'XEDIT NOTE TEXT A'" "say 'xedit rc' rc" >"$A/editnote.exec"
printf '%s\n' "/* FIN XEDIT */" "'INPUT added by FIN'" "'FILE'" "say 'file rc' rc" "exit 7" \
    >"$A/fin.xedit"

cms ALICE 'ADDTODO buy milk' 'ADDTODO call Ford' 'TYPE TODO LIST A'
expect_rc 0
expect_lines 'XEDIT ended with rc 0' 'Ready;'
expect_lines 'buy milk' 'call Ford' 'Ready;'

# Subcommands from the console: INPUT, two lines, a null line, QUIT
# (refused: changed), then FILE; the EXEC goes on with XEDIT's rc.
console ALICE < <(printf '%s\n' 'EDITNOTE' 'INPUT' 'first line' 'second line' '' 'QUIT' \
    'FILE' 'TYPE NOTE TEXT A')
expect_rc 0
expect_out '^DMSXIN561I New file$'
expect_out '^DMSXSU577E File has been changed; type QQUIT to quit anyway$'
expect_lines 'xedit rc 0' 'Ready;'
expect_lines 'first line' 'second line' 'Ready;'
[ "$(grep -c '^Ready' "$T/out")" -eq 2 ] || fail "a Ready inside XEDIT:"$'\n'"$(cat "$T/out")"

# A macro's FILE at the console: XEDIT ends after the macro, with FILE's rc.
cms ALICE 'XEDIT DONE TEXT A' 'FIN' 'TYPE DONE TEXT A'
expect_lines 'file rc 0' 'Ready;'
expect_lines 'added by FIN' 'Ready;'
echo "PASS"
