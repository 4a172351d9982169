// SPDX-License-Identifier: MIT
// Whose console a caller may attach to, and which entries can be logged on:
// the one rule cmsconsole's attach (console/console_attach.cpp) enforces and
// QUERY DIRECTORY lists, so completion never offers a console cpd refuses.
#pragma once

#include "control/commands/cp_services.hpp"

namespace cpd::daemon {

/// The caller is `userid` itself, or holds class A or B.
inline bool may_attach_console(const Caller& caller, const proto::Userid& userid) {
    return caller.userid == userid || caller.has_any_class("AB");
}

/// A logon can start this entry: not NOLOG, and it has an IPL statement.
inline bool may_be_logged_on(const DirectoryEntry& entry) {
    return !entry.nolog && !entry.ipl_program.empty();
}

} // namespace cpd::daemon
