// SPDX-License-Identifier: MIT
// FileSystem: the minidisks a CMS session has accessed at modes A-Z, each a
// host directory holding files stored as lower-case "fn.ft" (§7.3). Only
// regular files count; symlinks and other names are invisible. Owns the
// mode table; knows nothing about commands or messages, but keeps the host's
// reason for the last failure so that the message can name it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace cpd::cms {

/// One accessed minidisk.
struct Disk {
    char letter = 'A';         ///< filemode letter A-Z
    bool read_only = false;    ///< accessed R/O (linked R/O, or the host directory is not writable)
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

/// What LISTFILE shows of a file: CMS's records are its lines.
struct FileStats {
    std::size_t records = 0;     ///< lines (a final unterminated line counts)
    std::size_t lrecl = 0;       ///< longest line in bytes, without its line end
    std::uintmax_t bytes = 0;    ///< size on the host
    std::int64_t mtime = 0;      ///< last change, seconds since the epoch
};

/// Outcome of a file system operation.
enum class FsStatus {
    ok,
    not_accessed,
    read_only, ///< the disk is R/O, or the host file system is (EROFS)
    not_found,
    already_exists,
    permission_denied, ///< the host refused (EACCES, EPERM)
    no_space,          ///< the host file system or quota is full (ENOSPC, EDQUOT)
    io_error           ///< anything else; FileSystem::last_error() says what
};

/// The status for a host errno value (0 is ok).
FsStatus status_of_errno(int err) noexcept;

/// The accessed disks and the file operations on them.
class FileSystem {
  public:
    /// Maps disk.letter to disk.dir (created if missing), replacing any earlier
    /// mapping; a directory this process cannot write is accessed R/O whatever
    /// the link says. On io_error, `detail` (if given) receives the reason.
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
    /// A file's record count and longest record as read_lines would see them,
    /// its size and its time of last change.
    FsStatus stat_file(const FileEntry& file, FileStats& out) const;
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

    /// The host's reason for the last failed operation (e.g. "Input/output
    /// error"), or "" if the last failure had none.
    const std::string& last_error() const noexcept { return last_error_; }

  private:
    const Disk* writable(char letter, FsStatus& status) const noexcept;
    FsStatus failed(int err) const;
    FsStatus failed(const std::error_code& ec) const { return failed(ec.value()); }

    std::array<std::optional<Disk>, 26> disks_;
    mutable std::string last_error_;
};

} // namespace cpd::cms
