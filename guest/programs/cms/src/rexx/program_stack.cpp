// SPDX-License-Identifier: MIT
// The program stack over Regina's SESSION queue (see program_stack.hpp).
// Regina's queue persists for the life of the guest's thread and is shared
// by nested RexxStart calls, so it is the machine's one stack.
#include "rexx/program_stack.hpp"

#include "rexx/regina.hpp"
#include "rexx/rexx_engine.hpp"

#include <cstring>
#include <string>

namespace cpd::cms::rexx {

namespace {

char session_queue[] = "SESSION";

// Runs a one-line in-store program (Regina's buffer functions) and returns
// its numeric result (0 if none).
int run_builtin(const std::string& source) {
    RXSTRING instore[2];
    MAKERXSTRING(instore[0], const_cast<char*>(source.data()), source.size());
    MAKERXSTRING(instore[1], nullptr, 0);
    short rc = 0;
    RXSTRING result;
    MAKERXSTRING(result, nullptr, 0);
    RexxStart(0, nullptr, "CMSSTACK", instore, "COMMAND", RXCOMMAND, nullptr, &rc, &result);
    int value = 0;
    if (result.strptr != nullptr) {
        value = std::atoi(std::string(result.strptr, result.strlength).c_str());
        RexxFreeMemory(result.strptr);
    }
    if (instore[1].strptr != nullptr) {
        RexxFreeMemory(instore[1].strptr);
    }
    return value;
}

} // namespace

std::size_t stack_lines() {
    initialize();
    ULONG n = 0;
    if (RexxQueryQueue(session_queue, &n) != RXQUEUE_OK) {
        return 0;
    }
    return n;
}

std::optional<std::string> stack_pull() {
    initialize();
    RXSTRING line;
    MAKERXSTRING(line, nullptr, 0);
    DATETIME when;
    if (RexxPullQueue(session_queue, &line, &when, RXQUEUE_NOWAIT) != RXQUEUE_OK) {
        return std::nullopt;
    }
    std::string out(line.strptr != nullptr ? line.strptr : "", line.strlength);
    if (line.strptr != nullptr) {
        RexxFreeMemory(line.strptr);
    }
    return out;
}

void stack_add(std::string_view line, bool lifo) {
    initialize();
    RXSTRING data;
    MAKERXSTRING(data, const_cast<char*>(line.data()), line.size());
    RexxAddQueue(session_queue, &data, lifo ? RXQUEUE_LIFO : RXQUEUE_FIFO);
}

int stack_makebuf() {
    initialize();
    return run_builtin("exit makebuf()");
}

void stack_dropbuf(int n) {
    initialize();
    run_builtin(n > 0 ? "call dropbuf " + std::to_string(n) : std::string("call dropbuf"));
}

void stack_desbuf() {
    initialize();
    run_builtin("call desbuf");
}

} // namespace cpd::cms::rexx
