#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The bash completion (packaging/completion/cpd.bash) against a real cpd:
# every QUERY operand `vmcp q <TAB>` offers is one cpd answers with rc 0
# (itself, or with a word the next <TAB> offers), and none it refuses (USER
# alone, CP; SET, which a host user not logged on cannot use);
# `vmcp <TAB>` offers the caller's commands; `cmsconsole <TAB>` every userid
# the caller may log on or attach to, logged on or not, but no NOLOG entry.
. "$(dirname "$0")/lib-console.sh"
: "${CPD_SOURCE_DIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
start_cpd "socket_mode = 0666" # nobody connects too, below
"$VMCP" xautolog echo >/dev/null || fail "vmcp xautolog echo" # ECHO logged on, the others not
PATH=$(dirname "$VMCP"):$(dirname "$CMSCONSOLE"):$PATH
# shellcheck source=../../packaging/completion/cpd.bash
. "$CPD_SOURCE_DIR/packaging/completion/cpd.bash"

# complete WORD...: what <TAB> offers after these words (the last is being typed).
complete() {
    COMP_WORDS=("$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMPREPLY=()
    _cpd_complete
    printf '%s\n' "${COMPREPLY[@]}" | sort
}
has() { grep -qx -- "$2" <<<"$1" || fail "completion lacks $2; offered: $(echo $1)"; }
lacks() { ! grep -qx -- "$2" <<<"$1" || fail "completion offers $2; offered: $(echo $1)"; }

ops=$(complete vmcp q '')
for op in NAMES USERS STATS IUCV LINKS VIRTUAL COMMANDS DIRECTORY TIME CPLEVEL; do
    has "$ops" "$op"
done
for op in USER CP SET; do
    lacks "$ops" "$op"
done
for op in $ops; do
    if "$VMCP" q "$op" >/dev/null 2>"$T/err"; then
        continue
    fi
    # Not alone: it needs what the next <TAB> offers, and that must work.
    next=$(complete vmcp q "$op" '')
    [ -n "$next" ] || fail "vmcp q $op fails and completion offers nothing after it: $(cat "$T/err")"
    for w in $next; do
        "$VMCP" q "$op" "$w" >/dev/null 2>"$T/err" || fail "offered 'q $op $w' fails: $(cat "$T/err")"
    done
done
vir=$(complete vmcp q vir '')
has "$vir" DASD
has "$vir" STORAGE
[ "$(complete vmcp Q N)" = NAMES ] || fail "Q N<TAB>: $(complete vmcp Q N)"

verbs=$(complete vmcp '')
for v in QUERY SMSG XAUTOLOG FORCE SHUTDOWN; do
    has "$verbs" "$v"
done
for v in $verbs; do
    "$VMCP" q commands "$v" >/dev/null || fail "offered command $v is not one cpd has"
done
has "$(complete vmcp smsg '')" ECHO
lacks "$(complete vmcp smsg '')" ALICE # not logged on

ids=$(complete cmsconsole '')
for id in ALICE BOB ECHO OPERATOR; do
    has "$ids" "$id"
done
lacks "$ids" NOLOGGER
[ "$(complete cmsconsole --observe a)" = ALICE ] || fail "cmsconsole --observe a<TAB>"
has "$(complete cmsconsole -)" --replay

# An ordinary user: nobody, made BOB by POSIXINFO (a directory reload).
[ "$(id -u)" = 0 ] || { echo "PASS (ordinary user part skipped: needs root)"; exit 0; }
nobody=$(id -u nobody) || { echo "PASS (ordinary user part skipped: no nobody)"; exit 0; }
sed -i "s|^USER BOB .*|&\n POSIXINFO UID $nobody|" "$T/user.direct"
kill -HUP "$CPD_PID"
as_nobody=(setpriv --reuid="$nobody" --regid="$(id -g nobody)" --clear-groups --inh-caps=-all
    env CPD_SOCKET="$CPD_SOCKET" PATH="$PATH")
wait_until 5 sh -c "$(printf '%q ' "${as_nobody[@]}") '$VMCP' q dir 2>/dev/null | grep -q BOB" ||
    fail "nobody does not act as BOB after the reload: $(tail -n 5 "$T/cpd.log")"
got=$("${as_nobody[@]}" bash -c ". '$CPD_SOURCE_DIR/packaging/completion/cpd.bash'
    COMP_WORDS=(cmsconsole ''); COMP_CWORD=1; _cpd_complete; echo \"\${COMPREPLY[*]}\"")
[ "$got" = BOB ] || fail "cmsconsole <TAB> as BOB offers '$got', expected only BOB"
got=$("${as_nobody[@]}" bash -c ". '$CPD_SOURCE_DIR/packaging/completion/cpd.bash'
    COMP_WORDS=(vmcp ''); COMP_CWORD=1; _cpd_complete; echo \"\${COMPREPLY[*]}\"")
[[ " $got " == *" QUERY "* && " $got " != *" FORCE "* && " $got " != *" SHUTDOWN "* ]] ||
    fail "vmcp <TAB> as BOB (class G) offers: $got"
echo "PASS"
