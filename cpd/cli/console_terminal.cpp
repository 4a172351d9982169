// SPDX-License-Identifier: MIT
// Terminal mode of cmsconsole: GNU readline's callback interface driven from
// one poll() loop over the terminal, the cpd socket and a signal pipe. Output
// that arrives while the user types is printed above the prompt line; the
// escape key or "#CP DISCONNECT" detaches. An observer (attached with
// --observe, or a writer that --force pushed out) has no prompt: its keys are
// not echoed, the escape key, Ctrl-D and Ctrl-C detach, Enter only says how.
// The terminal is restored on every way out (normal return, error,
// SIGTERM/SIGHUP/SIGINT handling, atexit).
// Text from guests and cpd is printed through safe_line / safe_lines.
#include "console_modes.hpp"
#include "safe_text.hpp"

#include <readline/history.h>
#include <readline/readline.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <iostream>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

namespace cpd::cli {

using namespace cpd::proto;

namespace {

int signal_pipe[2] = {-1, -1};
bool readline_installed = false;
bool watching = false;     ///< observer mode: no prompt, no echo (see enter_watch)
termios cooked_termios{};  ///< the terminal as watching found it

/// Observer mode: keys arrive one by one, unechoed, so nothing on screen
/// looks like a prompt one could type at; signals (Ctrl-C, Ctrl-Z) still work.
void enter_watch() {
    if (watching || ::tcgetattr(STDIN_FILENO, &cooked_termios) != 0) {
        return;
    }
    termios raw = cooked_termios;
    raw.c_lflag &= static_cast<tcflag_t>(~(ICANON | ECHO));
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    // TCSANOW, not TCSAFLUSH: keys typed before this are read, not lost.
    watching = ::tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0;
}

void leave_watch() {
    if (watching) {
        ::tcsetattr(STDIN_FILENO, TCSANOW, &cooked_termios);
        watching = false;
    }
}

void restore_terminal() {
    if (readline_installed) {
        rl_callback_handler_remove();
        readline_installed = false;
    }
    leave_watch();
}

extern "C" void on_signal(int signo) {
    const int saved = errno;
    const unsigned char b = static_cast<unsigned char>(signo);
    [[maybe_unused]] auto n = ::write(signal_pipe[1], &b, 1);
    errno = saved;
}

// State the readline callbacks reach (readline's C interface has no user pointer).
struct TerminalState {
    ConsoleConnection* conn = nullptr;
    const ConsoleSettings* settings = nullptr;
    bool done = false;
    int exit_code = ex_ok;
    bool observer = false;
    bool hint_shown = false; ///< the observer was told how to detach since the last output
    std::string prompt;      ///< the writer's prompt, which names XEDIT's modes
    ConsoleMode mode = ConsoleMode::command; ///< who reads the next line (XEDIT shows its prompt)
};
TerminalState state;

// Prints one line above the prompt, keeping what the user is typing.
void print_above(const std::string& line, bool to_stderr = false) {
    state.hint_shown = false;
    if (readline_installed) {
        rl_clear_visible_line();
    }
    (to_stderr ? std::cerr : std::cout) << line << '\n';
    std::cout.flush();
    if (readline_installed) {
        rl_forced_update_display();
    }
}

void on_line(char* raw) {
    if (raw == nullptr) { // Ctrl-D: detach, as the escape key does
        state.done = true;
        return;
    }
    const std::string line(raw);
    std::free(raw);
    const LineAction action = classify_line(line, state.mode);
    if (action.kind != LineAction::Kind::empty && !line.empty()) {
        add_history(line.c_str());
        if (!state.settings->history_file.empty()) {
            append_history(1, state.settings->history_file.c_str());
        }
    }
    const std::string refusal = line_refusal(action);
    switch (action.kind) {
    case LineAction::Kind::empty: break;
    case LineAction::Kind::disconnect: state.done = true; break;
    case LineAction::Kind::cp:
        if (!refusal.empty()) {
            print_above("cmsconsole: error: " + refusal, true);
        } else if (!state.conn->send_cp(action.text)) {
            print_above("cmsconsole: error: " + state.conn->last_error(), true);
        }
        break;
    case LineAction::Kind::input:
        if (!refusal.empty()) {
            print_above("cmsconsole: error: " + refusal, true); // retype it; the session goes on
        } else if (!state.conn->send_input(action.text)) {
            print_above("cmsconsole: error: " + state.conn->last_error(), true);
        }
        break;
    }
}

extern "C" int on_escape(int, int) {
    state.done = true;
    rl_done = 1;
    return 0;
}

/// Becomes an observer: the prompt and the half-typed line leave the screen.
void start_watching() {
    if (readline_installed) {
        rl_clear_visible_line();
        rl_callback_handler_remove();
        readline_installed = false;
    }
    enter_watch();
}

/// Becomes the writer: the prompt comes back.
void start_prompting() {
    leave_watch();
    if (!readline_installed) {
        rl_callback_handler_install(state.prompt.c_str(), on_line);
        readline_installed = true;
    }
}

/// The escape key, Ctrl-D or a lost terminal detach; Enter says how.
void on_watch_input() {
    char buf[256];
    const ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
        return;
    }
    if (n <= 0) {
        state.done = true;
        return;
    }
    for (ssize_t i = 0; i < n; ++i) {
        const int c = static_cast<unsigned char>(buf[i]);
        if (c == state.settings->escape_char || c == 0x04) {
            state.done = true;
            return;
        }
        if ((c == '\n' || c == '\r') && !state.hint_shown) {
            const std::string how = state.settings->escape_char >= 0
                                        ? state.settings->escape_name + ", Ctrl-D or Ctrl-C"
                                        : "Ctrl-D or Ctrl-C";
            print_above("*** observing " + std::string(state.settings->userid.str()) +
                            ": input is not sent; " + how + " detaches ***",
                        true);
            state.hint_shown = true;
        }
    }
}

// Handles one frame from cpd; false when the console is over.
bool handle_frame(const ServerFrame& frame) {
    if (auto* out = std::get_if<ServerConsoleOutput>(&frame)) {
        print_above(safe_line(out->line));
    } else if (auto* end = std::get_if<ServerConsoleEnd>(&frame)) {
        if (end->mode == ConsoleMode::command) {
            print_above(ready_line(end->rc));
        }
        if (end->mode != state.mode) {
            state.mode = end->mode;
            state.prompt = prompt_for(state.settings->userid, state.mode);
            if (readline_installed && !watching) {
                // Redraw the prompt line in place, keeping what the user typed.
                rl_clear_visible_line();
                rl_set_prompt(state.prompt.c_str());
                rl_forced_update_display();
            }
        }
    } else if (auto* resp = std::get_if<ServerCpResponse>(&frame)) {
        if (!resp->text.empty()) {
            print_above(safe_lines(resp->text));
        }
        if (state.mode == ConsoleMode::command) {
            print_above(ready_line(static_cast<int>(resp->rc)));
        }
    } else if (auto* role = std::get_if<ServerConsoleRole>(&frame)) {
        state.observer = role->role == ConsoleRole::observer;
        if (state.observer) {
            start_watching();
            print_above("*** writer role taken by " + safe_line(role->by) +
                        "; you are now an observer: input is not sent ***");
        } else {
            print_above("*** you are now the writer ***");
            start_prompting();
        }
    } else if (auto* err = std::get_if<ServerError>(&frame)) {
        print_above("cmsconsole: error: " + safe_line(err->text), true);
    } else if (auto* closed = std::get_if<ServerConsoleClosed>(&frame)) {
        print_above("*** " + closed_message(*closed) + " ***");
        state.exit_code = closed->reason == CloseReason::logged_off ? ex_ok : ex_ioerr;
        return false;
    }
    return true;
}

// Binds the escape key. Not rl_bind_key: on a prefix key such as Ctrl-X (the
// start of Ctrl-X Ctrl-U, ...) that binds only "prefix then any other key",
// and Ctrl-X alone would wait for a second key instead of detaching.
void bind_escape(int key) {
    Keymap map = rl_get_keymap();
    map[key].type = ISFUNC;
    map[key].function = on_escape;
}

void install_signals() {
    if (::pipe2(signal_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
        return;
    }
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (int s : {SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGWINCH, SIGTSTP}) {
        sigaction(s, &sa, nullptr);
    }
}

// Returns false when a terminating signal arrived.
bool handle_signals() {
    unsigned char b;
    while (::read(signal_pipe[0], &b, 1) == 1) {
        if (b == SIGWINCH) {
            if (readline_installed) {
                rl_resize_terminal();
            }
        } else if (b == SIGTSTP && watching) {
            leave_watch();
            ::kill(::getpid(), SIGSTOP);
            enter_watch();
        } else if (b == SIGINT && state.observer) {
            state.done = true; // an observer has no line to drop: Ctrl-C stops watching
        } else if (b == SIGTSTP) {
            // Ctrl-Z: give the shell a sane terminal while stopped, take it back after.
            rl_deprep_terminal();
            ::kill(::getpid(), SIGSTOP);
            rl_prep_terminal(1);
            rl_forced_update_display();
        } else if (b == SIGINT) {
            // The interrupt key: CMS's attention plus HX, which halts a
            // running EXEC (a guest with nothing running ignores it).
            if (!state.observer && !state.conn->send_input("HX")) {
                print_above("cmsconsole: error: " + state.conn->last_error(), true);
            }
            rl_replace_line("", 0); // like a shell: drop the line being typed
            rl_crlf();
            rl_on_new_line();
            rl_redisplay();
        } else {
            state.exit_code = 128 + b;
            return false;
        }
    }
    return true;
}

} // namespace

int run_terminal_mode(ConsoleConnection& conn, const ConsoleSettings& settings) {
    state = TerminalState{&conn, &settings, false, ex_ok, settings.role == ConsoleRole::observer,
                          false, std::string(settings.userid.str()) + "> "};
    std::atexit(restore_terminal);
    install_signals();
    rl_catch_signals = 0;
    rl_catch_sigwinch = 0;
    using_history();
    stifle_history(1000);
    if (!settings.history_file.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(
            std::filesystem::path(settings.history_file).parent_path(), ec);
        // append_history() only appends to an existing file: create it (private) first.
        const int hfd = ::open(settings.history_file.c_str(),
                               O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
        if (hfd >= 0) {
            ::close(hfd);
        }
        read_history(settings.history_file.c_str());
    }
    if (settings.escape_char >= 0) {
        bind_escape(settings.escape_char);
    }
    state.mode = settings.mode;
    state.prompt = prompt_for(settings.userid, settings.mode);
    if (state.observer) {
        start_watching();
    } else {
        start_prompting();
    }

    bool live = true;
    while (live && !state.done) {
        pollfd fds[3] = {{STDIN_FILENO, POLLIN, 0}, {conn.fd(), POLLIN, 0},
                         {signal_pipe[0], POLLIN, 0}};
        if (::poll(fds, 3, -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            break;
        }
        if (fds[2].revents & POLLIN) {
            live = handle_signals();
        }
        if (live && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
            ServerFrame frame;
            if (!conn.next(frame, 5000)) {
                print_above("*** connection to cpd lost ***", true);
                state.exit_code = ex_ioerr;
                live = false;
            } else {
                live = handle_frame(frame);
            }
        }
        if (live && !state.done && (fds[0].revents & (POLLIN | POLLHUP))) {
            if (readline_installed) {
                rl_callback_read_char();
            } else {
                on_watch_input();
            }
        }
    }
    if (!live && readline_installed) {
        // The console ended under the prompt: take the dead prompt and the
        // half-typed line off the screen so the shell starts on a clean line.
        rl_clear_visible_line();
    }
    restore_terminal();
    if (!settings.history_file.empty()) {
        history_truncate_file(settings.history_file.c_str(), 1000);
    }
    if (state.done) {
        conn.send_detach();
        std::cout << "\nDISCONNECTED from " << settings.userid.str()
                  << "; the guest keeps running\n";
    }
    return state.exit_code;
}

} // namespace cpd::cli
