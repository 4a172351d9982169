// SPDX-License-Identifier: MIT
// vmsend: send an SMSG (or with --msg a CP MSG) to a guest as the identity
// cpd grants this host user, and report the outcome synchronously through the
// exit status. With --wait,
// also print the SMSGs that arrive for that identity until the time is up.
// A thin shell over client_common: parse, validate, one request, map the rc.
// Texts from senders and cpd are printed through safe_line.
// g++ 12 flags Boost.Program_options' typed_value<std::string>::notify with a
// false -Wnull-dereference once inlined; silence it for this file only.
#pragma GCC diagnostic ignored "-Wnull-dereference"

#include "client_common.hpp"
#include "safe_text.hpp"

#include "cpd/proto/ring_frame.hpp"
#include "cpd/proto/version.hpp"

#include <boost/program_options.hpp>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>

namespace po = boost::program_options;
using namespace cpd;
using cli::Connection;
using cli::ReadStatus;
using cli::Reply;

namespace {

/// How long cpd may take to answer a request before we give up (exit 74).
constexpr int answer_timeout_ms = 10000;

constexpr const char* usage_head =
    "Usage: vmsend [OPTIONS] USERID [--] [TEXT...]\n"
    "Send TEXT as an SMSG to the guest USERID, acting as the userid cpd grants you.\n"
    "With --msg, send it as a CP MSG instead: shown on USERID's console as\n"
    "'hh:mm:ss * MSG FROM you     : TEXT' (kept in its console replay when no\n"
    "console is attached). Without TEXT the first line of standard input is sent.\n"
    "Options must come before USERID; everything after it is text. SMSG text is\n"
    "at most 236 bytes, MSG text at most what fits a 512-byte CP command.\n\n";

constexpr const char* usage_tail =
    "\nExit status:\n"
    "   0  delivered\n"
    "  64  usage error (bad options, missing USERID or TEXT)\n"
    "  65  invalid userid (HCP020E) or text: empty, over 236 bytes, or holding\n"
    "      NUL, CR or LF (HCP026E)\n"
    "  67  USERID not logged on or not in the directory (HCPMSG045E for both)\n"
    "  69  cpd not reachable (no socket, connection refused)\n"
    "  70  internal error or an unexpected CP return code\n"
    "  74  connection to cpd lost before the answer\n"
    "  75  USERID not receiving (HCPMSG057I, SET SMSG OFF or SET MSG OFF), its ring is full\n"
    "      (HCPMSG061W, message dropped) or CP is shutting down\n"
    "  76  protocol error (malformed reply, version mismatch)\n"
    "  77  permission denied (your privilege class or identity)\n"
    "Errors are printed as 'vmsend: error: <CP message> (rc N)'.\n"
    "Environment: CPD_SOCKET (overridden by --socket).\n";

/// Parsed command line.
struct Args {
    std::string socket;
    double wait_seconds = -1; ///< < 0: do not wait
    bool show_sender = false;
    bool msg = false; ///< --msg: a CP MSG rather than an SMSG
    std::string userid;
    std::vector<std::string> words;
};

/// Prints "vmsend: error: ..." (which may quote cpd or the user) and returns `code`.
int fail(int code, std::string_view what) {
    std::cerr << "vmsend: error: " << cli::safe_line(what) << '\n';
    return code;
}

/// Parses argv into `a`; returns -1 to go on, or an exit status.
int parse(int argc, char** argv, Args& a) {
    po::options_description desc("Options");
    desc.add_options()("help,h", "show this help and exit")("version,V",
                                                            "show the version and exit")(
        "socket,s", po::value<std::string>(), cli::socket_option_help)(
        "wait,w", po::value<double>(),
        "after sending, print the SMSGs sent to you for SECONDS, one text per line")(
        "show-sender", po::bool_switch(&a.show_sender),
        "with --wait, prefix each line with 'USERID: '")(
        "msg,m", po::bool_switch(&a.msg), "send a CP MSG (shown on the console), not an SMSG");
    std::vector<std::string> options, operands;
    cli::split_arguments(argc, argv, {"--socket", "-s", "--wait", "-w"}, options, operands);
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(options).options(desc).run(), vm);
        po::notify(vm);
        if (vm.count("socket") != 0U) {
            a.socket = vm["socket"].as<std::string>();
        }
        if (vm.count("wait") != 0U) {
            a.wait_seconds = vm["wait"].as<double>();
        }
    } catch (const po::error& e) {
        return fail(cli::ex_usage, std::string(e.what()) + " (try --help)");
    }
    if (vm.count("help") != 0U) {
        std::cout << usage_head << desc << usage_tail;
        return cli::ex_ok;
    }
    if (vm.count("version") != 0U) {
        std::cout << "vmsend (cpd) " << proto::product_version << '\n';
        return cli::ex_ok;
    }
    if (vm.count("wait") != 0U && !(a.wait_seconds >= 0 && a.wait_seconds <= 86400)) {
        return fail(cli::ex_usage, "--wait: SECONDS must be between 0 and 86400 (try --help)");
    }
    if (operands.empty()) {
        return fail(cli::ex_usage, "missing USERID (try --help)");
    }
    a.userid = operands.front();
    auto first_word = operands.begin() + 1;
    if (first_word != operands.end() && *first_word == "--") {
        ++first_word;
    }
    a.words.assign(first_word, operands.end());
    return -1;
}

