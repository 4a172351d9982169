// SPDX-License-Identifier: MIT
// The parts of SpoolService that the command files in spool/ share: a
// userid's three unit-record devices with their SPOOL settings and open file,
// and the operand words every spool command reads (device, queue, class,
// spoolid), with z/VM's abbreviations. Private to spool/.
#pragma once

#include "spool/spool_service.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace cpd::daemon {

/// vdevs of the three devices every userid has.
inline constexpr std::uint16_t reader_vdev = 0x000C, punch_vdev = 0x000D, printer_vdev = 0x000E;

struct SpoolService::Device {
    Device(SpoolDevice k, char cls, std::uint16_t v) : kind(k), spool_class(cls), vdev(v) {}
    SpoolDevice kind;
    char spool_class; ///< '*' on a reader = every class
    std::uint16_t vdev;
    bool cont = false, hold = false, keep = false;
    std::uint16_t copies = 1;
    std::optional<proto::Userid> to; ///< SPOOL ... TO userid; nullopt = OFF (own queue)
    std::string name, type, dist, form, dest;
    std::optional<SpoolFile> open; ///< the file being written
    SpoolStore::Draft draft;
    const void* writer = nullptr;
    /// Why the file being written was purged (spool full): later writes and
    /// the CLOSE get this answer, so the rest of the data cannot start a new file.
    std::optional<CpOutcome> failed;
};

struct SpoolService::UserUnit {
    Device rdr{SpoolDevice::rdr, '*', reader_vdev};
    Device pun{SpoolDevice::pun, 'A', punch_vdev};
    Device prt{SpoolDevice::prt, 'A', printer_vdev};
};

namespace spool_words {

/// `word` (any case) abbreviates `name` to at least `min` characters.
bool is(std::string_view word, std::string_view name, std::size_t min = 0);
/// Upper-cased copy.
std::string upper(std::string_view word);
/// A device operand: READER|RDR, PUNCH|PUN, PRINTER|PRT, or a hex vdev.
std::optional<std::uint16_t> vdev(std::string_view word);
/// A queue operand: READER|RDR, PRINTER|PRT, PUNCH|PUN.
std::optional<SpoolDevice> queue(std::string_view word);
/// A spoolid, 1-4 decimal digits.
std::optional<std::uint16_t> spoolid(std::string_view word);
/// A spool class (A-Z, 0-9; `star_ok` also '*'), any case.
std::optional<char> spool_class(std::string_view word, bool star_ok);
/// A name, type, dist or form: 1-8 printable characters (case kept).
bool is_token(std::string_view word);

/// "HCP<mod>003E Invalid option - X".
CpOutcome invalid_option(std::string_view mod, std::string_view word);
/// "HCP<mod>026E Operand missing or invalid".
CpOutcome missing_operand(std::string_view mod);
/// "HCP<mod>040E Device vdev does not exist".
CpOutcome no_device(std::string_view mod, std::string_view word);
/// "HCP<mod>042E Spoolid nnnn does not exist".
CpOutcome no_spoolid(std::string_view mod, std::uint16_t id);

} // namespace spool_words
} // namespace cpd::daemon
