#include "storage/kafka/kafka_stores.h"

#include <chrono>
#include <thread>

#include "runtime/common/log.h"

namespace sluice::storage {

namespace {

Status write_all(kafka::CompactedLog& log, const std::vector<KeyValue>& records, int timeout_ms) {
  for (auto& [k, v] : records) {
    std::optional<std::string_view> value;
    if (v) value = *v;
    if (auto st = log.send(k, value); !st) return st;
  }
  return log.flush(timeout_ms);
}

}  // namespace

Status ensure_internal_topic(kafka::TopicAdmin& admin, kafka::NewTopic topic, const kafka::RdProps& props,
                             bool single_partition, int timeout_ms, const std::string& property) {
  topic.configs["cleanup.policy"] = "compact";
  auto outcome = admin.create_topic(topic, timeout_ms);
  if (!outcome)
    return Error::fatal("cannot create the internal topic " + topic.describe() + ": " + outcome.error().message,
                        Stage::Config);
  if (*outcome == kafka::CreateOutcome::Created) log::info("worker", "created internal topic ", topic.name);
  if (*outcome == kafka::CreateOutcome::Unsupported)
    log::info("worker", "the broker cannot create topics; using the existing topic ", topic.name);
  // The topic must be there now, whatever CreateTopics said; a topic just created takes a
  // moment to show in every broker's metadata.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  auto log = kafka::CompactedLog::open(topic.name, props, "topic-check", timeout_ms);
  while (!log && *outcome == kafka::CreateOutcome::Created && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    log = kafka::CompactedLog::open(topic.name, props, "topic-check", timeout_ms);
  }
  if (!log)
    return Error::fatal("internal topic " + topic.name + " does not exist and could not be created (" +
                            log.error().message + "); create it with cleanup.policy=compact",
                        Stage::Config);
  if (*outcome == kafka::CreateOutcome::Existed) {
    // Connect refuses an internal topic that may delete records: configs or offsets would be lost.
    auto policy = admin.topic_config(topic.name, "cleanup.policy", timeout_ms);
    if (!policy) {
      log::warn("worker", "cannot check the cleanup.policy of ", topic.name, ": ", policy.error().message);
    } else if (*policy && **policy != "compact") {
      return Error::fatal("Topic '" + topic.name + "' supplied via the '" + (property.empty() ? "internal" : property) +
                              "' property is required to have 'cleanup.policy=compact', but it has 'cleanup.policy=" +
                              **policy + "'. Use a compacted topic (or change its cleanup.policy to compact).",
                          Stage::Config);
    }
  }
  if (single_partition && (*log)->partitions() > 1)
    return Error::fatal("Topic '" + topic.name + "' supplied via the 'config.storage.topic' property is required "
                        "to have a single partition in order to guarantee consistency of connector "
                        "configurations, but found " + std::to_string((*log)->partitions()) +
                        " partitions.", Stage::Config);
  return {};
}

// ---- offsets ------------------------------------------------------------------------------

void KafkaOffsetStore::attach(std::unique_ptr<kafka::CompactedLog> log) {
  std::lock_guard lock(mu_);
  log_ = std::move(log);
}

Status KafkaOffsetStore::refresh() {
  if (!log_) return Error::retry("the offsets topic is not open yet");
  std::map<std::string, std::optional<std::string>> seen;
  auto st = log_->read_to_end([&](const kafka::LogRecord& r) {
    seen[std::string(r.key)] = r.value ? std::optional<std::string>(std::string(*r.value)) : std::nullopt;
  });
  std::lock_guard lock(mu_);
  for (auto& [k, v] : seen) {
    if (v) data_[k] = *v;
    else data_.erase(k);
  }
  return st;
}

std::optional<std::string> KafkaOffsetStore::get(std::string_view key) {
  std::lock_guard lock(mu_);
  auto it = data_.find(key);
  if (it == data_.end()) return std::nullopt;
  return it->second;
}

Status KafkaOffsetStore::set(const std::vector<OffsetEntry>& entries) {
  if (!log_) return Error::retry("the offsets topic is not open yet");
  std::vector<KeyValue> records;
  for (auto& e : entries) records.push_back({e.key, e.value});
  if (auto st = write_all(*log_, records, 30000); !st) return st;
  std::lock_guard lock(mu_);
  for (auto& e : entries) {
    if (e.value) data_[e.key] = *e.value;
    else data_.erase(e.key);
  }
  return {};
}

std::vector<OffsetEntry> KafkaOffsetStore::all() {
  std::lock_guard lock(mu_);
  std::vector<OffsetEntry> out;
  for (auto& [k, v] : data_) out.push_back({k, v});
  return out;
}

// ---- configs ------------------------------------------------------------------------------

Status KafkaConfigStore::refresh(std::vector<ConfigEvent>* events) {
  std::vector<kafka::LogRecord> unused;
  std::lock_guard lock(mu_);
  return log_->read_to_end([&](const kafka::LogRecord& r) {
    ConfigEvent ev = state_.apply(r.key, r.value, r.offset);
    if (ev.kind == ConfigEvent::Skipped)
      log::warn("config-topic", "skipping the record at offset ", r.offset, ": ", ev.why);
    if (events) events->push_back(std::move(ev));
  });
}

ConfigSnapshot KafkaConfigStore::snapshot() {
  std::lock_guard lock(mu_);
  return state_.snapshot();
}

Status KafkaConfigStore::write(const std::vector<KeyValue>& records, int timeout_ms) {
  return write_all(*log_, records, timeout_ms);
}

// ---- statuses -----------------------------------------------------------------------------

Status KafkaStatusStore::refresh() {
  std::lock_guard lock(mu_);
  return log_->read_to_end([&](const kafka::LogRecord& r) { cache_.apply(r.key, r.value); });
}

Status KafkaStatusStore::write(const std::vector<KeyValue>& records, int timeout_ms) {
  return write_all(*log_, records, timeout_ms);
}

StatusCache KafkaStatusStore::cache() {
  std::lock_guard lock(mu_);
  return cache_;
}

}  // namespace sluice::storage
