#pragma once
// Just enough of the Java Object Serialization Stream Protocol to read and write the file that
// Kafka Connect's standalone worker keeps its source offsets in (offset.storage.file.filename).
//
// Java's FileOffsetBackingStore turns its Map<ByteBuffer, ByteBuffer> into a
// HashMap<byte[], byte[]> (key = the converter's bytes for ["<connector>",{partition}], value =
// the offset bytes, or null) and saves it with ObjectOutputStream.writeObject(map). It loads it
// back with ObjectInputStream.readObject() and requires an instance of java.util.HashMap.
//
// The reader accepts exactly that shape: STREAM_MAGIC 0xACED, STREAM_VERSION 5, optional
// TC_RESETs, then one TC_OBJECT of java.util.HashMap (or a subclass such as
// java.util.LinkedHashMap whose own class data is primitive fields only) whose entries are byte
// arrays (TC_ARRAY of class "[B"), nulls (values only) or back-references to earlier arrays.
// Anything else is an Error whose message names the byte offset in the input and what was
// expected there. It never trusts a length: every allocation is bounded by the input size, and
// the total size of the returned entries (back-references can repeat a large array) is capped at
// input size + kMaxReferenceExpansion. Bytes after the map are ignored, as Java does.
//
// The writer produces what ObjectOutputStream produces for a default-constructed
// HashMap<byte[], byte[]> holding the given entries (see write_java_byte_map for the one
// difference: the order of the entries).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/common/error.h"

namespace sluice::storage {

// One entry of a HashMap<byte[], byte[]>: the key bytes and the value bytes (nullopt = null).
struct ByteMapEntry {
  std::string key;
  std::optional<std::string> value;

  friend bool operator==(const ByteMapEntry&, const ByteMapEntry&) = default;
};

// The same without owning the bytes, for writing straight from another container.
struct ByteMapEntryView {
  std::string_view key;
  std::optional<std::string_view> value;
};

// java.util.HashMap's serialVersionUID, and byte[]'s (the class "[B").
inline constexpr std::int64_t kJavaHashMapSerialVersionUid = 362498820763181265LL;
inline constexpr std::int64_t kJavaByteArraySerialVersionUid = -5984413125824719648LL;

// How many bytes the entries read may add, through back-references, beyond the input's size.
inline constexpr std::size_t kMaxReferenceExpansion = std::size_t{64} << 20;

// Reads a serialized HashMap<byte[], byte[]>. Entries come back in stream order; a key that
// appears twice (Java's byte[] keys compare by identity, so that is possible) appears twice.
// A null key is an error: Connect never writes one and offsets are looked up by key bytes.
Result<std::vector<ByteMapEntry>> read_java_byte_map(std::string_view bytes);

// The two ints Java's HashMap writes for a default-constructed map after `size` puts: the
// `threshold` field and the bucket count (table length) written as block data. The table starts
// at 16 and doubles while size > 0.75 * capacity; threshold is 0.75 * capacity, except for an
// empty map, whose table was never allocated and whose threshold field is still 0.
struct JavaHashMapSizing {
  std::int32_t capacity;
  std::int32_t threshold;
};
JavaHashMapSizing java_hash_map_sizing(std::size_t size);

// Writes the entries as ObjectOutputStream.writeObject(hashMap) would. Java writes entries in its
// bucket iteration order, which for byte[] keys depends on identity hash codes and so differs
// from run to run (and JVM to JVM); no reader, Java's included, depends on it, so the entries are
// written in the given order. Everything else (class descriptors, handles, the loadFactor and
// threshold fields, the capacity/size block, a full "[B" descriptor for the first array and a
// TC_REFERENCE to it afterwards, TC_NULL for null values) is byte for byte what Java writes.
// Fails only if there are more entries, or a longer array, than a Java int can count.
Result<std::string> write_java_byte_map(std::span<const ByteMapEntryView> entries);
Result<std::string> write_java_byte_map(std::span<const ByteMapEntry> entries);

}  // namespace sluice::storage
