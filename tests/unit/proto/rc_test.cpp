// SPDX-License-Identifier: MIT
// Tests of the wire return codes: fixed numbers, message ids and names, and
// the known-enumerator checks the decoders rely on, against lists written out
// here (so a code cannot vouch for itself).
#include "cpd/proto/rc.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <map>
#include <set>
#include <string_view>

using namespace cpd::proto;

TEST_SUITE("proto.rc") {

    TEST_CASE("cp return codes carry their z/VM message ids") {
        CHECK(cp_message_id(CpRc::not_logged_on) == "HCP045E");
        CHECK(cp_message_id(CpRc::not_receiving) == "HCP057I");
        CHECK(cp_message_id(CpRc::already_logged_on) == "HCPLGA054E");
        CHECK(cp_message_id(CpRc::not_in_directory) == "HCPLGA053E");
        CHECK(cp_message_id(CpRc::unknown_command) == "HCPCMD001E");
        CHECK(cp_message_id(CpRc::invalid_operand) == "HCP026E");
        CHECK(cp_message_id(CpRc::ok).empty());
        CHECK(static_cast<int>(CpRc::not_logged_on) == 45);
    }

    TEST_CASE("exactly the listed cp return codes are known, each with its own message id") {
        // The list is written out here, not derived from rc.cpp: a number that
        // drops out of is_known(), or an unlisted one that creeps in, fails.
        const std::map<unsigned, std::string_view> expected{
            {0, ""},
            {1, "HCPCMD001E"},
            {2, "HCPCMD002E"},
            {3, "HCP003E"},
            {20, "HCP020E"},
            {26, "HCP026E"},
            {45, "HCP045E"},
            {53, "HCPLGA053E"},
            {54, "HCPLGA054E"},
            {57, "HCP057I"},
            {61, "HCPMSG061W"},
            {64, "HCPLGA064E"},
            {71, "HCPLGA071E"},
            {75, "HCPCON075E"},
            {99, "HCPSHU099E"},
            {22, "HCP022E"},
            {40, "HCP040E"},
            {104, "HCPLNM104E"},
            {105, "HCPLNM105E"},
            {106, "HCPLNM106E"},
            {107, "HCPLNM107E"},
            {108, "HCPLNM108E"},
            {110, "HCPLNM110E"},
            {113, "HCPLNM113E"},
            {114, "HCPLNM114E"},
            {16, "HCPSPL016E"},
            {42, "HCP042E"},
            {43, "HCPRDR043E"},
            {427, "HCPSPL427E"},
            {439, "HCP439E"},
        };
        std::set<std::string_view> ids;
        for (unsigned v = 0; v <= 0xFFFF; ++v) {
            CAPTURE(v);
            const auto rc = CpRc{static_cast<std::uint16_t>(v)};
            const auto want = expected.find(v);
            CHECK(is_known(rc) == (want != expected.end()));
            if (want == expected.end()) {
                CHECK(cp_message_id(rc).empty());
                continue;
            }
            const auto id = cp_message_id(rc);
            CHECK(id == want->second);
            if (v == 0) {
                continue;
            }
            CHECK(ids.insert(id).second); // no two return codes share an id
            REQUIRE(id.size() >= 7);
            const auto num = id.substr(id.size() - 4, 3); // the number in the id is the rc
            CHECK(static_cast<unsigned>((num[0] - '0') * 100 + (num[1] - '0') * 10 +
                                        (num[2] - '0')) == v);
            CHECK((id.back() == 'E' || id.back() == 'I' || id.back() == 'W'));
        }
        CHECK(ids.size() == expected.size() - 1);
    }

    TEST_CASE("exactly the listed iucv return codes are known, each with its own name") {
        const std::map<unsigned, std::string_view> expected{
            {0, "ok"},
            {1, "invalid_path"},
            {2, "path_quiesced"},
            {3, "msglimit_exceeded"},
            {9, "pending_path"},
            {10, "data_too_long"},
            {11, "not_logged_on"},
            {13, "source_maxconn"},
            {14, "target_maxconn"},
            {15, "not_authorized"},
            {17, "refused"},
            {18, "msglimit_too_large"},
            {20, "originator_severed"},
            {24, "invalid_userid"},
            {61, "busy"},
        };
        std::set<std::string_view> names;
        for (unsigned v = 0; v <= 0xFFFF; ++v) {
            CAPTURE(v);
            const auto rc = IucvRc{static_cast<std::uint16_t>(v)};
            const auto want = expected.find(v);
            CHECK(is_known(rc) == (want != expected.end()));
            if (want == expected.end()) {
                CHECK(iucv_rc_name(rc) == "unknown");
                continue;
            }
            CHECK(iucv_rc_name(rc) == want->second);
            CHECK(names.insert(iucv_rc_name(rc)).second); // distinct names
        }
        CHECK(names.size() == expected.size());
    }

    TEST_CASE("iucv return codes have names and unknown ones do not") {
        CHECK(iucv_rc_name(IucvRc::not_authorized) == "not_authorized");
        CHECK(iucv_rc_name(IucvRc::data_too_long) == "data_too_long");
        CHECK(iucv_rc_name(IucvRc{4}) == "unknown");
        CHECK(is_known(IucvRc::busy));
        CHECK_FALSE(is_known(IucvRc{4}));
        CHECK_FALSE(is_known(CpRc{4}));
        CHECK(is_known(CpRc::ok));
    }

} // TEST_SUITE
