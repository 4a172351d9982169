// SPDX-License-Identifier: MIT
// The REXX engine over Regina's SAA API (see rexx_engine.hpp). Regina keeps
// its registrations per thread; the guest has one thread, so they are made
// once, on first use. The running programs form a stack (nested EXECs); the
// exits and handlers serve the innermost one through its hooks.
//
// Regina 3.6 facts this file works around (cms-programming.md §7):
// - RXHLT in the exit list makes RexxStart fail, so HX halts with
//   RexxSetHalt, from a hook or from a SIGPROF timer while the program
//   computes without calling any hook;
// - ADDRESS COMMAND is Regina's own "run a host program" environment unless
//   it is the environment RexxStart starts in: programs start in COMMAND and
//   their first line begins with "address CMS;" (same line, so line numbers
//   and tracebacks are unchanged);
// - the traced RC of a failing command is the handler's flag, not the rc:
//   the trace exit rewrites it into CMS's "+++ RC(n) +++", for negative rcs
//   only, as REXX/VM's TRACE NORMAL does;
// - an unknown routine would be tried as a host command: REGINA_OPTIONS
//   NOEXT_COMMANDS_AS_FUNCS turns that off;
// - Regina's own environments (ADDRESS SYSTEM, PATH, ...) would run host
//   programs: the RXINI exit of the first program deletes them
//   (regina_environments.cpp) and then registers handlers under their
//   names, which answer -3 as for any unknown environment.
#include "rexx/rexx_engine.hpp"

#include "rexx/regina.hpp"
#include "rexx/regina_environments.hpp"

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <sys/time.h>
#include <unistd.h>

namespace cpd::cms::rexx {

namespace {

char io_exit_name[] = "CPDCMSIO";

/// One running program: its hooks and what its trace lines need.
struct Running {
    ProgramHooks* hooks;
    std::string fn, ft;
    int last_rc = 0; ///< rc of the last host command
    /// RexxSetHalt was called for this program. Regina keeps the flag until
    /// a program stops on it, so a second call would halt the next program.
    volatile std::sig_atomic_t halt_sent = 0;
    std::string pending_clause; ///< a traced "*-*" line that may belong to an RC line
};

std::vector<Running*> running;
// For the SIGPROF handler: the innermost program's hooks, and whether the
// interpreter (not a hook of ours) is executing now.
ProgramHooks* volatile signal_hooks = nullptr;
Running* volatile signal_running = nullptr;
volatile std::sig_atomic_t in_interpreter = 0;

// While a hook runs, the timer signal leaves the runtime alone.
class HookScope {
  public:
    HookScope() : saved_(in_interpreter) { in_interpreter = 0; }
    ~HookScope() { in_interpreter = saved_; }
    HookScope(const HookScope&) = delete;
    HookScope& operator=(const HookScope&) = delete;

