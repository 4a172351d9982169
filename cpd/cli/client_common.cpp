// SPDX-License-Identifier: MIT
// Shared plumbing of the shell tools: socket selection, one blocking
// connection with decoded replies, awaiting an answer, argv splitting and the
// rc -> sysexits map.
// Everything here reports errors as text for the caller to print; nothing
// exits the process.
#include "client_common.hpp"

#include "socket_path.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string>

namespace cpd::cli {

bool resolve_socket(const std::string& option, std::string& path, std::string& error) {
    std::string text = option;
    std::string source = "--socket";
    if (text.empty()) {
        const char* env = std::getenv("CPD_SOCKET");
        if (env != nullptr && *env != '\0') {
            text = env;
            source = "CPD_SOCKET";
        } else {
            text = common::default_socket_path();
            source = "default socket";
        }
    }
    const auto bad = common::parse_socket_address(text, path);
    if (bad != common::SocketAddressError::none) {
        error = source + ": '" + text + "' " + common::describe(bad);
        return false;
    }
    return true;
}

bool Connection::open(const std::string& socket_path, std::string& error) {
    std::error_code ec;
    fd_ = ipc::connect_unix(socket_path, ec);
    if (ec || !fd_) {
        error = "cannot connect to cpd at " + socket_path + ": " +
                (ec ? ec.message() : std::string("unknown error"));
        return false;
    }
    return true;
}

bool Connection::send(const proto::ClientFrame& frame, std::string& error) {
    if (auto v = proto::validate(frame); !v) {
        error = std::string("invalid request: ") + std::string(proto::describe(v.error()));
        return false;
    }
    std::vector<std::byte> bytes;
    proto::append_frame(bytes, frame);
    std::error_code ec;
    if (!ipc::write_all(fd_.get(), bytes, ec)) {
        error = "unable to send to cpd: " + ec.message();
        return false;
    }
    return true;
}

ReadStatus Connection::read(Reply& out, int timeout_ms, std::string& error) {
    std::error_code ec;
    if (!ipc::read_frame(fd_.get(), out.raw, ec, timeout_ms)) {
        if (ec == std::errc::timed_out) {
            return ReadStatus::timed_out;
        }
        if (ec == ipc::frame_errc::eof) {
            error = "cpd closed the connection";
            return ReadStatus::closed;
        }
        if (ec == std::errc::protocol_error) {
            error = "malformed frame from cpd";
            return ReadStatus::protocol_error;
        }
        error = "connection to cpd lost: " + ec.message();
        return ReadStatus::io_error;
    }
    auto decoded = proto::decode_server_frame(out.raw.type, out.raw.payload);
    if (!decoded) {
        error = "malformed reply from cpd (type " + std::to_string(out.raw.type) +
                "): " + std::string(proto::describe(decoded.error()));
        return ReadStatus::protocol_error;
    }
    out.frame = std::move(*decoded);
    return ReadStatus::ok;
}

ReadStatus await_answer(Connection& c, Reply& out, int timeout_ms, std::string& error,
                        const std::function<void(const proto::ServerSmsgEvent&)>& on_smsg) {
    using clock = std::chrono::steady_clock;
    const auto deadline = clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
        const ReadStatus s = c.read(out, static_cast<int>(std::max<long>(left.count(), 0)), error);
        if (s == ReadStatus::timed_out) {
            error = "no answer from cpd";
        }
        if (s != ReadStatus::ok) {
            return s;
        }
        const auto* event = std::get_if<proto::ServerSmsgEvent>(&out.frame);
        if (event == nullptr) {
            return ReadStatus::ok;
        }
        if (on_smsg) {
            on_smsg(*event);
        }
    }
}

std::optional<CpVerdict> cp_verdict(const proto::ServerFrame& frame) {
    if (const auto* resp = std::get_if<proto::ServerCpResponse>(&frame)) {
        return CpVerdict{false, resp->rc, resp->text};
    }
    if (const auto* err = std::get_if<proto::ServerError>(&frame)) {
        return CpVerdict{true, err->rc, err->text};
    }
    return std::nullopt;
}

void split_arguments(int argc, char** argv, std::initializer_list<std::string_view> valued,
                     std::vector<std::string>& options, std::vector<std::string>& operands) {
    int i = 1;
    for (; i < argc; ++i) {
        const std::string_view a = argv[i];
        if (a == "--") {
            ++i;
            break;
        }
        if (a.size() < 2 || a.front() != '-') {
            break; // first operand
        }
        options.emplace_back(a);
        for (std::string_view v : valued) {
            if (a == v && i + 1 < argc) {
                options.emplace_back(argv[++i]);
            }
        }
    }
    for (; i < argc; ++i) {
        operands.emplace_back(argv[i]);
    }
}

int exit_code_for(proto::CpRc rc) noexcept {
    using proto::CpRc;
    switch (rc) {
    case CpRc::ok:
        return ex_ok;
    case CpRc::not_logged_on:
    case CpRc::not_in_directory:
        return ex_nouser;
    case CpRc::not_receiving:
    case CpRc::busy:
    case CpRc::shutting_down:
    case CpRc::console_busy: // another writer: retry, or attach with --force
        return ex_tempfail;
    case CpRc::invalid_userid:
    case CpRc::invalid_operand:
    case CpRc::invalid_option:
        return ex_dataerr;
    case CpRc::not_authorized:
    case CpRc::nolog: // the directory forbids logging this guest on: retrying cannot help
        return ex_noperm;
    default:
        return ex_software;
    }
}

/// The default wording of a CP refusal, as z/VM phrases it.
static std::string default_text(proto::CpRc rc, std::string_view userid) {
    using proto::CpRc;
    const std::string u(userid);
    switch (rc) {
    case CpRc::not_logged_on:
        return u + " not logged on";
    case CpRc::not_in_directory:
        return u + " not in CP directory";
    case CpRc::not_receiving:
        return u + " not receiving; SMSG off";
    case CpRc::busy:
        return u + " not receiving; message queue full, message dropped";
    case CpRc::invalid_userid:
        return "Userid missing or invalid";
    case CpRc::invalid_operand:
        return "Operand missing or invalid";
    case CpRc::not_authorized:
        return "Your privilege class does not allow this command";
    case CpRc::unknown_command:
        return "Unknown CP command";
    case CpRc::shutting_down:
        return "System is shutting down";
    default:
        return "CP return code " + std::to_string(static_cast<unsigned>(rc));
    }
}

std::string cp_error_text(proto::CpRc rc, std::string_view text, std::string_view userid) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
        text.remove_suffix(1);
    }
    if (text.starts_with("HCP")) {
        return std::string(text);
    }
    std::string out(proto::cp_message_id(rc));
    if (!out.empty()) {
        out += ' ';
    }
    out += text.empty() ? default_text(rc, userid) : std::string(text);
    return out;
}

std::string describe_frame(const proto::ServerFrame& frame) {
    if (const auto* e = std::get_if<proto::ServerError>(&frame)) {
        return std::string(e->text);
    }
    return "unexpected frame type " +
           std::to_string(static_cast<unsigned>(proto::frame_type(frame)));
}

} // namespace cpd::cli
