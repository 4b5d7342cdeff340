#include "plugins/mysql/schema/history_record.h"

#include <algorithm>
#include <exception>

#include "plugins/mysql/schema/ddl_cursor.h"
#include "plugins/mysql/schema/json.h"

namespace sluice::mysql {
namespace {

using json::append_string;

void append_opt_string(const std::optional<std::string>& s, std::string& out) {
  if (s) append_string(*s, out);
  else out += "null";
}

void append_bool(bool b, std::string& out) { out += b ? "true" : "false"; }

void append_value(const api::Value& v, std::string& out) {
  using K = api::Value::Kind;
  switch (v.kind()) {
    case K::Null: out += "null"; break;
    case K::Boolean: append_bool(v.as_bool(), out); break;
    case K::Int8: out += std::to_string(int(v.as_int8())); break;
    case K::Int16: out += std::to_string(v.as_int16()); break;
    case K::Int32: out += std::to_string(v.as_int32()); break;
    case K::Int64: out += std::to_string(v.as_int64()); break;
    case K::Float32: out += api::java_float_string(v.as_float32()); break;
    case K::Float64: out += api::java_double_string(v.as_float64()); break;
    case K::String: append_string(v.as_string(), out); break;
    default: out += "null"; break;  // offsets hold primitives only
  }
}

void append_map(const api::OffsetMap& m, std::string& out) {
  out += '{';
  bool first = true;
  for (const auto& [k, v] : m) {
    if (!first) out += ',';
    first = false;
    append_string(k, out);
    out += ':';
    append_value(v, out);
  }
  out += '}';
}

void append_column(const Column& c, std::string& out) {
  out += "{\"name\":";
  append_string(c.name, out);
  out += ",\"jdbcType\":" + std::to_string(c.jdbc_type);
  if (c.native_type) out += ",\"nativeType\":" + std::to_string(*c.native_type);
  out += ",\"typeName\":";
  append_string(c.type_name, out);
  out += ",\"typeExpression\":";
  append_string(c.type_expression, out);
  out += ",\"charsetName\":";
  append_opt_string(c.charset_name, out);
  if (c.length) out += ",\"length\":" + std::to_string(*c.length);
  if (c.scale) out += ",\"scale\":" + std::to_string(*c.scale);
  out += ",\"position\":" + std::to_string(c.position);
  out += ",\"optional\":";
  append_bool(c.optional, out);
  out += ",\"autoIncremented\":";
  append_bool(c.auto_incremented, out);
  out += ",\"generated\":";
  append_bool(c.generated, out);
  out += ",\"comment\":";
  append_opt_string(c.comment, out);
  out += ",\"hasDefaultValue\":";
  append_bool(c.has_default_value, out);
  if (c.default_value_expression) {
    out += ",\"defaultValueExpression\":";
    append_string(*c.default_value_expression, out);
  }
  out += ",\"enumValues\":[";
  for (size_t i = 0; i < c.enum_values.size(); ++i) {
    if (i) out += ',';
    append_string(c.enum_values[i], out);
  }
  out += "]}";
}

void append_table(const Table& t, std::string& out) {
  out += "{\"defaultCharsetName\":";
  append_opt_string(t.default_charset, out);
  out += ",\"primaryKeyColumnNames\":[";
  for (size_t i = 0; i < t.primary_key_columns.size(); ++i) {
    if (i) out += ',';
    append_string(t.primary_key_columns[i], out);
  }
  out += "],\"columns\":[";
  for (size_t i = 0; i < t.columns.size(); ++i) {
    if (i) out += ',';
    append_column(t.columns[i], out);
  }
  out += "],\"attributes\":[";
  for (size_t i = 0; i < t.attributes.size(); ++i) {
    if (i) out += ',';
    out += "{\"name\":";
    append_string(t.attributes[i].first, out);
    out += ",\"value\":";
    append_string(t.attributes[i].second, out);
    out += '}';
  }
  out += "]}";
}

std::string_view type_name(TableChange::Type t) {
  switch (t) {
    case TableChange::Type::Create: return "CREATE";
    case TableChange::Type::Alter: return "ALTER";
    case TableChange::Type::Drop: return "DROP";
  }
  return "ALTER";
}

void append_change(const TableChange& ch, std::string& out) {
  out += "{\"type\":\"";
  out += type_name(ch.type);
  out += "\",\"id\":";
  append_string(ch.id.to_string(), out);
  if (ch.previous_id) {
    out += ",\"previousId\":";
    append_string(ch.previous_id->to_string(), out);
  }
  // Debezium 2.7 writes no table for a DROP.
  if (ch.table && ch.type != TableChange::Type::Drop) {
    out += ",\"table\":";
    append_table(*ch.table, out);
    out += ",\"comment\":";
    append_opt_string(ch.table->comment, out);
  }
  out += '}';
}

// ---- reading --------------------------------------------------------------------------------

using JV = json::Value;
using JT = json::Value::Type;


std::optional<std::string> opt_string(const JV* v) {
  if (!v || v->type != JT::kString) return std::nullopt;
  return v->s;
}

std::optional<int32_t> opt_int(const JV* v) {
  if (!v || v->type != JT::kInt) return std::nullopt;
  return int32_t(v->i);
}

bool get_bool(const JV* v, bool dflt) { return v && v->type == JT::kBool ? v->b : dflt; }

Result<api::OffsetMap> read_map(const JV* v, std::string_view what) {
  api::OffsetMap m;
  if (!v || v->is_null()) return m;
  if (v->type != JT::kObject) return Error{"invalid schema history record: " + std::string(what) + " is not an object"};
  for (const auto& [k, x] : v->obj) {
    switch (x.type) {
      case JT::kNull: m.emplace_back(k, api::Value()); break;
      case JT::kBool: m.emplace_back(k, api::Value::boolean(x.b)); break;
      case JT::kInt: m.emplace_back(k, api::Value::int64(x.i)); break;
      case JT::kDouble: m.emplace_back(k, api::Value::float64(x.d)); break;
      case JT::kString: m.emplace_back(k, api::Value::string(x.s)); break;
      default:
        return Error{"invalid schema history record: " + std::string(what) + "." + k + " is not a primitive"};
    }
  }
  return m;
}

Result<Column> read_column(const JV& v, const std::optional<std::string>& table_charset) {
  if (v.type != JT::kObject) return Error{"invalid schema history record: a column is not an object"};
  Column c;
  auto name = opt_string(v.get("name"));
  auto type = opt_string(v.get("typeName"));
  auto jdbc_type = opt_int(v.get("jdbcType"));
  if (!name || !type || !jdbc_type) {
    return Error{"invalid schema history record: a column lacks name, typeName or jdbcType"};
  }
  c.name = *name;
  c.jdbc_type = *jdbc_type;
  c.native_type = opt_int(v.get("nativeType"));
  c.type_name = *type;
  c.type_expression = opt_string(v.get("typeExpression")).value_or(*type);
  c.charset_name = opt_string(v.get("charsetName"));
  c.length = opt_int(v.get("length"));
  c.scale = opt_int(v.get("scale"));
  c.position = opt_int(v.get("position")).value_or(0);
  c.optional = get_bool(v.get("optional"), true);
  c.auto_incremented = get_bool(v.get("autoIncremented"), false);
  c.generated = get_bool(v.get("generated"), false);
  c.comment = opt_string(v.get("comment"));
  c.default_value_expression = opt_string(v.get("defaultValueExpression"));
  c.has_default_value = get_bool(v.get("hasDefaultValue"), c.default_value_expression.has_value());
  if (const JV* e = v.get("enumValues"); e && e->type == JT::kArray) {
    for (const auto& x : e->arr)
      if (x.type == JT::kString) c.enum_values.push_back(x.s);
  }
  std::string error;
  if (!ddl::resolve_type_name(c.type_name, c.enum_values, c, error)) {
    return Error{"invalid schema history record: column " + c.name + ": " + error};
  }
  switch (c.kind) {
    case ColumnKind::kTime:
    case ColumnKind::kDateTime:
    case ColumnKind::kTimestamp:
      if (c.length) c.fsp = uint8_t(std::clamp(*c.length, 0, 6));
      break;
    case ColumnKind::kFloat:
      if (c.length && !c.scale && *c.length > 24) c.kind = ColumnKind::kDouble;
      break;
    default:
      break;
  }
  c.table_charset = table_charset;
  return c;
}

Result<std::shared_ptr<const Table>> read_table(const JV& v, const TableId& id) {
  if (v.type != JT::kObject) return Error{"invalid schema history record: table of " + id.to_string() + " is not an object"};
  auto t = std::make_shared<Table>();
  t->id = id;
  t->default_charset = opt_string(v.get("defaultCharsetName"));
  t->comment = opt_string(v.get("comment"));
  if (const JV* pk = v.get("primaryKeyColumnNames"); pk && pk->type == JT::kArray) {
    for (const auto& x : pk->arr)
      if (x.type == JT::kString) t->primary_key_columns.push_back(x.s);
  }
  const JV* cols = v.get("columns");
  if (!cols || cols->type != JT::kArray) return Error{"invalid schema history record: table " + id.to_string() + " has no columns"};
  for (const auto& x : cols->arr) {
    auto c = read_column(x, t->default_charset);
    if (!c.ok()) return Error{c.error() + " (table " + id.to_string() + ")"};
    t->columns.push_back(std::move(*c));
  }
  std::stable_sort(t->columns.begin(), t->columns.end(),
                   [](const Column& a, const Column& b) { return a.position < b.position; });
  if (const JV* attrs = v.get("attributes"); attrs && attrs->type == JT::kArray) {
    for (const auto& a : attrs->arr) {
      auto n = opt_string(a.get("name"));
      auto val = opt_string(a.get("value"));
      if (n) t->attributes.emplace_back(*n, val.value_or(""));
    }
  }
  return std::shared_ptr<const Table>(std::move(t));
}

Result<TableId> read_id(const JV* v, std::string_view what) {
  auto s = opt_string(v);
  if (!s) return Error{"invalid schema history record: a table change lacks " + std::string(what)};
  auto id = TableId::parse(*s);
  if (!id) return Error{"invalid schema history record: bad table id " + *s};
  return *id;
}

Result<TableChange> read_change(const JV& v) {
  if (v.type != JT::kObject) return Error{"invalid schema history record: a table change is not an object"};
  TableChange ch;
  auto type = opt_string(v.get("type"));
  if (type == "CREATE") ch.type = TableChange::Type::Create;
  else if (type == "ALTER") ch.type = TableChange::Type::Alter;
  else if (type == "DROP") ch.type = TableChange::Type::Drop;
  else return Error{"invalid schema history record: unknown table change type " + type.value_or("(none)")};
  auto id = read_id(v.get("id"), "an id");
  if (!id.ok()) return Error{id.error()};
  ch.id = *id;
  if (const JV* p = v.get("previousId"); p && !p->is_null()) {
    auto prev = read_id(p, "previousId");
    if (!prev.ok()) return Error{prev.error()};
    ch.previous_id = *prev;
  }
  if (ch.type != TableChange::Type::Drop) {
    const JV* t = v.get("table");
    if (!t) return Error{"invalid schema history record: " + std::string(*type) + " of " + ch.id.to_string() + " without a table"};
    auto table = read_table(*t, ch.id);
    if (!table.ok()) return Error{table.error()};
    ch.table = *table;
  }
  return ch;
}

}  // namespace

std::string column_json(const Column& column) {
  std::string out;
  append_column(column, out);
  return out;
}

std::string table_json(const Table& table) {
  std::string out;
  append_table(table, out);
  return out;
}

std::string write_history_record(const HistoryRecord& r) {
  std::string out;
  out.reserve(512);
  out += "{\"source\":";
  append_map(r.source, out);
  out += ",\"position\":";
  append_map(r.position, out);
  out += ",\"ts_ms\":" + std::to_string(r.ts_ms);
  if (r.database_name) {
    out += ",\"databaseName\":";
    append_string(*r.database_name, out);
  }
  if (r.schema_name) {
    out += ",\"schemaName\":";
    append_string(*r.schema_name, out);
  }
  if (r.ddl) {
    out += ",\"ddl\":";
    append_string(*r.ddl, out);
  }
  out += ",\"tableChanges\":[";
  for (size_t i = 0; i < r.table_changes.size(); ++i) {
    if (i) out += ',';
    append_change(r.table_changes[i], out);
  }
  out += "]}";
  return out;
}

Result<HistoryRecord> parse_history_record(std::string_view text) try {
  JV doc;
  std::string error;
  if (!json::parse(text, doc, error)) return Error{"invalid schema history record: " + error};
  if (doc.type != JT::kObject) return Error{"invalid schema history record: not a JSON object"};
  HistoryRecord r;
  auto source = read_map(doc.get("source"), "source");
  if (!source.ok()) return Error{source.error()};
  r.source = std::move(*source);
  auto position = read_map(doc.get("position"), "position");
  if (!position.ok()) return Error{position.error()};
  r.position = std::move(*position);
  if (const JV* ts = doc.get("ts_ms"); ts && ts->type == JT::kInt) r.ts_ms = ts->i;
  r.database_name = opt_string(doc.get("databaseName"));
  r.schema_name = opt_string(doc.get("schemaName"));
  r.ddl = opt_string(doc.get("ddl"));
  if (const JV* changes = doc.get("tableChanges"); changes && changes->type == JT::kArray) {
    for (const auto& c : changes->arr) {
      auto ch = read_change(c);
      if (!ch.ok()) return Error{ch.error()};
      r.table_changes.push_back(std::move(*ch));
    }
  }
  return r;
} catch (const std::exception& e) {
  return Error{std::string("invalid schema history record: ") + e.what()};
}

Result<void> apply_history_record(const HistoryRecord& r, Schemas& schemas) {
  if (!r.table_changes.empty()) {
    Schemas& work = schemas;  // the record was fully read: applying it cannot fail halfway
    for (const auto& ch : r.table_changes) {
      switch (ch.type) {
        case TableChange::Type::Create:
        case TableChange::Type::Alter:
          if (ch.previous_id && *ch.previous_id != ch.id) work.remove(*ch.previous_id);
          work.put(ch.table);
          break;
        case TableChange::Type::Drop:
          work.remove(ch.id);
          break;
      }
    }
    return {};
  }
  if (!r.ddl) return {};
  auto applied = apply_ddl(*r.ddl, r.database_name.value_or(""), schemas);
  if (!applied.ok()) return Error{applied.error()};
  return {};
}

Result<void> apply_history_record(std::string_view text, Schemas& schemas) {
  auto r = parse_history_record(text);
  if (!r.ok()) return Error{r.error()};
  return apply_history_record(*r, schemas);
}

std::vector<TableChange> table_changes_for(const DdlResult& result, const Schemas& before, const Schemas& after) {
  std::vector<TableChange> out;
  for (const auto& ch : result.changes) {
    TableChange tc;
    tc.id = ch.id;
    switch (ch.kind) {
      case DdlChange::Kind::Create:
        tc.type = TableChange::Type::Create;
        tc.table = after.find(ch.id);
        break;
      case DdlChange::Kind::Alter:
      case DdlChange::Kind::Rename:
        tc.type = TableChange::Type::Alter;
        tc.previous_id = ch.old_id;
        tc.table = after.find(ch.id);
        break;
      case DdlChange::Kind::Drop:
        tc.type = TableChange::Type::Drop;
        tc.table = before.find(ch.id);
        break;
      default:
        continue;
    }
    if (tc.type != TableChange::Type::Drop && !tc.table) continue;  // changed again later in the text
    out.push_back(std::move(tc));
  }
  return out;
}

}  // namespace sluice::mysql
