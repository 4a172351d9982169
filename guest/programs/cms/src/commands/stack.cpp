// SPDX-License-Identifier: MIT
// The program stack's buffer commands: MAKEBUF (rc: the new buffer's
// number), DROPBUF [n] (drops buffer n and those above it, or the top one;
// rc 0, 24 for a bad n), SENTRIES (rc: the lines on the stack) and DESBUF
// (empties the stack; rc 0). The stack itself is rexx/program_stack.
#include "commands/command_table.hpp"
#include "messages/messages.hpp"
#include "rexx/program_stack.hpp"

#include "cpd/cms/filespec.hpp"

#include <charconv>

namespace cpd::cms {

namespace {

CommandResult no_operands(const CommandLine& cl, std::string_view module) {
    return fail(rc_bad_operand, dms(module, 3, 'E', "Invalid option " + to_upper(cl.words()[1])));
}

} // namespace

CommandResult cmd_makebuf(Session&, const CommandLine& cl) {
    if (cl.words().size() > 1) {
        return no_operands(cl, "MKB");
    }
    return rc_only(rexx::stack_makebuf());
}

CommandResult cmd_dropbuf(Session&, const CommandLine& cl) {
    int n = 0;
    if (cl.words().size() > 2) {
        return no_operands(cl, "DRP");
    }
    if (cl.words().size() == 2) {
        const std::string& w = cl.words()[1];
        const auto [end, ec] = std::from_chars(w.data(), w.data() + w.size(), n);
        if (ec != std::errc{} || end != w.data() + w.size() || n < 0) {
            return fail(rc_bad_operand, dms("DRP", 70, 'E', "Invalid parameter " + w));
        }
    }
    rexx::stack_dropbuf(n);
    return {};
}

CommandResult cmd_sentries(Session&, const CommandLine& cl) {
    if (cl.words().size() > 1) {
        return no_operands(cl, "SEN");
    }
    return rc_only(static_cast<int>(rexx::stack_lines()));
}

CommandResult cmd_desbuf(Session&, const CommandLine& cl) {
    if (cl.words().size() > 1) {
        return no_operands(cl, "DES");
    }
    rexx::stack_desbuf();
    return {};
}

} // namespace cpd::cms
