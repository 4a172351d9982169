// SPDX-License-Identifier: MIT
// cmsconsole: attach a terminal (or a pipe) to a guest's console. Parses
// options, finds cpd's socket, attaches (logging the guest on first when the
// user may), shows the banner and the replay (which lines: see --replay),
// then hands over to pipe or terminal mode. Exit codes are documented in --help and cmsconsole(1).
#include "client_common.hpp"
#include "console_modes.hpp"

#include <boost/program_options.hpp>

#include <cctype>
#include <cstdlib>
#include <iostream>
#include <unistd.h>

namespace po = boost::program_options;
using namespace cpd;

namespace {

// CP refusals map to these codes through cli::exit_code_for, as in vmsend.
const char* const exit_codes_help = R"(Exit status:
  0   detached, or the guest logged off; in pipe mode the last command's rc
      (1-63 as is, any other non-zero rc as 63); an observer without a
      terminal whose input ended or that got SIGINT
  64  usage error
  65  CP refused an operand, or a line was too long to send (HCP026E: over
      4096 bytes, a #CP command over 512); pipe mode stops there
  67  no such guest (not in the directory / not logged on with --no-logon)
  69  cpd unreachable (no socket, connection refused)
  70  internal error or an unexpected CP return code (e.g. HCPLGA071E: the
      guest program could not be started)
  74  connection to cpd lost, or the guest was forced off, crashed or CP
      shut down while attached
  75  writer busy (use --force), CP shutting down
  76  protocol error
  77  not authorized, or the guest may not be logged on (NOLOG); in pipe
      mode, a writer whose role another user took with --force
The terminal is restored whatever ends cmsconsole; Ctrl-Z suspends it with the
terminal restored and 'fg' resumes with the line being typed intact.
Replay: on a terminal, the lines written since you last saw this console; in
pipe mode none; --replay shows every line cpd kept, in both modes.
An observer has no prompt: it watches until the guest logs off, the escape
key, Ctrl-D or Ctrl-C; without a terminal, until the guest logs off, SIGINT,
or end of input (stdin /dev/null has no end: it watches until logoff).
)";

// Parses "^]", "^X", "ctrl-x" or "none"; returns -2 if invalid, -1 for none.
int parse_escape(const std::string& text) {
    if (text == "none") {
        return -1;
    }
    std::string key;
    if (text.size() == 2 && text[0] == '^') {
        key = text.substr(1);
    } else if (text.size() == 6 && text.compare(0, 5, "ctrl-") == 0) {
        key = text.substr(5);
    } else {
        return -2;
    }
    const char c = static_cast<char>(std::toupper(static_cast<unsigned char>(key[0])));
    if (c < '@' || c > '_') {
        return -2;
    }
    return c - '@';
}

std::string history_path(const proto::Userid& userid) {
    std::string base;
    if (const char* xdg = std::getenv("XDG_STATE_HOME"); xdg && *xdg == '/') {
        base = xdg;
    } else if (const char* home = std::getenv("HOME"); home && *home == '/') {
        base = std::string(home) + "/.local/state";
    } else {
        return "";
    }
    return base + "/cpd/history/" + std::string(userid.str());
}

} // namespace

