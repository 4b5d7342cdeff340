// libFuzzer target for the .properties parser: any bytes must give either an error with a
// message or a Properties whose lookups agree with its entries.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string_view>

#include "runtime/config/properties.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = sluice::config::parse_properties(text, "fuzz.properties");
  if (!parsed) {
    if (parsed.error().message.empty()) std::abort();
    return 0;
  }
  const auto& props = parsed.value();
  std::set<std::string_view> seen;
  for (const auto& [key, value] : props) {
    if (!seen.insert(key).second) std::abort();  // duplicates must have been merged
    auto got = props.get(key);
    if (!got || *got != value || !props.contains(key)) std::abort();
  }
  if (props.size() != seen.size() || props.to_map().size() != seen.size()) std::abort();
  return 0;
}
