// libFuzzer target for the Java-serialization reader behind the standalone offsets file
// (storage/file/java_serialization.h). Not part of the CMake build; build it by hand, e.g.
//
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -I. -o fuzz_java_serialized
//     tests/fuzz/fuzz_java_serialized.cc storage/file/java_serialization.cc runtime/common/error.cc
//   ./fuzz_java_serialized tests/fuzz/corpus/java_serialized
//
// Besides "never crash", it checks that whatever the reader accepts writes back and reads
// back to the same entries.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "storage/file/java_serialization.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace sluice::storage;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto read = read_java_byte_map(in);
  if (!read) {
    if (read.error().message.empty()) __builtin_trap();
    return 0;
  }
  auto written = write_java_byte_map(std::span<const ByteMapEntry>(*read));
  if (!written) __builtin_trap();
  auto again = read_java_byte_map(*written);
  if (!again || *again != *read) __builtin_trap();
  return 0;
}
