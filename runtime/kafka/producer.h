#pragma once
// A librdkafka producer for one source task. Delivery reports are served on the thread that
// calls poll(), so the task thread owns its offset bookkeeping without locks.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/common/error.h"
#include "runtime/kafka/client_config.h"

namespace sluice::kafka {

struct Delivery {
  void* opaque = nullptr;
  bool ok = true;
  std::string error;  // empty when ok
  std::string_view topic;
  int32_t partition = -1;
  int64_t offset = -1;
  int64_t timestamp = -1;
};

struct OutHeader {
  std::string key;
  std::string value;
  bool is_null = false;
};

class Producer {
 public:
  using DeliveryFn = std::function<void(const Delivery&)>;

  // `props` are librdkafka settings (already translated from the Java names).
  static Result<std::unique_ptr<Producer>> create(const RdProps& props, DeliveryFn on_delivery);
  ~Producer();
  Producer(const Producer&) = delete;
  Producer& operator=(const Producer&) = delete;

  // Queues one record; key/value are copied. A null pointer means a null key/value.
  // partition < 0 lets the partitioner choose; timestamp < 0 lets the producer stamp it.
  // Returns a retriable error when the local queue is full (poll, then try again).
  Status produce(std::string_view topic, int32_t partition, const std::string* key,
                 const std::string* value, const std::vector<OutHeader>& headers,
                 int64_t timestamp, void* opaque);

  // Serves delivery reports; waits up to timeout_ms for the first one.
  int poll(int timeout_ms);
  // Waits until every queued record is delivered or failed.
  Status flush(int timeout_ms);
  // Records queued or in flight.
  int in_flight() const;
  // A fatal producer error (idempotence broken, say), or empty.
  std::string fatal_error() const;

 struct Impl;  // public so librdkafka's C callbacks can reach it

 private:
  Producer() = default;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sluice::kafka
