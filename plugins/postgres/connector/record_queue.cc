#include "plugins/postgres/connector/record_queue.h"

namespace sluice::postgres {

bool RecordQueue::push(std::vector<api::SourceRecord>& batch, const std::atomic<bool>& stopping,
                       const std::function<void()>& while_blocked) {
  size_t i = 0;
  while (i < batch.size()) {
    std::unique_lock lock(mu_);
    if (q_.size() >= capacity_) {
      if (stopping.load()) return false;
      if (!not_full_.wait_for(lock, std::chrono::milliseconds(200),
                              [&] { return q_.size() < capacity_ || stopping.load(); })) {
        lock.unlock();
        if (while_blocked) while_blocked();
      }
      continue;
    }
    while (i < batch.size() && q_.size() < capacity_) q_.push_back(std::move(batch[i++]));
    not_empty_.notify_one();
  }
  batch.clear();
  return true;
}

void RecordQueue::drain(std::vector<api::SourceRecord>& out, size_t max,
                        std::chrono::milliseconds wait) {
  std::unique_lock lock(mu_);
  not_empty_.wait_for(lock, wait, [&] { return !q_.empty() || error_.has_value() || finished_; });
  size_t n = 0;
  while (!q_.empty() && n < max) {
    out.push_back(std::move(q_.front()));
    q_.pop_front();
    ++n;
  }
  if (n) not_full_.notify_all();
}

void RecordQueue::fail(std::string message) {
  std::lock_guard lock(mu_);
  if (!error_) error_ = std::move(message);
  not_empty_.notify_all();
}

std::optional<std::string> RecordQueue::error() const {
  std::lock_guard lock(mu_);
  return error_;
}

void RecordQueue::finish() {
  std::lock_guard lock(mu_);
  finished_ = true;
  not_empty_.notify_all();
}

void RecordQueue::wake() {
  std::lock_guard lock(mu_);
  not_empty_.notify_all();
  not_full_.notify_all();
}

}  // namespace sluice::postgres
