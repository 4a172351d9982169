// SPDX-License-Identifier: MIT
// Names for the wire return codes: the z/VM-style message id of each CP
// return code and a readable name for each IUCV return code, plus the
// "is this a known enumerator" checks that decoders use to refuse the rest.
#include "cpd/proto/rc.hpp"

namespace cpd::proto {

std::string_view cp_message_id(CpRc rc) noexcept {
    switch (rc) {
    case CpRc::ok:
        return "";
    case CpRc::unknown_command:
        return "HCPCMD001E";
    case CpRc::not_authorized:
        return "HCPCMD002E";
    case CpRc::invalid_option:
        return "HCP003E";
    case CpRc::invalid_userid:
        return "HCP020E";
    case CpRc::invalid_vdev:
        return "HCP022E";
    case CpRc::no_such_device:
        return "HCP040E";
    case CpRc::invalid_operand:
        return "HCP026E";
    case CpRc::not_logged_on:
        return "HCP045E";
    case CpRc::not_in_directory:
        return "HCPLGA053E";
    case CpRc::already_logged_on:
        return "HCPLGA054E";
    case CpRc::not_receiving:
        return "HCP057I";
    case CpRc::busy:
        return "HCPMSG061W";
    case CpRc::nolog:
        return "HCPLGA064E";
    case CpRc::logon_failed:
        return "HCPLGA071E";
    case CpRc::console_busy:
        return "HCPCON075E";
    case CpRc::shutting_down:
        return "HCPSHU099E";
    case CpRc::link_held_by:
        return "HCPLNM104E";
    case CpRc::link_readers:
        return "HCPLNM105E";
    case CpRc::link_writers:
        return "HCPLNM106E";
    case CpRc::link_no_such_disk:
        return "HCPLNM107E";
    case CpRc::link_unavailable:
        return "HCPLNM108E";
    case CpRc::vdev_in_use:
        return "HCPLNM110E";
    case CpRc::link_no_password:
        return "HCPLNM113E";
    case CpRc::link_bad_password:
        return "HCPLNM114E";
    case CpRc::no_spool_file:
        return "HCP042E";
    case CpRc::spool_held:
        return "HCPRDR043E";
    case CpRc::spool_busy:
        return "HCPSPL016E";
    case CpRc::spool_full:
        return "HCPSPL427E";
    case CpRc::spool_id_limit:
        return "HCP439E";
    }
    return "";
}

std::string_view iucv_rc_name(IucvRc rc) noexcept {
    switch (rc) {
    case IucvRc::ok:
        return "ok";
    case IucvRc::invalid_path:
        return "invalid_path";
    case IucvRc::path_quiesced:
        return "path_quiesced";
    case IucvRc::msglimit_exceeded:
        return "msglimit_exceeded";
    case IucvRc::pending_path:
        return "pending_path";
    case IucvRc::data_too_long:
        return "data_too_long";
    case IucvRc::not_logged_on:
        return "not_logged_on";
    case IucvRc::source_maxconn:
        return "source_maxconn";
    case IucvRc::target_maxconn:
        return "target_maxconn";
    case IucvRc::not_authorized:
        return "not_authorized";
    case IucvRc::refused:
        return "refused";
    case IucvRc::msglimit_too_large:
        return "msglimit_too_large";
    case IucvRc::originator_severed:
        return "originator_severed";
    case IucvRc::invalid_userid:
        return "invalid_userid";
    case IucvRc::busy:
        return "busy";
    }
    return "unknown";
}

bool is_known(CpRc rc) noexcept {
    return rc == CpRc::ok || !cp_message_id(rc).empty();
}

bool is_known(IucvRc rc) noexcept {
    return iucv_rc_name(rc) != "unknown";
}

} // namespace cpd::proto
