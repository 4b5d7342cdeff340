#pragma once
// The standalone worker's offsets file (offset.storage.file.filename).
//
// Same format as Kafka Connect's FileOffsetBackingStore: a Java-serialized
// HashMap<byte[], byte[]> from key bytes (the schemaless JSON ["<connector>",{partition}]) to
// value bytes (the offset JSON) or null. Sluice reads files written by connect-standalone and
// writes files connect-standalone can read, so a worker can be swapped either way.
//
// Unlike Java's store, save() is atomic: the snapshot goes to "<path>.tmp" in the same
// directory, is fsynced, renamed over <path>, and the directory is fsynced. A failed save
// leaves the previous file as it was.
//
// Thread-safe: task threads may put() and save() concurrently. save() writes a consistent
// snapshot (each put()/put_all() is in it entirely or not at all) and concurrent saves are
// serialized so that a later save never loses to an earlier one.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/common/error.h"
#include "storage/api/offset_store.h"

namespace sluice::storage {



class FileOffsetStore {
 public:
  // Loads `path`. A missing file is an empty store (as in Java, the file appears at the first
  // save); so is an empty (0-byte) file, which Java also treats as empty. Anything else must be
  // a Java serialization stream (starting 0xACED) of a HashMap<byte[], byte[]>; otherwise, or if
  // it cannot be read, the Error names the path and, for a bad file, the byte offset at fault.
  static Result<FileOffsetStore> open(std::string path);

  FileOffsetStore(FileOffsetStore&&) noexcept;
  FileOffsetStore& operator=(FileOffsetStore&&) noexcept;
  FileOffsetStore(const FileOffsetStore&) = delete;
  FileOffsetStore& operator=(const FileOffsetStore&) = delete;
  ~FileOffsetStore();

  const std::string& path() const { return path_; }

  // The value bytes stored for `key_bytes`; nullopt when the key is absent or its value is
  // null (a task sees no offset either way). contains() tells the two apart.
  std::optional<std::string> get(std::string_view key_bytes) const;
  bool contains(std::string_view key_bytes) const;

  // Sets one key; nullopt stores a null value (tombstone). Replaces an existing value.
  void put(std::string key_bytes, std::optional<std::string> value_bytes);
  // Sets several keys at once (one offset flush); a concurrent save() sees all or none.
  void put_all(std::vector<OffsetEntry> batch);

  // A copy of every entry, ordered by key bytes.
  std::vector<OffsetEntry> entries() const;
  std::size_t size() const;

  // Writes the current entries to the file atomically (see above). I/O failures are
  // retriable Errors (Stage::OffsetCommit) naming the file and the system error text.
  Status save();

 private:
  struct State;
  FileOffsetStore(std::string path, std::unique_ptr<State> state);

  std::string path_;
  std::unique_ptr<State> state_;
};

}  // namespace sluice::storage
