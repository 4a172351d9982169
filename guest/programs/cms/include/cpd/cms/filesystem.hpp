// SPDX-License-Identifier: MIT
// FileSystem: the minidisks a CMS session has accessed at modes A-Z, each a
// host directory holding files stored as lower-case "fn.ft" (§7.3). Only
// regular files count; symlinks and other names are invisible. Owns the
// mode table; knows nothing about commands or messages.
#pragma once

#include <array>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cpd::cms {

/// One accessed minidisk.
struct Disk {
    char letter = 'A';         ///< filemode letter A-Z
    bool read_only = false;    ///< accessed R/O
    std::string vdev;          ///< virtual device, e.g. "191"; empty for a host path
    std::filesystem::path dir; ///< host directory
    /// "R/O" or "R/W".
    std::string_view status() const noexcept { return read_only ? "R/O" : "R/W"; }
};

/// One file found on a disk.
struct FileEntry {
    std::string fn;             ///< upper-case file name
    std::string ft;             ///< upper-case file type
    char letter = 'A';          ///< disk it lives on
    std::filesystem::path path; ///< host path
};

/// Outcome of a file system operation.
enum class FsStatus { ok, not_accessed, read_only, not_found, already_exists, io_error };

/// The accessed disks and the file operations on them.
class FileSystem {
  public:
    /// Maps disk.letter to disk.dir (created if missing), replacing any earlier mapping.
    /// On io_error, `detail` (if given) receives the reason.
    FsStatus access(Disk disk, std::string* detail = nullptr);
    /// Unmaps `letter`; false if it was not accessed.
    bool release(char letter);
    /// The disk at `letter`, or nullptr.
    const Disk* disk(char letter) const noexcept;
    /// Every accessed disk, in search order A-Z.
    std::vector<Disk> disks() const;

    /// Files whose fn/ft match the patterns, on `mode` ('*' = all disks),
    /// sorted by fn, ft, then disk letter.
    std::vector<FileEntry> list(std::string_view fn_pattern, std::string_view ft_pattern,
                                char mode) const;
    /// Number of files on the disk at `letter` (0 if not accessed).
    std::size_t file_count(char letter) const;
    /// Finds fn ft (exact names) on `mode`, or on the first disk A-Z for '*'.
    FsStatus find(std::string_view fn, std::string_view ft, char mode, FileEntry& out) const;

    /// Reads a file's lines (without line ends; a final unterminated line counts).
    FsStatus read_lines(const FileEntry& file, std::vector<std::string>& lines) const;
    /// Counts a file's lines as read_lines would.
    std::size_t count_lines(const FileEntry& file) const;
    /// Writes `content` as fn ft on `letter`, replacing any file (atomic rename).
    FsStatus write_file(char letter, std::string_view fn, std::string_view ft,
                        std::string_view content);
    /// Copies `from` to fn ft on `letter`, replacing any file there.
    FsStatus copy(const FileEntry& from, std::string_view fn, std::string_view ft, char letter);
    /// Erases a file (its disk must be R/W).
    FsStatus erase(const FileEntry& file);
    /// Renames a file on its own disk; already_exists if the target exists.
    FsStatus rename(const FileEntry& file, std::string_view fn, std::string_view ft);

    /// The host file name of fn ft: lower-case "fn.ft".
    static std::string host_name(std::string_view fn, std::string_view ft);

  private:
    const Disk* writable(char letter, FsStatus& status) const noexcept;
    std::array<std::optional<Disk>, 26> disks_;
};

} // namespace cpd::cms
