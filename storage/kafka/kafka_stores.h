#pragma once
// Distributed mode's three stores on compacted Kafka topics, with Java Connect's record
// formats: offsets (an OffsetBackingStore), configs (ConfigState replayed from the topic) and
// statuses (StatusCache). Each reads its topic to the end on open and on refresh(); writes
// are acknowledged before they return. All methods are thread-safe.

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "runtime/kafka/admin.h"
#include "runtime/kafka/compacted_log.h"
#include "storage/api/offset_store.h"
#include "storage/kafka/config_state.h"
#include "storage/kafka/status_cache.h"

namespace sluice::storage {

// Creates an internal topic with cleanup.policy=compact when it is missing, as Connect's
// TopicAdmin does. A broker without CreateTopics (the embedded dev broker) is fine when the
// topic exists; `single_partition` (the config topic) fails for more than one partition. On a
// broker that can describe topic configs, an existing topic whose cleanup.policy is not just
// "compact" fails; `property` (e.g. "offset.storage.topic") names the setting in messages.
Status ensure_internal_topic(kafka::TopicAdmin& admin, kafka::NewTopic topic, const kafka::RdProps& props,
                             bool single_partition, int timeout_ms, const std::string& property = "");

using KeyValue = std::pair<std::string, std::optional<std::string>>;

class KafkaOffsetStore : public OffsetBackingStore {
 public:
  // Without a log the store is empty and refuses writes until attach() (a worker that is
  // still waiting for Kafka at start).
  KafkaOffsetStore() = default;
  explicit KafkaOffsetStore(std::unique_ptr<kafka::CompactedLog> log) : log_(std::move(log)) {}
  void attach(std::unique_ptr<kafka::CompactedLog> log);
  // Reads the topic to its end (before tasks start and before offsets are listed).
  Status refresh();
  std::optional<std::string> get(std::string_view key) override;
  Status set(const std::vector<OffsetEntry>& entries) override;
  std::vector<OffsetEntry> all() override;

 private:
  std::unique_ptr<kafka::CompactedLog> log_;
  std::mutex mu_;
  std::map<std::string, std::string, std::less<>> data_;
};

class KafkaConfigStore {
 public:
  explicit KafkaConfigStore(std::unique_ptr<kafka::CompactedLog> log) : log_(std::move(log)) {}
  // Reads to the end; appends what each new record changed to `events` (may be null).
  Status refresh(std::vector<ConfigEvent>* events);
  ConfigSnapshot snapshot();
  // Writes the records in order and waits for their acknowledgement (not for the read-back).
  Status write(const std::vector<KeyValue>& records, int timeout_ms);

 private:
  std::unique_ptr<kafka::CompactedLog> log_;
  std::mutex mu_;
  ConfigState state_;
};

class KafkaStatusStore {
 public:
  explicit KafkaStatusStore(std::unique_ptr<kafka::CompactedLog> log) : log_(std::move(log)) {}
  Status refresh();
  Status write(const std::vector<KeyValue>& records, int timeout_ms);
  StatusCache cache();

 private:
  std::unique_ptr<kafka::CompactedLog> log_;
  std::mutex mu_;
  StatusCache cache_;
};

}  // namespace sluice::storage
