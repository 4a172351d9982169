// SPDX-License-Identifier: MIT
// SpoolStore: the spool's files in <state_dir>/spool. Each spool file is two
// files named by its key: <key>.data (the record stream) and <key>.meta (its
// attributes). Nothing half-written is ever visible: data is written to
// <key>.data.tmp, synced and renamed; metadata the same way through
// <key>.meta.tmp, then the directory is synced. A file exists once its .meta
// does; at start-up load() drops temporaries and data without metadata.
//
// Event loop: one append is one chunk (at most proto::spool_chunk_max bytes)
// going to the page cache, and every 4 MiB the store asks the kernel to start
// writing back (sync_file_range, which does not wait). So the fdatasync at
// CLOSE finds little left to do, even for a 100 MB file: no call here waits
// on more than a few MiB of I/O.
#pragma once

#include "spool/spool_file.hpp"

#include "cpd/ipc/unique_fd.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace cpd::daemon {

/// The spool directory. Thread/process: cpd's one thread.
class SpoolStore {
  public:
    /// `dir` is created (0700) on load().
    explicit SpoolStore(std::string dir);

    /// Creates the directory, removes leftovers of a crash, and returns every
    /// complete spool file. Problems go to the log.
    std::vector<SpoolFile> load();

    /// An open file's data being written.
    struct Draft {
        std::uint64_t key = 0;
        ipc::UniqueFd fd;
        std::uint64_t unsynced = 0; ///< bytes written since the last writeback request
    };
    /// Starts <key>.data.tmp; false (logged) if it cannot be created.
    bool begin(Draft& draft, std::uint64_t key);
    /// Appends bytes; false (logged) on a write error.
    bool append(Draft& draft, std::span<const std::byte> bytes);
    /// Syncs and renames the data into place; false (logged) on failure.
    bool commit(Draft& draft);
    /// Drops a draft's temporary file.
    void discard(Draft& draft);

    /// Writes the metadata crash-safely; false (logged) on failure.
    bool save_meta(const SpoolFile& file);
    /// Removes a spool file: metadata first, so a crash leaves only an orphan
    /// that load() removes.
    void remove(std::uint64_t key);
    /// Reads up to out.size() bytes of <key>.data from `offset`; bytes read, or -1.
    long read(std::uint64_t key, std::uint64_t offset, std::span<std::byte> out) const;

    const std::string& dir() const noexcept { return dir_; }

  private:
    std::string path(std::uint64_t key, const char* suffix) const;
    void sync_dir() const;
    std::string dir_;
};

} // namespace cpd::daemon
