// SPDX-License-Identifier: MIT
// The console requests of ConsoleConnection over cli::Connection; also the
// exit-code and "Ready;" formatting rules shared by pipe and terminal modes.
// CP refusals map to exit codes through cli::exit_code_for, as in vmsend.
#include "console_connection.hpp"

#include <cstdio>

namespace cpd::cli {

using namespace cpd::proto;

namespace {

/// How long cpd may take to answer an attach (it may first log the guest on).
constexpr int attach_timeout_ms = 30000;

} // namespace

AttachOutcome ConsoleConnection::attach(const Userid& userid, AttachMode mode, bool logon,
                                        ReplayScope replay) {
    AttachOutcome outcome;
    if (!conn_.send(ClientConsoleAttach{userid, mode, logon, replay}, error_)) {
        outcome.exit_code = ex_ioerr;
        outcome.message = error_;
        return outcome;
    }
    const ReadStatus s = await_answer(conn_, reply_, attach_timeout_ms, error_);
    if (s != ReadStatus::ok) {
        outcome.exit_code = s == ReadStatus::protocol_error ? ex_protocol : ex_ioerr;
        outcome.message = error_;
        return outcome;
    }
    if (const auto* attached = std::get_if<ServerConsoleAttached>(&reply_.frame)) {
        outcome.ok = true;
        outcome.role = attached->role;
        return outcome;
    }
    const auto verdict = cp_verdict(reply_.frame);
    if (!verdict || verdict->rc == CpRc::ok) {
        outcome.exit_code = ex_protocol;
        outcome.message = "unexpected answer to attach: " + describe_frame(reply_.frame);
        return outcome;
    }
    outcome.exit_code = exit_code_for(verdict->rc);
    outcome.message = std::string(verdict->text) + " (rc " +
                      std::to_string(static_cast<int>(verdict->rc)) + ")";
    return outcome;
}

bool ConsoleConnection::send_input(std::string_view line) {
    return conn_.send(ClientConsoleInput{line}, error_);
}

bool ConsoleConnection::send_cp(std::string_view command) {
    return conn_.send(ClientConsoleCp{command}, error_);
}

bool ConsoleConnection::send_detach() { return conn_.send(ClientConsoleDetach{}, error_); }

bool ConsoleConnection::next(ServerFrame& out, int timeout_ms) {
    if (conn_.read(reply_, timeout_ms, error_) != ReadStatus::ok) {
        return false;
    }
    out = reply_.frame;
    return true;
}

int exit_code_for_command_rc(int rc) noexcept {
    if (rc >= 0 && rc < 64) {
        return rc;
    }
    return 63;
}

std::string ready_line(int rc) {
    if (rc == 0) {
        return "Ready;";
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "Ready(%05d);", rc);
    return buf;
}

} // namespace cpd::cli
