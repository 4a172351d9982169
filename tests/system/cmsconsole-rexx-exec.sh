#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# REXX EXECs on Regina through a real console in pipe mode (issue 16, points
# 1, 2, 4 and 6): EXEC and the implicit EXEC with their argument string, each
# rc case (exit n, normal end, non-numeric result, a REXX error in CMS's
# form, no such EXEC), nesting, ADDRESS CMS/COMMAND/CP with rc after each
# command, SAY in order with command output, IMPCP at the console, the
# program stack and its buffer commands, lines left on the stack run as
# commands, GLOBALV GET/PUT into and from REXX variables, the CMS functions,
# and PROFILE EXEC before the first Ready.
. "$(dirname "$0")/lib-console.sh"
start_cpd
A=$T/disks/alice191
exec_file() { printf '%s\n' "${@:2}" >"$A/$1.exec"; }

exec_file hello "/* say hello */" "parse arg who" "say 'Hello' who" "exit 5"
exec_file plain "/* no exit */" "say 'plain ran'"
exec_file word "/* non-numeric result */" "exit 'abc'"
exec_file div "/* a run-time error */" "x = 1" "say x / 0"
exec_file outer "/* nesting */" "'EXEC HELLO nested'" "say 'inner rc' rc" \
    "call hello 'as a function'" "say 'result' result"

# EXEC: arguments as one string (case kept), exit n is the rc.
cms ALICE 'EXEC HELLO big   World'
expect_lines 'Hello big   World' 'Ready(00005);'
# The implicit EXEC: the word alone runs HELLO EXEC from the A-disk.
cms ALICE 'hello implicit'
expect_lines 'Hello implicit' 'Ready(00005);'
# A normal end is rc 0; a non-numeric result is REXX error 26 (20026).
cms ALICE 'PLAIN' 'WORD'
expect_lines 'plain ran' 'Ready;'
expect_lines 'DMSREX466E Error 26 running WORD EXEC: Invalid whole number' 'Ready(20026);'
# A REXX error: the traceback, CMS's DMSREX message, rc 20000 + n.
cms ALICE 'DIV'
expect_lines '     3 +++ say x / 0' \
    'DMSREX482E Error 42 running DIV EXEC, line 3: Arithmetic overflow/underflow' 'Ready(20042);'
expect_no_out '^Error 42'
# No such EXEC: -3, from EXEC and from the implicit search (IMPCP: CP does
# not know the word either).
cms ALICE 'EXEC NOPE' 'NOPE'
expect_lines 'DMSEXE001E EXEC NOPE not found' 'Ready(-0003);'
expect_lines 'Unknown CP/CMS command' 'Ready(-0003);'
# Nesting: the inner EXEC's rc as a command and its result as a function.
cms ALICE 'OUTER'
expect_lines 'Hello nested' 'inner rc 5' 'Hello as a function' 'result 5' 'Ready;'

# ADDRESS: CMS goes as typed (an EXEC, then CP), COMMAND finds CMS commands
# only, CP goes to CP; rc after each; SAY in order with command output.
exec_file addr "/* environments */" \
    "say 'default' address()" \
    "'STATE README TEXT B'; say 'cms rc' rc" \
    "'HELLO via cms'; say 'cms exec rc' rc" \
    "address command 'HELLO'; say 'command exec rc' rc" \
    "address command 'STATE NOPE TEXT B'; say 'command rc' rc" \
    "address cp 'QUERY NAMES'; say 'cp rc' rc" \
    "'DETACH 0999'; say 'impcp rc' rc" \
    "address cp 'NOSUCH'; say 'cp unknown rc' rc"
cms ALICE 'ADDR'
expect_lines 'default CMS' 'README TEXT B1' 'cms rc 0' 'Hello via cms' 'cms exec rc 5'
expect_lines '     5 *-* address command '"'HELLO'" '       +++ RC(-3) +++' 'command exec rc -3'
expect_lines 'DMSSTT002E File NOPE TEXT B not found' 'command rc 28'
expect_out '^ALICE +- '
expect_lines 'cp rc 0'
expect_out '^HCP.*040E.*0999'
expect_lines 'impcp rc 40'
expect_out '^HCP.*NOSUCH'
expect_lines 'cp unknown rc 1' 'Ready;'
# IMPCP at the console: a CP command typed without CP.
cms ALICE 'DETACH 0999'
expect_out '^HCP.*040E.*0999'
expect_lines 'Ready(00040);'

# The stack: QUEUE/PUSH/PULL/QUEUED() shared with MAKEBUF, SENTRIES,
# DROPBUF, DESBUF (their rcs); a line left over runs as a command.
exec_file stack "/* the program stack */" \
    "queue 'q1'; push 'p1'; say 'queued' queued()" \
    "'MAKEBUF'; say 'makebuf' rc" \
    "queue 'q2'; push 'p2'" \
    "'SENTRIES'; say 'sentries' rc" \
    "parse pull a; parse pull b; parse pull c; say a b c" \
    "'MAKEBUF'; queue 'x'; push 'y'; 'DROPBUF'; 'SENTRIES'; say 'after dropbuf' rc" \
    "'MAKEBUF'; 'MAKEBUF'; say 'third buffer' rc; queue 'z'; 'DROPBUF 1'; say 'buffer 0 keeps' queued()" \
    "queue 'left'; 'DESBUF'; say 'after desbuf' queued()" \
    "queue 'STATE README TEXT B'"