int main(int argc, char** argv) {
    po::options_description visible("Usage: cmsconsole [options] USERID\nOptions");
    visible.add_options()("help,h", "show this help and exit")("version,V", "show the version")(
        "socket,s", po::value<std::string>(), cli::socket_option_help)(
        "observe,o", "attach read-only, as an observer")(
        "force,f", "take the writer role from the current writer")(
        "escape,e", po::value<std::string>()->default_value("^]"),
        "detach key: ^X for Ctrl-X, or none")("no-logon", "do not log the guest on if it is not")(
        "replay,r", "replay every console line cpd kept (default: on a terminal the lines "
                    "you have not seen yet, in pipe mode none)");
    po::options_description hidden;
    hidden.add_options()("userid", po::value<std::string>());
    po::options_description all;
    all.add(visible).add(hidden);
    po::positional_options_description pos;
    pos.add("userid", 1);
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(argc, argv).options(all).positional(pos).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        std::cerr << "cmsconsole: error: " << e.what() << "\nTry 'cmsconsole --help'.\n";
        return cli::ex_usage;
    }
    if (vm.count("help")) {
        std::cout << visible << '\n' << exit_codes_help;
        return cli::ex_ok;
    }
    if (vm.count("version")) {
        std::cout << "cmsconsole (cpd) " << proto::product_version << '\n';
        return cli::ex_ok;
    }
    if (!vm.count("userid") || (vm.count("observe") && vm.count("force"))) {
        std::cerr << "cmsconsole: error: give one USERID (and not both --observe and --force)\n"
                     "Try 'cmsconsole --help'.\n";
        return cli::ex_usage;
    }
    auto userid = proto::Userid::parse(vm["userid"].as<std::string>());
    if (!userid) {
        std::cerr << "cmsconsole: error: HCP020E Userid missing or invalid: "
                  << vm["userid"].as<std::string>() << '\n';
        return cli::ex_usage;
    }
    cli::ConsoleSettings settings(*userid);
    settings.escape_name = vm["escape"].as<std::string>();
    settings.escape_char = parse_escape(settings.escape_name);
    if (settings.escape_char == -2) {
        std::cerr << "cmsconsole: error: bad escape key '" << settings.escape_name
                  << "' (use ^X or none)\n";
        return cli::ex_usage;
    }
    std::string socket_error;
    std::string socket;
    if (!cli::resolve_socket(vm.count("socket") ? vm["socket"].as<std::string>() : std::string(),
                             socket, socket_error)) {
        std::cerr << "cmsconsole: error: " << socket_error << '\n';
        return cli::ex_usage;
    }
    cli::ConsoleConnection conn;
    std::string connect_error;
    if (!conn.open(socket, connect_error)) {
        std::cerr << "cmsconsole: error: " << connect_error << '\n';
        return cli::ex_unavailable;
    }
    const auto mode = vm.count("observe") ? proto::AttachMode::observer
                      : vm.count("force") ? proto::AttachMode::force
                                          : proto::AttachMode::writer;
    const bool tty = ::isatty(STDIN_FILENO) && ::isatty(STDOUT_FILENO);
    // A script wants the answers to its own lines, not the console's past.
    const auto replay = vm.count("replay") ? proto::ReplayScope::all
                        : tty              ? proto::ReplayScope::unseen
                                           : proto::ReplayScope::none;
    const auto outcome = conn.attach(*userid, mode, !vm.count("no-logon"), replay);
    if (!outcome.ok) {
        std::cerr << "cmsconsole: error: " << outcome.message << '\n';
        return outcome.exit_code;
    }
    settings.role = outcome.role;
    if (!tty && outcome.role == proto::ConsoleRole::observer) {
        settings.interrupt_fd = cli::block_interrupts(); // before the banner scripts wait for
    }
    (tty ? std::cout : std::cerr)
        << "cmsconsole: attached to " << userid->str() << " as "
        << (outcome.role == proto::ConsoleRole::writer ? "writer" : "observer")
        << (settings.escape_char >= 0 && tty ? "; escape character is " + settings.escape_name
                                             : std::string())
        << '\n'
        << std::flush;
    std::string replay_error;
    if (!cli::print_replay(conn, replay_error, &settings.mode)) {
        std::cerr << "cmsconsole: error: " << replay_error << '\n';
        return cli::ex_ioerr;
    }
    if (tty) {
        settings.history_file = history_path(*userid);
        return cli::run_terminal_mode(conn, settings);
    }
    return settings.role == proto::ConsoleRole::observer ? cli::run_observer_pipe_mode(conn, settings)
                                                         : cli::run_pipe_mode(conn, settings);
}
