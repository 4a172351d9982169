#!/bin/bash
# SPDX-License-Identifier: MIT
# Runs lintian on the built .deb and prints every finding; fails on an error
# (E:) whose tag is not justified in lintian-justified.txt.
source "$(dirname "$0")/lib-package.sh"
command -v lintian >/dev/null || skip "lintian is not installed"
deb=$(deb_path)
out=$PKG_STATE/lintian.txt
pkg=$(dpkg-deb -f "$deb" Package || true)
[ -n "$pkg" ] || fail "dpkg-deb cannot read the package name of $deb"
rc=0
lintian --tag-display-limit 0 --display-info "$deb" >"$out" 2>&1 || rc=$?
cat "$out"
# lintian(1): 0 normal, 1 run-time error, 2 a --fail-on condition (default:
# an E: tag). An unreadable .deb also gives 2, but with no tag at all.
case $rc in
    0) ;;
    2) grep -q '^E: ' "$out" || fail "lintian exited 2 without an E: tag (it did not check $deb)" ;;
    *) fail "lintian itself failed (exit $rc) on $deb" ;;
esac
# The run checked our package: findings (--display-info shows I: tags too)
# name it, as in "W: cpd: tag-name details".
grep -Eq "^[EWI]: $pkg: " "$out" || fail "lintian reported nothing for package $pkg: did it check $deb?"
justified=$(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$(dirname "$0")/lintian-justified.txt" | grep . || true)
bad=""
# Lines look like "E: cpd: tag-name details".
for tag in $(awk '$1 == "E:" { print $3 }' "$out" | sort -u); do
    grep -qxF "$tag" <<<"$justified" || bad+=" $tag"
done
[ -z "$bad" ] || fail "unjustified lintian errors:$bad"
echo "PASS: lintian ($(grep -c '^E:' "$out" || true) errors, $(grep -c '^W:' "$out" || true) warnings, all justified)"
