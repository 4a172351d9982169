# SPDX-License-Identifier: MIT
# Shared by the cmsconsole-*.sh system tests: a private cpd (own temp dir,
# directory, config, socket) with CMS guests ALICE and BOB on minidisks that
# are temp host directories, and helpers to run cmsconsole in pipe mode and
# check its output and exit status. Sourced, never run; excluded from ctest.
# shellcheck shell=bash
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib-cpd.sh"

RC=0
BACKGROUND_PIDS=()

fail() {
    echo "FAIL: $*" >&2
    if [ -n "$T" ]; then
        [ -f "$T/out" ] && { echo "---- last stdout ----" >&2; cat "$T/out" >&2; }
        [ -f "$T/err" ] && { echo "---- last stderr ----" >&2; cat "$T/err" >&2; }
        [ -f "$T/cpd.log" ] && { echo "---- cpd log ----" >&2; tail -n 30 "$T/cpd.log" >&2; }
    fi
    exit 1
}

stop_cpd() {
    local p
    for p in "${BACKGROUND_PIDS[@]}"; do
        kill -TERM "$p" 2>/dev/null
        wait "$p" 2>/dev/null
    done
    BACKGROUND_PIDS=()
    stop_cpd_process
}

# start_cpd [CONF-LINE...]: cpd with OPERATOR (this host user, classes A-G),
# ALICE and BOB (CMS, class G, A-disk 191 R/W; ALICE also has a R/O 192 at
# B holding README TEXT), NOLOGGER (NOLOG) and ECHO. Extra cpd.conf lines
# (e.g. "console_replay_lines = 5") come as arguments. Nothing is logged on.
start_cpd() {
    [ -x "$CPD" ] || fail "cpd not built at $CPD"
    [ -x "$CMSCONSOLE" ] || fail "cmsconsole not built at $CMSCONSOLE"
    [ -x "$CPD_BUILD_DIR/guest-programs/cpd-guest-cms" ] || fail "cpd-guest-cms not built"
    T=$(mktemp -d /tmp/cpd-console.XXXXXX) || fail "mktemp"
    trap stop_cpd EXIT
    # Guests run under uids of their own when cpd runs as root: they pass
    # through $T to their disks, whose access cpd grants by ACL.
    chmod 755 "$T"
    mkdir -p "$T/disks/alice191" "$T/disks/alice192" "$T/disks/bob191" "$T/home"
    printf 'Hello from the read-only disk\nSecond line\n' >"$T/disks/alice192/readme.text"
    chmod 777 "$T/disks/alice191" "$T/disks/bob191"
    chmod 755 "$T/disks/alice192"
    cat >"$T/user.direct" <<DIRECT
USER OPERATOR NOPASS 16M 16M ABCDEFG
 IPL SINK
 POSIXINFO UID $(id -u)
USER ALICE NOPASS 32M 64M G
 IPL CMS
 MDISK 0191 $T/disks/alice191 MR A
 MDISK 0192 $T/disks/alice192 RR B
USER BOB NOPASS 32M 64M G
 IPL CMS
 MDISK 0191 $T/disks/bob191 MR A
USER ECHO NOPASS 16M 16M G
 IPL ECHO
USER NOLOGGER NOLOG
DIRECT
    {
        echo "directory = user.direct"
        echo "socket = $T/cpd.sock"
        echo "state_dir = $T/state"
        guest_uid_conf
        echo "guest_dir = $CPD_BUILD_DIR/guest-programs"
        echo "grace_seconds = 2"
        echo "log_level = info"
        echo "latency_hold_ms = 0" # system-wide; integration.latency_hold reads it
        local line
        for line in "$@"; do
            echo "$line"
        done
    } >"$T/cpd.conf"
    export XDG_STATE_HOME=$T/home
    launch_cpd
}

# console [OPTION...] USERID < input: cmsconsole in pipe mode; stdout in
# $T/out, stderr in $T/err, exit status in $RC.
console() {
    "$CMSCONSOLE" "$@" >"$T/out" 2>"$T/err"
    RC=$?
}

# cms USERID LINE...: sends the lines to USERID's console in pipe mode.
cms() {
    local id=$1
    shift
    console "$id" < <(printf '%s\n' "$@")
}

# expect_rc N: the last console exited with N.
expect_rc() {
    [ "$RC" -eq "$1" ] || fail "cmsconsole exited $RC, expected $1"
}

# expect_out EXTENDED-REGEX: some stdout line of the last console matches.
expect_out() {
    grep -Eq -- "$1" "$T/out" || fail "stdout has no line matching: $1"
}

# expect_no_out EXTENDED-REGEX: no stdout line of the last console matches.
expect_no_out() {
    ! grep -Eq -- "$1" "$T/out" || fail "stdout unexpectedly matches: $1"
}

# expect_err EXTENDED-REGEX: some stderr line of the last console matches.
expect_err() {
    grep -Eq -- "$1" "$T/err" || fail "stderr has no line matching: $1"
}

# expect_lines "LINE"...: stdout holds exactly these lines, in this order, as a
# contiguous block (fixed strings).
expect_lines() {
    python3 - "$T/out" "$@" <<'PY' || fail "stdout lacks the block: $(printf '[%s] ' "$@")"
import sys
lines = open(sys.argv[1], encoding="utf-8", errors="replace").read().split("\n")
want = sys.argv[2:]
ok = any(lines[i:i + len(want)] == want for i in range(len(lines) - len(want) + 1))
sys.exit(0 if ok else 1)
PY
}

