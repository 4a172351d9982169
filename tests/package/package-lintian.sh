#!/bin/bash
# SPDX-License-Identifier: MIT
# Runs lintian on the built .deb and prints every finding; fails on an error
# (E:) whose tag is not justified in lintian-justified.txt.
source "$(dirname "$0")/lib-package.sh"
command -v lintian >/dev/null || skip "lintian is not installed"
deb=$(deb_path)
out=$PKG_STATE/lintian.txt
lintian --tag-display-limit 0 --display-info "$deb" >"$out" 2>&1 || true
cat "$out"
justified=$(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$(dirname "$0")/lintian-justified.txt" | grep . || true)
bad=""
# Lines look like "E: cpd: tag-name details".
for tag in $(awk '$1 == "E:" { print $3 }' "$out" | sort -u); do
    grep -qxF "$tag" <<<"$justified" || bad+=" $tag"
done
[ -z "$bad" ] || fail "unjustified lintian errors:$bad"
echo "PASS: lintian ($(grep -c '^E:' "$out" || true) errors, $(grep -c '^W:' "$out" || true) warnings, all justified)"
