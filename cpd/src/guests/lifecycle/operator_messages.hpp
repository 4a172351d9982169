// SPDX-License-Identifier: MIT
// OperatorMessages: who gets CP's messages about guests that crash or that
// cpd stops restarting. OPERATOR gets them unless it said SET CRASHMSG OFF;
// another class A or B user gets them once it said SET CRASHMSG ON. Only the
// choices are kept here; the Daemon writes the messages on those consoles.
#pragma once

#include "config/directory/directory.hpp"

#include "cpd/proto/userid.hpp"

#include <map>
#include <vector>

namespace cpd::daemon {

/// The SET CRASHMSG choices.
class OperatorMessages {
  public:
    /// SET CRASHMSG ON|OFF for `userid` (the command checks its classes).
    void set(const proto::Userid& userid, bool on);
    /// True if `userid` asked for the messages, or is OPERATOR and did not refuse them.
    bool is_on(const proto::Userid& userid) const;
    /// Who gets a message now: of those on, the users `directory` still holds
    /// with class A or B (OPERATOR: any class), by userid.
    std::vector<proto::Userid> recipients(const Directory& directory) const;

  private:
    /// Explicit choices. Only directory users issue SET, so the directory bounds it.
    std::map<proto::Userid, bool> choices_;
};

/// The userid of the primary system operator.
const proto::Userid& operator_userid();

} // namespace cpd::daemon