# names: QUERY NAMES as the operator, one "USERID - TERM" entry per line.
names() {
    "$VMCP" q n 2>/dev/null | tr ',' '\n' | sed 's/^ *//; s/ *$//'
}

# wait_until SECONDS CMD...: re-runs CMD every 50 ms until it succeeds.
wait_until() {
    local limit=$(($1 * 20))
    shift
    for _ in $(seq "$limit"); do
        "$@" && return 0
        sleep 0.05
    done
    return 1
}

# is_logged_on USERID / is_logged_off USERID: per QUERY NAMES.
is_logged_on() { names | grep -q "^$1 "; }
is_logged_off() { ! names | grep -q "^$1 "; }

# ---- consoles kept running in the background, fed through a FIFO ---------
declare -A BG_PID BG_FD

# bg_console NAME [OPTION...] USERID: starts cmsconsole in pipe mode reading
# $T/NAME.in (a FIFO kept open by this shell); output in $T/NAME.out/.err.
bg_console() {
    local name=$1
    shift
    mkfifo "$T/$name.in" || fail "mkfifo"
    (
        for fd in "${BG_FD[@]}"; do # other consoles' input must not leak into this one
            exec {fd}>&-
        done
        exec "$CMSCONSOLE" "$@"
    ) <"$T/$name.in" >"$T/$name.out" 2>"$T/$name.err" &
    BG_PID[$name]=$!
    BACKGROUND_PIDS+=("$!")
    local fd
    exec {fd}>"$T/$name.in"
    BG_FD[$name]=$fd
}

# bg_send NAME LINE...: types lines at a background console.
bg_send() {
    local name=$1
    shift
    printf '%s\n' "$@" >&"${BG_FD[$name]}" || fail "cannot write to console $name"
}

# bg_wait NAME out|err EXTENDED-REGEX: waits (5 s) until that output matches.
bg_wait() {
    wait_until 5 grep -Eq -- "$3" "$T/$1.$2" ||
        fail "console $1: $2 has no line matching '$3'; it has: $(cat "$T/$1.$2")"
}

# is_gone PID: the process has exited (a zombie not yet waited for counts).
is_gone() {
    local st
    st=$(ps -o stat= -p "$1" 2>/dev/null)
    [ -z "$st" ] || [ "${st#Z}" != "$st" ]
}

# bg_end NAME: closes its input and waits (5 s) for it to exit; status in $RC.
bg_end() {
    local pid=${BG_PID[$1]} fd=${BG_FD[$1]}
    exec {fd}>&-
    wait_until 5 is_gone "$pid" || fail "console $1 did not exit"
    wait "$pid"
    RC=$?
}

# bg_exited NAME: waits (5 s) for it to exit on its own; status in $RC.
bg_exited() {
    local pid=${BG_PID[$1]}
    wait_until 5 is_gone "$pid" || fail "console $1 did not exit"
    wait "$pid"
    RC=$?
}

# bg_wait_count NAME out|err EXTENDED-REGEX N: waits (5 s) until N lines match.
bg_wait_count() {
    wait_until 5 sh -c "[ \$(grep -Ec -- '$3' '$T/$1.$2') -ge $4 ]" ||
        fail "console $1: $2 has fewer than $4 lines matching '$3': $(cat "$T/$1.$2")"
}

# ---- a real terminal: a tmux pane ------------------------------------------
TMUX_SOCK=

# Shell text that prints TTY-RESTORED when the terminal is back in cooked
# mode (canonical input and echo on). Whole words only: "-icanon" must not count.
TTY_RESTORED_CHECK="stty -a | tr -s ' ;' '\n\n' | grep -qx icanon && \
stty -a | tr -s ' ;' '\n\n' | grep -qx echo && echo TTY-RESTORED"

# tmux_start COMMAND: runs COMMAND in a detached 120x40 pane of a private tmux
# server (stopped on exit, with cpd); skips the test (77) without tmux.
tmux_start() {
    command -v tmux >/dev/null || { echo "SKIP: tmux not installed"; exit 77; }
    TMUX_SOCK=$T/tmux.sock
    trap 'tmux -S "$TMUX_SOCK" kill-server 2>/dev/null; stop_cpd' EXIT
    tmux -S "$TMUX_SOCK" -f /dev/null new-session -d -x 120 -y 40 "$1" || fail "tmux new-session"
}

# screen / keys KEY...: what the pane shows now / types keys at it.
screen() { tmux -S "$TMUX_SOCK" capture-pane -p; }
keys() { tmux -S "$TMUX_SOCK" send-keys "$@"; }
# screen_has EXTENDED-REGEX / last_line_is TEXT: checks on the pane now.
screen_has() { screen | grep -Eq -- "$1"; }
last_line_is() { [ "$(screen | sed '/^$/d' | tail -n 1)" = "$1" ]; }
# expect_screen CHECK...: waits (5 s) until the check holds; fails showing the pane.
expect_screen() { wait_until 5 "$@" || fail "pane ($*):"$'\n'"$(screen)"; }
# pane_child NAME: the pid of the pane shell's child process called NAME.
pane_child() {
    pgrep -P "$(tmux -S "$TMUX_SOCK" display-message -p '#{pane_pid}')" -x "$1"
}