/// The message text: the words joined by blanks, or the first line of stdin.
bool message_text(const Args& a, std::string& text) {
    if (!a.words.empty()) {
        for (const std::string& w : a.words) {
            text += text.empty() ? "" : " ";
            text += w;
        }
        return true;
    }
    if (!std::getline(std::cin, text)) {
        return false;
    }
    if (!text.empty() && text.back() == '\r') {
        text.pop_back();
    }
    return true;
}

/// Checks userid and text locally so bad input never reaches cpd.
int validate(const Args& a, const std::string& text) {
    if (!proto::Userid::parse(a.userid)) {
        return fail(cli::ex_dataerr,
                    "HCP020E Userid missing or invalid: '" + a.userid + "' (rc 20)");
    }
    if (text.empty()) {
        return fail(cli::ex_dataerr,
                    "HCP026E Operand missing or invalid: empty message text (rc 26)");
    }
    if (a.msg) {
        const std::size_t limit =
            proto::cp_command_max - 5 - proto::Userid::parse(a.userid)->str().size();
        if (text.size() > limit || text.find_first_of(std::string_view("\0\r\n", 3)) !=
                                        std::string::npos) {
            return fail(cli::ex_dataerr, "HCP026E Operand missing or invalid: MSG text is " +
                                             std::to_string(text.size()) +
                                             " bytes (the limit is " + std::to_string(limit) +
                                             ") or holds NUL, CR or LF (rc 26)");
        }
        return -1;
    }
    if (auto v = proto::check_smsg_text(text); !v) {
        if (v.error() == proto::errc::text_too_long) {
            return fail(cli::ex_dataerr, "HCP026E Operand missing or invalid: text is " +
                                             std::to_string(text.size()) + " bytes, the limit is " +
                                             std::to_string(proto::smsg_max_text) + " (rc 26)");
        }
        return fail(cli::ex_dataerr,
                    "HCP026E Operand missing or invalid: text contains NUL, CR or LF (rc 26)");
    }
    return -1;
}

/// Prints one SMSG that arrived for us; its sender chose the text.
void print_event(const Args& a, const proto::ServerSmsgEvent& e) {
    std::string line;
    if (a.show_sender) {
        line.append(cli::safe_line(e.from.str())).append(": ");
    }
    line.append(cli::safe_line(e.text)).push_back('\n');
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fflush(stdout);
}

