// SPDX-License-Identifier: MIT
// CP command parsing, abbreviations, privilege classes and output forms,
// against a fake CpServices (no daemon, no processes).
#include "control/commands/command_table.hpp"
#include "control/commands/query_format.hpp"
#include "cpd/proto/version.hpp"

#include <doctest/doctest.h>

#include <sstream>

using namespace cpd::daemon;
using cpd::proto::CpRc;
using cpd::proto::Userid;

namespace {

Userid uid(const char* s) { return *Userid::parse(s); }

/// Records what commands ask of the daemon.
class FakeServices : public CpServices {
public:
    std::vector<GuestInfo> list;
    std::string last;
    std::vector<GuestInfo> guests() const override { return list; }
    StatsTotals totals() const override { return {7, 1, 2, 3, 9, 4}; }
    const DirectoryEntry* entry(const Userid&) const override { return nullptr; }
    CpOutcome logon(const Userid& u, const Userid& by) override {
        last = "logon " + std::string(u.str()) + " by " + std::string(by.str());
        return {};
    }
    CpOutcome logoff(const Userid& u, const Userid& by, bool force) override {
        last = std::string(force ? "force " : "logoff ") + std::string(u.str()) + " by " +
               std::string(by.str());
        return {};
    }
    CpOutcome smsg(const Userid& from, const Userid& to, std::string_view text) override {
        last = "smsg " + std::string(from.str()) + "->" + std::string(to.str()) + " [" +
               std::string(text) + "]";
        return {};
    }
    CpOutcome set_smsg(const Userid& u, bool on) override {
        last = "set " + std::string(u.str()) + (on ? " on" : " off");
        return {};
    }
    CpOutcome shutdown(const Userid&) override {
        last = "shutdown";
        return {};
    }
};

Caller op{uid("OPERATOR"), "ABCDEFG", false};
Caller user{uid("ALICE"), "G", false};

} // namespace

