#!/bin/bash
# SPDX-License-Identifier: MIT
# Removal: with a cpd (and its guests) running from the package, `dpkg -r cpd`
# stops them and removes every file but the configuration; `dpkg -P cpd` then
# removes the configuration and the state. Runs last (fixture cleanup).
source "$(dirname "$0")/lib-package.sh"
source "$(dirname "$0")/lib-daemon.sh"
require_root_and python3 dpkg-query
require_installed

make_tree
trap stop_all EXIT
cat >"$T/user.direct" <<'DIRECT'
USER OPERATOR NOPASS 64M 128M ABCDEFG
 POSIXINFO UID 0
USER ECHO NOPASS 16M 16M G
 IPL ECHO
DIRECT
write_config "ECHO"
start_cpd
wait_guest ECHO 10 || fail "no process cpd:ECHO"
[ -n "$(package_pids)" ] || fail "package_pids does not see the running cpd"

dpkg -L cpd | sort >"$T/files.txt"
dpkg-query -W -f='${Conffiles}\n' cpd | awk 'NF { print $1 }' >"$T/conffiles.txt"
note "dpkg -r cpd (cpd pid $CPD_PID running)"
dpkg -r cpd >"$T/dpkg-r.log" 2>&1 || { cat "$T/dpkg-r.log"; fail "dpkg -r failed"; }
wait "$CPD_PID" 2>/dev/null || true
CPD_PID=""
left=$(package_pids)
[ -z "$left" ] || fail "processes left after dpkg -r: $(ps -o pid=,user=,args= -p ${left// /,})"

# Every file of the package is gone except the conffiles.
while read -r f; do
    [ -n "$f" ] || continue
    if grep -qxF "$f" "$T/conffiles.txt"; then
        [ -e "$f" ] || fail "conffile $f was removed by dpkg -r"
    elif [ -e "$f" ] && [ ! -d "$f" ]; then
        fail "$f is left after dpkg -r"
    fi
done <"$T/files.txt"
for d in /usr/libexec/cpd /usr/include/cpd /usr/share/doc/cpd /run/cpd; do
    [ ! -e "$d" ] || fail "$d is left after dpkg -r"
done
dpkg-query -W -f='${Status}' cpd | grep -q 'config-files' || fail "cpd is not in state config-files"

note "dpkg -P cpd"
dpkg -P cpd >"$T/dpkg-p.log" 2>&1 || { cat "$T/dpkg-p.log"; fail "dpkg -P failed"; }
for d in /etc/cpd /var/lib/cpd; do
    [ ! -e "$d" ] || fail "$d is left after dpkg -P"
done
if dpkg-statoverride --list /etc/cpd/user.direct >/dev/null; then
    fail "a stat override is left for /etc/cpd/user.direct"
fi
echo "PASS: dpkg -r stops cpd and keeps only configuration; dpkg -P removes it"
