// SPDX-License-Identifier: MIT
// vmur's commands, one function each; main picks one by vmur's abbreviations.
// Each returns vmur's exit status.
#pragma once

#include "vmur_args.hpp"
#include "vmur_connection.hpp"

namespace cpd::vmur {

int do_list(Cpd& c, const Args& a);
int do_receive(Cpd& c, const Args& a);
/// punch, or print with `print`.
int do_punch(Cpd& c, const Args& a, bool print);
int do_purge(Cpd& c, const Args& a);
int do_order(Cpd& c, const Args& a);

} // namespace cpd::vmur
