// SPDX-License-Identifier: MIT
// ConfigReload: what SIGHUP reads, done on the daemon's one thread without
// stalling it. cpd.conf (small, bounded) is read at once; the user directory
// is read and parsed in slices posted on the io_context, so routing runs in
// between. It owns the half-read state and hands a complete result to the
// daemon, which alone decides what to apply; until then the old files rule.
#pragma once

#include "config/directory/directory_parser.hpp"
#include "config/options.hpp"
#include "config/bounded_file.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

namespace cpd::daemon {

/// Everything one reload read, and every reason not to apply it.
struct ReloadResult {
    OptionsResult parsed;
    DirectoryParseResult dir;
    std::vector<std::string> errors; ///< cpd.conf's, then the directory's, each capped
    bool ok() const noexcept { return errors.empty(); }
};

/// A SIGHUP reload, read and parsed a slice at a time on the io_context.
class ConfigReload {
  public:
    /// Called once per completed reload, on the io_context.
    using Done = std::function<void(ReloadResult& result)>;
    /// Work done in one slice before the loop gets the thread back.
    static constexpr std::chrono::microseconds slice_budget{2000};
    /// The pause after each slice, in which cpd sleeps in epoll unless there is
    /// traffic: a reload takes at most two thirds of the thread, and a cpd
    /// that sleeps now and then is woken at once by the scheduler when a guest
    /// or client needs it, even on a machine with every core busy.
    static constexpr std::chrono::microseconds slice_pause{1000};

    /// `argv` is cpd's command line, parsed again with the environment and cpd.conf.
    ConfigReload(boost::asio::io_context& io, std::vector<std::string> argv, Done done);
    ~ConfigReload();
    ConfigReload(const ConfigReload&) = delete;
    ConfigReload& operator=(const ConfigReload&) = delete;

    /// Starts a reload; during one, asks for another once it is done (the files
    /// may have changed since it read them). False if it only asked.
    bool request();
    /// True while a reload is reading or parsing.
    bool running() const noexcept { return work_ != nullptr; }
    /// Abandons a running reload and any asked for; `done` is not called.
    void cancel() noexcept;

  private:
    struct Work;
    void start();
    void do_slice();
    bool read_slice(Work& work);
    bool parse_slice(Work& work);
    void complete();

    boost::asio::io_context& io_;
    std::vector<std::string> argv_;
    Done done_;
    boost::asio::steady_timer pause_;
    std::unique_ptr<Work> work_;
    std::uint64_t generation_ = 0; ///< bumped by cancel: stale slices see it and stop
    bool again_ = false;
};

} // namespace cpd::daemon
