#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A console that reads slower than its guest writes holds the guest, as a
# z/VM terminal holds its virtual machine: TYPE of a 50,000-line file (2.5 MB,
# twenty times a client's 128 KiB output limit) reaches a pipe-mode
# cmsconsole whole and in order, both when it reads as fast as it can and
# when its reader stalls for two seconds, and cpd drops no client. Before,
# cpd dropped the console ("does not read its output") a few hundred lines in.
. "$(dirname "$0")/lib-console.sh"
start_cpd
seq 1 50000 | sed 's/$/ is a line of a long file typed at the console/' >"$T/disks/alice191/big.file"
chmod 644 "$T/disks/alice191/big.file"

expect_whole_file() { # FILE: the typed file, then Ready;, nothing lost or reordered
    [ "$(grep -c 'is a line of a long file' "$1")" -eq 50000 ] ||
        fail "$(grep -c 'is a line of a long file' "$1") of 50000 lines arrived"
    grep 'is a line of a long file' "$1" | cmp -s - "$T/disks/alice191/big.file" ||
        fail "the lines arrived changed or out of order"
    [ "$(tail -n 1 "$1")" = "Ready;" ] || fail "last line: $(tail -n 1 "$1")"
}

cms ALICE 'TYPE BIG FILE A'
expect_rc 0
expect_whole_file "$T/out"

# A reader that stalls: cmsconsole blocks on its stdout, stops reading its
# socket, and cpd's output for it passes half its limit; the guest waits.
printf 'TYPE BIG FILE A\n' | "$CMSCONSOLE" ALICE 2>"$T/err" | { sleep 2; cat; } >"$T/slow.out"
RC=${PIPESTATUS[1]}
expect_rc 0
expect_whole_file "$T/slow.out"

! grep -a "dropped: does not read its output" "$T/cpd.log" || fail "cpd dropped a console"
cms ALICE 'QUERY DISK'
expect_rc 0
echo "PASS"
