// SPDX-License-Identifier: MIT
// ConfigReload: parse_options (cpd.conf is at most 256 KiB, read at once), then
// the directory file read and parsed for slice_budget a slice, each slice a
// timer handler slice_pause after the one before. The memory the parse used is
// handed back to the system at the end, so a huge bad file leaves no lasting RSS.
#include "config/config_reload.hpp"

#include "config/autolog_check.hpp"

#include <utility>

#include <malloc.h>

#include <boost/asio/post.hpp>

namespace cpd::daemon {
namespace {

/// Bytes read between looks at the clock. Small, because the first touch of
/// each page of the text buffer faults, and faults are slow in a VM (1 MiB
/// took 8-14 ms on a 2-vCPU KVM guest).
constexpr std::size_t read_chunk_bytes = 64 * 1024;
/// Lines parsed between looks at the clock (a line takes about a microsecond).
constexpr std::size_t lines_per_check = 64;

} // namespace

/// The reload in progress: the options it parsed, then the file, then the parse.
struct ConfigReload::Work {
    OptionsResult parsed;
    std::optional<BoundedFile> file;
    std::optional<DirectoryParse> parse;
};

ConfigReload::ConfigReload(boost::asio::io_context& io, std::vector<std::string> argv, Done done)
    : io_(io), argv_(std::move(argv)), done_(std::move(done)), pause_(io) {}

ConfigReload::~ConfigReload() = default;

bool ConfigReload::request() {
    if (running()) {
        again_ = true;
        return false;
    }
    start();
    return true;
}

void ConfigReload::cancel() noexcept {
    ++generation_;
    pause_.cancel();
    work_.reset();
    again_ = false;
}

// Parses the command line and cpd.conf again, opens the directory file and
// posts the first slice. A cpd.conf with errors still has its directory read
// and checked, as at start, so one reload reports every problem of both; only
// when no directory path is known is there nothing to read.
void ConfigReload::start() {
    work_ = std::make_unique<Work>();
    std::vector<const char*> args;
    for (const auto& a : argv_) {
        args.push_back(a.c_str());
    }
    work_->parsed = parse_options(static_cast<int>(args.size()), args.data());
    if (!work_->parsed.options.directory_file.empty()) {
        const std::string& path = work_->parsed.options.directory_file;
        work_->file.emplace(path, max_directory_file_bytes, "directory file");
    }
    boost::asio::post(io_, [this, gen = generation_] {
        if (gen == generation_ && work_) {
            do_slice();
        }
    });
}

// One slice of reading or parsing, then either the next slice or the end.
void ConfigReload::do_slice() {
    Work& work = *work_;
    const bool finished = work.parse ? parse_slice(work) : read_slice(work);
    if (finished) {
        return complete();
    }
    pause_.expires_after(slice_pause);
    pause_.async_wait([this, gen = generation_](const boost::system::error_code& ec) {
        if (!ec && gen == generation_ && work_) {
            do_slice();
        }
    });
}

// Reads the directory file until slice_budget has passed; at its end, hands
// the text to a parse. True if the reload is over (nothing to read, or the
// file was refused).
bool ConfigReload::read_slice(Work& work) {
    if (!work.file) {
        return true; // no directory path (cpd.conf names none): nothing to read
    }
    const auto until = std::chrono::steady_clock::now() + slice_budget;
    while (!work.file->read_some(read_chunk_bytes)) {
        if (std::chrono::steady_clock::now() >= until) {
            return false;
        }
    }
    const std::string& path = work.parsed.options.directory_file;
    if (!work.file->complete()) {
        return true; // complete() reports the refusal
    }
    work.parse.emplace(work.file->take_text(), path);
    return false;
}

// Parses lines until slice_budget has passed; true once every line is parsed.
bool ConfigReload::parse_slice(Work& work) {
    const auto until = std::chrono::steady_clock::now() + slice_budget;
    while (!work.parse->parse_some(lines_per_check)) {
        if (std::chrono::steady_clock::now() >= until) {
            return false;
        }
    }
    return true;
}

// Gathers every error (capped), calls done_, frees what the reload used and
// starts the next reload if one was asked for meanwhile.
void ConfigReload::complete() {
    std::unique_ptr<Work> work = std::move(work_);
    {
        ReloadResult result;
        result.parsed = std::move(work->parsed);
        result.errors = result.parsed.errors; // cpd.conf's, then the directory's
        if (work->file) {
            const std::string& path = result.parsed.options.directory_file;
            result.dir = work->parse ? work->parse->finish()
                                     : refused_directory(path, work->file->problem());
            work.reset(); // the file's text, before the result is applied
            for (auto& e : result.dir.error_lines()) {
                result.errors.push_back(std::move(e));
            }
            for (auto& e : autolog_errors(result.parsed.options, result.dir)) { // as at start
                result.errors.push_back(std::move(e));
            }
        }
        done_(result);
    }
    work.reset();
    // A parse of a big file leaves its freed memory scattered over the heap
    // (and glibc raises its mmap threshold after freeing a big buffer), so
    // RSS would stay high: give free pages back now.
    ::malloc_trim(0);
    if (std::exchange(again_, false)) {
        start();
    }
}

} // namespace cpd::daemon
