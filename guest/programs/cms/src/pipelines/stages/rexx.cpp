// SPDX-License-Identifier: MIT
// stem, var and stack need REXX variables and the program stack, which the
// CMS guest gets with REXX (issue 16). Until then each answers that it is
// not available, rc 24, whatever its operands.
#include "pipelines/stages/stages.hpp"

namespace cpd::cms {

namespace {

StageMade not_available(std::string_view stage) {
    return refuse(pipe_error("REX", 24,
                             std::string(stage) +
                                 " is not available: this CMS has no REXX variables "
                                 "or program stack yet"));
}

} // namespace

StageMade make_stem(std::string_view) {
    return not_available("STEM");
}

StageMade make_var(std::string_view) {
    return not_available("VAR");
}

StageMade make_stack(std::string_view) {
    return not_available("STACK");
}

} // namespace cpd::cms
