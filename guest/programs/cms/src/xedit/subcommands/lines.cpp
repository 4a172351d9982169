// SPDX-License-Identifier: MIT
// The line subcommands INPUT, DELETE, REPLACE and TYPE. INPUT with text adds
// one line after the current one; without text it starts input mode, which
// a null line ends. DELETE removes the lines from the current one up to (not
// including) the target; REPLACE swaps the current line, or without text
// deletes it and starts input mode; TYPE shows lines in line mode.
#include "xedit/subcommand_table.hpp"
#include "xedit/subcommands/operands.hpp"
#include "xedit/target.hpp"

namespace cpd::cms::xedit {

namespace {

// The text operand: everything after the one blank that ends the subcommand word.
std::string_view text_operand(std::string_view operands) {
    if (!operands.empty() && (operands.front() == ' ' || operands.front() == '\t')) {
        operands.remove_prefix(1);
    }
    return operands;
}

Reply enter_input_mode(Editor& e) {
    e.start_input();
    Reply r;
    r.lines.push_back(input_mode());
    return r;
}

} // namespace

// INPUT [text]: insert after the current line (before EOF when at EOF).
Reply sub_input(Editor& e, std::string_view operands) {
    const std::string_view text = text_operand(operands);
    if (trim(text).empty()) {
        return enter_input_mode(e);
    }
    EditFile& f = e.file();
    f.insert_after(f.current(), e.as_input(text));
    return {};
}

// DELETE [target]: default 1 line; "*" to the end of file.
Reply sub_delete(Editor& e, std::string_view operands) {
    Target t;
    if (!trim(operands).empty()) {
        const ParsedTarget p = parse_target(operands);
        if (!p.target) {
            return refuse(rc_invalid, invalid_operand(p.error));
        }
        if (const auto w = words(p.rest); !w.empty()) {
            return refuse(rc_invalid, invalid_operand(w[0]));
        }
        t = *p.target;
    }
    EditFile& f = e.file();
    const Landing at = resolve(f, t);
    if (!at.found) {
        return refuse(rc_not_found, target_not_found());
    }
    const LineRange range = range_to(f, at.line);
    Reply r;
    if (range.count() == 0) {
        r.rc = rc_tof_eof; // only TOF or EOF was in reach: nothing to delete
    } else {
        f.erase(range.first, range.count());
        r.rc = f.is_eof() ? rc_tof_eof : rc_ok;
    }
    r.show_current = true;
    return r;
}

// REPLACE [text]: replace the current line (at TOF or EOF, add one);
// without text, delete it and take its replacement in input mode.
Reply sub_replace(Editor& e, std::string_view operands) {
    const std::string_view text = text_operand(operands);
    EditFile& f = e.file();
    const bool on_record = !f.is_tof() && !f.is_eof();
    if (trim(text).empty()) {
        if (on_record) {
            f.erase(f.current(), 1);
            f.set_current(f.current() - 1);
        }
        return enter_input_mode(e);
    }
    if (on_record) {
        f.replace(f.current(), e.as_input(text));
    } else {
        f.insert_after(f.current(), e.as_input(text));
    }
    return {};
}

// TYPE [n|*]: type n lines from the current one (default 1); the last line
// typed becomes current.
Reply sub_type(Editor& e, std::string_view operands) {
    const auto w = words(operands);
    if (w.size() > 1) {
        return refuse(rc_invalid, invalid_operand(w[1]));
    }
    const auto n = w.empty() ? std::optional<std::size_t>(1) : count_operand(w[0]);
    if (!n || *n == 0) {
        return refuse(rc_invalid, invalid_operand(w.empty() ? "" : w[0]));
    }
    EditFile& f = e.file();
    const std::size_t first = f.current();
    const std::size_t last = first + std::min(*n - 1, f.size() + 1 - first);
    Reply r;
    for (std::size_t line = first; line <= last; ++line) {
        r.lines.push_back(e.display(line));
    }
    f.set_current(last);
    r.rc = f.is_eof() && *n > 1 ? rc_tof_eof : rc_ok;
    return r;
}

} // namespace cpd::cms::xedit
