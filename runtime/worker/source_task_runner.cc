#include "runtime/worker/source_task_runner.h"

#include "runtime/common/log.h"
#include "runtime/worker/durable_log.h"
#include "runtime/worker/offset_codec.h"
#include "runtime/worker/offset_reader.h"

namespace sluice::worker {

using Clock = std::chrono::steady_clock;

class SourceTaskRunner::Context : public api::SourceTaskContext {
 public:
  Context(const SourceTaskParts& p) : config_(p.task_config), reader_(p.id.connector, *p.offsets) {}
  const api::Config& configs() const override { return config_; }
  api::OffsetStorageReader& offset_storage_reader() override { return reader_; }
  api::Status open_durable_log(const api::DurableLogSpec& spec,
                               std::unique_ptr<api::DurableLog>& out) override {
    std::string err;
    if (!spec.kafka_topic.empty())
      out = open_kafka_log(spec.kafka_topic, spec.kafka_settings, err);
    else if (!spec.file_path.empty())
      out = open_file_log(spec.file_path, err);
    else
      err = "a durable log needs a Kafka topic or a file path";
    return out ? api::Status::ok() : api::Status::failed(err);
  }

 private:
  api::Config config_;
  OffsetReader reader_;
};

namespace {
Error from_api(const api::Status& s, Stage stage) {
  return s.is_retriable() ? Error::retry(s.message(), stage) : Error::fatal(s.message(), stage);
}
}  // namespace

SourceTaskRunner::SourceTaskRunner(SourceTaskParts parts) : p_(std::move(parts)) {
  context_ = std::make_unique<Context>(p_);
  submitted_ = std::make_unique<SubmittedRecords>(p_.id.connector);
  errors_ = std::make_unique<ErrorHandler>(p_.id.str(), p_.errors, counters_);
}

SourceTaskRunner::~SourceTaskRunner() {
  request_stop();
  join();
}

void SourceTaskRunner::start() {
  status_.set(State::Running);
  thread_ = std::thread([this] { run(); });
}

void SourceTaskRunner::set_paused(bool paused) {
  {
    std::lock_guard lock(pause_mu_);
    paused_.store(paused);
  }
  pause_cv_.notify_all();
}

void SourceTaskRunner::request_stop() {
  {
    std::lock_guard lock(pause_mu_);
    if (stopping_.exchange(true)) return;
  }
  pause_cv_.notify_all();
  if (p_.task) p_.task->stop();  // Connect calls stop() from another thread than poll()
}

void SourceTaskRunner::join() {
  if (thread_.joinable()) thread_.join();
}

void SourceTaskRunner::fail(const Error& e) {
  log::error(p_.id.str(), "task failed in stage ", stage_name(e.stage), ": ", e.message);
  status_.set(State::Failed, std::string("org.apache.kafka.connect.errors.ConnectException: ") +
                                 e.message + " (stage " + stage_name(e.stage) + ")");
}

Status SourceTaskRunner::init() {
  auto created = kafka::Producer::create(p_.producer_props,
                                         [this](const kafka::Delivery& d) { on_delivery(d); });
  if (!created) return created.error();
  producer_ = std::move(*created);
  if (auto s = p_.task->initialize(*context_); !s.is_ok()) return from_api(s, Stage::TaskPoll);
  if (auto s = p_.task->start(p_.task_config); !s.is_ok()) return from_api(s, Stage::TaskPoll);
  return {};
}

void SourceTaskRunner::on_delivery(const kafka::Delivery& d) {
  auto* entry = static_cast<SubmittedRecords::Entry*>(d.opaque);
  if (!d.ok) {
    // With an unbounded delivery timeout librdkafka only reports errors retrying cannot fix.
    std::string message = "Kafka refused a record for " + std::string(d.topic) + ": " + d.error;
    Error error;
    if (errors_->tolerate(Stage::KafkaProduce, "org.apache.kafka.connect.runtime.WorkerSourceTask",
                          api::Status::failed(message), &entry->record, error)) {
      // KIP-779: with errors.tolerance=all the record is skipped and its offset committed.
      p_.task->commit_record(entry->record, nullptr);
      submitted_->ack(entry);
      return;
    }
    // The entry stays unacknowledged, so its offset (and every later one) is never committed.
    if (delivery_error_.empty()) delivery_error_ = message;
    return;
  }
  api::RecordMetadata meta{std::string(d.topic), d.partition, d.offset, d.timestamp};
  p_.task->commit_record(entry->record, &meta);
  submitted_->ack(entry);
  delivered_.fetch_add(1, std::memory_order_relaxed);
}

void SourceTaskRunner::skip(api::SourceRecord polled) {
  auto partition = polled.source_partition;
  SubmittedRecords::Entry* entry = submitted_->submit(partition, std::move(polled));
  p_.task->commit_record(entry->record, nullptr);
  submitted_->ack(entry);
}

Result<bool> SourceTaskRunner::transform(api::SourceRecord& polled, api::SourceRecord& work) {
  // The chain works on `work`, a reused record (its strings and vectors keep their capacity):
  // `polled` stays as the task returned it, for its offset and commit_record, as in Connect.
  work.topic.assign(polled.topic);
  work.kafka_partition = polled.kafka_partition;
  work.key_schema = polled.key_schema;
  work.key = polled.key;
  work.value_schema = polled.value_schema;
  work.value = polled.value;
  work.timestamp = polled.timestamp;
  work.headers.assign(polled.headers.begin(), polled.headers.end());
  bool dropped = false;
  size_t from = 0, failed = 0;
  TransformChain::Failure failure;
  api::Status st = errors_->run(
      [&] {
        if (p_.chain->apply(work, dropped, failure, failed, from)) return api::Status::ok();
        from = failed;  // a retry resumes at the step that failed
        return failure.status;
      },
      stopping_);
  if (!st.is_ok()) {
    Error error;
    if (!errors_->tolerate(Stage::Transformation, failure.class_name, st, &polled, error)) return error;
    return false;
  }
  return !dropped;
}

Result<bool> SourceTaskRunner::convert(const api::SourceRecord& r, const api::SourceRecord& polled) {
  auto attempt = [&](Stage stage, const std::string& cls, auto&& op) -> Result<bool> {
    api::Status s = errors_->run(op, stopping_);
    if (s.is_ok()) return true;
    Error error;
    if (!errors_->tolerate(stage, cls, s, &polled, error)) return error;
    return false;
  };
  auto key = attempt(Stage::KeyConverter, p_.key_converter_class, [&] {
    key_buf_.clear();
    key_null_ = false;
    return p_.key_converter->from_connect(r.topic, r.key_schema, r.key, key_buf_, key_null_);
  });
  if (!key || !*key) return key;
  auto value = attempt(Stage::ValueConverter, p_.value_converter_class, [&] {
    value_buf_.clear();
    value_null_ = false;
    return p_.value_converter->from_connect(r.topic, r.value_schema, r.value, value_buf_, value_null_);
  });
  if (!value || !*value) return value;
  header_buf_.resize(r.headers.size());
  for (size_t i = 0; i < r.headers.size(); ++i) {
    auto& h = r.headers[i];
    auto& out = header_buf_[i];
    out.key = h.key;
    auto header = attempt(Stage::HeaderConverter, p_.header_converter_class, [&] {
      out.value.clear();
      out.is_null = false;
      return p_.header_converter->from_connect_header(r.topic, h.key, h.schema, h.value, out.value, out.is_null);
    });
    if (!header || !*header) return header;
  }
  return true;
}

Status SourceTaskRunner::ensure_topic(const std::string& topic) {
  // Only one warning per process when the brokers cannot create topics (the dev broker).
  static std::atomic<bool> warned_unsupported{false};
  kafka::NewTopic t = p_.topic_creation->new_topic(topic);
  if (!admin_) {
    auto created = kafka::TopicAdmin::create(p_.admin_props);
    if (!created) return Error::fatal("topic creation: " + created.error().message, Stage::KafkaProduce);
    admin_ = std::move(*created);
  }
  auto outcome = admin_->create_topic(t, p_.admin_timeout_ms);
  if (!outcome) {
    std::string why = outcome.error().message;
    while (!why.empty() && why.back() == '.') why.pop_back();
    return Error::fatal("Task failed to create new topic " + t.describe() + ": " + why +
                            ". Ensure that the task is authorized to create topics or that the topic exists and "
                            "restart the task",
                        Stage::KafkaProduce);
  }
  switch (*outcome) {
    case kafka::CreateOutcome::Created: log::info(p_.id.str(), "Created topic ", t.describe()); break;
    case kafka::CreateOutcome::Existed: log::info(p_.id.str(), "Found existing topic '", topic, "'"); break;
    case kafka::CreateOutcome::Unsupported:
      if (!warned_unsupported.exchange(true))
        log::warn(p_.id.str(), "the Kafka brokers do not support CreateTopics (or did not answer in time); topics "
                  "such as '", topic, "' are left to the brokers' auto-creation, without the topic.creation.* "
                  "settings");
      break;
  }
  p_.topic_creation->add(topic);
  return {};
}

Status SourceTaskRunner::send_batch(std::vector<api::SourceRecord>& batch) {
  const bool chained = p_.chain && !p_.chain->empty();
  for (auto& polled : batch) {
    api::SourceRecord* out = &polled;  // what goes to Kafka
    if (chained) {
      auto keep = transform(polled, work_);
      if (!keep) return keep.error();
      if (!*keep) {
        skip(std::move(polled));
        continue;
      }
      out = &work_;
    }
    auto converted = convert(*out, polled);
    if (!converted) return converted.error();
    if (!*converted) {
      skip(std::move(polled));
      continue;
    }
    if (p_.topics && !seen_topics_.count(out->topic)) {
      seen_topics_.insert(out->topic);
      p_.topics->add(out->topic, p_.id.task);
    }
    if (p_.topic_creation && !p_.topic_creation->known(out->topic))
      if (auto st = ensure_topic(out->topic); !st) return st;
    int32_t partition = out->kafka_partition.value_or(-1);
    int64_t ts = out->timestamp.value_or(-1);
    auto partition_map = polled.source_partition;
    // Thousands of records wait for Kafka's acknowledgement: their key and value, already
    // converted, are released now rather than then (plugins/api/connector.h, commit_record).
    polled.key = api::Value();
    polled.value = api::Value();
    polled.key_schema = nullptr;
    polled.value_schema = nullptr;
    SubmittedRecords::Entry* entry = submitted_->submit(partition_map, std::move(polled));
    // The entry keeps the polled record (and its topic) until Kafka acknowledges it.
    std::string_view topic = chained ? std::string_view(work_.topic) : std::string_view(entry->record.topic);
    while (true) {
      Status st = producer_->produce(topic, partition, key_null_ ? nullptr : &key_buf_,
                                     value_null_ ? nullptr : &value_buf_, header_buf_, ts, entry);
      if (st) break;
      if (!st.error().retriable) {
        submitted_->abandon(entry);
        return st.error();
      }
      // Back-pressure: the producer's queue is full; wait for deliveries to make room.
      producer_->poll(100);
      if (!delivery_error_.empty()) return Error::fatal(delivery_error_, Stage::KafkaProduce);
      if (stopping_.load()) {
        // Never sent: forget it so its offset is not committed; it is polled again on restart.
        submitted_->abandon(entry);
        return {};
      }
    }
  }
  return {};
}

Status SourceTaskRunner::commit_offsets() {
  auto ready = submitted_->take_committable();
  if (!ready.empty()) {
    std::vector<storage::OffsetEntry> entries;
    entries.reserve(ready.size());
    for (auto& [key, offset] : ready) entries.push_back({key, encode_offset(offset)});
    if (auto st = p_.offsets->set(entries); !st) {
      submitted_->restore(std::move(ready));
      return Error::retry("offset flush failed: " + st.error().message, Stage::OffsetCommit);
    }
    log::debug(p_.id.str(), "committed offsets for ", ready.size(), " source partitions");
  }
  if (auto s = p_.task->commit(); !s.is_ok())
    log::warn(p_.id.str(), "task commit() failed: ", s.message());
  return {};
}

// Paused: keep serving deliveries and offset flushes, poll nothing.
void SourceTaskRunner::wait_while_paused(Clock::time_point& next_flush) {
  status_.set(State::Paused);
  log::info(p_.id.str(), "task paused");
  while (paused_.load() && !stopping_.load()) {
    producer_->poll(0);
    if (Clock::now() >= next_flush) {
      if (auto st = commit_offsets(); !st) log::warn(p_.id.str(), st.error().message);
      next_flush = Clock::now() + p_.flush_interval;
    }
    std::unique_lock lock(pause_mu_);
    pause_cv_.wait_for(lock, std::chrono::milliseconds(100),
                       [this] { return !paused_.load() || stopping_.load(); });
  }
  if (!stopping_.load()) {
    status_.set(State::Running);
    log::info(p_.id.str(), "task resumed");
  }
}

void SourceTaskRunner::run() {
  if (auto st = init(); !st) {
    fail(st.error());
    if (p_.task) p_.task->stop();
    return;
  }
  log::info(p_.id.str(), "task started");
  std::vector<api::SourceRecord> batch;
  auto next_flush = Clock::now() + p_.flush_interval;
  Error failure;
  bool failed = false;
  while (!stopping_.load(std::memory_order_relaxed)) {
    producer_->poll(0);
    if (!delivery_error_.empty()) {
      failure = Error::fatal(delivery_error_, Stage::KafkaProduce);
      failed = true;
      break;
    }
    if (Clock::now() >= next_flush) {
      if (auto st = commit_offsets(); !st) log::warn(p_.id.str(), st.error().message);
      next_flush = Clock::now() + p_.flush_interval;
    }
    if (paused_.load(std::memory_order_relaxed)) {
      wait_while_paused(next_flush);
      continue;
    }
    batch.clear();
    api::Status s = p_.task->poll(batch);
    if (!s.is_ok()) {
      if (s.is_retriable()) {
        log::warn(p_.id.str(), "poll failed, retrying: ", s.message());
        producer_->poll(500);
        continue;
      }
      failure = from_api(s, Stage::TaskPoll);
      failed = true;
      break;
    }
    if (auto st = send_batch(batch); !st) {
      failure = st.error();
      failed = true;
      break;
    }
  }
  // Drain what is in flight (bounded), then commit exactly what Kafka acknowledged.
  producer_->flush(static_cast<int>(p_.shutdown_timeout.count()));
  producer_->poll(0);
  if (auto st = commit_offsets(); !st) log::error(p_.id.str(), st.error().message);
  if (failed) {
    fail(failure);
  } else {
    status_.set(State::Stopped);
    uint64_t skipped = counters_.records_skipped.load();
    log::info(p_.id.str(), "task stopped after ", delivered(), " records delivered",
              skipped ? ", " + std::to_string(skipped) + " skipped after errors (errors.tolerance=all)" : "");
  }
  p_.task->stop();
  if (submitted_->in_flight() > 0)
    log::warn(p_.id.str(), submitted_->in_flight(),
              " records were not acknowledged before shutdown; they will be sent again on restart");
}

}  // namespace sluice::worker
