// SPDX-License-Identifier: MIT
// Pipe mode of cmsconsole and the pieces shared with terminal mode: replay
// printing, close messages (line classification: console_lines.cpp). No timeouts decide when a
// command is done: output is read up to the command's end-of-output marker.
// Text from guests and cpd is printed through safe_line / safe_lines.
#include "console_modes.hpp"
#include "safe_text.hpp"

#include "cpd/proto/version.hpp"

#include <cerrno>
#include <csignal>
#include <poll.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cstdio>
#include <iostream>
#include <vector>

namespace cpd::cli {

using namespace cpd::proto;

std::string closed_message(const ServerConsoleClosed& closed) {
    std::string why;
    switch (closed.reason) {
    case CloseReason::logged_off: why = "guest logged off"; break;
    case CloseReason::forced: why = "guest was forced off"; break;
    case CloseReason::shutdown: why = "CP is shutting down"; break;
    case CloseReason::crashed: why = "guest crashed"; break;
    }
    if (!closed.text.empty()) {
        why += ": " + safe_line(closed.text);
    }
    return why;
}

bool print_replay(ConsoleConnection& conn, std::string& error, ConsoleMode* mode) {
    std::vector<std::string> lines;
    ServerFrame frame;
    while (conn.next(frame, 30000)) {
        if (auto* out = std::get_if<ServerConsoleOutput>(&frame)) {
            lines.push_back(safe_line(out->line));
        } else if (auto* end = std::get_if<ServerConsoleEnd>(&frame); end && mode != nullptr) {
            *mode = end->mode; // XEDIT holds the console
        } else if (auto* skipped = std::get_if<ServerConsoleSkipped>(&frame)) {
            if (skipped->lines > 0) {
                std::cout << "*** " << skipped->lines
                          << " earlier console lines were not kept ***\n";
            }
            for (const auto& l : lines) {
                std::cout << l << '\n';
            }
            std::cout.flush();
            return true;
        }
        // End markers and role notices inside the replay carry nothing to show.
    }
    error = conn.last_error().empty() ? "cpd closed the connection" : conn.last_error();
    return false;
}

namespace {

// Waits for the answer to one command; prints it, with "Ready;" only when CMS
// reads the next line (`mode` learns who does). Returns false if the console ended.
bool await_command(ConsoleConnection& conn, bool is_cp, int& rc, int& exit_code,
                   ConsoleMode& mode) {
    ServerFrame frame;
    while (conn.next(frame, -1)) {
        if (auto* out = std::get_if<ServerConsoleOutput>(&frame)) {
            std::cout << safe_line(out->line) << '\n';
        } else if (auto* end = std::get_if<ServerConsoleEnd>(&frame); end && !is_cp) {
            rc = end->rc;
            mode = end->mode;
            if (mode == ConsoleMode::command) {
                std::cout << ready_line(rc) << '\n';
            }
            std::cout << std::flush;
            return true;
        } else if (auto* resp = std::get_if<ServerCpResponse>(&frame); resp && is_cp) {
            if (!resp->text.empty()) {
                std::cout << safe_lines(resp->text) << '\n';
            }
            rc = static_cast<int>(resp->rc);
            if (mode == ConsoleMode::command) { // #CP inside XEDIT: no CMS Ready
                std::cout << ready_line(rc) << '\n';
            }
            std::cout << std::flush;
            return true;
        } else if (auto* err = std::get_if<ServerError>(&frame)) {
            std::cerr << "cmsconsole: error: " << safe_line(err->text) << " (rc "
                      << static_cast<int>(err->rc) << ")\n";
            rc = static_cast<int>(err->rc);
            exit_code = exit_code_for(err->rc);
            return err->rc != CpRc::not_authorized;
        } else if (auto* role = std::get_if<ServerConsoleRole>(&frame);
                   role && role->role == ConsoleRole::observer) {
            // A script that lost the writer role cannot go on: cpd refuses its
            // lines, and later end markers belong to the new writer's commands.
            std::cout.flush();
            std::cerr << "cmsconsole: writer role taken by " << safe_line(role->by)
                      << "; input is no longer accepted\n";
            exit_code = ex_noperm;
            return false;
        } else if (auto* closed = std::get_if<ServerConsoleClosed>(&frame)) {
            std::cout.flush();
            std::cerr << "cmsconsole: " << closed_message(*closed) << '\n';
            exit_code = closed->reason == CloseReason::logged_off ? ex_ok : ex_ioerr;
            return false;
        }
    }
    std::cerr << "cmsconsole: error: connection to cpd lost\n";
    exit_code = ex_ioerr;
    return false;
}

} // namespace

int run_pipe_mode(ConsoleConnection& conn, const ConsoleSettings& settings) {
    int last_rc = 0;
    ConsoleMode mode = settings.mode; // XEDIT input mode takes null lines
    std::string line;
    while (std::getline(std::cin, line)) {
        if (!line.empty() && line.back() == '\r') {
            line.pop_back(); // a CRLF file: the CR ends the line, as in vmsend
        }
        const LineAction action = classify_line(line, mode);
        if (action.kind == LineAction::Kind::empty) {
            continue;
        }
        if (action.kind == LineAction::Kind::disconnect) {
            conn.send_detach();
            std::cout << "DISCONNECTED\n";
            return ex_ok;
        }
        if (settings.role == ConsoleRole::observer && action.kind == LineAction::Kind::input) {
            std::cerr << "cmsconsole: error: observing " << settings.userid.str()
                      << ": input is not allowed\n";
            last_rc = -1;
            continue;
        }
        // Refused as CP would refuse it, and the script stops there as it does
        // on any refusal: the lines after it may depend on this one.
        if (const std::string refusal = line_refusal(action); !refusal.empty()) {
            std::cerr << "cmsconsole: error: " << refusal << '\n';
            conn.send_detach();
            return ex_dataerr;
        }
        const bool is_cp = action.kind == LineAction::Kind::cp;
        if (!(is_cp ? conn.send_cp(action.text) : conn.send_input(action.text))) {
            std::cerr << "cmsconsole: error: " << conn.last_error() << '\n';
            return ex_ioerr;
        }
        int exit_code = -1;
        if (!await_command(conn, is_cp, last_rc, exit_code, mode)) {
            return exit_code;
        }
        if (exit_code >= 0 && exit_code != ex_ok) {
            return exit_code;
        }
    }
    conn.send_detach();
    return exit_code_for_command_rc(last_rc);
}

} // namespace cpd::cli

