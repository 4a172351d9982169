// SPDX-License-Identifier: MIT
// Deleting Regina's built-in host environments (regina_environments.hpp).
// Regina adds them to its per-thread environment table when it starts, and
// a RexxStart whose initial environment has a name deletes the entry of
// that name when it ends (ScriptCleanup's del_envir). A nested RexxStart
// of an empty program, once per name, while an outer program runs (so the
// table is not rebuilt), therefore removes each one for good; commands to
// those names then reach the subcommand handlers the engine registered.
// Regina 3.6 behaviour, checked by the unit test that runs ADDRESS SYSTEM.
#include "rexx/regina_environments.hpp"

#include "rexx/regina.hpp"

#include <cstring>

namespace cpd::cms::rexx {

namespace {
bool closed = false; // the guest's one thread only
} // namespace

bool regina_environments_closed() noexcept {
    return closed;
}

void close_regina_environments() {
    if (closed) {
        return;
    }
    static char empty_program[] = "nop\n";
    for (const char* env : regina_environments) {
        RXSTRING instore[2];
        MAKERXSTRING(instore[0], empty_program, std::strlen(empty_program));
        MAKERXSTRING(instore[1], nullptr, 0);
        RXSTRING result;
        MAKERXSTRING(result, nullptr, 0);
        short rc = 0;
        RexxStart(0, nullptr, "CPDCLOSE", instore, env, RXCOMMAND, nullptr, &rc, &result);
        if (result.strptr != nullptr) {
            RexxFreeMemory(result.strptr);
        }
        if (instore[1].strptr != nullptr) {
            RexxFreeMemory(instore[1].strptr);
        }
    }
    closed = true;
}

} // namespace cpd::cms::rexx
