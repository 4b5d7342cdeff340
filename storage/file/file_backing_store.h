#pragma once
// The standalone worker's OffsetBackingStore: the offsets file, saved on every flush.

#include <memory>
#include <string>

#include "storage/api/offset_store.h"
#include "storage/file/offset_file.h"

namespace sluice::storage {

class FileOffsetBackingStore : public OffsetBackingStore {
 public:
  static Result<std::unique_ptr<FileOffsetBackingStore>> open(const std::string& path);

  std::optional<std::string> get(std::string_view key) override { return file_.get(key); }
  Status set(const std::vector<OffsetEntry>& entries) override;
  std::vector<OffsetEntry> all() override { return file_.entries(); }

 private:
  explicit FileOffsetBackingStore(FileOffsetStore f) : file_(std::move(f)) {}
  FileOffsetStore file_;
};

}  // namespace sluice::storage
