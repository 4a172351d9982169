// SPDX-License-Identifier: MIT
// MESSAGE (M) / MSG, MSGNOH and WARNING (W) / WNG: a message shown on another
// user's console, from the caller. `*` is the caller itself, OP or OPERATOR
// the system operator. MSG is any user's; MSG ALL and WARNING (to one user or
// ALL) are class A or B; MSGNOH (no "MSG FROM" header) is class B. The text
// is the raw rest of the line; the Messenger decides delivery.
#include "control/commands/command_table.hpp"

namespace cpd::daemon {
namespace {

/// The userid a MSG operand names: `*` = the caller, OP/OPERATOR = the operator.
std::optional<proto::Userid> target_of(std::string_view word, const Caller& caller) {
    if (word == "*") {
        return caller.userid;
    }
    if (matches_abbrev(word, "OPERATOR", 2)) {
        return *proto::Userid::parse("OPERATOR");
    }
    if (auto id = proto::Userid::parse(word)) {
        return *id;
    }
    return std::nullopt;
}

/// Sends `kind` for the verb `verb` ("MSG", "MSGNOH", "WARNING") to one
/// userid, or to ALL for class A or B.
CpOutcome send(const CommandArgs& args, const Caller& caller, CpServices& services,
               proto::MessageKind kind, std::string_view verb) {
    const std::string_view to = args.word(1);
    if (to.empty()) {
        return {proto::CpRc::invalid_userid, "HCPMSG020E Userid missing or invalid"};
    }
    const std::string_view text = args.rest_after(1);
    // Every path to CP checks command lines already; a message that would
    // break the receiver's ring frame is refused here all the same.
    if (text.empty() || text.find_first_of(std::string_view("\0\r\n", 3)) != text.npos) {
        return {proto::CpRc::invalid_operand, "HCPMSG026E Operand missing or invalid"};
    }
    if (args.upper(1) == "ALL") {
        if (!caller.has_any_class("AB")) {
            return not_authorized(std::string(verb) + " ALL");
        }
        return services.message_all(caller.userid, kind, text);
    }
    const std::optional<proto::Userid> id = target_of(to, caller);
    if (!id) {
        return {proto::CpRc::invalid_userid,
                "HCPMSG020E Userid missing or invalid: " + args.upper(1)};
    }
    return services.message(caller.userid, *id, kind, text);
}

} // namespace

CpOutcome cmd_msg(const CommandArgs& args, const Caller& caller, CpServices& services) {
    return send(args, caller, services, proto::MessageKind::msg, "MSG");
}

CpOutcome cmd_msgnoh(const CommandArgs& args, const Caller& caller, CpServices& services) {
    return send(args, caller, services, proto::MessageKind::msgnoh, "MSGNOH");
}

CpOutcome cmd_warning(const CommandArgs& args, const Caller& caller, CpServices& services) {
    return send(args, caller, services, proto::MessageKind::warning, "WARNING");
}

} // namespace cpd::daemon
