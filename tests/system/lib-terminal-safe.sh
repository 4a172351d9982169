# SPDX-License-Identifier: MIT
# Shared by the *-escapes-control-characters.sh system tests: the hostile
# texts they feed in and a check that a tool's output holds none of the bytes
# that could drive a terminal. Sourced after lib-vmtools.sh or lib-console.sh
# (for fail); never run; excluded from ctest by name.
# shellcheck shell=bash disable=SC2034 # the texts are for the sourcing scripts

# Clear screen and home the cursor; set the window title; write the clipboard.
CLEAR=$'\e[2J\e[H'
TITLE=$'\e]0;evil\a'
CLIPBOARD=$'\e]52;c;ZXZpbA==\a'
# The same, as the tools must show them.
CLEAR_SHOWN='\x1b[2J\x1b[H'
TITLE_SHOWN='\x1b]0;evil\x07'
CLIPBOARD_SHOWN='\x1b]52;c;ZXZpbA==\x07'

# expect_terminal_safe FILE: FILE is valid UTF-8 without C0 controls (TAB and
# newline aside), DEL or C1 controls, so nothing in it acts on a terminal.
expect_terminal_safe() {
    python3 - "$1" <<'PY' || fail "$1 holds bytes that act on a terminal: $(od -c "$1" | head -20)"
import sys
data = open(sys.argv[1], "rb").read()
try:
    text = data.decode("utf-8")
except UnicodeDecodeError:
    sys.exit(1)
sys.exit(1 if any(c not in "\t\n" and (ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F) for c in text) else 0)
PY
}
