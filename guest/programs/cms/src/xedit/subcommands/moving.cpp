// SPDX-License-Identifier: MIT
// The moving subcommands TOP, BOTTOM, UP, DOWN and NEXT: they change only the
// current line. A move that stops at the top or end of file returns rc 1;
// a bad count is rc 5 with DMSXMS520E.
#include "xedit/subcommand_table.hpp"
#include "xedit/subcommands/operands.hpp"

namespace cpd::cms::xedit {

namespace {

// Moves `forward` (or back) by the count in `operands` (default 1, "*" = all the way).
Reply move(Editor& e, std::string_view operands, bool forward) {
    const auto w = words(operands);
    if (w.size() > 1) {
        return refuse(rc_invalid, invalid_operand(w[1]));
    }
    const auto n = w.empty() ? std::optional<std::size_t>(1) : count_operand(w[0]);
    if (!n) {
        return refuse(rc_invalid, invalid_operand(w[0]));
    }
    EditFile& f = e.file();
    const std::size_t cur = f.current();
    f.set_current(forward ? cur + std::min(*n, f.size() + 1 - cur) : cur - std::min(*n, cur));
    Reply r;
    r.rc = (f.is_tof() || f.is_eof()) && *n > 0 ? rc_tof_eof : rc_ok;
    r.show_current = true;
    return r;
}

// Refuses operands for a subcommand that takes none.
std::optional<Reply> no_operands(std::string_view operands) {
    const auto w = words(operands);
    if (!w.empty()) {
        return refuse(rc_invalid, invalid_operand(w[0]));
    }
    return std::nullopt;
}

} // namespace

// TOP: the top-of-file line becomes current.
Reply sub_top(Editor& e, std::string_view operands) {
    if (auto bad = no_operands(operands)) {
        return *bad;
    }
    e.file().set_current(0);
    Reply r;
    r.show_current = true;
    return r;
}

// BOTTOM: the last record becomes current (TOF in an empty file).
Reply sub_bottom(Editor& e, std::string_view operands) {
    if (auto bad = no_operands(operands)) {
        return *bad;
    }
    e.file().set_current(e.file().size());
    Reply r;
    r.show_current = true;
    return r;
}

Reply sub_up(Editor& e, std::string_view operands) {
    return move(e, operands, false);
}

Reply sub_down(Editor& e, std::string_view operands) {
    return move(e, operands, true);
}

Reply sub_next(Editor& e, std::string_view operands) {
    return move(e, operands, true);
}

} // namespace cpd::cms::xedit
