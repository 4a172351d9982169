// SPDX-License-Identifier: MIT
// Wire return codes with fixed numbers. CP command return codes are the
// number of the z/VM message that reports them (045 -> 45), as DIAGNOSE X'08'
// and vmcp do; IUCV return codes are z/VM's IPRCODE values. Numbers never
// change once shipped: clients and guests compare them.
#pragma once

#include <cstdint>
#include <string_view>

namespace cpd::proto {

/// Return code of a CP command or an SMSG, equal to its z/VM message number.
enum class CpRc : std::uint16_t {
    ok = 0,
    unknown_command = 1,     ///< HCPCMD001E Unknown CP command
    not_authorized = 2,      ///< HCPCMD002E privilege class does not allow it
    invalid_option = 3,      ///< HCP003E Invalid option
    invalid_userid = 20,     ///< HCP020E Userid missing or invalid
    invalid_vdev = 22,       ///< HCP022E A virtual device number ... was invalid
    invalid_operand = 26,    ///< HCP026E Operand missing or invalid (text too long, empty)
    no_such_device = 40,     ///< HCP040E Device vdev does not exist
    not_logged_on = 45,      ///< HCP045E userid not logged on
    not_in_directory = 53,   ///< HCPLGA053E userid not in CP directory
    already_logged_on = 54,  ///< HCPLGA054E Already logged on
    not_receiving = 57,      ///< HCP057I userid not receiving
    busy = 61,               ///< cpd: HCPMSG061W target's inbound ring full, message dropped
    nolog = 64,              ///< cpd: HCPLGA064E userid may not be logged on (NOLOG)
    logon_failed = 71,       ///< cpd: HCPLGA071E guest program could not be started
    console_busy = 75,       ///< cpd: HCPCON075E console has a writer (use --force)
    shutting_down = 99,      ///< cpd: HCPSHU099E system is shutting down
    link_held_by = 104,      ///< HCPLNM104E userid vdev not linked; R/W (or R/O) by userid
    link_readers = 105,      ///< HCPLNM105E userid vdev not linked; R/O by nnn users
    link_writers = 106,      ///< HCPLNM106E userid vdev not linked; R/W by nnn users
    link_no_such_disk = 107, ///< HCPLNM107E userid vdev not linked; not in CP directory
    link_unavailable = 108,  ///< HCPLNM108E userid vdev not linked; the host directory failed
    vdev_in_use = 110,       ///< cpd: HCPLNM110E vdev already defined
    link_no_password = 113,  ///< HCPLNM113E userid vdev not linked; no (read|write|mult) password
    link_bad_password = 114, ///< cpd: HCPLNM114E userid vdev not linked; password incorrect
    no_spool_file = 42,      ///< HCP042E Spoolid nnnn does not exist (or is not yours)
    spool_held = 43,         ///< cpd: HCPRDR043E reader file is held
    spool_busy = 16,         ///< cpd: HCPSPL016E device has an open file from another writer
    spool_full = 427,        ///< cpd: HCPSPL427E spool space full; the open file is purged
    spool_id_limit = 439,    ///< HCP439E spool file id limit exceeded (CLOSE's rc, as vmur tests)
};

/// IUCV return code (IPRCODE) of a CONNECT, SEND, REPLY, SEVER, QUIESCE or RESUME.
enum class IucvRc : std::uint16_t {
    ok = 0,
    invalid_path = 1,          ///< path id unknown, not yours, or not in a usable state
    path_quiesced = 2,         ///< SEND on a path the peer has quiesced
    msglimit_exceeded = 3,     ///< too many two-way messages outstanding on the path
    pending_path = 9,          ///< cpd: SEND on a path whose connection is not yet complete
    data_too_long = 10,        ///< message longer than 65,535 bytes
    not_logged_on = 11,        ///< CONNECT: target is not logged on
    source_maxconn = 13,       ///< CONNECT: source already holds MAXCONN paths
    target_maxconn = 14,       ///< CONNECT: target already holds MAXCONN paths
    not_authorized = 15,       ///< CONNECT: no IUCV authorization in the directory
    refused = 17,              ///< cpd: CONNECT refused by the target's handler
    msglimit_too_large = 18,   ///< CONNECT: msglimit over 65,535
    originator_severed = 20,   ///< ACCEPT: the source severed before completion
    invalid_userid = 24,       ///< cpd: target name is not a valid userid
    busy = 61,                 ///< cpd: ring full; retry later
};

/// The z/VM-style message prefix for a CP return code, e.g. "HCP045E"; empty for ok.
std::string_view cp_message_id(CpRc rc) noexcept;

/// A readable name for an IUCV return code, e.g. "not_authorized"; "unknown" if not an enumerator.
std::string_view iucv_rc_name(IucvRc rc) noexcept;

/// True if `rc` is one of the CpRc enumerators above (decoders refuse the rest).
bool is_known(CpRc rc) noexcept;
/// True if `rc` is one of the IucvRc enumerators above (decoders refuse the rest).
bool is_known(IucvRc rc) noexcept;

} // namespace cpd::proto
