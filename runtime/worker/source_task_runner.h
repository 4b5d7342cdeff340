#pragma once
// One source task on its own thread: poll -> transform -> convert -> produce, with delivery
// reports feeding the offset tracker, offsets flushed every offset.flush.interval.ms and on
// stop, then the task's commit callback.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <set>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "plugins/api/plugin.h"
#include "runtime/kafka/producer.h"
#include "runtime/worker/error_handler.h"
#include "runtime/worker/submitted_records.h"
#include "runtime/kafka/admin.h"
#include "runtime/worker/task_state.h"
#include "runtime/worker/topic_creation.h"
#include "runtime/worker/transform_chain.h"
#include "storage/api/offset_store.h"

namespace sluice::worker {

struct TaskId {
  std::string connector;
  int task = 0;
  std::string str() const { return connector + "-" + std::to_string(task); }
};

// The topics a connector's records went to (Connect's topic tracking, KIP-558). Shared by
// the connector's tasks; written only when a task meets a topic it has not seen.
class TopicSet {
 public:
  // Called (on the task's thread, outside the lock) when a task meets a topic for the first
  // time: a distributed worker records it in the status topic.
  using Listener = std::function<void(const std::string& topic, int task)>;
  explicit TopicSet(Listener on_new = {}) : on_new_(std::move(on_new)) {}
  void add(const std::string& topic, int task = 0) {
    {
      std::lock_guard lock(mu_);
      topics_.insert(topic);
    }
    if (on_new_) on_new_(topic, task);
  }
  std::vector<std::string> list() const {
    std::lock_guard lock(mu_);
    return {topics_.begin(), topics_.end()};
  }
  void clear() {
    std::lock_guard lock(mu_);
    topics_.clear();
  }

 private:
  Listener on_new_;
  mutable std::mutex mu_;
  std::set<std::string> topics_;
};

struct SourceTaskParts {
  TaskId id;
  api::Config task_config;
  std::unique_ptr<api::SourceTaskHandle> task;
  std::unique_ptr<api::ConverterHandle> key_converter;
  std::unique_ptr<api::ConverterHandle> value_converter;
  std::unique_ptr<api::HeaderConverterHandle> header_converter;
  // Class names for error reports ("Executing stage 'VALUE_CONVERTER' with class '...'").
  std::string key_converter_class, value_converter_class, header_converter_class;
  std::unique_ptr<TransformChain> chain;  // may be null: no transformations
  ErrorPolicy errors;
  std::unique_ptr<TopicCreation> topic_creation;  // null: topics are not created by the task
  kafka::RdProps admin_props;                     // for topic creation's admin client
  int admin_timeout_ms = 40000;
  kafka::RdProps producer_props;
  storage::OffsetBackingStore* offsets = nullptr;
  std::shared_ptr<TopicSet> topics;
  std::chrono::milliseconds flush_interval{60000};
  std::chrono::milliseconds flush_timeout{5000};
  std::chrono::milliseconds shutdown_timeout{5000};
};

class SourceTaskRunner {
 public:
  explicit SourceTaskRunner(SourceTaskParts parts);
  ~SourceTaskRunner();

  void start();
  // Asks the task to stop; join() waits for its thread.
  void request_stop();
  // Paused tasks stay started but are not polled (Connect's PAUSED).
  void set_paused(bool paused);
  void join();

  StatusSnapshot status() const { return status_.get(); }
  // Adds a line to the status trace (the worker notes auto-restart attempts on a FAILED task).
  void append_trace(const std::string& line) {
    auto snap = status_.get();
    status_.set(snap.state, snap.trace + line);
  }
  const TaskId& id() const { return p_.id; }
  // Records acknowledged by Kafka since start (for logs and benchmarks).
  uint64_t delivered() const { return delivered_.load(std::memory_order_relaxed); }
  // Connect's task error metrics: failures, skipped records, retries, logged errors.
  const ErrorCounters& error_counters() const { return counters_; }

 private:
  class Context;
  void run();
  Status init();
  Status send_batch(std::vector<api::SourceRecord>& batch);
  // Runs the chain on `work`, loaded from `polled` (which stays as polled): false when the
  // record is to be skipped (dropped by a transformation, or a tolerated failure).
  Result<bool> transform(api::SourceRecord& polled, api::SourceRecord& work);
  // Converts `r` into the reused buffers: false when a tolerated failure skips it.
  Result<bool> convert(const api::SourceRecord& r, const api::SourceRecord& polled);
  // A record that goes nowhere: its offset still becomes committable, in order.
  void skip(api::SourceRecord polled);
  // Creates `topic` before its first record when topic creation is on (once per task and topic).
  Status ensure_topic(const std::string& topic);
  Status commit_offsets();
  void wait_while_paused(std::chrono::steady_clock::time_point& next_flush);
  void on_delivery(const kafka::Delivery& d);
  void fail(const Error& e);

  SourceTaskParts p_;
  std::unique_ptr<Context> context_;
  std::unique_ptr<kafka::Producer> producer_;
  std::unique_ptr<SubmittedRecords> submitted_;
  StatusCell status_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> paused_{false};
  std::mutex pause_mu_;
  std::condition_variable pause_cv_;
  std::set<std::string> seen_topics_;  // task thread only: topics already in p_.topics
  std::atomic<uint64_t> delivered_{0};
  ErrorCounters counters_;
  std::unique_ptr<ErrorHandler> errors_;
  std::thread thread_;
  std::string delivery_error_;  // the first failed delivery, set on the task thread

  api::SourceRecord work_;  // the record the chain transforms, reused
  std::unique_ptr<kafka::TopicAdmin> admin_;  // created on the first topic to create
  // Reused buffers: no per-record allocation for the serialized forms.
  std::string key_buf_, value_buf_;
  bool key_null_ = false, value_null_ = false;
  std::vector<kafka::OutHeader> header_buf_;
};

}  // namespace sluice::worker