/// Maps a failed read to an exit status with its message.
int read_failure(ReadStatus s, const std::string& error) {
    switch (s) {
    case ReadStatus::protocol_error:
        return fail(cli::ex_protocol, error);
    default:
        return fail(cli::ex_ioerr, error);
    }
}

/// Awaits CP's answer to our request (printing SMSG events meanwhile).
/// Returns -1 when the answer was rc 0, else an exit status.
int await_verdict(Connection& c, const Args& a) {
    Reply r;
    std::string error;
    const ReadStatus s = cli::await_answer(c, r, answer_timeout_ms, error,
                                           [&a](const auto& e) { print_event(a, e); });
    if (s != ReadStatus::ok) {
        return read_failure(s, error);
    }
    const auto verdict = cli::cp_verdict(r.frame);
    if (!verdict) {
        return fail(cli::ex_protocol, cli::describe_frame(r.frame));
    }
    const proto::CpRc rc = verdict->rc;
    if (rc == proto::CpRc::ok) {
        if (verdict->refused) { // an error frame must carry a reason
            return fail(cli::ex_protocol,
                        "cpd refused the request: " + std::string(verdict->text));
        }
        return -1;
    }
    const std::string userid(proto::Userid::parse(a.userid)->str());
    return fail(cli::exit_code_for(rc), cli::cp_error_text(rc, verdict->text, userid) + " (rc " +
                                            std::to_string(static_cast<unsigned>(rc)) + ")");
}

/// Prints the SMSGs that arrive until `seconds` have passed.
int listen_for(Connection& c, const Args& a, double seconds) {
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::microseconds(static_cast<long long>(seconds * 1e6));
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            return cli::ex_ok;
        }
        Reply r;
        std::string error;
        const ReadStatus s = c.read(r, static_cast<int>(left.count()), error);
        if (s == ReadStatus::timed_out) {
            return cli::ex_ok;
        }
        if (s != ReadStatus::ok) {
            std::cerr << "vmsend: warning: " << error << '\n';
            return cli::ex_ok; // the message itself was delivered
        }
        if (const auto* e = std::get_if<proto::ServerSmsgEvent>(&r.frame)) {
            print_event(a, *e);
        }
    }
}

/// Connects, optionally starts listening, sends the SMSG and reports.
int send(const Args& a, const std::string& text) {
    std::string socket, error;
    if (!cli::resolve_socket(a.socket, socket, error)) {
        return fail(cli::ex_usage, error);
    }
    Connection c;
    if (!c.open(socket, error)) {
        return fail(cli::ex_unavailable, error);
    }
    const bool waiting = a.wait_seconds >= 0;
    if (waiting) {
        // Listen before sending so a quick reply cannot slip past; cpd answers
        // the listen with a CP response (rc 0, or not_authorized).
        if (!c.send(proto::ClientSmsgListen{}, error)) {
            return fail(cli::ex_ioerr, error);
        }
        if (int st = await_verdict(c, a); st >= 0) {
            return st;
        }
    }
    const proto::Userid to = *proto::Userid::parse(a.userid);
    const std::string command = "MSG " + std::string(to.str()) + " " + text;
    const bool sent = a.msg ? c.send(proto::ClientCpCommand{command}, error)
                            : c.send(proto::ClientSmsgSend{to, text}, error);
    if (!sent) {
        return fail(cli::ex_ioerr, error);
    }
    if (int st = await_verdict(c, a); st >= 0) {
        return st;
    }
    return waiting ? listen_for(c, a, a.wait_seconds) : cli::ex_ok;
}

} // namespace

int main(int argc, char** argv) {
    Args a;
    if (int st = parse(argc, argv, a); st >= 0) {
        return st;
    }
    std::string text;
    if (!message_text(a, text)) {
        return fail(cli::ex_usage, "no message text: give TEXT or a line on standard input");
    }
    if (int st = validate(a, text); st >= 0) {
        return st;
    }
    return send(a, text);
}
