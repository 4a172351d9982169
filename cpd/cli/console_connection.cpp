// SPDX-License-Identifier: MIT
// Blocking implementation of ConsoleConnection over ipc::frame_io; also the
// exit-code and "Ready;" formatting rules shared by pipe and terminal modes.
#include "console_connection.hpp"

#include <cstdio>
#include <sysexits.h>
#include <vector>

namespace cpd::cli {

using namespace cpd::proto;

bool ConsoleConnection::open(const std::string& socket_path, std::error_code& ec) {
    fd_ = ipc::connect_unix(socket_path, ec);
    return static_cast<bool>(fd_);
}

bool ConsoleConnection::send(const ClientFrame& frame) {
    if (!validate(frame)) {
        error_ = "line too long or invalid";
        return false;
    }
    std::vector<std::byte> bytes;
    append_frame(bytes, frame);
    std::error_code ec;
    if (!ipc::write_all(fd_.get(), bytes, ec)) {
        error_ = ec.message();
        return false;
    }
    return true;
}

AttachOutcome ConsoleConnection::attach(const Userid& userid, AttachMode mode, bool logon) {
    AttachOutcome outcome;
    if (!send(ClientConsoleAttach{userid, mode, logon})) {
        outcome.exit_code = EX_IOERR;
        outcome.message = "unable to send attach request: " + error_;
        return outcome;
    }
    ServerFrame frame;
    if (!next(frame, 30000)) {
        outcome.exit_code = error_.empty() ? EX_IOERR : EX_PROTOCOL;
        outcome.message = error_.empty() ? "cpd closed the connection" : error_;
        return outcome;
    }
    if (auto* attached = std::get_if<ServerConsoleAttached>(&frame)) {
        outcome.ok = true;
        outcome.role = attached->role;
        return outcome;
    }
    CpRc rc = CpRc::logon_failed;
    std::string_view text = "unexpected answer to attach";
    if (auto* err = std::get_if<ServerError>(&frame)) {
        rc = err->rc;
        text = err->text;
    } else if (auto* resp = std::get_if<ServerCpResponse>(&frame)) {
        rc = resp->rc;
        text = resp->text;
    }
    outcome.exit_code = exit_code_for_rc(rc);
    outcome.message = std::string(text) + " (rc " + std::to_string(static_cast<int>(rc)) + ")";
    return outcome;
}

bool ConsoleConnection::send_input(std::string_view line) { return send(ClientConsoleInput{line}); }
bool ConsoleConnection::send_cp(std::string_view command) { return send(ClientConsoleCp{command}); }
bool ConsoleConnection::send_detach() { return send(ClientConsoleDetach{}); }

bool ConsoleConnection::next(ServerFrame& out, int timeout_ms, bool* timed_out) {
    if (timed_out) {
        *timed_out = false;
    }
    std::error_code ec;
    if (!ipc::read_frame(fd_.get(), raw_, ec, timeout_ms)) {
        if (ec == std::errc::timed_out) {
            if (timed_out) {
                *timed_out = true;
            }
            error_ = "timed out";
            return false;
        }
        error_ = ec ? ec.message() : std::string();
        if (ec == ipc::frame_errc::eof || ec == std::errc::connection_reset ||
            ec == std::make_error_code(std::errc::broken_pipe)) {
            error_.clear();
        }
        return false;
    }
    auto decoded = decode_server_frame(raw_.type, raw_.payload);
    if (!decoded) {
        error_ = "malformed frame from cpd: " + std::string(describe(decoded.error()));
        return false;
    }
    out = *decoded;
    return true;
}

int exit_code_for_rc(CpRc rc) noexcept {
    switch (rc) {
    case CpRc::ok: return EX_OK;
    case CpRc::not_authorized: return EX_NOPERM;
    case CpRc::not_logged_on:
    case CpRc::not_in_directory:
    case CpRc::invalid_userid: return EX_NOUSER;
    case CpRc::console_busy:
    case CpRc::nolog:
    case CpRc::busy:
    case CpRc::shutting_down: return EX_TEMPFAIL;
    default: return EX_UNAVAILABLE;
    }
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
