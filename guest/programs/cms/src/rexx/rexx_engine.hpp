// SPDX-License-Identifier: MIT
// The REXX engine: runs one REXX program on Regina through its SAA API.
// Everything that leaves the program goes through the hooks the caller
// passes in: host commands (ADDRESS CMS, COMMAND, CP, ...), SAY and trace
// lines, a terminal read when PULL finds the stack empty, the CMS built-in
// functions, and the halt test. The engine knows nothing about CMS commands;
// commands/exec.cpp wires the hooks to them. Programs nest: a hook may run
// another program, which gets its own variables and shares the stack.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cpd::cms::rexx {

/// What a running program's I/O and commands go to.
struct ProgramHooks {
    /// ADDRESS env 'command' (env upper case); returns the rc.
    std::function<int(std::string_view env, std::string_view command)> command;
    /// One SAY line, trace line or error report line, in order.
    std::function<void(std::string_view line)> say;
    /// PULL with the stack empty: the next console line, or nullopt to halt.
    std::function<std::optional<std::string>()> read_line;
    /// A CMS built-in function (name upper case): its value, or nullopt
    /// for a wrong call (REXX error 40).
    std::function<std::optional<std::string>(std::string_view name,
                                             const std::vector<std::string>& args)>
        function;
    /// An external routine (CALL name, name()): the result of the EXEC of
    /// that name run as a function (an empty optional for no result);
    /// `found` false when there is none (REXX error 43).
    std::function<std::optional<std::string>(std::string_view name,
                                             const std::vector<std::string>& args, bool& found)>
        external;
    /// Asked at every hook call: true halts the program (as HX).
    std::function<bool()> halt_requested;
    /// Async-signal-safe, asked from a timer signal while the program
    /// computes without calling any hook: true halts it.
    bool (*attention)(void* context) noexcept = nullptr;
    void* attention_context = nullptr;
};

/// The CMS built-in functions the engine registers with Regina (they
/// replace Regina's own USERID()); calls reach ProgramHooks::function.
inline constexpr std::string_view cms_functions[] = {"USERID", "DIAG", "DIAGRC", "CMSFLAG",
                                                     "LINESIZE"};

/// How a program ended.
struct ProgramResult {
    int rc = 0;          ///< the CMS rc: the exit value, 0, or 20000 + REXX error number
    bool halted = false; ///< it was halted (HX or logoff)
    /// As a function: what it returned (nullopt: nothing, or it failed).
    std::optional<std::string> result;
};

/// Runs `source` as the program `fn ft` (e.g. "HELLO", "EXEC") with the
/// argument string `args`, in the initial environment `env` ("CMS").
ProgramResult run_program(std::string_view fn, std::string_view ft, std::string_view source,
                          std::string_view args, std::string_view env, ProgramHooks& hooks);
/// The same, called as an external function or subroutine with `args`.
ProgramResult run_function(std::string_view fn, std::string_view ft, std::string_view source,
                           const std::vector<std::string>& args, std::string_view env,
                           ProgramHooks& hooks);

/// Registers the exits, handlers and functions with Regina and sets its
/// options, once; before any other call into Regina (the stack too), since
/// Regina reads its options when the thread first calls it.
void initialize();

/// True while a program runs (the variable pool and hooks are live).
bool program_active() noexcept;

/// Sets the running program's variable `name` (a symbol; stems allowed).
bool set_variable(std::string_view name, std::string_view value);
/// The running program's variable `name`, or nullopt if it has none.
std::optional<std::string> get_variable(std::string_view name);

} // namespace cpd::cms::rexx
