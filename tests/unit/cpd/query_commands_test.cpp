// SPDX-License-Identifier: MIT
// QUERY COMMANDS and QUERY DIRECTORY, and the QUERY operand table held to what
// cmd_query really answers: every operand the table (and so the bash
// completion) offers works, and every operand cmd_query answers is in it.
#include "control/commands/command_table.hpp"
#include "control/commands/query_operands.hpp"

#include <doctest/doctest.h>

#include <cctype>
#include <set>
#include <sstream>

using namespace cpd::daemon;
using cpd::proto::CpRc;
using cpd::proto::Userid;

namespace {

Userid uid(const char* s) {
    return *Userid::parse(s);
}

/// A directory of ALICE (G), BOB (G), OPERATOR (A-G), ECHO, a NOLOG entry
/// and one without IPL; ECHO and ALICE are logged on.
class DirectoryServices : public CpServices {
  public:
    DirectoryServices() {
        for (const char* id : {"ALICE", "BOB", "ECHO", "NOIPL", "NOLOGGER", "OPERATOR"}) {
            DirectoryEntry e = DirectoryEntry::make(uid(id));
            e.ipl_program = std::string(id) == "NOIPL" ? "" : "CMS";
            e.nolog = std::string(id) == "NOLOGGER";
            if (std::string(id) == "OPERATOR") {
                e.classes = "ABCDEFG";
            }
            entries_.push_back(e);
        }
        GuestInfo echo(uid("ECHO"));
        GuestInfo alice(uid("ALICE"));
        alice.terminal = "CON001";
        list = {alice, echo};
    }
    std::vector<GuestInfo> list;
    std::vector<GuestInfo> guests() const override { return list; }
    StatsTotals totals() const override { return {}; }
    const DirectoryEntry* entry(const Userid& u) const override {
        for (const auto& e : entries_) {
            if (e.userid == u) {
                return &e;
            }
        }
        return nullptr;
    }
    std::vector<const DirectoryEntry*> directory_entries() const override {
        std::vector<const DirectoryEntry*> out;
        for (const auto& e : entries_) {
            out.push_back(&e);
        }
        return out;
    }
    CpOutcome logon(const Userid&, const Userid&) override { return {}; }
    CpOutcome logoff(const Userid&, const Userid&, bool) override { return {}; }
    CpOutcome smsg(const Userid&, const Userid&, std::string_view) override { return {}; }
    CpOutcome set_smsg(const Userid&, bool) override { return {}; }
    CpOutcome shutdown(const Userid&) override { return {}; }

  private:
    std::vector<DirectoryEntry> entries_;
};

const Caller op{uid("OPERATOR"), "ABCDEFG", false};
const Caller alice{uid("ALICE"), "G", false};

/// The lower-case-free words of `syntax` that must follow an operand
/// ("DASD|vdev" -> "DASD"; optional "[...]" parts are left out).
std::string required_words(std::string_view syntax) {
    std::string out;
    std::istringstream in{std::string(syntax)};
    std::string word;
    while (in >> word) {
        if (word.front() == '[') {
            continue;
        }
        const std::string first = word.substr(0, word.find('|'));
        out += " " + first;
    }
    return out;
}

} // namespace

