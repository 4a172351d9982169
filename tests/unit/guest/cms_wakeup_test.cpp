// SPDX-License-Identifier: MIT
// WAKEUP's options and rcs through an EXEC on the real Regina, with a host
// that hands out scripted events: RDR is rc 3 with nothing stacked, IUCVMSG
// takes SMSG, MSG and WARNING (rc 5, stacked with their *MSG class), SMSG
// only SMSGs; the kinds each option asks the host for.
#include "cms_test_support.hpp"

#include "cpd/cms/command_host.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <deque>

using namespace cms_test;
using cpd::cms::HostEvent;

namespace {

// Answers each wait with the next scripted event and keeps the kinds asked for.
class EventHost final : public cpd::cms::CommandHost {
  public:
    std::deque<HostEvent> events;
    std::vector<unsigned> asked;
    std::vector<std::string> written;
    void write_line(std::string_view line) override { written.emplace_back(line); }
    cpd::cms::CpAnswer cp_command(std::string_view) override { return {0, {}}; }
    std::optional<std::string> read_console_line(cpd::proto::ConsoleMode) override {
        return std::nullopt;
    }
    HostEvent wait_for_event(unsigned kinds,
                             std::optional<std::chrono::steady_clock::time_point>) override {
        asked.push_back(kinds);
        if (events.empty()) {
            return {};
        }
        HostEvent e = events.front();
        events.pop_front();
        return e;
    }
    bool halt_requested() override { return false; }
    bool take_hx_async() noexcept override { return false; }
    void request_logoff() override {}
    std::string text() const {
        std::string out;
        for (const auto& l : written) {
            out += l + '\n';
        }
        return out;
    }
    bool wrote(std::string_view line) const {
        return std::find(written.begin(), written.end(), line) != written.end();
    }
};

} // namespace

TEST_SUITE("guest.cms.wakeup") {

    TEST_CASE("RDR is rc 3, IUCVMSG stacks MSG, WARNING and SMSG with their class") {
        Machine m;
        m.run("DESBUF");
        EventHost host;
        m.session().host = &host;
        host.events = {
            {HostEvent::Kind::reader, "ALICE", {}, {}, 17},
            {HostEvent::Kind::message, "MAINT", "hello there", "*MSG", 0},
            {HostEvent::Kind::message, "OPERATOR", "going down", "*WNG", 0},
            {HostEvent::Kind::smsg, "BOB", "status", "*SMSG", 0},
        };
        put(m.a / "svc.exec", "/* */\n'WAKEUP +10 (RDR QUIET'\nsay 'rdr rc' rc queued()\n"
                              "do 3\n  'WAKEUP (IUCVMSG QUIET'\n"
                              "  parse pull 1 class 9 sender 17 text\n"
                              "  say rc strip(class) strip(sender) '['text']'\nend\n");
        const auto r = m.run("SVC");
        m.session().host = nullptr;
        CHECK(r.rc == 0);
        INFO(host.text());
        CHECK(host.wrote("rdr rc 3 0"));
        CHECK(host.wrote("5 *MSG MAINT [hello there]"));
        CHECK(host.wrote("5 *WNG OPERATOR [going down]"));
        CHECK(host.wrote("5 *SMSG BOB [status]"));
        using namespace cpd::cms;
        REQUIRE(host.asked.size() == 4);
        CHECK(host.asked[0] == host_reader);
        CHECK(host.asked[1] == (host_smsg | host_message));
    }

    TEST_CASE("SMSG waits for SMSGs only; RDR joins the other options") {
        Machine m;
        EventHost host;
        m.session().host = &host;
        host.events = {{HostEvent::Kind::timeout, {}, {}, {}, 0},
                       {HostEvent::Kind::timeout, {}, {}, {}, 0}};
        put(m.a / "opts.exec", "/* */\n'WAKEUP +1 (SMSG'\nsay 'a' rc\n"
                               "'WAKEUP +1 (RDR CONS SMSG'\nsay 'b' rc\n"
                               "'WAKEUP (BOGUS'\nsay 'c' rc\n");
        m.run("OPTS");
        m.session().host = nullptr;
        using namespace cpd::cms;
        REQUIRE(host.asked.size() == 2);
        CHECK(host.asked[0] == host_smsg);
        CHECK(host.asked[1] == (host_reader | host_console | host_smsg));
        CHECK(host.wrote("a 2"));
        CHECK(host.wrote("b 2"));
        CHECK(host.wrote("c 24"));
    }
}
