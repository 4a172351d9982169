// SPDX-License-Identifier: MIT
// Makes text that a guest, a sender or cpd wrote safe to print on an
// operator's terminal: control characters are shown as \xHH instead of being
// sent to the terminal, so nobody can move the cursor, set the window title
// or write the clipboard (OSC 52) through cmsconsole, vmsend or vmcp.
#pragma once

#include <string>
#include <string_view>

namespace cpd::cli {

/// Returns `text` as one printable line: every C0 control except TAB (newline
/// included), DEL, each byte of a UTF-8-encoded C1 control (U+0080..U+009F) and
/// every byte that is not part of valid UTF-8 become "\xHH" (lower-case hex);
/// all other text, valid UTF-8 included, is copied unchanged. The form is for
/// reading only: a literal backslash is not escaped, so it is not reversible.
std::string safe_line(std::string_view text);

/// As safe_line, but keeps '\n' as a line break, for multi-line text such as
/// a CP response; every line of it is escaped as safe_line does.
std::string safe_lines(std::string_view text);

} // namespace cpd::cli
