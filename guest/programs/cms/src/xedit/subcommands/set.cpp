// SPDX-License-Identifier: MIT
// SET CASE Mixed|Upper [Respect|Ignore], SET ZONE first [last|*] and
// SET VERIFY ON|OFF: the settings that govern input and string targets.
// Other SET operands are rc 5 with DMSXMS520E.
#include "xedit/subcommand_table.hpp"
#include "xedit/subcommands/operands.hpp"

namespace cpd::cms::xedit {

namespace {

Reply set_case(EditFile& f, const std::vector<std::string_view>& w) {
    if (w.size() < 2) {
        return refuse(rc_invalid, missing_operand());
    }
    if (w.size() > 3) {
        return refuse(rc_invalid, invalid_operand(w[3]));
    }
    CaseInput input = f.case_input;
    if (is_abbrev_of(w[1], "MIXED", 1)) {
        input = CaseInput::mixed;
    } else if (is_abbrev_of(w[1], "UPPERCASE", 1)) {
        input = CaseInput::upper;
    } else {
        return refuse(rc_invalid, invalid_operand(w[1]));
    }
    CaseMatch match = f.case_match;
    if (w.size() == 3) {
        if (is_abbrev_of(w[2], "RESPECT", 1)) {
            match = CaseMatch::respect;
        } else if (is_abbrev_of(w[2], "IGNORE", 1)) {
            match = CaseMatch::ignore;
        } else {
            return refuse(rc_invalid, invalid_operand(w[2]));
        }
    }
    f.case_input = input;
    f.case_match = match;
    return {};
}

Reply set_zone(EditFile& f, const std::vector<std::string_view>& w) {
    if (w.size() < 2) {
        return refuse(rc_invalid, missing_operand());
    }
    if (w.size() > 3) {
        return refuse(rc_invalid, invalid_operand(w[3]));
    }
    const auto first = count_operand(w[1]);
    if (!first || *first == 0 || w[1] == "*") {
        return refuse(rc_invalid, invalid_operand(w[1]));
    }
    std::size_t last = 0; // '*': to the end of each line
    if (w.size() == 3 && w[2] != "*") {
        const auto n = count_operand(w[2]);
        if (!n || *n < *first) {
            return refuse(rc_invalid, invalid_operand(w[2]));
        }
        last = *n;
    }
    f.zone_first = *first;
    f.zone_last = last;
    return {};
}

Reply set_verify(EditFile& f, const std::vector<std::string_view>& w) {
    if (w.size() != 2) {
        return refuse(rc_invalid, w.size() < 2 ? missing_operand() : invalid_operand(w[2]));
    }
    if (is_abbrev_of(w[1], "ON", 2) || is_abbrev_of(w[1], "OFF", 3)) {
        f.verify = is_abbrev_of(w[1], "ON", 2);
        return {};
    }
    return refuse(rc_invalid, invalid_operand(w[1]));
}

} // namespace

Reply sub_set(Editor& e, std::string_view operands) {
    const auto w = words(operands);
    if (w.empty()) {
        return refuse(rc_invalid, missing_operand());
    }
    if (is_abbrev_of(w[0], "CASE", 2)) {
        return set_case(e.file(), w);
    }
    if (is_abbrev_of(w[0], "ZONE", 1)) {
        return set_zone(e.file(), w);
    }
    if (is_abbrev_of(w[0], "VERIFY", 1)) {
        return set_verify(e.file(), w);
    }
    return refuse(rc_invalid, invalid_operand(w[0]));
}

} // namespace cpd::cms::xedit
