#pragma once
// Which schemas, tables and columns are captured: Debezium's include/exclude lists, comma
// separated regular expressions matched case-insensitively against the whole name
// ("schema", "schema.table", "schema.table.column"). std::regex (ECMAScript) stands in for
// Java's regex: the same for the names and patterns users write (letters, '.', '\.', '.*',
// classes, alternation); Java-only constructs (possessive quantifiers, \p{..}) are rejected
// by validation.

#include <regex>
#include <string>
#include <vector>

#include "plugins/postgres/connector/config.h"

namespace sluice::postgres {

class RegexList {
 public:
  RegexList() = default;
  explicit RegexList(const std::vector<std::string>& patterns);
  bool empty() const { return res_.empty(); }
  bool matches(const std::string& name) const;

 private:
  std::vector<std::regex> res_;
};

class Filters {
 public:
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
  std::vector<std::pair<std::regex, std::vector<std::string>>> key_columns_;
};

}  // namespace sluice::postgres
