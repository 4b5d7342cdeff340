#pragma once
// Which schemas, tables and columns are captured: Debezium's include/exclude lists, comma
// separated Java regular expressions (the host's engine, plugins/api/regex.h) matched
// case-insensitively (Pattern.CASE_INSENSITIVE) against the whole name ("schema",
// "schema.table", "schema.table.column").

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "plugins/api/regex.h"
#include "plugins/postgres/connector/config.h"

namespace sluice::postgres {

// Validators for the config: null, or "<key>: <the engine's message>" for the first bad pattern
// of a comma-separated list / of message.key.columns.
std::optional<std::string> check_regex_list(const std::string& key, const std::string& value);
std::optional<std::string> check_message_key_columns(const std::string& value);

class RegexList {
 public:
  RegexList() = default;
  // Throws std::invalid_argument naming `key` and the engine's message for a bad pattern.
  RegexList(const std::vector<std::string>& patterns, const std::string& key);
  bool empty() const { return res_.empty(); }
  bool matches(const std::string& name) const;

 private:
  std::vector<api::JavaPatternPtr> res_;
};

class Filters {
 public:
  // Throws std::invalid_argument naming the property of a bad pattern.
  explicit Filters(const PgConfig& config);
  bool table(const std::string& schema, const std::string& table) const;
  bool column(const std::string& schema, const std::string& table, const std::string& column) const;
  bool message_prefix(const std::string& prefix) const;
  // column.mask.with.N.chars: the number of '*' for a column, or -1.
  int mask(const std::string& schema, const std::string& table, const std::string& column) const;
  // message.key.columns for this table, or empty when the table's own key applies.
  std::vector<std::string> key_columns(const std::string& schema, const std::string& table) const;

 private:
  RegexList schema_in_, schema_ex_, table_in_, table_ex_, column_in_, column_ex_, msg_in_, msg_ex_;
  std::vector<std::pair<RegexList, int>> masks_;
  std::vector<std::pair<api::JavaPatternPtr, std::vector<std::string>>> key_columns_;
};

}  // namespace sluice::postgres
