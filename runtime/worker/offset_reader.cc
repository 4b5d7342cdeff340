#include "runtime/worker/offset_reader.h"

#include "runtime/common/log.h"
#include "runtime/worker/offset_codec.h"

namespace sluice::worker {

std::optional<api::OffsetMap> OffsetReader::offset(const api::OffsetMap& partition) {
  auto bytes = store_.get(encode_partition_key(connector_, partition));
  if (!bytes) return std::nullopt;
  auto decoded = decode_offset(*bytes);
  if (!decoded) {
    log::error(connector_, "stored offset ", *bytes, " cannot be read: ", decoded.error().message);
    return std::nullopt;
  }
  return std::move(*decoded);
}

}  // namespace sluice::worker
