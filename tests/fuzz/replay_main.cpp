// SPDX-License-Identifier: MIT
// The main of a fuzz target built without libFuzzer (any compiler): it feeds
// each file named on the command line, or found in a directory named there, to
// LLVMFuzzerTestOneInput once, so a checked-in corpus replays as a unit test.
// An input that breaks a property aborts (fuzz_check.hpp) after its name is shown.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

/// The files to replay: the arguments, directories expanded in name order.
std::vector<std::filesystem::path> inputs(int argc, char** argv) {
    std::vector<std::filesystem::path> out;
    for (int i = 1; i < argc; ++i) {
        const std::filesystem::path arg = argv[i];
        if (!std::filesystem::is_directory(arg)) {
            out.push_back(arg);
            continue;
        }
        std::vector<std::filesystem::path> dir;
        for (const auto& e : std::filesystem::directory_iterator(arg)) {
            if (e.is_regular_file()) {
                dir.push_back(e.path());
            }
        }
        std::sort(dir.begin(), dir.end());
        out.insert(out.end(), dir.begin(), dir.end());
    }
    return out;
}

} // namespace

int main(int argc, char** argv) {
    const std::vector<std::filesystem::path> files = inputs(argc, argv);
    for (const auto& file : files) {
        std::ifstream in(file, std::ios::binary);
        const std::vector<char> bytes{std::istreambuf_iterator<char>(in),
                                      std::istreambuf_iterator<char>()};
        std::fprintf(stderr, "replaying %s (%zu bytes)\n", file.c_str(), bytes.size());
        LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    }
    std::printf("replayed %zu inputs\n", files.size());
    return files.empty() ? 1 : 0; // an empty corpus replays nothing: say so
}
