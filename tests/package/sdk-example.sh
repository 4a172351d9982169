#!/bin/bash
# SPDX-License-Identifier: MIT
# Builds the out-of-tree example guest (packaging/sdk-example) against the
# installed SDK twice, with CMake find_package(cpd-guest) and with pkg-config,
# names each build in an IPL statement of the directory, runs the installed
# cpd (with a watchdog interval) and checks both HELLOs exchanged SMSGs with ECHO.
source "$(dirname "$0")/lib-package.sh"
source "$(dirname "$0")/lib-daemon.sh"
require_root_and python3 g++ make pkg-config cmake
require_installed

make_tree
trap stop_all EXIT
src=$CPD_SOURCE_DIR/packaging/sdk-example
mkdir -p "$T/src"
cp "$src/hello.cpp" "$src/CMakeLists.txt" "$src/Makefile" "$T/src/"

note "building with CMake find_package(cpd-guest)"
cmake -S "$T/src" -B "$T/cmake-build" -DCMAKE_BUILD_TYPE=Release >"$T/cmake.log" 2>&1 ||
    { cat "$T/cmake.log"; fail "configure of the example against the installed SDK failed"; }
cmake --build "$T/cmake-build" -j2 >>"$T/cmake.log" 2>&1 || { cat "$T/cmake.log"; fail "CMake build failed"; }
grep -q 'cpd::guest\|libcpd_guest' "$T/cmake-build/CMakeFiles/hello-guest.dir/link.txt" ||
    fail "the CMake build did not link the SDK"
if grep -q "$CPD_SOURCE_DIR" "$T/cmake-build/CMakeFiles/hello-guest.dir/flags.make"; then
    fail "the CMake build used the source tree instead of the installed SDK"
fi

note "building with pkg-config cpd-guest"
make -C "$T/src" >"$T/make.log" 2>&1 || { cat "$T/make.log"; fail "pkg-config build failed"; }
[ -x "$T/src/hello-guest" ] || fail "make did not produce hello-guest"

cat >"$T/user.direct" <<DIRECT
USER OPERATOR NOPASS 64M 128M ABCDEFG
 POSIXINFO UID 0
USER ECHO NOPASS 16M 16M G
 IPL ECHO
USER HELLO NOPASS 16M 16M G
 IPL $T/cmake-build/hello-guest PARM ECHO $T/state/disks/HELLO/0191/hello-cmake.log
 MDISK 0191 3390 1 1 HEL191 MR
USER HELLOPC NOPASS 16M 16M G
 IPL $T/src/hello-guest PARM ECHO $T/state/disks/HELLOPC/0191/hello-pc.log
 MDISK 0191 3390 1 1 HEL191 MR
DIRECT
write_config "ECHO"
CPD_EXTRA_ENV="WATCHDOG_USEC=400000"
start_cpd

for g in HELLO HELLOPC; do
    /usr/bin/vmcp --socket "$SOCK" XAUTOLOG $g >/dev/null || fail "vmcp XAUTOLOG $g failed ($?)"
done
# Each guest writes its log on its own minidisk: the sandbox lets it write nowhere else.
cmake_log=$T/state/disks/HELLO/0191/hello-cmake.log
pc_log=$T/state/disks/HELLOPC/0191/hello-pc.log
for f in "$cmake_log" "$pc_log"; do
    if ! wait_for_line '^SMSG ECHO: .*HELLO FROM HELLO' 10 "$f"; then
        cat "$f" "$CPD_LOG" 2>/dev/null >&2 || true
        fail "$f: no answer from ECHO recorded"
    fi
    note "$f: $(cat "$f")"
done
grep -q 'HELLO FROM HELLOPC' "$pc_log" || fail "HELLOPC's answer does not carry its own userid"
owner=$(stat -c %u "$cmake_log")
((owner >= 0x72010000)) || fail "the SDK guest did not run under a guest uid (file owner $owner)"
for pid in $(guest_pids HELLO); do
    [ "$(ps -o uid= -p "$pid" | tr -d ' ')" = "$owner" ] || fail "HELLO runs as $(ps -o user= -p "$pid")"
done

# A vmsend from the shell reaches the SDK guest too (as OPERATOR).
/usr/bin/vmsend --socket "$SOCK" HELLO greetings from root || fail "vmsend HELLO failed ($?)"
wait_for_line '^SMSG OPERATOR: greetings from root$' 10 "$cmake_log" ||
    fail "HELLO did not record the SMSG from OPERATOR"

# The watchdog: WATCHDOG=1 about every 200 ms while WATCHDOG_USEC=400000.
wait_for_line '^WATCHDOG=1$' 5 "$NOTIFY_LOG" || fail "no WATCHDOG=1 with WATCHDOG_USEC set"
echo "PASS: out-of-tree SDK guest built two ways and talked to ECHO"
