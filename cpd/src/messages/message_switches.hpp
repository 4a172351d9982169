// SPDX-License-Identifier: MIT
// MessageSwitches: one guest's SET MSG, WNG, EMSG, IMSG and SMSG, as CP keeps
// them for a virtual machine from logon to logoff; parsing a SET value and
// the QUERY SET lines. Plain data: Guest holds one.
#pragma once

#include "cpd/proto/userid.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace cpd::daemon {

/// ON (shown on the console), OFF (refused) or IUCV (for the program only).
enum class MessageSwitch : unsigned char { on, off, iucv };
/// SET EMSG: ON (id and text), TEXT, CODE (id only), OFF or IUCV.
enum class EmsgMode : unsigned char { on, off, text, code, iucv };

/// The message switches of one virtual machine; z/VM's defaults at logon.
struct MessageSwitches {
    MessageSwitch msg = MessageSwitch::on;
    MessageSwitch wng = MessageSwitch::on;
    MessageSwitch imsg = MessageSwitch::on;
    EmsgMode emsg = EmsgMode::on;
    /// SET SMSG IUCV rather than ON: shown by QUERY SET; whether SMSGs are
    /// taken at all is Guest::smsg_on, which the guest may also set itself.
    bool smsg_iucv = false;
};

/// ON, OFF or IUCV (any case); nullopt for anything else.
std::optional<MessageSwitch> parse_switch(std::string_view value) noexcept;
/// ON, OFF, TEXT, CODE or IUCV (any case); nullopt for anything else.
std::optional<EmsgMode> parse_emsg(std::string_view value) noexcept;
/// "ON", "OFF" or "IUCV".
std::string_view to_string(MessageSwitch s) noexcept;
/// "ON", "OFF", "TEXT", "CODE" or "IUCV".
std::string_view to_string(EmsgMode m) noexcept;

/// QUERY SET: "MSG ON    , WNG ON    , EMSG ON    , ACNT OFF, RUN OFF" and
/// "IMSG ON    , SMSG ON    , VMCONIO OFF, CPCONIO OFF", z/VM's items.
std::string format_query_set(const MessageSwitches& s, bool smsg_on);

/// What a guest's console shows of CP error message `text` under `mode`:
/// the whole message (ON, IUCV), its id alone (CODE), the text without the id
/// (TEXT), or nothing (OFF). Text that has no HCP id is shown whole.
std::optional<std::string> shape_emsg(EmsgMode mode, std::string_view text);

/// A CP command's response as the guest that issued it sees it under SET
/// EMSG `mode`: each line that is an error message (an HCP id of severity E
/// or S) shaped by shape_emsg (dropped when OFF); other lines unchanged.
/// The rc is not touched: programs still see the failure.
std::string shape_cp_response(EmsgMode mode, std::string_view text);

/// The sender of CP's own messages (EMSG, IMSG): SYSTEM.
const proto::Userid& cp_sender();

} // namespace cpd::daemon