  private:
    std::sig_atomic_t saved_;
};

void halt_now() {
    RexxSetHalt(::getpid(), 0);
}

// Halts program `r` at its next clause, once.
void halt(Running& r) {
    if (r.halt_sent == 0) {
        r.halt_sent = 1;
        halt_now();
    }
}

// The innermost program; checks for a halt request on the way.
Running* current() {
    if (running.empty()) {
        return nullptr;
    }
    Running* r = running.back();
    if (r->hooks->halt_requested && r->hooks->halt_requested()) {
        halt(*r);
    }
    return r;
}

// Puts `text` in an RXSTRING Regina will own (and free).
void give(RXSTRING& out, std::string_view text) {
    if (out.strptr == nullptr || out.strlength < text.size() + 1) {
        out.strptr = static_cast<char*>(RexxAllocateMemory(text.size() + 1));
    }
    std::memcpy(out.strptr, text.data(), text.size());
    out.strptr[text.size()] = '\0';
    out.strlength = text.size();
}

// The DMSREX message number for REXX error n. Only 26 (466E), 34 (470E)
// and 40 (475E) are confirmed from CMS; the others follow 440 + n.
int dmsrex_number(int n) {
    switch (n) {
    case 26:
        return 466;
    case 34:
        return 470;
    case 40:
        return 475;
    default:
        return 440 + n;
    }
}

void emit(Running& r, std::string_view line) {
    r.hooks->say(line);
}

void flush_pending(Running& r) {
    if (!r.pending_clause.empty()) {
        std::string clause = std::move(r.pending_clause);
        r.pending_clause.clear();
        emit(r, clause);
    }
}

// A trace or error line from Regina, in CMS's form:
// `Error n running "NAME", line l: text` becomes
// `DMSREXmmmE Error n running FN FT, line l: text`; the `Error n.m:` detail
// (REXX/VM has no sub-codes) is dropped; a command's RC line is CMS's.
void trace_line(Running& r, std::string_view line) {
    const auto first = line.find_first_not_of(' ');
    const std::string_view body = first == std::string_view::npos ? "" : line.substr(first);
    if (body.starts_with("Error ")) {
        const auto space = body.find(' ', 6);
        const std::string_view number =
            body.substr(6, space == std::string_view::npos ? 0 : space - 6);
        if (number.find('.') != std::string_view::npos ||
            number.find(':') != std::string_view::npos) {
            return; // "Error 16.1: ..."
        }
        const auto running_at = body.find(" running \"");
        const auto quote_end = running_at == std::string_view::npos
                                   ? std::string_view::npos
                                   : body.find('"', running_at + 10);
        if (quote_end != std::string_view::npos) {
            flush_pending(r);
            const int n = std::atoi(std::string(number).c_str());
            std::string out = "DMSREX" + std::to_string(dmsrex_number(n)) + "E Error " +
                              std::string(number) + " running " + r.fn + " " + r.ft +
                              std::string(body.substr(quote_end + 1));
            emit(r, out);
            return;
        }
    }
    if (body.starts_with("*-*") || (body.find("*-*") != std::string_view::npos &&
                                    std::isdigit(static_cast<unsigned char>(body[0])))) {
        flush_pending(r);
        r.pending_clause.assign(line);
        return;
    }
    if (body.starts_with("+++ RC=") && body.ends_with(" +++")) {
        if (r.last_rc < 0) {
            flush_pending(r);
            emit(r, "       +++ RC(" + std::to_string(r.last_rc) + ") +++");
        }
        r.pending_clause.clear();
        return;
    }
    flush_pending(r);
    emit(r, line);
}

// RXFNC: an external routine is the EXEC of that name, as in CMS.
LONG external_call(Running& r, RXFNCCAL_PARM& p) {
    if (!r.hooks->external) {
        return RXEXIT_NOT_HANDLED;
    }
    std::string name(reinterpret_cast<const char*>(p.rxfnc_name), p.rxfnc_namel);
    for (char& c : name) {
        c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
    }
    std::vector<std::string> args;
    for (USHORT i = 0; i < p.rxfnc_argc; ++i) {
        const RXSTRING& a = p.rxfnc_argv[i];
        args.emplace_back(a.strptr != nullptr ? a.strptr : "",
                          a.strptr != nullptr ? a.strlength : 0);
    }
    flush_pending(r);
    bool found = true;
    std::optional<std::string> value;
    if (std::find(std::begin(cms_functions), std::end(cms_functions), name) !=
        std::end(cms_functions)) {
        // The RXFNC exit sees registered functions too; they are CMS's own.
        value = r.hooks->function ? r.hooks->function(name, args) : std::nullopt;
        if (!value) {
            p.rxfnc_flags.rxfferr = 1; // incorrect call to routine (error 40)
            return RXEXIT_HANDLED;
        }
    } else {
        value = r.hooks->external(name, args, found);
    }
    if (!found) {
        p.rxfnc_flags.rxffnfnd = 1;
        return RXEXIT_HANDLED;
    }
    if (!value) {
        if (p.rxfnc_flags.rxffsub == 0) {
            p.rxfnc_flags.rxfferr = 1; // a function must return something (error 44)
        }
        MAKERXSTRING(p.rxfnc_retc, nullptr, 0);
        return RXEXIT_HANDLED;
    }
    give(p.rxfnc_retc, *value);
    return RXEXIT_HANDLED;
}

void take_over_regina_environments();

LONG APIENTRY io_exit(LONG function, LONG subfunction, PEXIT parm) {
    HookScope scope;
    if (function == RXINI) {
        take_over_regina_environments();
        return RXEXIT_HANDLED;
    }
    Running* r = current();
    if (r != nullptr && function == RXFNC) {
        return external_call(*r, *reinterpret_cast<RXFNCCAL_PARM*>(parm));
    }
    if (r == nullptr || function != RXSIO) {
        return RXEXIT_NOT_HANDLED;
    }
    switch (subfunction) {
    case RXSIOSAY: {
        const auto* p = reinterpret_cast<RXSIOSAY_PARM*>(parm);
        flush_pending(*r);
        emit(*r, std::string_view(p->rxsio_string.strptr, p->rxsio_string.strlength));
        return RXEXIT_HANDLED;
    }
    case RXSIOTRC: {
        const auto* p = reinterpret_cast<RXSIOTRC_PARM*>(parm);
        trace_line(*r, std::string_view(p->rxsio_string.strptr, p->rxsio_string.strlength));
        return RXEXIT_HANDLED;
    }
    case RXSIOTRD:
    case RXSIODTR: {
        auto* p = reinterpret_cast<RXSIOTRD_PARM*>(parm);
        flush_pending(*r);
        std::optional<std::string> line = r->hooks->read_line();
        if (!line) {
            halt(*r);
            line.emplace();
        }
        // Regina 3.6 frees this buffer itself: it must come from its allocator.
        p->rxsiotrd_retc.strptr = nullptr;
        give(p->rxsiotrd_retc, *line);
        return RXEXIT_HANDLED;
    }
    default:
        return RXEXIT_NOT_HANDLED;
    }
}

// A host command for environment `env`: the rc as text, ERROR for a
// positive rc and FAILURE for a negative one.
APIRET run_command(std::string_view env, PRXSTRING command, PUSHORT flags, PRXSTRING ret) {
    HookScope scope;
    Running* r = current();
    int rc = -3;
    if (r != nullptr) {
        flush_pending(*r);
        rc = r->hooks->command(env, std::string_view(command->strptr, command->strlength));
        r->last_rc = rc;
        current(); // a halt the command asked for (HX at a VM READ, logoff)
    }
    *flags = rc == 0 ? RXSUBCOM_OK : rc > 0 ? RXSUBCOM_ERROR : RXSUBCOM_FAILURE;
    give(*ret, std::to_string(rc));
    return 0;
}

template <const char* Env>
APIRET APIENTRY subcommand(PRXSTRING command, PUSHORT flags, PRXSTRING ret) {
    return run_command(Env, command, flags, ret);
}

constexpr char env_cms[] = "CMS";
constexpr char env_command[] = "COMMAND";
constexpr char env_cp[] = "CP";
/// XEDIT macros: ADDRESS XEDIT reaches Editor::subcommand through the hook.
constexpr char env_xedit[] = "XEDIT";
/// What Regina's closed environments (SYSTEM, PATH, ...) are to the hooks:
/// a name no CMS environment has, so the rc is -3, as CMS gives it.
constexpr char env_closed[] = "SYSTEM";

// Deletes Regina's own environments, then registers their names to a
// handler that answers -3. In this order: a handler registered under one of
// these names first would keep Regina's entry alive.
void take_over_regina_environments() {
    close_regina_environments();
    for (const char* env : regina_environments) {
        RexxRegisterSubcomExe(env, reinterpret_cast<RexxSubcomHandler*>(subcommand<env_closed>),
                              nullptr);
    }
}

APIRET APIENTRY cms_function(PCSZ name, ULONG argc, PRXSTRING argv, PCSZ /*queue*/, PRXSTRING ret) {
    HookScope scope;
    Running* r = current();
    if (r == nullptr || !r->hooks->function) {
        return 40;
    }
    flush_pending(*r);
    std::vector<std::string> args;
    for (ULONG i = 0; i < argc; ++i) {
        args.emplace_back(argv[i].strptr != nullptr ? argv[i].strptr : "", argv[i].strlength);
    }
    std::optional<std::string> value = r->hooks->function(name, args);
    if (!value) {
        return 40; // REXX error 40: incorrect call to routine
    }
    give(*ret, *value);
    return 0;
}

void on_timer(int) {
    ProgramHooks* h = signal_hooks;
    Running* r = signal_running;
    if (in_interpreter != 0 && h != nullptr && r != nullptr && r->halt_sent == 0 &&
        h->attention != nullptr && h->attention(h->attention_context)) {
        halt(*r);
    }
}

// How often a computing program is checked for HX (CPU time).
constexpr suseconds_t attention_interval_us = 20'000;

void arm_timer(bool on) {
    itimerval t{};
    if (on) {
        t.it_interval.tv_usec = attention_interval_us;
        t.it_value.tv_usec = attention_interval_us;
    }
    ::setitimer(ITIMER_PROF, &t, nullptr);
}

} // namespace

void initialize() {
    static bool done = false;
    if (done) {
        return;
    }
    done = true;
    ::setenv("REGINA_OPTIONS", "NOEXT_COMMANDS_AS_FUNCS", 1);
    RexxRegisterExitExe(io_exit_name, reinterpret_cast<RexxExitHandler*>(io_exit), nullptr);
    RexxRegisterSubcomExe(env_cms, reinterpret_cast<RexxSubcomHandler*>(subcommand<env_cms>),
                          nullptr);
    RexxRegisterSubcomExe(env_command,
                          reinterpret_cast<RexxSubcomHandler*>(subcommand<env_command>), nullptr);
    RexxRegisterSubcomExe(env_cp, reinterpret_cast<RexxSubcomHandler*>(subcommand<env_cp>),
                          nullptr);
    RexxRegisterSubcomExe(env_xedit, reinterpret_cast<RexxSubcomHandler*>(subcommand<env_xedit>),
                          nullptr);

    for (std::string_view f : cms_functions) {
        const std::string name(f);
        RexxRegisterFunctionExe(name.c_str(), reinterpret_cast<RexxFunctionHandler*>(cms_function));
    }
    struct sigaction sa {};
    sa.sa_handler = on_timer;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGPROF, &sa, nullptr);
}

