#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench-rexx: what an EXEC costs in cpd's CMS (issue 16, point 11). A
# program, not a test: it starts its own cpd with a CMS guest (as the system
# tests do) and prints one table, each row the median of REPS runs with its
# baseline measured in the same run:
#   1. a trivial EXEC typed N times through cmsconsole in pipe mode, against
#      a built-in command (STATE) through the same pipe;
#   2. the same EXEC called N times from an EXEC (as a command through
#      ADDRESS CMS, and as an external function), against an internal
#      REXX routine call;
#   3. a CPU-bound REXX loop (LOOPS iterations of arithmetic) under cpd's
#      CMS against the same program under the `regina` command: embedding
#      must cost under 10 %.
# The CPU rows alternate the two runs CPU_REPS times: on a shared machine a
# single run varies by 20 %.
# Usage: CPD_BUILD_DIR=build tests/bench/rexx/bench-rexx.sh [N [REPS [LOOPS [CPU_REPS]]]]
N=${1:-10000}
REPS=${2:-3}
LOOPS=${3:-1000000}
CPU_REPS=${4:-9}
: "${CPD_BUILD_DIR:?CPD_BUILD_DIR must name the build tree}"
CPD_BUILD_DIR=$(cd "$CPD_BUILD_DIR" && pwd)
. "$(dirname "$0")/../../system/lib-console.sh"
command -v regina >/dev/null || { echo "bench-rexx: the regina command is missing (apt-get install regina-rexx)" >&2; exit 1; }
start_cpd
A=$T/disks/alice191
printf '%s\n' "/* trivial */" "exit 0" >"$A/t.exec"
printf '%s\n' "/* calls T N times as a command, as a function, and an internal routine */" \
    "parse arg n" \
    "call time 'R'; do n; 'T'; end; cmd = time('R')" \
    "do n; x = t(); end; fn = time('R')" \
    "do n; call local; end; internal = time('R')" \
    "say 'LOOP' cmd fn internal" "exit" "local: return 0" >"$A/callt.exec"
printf '%s\n' "/* CPU-bound */" "parse arg n" "call time 'R'" "s = 0" \
    "do i = 1 to n; s = s + i * 2 - 1; end" "say 'CPUTIME' time('E') s" >"$A/cpu.exec"
cp "$A/cpu.exec" "$T/cpu.rexx"
console ALICE </dev/null # log on

# pipe SECONDS-PER-CALL: N lines of $1 through cmsconsole; µs per line.
pipe_us() {
    local start end
    start=$(date +%s%N)
    yes "$1" | head -n "$N" | "$CMSCONSOLE" ALICE >"$T/pipe.out" 2>&1 ||
        fail "cmsconsole failed: $(tail -3 "$T/pipe.out")"
    end=$(date +%s%N)
    [ "$(grep -c '^Ready' "$T/pipe.out")" -ge "$N" ] || fail "not every $1 answered Ready"
    echo $(((end - start) / N / 1000))
}

declare -a pipe_exec pipe_builtin loop_cmd loop_fn loop_internal cms_cpu regina_cpu
for _ in $(seq "$REPS"); do
    pipe_exec+=("$(pipe_us T)")
    pipe_builtin+=("$(pipe_us 'STATE T EXEC A')")
    cms ALICE "CALLT $N"
    # The attach replays earlier output too: the last line is this run's.
    read -r _ c f i < <(grep '^LOOP ' "$T/out" | tail -n 1)
    loop_cmd+=("$c") loop_fn+=("$f") loop_internal+=("$i")
done
for _ in $(seq "$CPU_REPS"); do
    cms ALICE "CPU $LOOPS"
    cms_cpu+=("$(awk '/^CPUTIME /{t = $2} END {print t}' "$T/out")")
    regina_cpu+=("$(regina "$T/cpu.rexx" "$LOOPS" | awk '/^CPUTIME /{print $2}')")
done

python3 - "$N" "$LOOPS" "${pipe_exec[*]}" "${pipe_builtin[*]}" "${loop_cmd[*]}" "${loop_fn[*]}" \
    "${loop_internal[*]}" "${cms_cpu[*]}" "${regina_cpu[*]}" <<'PY'
import statistics, sys
n, loops = int(sys.argv[1]), int(sys.argv[2])
pe, pb, lc, lf, li, cc, rc = ([float(x) for x in a.split()] for a in sys.argv[3:10])
med = statistics.median
print(f"EXEC cost: medians of {len(pe)} runs (CPU rows: {len(cc)}); N = {n} calls, "
      f"CPU loop = {loops} iterations")
print(f"{'measurement':<52} {'value':>10} {'baseline':>10} {'ratio':>7}")
def row(name, v, b, unit, digits=1):
    print(f"{name:<52} {v:>8.{digits}f}{unit} {b:>8.{digits}f}{unit} {v / b:>7.2f}")
row("pipe mode: trivial EXEC vs STATE (us/call)", med(pe), med(pb), "us")
row("from an EXEC: 'T' command vs internal call (us/call)", med(lc) * 1e6 / n, med(li) * 1e6 / n, "us")
row("from an EXEC: t() function vs internal call (us/call)", med(lf) * 1e6 / n, med(li) * 1e6 / n, "us")
row("CPU loop: cpd CMS vs regina command (s)", med(cc), med(rc), " s", 3)
overhead = med(cc) / med(rc) - 1
print(f"embedding overhead on the CPU loop: {overhead * 100:+.1f} % (limit +10 %): "
      + ("OK" if overhead < 0.10 else "OVER"))
PY