TEST_SUITE("cpd.commands") {

TEST_CASE("verbs match their z/VM minimum abbreviations and no shorter") {
    CHECK(matches_abbrev("Q", "QUERY", 1));
    CHECK(matches_abbrev("quer", "QUERY", 1));
    CHECK_FALSE(matches_abbrev("QUERYX", "QUERY", 1));
    CHECK(find_command("SM") == find_command("SMSG"));
    CHECK(find_command("S") == nullptr);
    CHECK(find_command("xauto") != nullptr);
    CHECK(find_command("XAUT") == nullptr);
    CHECK(find_command("LOG") != nullptr);
    CHECK(find_command("SHUTDOW") == nullptr); // no abbreviation for SHUTDOWN
    CHECK(std::string(find_command("FORCE")->name) == "FORCE");
}

TEST_CASE("the tokenizer keeps the raw rest of the line for smsg text") {
    CommandArgs a("  SM   echo   two  blanks  ");
    CHECK(a.size() == 4);
    CHECK(a.upper(1) == "ECHO");
    CHECK(a.rest_after(1) == "two  blanks  ");
    CHECK(a.rest_after(3).empty());
    CHECK(a.word(9).empty());
}

TEST_CASE("smsg sends the rest of the line as the caller") {
    FakeServices s;
    CHECK(execute_command("sm echo hello   world", user, s).rc == CpRc::ok);
    CHECK(s.last == "smsg ALICE->ECHO [hello   world]");
    CHECK(execute_command("SMSG bad!id x", user, s).rc == CpRc::invalid_userid);
}

TEST_CASE("privilege classes gate force, shutdown and xautolog of others") {
    FakeServices s;
    CHECK(execute_command("FORCE ECHO", user, s).rc == CpRc::not_authorized);
    CHECK(execute_command("FORCE ECHO", user, s).text == "HCPCMD002E Command FORCE not authorized");
    CHECK(execute_command("SHUTDOWN", user, s).rc == CpRc::not_authorized);
    CHECK(execute_command("XAUTOLOG ECHO", user, s).rc == CpRc::not_authorized);
    CHECK(execute_command("XAUTOLOG ALICE", user, s).rc == CpRc::ok);
    CHECK(s.last == "logon ALICE by ALICE");
    CHECK(execute_command("FORCE ECHO", op, s).rc == CpRc::ok);
    CHECK(s.last == "force ECHO by OPERATOR");
    Caller none{uid("NOCLASS"), "", false};
    CHECK(execute_command("Q N", none, s).rc == CpRc::not_authorized);
    CHECK(execute_command("LOGOFF", none, s).rc == CpRc::ok);
    CHECK(s.last == "logoff NOCLASS by NOCLASS");
}

TEST_CASE("unknown commands and empty lines") {
    FakeServices s;
    CpOutcome r = execute_command("frob x", op, s);
    CHECK(r.rc == CpRc::unknown_command);
    CHECK(r.text == "HCPCMD001E Unknown CP command: FROB");
    CHECK(execute_command("   ", op, s).rc == CpRc::ok);
}

TEST_CASE("a response longer than the protocol allows is cut to it, whoever asked") {
    FakeServices s;
    for (int i = 0; i < 6000; ++i) { // QUERY NAMES of 6000 guests: about 90,000 bytes
        s.list.emplace_back(uid(std::string("G").append(std::to_string(i)).c_str()));
    }
    const CpOutcome r = execute_command("q n", op, s);
    CHECK(r.rc == CpRc::ok);
    CHECK(r.text.size() == cpd::proto::cp_response_max);
}

TEST_CASE("query names lists four per line in z/VM form") {
    std::vector<GuestInfo> g;
    for (const char* n : {"A", "BB", "CCC", "DDDD", "EEEEEEEE"}) {
        g.emplace_back(uid(n));
    }
    CHECK(format_names({}).empty());
    CHECK(format_names({g[0]}) == "A        - DSC");
    CHECK(format_names(g) == "A        - DSC , BB       - DSC , CCC      - DSC , DDDD     - DSC\n"
                             "EEEEEEEE - DSC");
}

TEST_CASE("query users, query userid and query stats") {
    FakeServices s;
    s.list.emplace_back(uid("ECHO"));
    s.list.back().inbound_capacity = 1000;
    s.list.back().inbound_used = 250;
    s.list.back().counters.routed_in = 12;
    CHECK(execute_command("Q USERS", op, s).text == "     1 USERS,      0 DIALED,      0 NET");
    CHECK(execute_command("q echo", op, s).text == "ECHO     - DSC");
    CpOutcome nq = execute_command("Q MAINT", op, s);
    CHECK(nq.rc == CpRc::not_logged_on);
    CHECK(nq.text == "HCPCQU045E MAINT not logged on");
    CHECK(execute_command("Q", op, s).rc == CpRc::invalid_operand);
    // CP's own operands are never taken for a userid (issue 15, item 9).
    for (const char* operand : {"CPUS", "SMSG", "WNG", "RDR"}) {
        CAPTURE(operand);
        const CpOutcome q = execute_command(std::string("Q ") + operand, op, s);
        CHECK(q.rc == CpRc::invalid_option);
        CHECK(q.text.starts_with("HCPCQU003E Invalid option - "));
        CHECK(q.text.find("not logged on") == std::string::npos);
    }
    std::string stats = execute_command("Q STATS", op, s).text;
    CHECK(stats.find("250/1000(25%)") != std::string::npos);
    CHECK(stats.find("TOTAL    routed 7") != std::string::npos);
}

TEST_CASE("query stats shows every router counter, per guest and in total") {
    std::vector<GuestInfo> g{GuestInfo(uid("ECHO"))};
    g[0].counters.wakeups = 4;
    g[0].counters.frames_out = 11;
    g[0].counters.bells_rung = 5;
    StatsTotals t{7, 1, 2, 3, 9, 4};
    t.backlogged = 8;
    t.spins_won = 6;
    t.backlog_overflows = 2;
    t.latency_hold = "hold 20 ms, held, holds 3";
    const std::string stats = format_stats(g, t);
    auto words = [](const std::string& line) {
        std::vector<std::string> out;
        std::istringstream in(line);
        for (std::string w; in >> w;) {
            out.push_back(w);
        }
        return out;
    };
    std::istringstream lines(stats);
    std::string header, echo, total;
    REQUIRE(std::getline(lines, header));
    REQUIRE(std::getline(lines, echo));
    REQUIRE(std::getline(lines, total));
    const auto columns = words(header);
    const auto values = words(echo);
    REQUIRE(columns.size() == values.size()); // one value under each heading
    CHECK(columns[9] == "WAKEUPS");
    CHECK(values[9] == "4");
    CHECK(columns[10] == "FRAMES-OUT");
    CHECK(values[10] == "11");
    CHECK(columns[11] == "BELLS-RUNG");
    CHECK(values[11] == "5");
    CHECK(total == "TOTAL    routed 7, to listeners 1, dropped 2, refused 3, frames 9, wakeups 4, "
                   "spins won 6, backlogged 8, backlog overflows 2");
    std::string latency;
    REQUIRE(std::getline(lines, latency));
    CHECK(latency == "LATENCY  hold 20 ms, held, holds 3");
    std::string isolation;
    REQUIRE(std::getline(lines, isolation));
    CHECK(isolation == "ISOLATION none");
    CHECK_FALSE(std::getline(lines, latency));
}

TEST_CASE("set smsg on and off") {
    FakeServices s;
    CHECK(execute_command("SET SMSG OFF", user, s).rc == CpRc::ok);
    CHECK(s.last == "set ALICE off");
    CHECK(execute_command("SET SMSG MAYBE", user, s).rc == CpRc::invalid_option);
}

} // TEST_SUITE

