// SPDX-License-Identifier: MIT
// EditFile: the file XEDIT is editing, as records in memory, with the
// current line, the settings that govern searching (ZONE, CASE, VERIFY) and
// the alteration count that decides whether QUIT may leave. Pure data and
// bounds-checked edits; it never touches a disk.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cpd::cms::xedit {

/// Longest record XEDIT keeps: CMS's variable-format LRECL limit. Console
/// input is shorter; only CHANGE could grow a record past it, and it stops.
inline constexpr std::size_t max_record_length = 65535;

/// SET CASE's first operand: what input does to letters.
enum class CaseInput { mixed, upper };
/// SET CASE's second operand: how string targets compare letters.
enum class CaseMatch { respect, ignore };

/// The file's identity as XEDIT names it.
struct FileId {
    std::string fn;    ///< upper-case file name
    std::string ft;    ///< upper-case file type
    char letter = 'A'; ///< disk the file is written to
    /// "FN FT A" for messages.
    std::string text() const { return fn + ' ' + ft + ' ' + letter; }
};

/// The records of the file being edited and where the editor stands in them.
/// Line 0 is the top-of-file marker and line size()+1 the end-of-file marker;
/// either may be current, as in XEDIT.
class EditFile {
  public:
    /// A file holding `records`; current line is the top of file.
    EditFile(FileId id, std::vector<std::string> records);

    const FileId& id() const noexcept { return id_; }
    /// Number of records.
    std::size_t size() const noexcept { return records_.size(); }
    /// Current line number: 0 (TOF) to size()+1 (EOF).
    std::size_t current() const noexcept { return current_; }
    /// Makes line `n` current, clamped to 0..size()+1.
    void set_current(std::size_t n) noexcept;
    bool is_tof() const noexcept { return current_ == 0; }
    bool is_eof() const noexcept { return current_ == records_.size() + 1; }
    /// Record `n` (1..size()).
    const std::string& record(std::size_t n) const { return records_.at(n - 1); }
    /// Every record, in order (for SAVE and FILE).
    const std::vector<std::string>& records() const noexcept { return records_; }

    /// Inserts `text` after line `n` (0 = before the first) and makes it current.
    void insert_after(std::size_t n, std::string text);
    /// Replaces record `n` (1..size()).
    void replace(std::size_t n, std::string text);
    /// Deletes `count` records from line `first` (1-based); the line after
    /// them (or EOF) becomes current.
    void erase(std::size_t first, std::size_t count);

    /// Alterations since the file was read or last saved (QUIT refuses if nonzero).
    std::size_t alterations() const noexcept { return alterations_; }
    /// SAVE or FILE wrote the records: nothing is unsaved any more.
    void mark_saved() noexcept { alterations_ = 0; }

    /// SET ZONE: first and last column searched (1-based; last 0 means '*').
    std::size_t zone_first = 1;
    std::size_t zone_last = 0;
    /// SET CASE.
    CaseInput case_input = CaseInput::mixed;
    CaseMatch case_match = CaseMatch::respect;
    /// SET VERIFY: type the current line after each subcommand (line mode).
    bool verify = true;

  private:
    FileId id_;
    std::vector<std::string> records_;
    std::size_t current_ = 0;
    std::size_t alterations_ = 0;
};

} // namespace cpd::cms::xedit
