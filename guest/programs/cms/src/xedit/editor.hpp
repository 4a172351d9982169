// SPDX-License-Identifier: MIT
// Editor: one XEDIT session on one file. It takes a line at a time: in edit
// mode a subcommand (or a bare target, which is LOCATE), in input mode a
// record to insert, and says what happened in a Reply. It is the engine a
// console session and, later, a REXX macro (ADDRESS XEDIT, EXTRACT) drive
// alike. Its only I/O is SAVE and FILE through the FileSystem.
#pragma once

#include "xedit/edit_file.hpp"

#include "cpd/cms/filesystem.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cpd::cms::xedit {

/// What one line did.
struct Reply {
    int rc = 0;                     ///< the subcommand's return code
    std::vector<std::string> lines; ///< messages and typed lines, in order
    bool show_current = false;      ///< with SET VERIFY ON, type the current line after it
    /// Not an XEDIT subcommand: run this line as a CMS command (IMPCMSCP).
    std::optional<std::string> cms_command;
    /// EXTRACT: REXX variables to set ("SIZE.0" = "1", "SIZE.1" = "12", ...).
    std::vector<std::pair<std::string, std::string>> variables;
};

/// One EXTRACT item: the stem its REXX variables use and their values.
struct Extracted {
    std::string name;                ///< full item name, e.g. "CURLINE"
    std::vector<std::string> values; ///< item.1 .. item.n
};

/// One XEDIT session.
class Editor {
  public:
    /// Edits `file`, written back through `fs`; `read_only` refuses SAVE and FILE.
    Editor(FileSystem& fs, EditFile file, bool read_only = false);

    /// Runs one line: a subcommand in edit mode, a record in input mode (a
    /// null line leaves input mode).
    Reply execute(std::string_view line);
    /// Runs one subcommand, whatever the mode (for macros: ADDRESS XEDIT).
    Reply subcommand(std::string_view line);

    /// EXTRACT of one item (CURLINE, SIZE, LINE, FNAME, FTYPE, FMODE, CASE,
    /// ZONE, VERIFY, ALT, TOF, EOF; abbreviations as XEDIT's): its full name
    /// and its values item.1..item.n, read now; nullopt for an unknown item.
    std::optional<Extracted> extract(std::string_view item) const;

    /// True between INPUT (without text) and the null line that ends it.
    bool is_input_mode() const noexcept { return input_mode_; }
    /// True once FILE, QUIT or QQUIT ended the session.
    bool is_done() const noexcept { return done_; }
    /// The XEDIT command's return code once done (QUIT n).
    int exit_rc() const noexcept { return exit_rc_; }

    EditFile& file() noexcept { return file_; }
    const EditFile& file() const noexcept { return file_; }
    FileSystem& fs() noexcept { return fs_; }
    bool is_read_only() const noexcept { return read_only_; }

    // For the subcommands (xedit/subcommands/).
    /// Starts input mode.
    void start_input() noexcept { input_mode_ = true; }
    /// Ends the session with `rc`.
    void finish(int rc) noexcept {
        done_ = true;
        exit_rc_ = rc;
    }
    /// The line as typed into the file: upper-cased under SET CASE UPPER.
    std::string as_input(std::string_view text) const;
    /// Line `n` as line mode types it: the record, or "TOF:" / "EOF:".
    std::string display(std::size_t n) const;

    std::string last_target; ///< LOCATE's operand, for LOCATE without one
    std::string last_change; ///< CHANGE's operands, for CHANGE without any

  private:
    Reply input_line(std::string_view line);

    FileSystem& fs_;
    EditFile file_;
    bool read_only_ = false;
    bool input_mode_ = false;
    bool done_ = false;
    int exit_rc_ = 0;
};

} // namespace cpd::cms::xedit
