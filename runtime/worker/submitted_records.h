#pragma once
// Which source offsets may be committed. An offset becomes committable only when Kafka has
// acknowledged its record and every earlier record of the same source partition: that rule
// is what lets a worker be killed at any moment and lose nothing. Used from the task thread
// only (librdkafka serves delivery reports on the thread that polls).

#include <cstddef>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "plugins/api/record.h"

namespace sluice::worker {

class SubmittedRecords {
 public:
  struct Entry;
  struct Partition {
    std::string key;  // the offsets-store key bytes
    std::deque<Entry> queue;
    std::optional<api::OffsetMap> committable;
    bool dirty = false;  // committable changed since the last take
  };
  struct Entry {
    Partition* partition;
    api::SourceRecord record;  // kept for the task's commit_record callback
    bool acked = false;
  };

  explicit SubmittedRecords(std::string connector) : connector_(std::move(connector)) {}

  // Registers a record about to be sent; the returned pointer is its delivery opaque and
  // stays valid until ack() is called for it.
  Entry* submit(const std::shared_ptr<const api::OffsetMap>& partition, api::SourceRecord record);
  // The last submitted record was never handed to Kafka: forget it.
  void abandon(Entry* e);
  // Kafka acknowledged the record.
  void ack(Entry* e);
  // Offsets that became committable since the last call: (key bytes, offset).
  std::vector<std::pair<std::string, api::OffsetMap>> take_committable();
  // A failed take is put back so the next flush writes it.
  void restore(std::vector<std::pair<std::string, api::OffsetMap>> entries);

  size_t in_flight() const { return in_flight_; }

 private:
  Partition& partition_for(const std::shared_ptr<const api::OffsetMap>& p);

  std::string connector_;
  size_t in_flight_ = 0;
  std::unordered_map<std::string, std::unique_ptr<Partition>> by_key_;
  // Fast path: the same partition object is usually reused by a task for many records.
  // The cache holds the shared_ptr so an address is never reused while cached.
  std::unordered_map<const api::OffsetMap*, std::pair<std::shared_ptr<const api::OffsetMap>, Partition*>>
      by_ptr_;
};

}  // namespace sluice::worker
