// SPDX-License-Identifier: MIT
// The CMS program stack: one per virtual machine, shared by every EXEC and
// CMS command. It is Regina's in-process SESSION queue, so PUSH, QUEUE,
// PULL and QUEUED() in a program and these functions in a command see the
// same lines. Buffers (MAKEBUF, DROPBUF, DESBUF) are not in the SAA API;
// they run Regina's own buffer functions in a tiny in-store program.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace cpd::cms::rexx {

/// Lines on the stack, all buffers.
std::size_t stack_lines();
/// Takes the top line (as PULL would, without upper-casing); nullopt if empty.
std::optional<std::string> stack_pull();
/// QUEUE (FIFO, at the bottom of the top buffer) or PUSH (LIFO, on top).
void stack_add(std::string_view line, bool lifo);
/// MAKEBUF: a new buffer on top; its number (1, 2, ...).
int stack_makebuf();
/// DROPBUF n: drops buffer n and those above it with their lines; n 0 (or
/// omitted) drops the top buffer.
void stack_dropbuf(int n);
/// DESBUF: empties the stack, all buffers.
void stack_desbuf();

} // namespace cpd::cms::rexx
