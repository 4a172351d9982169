// SPDX-License-Identifier: MIT
// LOCATE and the bare target ("/abc/", ":10", "-3"): make the target line
// current, then run the subcommand that may follow the target. Not found is
// rc 2 with DMSXMS546E and the current line unchanged; a relative move that
// stops at the top or end of file is rc 1. LOCATE alone repeats the last one.
#include "xedit/subcommand_table.hpp"
#include "xedit/subcommands/operands.hpp"
#include "xedit/target.hpp"

namespace cpd::cms::xedit {

Reply sub_locate(Editor& e, std::string_view operands) {
    std::string text(trim(operands));
    if (text.empty()) {
        if (e.last_target.empty()) {
            return refuse(rc_invalid, missing_operand());
        }
        text = e.last_target;
    }
    const ParsedTarget p = parse_target(text);
    if (!p.target) {
        return refuse(rc_invalid, invalid_operand(p.error));
    }
    e.last_target = std::string(text.substr(0, text.size() - p.rest.size()));
    EditFile& f = e.file();
    const Landing at = resolve(f, *p.target);
    if (!at.found) {
        return refuse(rc_not_found, target_not_found());
    }
    f.set_current(at.line);
    Reply r;
    const bool moved_by_count = p.target->kind == Target::Kind::relative;
    r.rc =
        moved_by_count && p.target->lines != 0 && (f.is_tof() || f.is_eof()) ? rc_tof_eof : rc_ok;
    if (!trim(p.rest).empty()) {
        // "/abc/ change /x/y/": the subcommand runs on the line found and types its own result.
        Reply then = e.subcommand(p.rest);
        then.show_current = false; // subcommand() has typed it already
        then.lines.insert(then.lines.begin(), r.lines.begin(), r.lines.end());
        return then;
    }
    r.show_current = true;
    return r;
}

} // namespace cpd::cms::xedit