TEST_SUITE("cpd.commands.lifecycle") {

/// A daemon with a history for ECHO and MAINT and a SET CRASHMSG switch.
class HistoryServices : public FakeServices {
public:
    std::string last_end(const Userid& u) const override {
        return u == uid("ECHO") ? "last session ended: crash: killed by signal SIGKILL; restarts 1"
                                : "";
    }
    CpOutcome set_crashmsg(const Userid& u, bool on) override {
        last = "crashmsg " + std::string(u.str()) + (on ? " on" : " off");
        return {};
    }
};

TEST_CASE("query userid adds how the last session ended, logged on or not") {
    HistoryServices s;
    CpOutcome off = execute_command("Q ECHO", op, s);
    CHECK(off.rc == CpRc::not_logged_on);
    CHECK(off.text == "HCPCQU045E ECHO not logged on\nECHO     last session ended: crash: killed "
                      "by signal SIGKILL; restarts 1");
    s.list.emplace_back(uid("ECHO"));
    CHECK(execute_command("Q ECHO", op, s).text ==
          "ECHO     - DSC\nECHO     last session ended: crash: killed by signal SIGKILL; restarts 1");
    s.list.emplace_back(uid("MAINT"));
    CHECK(execute_command("Q MAINT", op, s).text == "MAINT    - DSC"); // no history, no line
}

TEST_CASE("set crashmsg is for class A or B") {
    HistoryServices s;
    CHECK(execute_command("SET CRASHMSG ON", op, s).rc == CpRc::ok);
    CHECK(s.last == "crashmsg OPERATOR on");
    CHECK(execute_command("set crashm off", op, s).rc == CpRc::ok);
    CHECK(s.last == "crashmsg OPERATOR off");
    CHECK(execute_command("SET CRASHMSG ON", user, s).rc == CpRc::not_authorized);
    CHECK(execute_command("SET CRASHMSG MAYBE", op, s).rc == CpRc::invalid_option);
    CHECK(execute_command("SET CRASH ON", op, s).rc == CpRc::invalid_option); // CRASHM at least
}

} // TEST_SUITE
