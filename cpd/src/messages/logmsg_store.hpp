// SPDX-License-Identifier: MIT
// LogmsgStore: SET LOGMSG's lines kept across cpd restarts, as z/VM keeps the
// log message across IPLs. One file, $STATE/logmsg, one line per LOGMSG line
// (empty lines kept, so line numbers survive), replaced crash-safe the way
// spool files are: written under a temporary name, synced, renamed, and the
// directory synced. It reads and writes the file only; SET LOGMSG's rules are
// in control/commands/set_messages.cpp.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace cpd::daemon {

/// The stored LOGMSG. Thread/process: cpd's one thread (blocking file I/O of
/// a few KiB, once per SET LOGMSG and once at start).
class LogmsgStore {
  public:
    /// Most lines kept (SET LOGMSG's line numbers are 1-99).
    static constexpr std::size_t max_lines = 99;
    /// Longest line kept; a longer one in the file is cut.
    static constexpr std::size_t max_line = 240;

    /// The file `state_dir`/logmsg.
    explicit LogmsgStore(const std::string& state_dir);

    /// The stored lines; none if there is no file. A file left half-written
    /// by a crash is only ever the temporary one, which is removed.
    std::vector<std::string> load() const;
    /// Replaces the stored lines; false (and logged) if they could not be stored.
    bool save(const std::vector<std::string>& lines) const;

  private:
    std::string dir_;
    std::string path_;
};

} // namespace cpd::daemon
