// SPDX-License-Identifier: MIT
// CpOutcome: what a CP command or an SMSG attempt answers, a return code (the
// z/VM message number) and the response text, lines separated by '\n'.
#pragma once

#include "cpd/proto/rc.hpp"

#include <string>

namespace cpd::daemon {

/// A command outcome: return code and z/VM-style text.
struct CpOutcome {
    proto::CpRc rc = proto::CpRc::ok;
    std::string text;
};

} // namespace cpd::daemon
