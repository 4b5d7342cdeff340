#include "plugins/postgres/connector/task.h"

#include <stdexcept>

namespace sluice::postgres {

PostgresSourceTask::~PostgresSourceTask() {
  stop();
  if (thread_.joinable()) thread_.join();
}

void PostgresSourceTask::start(const api::Config& config) {
  cfg_ = parse_config(config);
  partition_ = std::make_shared<const api::OffsetMap>(
      api::OffsetMap{{"server", api::Value::string(cfg_.topic_prefix)}});
  std::optional<api::OffsetMap> stored;
  if (context_) stored = context_->offset_storage_reader().offset(*partition_);
  engine_ = std::make_unique<Engine>(cfg_, stored);
  thread_ = std::thread([this] { engine_->run(); });
}

void PostgresSourceTask::poll(std::vector<api::SourceRecord>& out) {
  size_t before = out.size();
  auto max = static_cast<size_t>(cfg_.max_batch_size);
  auto wait = std::chrono::milliseconds(std::min<int64_t>(cfg_.poll_interval_ms, 1000));
  // Snapshot rows and streamed changes are both decoded here.
  engine_->decode(out, max, wait);
  if (out.size() == before) {
    if (auto err = engine_->error()) throw std::runtime_error(*err);
  }
}

void PostgresSourceTask::commit() {
  if (!context_ || !engine_) return;
  if (auto off = context_->offset_storage_reader().offset(*partition_)) engine_->set_committed_offset(*off);
}

// Only signals: the replication thread ends within ~100 ms (or a connect timeout) and is
// joined by the destructor, so stop() never blocks the caller and may be called twice.
void PostgresSourceTask::stop() {
  if (engine_) engine_->stop();
}

}  // namespace sluice::postgres
