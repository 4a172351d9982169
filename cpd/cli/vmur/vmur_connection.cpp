// SPDX-License-Identifier: MIT
// vmur's connection to cpd: CP commands and raw spool frames.
#include "vmur_connection.hpp"

#include "cpd/ipc/frame_io.hpp"
#include "cpd/proto/version.hpp"

#include <array>
#include <cstdint>

namespace cpd::vmur {

int Cpd::cp(const std::string& command, std::string& out) {
    if (!conn.send(proto::ClientCpCommand{command}, error)) {
        return -1;
    }
    cli::Reply r;
    if (cli::await_answer(conn, r, answer_timeout_ms, error) != cli::ReadStatus::ok) {
        return -1;
    }
    const auto v = cli::cp_verdict(r.frame);
    if (!v) {
        error = cli::describe_frame(r.frame);
        return -1;
    }
    out = std::string(v->text);
    return static_cast<int>(v->rc);
}
bool Cpd::send_raw(proto::SpoolFrameType type, const std::vector<std::byte>& payload) {
    // The header on its own and the payload where it is: a punch's records
    // are not copied once more behind their header.
    std::array<std::byte, proto::socket_header_size> header{};
    const std::uint32_t n = static_cast<std::uint32_t>(payload.size());
    const std::uint16_t v = proto::socket_protocol_version;
    const auto t = static_cast<std::uint16_t>(type);
    for (unsigned i = 0; i < 4; ++i) {
        header[i] = static_cast<std::byte>((n >> (8 * i)) & 0xFF);
    }
    header[4] = static_cast<std::byte>(v & 0xFF);
    header[5] = static_cast<std::byte>(v >> 8);
    header[6] = static_cast<std::byte>(t & 0xFF);
    header[7] = static_cast<std::byte>(t >> 8);
    std::error_code ec;
    if (!ipc::write_all(conn.fd(), header, payload, ec)) {
        error = "lost the connection to cpd: " + ec.message();
        return false;
    }
    return true;
}

std::string cp_text(const std::string& text, const std::string& command, int rc) {
    if (text.empty()) {
        return "CP command '" + command + "' failed with rc=" + std::to_string(rc);
    }
    std::string first = text.substr(0, text.find('\n'));
    if (first.starts_with("HCP") && first.find(' ') != std::string::npos) {
        first = first.substr(first.find(' ') + 1);
    }
    return first;
}

int cp_or_fail(Cpd& c, const std::string& command, std::string& out) {
    const int rc = c.cp(command, out);
    if (rc < 0) {
        return fail(c.error);
    }
    if (rc != 0) {
        return fail(cp_text(out, command, rc), rc == 16 ? ex_busy : ex_error);
    }
    return -1;
}

int check_device(Cpd& c, const Args& a, std::string_view kind, const char* fallback,
                 std::string& devno) {
    devno = a.devno.empty() ? fallback : a.devno;
    if (a.devno.empty()) {
        return -1;
    }
    std::string out;
    if (int st = cp_or_fail(c, "QUERY VIRTUAL " + devno, out); st >= 0) {
        return st;
    }
    if (!out.starts_with(kind)) {
        return fail("Device " + devno + " is not a " +
                    (kind == "RDR"   ? "reader"
                     : kind == "PUN" ? "punch"
                                     : "printer"));
    }
    return -1;
}

} // namespace cpd::vmur
