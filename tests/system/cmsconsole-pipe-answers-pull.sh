#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Pipe-mode cmsconsole answers a REXX PULL (issue 16, point 3): the guest
# sends a VM READ end marker before it waits, and cmsconsole sends the next
# stdin line. An EXEC asks two questions and uses the answers; one that
# PULLs three times takes the three lines after its command, in order, with
# a null line as a null answer; the command after it still gets its Ready.
. "$(dirname "$0")/lib-console.sh"
start_cpd
A=$T/disks/alice191
exec_file() { printf '%s\n' "${@:2}" >"$A/$1.exec"; }

exec_file ask "/* two questions */" "say 'Your name?'" "parse pull name" \
    "say 'How many?'" "pull n" "say 'Hello' name', twice' n '=' n * 2" "exit n"
exec_file three "/* three reads in a row */" "parse pull a" "parse pull b" "parse pull c" \
    "say '[' || a || '] [' || b || '] [' || c || ']'"

# Two questions: each answer is read by the PULL that asked, no Ready between.
cms ALICE 'ASK' 'Arthur Dent' '21' 'QUERY DISK A'
expect_rc 0
expect_lines 'Your name?' 'How many?' 'Hello Arthur Dent, twice 21 = 42' 'Ready(00021);'
expect_out '^CPD191 191  A  R/W'
[ "$(grep -c '^Ready' "$T/out")" -eq 2 ] || fail "expected two Ready lines:"$'\n'"$(cat "$T/out")"

# Three PULLs from the three lines after the command, in order; a null line
# is an answer, not skipped; the next command runs after the EXEC.
console ALICE < <(printf '%s\n' 'THREE' 'first' '' 'third' 'QUERY DISK A')
expect_rc 0
expect_lines '[first] [] [third]' 'Ready;'
expect_out '^CPD191 191  A  R/W'

# Input that ends at a VM READ: cmsconsole detaches; HX from the next
# console halts the waiting EXEC and the console works again.
cms ALICE 'ASK'
expect_lines 'Your name?'
expect_no_out '^Ready'
cms ALICE 'HX' 'QUERY DISK A'
expect_out '^DMSREX.* Error 4 running ASK EXEC, line 3: Program interrupted$'
expect_out '^CPD191 191  A  R/W'
echo "PASS"
