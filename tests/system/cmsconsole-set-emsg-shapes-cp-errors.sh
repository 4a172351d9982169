#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# SET EMSG at a CMS console shapes CP's error messages on every path the
# guest's commands take: CP typed at the CMS prompt, IMPCP (SPOOL at the CMS prompt), EXECIO CP in an
# EXEC (CP's response captured, as DIAG 8 gives it) and CP commands typed on
# the attached console with cmsconsole's escape. ON: id and text; CODE: the id
# alone; TEXT: the text alone; OFF: nothing, while the rc still reports it.
. "$(dirname "$0")/lib-console.sh"
start_cpd
printf '%s\n' "/* EXECIO CP captures CP's response */" \
    "'EXECIO * CP (STEM R. STRING QUERY VIRTUAL BOGUS'" \
    "say 'execio rc' rc 'lines' r.0" \
    "do i = 1 to r.0; say 'line' r.i; end" >"$T/disks/alice191/cpq.exec"
chmod 644 "$T/disks/alice191/cpq.exec"

id='HCP[A-Z]{3}[0-9]{3}E'
cms ALICE 'CP QUERY VIRTUAL BOGUS' 'CPQ'
expect_out "^$id Invalid option - BOGUS\$"
expect_out "^line $id Invalid option - BOGUS\$"

cms ALICE 'CP SET EMSG CODE' 'CP QUERY VIRTUAL BOGUS' 'SPOOL BOGUS2' 'CPQ' '#CP QUERY VIRTUAL BOGUS3'
expect_out "^$id\$"
expect_out "^line $id\$"
expect_no_out 'Invalid option - BOGUS'
[ "$(grep -Ec "^$id\$" "$T/out")" -eq 3 ] || fail "CP, IMPCP and #CP do not all shows the id alone: $(cat "$T/out")"

cms ALICE 'CP SET EMSG TEXT' 'CP QUERY VIRTUAL BOGUS' 'CPQ'
expect_out '^Invalid option - BOGUS$'
expect_out '^line Invalid option - BOGUS$'
expect_no_out "$id"

cms ALICE 'CP SET EMSG OFF' 'CP QUERY VIRTUAL BOGUS' 'CPQ' 'CP QUERY SET'
expect_no_out 'BOGUS'
expect_out '^execio rc [1-9][0-9]* lines 0$'
expect_out '^MSG ON    , WNG ON    , EMSG OFF'
expect_out '^Ready\([0-9]+\);$' # the rc still says the command failed

cms ALICE 'CP SET EMSG ON' 'CP QUERY VIRTUAL BOGUS'
expect_out "^$id Invalid option - BOGUS\$"
echo PASS
