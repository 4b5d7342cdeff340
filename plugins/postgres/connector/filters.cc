#include "plugins/postgres/connector/filters.h"

#include <stdexcept>

namespace sluice::postgres {

namespace {
std::string trim(std::string s) {
  auto b = s.find_first_not_of(" \t");
  auto e = s.find_last_not_of(" \t");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}
}  // namespace

RegexList::RegexList(const std::vector<std::string>& patterns) {
  for (auto& p : patterns) {
    auto t = trim(p);
    if (!t.empty()) res_.emplace_back(t, std::regex::ECMAScript | std::regex::icase);
  }
}

bool RegexList::matches(const std::string& name) const {
  for (auto& re : res_)
    if (std::regex_match(name, re)) return true;
  return false;
}

Filters::Filters(const PgConfig& c)
    : schema_in_(c.schema_include), schema_ex_(c.schema_exclude), table_in_(c.table_include),
      table_ex_(c.table_exclude), column_in_(c.column_include), column_ex_(c.column_exclude),
      msg_in_(c.message_prefix_include), msg_ex_(c.message_prefix_exclude) {
  for (auto& [re, n] : c.column_masks) masks_.emplace_back(RegexList({re}), n);
  // "<table regex>:<col>,<col>;<table regex>:<col>"
  std::string spec = c.message_key_columns;
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
    key_columns_.emplace_back(std::regex(trim(part.substr(0, colon)), std::regex::icase), cols);
  }
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
    if (std::regex_match(fq, re)) return cols;
  return {};
}

}  // namespace sluice::postgres
