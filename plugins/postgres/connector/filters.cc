#include "plugins/postgres/connector/filters.h"

#include <stdexcept>

namespace sluice::postgres {

namespace {
std::string trim(std::string s) {
  auto b = s.find_first_not_of(" \t");
  auto e = s.find_last_not_of(" \t");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

api::JavaPatternPtr compile(const std::string& pattern, const std::string& key) {
  std::string error;
  auto re = api::compile_java_regex(pattern, error, api::kRegexCaseInsensitive);
  if (!re) throw std::invalid_argument(key + ": " + error);
  return re;
}

// "<table regex>:<col>,<col>;<table regex>:<col>"
std::vector<std::pair<api::JavaPatternPtr, std::vector<std::string>>> parse_key_columns(
    const std::string& spec) {
  std::vector<std::pair<api::JavaPatternPtr, std::vector<std::string>>> out;
  size_t start = 0;
  while (start < spec.size()) {
    size_t end = spec.find(';', start);
    if (end == std::string::npos) end = spec.size();
    std::string part = trim(spec.substr(start, end - start));
    start = end + 1;
    if (part.empty()) continue;
    size_t colon = part.rfind(':');
    if (colon == std::string::npos)
      throw std::invalid_argument("message.key.columns entry '" + part +
                                  "' must look like <table regex>:<column>[,<column>...]");
    std::vector<std::string> cols;
    std::string list = part.substr(colon + 1);
    size_t s = 0;
    while (s <= list.size()) {
      size_t e = list.find(',', s);
      if (e == std::string::npos) e = list.size();
      auto col = trim(list.substr(s, e - s));
      if (!col.empty()) cols.push_back(col);
      s = e + 1;
    }
    out.emplace_back(compile(trim(part.substr(0, colon)), "message.key.columns"), cols);
  }
  return out;
}

}  // namespace

std::optional<std::string> check_regex_list(const std::string& key, const std::string& value) {
  try {
    RegexList(api::config_value::split_list(value), key);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return std::nullopt;
}

std::optional<std::string> check_message_key_columns(const std::string& value) {
  try {
    parse_key_columns(value);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return std::nullopt;
}

RegexList::RegexList(const std::vector<std::string>& patterns, const std::string& key) {
  for (auto& p : patterns) {
    auto t = trim(p);
    if (!t.empty()) res_.push_back(compile(t, key));
  }
}

bool RegexList::matches(const std::string& name) const {
  for (auto& re : res_)
    if (re->matches(name)) return true;
  return false;
}

Filters::Filters(const PgConfig& c)
    : schema_in_(c.schema_include, "schema.include.list"), schema_ex_(c.schema_exclude, "schema.exclude.list"),
      table_in_(c.table_include, "table.include.list"), table_ex_(c.table_exclude, "table.exclude.list"),
      column_in_(c.column_include, "column.include.list"), column_ex_(c.column_exclude, "column.exclude.list"),
      msg_in_(c.message_prefix_include, "message.prefix.include.list"),
      msg_ex_(c.message_prefix_exclude, "message.prefix.exclude.list"),
      key_columns_(parse_key_columns(c.message_key_columns)) {
  for (auto& [re, n] : c.column_masks)
    masks_.emplace_back(RegexList({re}, "column.mask.with." + std::to_string(n) + ".chars"), n);
}

bool Filters::table(const std::string& schema, const std::string& table) const {
  if (schema == "pg_catalog" || schema == "information_schema" || schema.rfind("pg_", 0) == 0)
    return false;
  if (!schema_in_.empty() && !schema_in_.matches(schema)) return false;
  if (schema_ex_.matches(schema)) return false;
  std::string fq = schema + "." + table;
  if (!table_in_.empty() && !table_in_.matches(fq)) return false;
  return !table_ex_.matches(fq);
}

bool Filters::column(const std::string& schema, const std::string& table,
                     const std::string& column) const {
  std::string fq = schema + "." + table + "." + column;
  if (!column_in_.empty() && !column_in_.matches(fq)) return false;
  return !column_ex_.matches(fq);
}

bool Filters::message_prefix(const std::string& prefix) const {
  if (!msg_in_.empty() && !msg_in_.matches(prefix)) return false;
  return !msg_ex_.matches(prefix);
}

int Filters::mask(const std::string& schema, const std::string& table,
                  const std::string& column) const {
  std::string fq = schema + "." + table + "." + column;
  for (auto& [re, n] : masks_)
    if (re.matches(fq)) return n;
  return -1;
}

std::vector<std::string> Filters::key_columns(const std::string& schema,
                                              const std::string& table) const {
  std::string fq = schema + "." + table;
  for (auto& [re, cols] : key_columns_)
    if (re->matches(fq)) return cols;
  return {};
}

}  // namespace sluice::postgres
