// SPDX-License-Identifier: MIT
// IucvPaths path lifecycle: CONNECT checks (directory, authorization, MAXCONN),
// ACCEPT and refusal, SEVER, guests leaving, local path ids. Drives the
// registry through a FakeSink and checks every frame it pushes.
#include "iucv_fake_sink.hpp"

#include <doctest/doctest.h>

using namespace cpd::daemon;
using namespace cpd::daemon::test;
using cpd::proto::IucvAnswer;
using cpd::proto::IucvComplete;
using cpd::proto::IucvFailed;
using cpd::proto::IucvPending;
using cpd::proto::IucvSever;
using cpd::proto::IucvSevered;

TEST_SUITE("cpd.iucv") {

    TEST_CASE("an accepted connect shows pending to the target, then completes both ends") {
        Fixture fx;
        fx.open_guests({"A", "B"});
        REQUIRE(fx.connect("A", 1, "B", 0, ud("HELLO")) == IucvRc::ok);

        auto sent = fx.sink.take();
        REQUIRE(sent.size() == 1);
        CHECK(sent[0].to == uid("B"));
        const auto pending = as<IucvPending>(sent[0]);
        CHECK(pending.path == IucvPaths::first_incoming_id);
        CHECK(pending.from == uid("A"));
        CHECK(pending.msglimit == IucvPaths::default_msglimit);
        CHECK(pending.user_data == ud("HELLO"));
        CHECK(fx.paths.query().at(0).state == IucvPathState::pending);

        REQUIRE(fx.paths.answer(uid("B"), IucvAnswer{pending.path, true, ud("WELCOME")}) ==
                IucvRc::ok);
        sent = fx.sink.take();
        REQUIRE(sent.size() == 2);
        const auto& to_target = as<IucvComplete>(sent[0]);
        CHECK(sent[0].to == uid("B"));
        CHECK(to_target.path == pending.path);
        CHECK(to_target.peer == uid("A"));
        CHECK(to_target.user_data == ud("HELLO"));
        const auto& to_source = as<IucvComplete>(sent[1]);
        CHECK(sent[1].to == uid("A"));
        CHECK(to_source.path == 1);
        CHECK(to_source.peer == uid("B"));
        CHECK(to_source.msglimit == IucvPaths::default_msglimit);
        CHECK(to_source.user_data == ud("WELCOME"));
        CHECK(fx.paths.query().at(0).state == IucvPathState::established);
        CHECK(fx.paths.totals().completed == 1);
    }

    TEST_CASE("a refused connect fails with rc 17 and leaves no path") {
        Fixture fx;
        fx.open_guests({"A", "B"});
        REQUIRE(fx.connect("A", 1, "B") == IucvRc::ok);
        const auto target_path = as<IucvPending>(fx.sink.take().at(0)).path;

        CHECK(fx.paths.answer(uid("B"), IucvAnswer{target_path, false, {}}) == IucvRc::ok);
        auto sent = fx.sink.take();
        REQUIRE(sent.size() == 1);
        CHECK(sent[0].to == uid("A"));
        CHECK(as<IucvFailed>(sent[0]).path == 1);
        CHECK(as<IucvFailed>(sent[0]).rc == IucvRc::refused);
        CHECK(fx.paths.query().empty());
        CHECK(fx.paths.paths_held(uid("A")) == 0);
        CHECK(fx.paths.paths_held(uid("B")) == 0);
        CHECK(fx.paths.totals().refused == 1);
    }

    TEST_CASE("connect failures carry z/VM return codes and create nothing") {
        Fixture fx;
        fx.open_guests({"A", "B"});
        IucvRc expected = IucvRc::ok;
        std::uint32_t failed_path = 1;
        SUBCASE("target not in the directory: 11") {
            CHECK(fx.connect("A", 1, "NOBODY") == IucvRc::not_logged_on);
            expected = IucvRc::not_logged_on;
        }
        SUBCASE("target not logged on: 11") {
            FakeSink::allow(fx.sink.add("C", false), IucvAuthorization::Kind::allow);
            CHECK(fx.connect("A", 1, "C") == IucvRc::not_logged_on);
            expected = IucvRc::not_logged_on;
        }
        SUBCASE("no authorization: 15") {
            fx.sink.add("C");
            CHECK(fx.connect("A", 1, "C") == IucvRc::not_authorized);
            expected = IucvRc::not_authorized;
        }
        SUBCASE("source at MAXCONN: 13") {
            fx.sink.dir.at(uid("A")).maxconn = 1;
            fx.establish("A", 1, "B");
            CHECK(fx.connect("A", 2, "B") == IucvRc::source_maxconn);
            expected = IucvRc::source_maxconn;
            failed_path = 2;
        }
        SUBCASE("target at MAXCONN, pending paths included: 14") {
            fx.open_guests({"C"});
            fx.sink.dir.at(uid("B")).maxconn = 1;
            REQUIRE(fx.connect("C", 1, "B") == IucvRc::ok); // still pending
            fx.sink.take();
            CHECK(fx.connect("A", 1, "B") == IucvRc::target_maxconn);
            expected = IucvRc::target_maxconn;
        }
        auto sent = fx.sink.take();
        REQUIRE(sent.size() == 1);
        CHECK(sent[0].to == uid("A"));
        CHECK(as<IucvFailed>(sent[0]).path == failed_path);
        CHECK(as<IucvFailed>(sent[0]).rc == expected);
        CHECK(fx.paths.paths_held(uid("A")) <= 1);
        CHECK(fx.paths.totals().connect_failures == 1);
    }

    TEST_CASE("authorization comes from ALLOW on the target, or ANY or a named statement") {
        Fixture fx;
        auto& a = fx.sink.add("A");
        fx.sink.add("B");
        fx.sink.add("C");
        SUBCASE("nothing: refused") {
            CHECK(fx.connect("A", 1, "B") == IucvRc::not_authorized);
        }
        SUBCASE("target ALLOW") {
            FakeSink::allow(fx.sink.dir.at(uid("B")), IucvAuthorization::Kind::allow);
            CHECK(fx.connect("A", 1, "B") == IucvRc::ok);
            CHECK(fx.connect("A", 2, "C") == IucvRc::not_authorized);
        }
        SUBCASE("source ANY") {
            FakeSink::allow(a, IucvAuthorization::Kind::any);
            CHECK(fx.connect("A", 1, "B") == IucvRc::ok);
            CHECK(fx.connect("A", 2, "C") == IucvRc::ok);
            CHECK(fx.connect("B", 1, "A") == IucvRc::not_authorized); // ANY is one-way
        }
        SUBCASE("source names the target") {
            FakeSink::allow(a, IucvAuthorization::Kind::user, uid("B"));
            CHECK(fx.connect("A", 1, "B") == IucvRc::ok);
            CHECK(fx.connect("A", 2, "C") == IucvRc::not_authorized);
        }
        SUBCASE("ALLOW on the source does not let it connect out") {
            FakeSink::allow(a, IucvAuthorization::Kind::allow);
            CHECK(fx.connect("A", 1, "B") == IucvRc::not_authorized);
        }
    }

    TEST_CASE("a self-connection needs no authorization and gives the guest both ends") {
        Fixture fx;
        fx.sink.add("A"); // no IUCV statement at all
        REQUIRE(fx.connect("A", 1, "A", 0, ud("ME")) == IucvRc::ok);
        auto sent = fx.sink.take();
        REQUIRE(sent.size() == 1);
        const auto pending = as<IucvPending>(sent[0]);
        CHECK(sent[0].to == uid("A"));
        CHECK(pending.path != 1);
        CHECK(fx.paths.paths_held(uid("A")) == 2);

        REQUIRE(fx.paths.answer(uid("A"), IucvAnswer{pending.path, true, ud("ALSO ME")}) ==
                IucvRc::ok);
        sent = fx.sink.take();
        REQUIRE(sent.size() == 2);
        CHECK(as<IucvComplete>(sent[0]).path == pending.path);
        CHECK(as<IucvComplete>(sent[0]).user_data == ud("ME"));
        CHECK(as<IucvComplete>(sent[1]).path == 1);
        CHECK(as<IucvComplete>(sent[1]).user_data == ud("ALSO ME"));

        SUBCASE("sever by one id tells the other id") {
            CHECK(fx.paths.sever(uid("A"), IucvSever{1, ud("BYE")}) == IucvRc::ok);
            sent = fx.sink.take();
            REQUIRE(sent.size() == 1);
            CHECK(as<IucvSevered>(sent[0]).path == pending.path);
            CHECK(as<IucvSevered>(sent[0]).peer == uid("A"));
            CHECK(as<IucvSevered>(sent[0]).user_data == ud("BYE"));
        }
        SUBCASE("it needs two MAXCONN slots") {
            fx.sink.dir.at(uid("A")).maxconn = 3;
            CHECK(fx.connect("A", 2, "A") == IucvRc::target_maxconn);
        }
        SUBCASE("leaving tells nobody") {
            CHECK(fx.paths.guest_gone(uid("A")) == 1);
            CHECK(fx.sink.take().empty());
            CHECK(fx.paths.paths_held(uid("A")) == 0);
        }
    }

    TEST_CASE("two paths between one pair are independent") {
        Fixture fx;
        fx.open_guests({"A", "B"});
        const auto t1 = fx.establish("A", 1, "B");
        const auto t2 = fx.establish("A", 2, "B");
        CHECK(t1 != t2);
        CHECK(t2 == t1 - 1); // the target's ids count down
        REQUIRE(fx.paths.sever(uid("B"), IucvSever{t1, {}}) == IucvRc::ok);
        auto sent = fx.sink.take();
        REQUIRE(sent.size() == 1);
        CHECK(as<IucvSevered>(sent[0]).path == 1);
        REQUIRE(fx.paths.query().size() == 1);
        CHECK(fx.paths.query()[0].source_path == 2);
    }

    TEST_CASE("sever by either end tells only the peer, and a second sever is an error") {
        for (const bool by_source : {true, false}) {
            CAPTURE(by_source);
            Fixture fx;
            fx.open_guests({"A", "B"});
            const auto t = fx.establish("A", 1, "B");
            const Userid who = by_source ? uid("A") : uid("B");
            const std::uint32_t local = by_source ? 1 : t;

            REQUIRE(fx.paths.sever(who, IucvSever{local, ud("DONE")}) == IucvRc::ok);
            auto sent = fx.sink.take();
            REQUIRE(sent.size() == 1);
            CHECK(sent[0].to == (by_source ? uid("B") : uid("A")));
            CHECK(as<IucvSevered>(sent[0]).path == (by_source ? t : 1));
            CHECK(as<IucvSevered>(sent[0]).peer == who);
            CHECK(as<IucvSevered>(sent[0]).user_data == ud("DONE"));
            CHECK(fx.paths.query().empty());
            CHECK(fx.paths.totals().severed == 1);

            CHECK(fx.paths.sever(who, IucvSever{local, {}}) == IucvRc::invalid_path);
            CHECK(fx.sink.take().empty());
        }
    }

    TEST_CASE("only an end may sever or answer a path") {
        Fixture fx;
        fx.open_guests({"A", "B", "C"});
        REQUIRE(fx.connect("A", 1, "B") == IucvRc::ok);
        const auto t = as<IucvPending>(fx.sink.take().at(0)).path;
        CHECK(fx.paths.sever(uid("C"), IucvSever{1, {}}) == IucvRc::invalid_path);
        CHECK(fx.paths.sever(uid("C"), IucvSever{t, {}}) == IucvRc::invalid_path);
        CHECK(fx.paths.answer(uid("C"), IucvAnswer{t, true, {}}) == IucvRc::originator_severed);
        CHECK(fx.paths.answer(uid("A"), IucvAnswer{1, true, {}}) == IucvRc::invalid_path);
        CHECK(fx.sink.take().empty());
        REQUIRE(fx.paths.answer(uid("B"), IucvAnswer{t, true, {}}) == IucvRc::ok);
        fx.sink.take();
        CHECK(fx.paths.answer(uid("B"), IucvAnswer{t, true, {}}) == IucvRc::invalid_path);
        CHECK(fx.sink.take().empty());
    }

    TEST_CASE("a pending path severed by its source is gone before the target answers") {
        Fixture fx;
        fx.open_guests({"A", "B"});
        REQUIRE(fx.connect("A", 1, "B", 0, ud("X")) == IucvRc::ok);
        const auto t = as<IucvPending>(fx.sink.take().at(0)).path;
        REQUIRE(fx.paths.sever(uid("A"), IucvSever{1, ud("NEVER MIND")}) == IucvRc::ok);
        auto sent = fx.sink.take();
        REQUIRE(sent.size() == 1);
        CHECK(sent[0].to == uid("B"));
        CHECK(as<IucvSevered>(sent[0]).path == t);

        CHECK(fx.paths.answer(uid("B"), IucvAnswer{t, true, {}}) == IucvRc::originator_severed);
        CHECK(fx.sink.take().empty());
        CHECK(fx.paths.query().empty());
    }

    TEST_CASE("a guest leaving severs all its paths, pending included, and tells every peer") {
        Fixture fx;
        fx.open_guests({"A", "B", "C", "D"});
        const auto tb = fx.establish("A", 1, "B");      // A is the source
        const auto ta = fx.establish("C", 1, "A");      // A is the target
        REQUIRE(fx.connect("A", 2, "D") == IucvRc::ok); // A's pending CONNECT
        const auto td = as<IucvPending>(fx.sink.take().at(0)).path;
        REQUIRE(fx.connect("B", 5, "A") == IucvRc::ok); // a pending CONNECT to A
        fx.sink.take();
        fx.establish("B", 6, "C"); // not A's business

        CHECK(fx.paths.guest_gone(uid("A")) == 4);
        auto sent = fx.sink.take();
        REQUIRE(sent.size() == 4);
        CHECK(sent[0].to == uid("B"));
        CHECK(as<IucvSevered>(sent[0]).path == tb);
        CHECK(as<IucvSevered>(sent[0]).peer == uid("A"));
        CHECK(sent[1].to == uid("C"));
        CHECK(as<IucvSevered>(sent[1]).path == 1);
        CHECK(sent[2].to == uid("D"));
        CHECK(as<IucvSevered>(sent[2]).path == td);
        CHECK(sent[3].to == uid("B"));
        CHECK(as<IucvFailed>(sent[3]).path == 5);
        CHECK(as<IucvFailed>(sent[3]).rc == IucvRc::not_logged_on);
        (void)ta;

        REQUIRE(fx.paths.query().size() == 1);
        CHECK(fx.paths.paths_held(uid("A")) == 0);
        CHECK(fx.paths.paths_held(uid("B")) == 1);
        CHECK(fx.paths.paths_held(uid("C")) == 1);
        CHECK(fx.paths.paths_held(uid("D")) == 0);
        CHECK(fx.paths.guest_gone(uid("A")) == 0);
    }

    TEST_CASE("a local path id in use cannot be connected again") {
        Fixture fx;
        fx.open_guests({"A", "B"});
        const auto t = fx.establish("A", 1, "B");
        CHECK(fx.connect("A", 1, "B") == IucvRc::invalid_path);
        CHECK(fx.sink.take().empty()); // no IucvFailed that would kill the live path
        CHECK(fx.paths.query().size() == 1);
        CHECK(fx.connect("B", t, "A") == IucvRc::invalid_path); // B's incoming id
        CHECK(fx.connect("A", 0, "B") == IucvRc::invalid_path);
        auto sent = fx.sink.take();
        REQUIRE(sent.size() == 1);
        CHECK(as<IucvFailed>(sent[0]).rc == IucvRc::invalid_path);
        SUBCASE("after a sever the guest may use the id again") {
            REQUIRE(fx.paths.sever(uid("A"), IucvSever{1, {}}) == IucvRc::ok);
            CHECK(fx.connect("A", 1, "B") == IucvRc::ok);
        }
    }

    TEST_CASE("ids cpd picks and path numbers are never reused") {
        Fixture fx;
        fx.open_guests({"A", "B"});
        std::set<std::uint32_t> target_ids;
        std::set<std::uint64_t> numbers;
        for (std::uint32_t i = 1; i <= 50; ++i) {
            const auto t = fx.establish("A", i, "B");
            CHECK(target_ids.insert(t).second);
            CHECK(numbers.insert(fx.paths.query().at(0).id).second);
            REQUIRE(fx.paths.sever(uid("A"), IucvSever{i, {}}) == IucvRc::ok);
            fx.sink.take();
        }
        CHECK(*target_ids.begin() == IucvPaths::first_incoming_id - 49);
        SUBCASE("a guest's own id in the downward range is skipped") {
            const std::uint32_t next = IucvPaths::first_incoming_id - 50;
            REQUIRE(fx.connect("B", next, "A") == IucvRc::ok);
            fx.sink.take();
            REQUIRE(fx.connect("A", 100, "B") == IucvRc::ok);
            CHECK(as<IucvPending>(fx.sink.take().at(0)).path == next - 1);
        }
    }

    TEST_CASE("a full target ring fails the connect with rc 61 and drops the path") {
        Fixture fx;
        fx.open_guests({"A", "B"});
        fx.sink.full.insert(uid("B"));
        CHECK(fx.connect("A", 1, "B") == IucvRc::busy);
        auto sent = fx.sink.take();
        REQUIRE(sent.size() == 1);
        CHECK(sent[0].to == uid("A"));
        CHECK(as<IucvFailed>(sent[0]).rc == IucvRc::busy);
        CHECK(fx.paths.query().empty());
        CHECK(fx.paths.paths_held(uid("B")) == 0);
        CHECK(fx.paths.totals().ring_full == 1);
    }

    TEST_CASE("handle dispatches IUCV frames and ignores the rest") {
        Fixture fx;
        fx.open_guests({"A", "B"});
        const cpd::proto::GuestFrame smsg = cpd::proto::SmsgSend{uid("B"), "HI"};
        CHECK_FALSE(fx.paths.handle(uid("A"), smsg).has_value());
        const cpd::proto::GuestFrame c = cpd::proto::IucvConnect{1, uid("B"), 0, {}};
        CHECK(fx.paths.handle(uid("A"), c) == IucvRc::ok);
        const cpd::proto::GuestFrame s = cpd::proto::IucvSever{1, {}};
        CHECK(fx.paths.handle(uid("A"), s) == IucvRc::ok);
        CHECK(fx.paths.handle(uid("A"), s) == IucvRc::invalid_path);
    }

} // TEST_SUITE
