// Runs a libFuzzer target over every file of its committed corpus (and over a few thousand
// mutations of them), so each fuzz target is also a regression test where no libFuzzer is
// available. With clang, SLUICE_LIBFUZZER=ON builds the real fuzzers instead.

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR [MUTATIONS]\n", argv[0]);
    return 2;
  }
  int mutations = argc > 2 ? std::atoi(argv[2]) : 2000;
  std::vector<std::string> inputs;
  for (auto& e : std::filesystem::directory_iterator(argv[1])) {
    std::ifstream in(e.path(), std::ios::binary);
    inputs.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  if (inputs.empty()) {
    std::fprintf(stderr, "empty corpus %s\n", argv[1]);
    return 1;
  }
  for (auto& s : inputs) LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(s.data()), s.size());
  std::mt19937 rng(12345);  // fixed: a failure reproduces
  for (int i = 0; i < mutations; ++i) {
    std::string s = inputs[rng() % inputs.size()];
    int edits = 1 + static_cast<int>(rng() % 8);
    for (int k = 0; k < edits; ++k) {
      switch (rng() % 4) {
        case 0: if (!s.empty()) s[rng() % s.size()] = static_cast<char>(rng()); break;
        case 1: s.insert(s.begin() + static_cast<long>(s.empty() ? 0 : rng() % s.size()), static_cast<char>(rng())); break;
        case 2: if (!s.empty()) s.erase(rng() % s.size(), 1 + rng() % 4); break;
        case 3: s.resize(s.empty() ? 0 : rng() % s.size()); break;
      }
    }
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(s.data()), s.size());
  }
  std::printf("%zu corpus files and %d mutations: no crash\n", inputs.size(), mutations);
  return 0;
}
