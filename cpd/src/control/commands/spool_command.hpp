// SPDX-License-Identifier: MIT
// What the spool's CP command files share: the caller as the spool sees it
// and the operands after the verb. The commands themselves live in
// spool/spool_service.hpp; these files only hand the operands over.
#pragma once

#include "control/commands/command_table.hpp"
#include "spool/spool_service.hpp"

namespace cpd::daemon {

/// The caller as SpoolService sees it (class D sees every file).
inline SpoolCaller spool_caller(const Caller& caller) {
    return {caller.userid, caller.has_any_class("D"), caller.is_guest, nullptr};
}

/// Words from `first` on.
inline std::vector<std::string_view> operands_from(const CommandArgs& args, std::size_t first) {
    std::vector<std::string_view> ops;
    for (std::size_t i = first; i < args.size(); ++i) {
        ops.push_back(args.word(i));
    }
    return ops;
}

/// The outcome when this cpd has no spool (test doubles).
inline CpOutcome no_spool(std::string_view verb) {
    return {proto::CpRc::unknown_command, "HCPCMD001E Unknown CP command: " + std::string(verb)};
}

} // namespace cpd::daemon
