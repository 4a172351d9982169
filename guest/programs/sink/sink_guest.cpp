// SPDX-License-Identifier: MIT
// SINK: counts the SMSGs it receives and remembers the last one. An SMSG
// "STATS" is answered (not counted) with "SINK: <count> <last from> <last
// text>"; console input COUNT writes the count. With PARM "LOG /path" every
// message is appended to that file as "<from> <text>".
#include "cpd/guest/run.hpp"
#include "cpd/ipc/log.hpp"
#include "cpd/proto/version.hpp"

#include <cstdio>
#include <memory>
#include <sstream>
#include <string>

namespace {

using namespace cpd::guest;

struct FileCloser {
    void operator()(std::FILE* f) const noexcept { std::fclose(f); }
};

class SinkGuest final : public Handler {
  public:
    void on_ipl(Context& ctx) override {
        std::istringstream parm{std::string(ctx.parm())};
        std::string word, path;
        if (parm >> word >> path && (word == "LOG" || word == "log")) {
            log_.reset(std::fopen(path.c_str(), "a"));
            if (!log_) {
                CPD_LOG(warn, "sink: unable to open ", path, " for the message log");
            }
        }
    }

    void on_smsg(Context& ctx, const Userid& from, std::string_view text) override {
        if (text == "STATS") {
            std::string reply = "SINK: " + std::to_string(count_) + " " + last_from_ + " " + last_;
            reply.resize(std::min(reply.size(), cpd::proto::smsg_max_text));
            ctx.send_smsg(from.str(), reply);
            return;
        }
        ++count_;
        last_from_ = from.str();
        last_ = text;
        if (log_) {
            std::fprintf(log_.get(), "%s %.*s\n", last_from_.c_str(), static_cast<int>(text.size()),
                         text.data());
            std::fflush(log_.get());
        }
    }

    std::optional<int> on_console_input(Context& ctx, std::string_view line) override {
        if (line == "COUNT" || line == "count") {
            ctx.console_write("SINK: " + std::to_string(count_) + " messages");
            return 0;
        }
        return Handler::on_console_input(ctx, line);
    }

  private:
    std::uint64_t count_ = 0;
    std::string last_from_ = "-";
    std::string last_ = "-";
    std::unique_ptr<std::FILE, FileCloser> log_;
};

} // namespace

int main() {
    return cpd::guest::run_guest<SinkGuest>();
}
