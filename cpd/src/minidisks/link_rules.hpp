// SPDX-License-Identifier: MIT
// The rules of CP's minidisk LINK: access modes, arbitration against the links
// other users already hold, MDISK password checks, and the LINK / DETACH
// operand parsers (cp-spool-link-isolation.md §1.2-1.5). Pure functions: no
// I/O, no logging, no state; the caller owns the link table and the messages.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace cpd::daemon {

/// A LINK access mode as typed: R RR W WR M MR MW SR SW SM ER EW.
enum class LinkMode { r, rr, w, wr, m, mr, mw, sr, sw, sm, er, ew };

/// The mode `word` names (any case), or nothing.
std::optional<LinkMode> parse_link_mode(std::string_view word);
/// The mode as CP spells it: "R", "MR", ...
std::string_view to_string(LinkMode m) noexcept;

/// Which password a mode needs: read (R RR SR ER), write (W WR SW EW), multi (M MR MW SM).
enum class PasswordKind { read, write, multi };
/// The MDISK password kind that `m` must present.
PasswordKind password_kind(LinkMode m) noexcept;

/// A link another user already holds on the same minidisk (the requester's own
/// links are not passed in).
struct HeldLink {
    LinkMode mode;
    bool write; ///< granted write access (a WR or MR link may hold only read)
};

/// What arbitration decided.
struct LinkDecision {
    /// granted_write / granted_read: the mode's primary access. forced_read:
    /// a write mode with a read alternate (WR, MR) got read only; MR warns
    /// HCPLNM101W "forced R/O", and WR is reported the same way.
    enum class Outcome {
        granted_write,
        granted_read,
        forced_read,
        refused
    } outcome = Outcome::refused;
    /// Why a request was refused or forced to read, first match in this order:
    /// exclusive (ER/EW held), writer (a write link held), stable (SR/SW/SM
    /// held, for the modes a stable link blocks), readers (only read links
    /// held). none when the primary access was granted.
    enum class Blocker { none, writer, exclusive, stable, readers } blocker = Blocker::none;
    std::size_t readers = 0; ///< how many other users hold read links (for the messages)
    std::size_t writers = 0; ///< how many hold write links
};

/// Decides a LINK in `wanted` mode against the links `others` hold (§1.2):
///   R  read unless a writer or an exclusive link is held
///   RR read unless an exclusive link is held
///   W  write only if nobody else is linked
///   WR write if nobody else is linked, else read unless exclusive
///   M  write unless a writer, an exclusive or a stable link is held
///   MR as M, else read (forced R/O) unless exclusive
///   MW write unless exclusive or stable [U, conservative: both block MW]
///   ER / EW read / write only if nobody else is linked
///   SR read unless a writer or an exclusive link is held
///   SW as W, SM as M [U detail; conservative: the S forms are never looser
///      than W / M, and a held SR/SW/SM refuses every new writer]
/// A held link counts as a writer when its `write` flag is set or its mode can
/// only grant write (W M MW SW SM EW), whatever the flag says.
LinkDecision arbitrate(LinkMode wanted, std::span<const HeldLink> others);

/// The MDISK statement's passwords (empty optional = not given). "ALL" (any
/// case) means no password needed.
struct MdiskPasswords {
    std::optional<std::string> read, write, multi;
};

/// The result of a password check.
enum class PasswordCheck {
    ok,
    missing,    ///< none given but one is needed
    wrong,      ///< given, does not match
    not_allowed ///< the MDISK has no password for that kind: nobody else may link that way
};

/// Checks `given` against the MDISK password of `mode`'s kind (§1.3): "ALL"
/// admits anyone with or without a password; otherwise the two must match
/// after ASCII upper-casing (z/VM passwords are upper case). An absent or
/// empty MDISK password is not_allowed; an empty `given` is missing.
/// Callers skip this check for a link to one's own disk, for a directory LINK
/// statement and for a class B user.
PasswordCheck check_password(const MdiskPasswords& pw, LinkMode mode,
                             std::optional<std::string_view> given);

/// A parsed CP LINK command: LINK [TO] userid vdev1 [AS] vdev2 [mode] [[PASS=] password].
struct LinkRequest {
    std::string owner;           ///< upper-cased; "*" means the caller
    std::string owner_vdev;      ///< 4 upper-case hex digits, zero-padded
    std::string vdev;            ///< 4 upper-case hex digits, zero-padded
    LinkMode mode = LinkMode::r; ///< r when not given: the caller decides the own-disk default
    bool mode_given = false;
    std::optional<std::string> password; ///< as typed (check_password ignores case)
};

/// parse_link_command's answer: a request, or a z/VM message and its number.
struct LinkParse {
    std::optional<LinkRequest> request;
    std::string error; ///< a z/VM-style message text when request is empty
    int rc = 0;        ///< the message number when request is empty, else 0
};

/// Parses the operands after the word LINK (blank- or tab-separated, any case).
/// - `TO`/`T` first is the keyword, so without it the userid may not be TO or
///   T; `AS`/`A` after vdev1 is the keyword, so without it vdev2 may not be
///   AS or A (even though A is a valid device number).
/// - The userid is `*` or 1-8 of A-Z 0-9 @ # $ (non-ASCII refused); vdevs are
///   1-4 hex digits.
/// - After vdev2: a mode word is the mode; `PASS=pw` or `PASS= pw` is the
///   password; a single other word is the password with the default mode (so
///   a password equal to a mode name needs an explicit mode or PASS=); of two
///   words other than `PASS= pw`, the first must be a mode.
/// Errors (rc = message number):
///   20 HCPLNM020E Userid missing or invalid
///   22 HCPLNM022E A virtual device number was not supplied or it was invalid
///   2  HCPLNM002E Invalid operand - XX                    (a word that is no mode)
///   26 HCPLNM026E Operand missing or invalid               (PASS= without a password)
///   3  HCPLNM003E Invalid option - command contains extra option(s) starting with XX
/// Extra operands get HCP003E, CP's usual message for them, rather than 002E.
LinkParse parse_link_command(std::string_view operands);

/// DETACH's operand: 1-4 hex digits (any case) as 4 upper-case digits, or nothing.
std::optional<std::string> parse_vdev(std::string_view word);

} // namespace cpd::daemon
