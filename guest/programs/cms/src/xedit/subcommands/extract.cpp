// SPDX-License-Identifier: MIT
// EXTRACT /item/item/...: the values of each item as REXX variables named
// by the item's full name (item.0 = the count, item.1 ... the values), read
// from the live state at the moment of the call. At the console it shows
// nothing; a macro layer sets the variables. An unknown item is rc 5 and
// sets none.
#include "xedit/subcommand_table.hpp"
#include "xedit/subcommands/operands.hpp"

#include <cctype>

namespace cpd::cms::xedit {

Reply sub_extract(Editor& e, std::string_view operands) {
    std::string_view text = trim(operands);
    if (text.empty()) {
        return refuse(rc_invalid, missing_operand());
    }
    const char delim = text.front();
    if (std::isalnum(static_cast<unsigned char>(delim)) != 0) {
        return refuse(rc_invalid, invalid_operand(text));
    }
    Reply r;
    while (!text.empty()) {
        text.remove_prefix(1); // the delimiter
        const auto end = text.find(delim);
        const std::string_view item = trim(text.substr(0, end));
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end);
        if (item.empty()) {
            continue;
        }
        const auto found = e.extract(item);
        if (!found) {
            return refuse(rc_invalid, invalid_operand(item));
        }
        const std::vector<std::string>& values = found->values;
        r.variables.emplace_back(found->name + ".0", std::to_string(values.size()));
        for (std::size_t i = 0; i < values.size(); ++i) {
            r.variables.emplace_back(found->name + '.' + std::to_string(i + 1), values[i]);
        }
    }
    return r;
}

} // namespace cpd::cms::xedit
