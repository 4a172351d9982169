#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench-spool: a 100 MB file through cpd's spool, against cp of the same file
# on the host, in the same run (issue 18, point 7). Starts a private cpd with
# CMS guests ALICE and BOB, then times RUNS times each:
#   cp            cp of the file to another file on the same disk (baseline)
#   cp + fsync    the same, synced (the spool syncs every file it closes)
#   vmur punch    vmur punch -r of the file into the caller's reader
#   SENDFILE      ALICE's SENDFILE of it to BOB (through cmsconsole, to Ready;),
#                 in NETDATA (the default) and ( OLD (cpd's own format)
# and prints median MB/s and the ratio to cp's median. The spool files are
# purged between runs. Usage: CPD_BUILD_DIR=build bench-spool.sh [RUNS] [MB]
set -u
: "${CPD_BUILD_DIR:?CPD_BUILD_DIR must name the build tree}"
RUNS=${1:-5}
MB=${2:-100}
CPD=$CPD_BUILD_DIR/cpd/cpd
VMCP=$CPD_BUILD_DIR/cpd/cli/vmcp
VMUR=$CPD_BUILD_DIR/cpd/cli/vmur
CMSCONSOLE=$CPD_BUILD_DIR/cpd/cli/cmsconsole
T=$(mktemp -d /tmp/cpd-bench-spool.XXXXXX)
chmod 755 "$T"
CPD_PID=
cleanup() {
    [ -n "$CPD_PID" ] && kill "$CPD_PID" 2>/dev/null && wait "$CPD_PID" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
die() { echo "bench-spool: error: $*" >&2; exit 1; }

mkdir -p "$T/alice191" "$T/bob191"
chmod 777 "$T/alice191" "$T/bob191"
head -c $((MB * 1000000)) /dev/urandom >"$T/alice191/big.bin"
chmod 644 "$T/alice191/big.bin"
cat >"$T/user.direct" <<DIRECT
USER OPERATOR NOPASS 16M 16M ABCDEFG
 IPL SINK
 POSIXINFO UID $(id -u)
USER ALICE NOPASS 64M 64M G
 IPL CMS
 MDISK 0191 $T/alice191 MR A
USER BOB NOPASS 64M 64M G
 IPL CMS
 MDISK 0191 $T/bob191 MR A
DIRECT
cat >"$T/cpd.conf" <<CONF
directory = user.direct
socket = $T/cpd.sock
state_dir = $T/state
guest_dir = $CPD_BUILD_DIR/guest-programs
guest_uid_base = $((0x71810000 + ($$ % 4096) * 256))
guest_uid_count = 256
spool_mib = $((MB * 4))
latency_hold_ms = 0
CONF
export CPD_SOCKET=$T/cpd.sock
"$CPD" --config "$T/cpd.conf" >"$T/cpd.log" 2>&1 &
CPD_PID=$!
for _ in $(seq 100); do [ -S "$CPD_SOCKET" ] && break; sleep 0.05; done
[ -S "$CPD_SOCKET" ] || die "cpd did not start: $(cat "$T/cpd.log")"
printf "QUERY DISK\n" | "$CMSCONSOLE" ALICE >"$T/alice.logon" 2>&1 || die "ALICE did not log on: $(cat "$T/alice.logon") $(tail -5 "$T/cpd.log")"
printf 'QUERY DISK\n' | "$CMSCONSOLE" BOB >/dev/null 2>&1 || die "BOB did not log on"

now() { date +%s.%N; }
declare -A secs
time_one() { # NAME CMD...: appends the seconds CMD took to secs[NAME]
    local name=$1 t0 t1
    shift
    t0=$(now)
    "$@" || die "$name failed"
    t1=$(now)
    secs[$name]+="$(echo "$t1 - $t0" | bc -l) "
}
cp_plain() { cp "$T/alice191/big.bin" "$T/copy.bin"; }
cp_sync() { cp "$T/alice191/big.bin" "$T/copy.bin" && sync "$T/copy.bin"; }
punch() { "$VMUR" punch -r -N big.bin "$T/alice191/big.bin" >/dev/null; }
sendfile() { # NETDATA, SENDFILE's default; `old` for cpd's own earlier format
    printf 'SENDFILE BIG BIN A TO BOB%s\n' "${1:+ ( OLD}" | "$CMSCONSOLE" ALICE >"$T/sf.out" 2>&1 &&
        grep -q "^File BIG BIN A sent to BOB" "$T/sf.out"
}
for _ in $(seq "$RUNS"); do
    time_one cp cp_plain
    rm -f "$T/copy.bin"
    time_one cp_sync cp_sync
    rm -f "$T/copy.bin"
    time_one punch punch
    "$VMCP" purge rdr all >/dev/null
    time_one sendfile sendfile
    "$VMCP" purge bob rdr all >/dev/null
    time_one sendfile_old sendfile old
    "$VMCP" purge bob rdr all >/dev/null
done

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
cp_med=$(echo "${secs[cp]}" | median)
printf '%-46s %10s %10s %10s\n' "path ($MB MB, $RUNS runs)" "median s" "MB/s" "vs cp"
for name in cp cp_sync punch sendfile sendfile_old; do
    case $name in
        cp) label="cp on the host (baseline)" ;;
        cp_sync) label="cp + fsync on the host" ;;
        punch) label="vmur punch -r (host -> reader)" ;;
        sendfile) label="CMS SENDFILE ALICE -> BOB (NETDATA, to Ready;)" ;;
        sendfile_old) label="CMS SENDFILE ( OLD (cpd's format)" ;;
    esac
    med=$(echo "${secs[$name]}" | median)
    printf '%-46s %10.3f %10.1f %9.0f%%\n' "$label" "$med" "$(echo "$MB / $med" | bc -l)" \
        "$(echo "100 * $cp_med / $med" | bc -l)"
done
