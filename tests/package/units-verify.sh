#!/bin/bash
# SPDX-License-Identifier: MIT
# The generated cpd.service and cpd.socket pass `systemd-analyze verify`
# (ExecStart pointed at a stand-in, since cpd need not be installed), carry
# the settings the service contract needs (per-guest uids: exactly the three
# capabilities, KillMode=mixed, descriptor and task limits for thousands of
# guests, no PrivateUsers=), keep an exposure score of 2.5 or better in
# `systemd-analyze security --offline=true`, and sysusers.d creates user cpd.
source "$(dirname "$0")/lib-package.sh"
command -v systemd-analyze >/dev/null || skip "systemd-analyze is not installed"

gen=$CPD_BUILD_DIR/packaging/generated
[ -f "$gen/cpd.service" ] && [ -f "$gen/cpd.socket" ] || fail "units not generated in $gen"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A stand-in executable at the same name, so verify can check ExecStart.
mkdir -p "$tmp/sbin" "$tmp/units"
printf '#!/bin/sh\nexit 0\n' >"$tmp/sbin/cpd"
chmod 0755 "$tmp/sbin/cpd"
exec_start=$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' "$gen/cpd.service")
[ "${exec_start##*/}" = cpd ] || fail "ExecStart does not run cpd: $exec_start"
sed "s|^ExecStart=$exec_start|ExecStart=$tmp/sbin/cpd|" "$gen/cpd.service" >"$tmp/units/cpd.service"
cp "$gen/cpd.socket" "$tmp/units/cpd.socket"

note "systemd-analyze verify --man=no cpd.service cpd.socket"
if ! systemd-analyze verify --man=no "$tmp/units/cpd.service" "$tmp/units/cpd.socket" >"$tmp/verify.log" 2>&1; then
    cat "$tmp/verify.log"
    fail "systemd-analyze verify rejected the units"
fi
if grep -v 'Failed to connect\|bus' "$tmp/verify.log" | grep -q .; then
    cat "$tmp/verify.log"
    fail "systemd-analyze verify printed warnings"
fi

# A deliberately broken copy must be rejected (the check itself works).
sed 's/^Type=notify$/Type=notify-reload-bogus/' "$tmp/units/cpd.service" >"$tmp/units/broken.service"
if systemd-analyze verify --man=no "$tmp/units/broken.service" >/dev/null 2>&1 &&
    ! systemd-analyze verify --man=no "$tmp/units/broken.service" 2>&1 | grep -q .; then
    fail "systemd-analyze verify accepted a broken unit: the check proves nothing"
fi

# The settings the service contract relies on.
for want in '^Type=notify$' '^NotifyAccess=main$' '^ExecReload=/bin/kill -HUP \$MAINPID$' \
    '^Restart=on-failure$' '^RestartPreventExitStatus=78$' '^User=cpd$' '^RuntimeDirectory=cpd$' \
    '^StateDirectory=cpd$' '^ConfigurationDirectory=cpd$' '^UMask=0077$' '^WatchdogSec=' \
    '^TimeoutStopSec=' '^NoNewPrivileges=yes$' '^ExecStart=/.*/cpd --config /.*etc/cpd/cpd.conf$' \
    '^ExecStartPost=-\+/bin/chown root /run/cpd/cpd.sock$'; do
    grep -qE "$want" "$gen/cpd.service" || fail "cpd.service lacks $want"
done
for want in '^KillMode=mixed$' '^LimitNOFILE=' '^TasksMax=' '^ProtectProc=noaccess$' \
    '^SystemCallFilter=@system-service$' \
    '^SystemCallFilter=landlock_create_ruleset landlock_add_rule landlock_restrict_self seccomp$'; do
    grep -qE "$want" "$gen/cpd.service" || fail "cpd.service lacks $want"
