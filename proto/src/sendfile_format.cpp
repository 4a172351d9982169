// SPDX-License-Identifier: MIT
// RecordPacker and RecordUnpacker (sendfile_format.hpp).
#include "cpd/proto/sendfile_format.hpp"

#include "cpd/proto/ebcdic.hpp"
#include "cpd/proto/spool_frame.hpp"

#include <algorithm>
#include <cstring>

namespace cpd::proto {
namespace {

constexpr std::size_t binary_block = 32 * 1024;
constexpr std::size_t card = 80;

std::string to_ebcdic(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        c = static_cast<char>(latin1_to_ebcdic[static_cast<unsigned char>(c)]);
    }
    return out;
}

std::string from_ebcdic(std::span<const std::byte> s) {
    std::string out;
    out.reserve(s.size());
    for (std::byte b : s) {
        out += static_cast<char>(ebcdic_to_latin1[static_cast<std::uint8_t>(b)]);
    }
    return out;
}

void add(std::vector<std::byte>& stream, std::string_view bytes) {
    append_record(stream, std::as_bytes(std::span(bytes.data(), bytes.size())));
}

std::vector<std::string> words(std::string_view s) {
    std::vector<std::string> w;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && s[i] == ' ') {
            ++i;
        }
        const std::size_t start = i;
        while (i < s.size() && s[i] != ' ') {
            ++i;
        }
        if (i > start) {
            w.emplace_back(s.substr(start, i - start));
        }
    }
    return w;
}

} // namespace

RecordPacker::RecordPacker(SpoolFormat format, bool binary, std::string fn, std::string ft,
                           std::string fm, std::uint64_t bytes)
    : format_(format), binary_(binary && format == SpoolFormat::sendfile) {
    if (format == SpoolFormat::sendfile) {
        head_ = ":CPDSF 1 " + fn + " " + ft + " " + fm + (binary_ ? " BINARY " : " TEXT ") +
                std::to_string(bytes);
    } else if (format == SpoolFormat::cards) {
        head_ = ":READ  " + fn + " " + ft + " " + fm;
        head_.resize(card, ' ');
    }
}

RecordPacker::RecordPacker(const NetdataHeader& header)
    : netdata_(header), format_(SpoolFormat::netdata), binary_(header.binary) {}

void RecordPacker::line_record(std::string_view line, std::vector<std::byte>& stream) {
    std::string rec = to_ebcdic(line.substr(0, spool_record_max));
    if (format_ == SpoolFormat::cards && rec.size() < card) {
        rec.resize(card, static_cast<char>(0x40)); // EBCDIC blank
    }
    add(stream, rec);
    ++records_;
}

void RecordPacker::feed(std::string_view piece, bool last, std::vector<std::byte>& stream) {
    if (netdata_) {
        netdata_->feed(piece, last, stream);
        records_ = netdata_->records();
        return;
    }
    if (!started_) {
        started_ = true;
        if (!head_.empty()) {
            add(stream, to_ebcdic(head_));
            ++records_;
        }
    }
    if (binary_) {
        partial_.append(piece);
        std::size_t at = 0;
        while (partial_.size() - at >= binary_block || (last && at < partial_.size())) {
            const std::size_t n = std::min(binary_block, partial_.size() - at);
            add(stream, std::string_view(partial_).substr(at, n));
            ++records_;
            at += n;
        }
        partial_.erase(0, at);
        return;
    }
    while (!piece.empty()) {
        const std::size_t nl = piece.find('\n');
        if (nl == std::string_view::npos) {
            partial_.append(piece);
            break;
        }
        partial_.append(piece.substr(0, nl));
        line_record(partial_, stream);
        partial_.clear();
        piece.remove_prefix(nl + 1);
    }
    if (last && !partial_.empty()) {
        line_record(partial_, stream);
        partial_.clear();
    }
}

void TextShape::feed(std::string_view piece) noexcept {
    if (binary_) {
        return;
    }
    if (std::memchr(piece.data(), '\0', piece.size()) != nullptr) {
        binary_ = true;
        return;
    }
    while (!piece.empty()) {
        const auto* newline = static_cast<const char*>(std::memchr(piece.data(), '\n', piece.size()));
        const std::size_t n =
            newline == nullptr ? piece.size() : static_cast<std::size_t>(newline - piece.data());
        open_line_ += n;
        longest_ = std::max(longest_, open_line_);
        if (open_line_ > spool_record_max) {
            binary_ = true;
            return;
        }
        if (newline == nullptr) {
            return;
        }
        open_line_ = 0;
        piece.remove_prefix(n + 1);
    }
}

void RecordUnpacker::feed(std::span<const std::byte> record, std::string& out) {
    if (first_ && is_netdata(record)) {
        netdata_.emplace();
        sendfile_ = true;
    }
    if (netdata_) {
        first_ = false;
        netdata_->feed(record, out);
        fn_ = netdata_->fn();
        ft_ = netdata_->ft();
        binary_ = netdata_->binary();
        return;
    }
    if (first_) {
        first_ = false;
        const std::string text = from_ebcdic(record);
        const auto w = words(text);
        if (w.size() == 7 && w[0] == ":CPDSF" && w[1] == "1") {
            fn_ = w[2];
            ft_ = w[3];
            binary_ = w[5] == "BINARY";
            sendfile_ = true;
            return;
        }
        if (w.size() >= 3 && w[0] == ":READ") {
            fn_ = w[1];
            ft_ = w[2];
            return;
        }
        binary_ = looks_binary(record); // a plain deck: vmur's binary punch, or text cards
    }
    if (binary_) {
        out.append(reinterpret_cast<const char*>(record.data()), record.size());
        return;
    }
    std::string line = from_ebcdic(record);
    if (!sendfile_) { // a card deck's padding goes; SENDFILE's lines are kept as they were
        line.erase(line.find_last_not_of(' ') + 1);
    }
    out += line;
    out += '\n';
}

bool looks_binary(std::span<const std::byte> record) noexcept {
    for (std::byte b : record) {
        const auto v = static_cast<std::uint8_t>(b);
        if (v < 0x40 && v != 0x05) { // below the EBCDIC blank: controls (0x05 is tab)
            return true;
        }
    }
    return false;
}

} // namespace cpd::proto
