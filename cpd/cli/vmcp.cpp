// SPDX-License-Identifier: MIT
// vmcp: issue one CP command through cpd as the identity cpd grants this host
// user and print CP's response, like the vmcp tool of Linux on Z (s390-tools):
// the command is upper-cased unless -k, and the exit status is 0 for rc 0,
// 1 for a non-zero CP rc, 3 when cpd cannot be reached, 4 for bad options.
// CP's response may quote guests, so it is printed through safe_lines.
// g++ 12 flags Boost.Program_options' typed_value<std::string>::notify with a
// false -Wnull-dereference once inlined; silence it for this file only.
#pragma GCC diagnostic ignored "-Wnull-dereference"

#include "client_common.hpp"
#include "safe_text.hpp"

#include "cpd/proto/version.hpp"

#include <boost/program_options.hpp>

#include <cctype>
#include <cstdio>
#include <iostream>
#include <string>

namespace po = boost::program_options;
using namespace cpd;

namespace {

constexpr int vmcp_ok = 0;
constexpr int vmcp_cp_error = 1;
constexpr int vmcp_linux_error = 3;
constexpr int vmcp_options = 4;

/// How long cpd may take to answer the command before we give up (exit 3).
constexpr int answer_timeout_ms = 30000;

constexpr const char* usage_head =
    "Usage: vmcp [OPTIONS] COMMAND...\n"
    "Issue a CP command to cpd and print the response, e.g. 'vmcp q n'.\n"
    "The command is upper-cased unless --keepcase is given (so 'vmcp smsg echo hi'\n"
    "sends 'HI'; use -k to keep case). Options must come before COMMAND.\n\n";

constexpr const char* usage_tail =
    "\nExit status:\n"
    "  0  CP return code 0\n"
    "  1  non-zero CP return code (the response is still printed; stderr says\n"
    "     \"Error: non-zero CP response for command 'CMD': #RC\")\n"
    "  3  cpd not reachable, connection lost, or a malformed reply\n"
    "  4  bad options, no command, or a command longer than 512 bytes\n"
    "(2, response buffer too small on Linux on Z, is never used.)\n"
    "Environment: CPD_SOCKET (overridden by --socket).\n";

/// Prints "vmcp: error: ..." and returns `code`.
int fail(int code, std::string_view what) {
    std::cerr << "vmcp: error: " << cli::safe_line(what) << '\n';
    return code;
}

/// Parsed command line.
struct Args {
    std::string socket;
    bool keepcase = false;
    std::string command;
};

/// Parses argv into `a`; returns -1 to go on, or an exit status.
int parse(int argc, char** argv, Args& a) {
    po::options_description desc("Options");
    desc.add_options()("help,h", "show this help and exit")(
        "version,V", "show the version and exit")("keepcase,k", po::bool_switch(&a.keepcase),
                                                  "do not upper-case the command")(
        "socket,s", po::value<std::string>(), cli::socket_option_help);
    std::vector<std::string> options, operands;
    cli::split_arguments(argc, argv, {"--socket", "-s"}, options, operands);
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(options).options(desc).run(), vm);
        po::notify(vm);
        if (vm.count("socket") != 0U) {
            a.socket = vm["socket"].as<std::string>();
        }
    } catch (const po::error& e) {
        return fail(vmcp_options, std::string(e.what()) + " (try --help)");
    }
    if (vm.count("help") != 0U) {
        std::cout << usage_head << desc << usage_tail;
        return vmcp_ok;
    }
    if (vm.count("version") != 0U) {
        std::cout << "vmcp (cpd) " << proto::product_version << '\n';
        return vmcp_ok;
    }
    for (const std::string& w : operands) {
        a.command += a.command.empty() ? "" : " ";
        a.command += w;
    }
    if (a.command.empty()) {
        return fail(vmcp_options, "no CP command given (try --help)");
    }
    if (a.command.size() > proto::cp_command_max) {
        return fail(vmcp_options, "the command is longer than " +
                                      std::to_string(proto::cp_command_max) + " bytes");
    }
    if (!a.keepcase) {
        for (char& c : a.command) {
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        }
    }
    return -1;
}

/// Prints CP's response text, its controls escaped, ending it with a newline.
void print_response(std::string_view raw) {
    if (raw.empty()) {
        return;
    }
    const std::string text = cli::safe_lines(raw);
    std::fwrite(text.data(), 1, text.size(), stdout);
    if (text.back() != '\n') {
        std::fputc('\n', stdout);
    }
    std::fflush(stdout);
}

/// Sends the command and reports CP's answer.
int issue(const Args& a) {
    std::string socket, error;
    if (!cli::resolve_socket(a.socket, socket, error)) {
        return fail(vmcp_options, error);
    }
    cli::Connection c;
    if (!c.open(socket, error)) {
        return fail(vmcp_linux_error, error);
    }
    if (!c.send(proto::ClientCpCommand{a.command}, error)) {
        return fail(vmcp_linux_error, error);
    }
    cli::Reply r;
    if (cli::await_answer(c, r, answer_timeout_ms, error) != cli::ReadStatus::ok) {
        return fail(vmcp_linux_error, error); // SMSG events meanwhile are not ours to show
    }
    const auto verdict = cli::cp_verdict(r.frame);
    if (!verdict) {
        return fail(vmcp_linux_error, cli::describe_frame(r.frame));
    }
    if (verdict->refused) {
        std::cerr << cli::safe_lines(cli::cp_error_text(verdict->rc, verdict->text, "")) << '\n';
        if (verdict->rc == proto::CpRc::ok) {
            return vmcp_linux_error; // an error frame without a CP rc: cpd itself failed
        }
    } else {
        print_response(verdict->text);
    }
    if (verdict->rc != proto::CpRc::ok) {
        std::cerr << "Error: non-zero CP response for command '" << cli::safe_line(a.command)
                  << "': #" << static_cast<unsigned>(verdict->rc) << '\n';
        return vmcp_cp_error;
    }
    return vmcp_ok;
}

} // namespace

int main(int argc, char** argv) {
    Args a;
    if (int st = parse(argc, argv, a); st >= 0) {
        return st;
    }
    return issue(a);
}
