#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Minidisks by LINK through a real console: CMS links a disk with CP LINK,
# ACCESSes it by vdev (read-only, as the link is), reads a file on it, sees
# it in QUERY VIRTUAL DASD, DETACHes it (and can no longer access it); a
# link to another user's disk without its password is refused with z/VM's
# message, and a host path is never a disk.
. "$(dirname "$0")/lib-console.sh"
start_cpd

cms ALICE 'CP LINK * 192 292 RR' 'ACCESS 292 C' 'TYPE README TEXT C' 'CP QUERY VIRTUAL DASD'
expect_rc 0
expect_out '^DMSACP723I C \(292\) R/O$'
expect_out '^Hello from the read-only disk$'
expect_out '^DASD 0191 3390 CPDDSK R/W +0 CYL ON DASD  0191 SUBCHANNEL = 0000$'
expect_out '^DASD 0292 3390 CPDDSK R/O +0 CYL ON DASD  0192 SUBCHANNEL = 0002$'

cms ALICE 'CP QUERY LINKS 192'
expect_rc 0
expect_out '^DASD 0192 LINKS: ALICE    0192 R/O , ALICE    0292 R/O$'

cms ALICE 'CP DETACH 292' 'ACCESS 292 C'
expect_rc 63 # rc 100 is over 63
expect_out '^DASD 0292 DETACHED$'
expect_out '^DMSACP113S C\(292\) not attached or invalid device address$'

cms ALICE 'CP DETACH 292'
expect_out '^HCPDTV040E Device 0292 does not exist$'

# BOB may not link ALICE's disks: they have no passwords.
cms BOB 'CP LINK ALICE 191 291 RR'
expect_rc 63 # rc 113
expect_out '^HCPLNM113E ALICE 0191 not linked; no read password$'
cms BOB "ACCESS $T/disks/alice191 C"
expect_rc 24
echo "PASS"
