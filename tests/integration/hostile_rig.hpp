// SPDX-License-Identifier: MIT
// What the isolation and LINK tests share about HOSTILE (hostile_guest.cpp):
// its directory entry, sending it a command and reading what it recorded,
// and reading its answers.
#pragma once

#include "test_directory.hpp"

#include <string>

namespace cpd::test {

/// HOSTILE's directory entry: the hostile program, a log on its own 0191.
inline std::string hostile_entry() {
    return std::string("USER HOSTILE NOPASS 32M 32M G\n IPL ") + CPD_TEST_HOSTILE +
           " PARM $DIR/state/disks/HOSTILE/0191/log\n MDISK 0191 3390 1 1 HOS191 MR\n"
           " SHARE RELATIVE 200\n";
}

/// Sends HOSTILE `command` ("<attack> [operands]", or "cp <CP command>") as
/// `op`, and returns the line it recorded for it ("<attack>: ..." or
/// "CPRESP rc text"), or "" if none came within 10 s.
inline std::string hostile_command(Client& op, const CpdHarness& cpd, const std::string& command) {
    const std::string log = cpd.out_file("hostile");
    const std::string name = command.substr(0, command.find(' '));
    const std::string answer = name == "cp" ? "CPRESP " : name + ": ";
    const std::size_t before = read_lines(log).size();
    REQUIRE(op.smsg("HOSTILE", command).rc == proto::CpRc::ok);
    std::string found;
    wait_until(
        [&] {
            const auto lines = read_lines(log);
            for (std::size_t i = before; i < lines.size(); ++i) {
                if (lines[i].starts_with(answer)) {
                    found = lines[i];
                    return true;
                }
            }
            return false;
        },
        10s);
    return found;
}

/// True if HOSTILE recorded an error for its attack (not "ok").
inline bool refused(const std::string& result) {
    return !result.empty() && result.find(": ok") == std::string::npos;
}

/// The pid in an answer such as "fork: ok pid 1234" (0 if none).
inline pid_t recorded_pid(const std::string& result) {
    const auto at = result.find("ok pid ");
    return at == std::string::npos ? 0 : static_cast<pid_t>(std::stol(result.substr(at + 7)));
}

} // namespace cpd::test
