// SPDX-License-Identifier: MIT
// CMS-style message texts ("DMSxxxnnnE text") and the common error results
// commands return: file not found, filemode not accessed, read-only disk,
// bad operands. Private to cms_core.
#pragma once

#include "cpd/cms/command_result.hpp"
#include "cpd/cms/filesystem.hpp"

#include <string>
#include <string_view>

namespace cpd::cms {

/// Return code of a bad or missing operand (CMS RC 24).
inline constexpr int rc_bad_operand = 24;
/// Return code of a file system failure (CMS RC 28).
inline constexpr int rc_file_error = 28;
/// Return code of an unknown command, as CMS shows it in Ready(-0003).
inline constexpr int rc_unknown_command = -3;

/// "DMS<module><nnn><severity> <text>", e.g. dms("STT", 2, 'E', "File X Y A not found").
std::string dms(std::string_view module, int number, char severity, std::string_view text);

/// A result with one message line and `rc`.
CommandResult fail(int rc, std::string line);

/// The message for a failed file operation on `fileid` (e.g. "PROFILE EXEC A")
/// on `letter`; `cause` is the host's reason for an io_error (FileSystem::last_error()).
std::string fs_message(std::string_view module, FsStatus status, std::string_view fileid,
                       char letter, std::string_view cause = {});

/// Replaces characters a console line may not hold (controls, DEL) with '.'.
std::string printable(std::string_view text);

} // namespace cpd::cms
