#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Regina's own host environments never reach a shell from a CMS guest
# (issue 16, ADDRESS): ADDRESS SYSTEM, PATH and REGINA are unknown
# environments, rc -3 as CMS gives it, traced as CMS traces a negative rc,
# in the first EXEC of the logon and in later ones; nothing runs.
. "$(dirname "$0")/lib-console.sh"
start_cpd
A=$T/disks/alice191
printf '%s\n' "/* host environments */" \
    "address system 'touch ran.system'; a = rc" \
    "address path 'touch ran.path'; b = rc" \
    "address regina 'touch'; c = rc" \
    "say 'rcs' a b c" >"$A/shell.exec"

cms ALICE 'SHELL' 'SHELL'
expect_rc 0
[ "$(grep -c '^rcs -3 -3 -3$' "$T/out")" -eq 2 ] || fail "expected rc -3 twice:"$'\n'"$(cat "$T/out")"
expect_out '^       \+\+\+ RC\(-3\) \+\+\+$'
find "$T" -name 'ran.*' | grep -q . && fail "a host command ran: $(find "$T" -name 'ran.*')"
echo "PASS"
