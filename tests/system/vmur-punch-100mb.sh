#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A 100 MB binary file goes through cpd in chunks (no frame holds it whole):
# vmur punch -r to the reader, QUERY RDR shows its records, vmur receive
# brings back the same bytes.
. "$(dirname "$0")/lib-spool.sh"
start_spool_cpd
head -c 100000000 /dev/urandom >"$T/big.bin"
out=$("$VMUR" punch -r -N big.bin "$T/big.bin") || fail "punch of 100 MB failed"
[ "$out" = "Reader file with spoolid 0001 created." ] || fail "punch said: $out"
line=$("$VMCP" q rdr all | sed -n 2p)
[ "${line:20:8}" = 01250000 ] || fail "records: '${line:20:8}' (100 MB / 80 = 1250000)"
"$VMUR" receive 1 "$T/back.bin" || fail "receive of 100 MB failed"
cmp -s "$T/big.bin" "$T/back.bin" || fail "100 MB round trip differs"
exit 0
