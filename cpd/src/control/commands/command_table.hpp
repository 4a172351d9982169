// SPDX-License-Identifier: MIT
// The CP command table: verbs with their z/VM minimum abbreviations and the
// privilege classes that may use them, a blank-separated tokenizer that keeps
// the raw remainder (for SMSG text), and execute_command(), the one entry point.
#pragma once

#include "control/commands/cp_services.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cpd::daemon {

/// A command line split into blank-separated words.
class CommandArgs {
public:
    explicit CommandArgs(std::string_view line);
    /// Number of words (the verb is word 0).
    std::size_t size() const noexcept { return words_.size(); }
    /// Word `i`, or "" past the end.
    std::string_view word(std::size_t i) const noexcept;
    /// Word `i` upper-cased.
    std::string upper(std::size_t i) const;
    /// The raw text after word `i` and the blanks that follow it ("" if none).
    std::string_view rest_after(std::size_t i) const noexcept;

private:
    std::string_view line_;
    std::vector<std::string_view> words_;
};

/// A command handler.
using CommandFn = CpOutcome (*)(const CommandArgs&, const Caller&, CpServices&);

/// One verb of the table.
struct CommandSpec {
    const char* name;      ///< full verb, upper case
    std::size_t min_len;   ///< shortest accepted abbreviation
    const char* classes;   ///< any of these classes may use it ("" = any user)
    CommandFn run;
};

/// True if `word` (any case) abbreviates `name` to at least `min_len` characters.
bool matches_abbrev(std::string_view word, std::string_view name, std::size_t min_len) noexcept;

/// The table entry `verb` selects, or nullptr.
const CommandSpec* find_command(std::string_view verb) noexcept;

/// The whole table.
const std::vector<CommandSpec>& command_table();

/// Parses, authorizes and runs one command line.
CpOutcome execute_command(std::string_view line, const Caller& caller, CpServices& services);

// Handlers, one per file under commands/.
CpOutcome cmd_query(const CommandArgs&, const Caller&, CpServices&);
CpOutcome cmd_xautolog(const CommandArgs&, const Caller&, CpServices&);
CpOutcome cmd_force(const CommandArgs&, const Caller&, CpServices&);
CpOutcome cmd_smsg(const CommandArgs&, const Caller&, CpServices&);
CpOutcome cmd_set(const CommandArgs&, const Caller&, CpServices&);
CpOutcome cmd_shutdown(const CommandArgs&, const Caller&, CpServices&);
CpOutcome cmd_logoff(const CommandArgs&, const Caller&, CpServices&);
CpOutcome cmd_link(const CommandArgs&, const Caller&, CpServices&);
CpOutcome cmd_detach(const CommandArgs&, const Caller&, CpServices&);
CpOutcome cmd_msg(const CommandArgs&, const Caller&, CpServices&);
CpOutcome cmd_msgnoh(const CommandArgs&, const Caller&, CpServices&);
CpOutcome cmd_warning(const CommandArgs&, const Caller&, CpServices&);
CpOutcome cmd_indicate(const CommandArgs&, const Caller&, CpServices&);
/// QUERY's everyday operands (TIME, CPLEVEL, USERID, PRIVCLASS, LOGMSG, SET);
/// nullopt if `args` names none of them.
std::optional<CpOutcome> query_everyday(const CommandArgs&, const Caller&, CpServices&);
/// QUERY VIRTUAL's device operands other than DASD (STORAGE, CONSOLE, ALL,
/// RDR/PUN/PRT and their addresses); nullopt if `args` names none of them.
std::optional<CpOutcome> query_virtual_devices(const CommandArgs&, const Caller&, CpServices&);
/// SET MSG, WNG, EMSG, IMSG, SMSG and LOGMSG; nullopt if `args` names none of them.
std::optional<CpOutcome> set_messages(const CommandArgs&, const Caller&, CpServices&);
CpOutcome cmd_spool(const CommandArgs&, const Caller&, CpServices&);
CpOutcome cmd_close(const CommandArgs&, const Caller&, CpServices&);
CpOutcome cmd_purge(const CommandArgs&, const Caller&, CpServices&);
CpOutcome cmd_transfer(const CommandArgs&, const Caller&, CpServices&);
CpOutcome cmd_order(const CommandArgs&, const Caller&, CpServices&);
CpOutcome cmd_change(const CommandArgs&, const Caller&, CpServices&);
/// True for QUERY's spool operands (RDR, PRT, PUN and their long forms).
bool is_spool_query(std::string_view op);
/// QUERY RDR|PRT|PUN ... (query_spool.cpp).
CpOutcome query_spool(const CommandArgs&, const Caller&, CpServices&);

/// "HCPCMD020E Userid missing or invalid" style outcome for a bad userid operand.
CpOutcome invalid_userid(std::string_view operand);
/// "HCPCMD002E Command X not authorized".
CpOutcome not_authorized(std::string_view verb);

} // namespace cpd::daemon
