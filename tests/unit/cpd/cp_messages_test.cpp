// SPDX-License-Identifier: MIT
// CP messaging without a daemon: the MSG, MSGNOH and WARNING commands (forms,
// targets, classes), SET MSG/WNG/EMSG/IMSG/SMSG and QUERY SET against a fake
// CpServices, the Messenger's switch checks and console fallback against a
// fake MessagePort, and the receiver forms.
#include "control/commands/command_table.hpp"
#include "messages/messenger.hpp"

#include "cpd/proto/message_form.hpp"

#include <doctest/doctest.h>

#include <map>

using namespace cpd::daemon;
using cpd::proto::CpRc;
using cpd::proto::MessageKind;
using cpd::proto::Userid;

namespace {

Userid uid(const char* s) {
    return *Userid::parse(s);
}

/// Records messages and keeps one guest's switches.
class MessageServices : public CpServices {
  public:
    std::vector<std::string> sent;
    std::map<Userid, MessageSwitches> logged_on;
    bool smsg_on = true;
    std::vector<std::string> logmsg_lines;

    std::vector<GuestInfo> guests() const override { return {}; }
    StatsTotals totals() const override { return {}; }
    const DirectoryEntry* entry(const Userid&) const override { return nullptr; }
    CpOutcome logon(const Userid&, const Userid&) override { return {}; }
    CpOutcome logoff(const Userid&, const Userid&, bool) override { return {}; }
    CpOutcome smsg(const Userid&, const Userid&, std::string_view) override { return {}; }
    CpOutcome set_smsg(const Userid&, bool on) override {
        smsg_on = on;
        return {};
    }
    CpOutcome shutdown(const Userid&) override { return {}; }
    CpOutcome message(const Userid& from, const Userid& to, MessageKind kind,
                      std::string_view text) override {
        sent.push_back(std::string(cpd::proto::kind_name(kind)) + " " + std::string(from.str()) +
                       "->" + std::string(to.str()) + " [" + std::string(text) + "]");
        return {};
    }
    CpOutcome message_all(const Userid& from, MessageKind kind, std::string_view text) override {
        sent.push_back(std::string(cpd::proto::kind_name(kind)) + " " + std::string(from.str()) +
                       "->ALL [" + std::string(text) + "]");
        return {};
    }
    std::optional<MessageSwitches> message_switches(const Userid& u, bool* on) const override {
        auto it = logged_on.find(u);
        if (it == logged_on.end()) {
            return std::nullopt;
        }
        *on = smsg_on;
        return it->second;
    }
    CpOutcome set_message_switches(const Userid& u, const MessageSwitches& s) override {
        logged_on[u] = s;
        return {};
    }
    std::vector<std::string> logmsg() const override { return logmsg_lines; }
    void set_logmsg(std::vector<std::string> lines, const Userid&) override {
        logmsg_lines = std::move(lines);
    }
};

/// A MessagePort over a table of guests; `full` guests cannot take a frame.
class FakePort : public MessagePort {
  public:
    std::map<Userid, MessageSwitches> guests;
    std::vector<Userid> full;
    std::vector<std::string> delivered, console;

    const MessageSwitches* switches(const Userid& u) const override {
        auto it = guests.find(u);
        return it == guests.end() ? nullptr : &it->second;
    }
    std::vector<Userid> logged_on() const override {
        std::vector<Userid> out;
        for (const auto& [id, s] : guests) {
            out.push_back(id);
        }
        return out;
    }
    bool deliver(const Userid& u, const cpd::proto::MessageDeliver& f) override {
        if (std::find(full.begin(), full.end(), u) != full.end()) {
            return false;
        }
        delivered.push_back(std::string(u.str()) + " " +
                            std::string(cpd::proto::kind_name(f.kind)) + " " +
                            std::string(f.from.str()) + " " + std::string(f.text));
        return true;
    }
    void write_console(const Userid& u, std::string_view line) override {
        console.push_back(std::string(u.str()) + " " + std::string(line));
    }
};

Caller op{uid("OPERATOR"), "ABCDEFG", false};
Caller bee{uid("BEE"), "BG", false};
Caller user{uid("ALICE"), "G", false};

} // namespace

