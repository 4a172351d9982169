// SPDX-License-Identifier: MIT
// vmur's command line: the options s390-tools' vmur takes (and cpd's -s),
// checked and normalised before any connection is made.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cpd::vmur {

/// Exit status: success, any error, and vmur's "device in use by another writer".
inline constexpr int ex_ok = 0, ex_error = 1, ex_busy = 16;

/// Prints "vmur: what" (made safe to print) on stderr and returns `code`.
int fail(std::string_view what, int code = ex_error);

/// -b SEP,PAD: the byte that ends a record in the host file, and the byte
/// that pads a record to the unit's length (stripped again on receive).
struct Blocked {
    char separator;
    char pad;
};

/// "0xSS,0xPP" (or "SS,PP" in hex), as s390-tools' vmur takes it.
std::optional<Blocked> parse_blocked(const std::string& arg);

/// -d: a virtual device number, 1-4 hex digits, as "000D".
std::optional<std::string> parse_devno(std::string v);

struct Args {
    std::string command, queue = "RDR", user, name, spool_class, socket;
    std::string form, dest, dist, devno, blocked_arg;
    std::string node; ///< -n: an RSCS node, refused (cpd has no RSCS)
    bool text = false, force = false, hold = false, to_stdout = false, rdr = false;
    std::optional<Blocked> blocked; ///< -b: separator and pad bytes
    std::vector<std::string> operands;
};

/// Fills `a` from argv. Returns the exit status when vmur should end here
/// (--help, --version, a bad option), or -1 to go on.
int parse(int argc, char** argv, Args& a);

} // namespace cpd::vmur
