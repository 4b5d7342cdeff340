#pragma once
// A keyed log over every partition of a compacted topic, as Connect's KafkaBasedLog: writes
// go through a producer with Java's partitioner (murmur2 of the key), reads start at the
// beginning of every partition and catch up to the end offsets seen when a read starts
// ("read to end"). The reader keeps its position, so each read_to_end() only delivers what
// was written since the last one. Backs the config, offset and status stores of distributed
// mode.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/common/error.h"
#include "runtime/kafka/client_config.h"

namespace sluice::kafka {

struct LogRecord {
  std::string_view key;
  std::optional<std::string_view> value;  // nullopt: a tombstone
  int32_t partition = 0;
  int64_t offset = 0;
};

class CompactedLog {
 public:
  // `props` are librdkafka settings (already translated) with bootstrap.servers. The topic
  // must exist; `timeout_ms` bounds metadata lookups and each read_to_end.
  static Result<std::unique_ptr<CompactedLog>> open(std::string topic, const RdProps& props,
                                                    std::string client_id, int timeout_ms);
  ~CompactedLog();
  CompactedLog(const CompactedLog&) = delete;
  CompactedLog& operator=(const CompactedLog&) = delete;

  const std::string& topic() const;
  int partitions() const;

  // Queues one record (nullopt value: a tombstone). Thread-safe.
  Status send(std::string_view key, std::optional<std::string_view> value);
  // Waits until every record sent so far is acknowledged, or fails with the first error.
  Status flush(int timeout_ms);
  // Delivers every record written since the last call, up to the end offsets of now. One
  // reader at a time (serialized inside).
  Status read_to_end(const std::function<void(const LogRecord&)>& visit);

  struct Impl;

 private:
  CompactedLog() = default;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sluice::kafka