TEST_SUITE("cpd.messages") {

    TEST_CASE("msg, message, m and tell's MSG send the raw text as the caller") {
        MessageServices s;
        CHECK(execute_command("MSG bob hello   there", user, s).rc == CpRc::ok);
        CHECK(execute_command("m bob x", user, s).rc == CpRc::ok);
        CHECK(execute_command("MESSAGE * to me", user, s).rc == CpRc::ok);
        CHECK(execute_command("msg op help", user, s).rc == CpRc::ok);
        REQUIRE(s.sent.size() == 4);
        CHECK(s.sent[0] == "MSG ALICE->BOB [hello   there]");
        CHECK(s.sent[1] == "MSG ALICE->BOB [x]");
        CHECK(s.sent[2] == "MSG ALICE->ALICE [to me]");
        CHECK(s.sent[3] == "MSG ALICE->OPERATOR [help]");
        CHECK(find_command("MS") == nullptr);
    }

    TEST_CASE("msg refuses a missing or bad userid and missing text") {
        MessageServices s;
        CHECK(execute_command("MSG", user, s).rc == CpRc::invalid_userid);
        CHECK(execute_command("MSG BOB", user, s).rc == CpRc::invalid_operand);
        CHECK(execute_command("MSG BOB", user, s).text == "HCPMSG026E Operand missing or invalid");
        const CpOutcome bad = execute_command("MSG bad!id hi", user, s);
        CHECK(bad.rc == CpRc::invalid_userid);
        CHECK(bad.text == "HCPMSG020E Userid missing or invalid: BAD!ID");
        CHECK(s.sent.empty());
    }

    TEST_CASE("msg all and warning are class A or B, msgnoh class B") {
        MessageServices s;
        CHECK(execute_command("MSG ALL hi", user, s).text ==
              "HCPCMD002E Command MSG ALL not authorized");
        CHECK(execute_command("WARNING BOB down", user, s).rc == CpRc::not_authorized);
        CHECK(execute_command("WNG ALL down", user, s).rc == CpRc::not_authorized);
        CHECK(execute_command("MSGNOH BOB raw", user, s).rc == CpRc::not_authorized);
        CHECK(execute_command("MSGNOH BOB raw", op, s).rc == CpRc::ok); // op holds B
        CHECK(execute_command("MSG ALL going down", op, s).rc == CpRc::ok);
        CHECK(execute_command("W ALL now", bee, s).rc == CpRc::ok);
        CHECK(execute_command("wng bob later", op, s).rc == CpRc::ok);
        CHECK(s.sent == std::vector<std::string>{
                            "MSGNOH OPERATOR->BOB [raw]", "MSG OPERATOR->ALL [going down]",
                            "WNG BEE->ALL [now]", "WNG OPERATOR->BOB [later]"});
    }

    TEST_CASE(
        "set msg, wng, emsg, imsg and smsg change the caller's switches; query set shows them") {
        MessageServices s;
        s.logged_on[uid("ALICE")] = {};
        CHECK(execute_command("Q SET", user, s).text ==
              "MSG ON    , WNG ON    , EMSG ON    , ACNT OFF, RUN OFF\n"
              "IMSG ON    , SMSG ON    , VMCONIO OFF, CPCONIO OFF");
        CHECK(execute_command("SET MSG OFF", user, s).rc == CpRc::ok);
        CHECK(execute_command("set wng iucv", user, s).rc == CpRc::ok);
        CHECK(execute_command("SET EMSG CODE", user, s).rc == CpRc::ok);
        CHECK(execute_command("SET IMSG OFF", user, s).rc == CpRc::ok);
        CHECK(execute_command("SET SMSG IUCV", user, s).rc == CpRc::ok);
        const MessageSwitches& sw = s.logged_on[uid("ALICE")];
        CHECK(sw.msg == MessageSwitch::off);
        CHECK(sw.wng == MessageSwitch::iucv);
        CHECK(sw.emsg == EmsgMode::code);
        CHECK(sw.imsg == MessageSwitch::off);
        CHECK(sw.smsg_iucv);
        CHECK(s.smsg_on);
        CHECK(execute_command("QUERY SET", user, s).text ==
              "MSG OFF   , WNG IUCV  , EMSG CODE  , ACNT OFF, RUN OFF\n"
              "IMSG OFF   , SMSG IUCV  , VMCONIO OFF, CPCONIO OFF");
        CHECK(execute_command("SET SMSG OFF", user, s).rc == CpRc::ok);
        CHECK_FALSE(s.smsg_on);
        CHECK(execute_command("Q SET", user, s).text.find("SMSG OFF") != std::string::npos);
    }

    TEST_CASE("set switches refuse bad values, extra operands and a caller not logged on") {
        MessageServices s;
        CHECK(execute_command("SET MSG ON", user, s).rc == CpRc::not_logged_on);
        CHECK(execute_command("SET MSG ON", user, s).text == "HCPSET045E ALICE not logged on");
        CHECK(execute_command("Q SET", user, s).rc == CpRc::not_logged_on);
        s.logged_on[uid("ALICE")] = {};
        CHECK(execute_command("SET MSG MAYBE", user, s).text ==
              "HCPSET003E Invalid option - MAYBE");
        CHECK(execute_command("SET EMSG LOUD", user, s).rc == CpRc::invalid_option);
        CHECK(execute_command("SET WNG TEXT", user, s).rc == CpRc::invalid_option); // EMSG only
        CHECK(execute_command("SET MSG", user, s).rc == CpRc::invalid_operand);
        CHECK(execute_command("SET MSG ON NOW", user, s).text == "HCPSET003E Invalid option - NOW");
        CHECK(execute_command("Q SET X", user, s).text == "HCPCQU003E Invalid option - X");
    }

    TEST_CASE("the receiver forms: MSG and WNG with time and sender, MSGNOH and CP's bare") {
        const cpd::proto::TimeOfDay t{9, 5, 7};
        CHECK(cpd::proto::message_line(MessageKind::msg, uid("ALICE"), "hi", t) ==
              "09:05:07 * MSG FROM ALICE   : hi");
        CHECK(cpd::proto::message_line(MessageKind::warning, uid("OPERATOR"), "down", t) ==
              "09:05:07 * WNG FROM OPERATOR: down");
        CHECK(cpd::proto::message_line(MessageKind::msgnoh, uid("RSCS"), "raw text", t) ==
              "raw text");
        CHECK(cpd::proto::message_line(MessageKind::emsg, uid("SYSTEM"), "HCPX001E y", t) ==
              "HCPX001E y");
    }

    TEST_CASE("the messenger delivers, refuses by switch and falls back to the console") {
        FakePort port;
        port.guests[uid("BOB")] = {};
        port.guests[uid("CAROL")] = {};
        port.guests[uid("CAROL")].msg = MessageSwitch::off;
        port.guests[uid("DAVE")] = {};
        port.full.push_back(uid("DAVE"));
        Messenger m(port);
        CHECK(m.send(uid("ALICE"), uid("BOB"), MessageKind::msg, "hi", 0).rc == CpRc::ok);
        const CpOutcome off = m.send(uid("ALICE"), uid("CAROL"), MessageKind::msg, "hi", 0);
        CHECK(off.rc == CpRc::not_receiving);
        CHECK(off.text == "HCPMSG057I CAROL not receiving; MSG off");
        // WNG has its own switch: CAROL's MSG OFF does not stop it.
        CHECK(m.send(uid("OPERATOR"), uid("CAROL"), MessageKind::warning, "w", 0).rc == CpRc::ok);
        const CpOutcome gone = m.send(uid("ALICE"), uid("NOBODY"), MessageKind::msg, "hi", 0);
        CHECK(gone.rc == CpRc::not_logged_on);
        CHECK(gone.text == "HCPMSG045E NOBODY not logged on");
        // DAVE's program cannot take it: CP writes it on his console (and replay).
        CHECK(m.send(uid("ALICE"), uid("DAVE"), MessageKind::msg, "late", 0).rc == CpRc::ok);
        CHECK(port.delivered ==
              std::vector<std::string>{"BOB MSG ALICE hi", "CAROL WNG OPERATOR w"});
        REQUIRE(port.console.size() == 1);
        CHECK(port.console[0].starts_with("DAVE "));
        CHECK(port.console[0].ends_with(" * MSG FROM ALICE   : late"));
        CHECK(m.totals().delivered == 2);
        CHECK(m.totals().to_console == 1);
        CHECK(m.totals().refused == 2);
    }

    TEST_CASE("msg all skips the guests that refuse") {
        FakePort port;
        port.guests[uid("BOB")] = {};
        port.guests[uid("CAROL")] = {};
        port.guests[uid("CAROL")].msg = MessageSwitch::off;
        Messenger m(port);
        CHECK(m.send_all(uid("OPERATOR"), MessageKind::msg, "bye", 0).rc == CpRc::ok);
        CHECK(port.delivered == std::vector<std::string>{"BOB MSG OPERATOR bye"});
        CHECK(m.totals().refused == 1);
    }

    TEST_CASE("set emsg shapes CP's error messages: id and text, code, text or nothing") {
        const std::string msg = "HCPMSG045E X not logged on";
        CHECK(shape_emsg(EmsgMode::on, msg) == msg);
        CHECK(shape_emsg(EmsgMode::iucv, msg) == msg);
        CHECK(shape_emsg(EmsgMode::code, msg) == "HCPMSG045E");
        CHECK(shape_emsg(EmsgMode::text, msg) == "X not logged on");
        CHECK_FALSE(shape_emsg(EmsgMode::off, msg));
        CHECK(shape_emsg(EmsgMode::code, "no id here") == "no id here");
    }

    TEST_CASE("set emsg shapes only the error lines of a command's response") {
        const std::string r = "HCPCQU003E Invalid option - X\nHCPMSG057I B not receiving\nplain";
        CHECK(shape_cp_response(EmsgMode::on, r) == r);
        CHECK(shape_cp_response(EmsgMode::code, r) ==
              "HCPCQU003E\nHCPMSG057I B not receiving\nplain");
        CHECK(shape_cp_response(EmsgMode::text, r) ==
              "Invalid option - X\nHCPMSG057I B not receiving\nplain");
        CHECK(shape_cp_response(EmsgMode::off, r) == "HCPMSG057I B not receiving\nplain");
        CHECK(shape_cp_response(EmsgMode::off, "HCPSPL427S Spool space full").empty());
        CHECK(shape_cp_response(EmsgMode::code, "").empty());
    }

    TEST_CASE("set logmsg is class B and query logmsg shows its lines") {
        MessageServices s;
        CHECK(execute_command("Q LOGMSG", user, s).text == "There is no logmsg data");
        CHECK(execute_command("SET LOGMSG 1 hello", user, s).rc == CpRc::not_authorized);
        CHECK(execute_command("SET LOGMSG 1 System   back at noon", bee, s).rc == CpRc::ok);
        CHECK(execute_command("SET LOGM 3 third", bee, s).rc == CpRc::ok);
        CHECK(execute_command("Q LOGM", user, s).text == "* System   back at noon\n* \n* third");
        CHECK(execute_command("SET LOGMSG 3", bee, s).rc == CpRc::ok);
        CHECK(execute_command("Q LOGMSG", user, s).text == "* System   back at noon");
        CHECK(execute_command("SET LOGMSG 100 x", bee, s).rc == CpRc::invalid_operand);
        CHECK(execute_command("SET LOGMSG OFF", bee, s).rc == CpRc::ok);
        CHECK(execute_command("Q LOGMSG", user, s).text == "There is no logmsg data");
    }

} // TEST_SUITE
