// SPDX-License-Identifier: MIT
// Texts of XEDIT's messages. The module letters after DMSX name the family
// that issues them (MS general, CG CHANGE, SU filing, IN input), as CMS's
// own messages name their module.
#include "xedit/xedit_messages.hpp"

#include "messages/messages.hpp"

namespace cpd::cms::xedit {

std::string invalid_operand(std::string_view what) {
    return dms("XMS", 520, 'E', "Invalid operand: " + std::string(what));
}

std::string missing_operand() {
    return dms("XMS", 545, 'E', "Missing operand(s)");
}

std::string target_not_found(std::string_view module) {
    // Literal module ids, so that the documentation check finds each message.
    return module == "CG" ? dms("XCG", 546, 'E', "Target not found")
                          : dms("XMS", 546, 'E', "Target not found");
}

std::string occurrences_changed(std::size_t occurrences, std::size_t lines) {
    return dms("XCG", 517, 'I',
               std::to_string(occurrences) + " occurrence(s) changed on " + std::to_string(lines) +
                   " line(s)");
}

std::string file_changed() {
    return dms("XSU", 577, 'E', "File has been changed; type QQUIT to quit anyway");
}

std::string new_file() {
    return dms("XIN", 561, 'I', "New file");
}

std::string input_mode() {
    return dms("XIN", 573, 'I', "Input mode:");
}

std::string invalid_subcommand(std::string_view word) {
    return dms("XMS", 521, 'E', "Invalid subcommand: " + std::string(word));
}

} // namespace cpd::cms::xedit
