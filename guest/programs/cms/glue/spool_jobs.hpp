// SPDX-License-Identifier: MIT
// SpoolJobs: carries out the spool side effects of CMS commands (PUNCH,
// PRINT, SENDFILE, RECEIVE, PEEK) over the guest runtime, one job at a time,
// never blocking the guest's loop: a file is sent as chunks of records with
// Context::spool_write (a full ring is retried from the loop with
// call_later), a reader file is pulled a chunk at a time with spool_read.
// The console command ends (Context::console_end) when the job does.
#pragma once

#include "cpd/cms/command_result.hpp"
#include "cpd/cms/spool_records.hpp"
#include "cpd/guest/context.hpp"

#include <cstdint>
#include <fstream>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cpd::cms {

/// The spool job in progress. Thread/process: the guest's one thread.
class SpoolJobs {
  public:
    /// Starts sending; `first_cp` (SPOOL ... CLASS c) runs before the data.
    /// Returns the rc if the job ended at once, else nullopt.
    std::optional<int> start_send(guest::Context& ctx, const SpoolSend& job,
                                  const std::optional<std::string>& first_cp);
    /// Starts RECEIVE or PEEK; as start_send.
    std::optional<int> start_receive(guest::Context& ctx, const SpoolReceive& job);
    /// A CP response; true if it was one of this job's.
    bool on_cp_response(guest::Context& ctx, std::uint32_t tag, proto::CpRc rc,
                        std::string_view text);
    /// A reader chunk.
    void on_spool_data(guest::Context& ctx, std::uint32_t tag, proto::CpRc rc,
                       std::span<const std::byte> records, std::uint64_t next, bool eof,
                       std::string_view error);

  private:
    enum class Step { idle, setup, sending, closing, listing, reading, purging };
    bool cp(guest::Context& ctx, const std::string& command, Step next);
    void pump(guest::Context& ctx);
    void listed(guest::Context& ctx, proto::CpRc rc, std::string_view text);
    void read_next(guest::Context& ctx);
    void finish_receive(guest::Context& ctx);
    void end(guest::Context& ctx, int rc);

    Step step_ = Step::idle;
    std::uint32_t tag_ = 0x80000000u; ///< this job's tags; the handler's count from 1
    std::optional<SpoolSend> send_;
    std::optional<SpoolReceive> recv_;
    std::unique_ptr<std::istream> in_;
    std::unique_ptr<RecordPacker> packer_;
    std::vector<std::byte> stream_; ///< records waiting for ring space
    bool input_done_ = false;
    ReaderEntry entry_;
    RecordUnpacker unpacker_;
    std::ofstream out_;
    std::string tmp_, target_, fileid_;
    std::uint64_t offset_ = 0;
    int peeked_ = 0;
};

} // namespace cpd::cms
