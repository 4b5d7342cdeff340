#pragma once
// Connect's OffsetStorageReader over the worker's offset store, for one connector.

#include <string>

#include "plugins/api/connector.h"
#include "storage/api/offset_store.h"

namespace sluice::worker {

class OffsetReader : public api::OffsetStorageReader {
 public:
  OffsetReader(std::string connector, storage::OffsetBackingStore& store)
      : connector_(std::move(connector)), store_(store) {}
  std::optional<api::OffsetMap> offset(const api::OffsetMap& partition) override;

 private:
  std::string connector_;
  storage::OffsetBackingStore& store_;
};

}  // namespace sluice::worker
