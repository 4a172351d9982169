// SPDX-License-Identifier: MIT
// CmsHost: the CommandHost of the CMS guest, over the guest runtime. A
// running EXEC writes through it and waits through Context::wait_for for
// CP's answers and console lines; HX typed meanwhile halts the EXEC, other
// lines typed ahead are kept for the next VM READ or, after the EXEC, run
// as commands; SMSGs and IUCV wait in the runtime until the EXEC ends.
#pragma once

#include "cpd/cms/command_host.hpp"
#include "cpd/guest/context.hpp"

#include <csignal>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>

namespace cpd::cms {

/// CommandHost over one guest's Context.
class CmsHost final : public CommandHost {
  public:
    /// The Context of the callback now running (the runtime keeps it for the guest's life).
    void bind(guest::Context& ctx) noexcept { ctx_ = &ctx; }
    /// A new console command starts: a halt asked for the last one is over.
    void begin_command() noexcept { halted_ = 0; }
    /// A line typed while the last command ran (not HX), for the console to run next.
    std::optional<std::string> take_typeahead();
    /// LOGOFF was issued inside an EXEC: the glue logs off once it has stopped.
    bool logoff_requested() const noexcept { return logoff_ != 0; }

    void write_line(std::string_view line) override;
    CpAnswer cp_command(std::string_view command) override;
    std::optional<std::string> read_console_line(proto::ConsoleMode shown) override;
    HostEvent
    wait_for_event(unsigned kinds,
                   std::optional<std::chrono::steady_clock::time_point> deadline) override;
    bool halt_requested() override { return halted_ != 0; }
    bool take_hx_async() noexcept override;
    void request_logoff() override {
        logoff_ = 1;
        halted_ = 1;
    }

  private:
    /// Tells the console the guest now reads a line, shown as `mode`.
    void mark_read(proto::ConsoleMode mode);
    /// A console line during a wait: HX halts, anything else is typed ahead.
    void console_line(std::string line);

    guest::Context* ctx_ = nullptr;
    volatile std::sig_atomic_t halted_ = 0;
    volatile std::sig_atomic_t logoff_ = 0;
    std::deque<std::string> typeahead_;
    /// Tags of CP commands from programs; apart from the console's (from 1).
    std::uint32_t next_tag_ = 0x8000'0000;
};

/// True for the console line HX (any case, blanks around ignored).
bool is_hx(std::string_view line) noexcept;

} // namespace cpd::cms
