#pragma once
// Source partitions and offsets as the bytes Connect stores them: schemaless compact JSON,
// the key ["<connector>",{partition}] and the value {offset}. Java looks offsets up by the
// exact key bytes, so field order and escaping follow Jackson's.

#include <string>
#include <string_view>

#include "plugins/api/record.h"
#include "runtime/common/error.h"

namespace sluice::worker {

std::string encode_partition_key(std::string_view connector, const api::OffsetMap& partition);
std::string encode_offset(const api::OffsetMap& offset);
// Integers come back as INT64 and other numbers as FLOAT64, as Connect reads them.
Result<api::OffsetMap> decode_offset(std::string_view json);

// A key of the offsets store: [connector, partition]; fails for anything else, which readers
// skip, as Connect does.
struct DecodedKey {
  std::string connector;
  api::OffsetMap partition;
};
Result<DecodedKey> decode_partition_key(std::string_view json);

}  // namespace sluice::worker