namespace {

// The CMS rc of a program's result string: empty is 0, a whole number is
// itself, anything else is REXX error 26 (reported here, as CMS does after
// the interpreter has ended).
int result_rc(Running& r, std::string_view result) {
    if (result.empty()) {
        return 0;
    }
    std::string_view digits = result;
    if (digits.front() == '-' || digits.front() == '+') {
        digits.remove_prefix(1);
    }
    const bool whole =
        !digits.empty() && digits.size() <= 9 &&
        std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (whole) {
        return std::atoi(std::string(result).c_str());
    }
    emit(r, "DMSREX466E Error 26 running " + r.fn + " " + r.ft + ": Invalid whole number");
    return 20026;
}

} // namespace

bool program_active() noexcept {
    return !running.empty();
}

namespace {

ProgramResult run(std::string_view fn, std::string_view ft, std::string_view source,
                  const std::vector<std::string>& args, bool as_function, std::string_view env,
                  ProgramHooks& hooks) {
    initialize();
    Running me{&hooks, std::string(fn), std::string(ft), 0, 0, {}};
    // Started in COMMAND so that ADDRESS COMMAND reaches our handler; the
    // program's first clause then moves to its real environment.
    std::string text = "address " + std::string(env) + ";" + std::string(source);
    RXSTRING instore[2];
    MAKERXSTRING(instore[0], text.data(), text.size());
    MAKERXSTRING(instore[1], nullptr, 0);
    std::vector<RXSTRING> argv(args.size());
    for (std::size_t i = 0; i < args.size(); ++i) {
        MAKERXSTRING(argv[i], const_cast<char*>(args[i].data()), args[i].size());
    }
    // RXINI until a program has closed Regina's own environments.
    const bool closing = !regina_environments_closed();
    RXSYSEXIT exits[] = {{io_exit_name, RXSIO},
                         {io_exit_name, RXFNC},
                         {closing ? io_exit_name : nullptr, closing ? RXINI : RXENDLST},
                         {nullptr, RXENDLST}};
    short rc = 0;
    RXSTRING result;
    MAKERXSTRING(result, nullptr, 0);
    const std::string name = me.fn + " " + me.ft;

    running.push_back(&me);
    ProgramHooks* const outer_hooks = signal_hooks;
    Running* const outer_running = signal_running;
    signal_hooks = &hooks;
    signal_running = &me;
    const std::sig_atomic_t outer_state = in_interpreter;
    if (running.size() == 1) {
        arm_timer(hooks.attention != nullptr);
    }
    in_interpreter = 1;
    const long started = static_cast<long>(
        RexxStart(static_cast<LONG>(argv.size()), argv.data(), name.c_str(), instore, env_command,
                  as_function ? RXFUNCTION : RXCOMMAND, exits, &rc, &result));
    in_interpreter = outer_state;
    if (running.size() == 1) {
        arm_timer(false);
    }
    signal_hooks = outer_hooks;
    signal_running = outer_running;
    flush_pending(me);

    ProgramResult out;
    const std::string_view value(result.strptr != nullptr ? result.strptr : "",
                                 result.strptr != nullptr ? result.strlength : 0);
    if (started < 0) {
        out.rc = 20000 - static_cast<int>(started);
        out.halted = started == -4;
    } else if (started > 0) {
        emit(me, "DMSREX255T Insufficient storage or bad call to the REXX interpreter (" +
                     std::to_string(started) + ")");
        out.rc = 20000;
    } else if (as_function) {
        if (result.strptr != nullptr) {
            out.result.emplace(value);
        }
    } else {
        out.rc = result_rc(me, value);
    }
    running.pop_back();
    if (result.strptr != nullptr) {
        RexxFreeMemory(result.strptr);
    }
    if (instore[1].strptr != nullptr) {
        RexxFreeMemory(instore[1].strptr);
    }
    return out;
}

} // namespace

