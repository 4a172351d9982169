// SPDX-License-Identifier: MIT
// HELLO: an example guest built outside the cpd source tree against the
// installed SDK. On IPL it sends an SMSG to ECHO (or the userid given as the
// first word of PARM); every SMSG and CP message it receives is written to its
// console and appended to the file named by the rest of PARM, if any.
#include <cpd/guest/run.hpp>

#include <chrono>
#include <fstream>
#include <string>
#include <string_view>

namespace {

/// Splits PARM "TARGET [file]" into its two parts.
struct Parm {
    std::string target = "ECHO";
    std::string file;
};

Parm parse_parm(std::string_view parm) {
    Parm p;
    const auto start = parm.find_first_not_of(' ');
    if (start == std::string_view::npos) {
        return p;
    }
    parm.remove_prefix(start);
    const auto blank = parm.find(' ');
    p.target = std::string(parm.substr(0, blank));
    if (blank != std::string_view::npos) {
        const auto rest = parm.find_first_not_of(' ', blank);
        if (rest != std::string_view::npos) {
            p.file = std::string(parm.substr(rest));
        }
    }
    return p;
}

class Hello final : public cpd::guest::Handler {
public:
    void on_ipl(cpd::guest::Context& ctx) override {
        parm_ = parse_parm(ctx.parm());
        greet(ctx);
    }

    void on_smsg(cpd::guest::Context& ctx, const cpd::guest::Userid& from,
                 std::string_view text) override {
        record(ctx, "SMSG " + std::string(from.str()) + ": " + std::string(text));
    }

    void on_cp_message(cpd::guest::Context& ctx, std::string_view text) override {
        record(ctx, "CP: " + std::string(text));
    }

private:
    /// Sends the greeting; retries later while the outbound ring is busy.
    void greet(cpd::guest::Context& ctx) {
        const std::string text = "HELLO FROM " + std::string(ctx.userid().str());
        const auto status = ctx.send_smsg(parm_.target, text);
        if (status == cpd::guest::SendStatus::busy) {
            ctx.call_later(std::chrono::milliseconds(10),
                           [this](cpd::guest::Context& c) { greet(c); });
        } else if (status != cpd::guest::SendStatus::ok) {
            record(ctx, "SEND FAILED: " + std::string(cpd::guest::describe(status)));
        }
    }

    /// Writes a line to the console and appends it to the PARM file.
    void record(cpd::guest::Context& ctx, const std::string& line) {
        ctx.console_write(line);
        if (!parm_.file.empty()) {
            std::ofstream(parm_.file, std::ios::app) << line << '\n';
        }
    }

    Parm parm_;
};

} // namespace

int main() {
    return cpd::guest::run_guest<Hello>();
}
