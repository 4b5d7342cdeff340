#include "plugins/mysql/connector/schema_change.h"

namespace sluice::mysql::cdc {

using namespace sluice::api;

namespace {

SchemaPtr opt(Type t) { return schemas::of(t, true); }
SchemaPtr strings_optional() { return SchemaBuilder::array(schemas::string()).optional().build(); }

template <class T>
Value opt_int(const std::optional<T>& v) { return v ? Value::int32(static_cast<int32_t>(*v)) : Value(); }
Value opt_str(const std::optional<std::string>& v) { return v ? Value::string(*v) : Value(); }

}  // namespace

SchemaChangeBuilder::SchemaChangeBuilder(std::string topic, SchemaPtr source_schema) : topic_(std::move(topic)) {
  // Debezium 2.7's MariaDbConnector names them io.debezium.connector.mariadb.SchemaChange*, as its
  // Source schema (checked side by side: tests/integration/mysql_side_by_side_test.py).
  const std::string ns = source_schema->name() == "io.debezium.connector.mariadb.Source" ? "io.debezium.connector.mariadb"
                                                                                            : "io.debezium.connector.mysql";
  key_ = SchemaBuilder::structure().name(ns + ".SchemaChangeKey").version(1)
             .field("databaseName", schemas::string()).build();
  column_ = SchemaBuilder::structure().name("io.debezium.connector.schema.Column").version(1)
                .field("name", schemas::string())
                .field("jdbcType", schemas::int32())
                .field("nativeType", opt(Type::Int32))
                .field("typeName", schemas::string())
                .field("typeExpression", opt(Type::String))
                .field("charsetName", opt(Type::String))
                .field("length", opt(Type::Int32))
                .field("scale", opt(Type::Int32))
                .field("position", schemas::int32())
                .field("optional", opt(Type::Boolean))
                .field("autoIncremented", opt(Type::Boolean))
                .field("generated", opt(Type::Boolean))
                .field("comment", opt(Type::String))
                .field("defaultValueExpression", opt(Type::String))
                .field("enumValues", strings_optional())
                .build();
  table_ = SchemaBuilder::structure().name("io.debezium.connector.schema.Table").version(1).optional()
               .field("defaultCharsetName", opt(Type::String))
               .field("primaryKeyColumnNames", strings_optional())
               .field("columns", SchemaBuilder::array(column_).build())
               .field("comment", opt(Type::String))
               .build();
  change_ = SchemaBuilder::structure().name("io.debezium.connector.schema.Change").version(1)
                .field("type", schemas::string())
                .field("id", schemas::string())
                .field("table", table_)
                .build();
  value_ = SchemaBuilder::structure().name(ns + ".SchemaChangeValue").version(1)
               .field("source", std::move(source_schema))
               .field("ts_ms", schemas::int64())
               .field("databaseName", opt(Type::String))
               .field("schemaName", opt(Type::String))
               .field("ddl", opt(Type::String))
               .field("tableChanges", SchemaBuilder::array(change_).build())
               .build();
}

Value SchemaChangeBuilder::table_value(const sluice::mysql::Table& t) const {
  Array columns;
  for (const auto& c : t.columns) {
    Struct s(column_);
    s.put("name", Value::string(c.name));
    s.put("jdbcType", Value::int32(c.jdbc_type));
    s.put("nativeType", opt_int(c.native_type));
    s.put("typeName", Value::string(c.type_name));
    s.put("typeExpression", Value::string(c.type_expression));
    s.put("charsetName", opt_str(c.charset_name));
    s.put("length", opt_int(c.length));
    s.put("scale", opt_int(c.scale));
    s.put("position", Value::int32(c.position));
    s.put("optional", Value::boolean(c.optional));
    s.put("autoIncremented", Value::boolean(c.auto_incremented));
    s.put("generated", Value::boolean(c.generated));
    s.put("comment", opt_str(c.comment));
    s.put("defaultValueExpression", opt_str(c.default_value_expression));
    if (!c.enum_values.empty()) {
      Array labels;
      for (auto& v : c.enum_values) labels.push_back(Value::string(v));
      s.put("enumValues", Value::array(std::move(labels)));
    }
    columns.push_back(Value::structure(std::move(s)));
  }
  Struct s(table_);
  s.put("defaultCharsetName", opt_str(t.default_charset));
  Array pk;
  for (auto& n : t.primary_key_columns) pk.push_back(Value::string(n));
  s.put("primaryKeyColumnNames", Value::array(std::move(pk)));
  s.put("columns", Value::array(std::move(columns)));
  s.put("comment", opt_str(t.comment));
  return Value::structure(std::move(s));
}

SourceRecord SchemaChangeBuilder::build(const std::string& database, const std::string& ddl,
                                        const std::vector<sluice::mysql::TableChange>& changes, int64_t ts_ms,
                                        Value source, OffsetMap offset,
                                        std::shared_ptr<const OffsetMap> partition) const {
  Array list;
  for (const auto& ch : changes) {
    Struct c(change_);
    c.put("type", Value::string(ch.type == sluice::mysql::TableChange::Type::Create  ? "CREATE"
                                : ch.type == sluice::mysql::TableChange::Type::Alter ? "ALTER"
                                                                                     : "DROP"));
    c.put("id", Value::string(ch.id.to_string()));
    if (ch.table) c.put("table", table_value(*ch.table));
    list.push_back(Value::structure(std::move(c)));
  }
  // Debezium's schema change events carry source.thread = null (the thread of a DML transaction's
  // BEGIN only), seen side by side with Debezium 2.7 on MariaDB.
  if (!source.is_null()) {
    Struct src = source.as_struct();
    if (src.get("thread")) src.put("thread", Value());
    source = Value::structure(std::move(src));
  }
  Struct v(value_);
  v.put("source", std::move(source));
  v.put("ts_ms", Value::int64(ts_ms));
  v.put("databaseName", Value::string(database));
  v.put("ddl", Value::string(ddl));
  v.put("tableChanges", Value::array(std::move(list)));
  Struct k(key_);
  k.put("databaseName", Value::string(database));
  SourceRecord r;
  r.source_partition = std::move(partition);
  r.source_offset = std::move(offset);
  r.topic = topic_;
  r.kafka_partition = 0;
  r.key_schema = key_;
  r.key = Value::structure(std::move(k));
  r.value_schema = value_;
  r.value = Value::structure(std::move(v));
  return r;
}

}  // namespace sluice::mysql::cdc
