// libFuzzer target for the config- and status-topic records Sluice reads from Kafka (any bytes
// another writer may have left there). Input: lines "key<TAB>value" ("key" alone: a tombstone).
// Every record goes through the config replay and the status cache; whatever decodes must
// re-encode to the same value, and the replay's offset must count the records.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "storage/kafka/config_state.h"
#include "storage/kafka/records.h"
#include "storage/kafka/status_cache.h"

using namespace sluice::storage;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  ConfigState state;
  StatusCache cache;
  int64_t offset = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    size_t tab = line.find('\t');
    std::string_view key = line.substr(0, tab);
    std::optional<std::string_view> value;
    if (tab != std::string_view::npos) value = line.substr(tab + 1);
    state.apply(key, value, offset);
    if (state.snapshot().offset != offset + 1) std::abort();
    ++offset;
    cache.apply(key, value);
    if (!value) continue;
    if (auto p = decode_properties(*value); p.ok())
      if (auto again = decode_properties(encode_properties(*p)); !again.ok() || *again != *p) std::abort();
    if (auto s = decode_status(*value); s.ok())
      if (auto again = decode_status(encode_status(*s)); !again.ok() || !(*again == *s)) std::abort();
    if (auto t = decode_target_state(*value); t.ok())
      if (auto again = decode_target_state(encode_target_state(*t)); !again.ok() || *again != *t) std::abort();
    if (auto r = decode_restart(*value); r.ok())
      if (auto again = decode_restart(encode_restart(*r)); !again.ok() || !(*again == *r)) std::abort();
  }
  for (auto& [name, tasks] : state.snapshot().tasks)
    if (state.snapshot().task_count(name) > static_cast<int>(tasks.size())) std::abort();
  return 0;
}