cms ALICE 'STACK'
expect_lines 'queued 2' 'makebuf 1' 'sentries 4' 'p2 q2 p1' 'after dropbuf 1' 'third buffer 2' \
    'buffer 0 keeps 1' 'after desbuf 0' \
    'Ready;' 'STATE README TEXT B' 'README TEXT B1' 'Ready;'
cms ALICE 'MAKEBUF' 'SENTRIES' 'DESBUF' 'DROPBUF X'
expect_lines 'Ready(00001);' 'Ready;' 'Ready;'
expect_out '^DMSDRP070E Invalid parameter X$'

# GLOBALV: GET sets the EXEC's variables (a missing one to null), PUT
# writes them back; the CMS functions.
exec_file glob "/* GLOBALV and CMS functions */" \
    "'GLOBALV SELECT APP SET COLOR blue'" \
    "'GLOBALV SELECT APP GET COLOR MISSING'; say 'got' color '['missing']'" \
    "color = 'red'; 'GLOBALV SELECT APP PUT COLOR'" \
    "say 'userid' userid() 'impcp' cmsflag('IMPCP')" \
    "say 'diag' word(diag(8, 'QUERY NAMES'), 1)"
cms ALICE 'GLOB' 'GLOBALV SELECT APP LIST'
expect_lines 'got blue []' 'userid ALICE impcp 1' 'diag ALICE' 'Ready;' 'COLOR = red' 'Ready;'

# EXECIO: DISKW creates a file (from a stem, a string, the stack), DISKR
# reads it back (stem, var, stack, start line, open file without FINIS),
# CP captures a response; the rc cases.
exec_file eio "/* EXECIO */" \
    "out.1 = 'first'; out.2 = 'second'; out.3 = 'third'" \
    "'EXECIO 3 DISKW NEW DATA A (STEM OUT. FINIS'; say 'diskw rc' rc" \
    "'EXECIO 1 DISKW NEW DATA A (STRING fourth line'; say 'string rc' rc" \
    "queue 'fifth'; 'EXECIO 1 DISKW NEW DATA A (FINIS'; say 'stack rc' rc" \
    "'EXECIO * DISKR NEW DATA A (STEM IN. FINIS'; say 'read' in.0 in.1 '/' in.4 '/' in.5" \
    "'EXECIO 1 DISKR NEW DATA A 2 (VAR ONE FINIS'; say 'var' one" \
    "'EXECIO 2 DISKR NEW DATA A'; say 'open rc' rc queued(); pull a; pull b; say a b" \
    "'EXECIO 2 DISKR NEW DATA A'; pull c; pull d; say 'goes on' c d" \
    "'EXECIO 2 DISKR NEW DATA A (FINIS'; say 'eof rc' rc queued(); pull e; say e" \
    "'EXECIO * DISKR NOPE DATA A (STEM X.'; say 'missing rc' rc" \
    "'EXECIO 1 DISKW NEW DATA B (STRING x'; say 'read-only rc' rc" \
    "'EXECIO 1 DISKW NEW DATA C (STRING x'; say 'not accessed rc' rc" \
    "'EXECIO * CP (STEM R. STRING QUERY NAMES'; say 'cp rc' rc r.0 word(r.1, 1)" \
    "'EXECIO 1 BADOP X'; say 'bad rc' rc"
cms ALICE 'EIO'
expect_lines 'diskw rc 0' 'string rc 0' 'stack rc 0' 'read 5 first / fourth line / fifth' 'var second' \
    'open rc 0 2' 'FIRST SECOND' 'goes on THIRD FOURTH LINE' 'eof rc 2 1' 'FIFTH'
expect_lines 'missing rc 28'
expect_lines 'read-only rc 112'
expect_lines 'not accessed rc 136'
expect_lines 'cp rc 0 1 ALICE'
expect_lines 'bad rc 24'
[ "$(cat "$A/new.data")" = $'first\nsecond\nthird\nfourth line\nfifth' ] ||
    fail "NEW DATA A holds: $(cat "$A/new.data")"

# WAKEUP: a time (+seconds) is rc 2; bad operands and nothing to wait for are 24.
exec_file nap "/* WAKEUP on a time */" "'WAKEUP +1'; say 'time rc' rc" \
    "'WAKEUP +0:0:1 (QUIET'; say 'short form rc' rc" \
    "'WAKEUP =25:00:00'; say 'bad time rc' rc" "'WAKEUP (QUIET'; say 'nothing rc' rc"
cms ALICE 'NAP'
expect_lines 'time rc 2' 'short form rc 2'
expect_lines 'bad time rc 24'
expect_lines 'nothing rc 24' 'Ready;'

# PROFILE EXEC runs at IPL, before the first Ready.
printf '%s\n' "/* BOB's profile */" "say 'profile for' userid()" "'STATE NOPE EXEC A'" \
    >"$T/disks/bob191/profile.exec"
cms BOB 'EXEC PLAIN'
expect_out '^profile for BOB$'
expect_out '^DMSSTT002E File NOPE EXEC A not found$'
python3 - "$T/out" <<'PY' || fail "PROFILE EXEC output did not come before the first Ready"
import sys
lines = open(sys.argv[1]).read().split("\n")
assert lines.index("profile for BOB") < min(i for i, l in enumerate(lines) if l.startswith("Ready"))
PY
echo "PASS"
