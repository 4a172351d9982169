// SPDX-License-Identifier: MIT
// Unit tests of GuestBacklog (order, sizes, bounds, collapsing QUIESCE/RESUME
// notifications) and of cut_response (cutting a CP response to fit a ring).
#include "routing/guest_backlog.hpp"
#include "routing/response_cut.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace cpd::daemon;
namespace proto = cpd::proto;

namespace {

const auto t0 = std::chrono::steady_clock::time_point{} + std::chrono::seconds(1);

std::uint32_t type_of(const PendingFrame& f) {
    return f.type;
}

constexpr auto quiesced = static_cast<std::uint32_t>(proto::RingFrameType::iucv_quiesced);
constexpr auto resumed = static_cast<std::uint32_t>(proto::RingFrameType::iucv_resumed);

} // namespace

TEST_SUITE("cpd.routing.backlog") {

    TEST_CASE("an empty backlog exceeds nothing") {
        GuestBacklog b;
        CHECK(b.empty());
        CHECK(b.excess(BacklogBounds{}) == GuestBacklog::Excess::none);
    }

    TEST_CASE("frames wait oldest first and are counted in frames and bytes") {
        GuestBacklog b;
        CHECK(b.add(proto::CpMessage{"one"}, t0) == GuestBacklog::Added::queued);
        b.add(proto::CpResponse{1, proto::CpRc::ok, "two"}, t0 + std::chrono::seconds(1));
        CHECK(b.frames() == 2);
        CHECK(b.bytes() == proto::encoded_size(proto::CpdFrame{proto::CpMessage{"one"}}) +
                               proto::encoded_size(
                                   proto::CpdFrame{proto::CpResponse{1, proto::CpRc::ok, "two"}}));
        CHECK(b.since() == t0);
        CHECK(type_of(b.front()) == static_cast<std::uint32_t>(proto::RingFrameType::cp_message));
        b.pop_front();
        CHECK(type_of(b.front()) == static_cast<std::uint32_t>(proto::RingFrameType::cp_response));
        b.pop_front();
        CHECK(b.empty());
        CHECK(b.bytes() == 0);
    }

    TEST_CASE("the bounds are checked frames first, then bytes") {
        GuestBacklog b;
        for (int i = 0; i < 3; ++i) {
            b.add(proto::CpMessage{"0123456789"}, t0);
        }
        CHECK(b.excess(BacklogBounds{3, 1000}) == GuestBacklog::Excess::none);
        CHECK(b.excess(BacklogBounds{2, 1000}) == GuestBacklog::Excess::frames);
        CHECK(b.excess(BacklogBounds{3, 10}) == GuestBacklog::Excess::bytes);
        CHECK(std::string(to_string(GuestBacklog::Excess::bytes)) == "bytes");
    }

    TEST_CASE("quiesce and resume on the same path cancel while both wait") {
        GuestBacklog b;
        b.add(proto::CpMessage{"before"}, t0);
        SUBCASE("quiesce, then resume") {
            b.add(proto::IucvQuiesced{4, {}}, t0);
            CHECK(b.add(proto::IucvResumed{4, {}}, t0) == GuestBacklog::Added::collapsed);
            CHECK(b.frames() == 1);
        }
        SUBCASE("resume, then quiesce") {
            b.add(proto::IucvResumed{4, {}}, t0);
            CHECK(b.add(proto::IucvQuiesced{4, {}}, t0) == GuestBacklog::Added::collapsed);
            CHECK(b.frames() == 1);
        }
        SUBCASE("many toggles leave one of the last kind at most") {
            for (int i = 0; i < 1001; ++i) {
                b.add(proto::IucvQuiesced{4, {}}, t0);
                if (i < 1000) {
                    b.add(proto::IucvResumed{4, {}}, t0);
                }
            }
            REQUIRE(b.frames() == 2);
            b.pop_front();
            CHECK(type_of(b.front()) == quiesced);
        }
        SUBCASE("a different path does not cancel") {
            b.add(proto::IucvQuiesced{4, {}}, t0);
            CHECK(b.add(proto::IucvResumed{5, {}}, t0) == GuestBacklog::Added::queued);
            CHECK(b.frames() == 3);
        }
        SUBCASE("a repeated notification of the same kind is kept") {
            b.add(proto::IucvResumed{4, {}}, t0);
            CHECK(b.add(proto::IucvResumed{4, {}}, t0) == GuestBacklog::Added::queued);
            CHECK(b.frames() == 3);
            CHECK(type_of(b.front()) != resumed);
        }
    }

    TEST_CASE("a response that fits is not cut") {
        CHECK(cut_response("short\nanswer", 100) == "short\nanswer");
        CHECK(cut_response("", 0).empty());
    }

    TEST_CASE("a response that does not fit keeps whole lines and ends with the mark") {
        std::string text;
        for (int i = 0; i < 1000; ++i) {
            text += "line " + std::to_string(i) + "\n";
        }
        for (std::size_t max : {std::size_t{100}, std::size_t{1000}, std::size_t{4000}}) {
            CAPTURE(max);
            const std::string cut = cut_response(text, max);
            CHECK(cut.size() <= max);
            const auto nl = cut.rfind('\n');
            REQUIRE(nl != std::string::npos);
            CHECK(text.starts_with(cut.substr(0, nl + 1))); // whole lines of the original
            const std::string last = cut.substr(nl + 1);
            CHECK(last.starts_with(response_cut_mark));
            CHECK(last.find(std::to_string(text.size()) + " bytes, " + std::to_string(nl) +
                            " shown") != std::string::npos);
        }
    }

    TEST_CASE("a single line longer than the room is cut inside the line") {
        const std::string text(500, 'x');
        const std::string cut = cut_response(text, 200);
        CHECK(cut.size() <= 200);
        CHECK(cut.starts_with("xxx"));
        CHECK(cut.find(response_cut_mark) != std::string::npos);
    }

    TEST_CASE("a room smaller than the mark gets as much of the mark as fits") {
        const std::string cut = cut_response(std::string(500, 'x'), 8);
        CHECK(cut.size() == 8);
        CHECK(std::string(response_cut_mark).starts_with(cut));
    }

} // TEST_SUITE
