#pragma once
// SourceRecord and its parts, as Connect's org.apache.kafka.connect.source.SourceRecord.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "plugins/api/data.h"

namespace sluice::api {

// A source partition or offset: string keys to primitive values, in the connector's insertion
// order. The order matters: Connect stores offsets under the exact JSON bytes of the partition.
using OffsetMap = std::vector<std::pair<std::string, Value>>;

struct Header {
  std::string key;
  SchemaPtr schema;
  Value value;
};
using Headers = std::vector<Header>;

struct SourceRecord {
  // Shared: a task usually emits many records for one partition.
  std::shared_ptr<const OffsetMap> source_partition;
  OffsetMap source_offset;
  std::string topic;
  std::optional<int32_t> kafka_partition;
  SchemaPtr key_schema;
  Value key;
  SchemaPtr value_schema;
  Value value;
  std::optional<int64_t> timestamp;  // ms since the epoch; none lets the producer stamp it
  Headers headers;
};

// Where Kafka put a record, passed to SourceTask::commit_record.
struct RecordMetadata {
  std::string topic;
  int32_t partition = -1;
  int64_t offset = -1;
  int64_t timestamp = -1;
};

}  // namespace sluice::api