done
# Exactly CAP_SETUID CAP_SETGID CAP_KILL, in one line each (lines would merge).
for key in AmbientCapabilities CapabilityBoundingSet; do
    [ "$(grep -c "^$key=" "$gen/cpd.service")" = 1 ] || fail "cpd.service needs exactly one $key= line"
    caps=$(sed -n "s/^$key=//p" "$gen/cpd.service" | tr ' ' '\n' | sed '/^$/d' | sort | tr '\n' ' ')
    [ "$caps" = "CAP_KILL CAP_SETGID CAP_SETUID " ] ||
        fail "$key is '$caps', expected CAP_SETUID CAP_SETGID CAP_KILL"
done
# PrivateUsers= would map every guest uid to nobody; DynamicUser= implies it.
for never in PrivateUsers DynamicUser; do
    if grep -q "^$never=" "$gen/cpd.service"; then fail "cpd.service sets $never="; fi
done
# Enough descriptors and tasks for 10,000 guests (about 5 descriptors each).
nofile=$(sed -n 's/^LimitNOFILE=\(.*:\)\{0,1\}\([0-9]*\|infinity\)$/\2/p' "$gen/cpd.service")
[ "$nofile" = infinity ] || [ "${nofile:-0}" -ge 65536 ] ||
    fail "LimitNOFILE hard limit '$nofile' is below 65536"
tasks=$(sed -n 's/^TasksMax=//p' "$gen/cpd.service")
[ "$tasks" = infinity ] || { [[ $tasks =~ ^[0-9]+$ ]] && [ "$tasks" -ge 10000 ]; } ||
    fail "TasksMax '$tasks' is below 10000 (or not a number)"

# The exposure score: the capabilities cost a little, nothing may cost more.
max_exposure=2.5
exposure_of() { # <unit file> -> the number on the "Overall exposure level" line
    local out
    out=$(cd "$(dirname "$1")" && systemd-analyze security --offline=true --no-pager "$1" 2>&1) ||
        { echo "$out" >&2; fail "systemd-analyze security --offline=true failed on ${1##*/}"; }
    sed -n 's/.*Overall exposure level for [^:]*: *\([0-9][0-9.]*\).*/\1/p' <<<"$out" | head -n1
}
exposure=$(exposure_of "$tmp/units/cpd.service")
[ -n "$exposure" ] || fail "no 'Overall exposure level' line from systemd-analyze security"
note "systemd-analyze security --offline=true cpd.service: exposure $exposure (at most $max_exposure)"
awk -v e="$exposure" -v m="$max_exposure" 'BEGIN { exit !(e + 0 <= m + 0) }' ||
    fail "cpd.service exposure $exposure is above $max_exposure"
# A copy without its hardening must score above the limit (the check works).
mkdir -p "$tmp/weak"
grep -vE '^(NoNewPrivileges|Capability|Ambient|Protect|Private|Restrict|SystemCall|LockPersonality|MemoryDeny|RemoveIPC|UMask)' \
    "$tmp/units/cpd.service" >"$tmp/weak/cpd.service"
weak=$(exposure_of "$tmp/weak/cpd.service")
note "the same without its hardening: exposure $weak"
awk -v e="$weak" -v m="$max_exposure" 'BEGIN { exit !(e + 0 > m + 0) }' ||
    fail "an unhardened copy scored '$weak', not above $max_exposure: the score check proves nothing"

