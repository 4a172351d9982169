// SPDX-License-Identifier: MIT
// The commands that reach outside the guest: SMSG (an outbound SMSG for the
// caller to send), TELL and CP (a command for the caller to pass to CP: TELL
// is CP MSG, as CMS's TELL EXEC sends a MSG to a local user) and LOGOFF. They only validate and describe the side effect; the glue does it.
// The text limits are checked here, once, where the user gets a message that
// says what is wrong; the glue relies on the runtime's status for the rest.
#include "commands/command_table.hpp"
#include "messages/messages.hpp"

#include "cpd/cms/filespec.hpp"
#include "cpd/proto/userid.hpp"
#include "cpd/proto/version.hpp"

namespace cpd::cms {

namespace {

// "DMSxxx026E <what> is N bytes; the limit is M" (as vmsend's HCP026E says it).
std::string too_long(std::string_view module, std::string_view what, std::size_t size,
                     std::size_t limit) {
    return dms(module, 26, 'E',
               std::string(what) + " is " + std::to_string(size) + " bytes; the limit is " +
                   std::to_string(limit));
}

// SMSG and TELL: "<verb> userid text"; the text is the rest of the line as typed.
CommandResult send_message(const CommandLine& cl, std::string_view verb) {
    const auto args = cl.args();
    if (args.empty()) {
        return fail(rc_bad_operand,
                    dms("MSG", 20, 'E',
                        "Invalid command: " + std::string(verb) + " requires a userid and text"));
    }
    const auto to = proto::Userid::parse(args[0]);
    if (!to) {
        return fail(rc_bad_operand, dms("MSG", 20, 'E', "Invalid userid " + to_upper(args[0])));
    }
    const std::string_view text = cl.rest_from(2);
    if (text.empty()) {
        return fail(rc_bad_operand, dms("MSG", 26, 'E', "Message text missing"));
    }
    if (text.size() > proto::smsg_max_text) {
        return fail(rc_bad_operand,
                    too_long("MSG", "Message text", text.size(), proto::smsg_max_text));
    }
    CommandResult r;
    r.smsg = OutboundSmsg{std::string(to.value().str()), std::string(text)};
    return r;
}

} // namespace

// SMSG userid text
CommandResult cmd_smsg(Session&, const CommandLine& cl) {
    return send_message(cl, "SMSG");
}

// TELL userid text: CP MSG userid text, so the receiver sees CP's "MSG FROM"
// form and the sender CP's answer (HCPMSG045E, HCPMSG057I) and its rc.
CommandResult cmd_tell(Session&, const CommandLine& cl) {
    const auto args = cl.args();
    if (args.empty()) {
        return fail(rc_bad_operand,
                    dms("MSG", 20, 'E', "Invalid command: TELL requires a userid and text"));
    }
    const auto to = proto::Userid::parse(args[0]);
    if (!to) {
        return fail(rc_bad_operand, dms("MSG", 20, 'E', "Invalid userid " + to_upper(args[0])));
    }
    const std::string_view text = cl.rest_from(2);
    if (text.empty()) {
        return fail(rc_bad_operand, dms("MSG", 26, 'E', "Message text missing"));
    }
    std::string command = "MSG " + std::string(to.value().str()) + " ";
    const std::size_t limit = proto::cp_command_max - command.size();
    if (text.size() > limit) {
        return fail(rc_bad_operand, too_long("MSG", "Message text", text.size(), limit));
    }
    CommandResult r;
    r.cp_command = command + std::string(text);
    return r;
}

// CP command: the rest of the line goes to CP as typed.
CommandResult cmd_cp(Session&, const CommandLine& cl) {
    const std::string_view text = cl.rest_from(1);
    if (text.empty()) {
        return fail(rc_bad_operand, dms("CPX", 24, 'E', "Invalid command: CP requires a command"));
    }
    if (text.size() > proto::cp_command_max) {
        return fail(rc_bad_operand,
                    too_long("CPX", "CP command", text.size(), proto::cp_command_max));
    }
    CommandResult r;
    r.cp_command = std::string(text);
    return r;
}

// LOGOFF [HOLD]: asks the glue to log the guest off.
CommandResult cmd_logoff(Session&, const CommandLine& cl) {
    const auto args = cl.args();
    if (args.size() > 1 || (args.size() == 1 && to_upper(args[0]) != "HOLD")) {
        return fail(
            rc_bad_operand,
            dms("LGF", 26, 'E', "Invalid operand " + to_upper(args.back()) + " for LOGOFF"));
    }
    CommandResult r;
    r.logoff = true;
    return r;
}

} // namespace cpd::cms
