// A source connector that behaves as Kafka's own test connector
// org.apache.kafka.connect.tools.VerifiableSourceConnector: each task counts upwards from the
// committed sequence number, so what lands in Kafka can be checked for gaps and duplicates.
//
//   topic                 the topic to write to (required)
//   throughput            records per second per task; negative means as fast as possible
//   complete.record.data  false: the value is the seqno (INT64); true: a struct
//                         {name, task, topic, time_ms, seqno}
//   max.messages          Sluice's addition: stop producing after this many per task (-1: never)
//
// Source partition {"id": task}, source offset {"seqno": n}, key the task id (INT32).

#include <atomic>
#include <chrono>
#include <thread>

#include "plugins/api/plugin.h"

namespace {

using namespace sluice::api;
using Clock = std::chrono::steady_clock;

constexpr const char* kVersion = "0.1.0";

ConfigDef verifiable_config_def() {
  ConfigDef def;
  def.define("topic", ConfigType::String, std::nullopt, Importance::High,
             "Destination topic", validators::non_empty());
  def.define("throughput", ConfigType::Long, std::nullopt, Importance::High,
             "Records per second per task; negative for no throttling");
  def.define("complete.record.data", ConfigType::Boolean, "false", Importance::Medium,
             "Write a struct with name, task, topic, time_ms and seqno instead of the seqno alone");
  def.define("max.messages", ConfigType::Long, "-1", Importance::Low,
             "Stop producing after this many records per task; -1 for no limit");
  return def;
}

SchemaPtr complete_value_schema() {
  static const SchemaPtr s = SchemaBuilder::structure()
                                 .field("name", schemas::string())
                                 .field("task", schemas::int32())
                                 .field("topic", schemas::string())
                                 .field("time_ms", schemas::int64())
                                 .field("seqno", schemas::int64())
                                 .build();
  return s;
}

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class VerifiableSourceTask : public SourceTask {
 public:
  std::string version() const override { return kVersion; }

  void start(const Config& config) override {
    name_ = config_value::get_string(config, "name", "");
    topic_ = config_value::get_string(config, "topic", "");
    if (topic_.empty()) throw std::invalid_argument("Missing required configuration \"topic\"");
    throughput_ = config_value::get_long(config, "throughput", -1);
    complete_ = config_value::get_bool(config, "complete.record.data", false);
    max_messages_ = config_value::get_long(config, "max.messages", -1);
    id_ = static_cast<int32_t>(config_value::get_long(config, "id", 0));
    partition_ = std::make_shared<const OffsetMap>(OffsetMap{{"id", Value::int32(id_)}});
    seqno_ = 0;
    if (context_) {
      if (auto off = context_->offset_storage_reader().offset(*partition_)) {
        for (auto& [k, v] : *off) {
          int64_t n = 0;
          if (k == "seqno" && v.get_integer(n)) seqno_ = n + 1;
        }
      }
    }
    start_seqno_ = seqno_;
    started_ = Clock::now();
  }

  void poll(std::vector<SourceRecord>& out) override {
    int64_t budget = kBatch;
    if (max_messages_ >= 0) budget = std::min<int64_t>(budget, start_seqno_ + max_messages_ - seqno_);
    if (budget <= 0) {
      idle(std::chrono::milliseconds(100));  // done: stay quiet until stopped
      return;
    }
    if (throughput_ >= 0) {
      double elapsed = std::chrono::duration<double>(Clock::now() - started_).count();
      int64_t allowed = static_cast<int64_t>(elapsed * static_cast<double>(throughput_)) -
                        (seqno_ - start_seqno_) + 1;
      if (allowed <= 0) {
        idle(std::chrono::milliseconds(throughput_ > 0 ? std::min<int64_t>(100, 1000 / throughput_ + 1) : 100));
        return;
      }
      budget = std::min(budget, allowed);
    }
    out.reserve(out.size() + static_cast<size_t>(budget));
    int64_t ts = now_ms();
    for (int64_t i = 0; i < budget; ++i) out.push_back(make_record(seqno_++, ts));
  }

  void stop() override { stopping_.store(true); }

 private:
  static constexpr int64_t kBatch = 1000;

  SourceRecord make_record(int64_t seqno, int64_t ts) {
    SourceRecord r;
    r.source_partition = partition_;
    r.source_offset.emplace_back("seqno", Value::int64(seqno));
    r.topic = topic_;
    r.key_schema = schemas::int32();
    r.key = Value::int32(id_);
    if (complete_) {
      Struct s(complete_value_schema());
      s.put(size_t{0}, Value::string(name_))
          .put(size_t{1}, Value::int32(id_))
          .put(size_t{2}, Value::string(topic_))
          .put(size_t{3}, Value::int64(ts))
          .put(size_t{4}, Value::int64(seqno));
      r.value_schema = complete_value_schema();
      r.value = Value::structure(std::move(s));
    } else {
      r.value_schema = schemas::int64();
      r.value = Value::int64(seqno);
    }
    r.timestamp = ts;
    return r;
  }

  void idle(std::chrono::milliseconds d) {
    auto until = Clock::now() + d;
    while (!stopping_.load() && Clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }

  std::string name_, topic_;
  int64_t throughput_ = -1, max_messages_ = -1;
  bool complete_ = false;
  int32_t id_ = 0;
  std::shared_ptr<const OffsetMap> partition_;
  int64_t seqno_ = 0, start_seqno_ = 0;
  Clock::time_point started_;
  std::atomic<bool> stopping_{false};
};

class VerifiableSourceConnector : public SourceConnector {
 public:
  std::string version() const override { return kVersion; }
  void start(const Config& config) override {
    auto infos = config_def().validate("VerifiableSourceConnector", config);
    for (auto& c : infos.configs)
      if (!c.value.errors.empty()) throw std::invalid_argument(c.value.errors.front());
    config_ = config;
  }
  std::vector<Config> task_configs(int max_tasks) override {
    std::vector<Config> out;
    for (int i = 0; i < max_tasks; ++i) {
      Config c = config_;
      c["id"] = std::to_string(i);
      out.push_back(std::move(c));
    }
    return out;
  }
  std::unique_ptr<SourceTask> create_task() override { return std::make_unique<VerifiableSourceTask>(); }
  void stop() override {}
  ConfigDef config_def() const override { return verifiable_config_def(); }

 private:
  Config config_;
};

}  // namespace

SLUICE_PLUGIN_ENTRY() {
  static const sluice_plugin_descriptor* d = [] {
    static PluginBuilder plugin("sluice-verifiable", kVersion);
    plugin.source_connector<VerifiableSourceConnector>(
        "org.apache.kafka.connect.tools.VerifiableSourceConnector", {"VerifiableSource"});
    return plugin.descriptor();
  }();
  return d;
}
