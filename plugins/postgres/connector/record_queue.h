#pragma once
// The bounded hand-over between the task's replication thread and poll(): at most
// max.queue.size records wait; the producer side blocks (calling `while_blocked` about every
// 200 ms, so the replication connection keeps answering the server) until poll() makes room.
// An error set by the replication thread is thrown by the next poll().

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "plugins/api/record.h"

namespace sluice::postgres {

class RecordQueue {
 public:
  explicit RecordQueue(size_t capacity) : capacity_(capacity) {}

  // False when stopping (the records are dropped: they are polled again after a restart).
  bool push(std::vector<api::SourceRecord>& batch, const std::atomic<bool>& stopping,
            const std::function<void()>& while_blocked);
  // Moves up to `max` records into `out`, waiting up to `wait` for the first one.
  void drain(std::vector<api::SourceRecord>& out, size_t max, std::chrono::milliseconds wait);
  void fail(std::string message);
  // No more records will come (the snapshot is over): drain() stops waiting.
  void finish();
  std::optional<std::string> error() const;
  void wake();

 private:
  size_t capacity_;
  mutable std::mutex mu_;
  std::condition_variable not_empty_, not_full_;
  std::deque<api::SourceRecord> q_;
  std::optional<std::string> error_;
  bool finished_ = false;
};

}  // namespace sluice::postgres
