// SPDX-License-Identifier: MIT
// QUERY IUCV rows, the QUERY STATS totals and their text: what an operator
// sees for pending, established and quiesced paths, filtered per guest.
#include "iucv_fake_sink.hpp"
#include "routing/iucv/iucv_query.hpp"

#include <doctest/doctest.h>

#include <sstream>

using namespace cpd::daemon;
using namespace cpd::daemon::test;
using cpd::proto::IucvQuiesce;
using cpd::proto::IucvSend;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    return lines;
}

} // namespace

TEST_SUITE("cpd.iucv") {

    TEST_CASE("query lists every path by number with both ends, state and counters") {
        Fixture fx;
        fx.open_guests({"A", "B", "C"});
        const auto t = fx.establish("A", 1, "B", 5);
        REQUIRE(fx.connect("C", 3, "A") == IucvRc::ok);
        fx.sink.take();
        const auto data = bytes(100);
        REQUIRE(fx.paths.send(uid("A"), IucvSend{1, 1, true, data}) == IucvRc::ok);
        REQUIRE(fx.paths.send(uid("B"), IucvSend{t, 1, false, data}) == IucvRc::ok);
        REQUIRE(fx.paths.send(uid("B"), IucvSend{t, 2, false, data}) == IucvRc::ok);

        const auto rows = fx.paths.query();
        REQUIRE(rows.size() == 2);
        CHECK(rows[0].id < rows[1].id);
        CHECK(rows[0].source == uid("A"));
        CHECK(rows[0].source_path == 1);
        CHECK(rows[0].target == uid("B"));
        CHECK(rows[0].target_path == t);
        CHECK(rows[0].state == IucvPathState::established);
        CHECK(rows[0].msglimit == 5);
        CHECK(rows[0].outstanding == 1);
        CHECK(rows[0].messages_out == 1);
        CHECK(rows[0].bytes_out == 100);
        CHECK(rows[0].messages_in == 2);
        CHECK(rows[0].bytes_in == 200);
        CHECK(rows[1].source == uid("C"));
        CHECK(rows[1].state == IucvPathState::pending);

        const Userid b = uid("B");
        CHECK(fx.paths.query(&b).size() == 1);
        const Userid a = uid("A");
        CHECK(fx.paths.query(&a).size() == 2);
        const Userid nobody = uid("NOBODY");
        CHECK(fx.paths.query(&nobody).empty());
    }

    TEST_CASE("totals count connects, refusals, failures, severs, messages and bytes") {
        Fixture fx;
        fx.open_guests({"A", "B"});
        CHECK(fx.paths.totals().paths_open == 0);
        const auto t = fx.establish("A", 1, "B");
        REQUIRE(fx.connect("A", 2, "B") == IucvRc::ok);
        const auto t2 = as<cpd::proto::IucvPending>(fx.sink.take().at(0)).path;
        auto totals = fx.paths.totals();
        CHECK(totals.paths_open == 2);
        CHECK(totals.paths_pending == 1);
        CHECK(totals.connects == 2);
        CHECK(totals.completed == 1);

        REQUIRE(fx.paths.answer(uid("B"), {t2, false, {}}) == IucvRc::ok);
        CHECK(fx.connect("A", 3, "NOBODY") == IucvRc::not_logged_on);
        const auto data = bytes(10);
        REQUIRE(fx.paths.send(uid("A"), IucvSend{1, 1, false, data}) == IucvRc::ok);
        REQUIRE(fx.paths.sever(uid("B"), {t, {}}) == IucvRc::ok);
        totals = fx.paths.totals();
        CHECK(totals.paths_open == 0);
        CHECK(totals.paths_pending == 0);
        CHECK(totals.refused == 1);
        CHECK(totals.connect_failures == 1);
        CHECK(totals.severed == 1);
        CHECK(totals.messages == 1);
        CHECK(totals.bytes == 10);
    }

    TEST_CASE("QUERY IUCV text has a header and one aligned line per path") {
        Fixture fx;
        fx.open_guests({"OPERATOR", "B"});
        CHECK(lines_of(format_query_iucv({})).size() == 1);

        const auto t = fx.establish("OPERATOR", 1, "B");
        REQUIRE(fx.paths.quiesce(uid("B"), IucvQuiesce{t, {}}) == IucvRc::ok);
        REQUIRE(fx.connect("B", 7, "OPERATOR") == IucvRc::ok);
        const auto rows = fx.paths.query();
        const auto lines = lines_of(format_query_iucv(rows));
        REQUIRE(lines.size() == 3);
        CHECK(lines[0].rfind("PATH     SOURCE ", 0) == 0);
        CHECK(lines[0].find("STATE") != std::string::npos);
        CHECK(lines[1].find("OPERATOR") != std::string::npos);
        CHECK(lines[1].find("4294967295") != std::string::npos);
        CHECK(lines[1].find("QUIESCED") != std::string::npos);
        CHECK(lines[2].find("PENDING") != std::string::npos);
        CHECK(lines[1].size() == lines[0].size());
        CHECK(lines[2].size() == lines[0].size());
        CHECK(lines[0].find("STATE") == lines[2].find("PENDING"));
    }

    TEST_CASE("QUERY STATS text names every IUCV counter") {
        IucvTotals t;
        t.paths_open = 3;
        t.messages = 12345;
        t.bytes = 6553600;
        const auto text = format_iucv_stats(t);
        const auto lines = lines_of(text);
        REQUIRE(lines.size() == 2);
        CHECK(lines[0].rfind("IUCV PATHS 3 OPEN, 0 PENDING", 0) == 0);
        CHECK(lines[1].find("MESSAGES 12345, BYTES 6553600") != std::string::npos);
        CHECK(text.find("RING FULL 0") != std::string::npos);
    }

} // TEST_SUITE
