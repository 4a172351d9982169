# SPDX-License-Identifier: MIT
# Shared helpers of the package tests (sourced, not run): root/tool checks
# that skip with 77, where the .deb is built and kept between the tests, and
# process checks. Expects CPD_BUILD_DIR and CPD_SOURCE_DIR from ctest.
set -euo pipefail

: "${CPD_BUILD_DIR:?set by ctest}" "${CPD_SOURCE_DIR:?set by ctest}"
PKG_STATE=${CPD_BUILD_DIR}/package-test   # .deb, dpkg -L snapshot, logs
mkdir -p "$PKG_STATE"

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
note() { echo "-- $*"; }

# Skips unless root with the named commands available.
require_root_and() {
    [ "$(id -u)" = 0 ] || skip "package tests need root (dpkg -i, users, privilege drop)"
    local c
    for c in "$@"; do
        command -v "$c" >/dev/null 2>&1 || skip "$c is not installed"
    done
}

# Skips unless the package is installed (the install test sets it up).
require_installed() {
    dpkg-query -W -f='${Status}' cpd 2>/dev/null | grep -q 'install ok installed' ||
        skip "package cpd is not installed (package-install failed or did not run)"
}

# The .deb the install test built.
deb_path() {
    local deb
    deb=$(ls "$PKG_STATE"/cpd_*.deb 2>/dev/null | head -n1 || true)
    [ -n "$deb" ] || skip "no .deb built (package-install failed or did not run)"
    echo "$deb"
}

# Pids of processes running a program of the package (cpd or a guest).
package_pids() {
    local p exe
    for p in /proc/[0-9]*; do
        exe=$(readlink "$p/exe" 2>/dev/null) || continue
        case $exe in
            /usr/sbin/cpd | /usr/sbin/cpd\ * | /usr/libexec/cpd/*) echo "${p#/proc/}" ;;
        esac
    done
}

# Waits up to $2 seconds for a line matching regex $1 in file $3.
wait_for_line() {
    local re=$1 secs=$2 file=$3 i
    for ((i = 0; i < secs * 10; i++)); do
        grep -qE "$re" "$file" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

# Waits up to $2 seconds for process $1 to exit; returns its status via wait.
wait_exit() {
    local pid=$1 secs=$2 i
    for ((i = 0; i < secs * 10; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        return 124
    fi
    local rc=0
    wait "$pid" || rc=$?
    return $rc
}
