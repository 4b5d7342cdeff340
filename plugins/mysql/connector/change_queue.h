#pragma once
// The bounded queue between the reader thread (snapshot, binlog) and SourceTask::poll, as
// Debezium's ChangeEventQueue: max.queue.size records, batches of max.batch.size, a poll that
// waits at most poll.interval.ms. A reader failure is handed to poll once the records queued
// before it are taken.

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "plugins/api/record.h"

namespace sluice::mysql::cdc {

class ChangeQueue {
 public:
  explicit ChangeQueue(size_t capacity) : capacity_(capacity) {}

  // Blocks while the queue is full; false once closed (the task is stopping).
  bool push(sluice::api::SourceRecord&& r) {
    std::unique_lock lock(m_);
    not_full_.wait(lock, [&] { return closed_ || q_.size() < capacity_; });
    if (closed_) return false;
    q_.push_back(std::move(r));
    if (q_.size() == 1) not_empty_.notify_one();
    return true;
  }

  // Takes up to `max` records, waiting up to `wait` for the first. Returns the reader's failure
  // once everything before it is taken.
  std::optional<std::string> drain(std::vector<sluice::api::SourceRecord>& out, size_t max,
                                   std::chrono::milliseconds wait) {
    std::unique_lock lock(m_);
    not_empty_.wait_for(lock, wait, [&] { return closed_ || failure_ || !q_.empty(); });
    size_t n = 0;
    while (!q_.empty() && n < max) {
      out.push_back(std::move(q_.front()));
      q_.pop_front();
      ++n;
    }
    if (n) not_full_.notify_all();
    if (q_.empty() && failure_) return failure_;
    return std::nullopt;
  }

  void fail(std::string message) {
    std::lock_guard lock(m_);
    failure_ = std::move(message);
    not_empty_.notify_all();
  }

  void close() {
    std::lock_guard lock(m_);
    closed_ = true;
    not_full_.notify_all();
    not_empty_.notify_all();
  }

  bool closed() const {
    std::lock_guard lock(m_);
    return closed_;
  }

 private:
  mutable std::mutex m_;
  std::condition_variable not_full_, not_empty_;
  std::deque<sluice::api::SourceRecord> q_;
  size_t capacity_;
  bool closed_ = false;
  std::optional<std::string> failure_;
};

}  // namespace sluice::mysql::cdc
