#include "plugins/mysql/connector/records.h"

#include <algorithm>
#include <chrono>
#include <stdexcept>

#include "plugins/mysql/schema/table_check.h"

namespace sluice::mysql::cdc {

using namespace sluice::api;

namespace {

SchemaPtr opt(Type t) { return schemas::of(t, true); }

SchemaPtr make_source_schema(const Options& o) {
  SchemaPtr snapshot = SchemaBuilder(Type::String).optional().name("io.debezium.data.Enum").version(1)
                           .parameter("allowed", "true,last,false,incremental")
                           .default_value(Value::string("false")).build();
  std::string name = o.flavor == "mariadb" ? "io.debezium.connector.mariadb.Source"
                                           : "io.debezium.connector.mysql.Source";
  return SchemaBuilder::structure()
      .name(name)
      .field("version", schemas::string())
      .field("connector", schemas::string())
      .field("name", schemas::string())
      .field("ts_ms", schemas::int64())
      .field("snapshot", snapshot)
      .field("db", schemas::string())
      .field("sequence", opt(Type::String))
      .field("ts_us", opt(Type::Int64))
      .field("ts_ns", opt(Type::Int64))
      .field("table", opt(Type::String))
      .field("server_id", schemas::int64())
      .field("gtid", opt(Type::String))
      .field("file", schemas::string())
      .field("pos", schemas::int64())
      .field("row", schemas::int32())
      .field("thread", opt(Type::Int64))
      .field("query", opt(Type::String))
      .build();
}

SchemaPtr make_transaction_schema() {
  return SchemaBuilder::structure()
      .optional()
      .name("event.block")
      .version(1)
      .field("id", schemas::string())
      .field("total_order", schemas::int64())
      .field("data_collection_order", schemas::int64())
      .build();
}

std::string sanitize_topic(std::string t) {
  for (char& c : t)
    if (!isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') c = '_';
  if (t.size() > 249) t.resize(249);
  return t;
}

int64_t now_micros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

OffsetMap to_offset(const BinlogPosition& p) {
  OffsetMap m;
  m.emplace_back("ts_sec", Value::int64(p.ts_sec));
  m.emplace_back("file", Value::string(p.file));
  m.emplace_back("pos", Value::int64(static_cast<int64_t>(p.pos)));
  if (!p.gtids.empty()) m.emplace_back("gtids", Value::string(p.gtids));
  if (p.event) m.emplace_back("event", Value::int64(p.event));
  if (p.row) m.emplace_back("row", Value::int64(p.row));
  if (p.server_id) m.emplace_back("server_id", Value::int64(p.server_id));
  if (p.snapshot) m.emplace_back("snapshot", Value::boolean(true));
  return m;
}

std::optional<BinlogPosition> from_offset(const OffsetMap& offset) {
  BinlogPosition p;
  bool has_file = false, snapshot_completed = false;
  for (auto& [k, v] : offset) {
    int64_t n = 0;
    if (k == "file" && v.kind() == Value::Kind::String) { p.file = v.as_string(); has_file = true; }
    else if (k == "pos" && v.get_integer(n)) p.pos = static_cast<uint64_t>(n);
    else if (k == "event" && v.get_integer(n)) p.event = n;
    else if (k == "row" && v.get_integer(n)) p.row = n;
    else if (k == "server_id" && v.get_integer(n)) p.server_id = static_cast<uint32_t>(n);
    else if (k == "ts_sec" && v.get_integer(n)) p.ts_sec = n;
    else if (k == "gtids" && v.kind() == Value::Kind::String) p.gtids = v.as_string();
    else if (k == "snapshot") p.snapshot = v.kind() == Value::Kind::Boolean ? v.as_bool()
                                         : v.kind() == Value::Kind::String && v.as_string() == "true";
    else if (k == "snapshot_completed" && v.kind() == Value::Kind::Boolean) snapshot_completed = v.as_bool();
  }
  if (!has_file) return std::nullopt;
  if (snapshot_completed) p.snapshot = false;
  return p;
}

namespace {
sluice::mysql::MappingOptions mapping_of(const Options& o) {
  sluice::mysql::MappingOptions m;
  m.decimal = o.decimal_mode == DecimalMode::kDouble   ? sluice::mysql::DecimalHandling::kDouble
              : o.decimal_mode == DecimalMode::kString ? sluice::mysql::DecimalHandling::kString
                                                       : sluice::mysql::DecimalHandling::kPrecise;
  m.time = o.time_connect ? sluice::mysql::TimePrecision::kConnect
                          : sluice::mysql::TimePrecision::kAdaptiveTimeMicroseconds;
  m.bigint_unsigned = o.bigint_precise ? sluice::mysql::BigintUnsignedHandling::kPrecise
                                       : sluice::mysql::BigintUnsignedHandling::kLong;
  m.binary = o.binary_mode == BinaryMode::kBase64          ? sluice::mysql::BinaryHandling::kBase64
             : o.binary_mode == BinaryMode::kBase64UrlSafe ? sluice::mysql::BinaryHandling::kBase64UrlSafe
             : o.binary_mode == BinaryMode::kHex           ? sluice::mysql::BinaryHandling::kHex
                                                           : sluice::mysql::BinaryHandling::kBytes;
  return m;
}
}  // namespace

RecordBuilder::RecordBuilder(const Options& o)
    : o_(o), rules_(o), mapping_(mapping_of(o)), source_(make_source_schema(o)), transaction_(make_transaction_schema()),
      partition_(std::make_shared<const OffsetMap>(OffsetMap{{"server", Value::string(o.topic_prefix)}})) {
  heartbeat_key_ = SchemaBuilder::structure().name("io.debezium.connector.common.ServerNameKey").version(1)
                       .field("serverName", schemas::string()).build();
  heartbeat_value_ = SchemaBuilder::structure().name("io.debezium.connector.common.Heartbeat").version(1)
                         .field("ts_ms", schemas::int64()).build();
  tx_key_ = SchemaBuilder::structure().name("io.debezium.connector.common.TransactionMetadataKey").version(1)
                .field("id", schemas::string()).build();
  tx_collection_ = SchemaBuilder::structure().name("event.collection").version(1)
                       .field("data_collection", schemas::string())
                       .field("event_count", schemas::int64()).optional().build();  // optional, as Debezium's
  tx_value_ = SchemaBuilder::structure().name("io.debezium.connector.common.TransactionMetadataValue").version(1)
                  .field("status", schemas::string())
                  .field("id", schemas::string())
                  .field("event_count", opt(Type::Int64))
                  .field("data_collections", SchemaBuilder::array(tx_collection_).optional().build())
                  .field("ts_ms", schemas::int64())
                  .build();
}

std::string RecordBuilder::topic_for(const std::string& db, const std::string& table) const {
  return sanitize_topic(o_.topic_prefix + "." + db + "." + table);
}

TableSchemasPtr RecordBuilder::schemas(std::shared_ptr<const sluice::mysql::Table> table,
                                       std::vector<std::string>& warnings) const {
  auto t = std::make_shared<TableSchemas>();
  t->topic = topic_for(table->id.catalog, table->id.table);
  t->binlog_schema = sluice::mysql::to_binlog_schema(*table);
  const std::string& db = table->id.catalog;
  const std::string& name = table->id.table;
  SchemaBuilder row = SchemaBuilder::structure();
  row.optional().name(t->topic + ".Value");
  std::vector<sluice::api::SchemaPtr> plain;  // per column: the schema without propagated parameters
  for (size_t i = 0; i < table->columns.size(); ++i) {
    const auto& c = table->columns[i];
    auto options = mapping_;
    ColumnEdit edit = rules_.mapper(db, name, c);
    options.propagate_source_type = edit.kind == ColumnEdit::Kind::kPropagate;
    auto m = sluice::mysql::map_column(c, options);
    if (!m.ok()) {
      warnings.push_back("column " + table->id.dotted() + "." + c.name + ": " + m.error());
      sluice::mysql::ColumnMapping none;
      none.column = c;
      t->mappings.push_back(std::move(none));
      plain.push_back(nullptr);
      continue;
    }
    plain.push_back(m->schema);
    if (options.propagate_source_type && m->schema) {
      // Mappers change value schemas only (spec/debezium.md §4.1): the key keeps the plain one.
      auto p = sluice::mysql::map_column(c, mapping_);
      if (p.ok()) plain.back() = p->schema;
    }
    if (!m->schema) {
      warnings.push_back("column " + table->id.dotted() + "." + c.name + " of type " + c.type_name +
                         " has no converter and is left out, as Debezium does");
    } else if (rules_.included(db, name, c.name)) {
      t->value_columns.push_back(i);
      t->value_edits.push_back(edit);
      row.field(c.name, ColumnRules::alter_schema(edit, m->schema));
    }
    t->mappings.push_back(std::move(*m));
  }
  t->value = row.build();
  std::vector<size_t> key_columns = rules_.key_columns(*table);
  if (key_columns.empty())
    for (const auto& pk : table->primary_key_columns)
      if (int i = table->column_index(pk); i >= 0) key_columns.push_back(static_cast<size_t>(i));
  SchemaBuilder key = SchemaBuilder::structure();
  key.name(t->topic + ".Key");
  for (size_t i : key_columns) {
    if (!plain[i]) continue;
    t->key_columns.push_back(i);
    key.field(table->columns[i].name, plain[i]);
  }
  if (!t->key_columns.empty()) t->key = key.build();
  t->envelope = SchemaBuilder::structure()
                    .name(t->topic + ".Envelope")
                    .version(2)
                    .field("before", t->value)
                    .field("after", t->value)
                    .field("source", source_)
                    .field("transaction", transaction_)
                    .field("op", schemas::string())
                    .field("ts_ms", opt(Type::Int64))
                    .field("ts_us", opt(Type::Int64))
                    .field("ts_ns", opt(Type::Int64))
                    .build();
  t->table = std::move(table);
  return t;
}

Value RecordBuilder::source(const SourceFields& f) const {
  Struct s(source_);
  s.put(size_t{0}, Value::string(kDebeziumVersion));
  s.put(1, Value::string(o_.flavor));
  s.put(2, Value::string(o_.topic_prefix));
  s.put(3, Value::int64(f.ts_ms));
  if (f.snapshot) s.put(4, Value::string(f.snapshot));
  s.put(5, Value::string(f.db));
  s.put(7, Value::int64(f.ts_ms * 1000));
  s.put(8, Value::int64(f.ts_ms * 1000000));
  s.put(9, Value::string(f.table));
  s.put(10, Value::int64(f.server_id));
  if (f.gtid) s.put(11, Value::string(*f.gtid));
  s.put(12, Value::string(f.file));
  s.put(13, Value::int64(static_cast<int64_t>(f.pos)));
  s.put(14, Value::int32(f.row));
  if (f.thread) s.put(15, Value::int64(*f.thread));
  if (f.query) s.put(16, Value::string(*f.query));
  return Value::structure(std::move(s));
}

Value RecordBuilder::row(const TableSchemas& t, std::vector<Value> values) const {
  Struct s(t.value);
  for (size_t i = 0; i < values.size(); ++i) {
    if (i < t.value_edits.size() && t.value_edits[i].active())
      s.put(i, ColumnRules::apply(t.value_edits[i], std::move(values[i])));
    else
      s.put(i, std::move(values[i]));
  }
  return Value::structure(std::move(s));
}

Value RecordBuilder::key(const TableSchemas& t, const std::vector<Value>& full_row) const {
  if (!t.key) return Value();
  Struct s(t.key);
  for (size_t i = 0; i < t.key_columns.size(); ++i) s.put(i, full_row[t.key_columns[i]]);
  return Value::structure(std::move(s));
}

Value RecordBuilder::transaction_block(const std::string& id, int64_t total_order, int64_t collection_order) const {
  Struct s(transaction_);
  s.put(size_t{0}, Value::string(id));
  s.put(1, Value::int64(total_order));
  s.put(2, Value::int64(collection_order));
  return Value::structure(std::move(s));
}

namespace {

// Java's String.hashCode over UTF-16 code units of UTF-8 `s`.
int32_t java_string_hash(const std::string& s) {
  uint32_t h = 0;
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    uint32_t cp = c;
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    if (len > 1 && i + len <= s.size()) {
      cp = c & (0xFF >> (len + 1));
      for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    } else {
      len = 1;
    }
    i += len;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      h = 31 * h + (0xD800 + (cp >> 10));
      h = 31 * h + (0xDC00 + (cp & 0x3FF));
    } else {
      h = 31 * h + cp;
    }
  }
  return static_cast<int32_t>(h);
}

// The order in which Debezium's END record lists data_collections: it iterates a java.util.HashMap
// (TransactionContext's per-table counts), i.e. by bucket (hash ^ hash >>> 16) & (capacity - 1),
// then insertion order within a bucket; capacity 16, doubled while size > 0.75 * capacity.
// Checked side by side: tests/integration/mysql_side_by_side_test.py.
std::vector<std::pair<std::string, int64_t>> java_hash_map_order(std::vector<std::pair<std::string, int64_t>> in) {
  uint32_t cap = 16;
  while (in.size() > cap * 3 / 4) cap *= 2;
  auto bucket = [cap](const std::string& s) {
    auto h = static_cast<uint32_t>(java_string_hash(s));
    return (h ^ (h >> 16)) & (cap - 1);
  };
  std::stable_sort(in.begin(), in.end(), [&](const auto& a, const auto& b) { return bucket(a.first) < bucket(b.first); });
  return in;
}

}  // namespace

SourceRecord RecordBuilder::transaction_event(bool begin, const std::string& id, int64_t ts_ms,
                                              const std::vector<std::pair<std::string, int64_t>>& collections,
                                              OffsetMap offset) const {
  SourceRecord r;
  r.source_partition = partition_;
  r.source_offset = std::move(offset);
  r.topic = o_.topic_prefix + ".transaction";
  r.key_schema = tx_key_;
  Struct k(tx_key_);
  k.put(size_t{0}, Value::string(id));
  r.key = Value::structure(std::move(k));
  r.value_schema = tx_value_;
  Struct v(tx_value_);
  v.put("status", Value::string(begin ? "BEGIN" : "END"));
  v.put("id", Value::string(id));
  if (!begin) {
    int64_t total = 0;
    Array list;
    for (auto& [name, n] : java_hash_map_order(collections)) {
      Struct c(tx_collection_);
      c.put(size_t{0}, Value::string(name));
      c.put(1, Value::int64(n));
      list.push_back(Value::structure(std::move(c)));
      total += n;
    }
    v.put("event_count", Value::int64(total));
    v.put("data_collections", Value::array(std::move(list)));
  }
  v.put("ts_ms", Value::int64(ts_ms));
  r.value = Value::structure(std::move(v));
  return r;
}

SourceRecord RecordBuilder::change(const TableSchemas& t, char op, Value key, Value before, Value after,
                                   Value source, OffsetMap offset, Value transaction) const {
  SourceRecord r;
  r.source_partition = partition_;
  r.source_offset = std::move(offset);
  r.topic = t.topic;
  r.key_schema = t.key;
  r.key = std::move(key);
  r.value_schema = t.envelope;
  Struct e(t.envelope);
  e.put(size_t{0}, std::move(before));
  e.put(1, std::move(after));
  e.put(2, std::move(source));
  e.put(3, std::move(transaction));
  e.put(4, Value::string(std::string(1, op)));
  int64_t us = now_micros();
  e.put(5, Value::int64(us / 1000));
  e.put(6, Value::int64(us));
  e.put(7, Value::int64(us * 1000));
  r.value = Value::structure(std::move(e));
  return r;
}

SourceRecord RecordBuilder::heartbeat(OffsetMap offset, int64_t now_ms) const {
  SourceRecord r;
  r.source_partition = partition_;
  r.source_offset = std::move(offset);
  r.topic = o_.heartbeat_topic_prefix + "." + o_.topic_prefix;
  r.kafka_partition = 0;
  r.key_schema = heartbeat_key_;
  Struct k(heartbeat_key_);
  k.put(size_t{0}, Value::string(o_.topic_prefix));
  r.key = Value::structure(std::move(k));
  r.value_schema = heartbeat_value_;
  Struct v(heartbeat_value_);
  v.put(size_t{0}, Value::int64(now_ms));
  r.value = Value::structure(std::move(v));
  return r;
}

SourceRecord RecordBuilder::tombstone(const SourceRecord& deleted) const {
  SourceRecord r;
  r.source_partition = deleted.source_partition;
  r.source_offset = deleted.source_offset;
  r.topic = deleted.topic;
  r.key_schema = deleted.key_schema;
  r.key = deleted.key;
  r.headers = deleted.headers;
  return r;
}

}  // namespace sluice::mysql::cdc
