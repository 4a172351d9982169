// SPDX-License-Identifier: MIT
// SET CRASHMSG bookkeeping. A choice outlives the caller's sessions (a user
// who watches with vmcp need not be logged on), for the daemon's lifetime.
#include "guests/lifecycle/operator_messages.hpp"

namespace cpd::daemon {

const proto::Userid& operator_userid() {
    static const proto::Userid id = *proto::Userid::parse("OPERATOR");
    return id;
}

void OperatorMessages::set(const proto::Userid& userid, bool on) {
    choices_[userid] = on;
}

bool OperatorMessages::is_on(const proto::Userid& userid) const {
    auto it = choices_.find(userid);
    return it != choices_.end() ? it->second : userid == operator_userid();
}

std::vector<proto::Userid> OperatorMessages::recipients(const Directory& directory) const {
    std::vector<proto::Userid> out;
    if (is_on(operator_userid()) && directory.find(operator_userid()) != nullptr) {
        out.push_back(operator_userid());
    }
    for (const auto& [userid, on] : choices_) {
        const DirectoryEntry* e = directory.find(userid);
        if (on && userid != operator_userid() && e != nullptr &&
            (e->has_class('A') || e->has_class('B'))) {
            out.push_back(userid);
        }
    }
    return out;
}

} // namespace cpd::daemon
