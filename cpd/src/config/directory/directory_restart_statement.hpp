// SPDX-License-Identifier: MIT
// The operands of the RESTART directory statement, for the parser (a cpd
// statement in the form of z/VM's OPTION and IUCV ones):
//
//   RESTART [LIMIT n] [WITHIN time] [BACKOFF time] [MAXBACKOFF time]
//
// in any order, each at most once. A time is a whole number with an optional
// unit: MS, S (the default) or M. Defaults: LIMIT 3 WITHIN 60 BACKOFF 1
// MAXBACKOFF 60 (raised to BACKOFF when that is larger).
#pragma once

#include "config/directory/directory.hpp"
#include "config/directory/directory_words.hpp"

#include <string>
#include <vector>

namespace cpd::daemon {

/// Checks a RESTART statement into `policy`; "" or the error.
std::string parse_restart_statement(const std::vector<directory_words::Token>& t,
                                    RestartPolicy& policy);

} // namespace cpd::daemon
