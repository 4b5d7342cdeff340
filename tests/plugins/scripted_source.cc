// A source connector for error-path tests: it misbehaves on command.
//
//   topic             where records go (default "scripted")
//   fail.on.start     throw from start()
//   throw.after       throw from poll() after this many records (-1: never)
//   retriable.after   throw a RetriableError from poll() after this many records, once
//   stall.ms          sleep this long inside every poll() (a slow or stuck source)
//   records           stop producing after this many records (-1: never)
//   fail.task         apply fail.on.start/throw.after only to this task id (-1: every task)
//   value.bytes       values are BYTES ("record-<seqno>" as bytes) instead of strings, so a
//                     ByteArrayConverter accepts them
//   bad.at            comma list of seqnos whose value is a Struct instead (what a
//                     ByteArrayConverter or StringConverter-free chain rejects)
//   fail.times        with fail.times.file: the first poll() after start throws while the counter
//                     in that file is below this; each failure increments it (a source that
//                     fails N times across restarts, then recovers)
//   envelopes         Debezium-shaped change events instead (../shared/spec/debezium.md §1.3):
//                     key struct <topic>.Key {id}, value <topic>.Envelope with before/after rows,
//                     a MySQL-like source block and op; per 10 seqnos 5 creates, 3 updates and 2
//                     deletes, each delete followed by its tombstone (same offset)
//   batch.size        records per poll (default 100)
//
// tasks.max tasks, each with its own source partition {"source":"scripted","task":N}.
//
// Records: key = seqno as a string, value = "record-<seqno>"; partition {"source":"scripted"},
// offset {"position": seqno}.

#include <atomic>
#include <chrono>
#include <fstream>
#include <set>
#include <thread>

#include "plugins/api/plugin.h"

