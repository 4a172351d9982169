// SPDX-License-Identifier: MIT
// Tests of the wire return codes: fixed numbers, message ids and names, and
// the known-enumerator checks the decoders rely on.
#include "cpd/proto/rc.hpp"

#include <doctest/doctest.h>

#include <cstdint>

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

    TEST_CASE("every message id ends in its return code number and a severity") {
        for (unsigned v = 1; v <= 0xFFFF; ++v) {
            const auto rc = CpRc{static_cast<std::uint16_t>(v)};
            if (!is_known(rc)) {
                CHECK(cp_message_id(rc).empty());
                continue;
            }
            const auto id = cp_message_id(rc);
            CAPTURE(v);
            REQUIRE(id.size() >= 7);
            const auto num = id.substr(id.size() - 4, 3);
            CHECK(static_cast<unsigned>((num[0] - '0') * 100 + (num[1] - '0') * 10 +
                                        (num[2] - '0')) == v);
            CHECK((id.back() == 'E' || id.back() == 'I' || id.back() == 'W'));
        }
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