namespace cpd::cli {

namespace {

/// True if stdin is /dev/null: a background observer (`</dev/null`, systemd,
/// nohup) that has no input at all, rather than input that has ended.
bool stdin_is_dev_null() {
    struct stat in {}, null {};
    return ::fstat(STDIN_FILENO, &in) == 0 && ::stat("/dev/null", &null) == 0 &&
           S_ISCHR(in.st_mode) && in.st_rdev == null.st_rdev;
}

} // namespace

/// SIGINT, SIGTERM and SIGHUP as a descriptor to poll: an interrupted
/// observer detaches instead of dying with its connection half used. Blocked
/// signals are queued even where the shell set them to be ignored (SIGINT of
/// a background job), so Ctrl-C reaches an observer wherever it runs.
int block_interrupts() {
    sigset_t set;
    sigemptyset(&set);
    for (int s : {SIGINT, SIGTERM, SIGHUP}) {
        sigaddset(&set, s);
    }
    if (::sigprocmask(SIG_BLOCK, &set, nullptr) != 0) {
        return -1;
    }
    return ::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

int run_observer_pipe_mode(ConsoleConnection& conn, const ConsoleSettings& settings) {
    const std::string who(settings.userid.str());
    // End of input ends the watch (`sleep 60 | cmsconsole --observe X` watches
    // for a minute); /dev/null is no input at all, so it watches until logoff.
    bool stdin_open = !stdin_is_dev_null();
    const int sigfd = settings.interrupt_fd >= 0 ? settings.interrupt_fd : block_interrupts();
    std::string pending;
    for (;;) {
        pollfd fds[3] = {{conn.fd(), POLLIN, 0},
                         {stdin_open ? STDIN_FILENO : -1, POLLIN, 0},
                         {sigfd, POLLIN, 0}};
        if (::poll(fds, 3, -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            return ex_ioerr;
        }
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            ServerFrame frame;
            if (!conn.next(frame, 5000)) {
                std::cerr << "cmsconsole: error: connection to cpd lost\n";
                return ex_ioerr;
            }
            if (auto* out = std::get_if<ServerConsoleOutput>(&frame)) {
                std::cout << safe_line(out->line) << '\n' << std::flush;
            } else if (auto* end = std::get_if<ServerConsoleEnd>(&frame);
                       end && end->mode == ConsoleMode::command) {
                std::cout << ready_line(end->rc) << '\n' << std::flush;
            } else if (auto* closed = std::get_if<ServerConsoleClosed>(&frame)) {
                std::cerr << "cmsconsole: " << closed_message(*closed) << '\n';
                return closed->reason == CloseReason::logged_off ? ex_ok : ex_ioerr;
            }
        }
        if (sigfd >= 0 && (fds[2].revents & POLLIN)) {
            signalfd_siginfo info{};
            if (::read(sigfd, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
                conn.send_detach();
                std::cerr << "cmsconsole: interrupted; detached from " << who
                          << ", the guest keeps running\n";
                // Ctrl-C is how one stops watching; other signals say who ended us.
                return info.ssi_signo == SIGINT ? ex_ok : 128 + static_cast<int>(info.ssi_signo);
            }
        }
        if (stdin_open && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
            char buf[4096];
            const ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
            if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
                continue;
            }
            if (n <= 0) {
                conn.send_detach();
                std::cerr << "cmsconsole: end of input; detached from " << who
                          << ", the guest keeps running\n";
                return ex_ok;
            }
            for (ssize_t i = 0; i < n; ++i) {
                if (buf[i] != '\n') {
                    pending.push_back(buf[i]);
                    continue;
                }
                const auto kind = classify_line(pending).kind;
                pending.clear();
                if (kind == LineAction::Kind::disconnect) {
                    conn.send_detach();
                    std::cout << "DISCONNECTED\n";
                    return ex_ok;
                }
                if (kind != LineAction::Kind::empty) {
                    std::cerr << "cmsconsole: error: observing " << who
                              << ": input is not allowed\n";
                }
            }
            if (pending.size() > console_max_line) {
                pending.clear(); // only a DISCONNECT line matters, and it is short
            }
        }
    }
}

} // namespace cpd::cli
