#pragma once
// Where source offsets live: Connect's OffsetBackingStore reduced to what the worker needs.
// Keys and values are the exact bytes Connect writes (schemaless JSON: the key
// ["<connector>",{partition}], the value the offset object); a null value is a tombstone.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/common/error.h"

namespace sluice::storage {

// One stored offset: key bytes and value bytes (nullopt: a null value, Connect's tombstone).
struct OffsetEntry {
  std::string key;
  std::optional<std::string> value;

  friend bool operator==(const OffsetEntry&, const OffsetEntry&) = default;
};

class OffsetBackingStore {
 public:
  virtual ~OffsetBackingStore() = default;
  // The stored value bytes for a key; nullopt when absent or deleted.
  virtual std::optional<std::string> get(std::string_view key) = 0;
  // Stores the entries; returns once they are durable. Thread-safe.
  virtual Status set(const std::vector<OffsetEntry>& entries) = 0;
  // Every key currently stored (for listing a connector's offsets).
  virtual std::vector<OffsetEntry> all() = 0;
};

}  // namespace sluice::storage
