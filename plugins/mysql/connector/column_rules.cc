#include "plugins/mysql/connector/column_rules.h"

#include <stdexcept>

namespace sluice::mysql::cdc {

using sluice::api::Value;

namespace {

// Debezium's MaskStrings / TruncateStrings act on character columns only (JDBC CHAR, VARCHAR,
// LONGVARCHAR, CLOB and the N* variants); other columns pass through.
bool is_character(const sluice::mysql::Column& c) {
  namespace jdbc = sluice::mysql::jdbc;
  switch (c.jdbc_type) {
    case jdbc::kChar: case jdbc::kVarChar: case jdbc::kLongVarChar: case jdbc::kClob:
    case jdbc::kNChar: case jdbc::kNVarChar:
      return true;
    default:
      return false;
  }
}

}  // namespace

ColumnRules::Patterns ColumnRules::compile(const std::vector<std::string>& patterns, const std::string& key) {
  Patterns out;
  for (auto& p : patterns) {
    try {
      out.emplace_back(p, std::regex::ECMAScript | std::regex::icase);
    } catch (const std::regex_error& e) {
      throw std::invalid_argument(key + ": \"" + p + "\" is not a valid regular expression: " + e.what());
    }
  }
  return out;
}

bool ColumnRules::any(const Patterns& ps, const std::string& s) {
  for (auto& r : ps)
    if (std::regex_match(s, r)) return true;
  return false;
}

ColumnRules::ColumnRules(const Options& o)
    : include_(compile(o.column_include, "column.include.list")),
      exclude_(compile(o.column_exclude, "column.exclude.list")),
      propagate_columns_(compile(o.propagate_columns, "column.propagate.source.type")),
      propagate_types_(compile(o.propagate_datatypes, "datatype.propagate.source.type")) {
  for (auto& [n, ps] : o.mask_columns)
    mask_.emplace_back(n, compile(ps, "column.mask.with." + std::to_string(n) + ".chars"));
  for (auto& [n, ps] : o.truncate_columns)
    truncate_.emplace_back(n, compile(ps, "column.truncate.to." + std::to_string(n) + ".chars"));
  // "<table regex>:<col>,<col>;<table regex>:<col>" -> one pattern "<table regex>.<col>" per
  // column, as Debezium's CustomKeyMapper builds them.
  std::vector<std::string> key_patterns;
  std::string spec = o.message_key_columns;
  size_t start = 0;
  while (start <= spec.size() && !spec.empty()) {
    size_t end = spec.find(';', start);
    std::string entry = spec.substr(start, end == std::string::npos ? std::string::npos : end - start);
    start = end == std::string::npos ? spec.size() + 1 : end + 1;
    size_t first = entry.find_first_not_of(" \t"), last = entry.find_last_not_of(" \t");
    if (first == std::string::npos) continue;
    entry = entry.substr(first, last - first + 1);  // Debezium trims each pattern
    size_t colon = entry.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 >= entry.size())
      throw std::invalid_argument("message.key.columns: \"" + entry +
                                  "\" must look like <db>.<table>:<column>[,<column>...]");
    std::string table = entry.substr(0, colon);
    for (auto& col : sluice::api::config_value::split_list(entry.substr(colon + 1)))
      key_patterns.push_back(table + "." + col);
  }
  key_ = compile(key_patterns, "message.key.columns");
}

bool ColumnRules::included(const std::string& db, const std::string& table, const std::string& column) const {
  std::string full = db + "." + table + "." + column;
  if (!include_.empty()) return any(include_, full);
  return !any(exclude_, full);
}

bool ColumnRules::propagate(const std::string& db, const std::string& table,
                            const sluice::mysql::Column& c) const {
  std::string prefix = db + "." + table + ".";
  return any(propagate_columns_, prefix + c.name) || any(propagate_types_, prefix + c.type_name);
}

ColumnEdit ColumnRules::edit(const std::string& db, const std::string& table, const sluice::mysql::Column& c) const {
  ColumnEdit e;
  if (!is_character(c)) return e;
  std::string full = db + "." + table + "." + c.name;
  for (auto& [n, ps] : mask_)
    if (any(ps, full)) { e.mask = n; break; }
  for (auto& [n, ps] : truncate_)
    if (any(ps, full)) { e.truncate = n; break; }
  return e;
}

std::vector<size_t> ColumnRules::key_columns(const sluice::mysql::Table& t) const {
  std::vector<size_t> out;
  if (key_.empty()) return out;
  std::string prefix = t.id.catalog + "." + t.id.table + ".";
  for (size_t i = 0; i < t.columns.size(); ++i)
    if (any(key_, prefix + t.columns[i].name)) out.push_back(i);
  return out;
}

Value ColumnRules::apply(const ColumnEdit& e, Value v) {
  if (v.kind() != Value::Kind::String) return v;
  if (e.truncate >= 0) v = Value::string(truncate_utf16(v.as_string(), static_cast<size_t>(e.truncate)));
  if (e.mask >= 0) v = Value::string(std::string(static_cast<size_t>(e.mask), '*'));
  return v;
}

std::string truncate_utf16(const std::string& s, size_t n) {
  size_t units = 0, i = 0;
  while (i < s.size()) {
    unsigned char b = static_cast<unsigned char>(s[i]);
    size_t len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 1;
    size_t u = len == 4 ? 2 : 1;
    if (units + u > n) break;
    units += u;
    i += len;
  }
  return s.substr(0, std::min(i, s.size()));
}

}  // namespace sluice::mysql::cdc
