// SPDX-License-Identifier: MIT
// vmur's connection to cpd: CP commands as the mapped userid, and spool
// frames written raw on the control socket.
#pragma once

#include "vmur_args.hpp"

#include "client_common.hpp"

#include "cpd/proto/spool_frame.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cpd::vmur {

/// How long vmur waits for any answer from cpd.
inline constexpr int answer_timeout_ms = 60000;

/// A connection that runs CP commands and moves spool frames.
struct Cpd {
    cli::Connection conn;
    std::string error;

    /// Runs a CP command; the response text in `out`; the CP rc, or -1 if cpd failed.
    int cp(const std::string& command, std::string& out);
    /// Sends one spool frame of `type`; false (with `error`) if the connection is lost.
    bool send_raw(proto::SpoolFrameType type, const std::vector<std::byte>& payload);
};

/// CP's text without the "HCPxxxnnnE " prefix, as vmur prints it.
std::string cp_text(const std::string& text, const std::string& command, int rc);

/// Runs `command`; -1 if CP said rc 0, else vmur's exit status after saying why.
int cp_or_fail(Cpd& c, const std::string& command, std::string& out);

/// -d: the device must be the caller's `kind` ("RDR", "PUN", "PRT"), as
/// QUERY VIRTUAL shows it; its number in `devno`, or `fallback` without -d.
/// -1 to go on, else the exit status.
int check_device(Cpd& c, const Args& a, std::string_view kind, const char* fallback,
                 std::string& devno);

} // namespace cpd::vmur