ProgramResult run_program(std::string_view fn, std::string_view ft, std::string_view source,
                          std::string_view args, std::string_view env, ProgramHooks& hooks) {
    return run(fn, ft, source, {std::string(args)}, false, env, hooks);
}

ProgramResult run_function(std::string_view fn, std::string_view ft, std::string_view source,
                           const std::vector<std::string>& args, std::string_view env,
                           ProgramHooks& hooks) {
    return run(fn, ft, source, args, true, env, hooks);
}

bool set_variable(std::string_view name, std::string_view value) {
    SHVBLOCK b{};
    std::string n(name);
    std::string v(value);
    MAKERXSTRING(b.shvname, n.data(), n.size());
    b.shvnamelen = n.size();
    MAKERXSTRING(b.shvvalue, v.data(), v.size());
    b.shvvaluelen = v.size();
    b.shvcode = RXSHV_SYSET;
    const ULONG rc = RexxVariablePool(&b);
    return rc == RXSHV_OK || rc == RXSHV_NEWV;
}

std::optional<std::string> get_variable(std::string_view name) {
    SHVBLOCK b{};
    std::string n(name);
    MAKERXSTRING(b.shvname, n.data(), n.size());
    b.shvnamelen = n.size();
    MAKERXSTRING(b.shvvalue, nullptr, 0);
    b.shvcode = RXSHV_SYFET;
    const ULONG rc = RexxVariablePool(&b);
    std::optional<std::string> out;
    if ((rc & ~static_cast<ULONG>(RXSHV_NEWV)) == RXSHV_OK && (b.shvret & RXSHV_NEWV) == 0 &&
        b.shvvalue.strptr != nullptr) {
        out.emplace(b.shvvalue.strptr, b.shvvalue.strlength);
    }
    if (b.shvvalue.strptr != nullptr) {
        RexxFreeMemory(b.shvvalue.strptr);
    }
    return out;
}

} // namespace cpd::cms::rexx
