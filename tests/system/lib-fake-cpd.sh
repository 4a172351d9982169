# SPDX-License-Identifier: MIT
# A stand-in for cpd on a private socket, to drive the tools' failure paths
# that a healthy cpd never shows: a socket nobody listens on, a server that
# hangs up, one that speaks garbage or another protocol version, and one that
# refuses every request with a chosen CP rc. Sourced after lib-vmtools.sh or
# lib-console.sh (for fail and await_ready); python3 speaks the frames.
# Excluded from ctest.
# shellcheck shell=bash

FAKE_PID=
FAKE_SOCK=

# fake_cpd_dir: a private temp directory in $T, removed (and the fake stopped) on exit.
fake_cpd_dir() {
    T=$(mktemp -d /tmp/cpd-fake.XXXXXX) || fail "mktemp"
    trap 'fake_cpd_stop; rm -rf "$T"' EXIT
}

# fake_cpd_stop: stops the fake server started last, if any.
fake_cpd_stop() {
    if [ -n "$FAKE_PID" ]; then
        kill -TERM "$FAKE_PID" 2>/dev/null
        wait "$FAKE_PID" 2>/dev/null
    fi
    FAKE_PID=
}

# fake_cpd MODE: serves $T/MODE.sock (in $FAKE_SOCK) until fake_cpd_stop.
# Each connection's first request frame is read in full, then by MODE:
#   refuse     the socket is bound but never listens: connect() is refused
#   hangup     close the connection without an answer
#   truncated  send half an answer frame, then close
#   garbage    answer with a line of text that is no frame at all
#   version    answer with a well-formed frame of protocol version 99
#   rc=N       answer with an error frame carrying CP rc N (e.g. rc=57)
fake_cpd() {
    fake_cpd_stop
    FAKE_SOCK=$T/$1.sock
    rm -f "$FAKE_SOCK" "$FAKE_SOCK.ready"
    python3 - "$FAKE_SOCK" "$1" <<'PY' &
import signal, socket, struct, sys

path, mode = sys.argv[1], sys.argv[2]
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(path)
if mode != "refuse":
    srv.listen(8)
open(path + ".ready", "w").close()
if mode == "refuse":
    signal.pause()

def frame(ftype, payload, version=3):
    # SocketHeader: u32 payload length, u16 version (socket_protocol_version in
    # proto/include/cpd/proto/version.hpp), u16 type, little-endian.
    return struct.pack("<IHH", len(payload), version, ftype) + payload

def text(t):
    b = t.encode()
    return struct.pack("<I", len(b)) + b

def read_exact(conn, n):
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data

CP_RESPONSE, ERROR = 0x8001, 0x8009
ok_answer = frame(CP_RESPONSE, struct.pack("<H", 0) + text("fake answer"))
while True:
    conn, _ = srv.accept()
    try:
        length = struct.unpack("<IHH", read_exact(conn, 8))[0]
        read_exact(conn, length)
        if mode == "truncated":
            conn.sendall(ok_answer[: len(ok_answer) // 2])
        elif mode == "garbage":
            conn.sendall(b"220 mail.example ESMTP ready, this is not cpd\r\n")
        elif mode == "version":
            conn.sendall(frame(CP_RESPONSE, struct.pack("<H", 0) + text("x"), version=99))
        elif mode.startswith("rc="):
            rc = int(mode[3:])
            conn.sendall(frame(ERROR, struct.pack("<H", rc) + text(f"HCP{rc:03d}E refused by the fake cpd")))
    except EOFError:
        pass
    finally:
        conn.close()
PY
    FAKE_PID=$!
    await_ready "$FAKE_PID" "fake cpd ($1)" test -e "$FAKE_SOCK.ready"
}
