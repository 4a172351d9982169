# SPDX-License-Identifier: MIT
# What every system-test helper library shares: stopping the private cpd
# politely (SIGTERM, then SIGKILL after 5 s) and removing its temp directory.
# Sourced by lib-vmtools.sh and lib-console.sh; excluded from ctest by name.
# shellcheck shell=bash

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
