#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Pipe mode and a line cmsconsole cannot send (input over 4096 bytes, a #CP
# command over 512): HCP026E with the sizes on stderr and exit 65, as for any
# refusal; the lines before it ran, the lines after it are not sent, and the
# guest keeps running. A line of exactly 4096 bytes is sent, and a CRLF line
# ending is not part of the line.
. "$(dirname "$0")/lib-console.sh"
start_cpd

# pad TEXT N: TEXT followed by blanks up to N bytes.
pad() { printf '%s%*s' "$1" $(($2 - ${#1})) ''; }

cms ALICE "$(pad 'TYPE README TEXT B' 4096)" "$(pad 'TYPE README TEXT B' 4097)" 'TYPE NEVER SENT A'
expect_rc 65
expect_lines 'Hello from the read-only disk' 'Second line' 'Ready;'
expect_err '^cmsconsole: error: HCP026E Operand missing or invalid: line is 4097 bytes, the limit is 4096 \(rc 26\)$'
expect_no_out 'NEVER'

cms ALICE "#CP $(printf 'X%.0s' $(seq 513))" 'QUERY DISK'
expect_rc 65
expect_err '^cmsconsole: error: HCP026E Operand missing or invalid: CP command is 513 bytes, the limit is 512 \(rc 26\)$'
expect_no_out '^CPD191 '
is_logged_on ALICE || fail "ALICE is gone after a refused line"

cms ALICE $'QUERY DISK\r'
expect_rc 0
expect_out '^CPD191 191  A  R/W '
expect_lines 'Ready;'
echo PASS
