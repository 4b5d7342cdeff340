#pragma once
// An in-memory OffsetBackingStore: the standard fake for tests.

#include <map>
#include <mutex>

#include "storage/api/offset_store.h"

namespace sluice::storage {

class MemoryOffsetStore : public OffsetBackingStore {
 public:
  std::optional<std::string> get(std::string_view key) override {
    std::lock_guard lock(mu_);
    auto it = data_.find(std::string(key));
    if (it == data_.end()) return std::nullopt;
    return it->second;
  }
  Status set(const std::vector<OffsetEntry>& entries) override {
    std::lock_guard lock(mu_);
    for (auto& e : entries) data_[e.key] = e.value;
    return {};
  }
  std::vector<OffsetEntry> all() override {
    std::lock_guard lock(mu_);
    std::vector<OffsetEntry> out;
    for (auto& [k, v] : data_) out.push_back({k, v});
    return out;
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::optional<std::string>> data_;
};

}  // namespace sluice::storage