# The CPU latency device: the udev rule's group is the one group the unit adds
# to cpd, the unit lets that device (and only it) into its private /dev, the
# rule gives the group read-write and others nothing, and sysusers.d creates
# the group with no members (guests never get it; cpd clears it in each).
rule=$CPD_SOURCE_DIR/packaging/udev/60-cpd-latency.rules
[ -f "$rule" ] || fail "no udev rule $rule"
rule_line=$(grep -v '^[[:space:]]*#' "$rule" | grep 'cpu_dma_latency') || fail "the udev rule names no cpu_dma_latency"
[ "$(grep -cv '^[[:space:]]*\(#\|$\)' "$rule")" = 1 ] || fail "the udev rule should be one line"
rule_value() { sed -n "s/.*[[:space:],]$1=\"\([^\"]*\)\".*/\1/p" <<<", $rule_line"; }
kernel=$(sed -n 's/.*KERNEL=="\([^"]*\)".*/\1/p' <<<"$rule_line")
rule_group=$(rule_value GROUP)
rule_mode=$(rule_value MODE)
[ "$kernel" = cpu_dma_latency ] || fail "udev rule KERNEL is '$kernel'"
[ -n "$rule_group" ] || fail "udev rule sets no GROUP"
[ "$rule_mode" = 0660 ] || fail "udev rule MODE is '$rule_mode', expected 0660 (group rw, others nothing)"
! grep -q 'OWNER=' <<<"$rule_line" || fail "udev rule gives the device an owner; only its group changes"
[ "$(grep -c '^SupplementaryGroups=' "$gen/cpd.service")" = 1 ] || fail "cpd.service needs one SupplementaryGroups= line"
unit_groups=$(sed -n 's/^SupplementaryGroups=//p' "$gen/cpd.service")
[ "$unit_groups" = "$rule_group" ] ||
    fail "cpd.service SupplementaryGroups='$unit_groups', the udev rule's GROUP='$rule_group'"
[ "$(sed -n 's/^DeviceAllow=//p' "$gen/cpd.service")" = "/dev/$kernel rw" ] ||
    fail "cpd.service DeviceAllow= is '$(sed -n 's/^DeviceAllow=//p' "$gen/cpd.service")', expected '/dev/$kernel rw'"
grep -q '^PrivateDevices=yes$' "$gen/cpd.service" || fail "cpd.service lost PrivateDevices=yes"
[ "$(sed -n 's/^BindPaths=//p' "$gen/cpd.service")" = "-/dev/$kernel" ] ||
    fail "cpd.service does not bind /dev/$kernel (optional) into its private /dev"
grep -qE "^g $rule_group -\$" "$CPD_SOURCE_DIR/packaging/sysusers.d/cpd.conf" ||
    fail "sysusers.d/cpd.conf does not create group $rule_group"
! grep -qE "^m [^ ]+ $rule_group\$" "$CPD_SOURCE_DIR/packaging/sysusers.d/cpd.conf" ||
    fail "sysusers.d/cpd.conf makes someone a member of $rule_group"
grep -q "addgroup --system --quiet $rule_group" "$CPD_SOURCE_DIR/packaging/debian/postinst" ||
    fail "postinst's fallback (no systemd-sysusers) does not create group $rule_group"
note "udev rule: /dev/$kernel group $rule_group mode $rule_mode = cpd.service SupplementaryGroups, DeviceAllow, BindPaths"

for want in '^ListenStream=/run/cpd/cpd.sock$' '^SocketGroup=cpd$' '^SocketMode=0660$'; do
    grep -qE "$want" "$gen/cpd.socket" || fail "cpd.socket lacks $want"
done

# sysusers.d: a system user and group cpd with home /var/lib/cpd and no shell.
if command -v systemd-sysusers >/dev/null; then
    mkdir -p "$tmp/root/etc"
    systemd-sysusers --root="$tmp/root" "$CPD_SOURCE_DIR/packaging/sysusers.d/cpd.conf" >/dev/null 2>&1 ||
        fail "systemd-sysusers rejected sysusers.d/cpd.conf"
    grep -qE '^cpd:x:[0-9]+:[0-9]+:[^:]*:/var/lib/cpd:/usr/sbin/nologin$' "$tmp/root/etc/passwd" ||
        fail "sysusers.d did not create user cpd as expected: $(cat "$tmp/root/etc/passwd")"
    grep -qE '^cpd:x:[0-9]+:' "$tmp/root/etc/group" || fail "sysusers.d did not create group cpd"
    grep -qE "^$rule_group:x:[0-9]+:\$" "$tmp/root/etc/group" ||
        fail "sysusers.d did not create group $rule_group without members: $(cat "$tmp/root/etc/group")"
    uid=$(awk -F: '$1 == "cpd" { print $3 }' "$tmp/root/etc/passwd")
    [ "$uid" -lt 1000 ] || fail "user cpd is not a system user (uid $uid)"
fi
echo "PASS: units verify"
