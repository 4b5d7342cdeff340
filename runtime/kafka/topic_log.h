#pragma once
// An append-only log in a single-partition Kafka topic: appends through an idempotent
// producer, reads from the beginning to the end offset seen when the read starts (what
// Connect's KafkaBasedLog calls read-to-end). Backs connectors' private logs, such as the
// MySQL connector's schema history.

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "runtime/common/error.h"
#include "runtime/kafka/client_config.h"

namespace sluice::kafka {

class TopicLog {
 public:
  // Both property lists are librdkafka settings (already translated) with bootstrap.servers.
  static Result<std::unique_ptr<TopicLog>> open(std::string topic, const RdProps& producer,
                                                const RdProps& consumer, int timeout_ms);
  ~TopicLog();

  Status append(std::string_view key, std::string_view value);
  // Waits until every append so far is acknowledged.
  Status flush();
  Status read_all(const std::function<void(std::string_view key, std::string_view value)>& visit);

  struct Impl;

 private:
  TopicLog() = default;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sluice::kafka
