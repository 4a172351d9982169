// SPDX-License-Identifier: MIT
// Output forms of the everyday CP queries: QUERY TIME, CPLEVEL, USERID,
// PRIVCLASS, LOGMSG, VIRTUAL STORAGE/CONSOLE/spool devices, INDICATE LOAD and
// USER. Pure formatting of figures the caller gathered, so z/VM's layouts are
// unit-tested without a daemon or a clock.
#pragma once

#include "control/commands/everyday_info.hpp"

#include "cpd/proto/userid.hpp"

#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cpd::daemon {

/// "TIME IS 16:45:28 EST  SUNDAY 12/06/26", then with a guest
/// "CONNECT= 00:12:34 VIRTCPU= 000:00.12 TOTCPU= 000:00.15".
std::string format_query_time(std::time_t now, const std::optional<GuestUsage>& usage);
/// "cpd Version 0 Release 1.0, service level 0000 (64-bit)", "Generated at
/// ..." and "IPL at ...".
std::string format_cplevel(const SystemInfo& info);
/// "ALICE    AT CPD".
std::string format_userid(const proto::Userid& userid, std::string_view system);
/// A title, "Currently: G", "Directory: G" and whether they may change.
std::string format_privclass(const proto::Userid& userid, std::string_view classes);
/// "There is no logmsg data", or the log message lines.
std::string format_logmsg(const std::vector<std::string>& lines);
/// "STORAGE = 64M" ("STORAGE = 0M" when the directory gives none).
std::string format_virtual_storage(std::string_view storage);
/// "CONS 0009 ON LDEV DSC    TERM START" and its spool line.
std::string format_virtual_console(std::string_view terminal);
/// The reader (000C), punch (000D) or printer (000E) line in z/VM's form;
/// `device` is "RDR", "PUN" or "PRT".
std::string format_virtual_spool(std::string_view device);
/// INDICATE LOAD from the host's load and cpd's guests.
std::string format_indicate_load(const HostLoad& load);
/// INDICATE USER for one guest.
std::string format_indicate_user(const proto::Userid& userid, const GuestUsage& usage);

} // namespace cpd::daemon
