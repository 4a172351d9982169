// SPDX-License-Identifier: MIT
// What every fuzz target shares: a check that stops the fuzzer with a message
// (libFuzzer then saves the input that broke it), and the round-trip property
// of the codecs: whatever a decoder accepts re-encodes to the same bytes.
#pragma once

#include <cstdio>
#include <cstdlib>

namespace cpd::fuzz {

/// Aborts with `what` unless `ok`; libFuzzer records the crashing input.
inline void require(bool ok, const char* what) {
    if (!ok) {
        std::fprintf(stderr, "fuzz property violated: %s\n", what);
        std::abort();
    }
}

} // namespace cpd::fuzz
