#include "plugins/postgres/connector/table.h"

#include <algorithm>
#include <stdexcept>

#include "plugins/postgres/connector/filters.h"

namespace sluice::postgres {

using namespace api;

Table Table::build(uint32_t oid, std::string schema, std::string name,
                   const std::vector<CatalogColumn>& cols, const std::string& prefix,
                   const Filters& filters, const TypeCatalog& catalog,
                   const MappingOptions& options, std::vector<std::string>& skipped) {
  Table t;
  t.oid = oid;
  t.schema = std::move(schema);
  t.name = std::move(name);
  t.topic = prefix + "." + t.schema + "." + t.name;
  std::vector<std::string> key_names = filters.key_columns(t.schema, t.name);
  bool override_key = !key_names.empty();
  for (size_t i = 0; i < cols.size(); ++i) {
    auto mapped = map_column(cols[i].info, catalog, options);
    if (!mapped) {
      skipped.push_back(t.schema + "." + t.name + "." + cols[i].info.name + ": " + mapped.message());
      continue;
    }
    TableColumn c;
    c.name = cols[i].info.name;
    c.mapping = std::move(mapped.value());
    c.source_index = i;
    c.in_value = filters.column(t.schema, t.name, c.name);
    c.mask = filters.mask(t.schema, t.name, c.name);
    bool is_key = override_key ? std::find(key_names.begin(), key_names.end(), c.name) != key_names.end()
                               : cols[i].primary_key;
    if (is_key) t.key.push_back(t.columns.size());
    t.columns.push_back(std::move(c));
  }
  if (override_key) {  // message.key.columns order, as Debezium builds the key
    std::vector<size_t> ordered;
    for (auto& kn : key_names)
      for (size_t k : t.key)
        if (t.columns[k].name == kn) ordered.push_back(k);
    t.key = ordered;
  }
  auto row = SchemaBuilder::structure().name(t.topic + ".Value").optional();
  for (auto& c : t.columns)
    if (c.in_value) row.field(c.name, c.mapping.schema);
  t.row_schema = row.build();
  if (!t.key.empty()) {
    auto key = SchemaBuilder::structure().name(t.topic + ".Key");
    for (size_t k : t.key) key.field(t.columns[k].name, t.columns[k].mapping.schema);
    t.key_schema = key.build();
  }
  return t;
}

Value Table::convert(const TableColumn& c, std::string_view text) const {
  if (c.mask >= 0 && c.mapping.schema->type() == Type::String)
    return Value::string(std::string(static_cast<size_t>(c.mask), '*'));
  auto v = c.mapping.from_text(text);
  if (v) return std::move(v.value());
  if (v.error().kind == Error::Kind::Unrepresentable) return c.mapping.fallback();
  throw std::runtime_error("column " + schema + "." + name + "." + c.name + ": " + v.message());
}

Value Table::row_from_text(const std::vector<std::optional<std::string_view>>& cells) const {
  Struct s(row_schema);
  size_t field = 0;
  std::vector<Value> keyvals;
  for (auto& c : columns) {
    if (!c.in_value) continue;
    const auto& cell = cells.at(c.source_index);
    s.put(field++, cell ? convert(c, *cell) : c.mapping.fallback());
  }
  return Value::structure(std::move(s));
}

Value Table::row_from_tuple(const TupleData& tuple, const std::string& placeholder,
                            const Value* previous) const {
  Struct s(row_schema);
  size_t field = 0;
  for (auto& c : columns) {
    if (!c.in_value) continue;
    Value v;
    if (c.source_index >= tuple.columns.size()) {
      v = c.mapping.fallback();
    } else {
      auto& d = tuple.columns[c.source_index];
      switch (d.kind) {
        case TupleDatum::Kind::Null: v = c.mapping.fallback(); break;
        case TupleDatum::Kind::Unchanged:
          if (previous && !previous->is_null()) {
            v = previous->as_struct().get(field);
          } else {
            v = c.mapping.unavailable(placeholder);
          }
          break;
        case TupleDatum::Kind::Text: v = convert(c, d.bytes); break;
        case TupleDatum::Kind::Binary:
          throw std::runtime_error("binary pgoutput values are not requested, yet column " + c.name +
                                   " came in binary");
      }
    }
    s.put(field++, std::move(v));
  }
  return Value::structure(std::move(s));
}

Value Table::key_of(const Value& row) const {
  if (!key_schema || row.is_null()) return {};
  Struct k(key_schema);
  const Struct& r = row.as_struct();
  for (size_t i = 0; i < key.size(); ++i) {
    const auto& c = columns[key[i]];
    const Value* v = r.get(c.name);
    k.put(i, v ? *v : c.mapping.fallback());
  }
  return Value::structure(std::move(k));
}

}  // namespace sluice::postgres