namespace {

using namespace sluice::api;

class ScriptedTask : public SourceTask {
 public:
  std::string version() const override { return "test"; }
  void start(const Config& c) override {
    int64_t task = config_value::get_long(c, "task.id", 0);
    int64_t fail_task = config_value::get_long(c, "fail.task", -1);
    bool targeted = fail_task < 0 || fail_task == task;
    if (targeted && config_value::get_bool(c, "fail.on.start", false))
      throw std::runtime_error("scripted failure in start()");
    topic_ = config_value::get_string(c, "topic", "scripted");
    throw_after_ = targeted ? config_value::get_long(c, "throw.after", -1) : -1;
    retriable_after_ = config_value::get_long(c, "retriable.after", -1);
    stall_ms_ = config_value::get_long(c, "stall.ms", 0);
    limit_ = config_value::get_long(c, "records", -1);
    value_bytes_ = config_value::get_bool(c, "value.bytes", false);
    envelopes_ = config_value::get_bool(c, "envelopes", false);
    batch_ = config_value::get_long(c, "batch.size", 100);
    if (envelopes_) envelope_schemas_ = make_envelope_schemas(topic_);
    for (auto& s : config_value::get_list(c, "bad.at")) bad_at_.insert(std::stoll(s));
    if (int64_t times = config_value::get_long(c, "fail.times", 0); times > 0) {
      std::string file = config_value::get_string(c, "fail.times.file", "");
      int64_t failed = 0;
      if (std::ifstream in(file); in) in >> failed;
      if (failed < times) {
        std::ofstream(file, std::ios::trunc) << failed + 1;
        fail_poll_ = "scripted failure " + std::to_string(failed + 1) + " of " + std::to_string(times);
      }
    }
    partition_ = std::make_shared<const OffsetMap>(
        OffsetMap{{"source", Value::string("scripted")}, {"task", Value::int64(task)}});
    if (context_)
      if (auto off = context_->offset_storage_reader().offset(*partition_))
        for (auto& [k, v] : *off)
          if (int64_t n; k == "position" && v.get_integer(n)) next_ = n + 1;
  }
  void poll(std::vector<SourceRecord>& out) override {
    if (stall_ms_ > 0) {
      auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(stall_ms_);
      while (!stopping_ && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (!fail_poll_.empty()) throw std::runtime_error(fail_poll_);
    if (throw_after_ >= 0 && emitted_ >= throw_after_) throw std::runtime_error("scripted failure in poll()");
    if (retriable_after_ >= 0 && emitted_ >= retriable_after_ && !retried_) {
      retried_ = true;
      throw RetriableError("scripted retriable failure in poll()");
    }
    if (limit_ >= 0 && emitted_ >= limit_) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      return;
    }
    for (int64_t i = 0; i < batch_; ++i) {
      if (limit_ >= 0 && emitted_ >= limit_) break;
      if (throw_after_ >= 0 && emitted_ >= throw_after_) break;
      if (envelopes_) {
        emit_envelope(out);
        ++next_;
        ++emitted_;
        continue;
      }
      SourceRecord r;
      r.source_partition = partition_;
      r.source_offset.emplace_back("position", Value::int64(next_));
      r.topic = topic_;
      r.key_schema = schemas::string();
      r.key = Value::string(std::to_string(next_));
      if (bad_at_.count(next_)) {
        Struct bad(bad_schema());
        bad.put("seqno", Value::int64(next_));
        r.value_schema = bad_schema();
        r.value = Value::structure(std::move(bad));
      } else if (value_bytes_) {
        r.value_schema = schemas::bytes();
        r.value = Value::bytes("record-" + std::to_string(next_));
      } else {
        r.value_schema = schemas::string();
        r.value = Value::string("record-" + std::to_string(next_));
      }
      out.push_back(std::move(r));
      ++next_;
      ++emitted_;
    }
  }
  void stop() override { stopping_ = true; }

 private:
  struct EnvelopeSchemas {
    SchemaPtr key, row, source, envelope;
  };
  static EnvelopeSchemas make_envelope_schemas(const std::string& topic) {
    EnvelopeSchemas e;
    e.key = SchemaBuilder::structure().name(topic + ".Key").field("id", schemas::int32()).build();
    e.row = SchemaBuilder::structure()
                .name(topic + ".Value")
                .optional()
                .field("id", schemas::int32())
                .field("name", schemas::string())
                .field("description", schemas::optional_string())
                .field("weight", schemas::of(Type::Float64, true))
                .field("quantity", schemas::int32())
                .field("updated_at", SchemaBuilder(Type::String).name("io.debezium.time.ZonedTimestamp").version(1).build())
                .build();
    e.source = SchemaBuilder::structure()
                   .name("io.debezium.connector.mysql.Source")
                   .field("version", schemas::string())
                   .field("connector", schemas::string())
                   .field("name", schemas::string())
                   .field("ts_ms", schemas::int64())
                   .field("snapshot", SchemaBuilder(Type::String).optional().name("io.debezium.data.Enum").version(1)
                                          .parameter("allowed", "true,last,false,incremental")
                                          .default_value(Value::string("false")).build())
                   .field("db", schemas::string())
                   .field("table", schemas::optional_string())
                   .field("server_id", schemas::int64())
                   .field("file", schemas::string())
                   .field("pos", schemas::int64())
                   .field("row", schemas::int32())
                   .build();
    SchemaPtr tx = SchemaBuilder::structure().name("event.block").version(1).optional()
                       .field("id", schemas::string()).field("total_order", schemas::int64())
                       .field("data_collection_order", schemas::int64()).build();
    e.envelope = SchemaBuilder::structure()
                     .name(topic + ".Envelope")
                     .version(2)
                     .field("before", e.row)
                     .field("after", e.row)
                     .field("source", e.source)
                     .field("transaction", tx)
                     .field("op", schemas::string())
                     .field("ts_ms", schemas::of(Type::Int64, true))
                     .build();
    return e;
  }

  Value envelope_row(int32_t id, int64_t version) const {
    Struct row(envelope_schemas_.row);
    row.put(size_t{0}, Value::int32(id))
        .put(size_t{1}, Value::string("product-" + std::to_string(id)))
        .put(size_t{2}, Value::string("a product of the scripted source, version " + std::to_string(version)))
        .put(size_t{3}, Value::float64(1.5 + static_cast<double>(version % 7)))
        .put(size_t{4}, Value::int32(static_cast<int32_t>(version % 1000)))
        .put(size_t{5}, Value::string("2024-06-10T06:13:20Z"));
    return Value::structure(std::move(row));
  }

  void emit_envelope(std::vector<SourceRecord>& out) {
    const EnvelopeSchemas& e = envelope_schemas_;
    int64_t n = next_;
    int64_t phase = n % 10;
    const char* op = phase < 5 ? "c" : phase < 8 ? "u" : "d";
    int32_t id = static_cast<int32_t>(n / 10 * 5 + (phase < 5 ? phase : phase < 8 ? phase - 5 : phase - 8));
    int64_t ts = 1718000000000 + n;
    Struct source(e.source);
    source.put(size_t{0}, Value::string("2.7.3.Final")).put(size_t{1}, Value::string("mysql"))
        .put(size_t{2}, Value::string("dbserver1")).put(size_t{3}, Value::int64(ts))
        .put(size_t{5}, Value::string("inventory")).put(size_t{6}, Value::string("products"))
        .put(size_t{7}, Value::int64(223344)).put(size_t{8}, Value::string("mysql-bin.000003"))
        .put(size_t{9}, Value::int64(1234 + n)).put(size_t{10}, Value::int32(0));
    Struct env(e.envelope);
    if (op[0] != 'c') env.put(size_t{0}, envelope_row(id, n - 1));
    if (op[0] != 'd') env.put(size_t{1}, envelope_row(id, n));
    env.put(size_t{2}, Value::structure(std::move(source))).put(size_t{4}, Value::string(op))
        .put(size_t{5}, Value::int64(ts + 5));
    Struct key(e.key);
    key.put(size_t{0}, Value::int32(id));
    SourceRecord r;
    r.source_partition = partition_;
    r.source_offset.emplace_back("position", Value::int64(n));
    r.topic = topic_;
    r.key_schema = e.key;
    r.key = Value::structure(std::move(key));
    r.value_schema = e.envelope;
    r.value = Value::structure(std::move(env));
    bool tombstone = op[0] == 'd';
    SourceRecord t;
    if (tombstone) {
      t.source_partition = partition_;
      t.source_offset = r.source_offset;
      t.topic = topic_;
      t.key_schema = r.key_schema;
      t.key = r.key;
    }
    out.push_back(std::move(r));
    if (tombstone) out.push_back(std::move(t));
  }

  static SchemaPtr bad_schema() {
    static SchemaPtr s = SchemaBuilder::structure().name("scripted.Bad").field("seqno", schemas::int64()).build();
    return s;
  }
  std::string topic_;
  int64_t throw_after_ = -1, retriable_after_ = -1, stall_ms_ = 0, limit_ = -1;
  int64_t next_ = 0, emitted_ = 0;
  bool retried_ = false;
  bool value_bytes_ = false;
  bool envelopes_ = false;
  int64_t batch_ = 100;
  EnvelopeSchemas envelope_schemas_;
  std::set<int64_t> bad_at_;
  std::string fail_poll_;
  std::shared_ptr<const OffsetMap> partition_;
  std::atomic<bool> stopping_{false};
};

class ScriptedConnector : public SourceConnector {
 public:
  std::string version() const override { return "test"; }
  void start(const Config& c) override { config_ = c; }
  std::vector<Config> task_configs(int max_tasks) override {
    std::vector<Config> out;
    for (int i = 0; i < max_tasks; ++i) {
      Config c = config_;
      c["task.id"] = std::to_string(i);
      out.push_back(std::move(c));
    }
    return out;
  }
  std::unique_ptr<SourceTask> create_task() override { return std::make_unique<ScriptedTask>(); }
  void stop() override {}
  ConfigDef config_def() const override { return {}; }

 private:
  Config config_;
};

}  // namespace

SLUICE_PLUGIN_ENTRY() {
  static const sluice_plugin_descriptor* d = [] {
    static PluginBuilder plugin("sluice-test-scripted", "test");
    plugin.source_connector<ScriptedConnector>("sluice.test.ScriptedSourceConnector");
    return plugin.descriptor();
  }();
  return d;
}
