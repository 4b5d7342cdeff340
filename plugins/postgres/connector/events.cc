#include "plugins/postgres/connector/events.h"

#include <chrono>

namespace sluice::postgres {

using namespace api;

int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string sequence_text(std::optional<Lsn> last_commit, Lsn lsn) {
  std::string s;
  s.reserve(48);
  s += '[';
  if (last_commit) {
    s += '"';
    s += std::to_string(*last_commit);
    s += '"';
  } else {
    s += "null";
  }
  s += ",\"";
  s += std::to_string(lsn);
  s += "\"]";
  return s;
}

namespace {
SchemaPtr opt_int64() { return schemas::of(Type::Int64, true); }

SchemaPtr make_source_schema() {
  auto snapshot = SchemaBuilder(Type::String)
                      .optional()
                      .name("io.debezium.data.Enum")
                      .version(1)
                      .parameter("allowed", "true,last,false,incremental")
                      .default_value(Value::string("false"))
                      .build();
  return SchemaBuilder::structure()
      .name("io.debezium.connector.postgresql.Source")
      .field("version", schemas::string())
      .field("connector", schemas::string())
      .field("name", schemas::string())
      .field("ts_ms", schemas::int64())
      .field("snapshot", snapshot)
      .field("db", schemas::string())
      .field("sequence", schemas::optional_string())
      .field("ts_us", opt_int64())
      .field("ts_ns", opt_int64())
      .field("schema", schemas::string())
      .field("table", schemas::string())
      .field("txId", opt_int64())
      .field("lsn", opt_int64())
      .field("xmin", opt_int64())
      .build();
}

SchemaPtr transaction_block_schema() {
  static const SchemaPtr s = SchemaBuilder::structure()
                                 .name("event.block")
                                 .version(1)
                                 .optional()
                                 .field("id", schemas::string())
                                 .field("total_order", schemas::int64())
                                 .field("data_collection_order", schemas::int64())
                                 .build();
  return s;
}

const char* op_message_type(char op) {
  switch (op) {
    case 'c': return "INSERT";
    case 'u': return "UPDATE";
    case 'd': return "DELETE";
    case 't': return "TRUNCATE";
    default: return "MESSAGE";
  }
}
}  // namespace

OffsetMap offset_map(const Position& p) {
  OffsetMap m;
  m.reserve(8);  // every field below: one allocation per record, not four
  if (p.snapshot) {
    m.emplace_back("last_snapshot_record", Value::boolean(p.last_snapshot_record));
  }
  if (p.lsn_proc) m.emplace_back("lsn_proc", Value::int64(static_cast<int64_t>(*p.lsn_proc)));
  if (p.message_type) m.emplace_back("messageType", Value::string(*p.message_type));
  if (p.lsn_commit) m.emplace_back("lsn_commit", Value::int64(static_cast<int64_t>(*p.lsn_commit)));
  if (p.lsn) m.emplace_back("lsn", Value::int64(static_cast<int64_t>(*p.lsn)));
  if (p.tx_id) m.emplace_back("txId", Value::int64(*p.tx_id));
  if (p.ts_usec) m.emplace_back("ts_usec", Value::int64(*p.ts_usec));
  if (p.snapshot) m.emplace_back("snapshot", Value::boolean(true));
  return m;
}

Position position_from_offset(const OffsetMap& offset) {
  Position p;
  for (auto& [k, v] : offset) {
    int64_t n = 0;
    bool is_int = v.get_integer(n);
    if (k == "lsn" && is_int) p.lsn = static_cast<Lsn>(n);
    else if (k == "lsn_proc" && is_int) p.lsn_proc = static_cast<Lsn>(n);
    else if (k == "lsn_commit" && is_int) p.lsn_commit = static_cast<Lsn>(n);
    else if (k == "txId" && is_int) p.tx_id = n;
    else if (k == "ts_usec" && is_int) p.ts_usec = n;
    else if (k == "messageType" && v.kind() == Value::Kind::String) p.message_type = v.as_string();
    else if (k == "snapshot" && v.kind() == Value::Kind::Boolean) p.snapshot = v.as_bool();
    else if (k == "last_snapshot_record" && v.kind() == Value::Kind::Boolean)
      p.last_snapshot_record = v.as_bool();
  }
  return p;
}

EventFactory::EventFactory(std::string topic_prefix, std::string dbname, std::string heartbeat_prefix)
    : prefix_(std::move(topic_prefix)), dbname_(std::move(dbname)),
      heartbeat_topic_(heartbeat_prefix + "." + prefix_) {
  partition_ = std::make_shared<const OffsetMap>(OffsetMap{{"server", Value::string(prefix_)}});
  source_schema_ = make_source_schema();
  heartbeat_key_schema_ = SchemaBuilder::structure()
                              .name("io.debezium.connector.common.ServerNameKey")
                              .version(1)
                              .field("serverName", schemas::string())
                              .build();
  heartbeat_value_schema_ = SchemaBuilder::structure()
                                .name("io.debezium.connector.common.Heartbeat")
                                .version(1)
                                .field("ts_ms", schemas::int64())
                                .build();
  message_key_schema_ = SchemaBuilder::structure()
                            .name("io.debezium.connector.postgresql.MessageKey")
                            .version(1)
                            .field("prefix", schemas::optional_string())
                            .build();
  tx_key_schema_ = SchemaBuilder::structure()
                       .name("io.debezium.connector.common.TransactionMetadataKey")
                       .version(1)
                       .field("id", schemas::string())
                       .build();
  tx_collection_schema_ = SchemaBuilder::structure()
                              .name("event.collection")
                              .version(1)
                              .field("data_collection", schemas::string())
                              .field("event_count", schemas::int64())
                              .build();
  tx_value_schema_ = SchemaBuilder::structure()
                         .name("io.debezium.connector.common.TransactionMetadataValue")
                         .version(1)
                         .field("status", schemas::string())
                         .field("id", schemas::string())
                         .field("event_count", opt_int64())
                         .field("data_collections",
                                SchemaBuilder::array(tx_collection_schema_).optional().build())
                         .field("ts_ms", schemas::int64())
                         .build();
}

Value EventFactory::source(SourceInfo s) const {
  Struct v(source_schema_);
  v.put(size_t{0}, Value::string(kDebeziumVersion))
      .put(size_t{1}, Value::string("postgresql"))
      .put(size_t{2}, Value::string(prefix_))
      .put(size_t{3}, Value::int64(s.ts_us / 1000))
      .put(size_t{4}, s.snapshot ? Value::string(std::move(*s.snapshot)) : Value())
      .put(size_t{5}, Value::string(dbname_))
      .put(size_t{6}, s.sequence ? Value::string(std::move(*s.sequence)) : Value())
      .put(size_t{7}, Value::int64(s.ts_us))
      .put(size_t{8}, Value::int64(s.ts_us * 1000))
      .put(size_t{9}, Value::string(std::move(s.schema)))
      .put(size_t{10}, Value::string(std::move(s.table)))
      .put(size_t{11}, s.tx_id ? Value::int64(*s.tx_id) : Value())
      .put(size_t{12}, s.lsn ? Value::int64(static_cast<int64_t>(*s.lsn)) : Value());
  return Value::structure(std::move(v));
}

SchemaPtr EventFactory::envelope_schema(const Table& t) const {
  return SchemaBuilder::structure()
      .name(t.topic + ".Envelope")
      .version(2)
      .field("before", t.row_schema)
      .field("after", t.row_schema)
      .field("source", source_schema_)
      .field("transaction", transaction_block_schema())
      .field("op", schemas::string())
      .field("ts_ms", opt_int64())
      .field("ts_us", opt_int64())
      .field("ts_ns", opt_int64())
      .build();
}

SourceRecord EventFactory::change(const Table& t, char op, Value before, Value after,
                                  SourceInfo s, const Position& pos, Value transaction) const {
  SourceRecord r;
  r.source_partition = partition_;
  r.source_offset = offset(pos);
  r.topic = t.topic;
  r.key_schema = t.key_schema;
  r.key = t.key_of(op == 'd' ? before : after);
  r.value_schema = t.envelope_schema;
  int64_t now = now_us();
  Struct e(t.envelope_schema);
  e.put(size_t{0}, std::move(before))
      .put(size_t{1}, std::move(after))
      .put(size_t{2}, source(std::move(s)))
      .put(size_t{3}, std::move(transaction))
      .put(size_t{4}, Value::string(std::string(1, op)))
      .put(size_t{5}, Value::int64(now / 1000))
      .put(size_t{6}, Value::int64(now))
      .put(size_t{7}, Value::int64(now * 1000));
  r.value = Value::structure(std::move(e));
  (void)op_message_type;
  return r;
}

SourceRecord EventFactory::tombstone(const SourceRecord& del) const {
  SourceRecord r;
  r.source_partition = del.source_partition;
  r.source_offset = del.source_offset;
  r.topic = del.topic;
  r.key_schema = del.key_schema;
  r.key = del.key;
  r.headers = del.headers;
  return r;
}

SourceRecord EventFactory::truncate(const Table& t, SourceInfo s, const Position& pos,
                                    Value transaction) const {
  SourceRecord r = change(t, 't', Value(), Value(), std::move(s), pos, std::move(transaction));
  r.key_schema = nullptr;
  r.key = Value();
  return r;
}

SourceRecord EventFactory::message(const std::string& prefix, Value content, SchemaPtr content_schema,
                                   SourceInfo s, const Position& pos) const {
  auto msg_schema = SchemaBuilder::structure()
                        .name("io.debezium.connector.postgresql.Message")
                        .version(1)
                        .field("prefix", schemas::optional_string())
                        .field("content", content_schema)
                        .build();
  auto value_schema = SchemaBuilder::structure()
                          .name("io.debezium.connector.postgresql.MessageValue")
                          .version(1)
                          .field("op", schemas::string())
                          .field("ts_ms", opt_int64())
                          .field("source", source_schema_)
                          .field("message", msg_schema)
                          .build();
  SourceRecord r;
  r.source_partition = partition_;
  r.source_offset = offset(pos);
  r.topic = prefix_ + ".message";
  r.key_schema = message_key_schema_;
  Struct k(message_key_schema_);
  k.put(size_t{0}, Value::string(prefix));
  r.key = Value::structure(std::move(k));
  Struct m(msg_schema);
  m.put(size_t{0}, Value::string(prefix)).put(size_t{1}, std::move(content));
  Struct v(value_schema);
  v.put(size_t{0}, Value::string("m"))
      .put(size_t{1}, Value::int64(now_us() / 1000))
      .put(size_t{2}, source(std::move(s)))
      .put(size_t{3}, Value::structure(std::move(m)));
  r.value_schema = value_schema;
  r.value = Value::structure(std::move(v));
  return r;
}

SourceRecord EventFactory::heartbeat(const Position& pos) const {
  SourceRecord r;
  r.source_partition = partition_;
  r.source_offset = offset(pos);
  r.topic = heartbeat_topic_;
  r.kafka_partition = 0;
  r.key_schema = heartbeat_key_schema_;
  Struct k(heartbeat_key_schema_);
  k.put(size_t{0}, Value::string(prefix_));
  r.key = Value::structure(std::move(k));
  r.value_schema = heartbeat_value_schema_;
  Struct v(heartbeat_value_schema_);
  v.put(size_t{0}, Value::int64(now_us() / 1000));
  r.value = Value::structure(std::move(v));
  return r;
}

Value EventFactory::transaction_block(const std::string& id, int64_t total_order,
                                      int64_t collection_order) const {
  Struct b(transaction_block_schema());
  b.put(size_t{0}, Value::string(id))
      .put(size_t{1}, Value::int64(total_order))
      .put(size_t{2}, Value::int64(collection_order));
  return Value::structure(std::move(b));
}

SourceRecord EventFactory::transaction_event(
    bool begin, const std::string& id, int64_t ts_ms,
    const std::vector<std::pair<std::string, int64_t>>& collections, const Position& pos) const {
  SourceRecord r;
  r.source_partition = partition_;
  r.source_offset = offset(pos);
  r.topic = prefix_ + ".transaction";
  r.key_schema = tx_key_schema_;
  Struct k(tx_key_schema_);
  k.put(size_t{0}, Value::string(id));
  r.key = Value::structure(std::move(k));
  r.value_schema = tx_value_schema_;
  Struct v(tx_value_schema_);
  v.put(size_t{0}, Value::string(begin ? "BEGIN" : "END")).put(size_t{1}, Value::string(id));
  if (!begin) {
    int64_t total = 0;
    Array list;
    for (auto& [name, n] : collections) {
      Struct c(tx_collection_schema_);
      c.put(size_t{0}, Value::string(name)).put(size_t{1}, Value::int64(n));
      list.push_back(Value::structure(std::move(c)));
      total += n;
    }
    v.put(size_t{2}, Value::int64(total)).put(size_t{3}, Value::array(std::move(list)));
  }
  v.put(size_t{4}, Value::int64(ts_ms));
  r.value = Value::structure(std::move(v));
  return r;
}

}  // namespace sluice::postgres
