// SPDX-License-Identifier: MIT
// cpd-guest-cms: the CMS guest program that cpd starts for `IPL CMS`. All of
// its behaviour is in CmsHandler and cms_core; this file only runs it.
#include "cms_handler.hpp"

#include "cpd/guest/run.hpp"

int main() {
    return cpd::guest::run_guest<cpd::cms::CmsHandler>();
}
