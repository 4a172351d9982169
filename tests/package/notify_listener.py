#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# A stand-in for systemd's notify socket: binds an AF_UNIX datagram socket at
# argv[1] and appends every datagram to argv[2], one line per assignment
# (KEY=VALUE), each datagram ending with a "--" line. Stops on SIGTERM or
# after argv[3] seconds (default 120). argv[4] is the socket's octal mode
# (default 600; 666 lets a daemon running as another user send).
import os
import signal
import socket
import sys
import time


def main() -> int:
    path, log = sys.argv[1], sys.argv[2]
    limit = float(sys.argv[3]) if len(sys.argv) > 3 else 120.0
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    if os.path.exists(path):
        os.unlink(path)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    os.chmod(path, int(sys.argv[4], 8) if len(sys.argv) > 4 else 0o600)
    end = time.monotonic() + limit
    with open(log, "a", buffering=1) as out:
        out.write("LISTENING\n")
        while time.monotonic() < end:
            sock.settimeout(max(0.1, end - time.monotonic()))
            try:
                data = sock.recv(65536)
            except socket.timeout:
                break
            for line in data.decode("utf-8", "replace").split("\n"):
                if line:
                    out.write(line + "\n")
            out.write("--\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
