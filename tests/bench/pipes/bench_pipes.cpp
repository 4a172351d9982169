// SPDX-License-Identifier: MIT
// bench_pipes: PIPE through the CMS command processor (the code the CMS guest
// runs) on BIG FILE, 100 MB in 1 M lines on a minidisk directory, against the
// equivalent grep, sort and awk on the same host file, in the same run. Each
// case runs --runs times (default 5), alternating PIPE and baseline; the
// table shows medians, the ratio and the target, and whether both
// gave the same result. A program, not a test: timings never gate a build.
#include "cpd/cms/command_processor.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// One pipeline against its baseline.
struct Case {
    const char* name;
    const char* pipe;     ///< the PIPE command
    std::string baseline; ///< a shell command on the host file; prints the result
    double target;        ///< the issue's bound on the ratio
};

// Writes `lines` lines of about 100 bytes: two varying words (about 360 k
// distinct lines, so unique has work), "needle" in one line in 97, filler.
void make_file(const fs::path& path, std::size_t lines) {
    std::ofstream out(path, std::ios::binary);
    std::string line;
    std::uint64_t x = 88172645463325252ULL;
    for (std::size_t i = 0; i < lines; ++i) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        const unsigned r = static_cast<unsigned>(x % 400000);
        line = "k" + std::to_string(r) + " v" + std::to_string((r * 7919u) % 1000003u) +
               (r % 97 == 0 ? " needle" : " thread") +
               " lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor in\n";
        out << line;
    }
}

double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Runs `cmd` in a shell; its first output line.
std::string shell(const std::string& cmd, double& secs) {
    const auto t0 = Clock::now();
    FILE* p = ::popen(cmd.c_str(), "r");
    std::string out;
    char buf[256];
    while (p != nullptr && std::fgets(buf, sizeof buf, p) != nullptr) {
        out += buf;
    }
    if (p != nullptr) {
        ::pclose(p);
    }
    secs = seconds_since(t0);
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) {
        out.pop_back();
    }
    return out.substr(out.find_first_not_of(' ') == std::string::npos ? 0
                                                                      : out.find_first_not_of(' '));
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

} // namespace

int main(int argc, char** argv) {
    int runs = 5;
    std::size_t lines = 1'000'000;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--runs") {
            runs = std::max(1, std::atoi(argv[i + 1]));
        } else if (a == "--lines") {
            lines = static_cast<std::size_t>(std::atol(argv[i + 1]));
        }
    }
    char tmpl[] = "/tmp/bench-pipes-XXXXXX";
    if (::mkdtemp(tmpl) == nullptr) {
        std::perror("mkdtemp");
        return 1;
    }
    const fs::path dir = tmpl;
    const fs::path disk = dir / "a191";
    fs::create_directories(disk);
    const fs::path big = disk / "big.file";
    make_file(big, lines);
    const std::string f = big.string();
    const std::string awk_out = (dir / "awk.out").string();

    cpd::cms::CommandProcessor cms("BENCH", {{'A', false, "191", disk.string()}});
    cms.ipl();

    const std::vector<Case> cases = {
        {"locate, count", "PIPE < BIG FILE A | locate /needle/ | count lines | console",
         "LC_ALL=C grep -c needle " + f, 3.0},
        {"sort, unique, count", "PIPE < BIG FILE A | sort | unique | count lines | console",
         "LC_ALL=C sort -u " + f + " | wc -l", 2.0},
        {"specs w2 1 w1 nw, >", "PIPE < BIG FILE A | specs w2 1 w1 nextword | > OUT FILE A",
         "awk '{print $2, $1}' " + f + " > " + awk_out, 2.0},
    };

    std::printf(
        "bench_pipes: %zu lines, %.1f MB on a minidisk directory; %d runs each, medians\n\n", lines,
        static_cast<double>(fs::file_size(big)) / 1e6, runs);
    std::printf("| case | PIPE | baseline | ratio | target | same result |\n");
    std::printf("|---|---|---|---|---|---|\n");
    bool all_same = true;
    for (const Case& c : cases) {
        std::vector<double> pipe_s;
        std::vector<double> base_s;
        std::string pipe_out;
        std::string base_out;
        for (int r = 0; r < runs; ++r) {
            const auto t0 = Clock::now();
            const auto res = cms.execute(c.pipe);
            pipe_s.push_back(seconds_since(t0));
            pipe_out = res.lines.empty() ? "rc " + std::to_string(res.rc) : res.lines[0];
            double s = 0;
            base_out = shell(c.baseline, s);
            base_s.push_back(s);
        }
        bool same = pipe_out == base_out;
        if (std::string(c.pipe).find("OUT FILE") != std::string::npos) {
            same = std::system(
                       ("cmp -s " + (disk / "out.file").string() + " " + awk_out).c_str()) == 0;
        }
        all_same = all_same && same;
        const double p = median(pipe_s);
        const double b = median(base_s);
        std::printf("| %s | %.3f s | %.3f s | %.2fx | %.0fx | %s |\n", c.name, p, b, p / b,
                    c.target, same ? "yes" : ("no: " + pipe_out + " / " + base_out).c_str());
    }
    std::printf(
        "\nbaselines: LC_ALL=C grep -c; LC_ALL=C sort -u | wc -l; awk '{print $2, $1}' (%s)\n",
        "the system awk");
    std::error_code ec;
    fs::remove_all(dir, ec);
    return all_same ? 0 : 1;
}
