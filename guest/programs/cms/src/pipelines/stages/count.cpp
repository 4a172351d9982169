// SPDX-License-Identifier: MIT
// count [CHARS|WORDS|LINES|MINLINE|MAXLINE]...: at end of file writes one
// record with the counts, blank-separated, in the order asked (LINES if none).
// The input is discarded unless the secondary output is connected: then the
// records pass to the primary output and the counts go to the secondary.
#include "pipelines/stages/stages.hpp"

#include <algorithm>
#include <vector>

namespace cpd::cms {

namespace {

enum class Counted { chars, words, lines, minline, maxline };

class Count final : public Stage {
  public:
    explicit Count(std::vector<Counted> what) : what_(std::move(what)) {
        for (Counted c : what_) {
            need_words_ = need_words_ || c == Counted::words;
        }
    }
    std::optional<PipeError> start() override { return needs_input(*this, "CNT"); }
    void on_record(std::size_t, std::string_view record) override {
        ++lines_;
        chars_ += record.size();
        min_ = std::min(min_, record.size());
        max_ = std::max(max_, record.size());
        if (need_words_) {
            bool in_word = false;
            for (char c : record) {
                const bool blank = c == ' ';
                words_ += (!blank && !in_word) ? 1 : 0;
                in_word = !blank;
            }
        }
        if (has_output(1)) {
            output(record, 0);
        }
    }
    void finish() override {
        std::string out;
        for (Counted c : what_) {
            const std::size_t v = c == Counted::chars     ? chars_
                                  : c == Counted::words   ? words_
                                  : c == Counted::lines   ? lines_
                                  : c == Counted::minline ? (lines_ == 0 ? 0 : min_)
                                                          : max_;
            if (!out.empty()) { // appends: "x" + string trips g++ 12's -Wrestrict at -O3
                out += ' ';
            }
            out += std::to_string(v);
        }
        if (!output(out, 1)) {
            output(out, 0);
        }
        end();
    }

  private:
    std::vector<Counted> what_;
    bool need_words_ = false;
    std::size_t lines_ = 0;
    std::size_t chars_ = 0;
    std::size_t words_ = 0;
    std::size_t min_ = static_cast<std::size_t>(-1);
    std::size_t max_ = 0;
};

} // namespace

StageMade make_count(std::string_view operands) {
    Operands ops(operands, "CNT");
    std::vector<Counted> what;
    while (!ops.at_end()) {
        const std::string_view w = ops.word();
        if (is_keyword(w, "CHARACTERS", 4) || is_keyword(w, "CHARS", 4) ||
            is_keyword(w, "BYTES", 4)) {
            what.push_back(Counted::chars);
        } else if (is_keyword(w, "WORDS", 4)) {
            what.push_back(Counted::words);
        } else if (is_keyword(w, "LINES", 4) || is_keyword(w, "RECORDS", 6)) {
            what.push_back(Counted::lines);
        } else if (is_keyword(w, "MINLINE", 7)) {
            what.push_back(Counted::minline);
        } else if (is_keyword(w, "MAXLINE", 7)) {
            what.push_back(Counted::maxline);
        } else {
            return refuse(ops.bad(w));
        }
    }
    if (what.empty()) {
        what.push_back(Counted::lines);
    }
    return make_stage<Count>(std::move(what));
}

} // namespace cpd::cms