TEST_SUITE("cpd.query_commands") {

    TEST_CASE("every QUERY operand of the table works, at its shortest abbreviation too") {
        DirectoryServices services;
        for (const QueryOperand& q : query_operands()) {
            CAPTURE(q.name);
            if (is_spool_query(q.name)) {
                continue; // needs a real spool: spool_service_test and the vmur tests
            }
            const std::string full = std::string("QUERY ") + q.name + required_words(q.operands);
            const CpOutcome r = execute_command(full, op, services);
            CHECK(r.rc == CpRc::ok);
            const std::string shortest = std::string("Q ") +
                                         std::string(q.name).substr(0, q.min_len) +
                                         required_words(q.operands);
            CHECK(execute_command(shortest, op, services).rc == CpRc::ok);
            CHECK(find_query_operand(std::string(q.name).substr(0, q.min_len)) == &q);
            if (q.min_len > 1) { // one letter shorter is another operand or a userid, never this
                CHECK(find_query_operand(std::string(q.name).substr(0, q.min_len - 1)) != &q);
            }
        }
    }

    TEST_CASE("every operand cmd_query answers is in the table (so completion offers it)") {
        // CP's QUERY operands (z/VM 7.x) and a few words a user might try: any
        // that cpd answers other than as a userid lookup must be in the table.
        const char* words[] = {
            "ALL",      "BYUSER",    "CHPID",  "COMMANDS", "CONSOLE",  "CPLEVEL",  "CPUS",
            "DASD",     "DIRECTORY", "EMSG",   "FILES",    "IMSG",     "INDICATE", "IUCV",
            "LINKS",    "LOGMSG",    "LSYNC",  "MDISK",    "MSG",      "NAMES",    "NSS",
            "OBSERVER", "PATHS",     "PF",     "PRINTER",  "PRIVCLAS", "PRT",      "PUN",
            "PUNCH",    "RDR",       "READER", "SECUSER",  "SET",      "SMSG",     "SPOOL",
            "STATS",    "STORAGE",   "SYSTEM", "TERMINAL", "TIME",     "USERID",   "USERS",
            "VIRTUAL",  "VMRELOC",   "WNG",    "XAUTOLOG",
        };
        DirectoryServices services;
        for (const char* w : words) {
            CAPTURE(w);
            if (is_spool_query(w)) { // this double has no spool: answered by the table alone
                CHECK(find_query_operand(w) != nullptr);
                continue;
            }
            const CpOutcome r = execute_command(std::string("QUERY ") + w, op, services);
            // A word that is no operand is looked up as a userid: "W not logged on".
            const bool as_userid = r.rc == CpRc::not_logged_on;
            const bool answered = r.rc != CpRc::invalid_option && !as_userid;
            CHECK(answered == (find_query_operand(w) != nullptr));
        }
    }

    TEST_CASE("QUERY COMMANDS lists the verbs the caller's classes allow") {
        DirectoryServices services;
        const CpOutcome g = execute_command("Q COMMANDS", alice, services);
        REQUIRE(g.rc == CpRc::ok);
        CHECK(g.text.find("QUERY    SMSG     SET      XAUTOLOG") == 0);
        CHECK(g.text.find("FORCE") == std::string::npos);
        CHECK(g.text.find("SHUTDOWN") == std::string::npos);
        const CpOutcome a = execute_command("QUERY COM", op, services);
        REQUIRE(a.rc == CpRc::ok);
        for (const CommandSpec& spec : command_table()) {
            CHECK(a.text.find(spec.name) != std::string::npos);
        }
        CHECK(a.text.find(" \n") == std::string::npos); // no trailing blanks
        CHECK(a.text.back() != ' ');
        CHECK(execute_command("Q COMMANDS FORCE", alice, services).rc == CpRc::not_authorized);
        CHECK(execute_command("Q COMMANDS FORCE", op, services).text == "FORCE");
        CHECK(execute_command("Q COMMANDS BOGUS", op, services).rc == CpRc::unknown_command);
        CHECK(execute_command("Q COMMANDS Q X", op, services).rc == CpRc::invalid_option);
    }

    TEST_CASE("QUERY COMMANDS QUERY lists every operand of the table, then QUERY userid") {
        DirectoryServices services;
        const CpOutcome r = execute_command("q commands q", alice, services);
        REQUIRE(r.rc == CpRc::ok);
        std::istringstream lines(r.text);
        std::string line;
        std::size_t i = 0;
        while (std::getline(lines, line)) {
            CAPTURE(line);
            CHECK(line.rfind("QUERY    ", 0) == 0);
            if (i < query_operands().size()) {
                CHECK(line.find(query_operands()[i].name) == 9);
            } else {
                CHECK(line == "QUERY    userid");
            }
            ++i;
        }
        CHECK(i == query_operands().size() + 1);
        CHECK(r.text.find("QUERY    VIRTUAL   [ALL|STORAGE|CONSOLE|RDR|PUN|PRT|DASD|vdev]") != std::string::npos);
    }

    TEST_CASE("QUERY DIRECTORY: an ordinary user sees only itself, class A every console") {
        DirectoryServices services;
        const CpOutcome own = execute_command("Q DIRECTORY", alice, services);
        CHECK(own.rc == CpRc::ok);
        CHECK(own.text == "ALICE    - CON001");
        const Caller bob{uid("BOB"), "G", false};
        CHECK(execute_command("Q DIR", bob, services).text == "BOB      - OFF");
        const Caller nolog{uid("NOLOGGER"), "G", false};
        CHECK(execute_command("Q DIR", nolog, services).text == "No consoles for NOLOGGER");
        const CpOutcome all = execute_command("QUERY DIR", op, services);
        CHECK(all.text == "ALICE    - CON001 , BOB      - OFF , ECHO     - DSC , OPERATOR - OFF");
        CHECK(execute_command("Q DIR X", op, services).rc == CpRc::invalid_option);
    }

} // TEST_SUITE
