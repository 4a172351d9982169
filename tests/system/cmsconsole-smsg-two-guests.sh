#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Two consoles on two CMS guests exchange SMSGs: ALICE's SMSG shows up on
# BOB's console as "* MSG FROM ALICE -- text" (and BOB's TELL on ALICE's),
# the last message lands in GLOBALV LMSG/LMSGSRC/LMSGTXT, and the SMSG and
# TELL error paths answer with their messages and rcs.
. "$(dirname "$0")/lib-console.sh"
start_cpd "console_log = yes"

bg_console alice ALICE
bg_console bob BOB
bg_wait alice err 'attached to ALICE as writer'
bg_wait bob err 'attached to BOB as writer'
bg_send alice 'QUERY DISK A'
bg_send bob 'QUERY DISK A'
bg_wait alice out '^Ready;$'
bg_wait bob out '^Ready;$'

bg_send alice 'SMSG BOB hello bob, from alice'
bg_wait alice out '^SMSG BOB hello bob, from alice$' # not echoed to its own writer...
