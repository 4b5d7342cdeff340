#include "storage/file/file_backing_store.h"

namespace sluice::storage {

Result<std::unique_ptr<FileOffsetBackingStore>> FileOffsetBackingStore::open(const std::string& path) {
  auto f = FileOffsetStore::open(path);
  if (!f) return f.error();
  return std::unique_ptr<FileOffsetBackingStore>(new FileOffsetBackingStore(std::move(*f)));
}

Status FileOffsetBackingStore::set(const std::vector<OffsetEntry>& entries) {
  file_.put_all(entries);
  return file_.save();
}

}  // namespace sluice::storage
