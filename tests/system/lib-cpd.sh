# SPDX-License-Identifier: MIT
# What every system-test helper library shares: the paths of the built
# programs, starting the private cpd on $T/cpd.conf and waiting for a server
# (that cpd, or lib-fake-cpd.sh's stand-in) to be ready, and stopping cpd
# politely (SIGTERM, then SIGKILL after 5 s) and removing its temp directory.
# Sourced by lib-vmtools.sh and lib-console.sh, which define fail; excluded
# from ctest by name.
# shellcheck shell=bash disable=SC2034 # the paths are for the sourcing scripts

: "${CPD_BUILD_DIR:?CPD_BUILD_DIR must name the build tree}"
CPD=$CPD_BUILD_DIR/cpd/cpd
CMSCONSOLE=$CPD_BUILD_DIR/cpd/cli/cmsconsole
VMCP=$CPD_BUILD_DIR/cpd/cli/vmcp
VMSEND=$CPD_BUILD_DIR/cpd/cli/vmsend
VMUR=$CPD_BUILD_DIR/cpd/cli/vmur
CPD_PID=
T=

# guest_uid_conf: cpd.conf lines giving this test's cpd guest uids of its own
# (256 from 0x71010000 up, by shell pid): cpds sharing a range refuse to start,
# so two tests running at once must not share one. With 4096 slots, two
# tests whose pids were 4096 apart did, and one failed at once ("range in
# use"). 32768 slots (up to 0x7180ffff, below bench-spool.sh's): under a
# pid_max of 32768, as here, no two live shells share a slot.
guest_uid_conf() {
    echo "guest_uid_base = $((0x71010000 + ($$ % 32768) * 256))"
    echo "guest_uid_count = 256"
}

# await_ready PID WHAT CHECK...: re-runs CHECK every 50 ms until it succeeds;
# fails at once if PID exits first, so a server that cannot start is reported
# rather than waited out, and fails after 5 s if it never gets ready.
await_ready() {
    local pid=$1 what=$2 _
    shift 2
    for _ in $(seq 100); do
        "$@" && return 0
        kill -0 "$pid" 2>/dev/null || fail "$what exited at start"
        sleep 0.05
    done
    fail "$what did not start"
}

# wait_for_cpd_socket PATH: waits (5 s) until cpd ($CPD_PID) listens on PATH.
wait_for_cpd_socket() {
    await_ready "$CPD_PID" "cpd (socket $1)" test -S "$1"
}

# launch_cpd: runs cpd on $T/cpd.conf in the background (output in
# $T/cpd.log, pid in $CPD_PID), points the tools at $T/cpd.sock through
# CPD_SOCKET and waits until cpd listens there. The config must name that socket.
launch_cpd() {
    export CPD_SOCKET=$T/cpd.sock
    "$CPD" --config "$T/cpd.conf" >"$T/cpd.log" 2>&1 &
    CPD_PID=$!
    wait_for_cpd_socket "$CPD_SOCKET"
}

# stop_cpd_process: stops $CPD_PID if it runs and removes $T.
stop_cpd_process() {
    if [ -n "$CPD_PID" ] && kill -0 "$CPD_PID" 2>/dev/null; then
        kill -TERM "$CPD_PID" 2>/dev/null
        for _ in $(seq 50); do
            kill -0 "$CPD_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$CPD_PID" 2>/dev/null
        wait "$CPD_PID" 2>/dev/null
    fi
    CPD_PID=
    if [ -n "$T" ]; then
        rm -rf "$T"
    fi
}
