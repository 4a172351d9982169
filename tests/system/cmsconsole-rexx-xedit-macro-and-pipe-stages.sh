#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# REXX wired into XEDIT and Pipelines, through real cmsconsole pipe-mode
# sessions on a real CMS guest: PROFILE XEDIT runs when XEDIT starts; a
# macro typed as a subcommand drives the editor through ADDRESS XEDIT (rc
# after each subcommand) and reads it with EXTRACT; an EXEC's
# ADDRESS CMS 'PIPE ...' waits for its cp stage's answers from the real CP
# and fills a stem; stem, var and stack move records between REXX and
# pipelines; stack works at the console, stem refuses there.
. "$(dirname "$0")/lib-console.sh"
start_cpd
A=$T/disks/alice191
put() { printf '%s\n' "${@:2}" >"$A/$1"; }

put profile.xedit "/* PROFILE XEDIT */" "'SET CASE UPPER'" "say 'profile set case, rc' rc"
put where.xedit "/* WHERE XEDIT: a macro */" "parse arg word" \
    "'EXTRACT /CURLINE/SIZE/FNAME/'" \
    "say 'macro: line' curline.3 'of' size.1 'in' fname.1" \
    "'LOCATE /' || word || '/'" "say 'locate rc' rc" \
    "'LOCATE /nowhere/'" "say 'missing rc' rc" "exit 7"

# PROFILE XEDIT runs at start (SET CASE UPPER upper-cases the input); the
# macro's subcommands set rc and EXTRACT sets its variables.
cms ALICE 'XEDIT NOTES TEXT A' 'INPUT' 'alpha' 'beta' 'gamma' '' 'TOP' 'NEXT' 'WHERE GAM' 'FILE'
expect_rc 0
expect_lines 'profile set case, rc 0' 'DMSXIN561I New file'
expect_lines 'macro: line ALPHA of 3 in NOTES' 'GAMMA' 'locate rc 0'
expect_lines 'missing rc 2'
expect_no_out '^Ready\(00007\)' # the macro's rc ends the line, not XEDIT
[ "$(cat "$A/notes.text")" = "$(printf 'ALPHA\nBETA\nGAMMA')" ] ||
    fail "FILE wrote: $(cat "$A/notes.text")"

# ( NOPROFILE skips the profile.
cms ALICE 'XEDIT NOTES TEXT A ( NOPROF' 'QUIT'
expect_rc 0
expect_no_out 'profile set case'

# An EXEC's PIPE waits for CP's answers (real CP), and the stages move
# records between pipelines, variables and the stack.
put askcp.exec "/* ASKCP EXEC */" \
    "'PIPE literal QUERY USERID | cp | stem r.'" "say 'pipe rc' rc 'lines' r.0" \
    "say 'cp said' r.1" \
    "x.1 = 'one'; x.2 = 'two'; x.0 = 2" \
    "'PIPE stem x. | xlate upper | stack'" "say 'queued' queued()" \
    "'PIPE stack | reverse | var last'" "say 'last' last 'queued' queued()" \
    "'PIPE var last | console'"
cms ALICE 'ASKCP'
expect_rc 0
expect_lines 'pipe rc 0 lines 1'
expect_out '^cp said ALICE +AT [A-Z0-9@#$_-]+$'
expect_lines 'queued 2' 'last ENO queued 0' 'ENO' 'Ready;'

# At the console: stack works (the stacked line then runs as a command, as
# CMS reads the stack first), stem has no variables to use.
cms ALICE 'PIPE literal TYPE NOTES TEXT A | stack' 'PIPE literal a | stem x.'
expect_lines 'ALPHA' 'BETA' 'GAMMA' 'Ready;'
expect_lines 'FPLREX024E STEM needs REXX variables: run the pipeline from an EXEC'
expect_out '^Ready\(00024\);$'
echo "PASS"
