#pragma once
// Debezium's per-column options (spec/debezium.md §1.2, §1.3, §4.1): column.include/exclude.list,
// column.mask.with.<n>.chars, column.truncate.to.<n>.chars, column.propagate.source.type,
// datatype.propagate.source.type and message.key.columns. Patterns are matched, whole and
// case-insensitively, against `db.table.column` (datatypes: `db.table.TYPE`), here with
// std::regex's ECMAScript dialect (Debezium uses java.util.regex; the usual patterns agree).

#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "plugins/api/data.h"
#include "plugins/mysql/connector/options.h"
#include "plugins/mysql/schema/schema_model.h"

namespace sluice::mysql::cdc {

// What happens to one value column's values.
struct ColumnEdit {
  int mask = -1;      // >= 0: a non-null value becomes this many '*'
  int truncate = -1;  // >= 0: a longer value is cut to this many UTF-16 units (Java's length)
  bool active() const { return mask >= 0 || truncate >= 0; }
};

class ColumnRules {
 public:
  // Throws std::invalid_argument naming the key of a bad pattern.
  explicit ColumnRules(const Options& o);

  bool included(const std::string& db, const std::string& table, const std::string& column) const;
  bool propagate(const std::string& db, const std::string& table, const sluice::mysql::Column& c) const;
  ColumnEdit edit(const std::string& db, const std::string& table, const sluice::mysql::Column& c) const;
  // message.key.columns: the matching columns' indexes in table order; empty = use the PK.
  std::vector<size_t> key_columns(const sluice::mysql::Table& t) const;

  static sluice::api::Value apply(const ColumnEdit& e, sluice::api::Value v);

 private:
  using Patterns = std::vector<std::regex>;
  static Patterns compile(const std::vector<std::string>& patterns, const std::string& key);
  static bool any(const Patterns& ps, const std::string& s);
  Patterns include_, exclude_, propagate_columns_, propagate_types_, key_;
  std::vector<std::pair<int, Patterns>> mask_, truncate_;
};

// Java's String.substring(0, n) on UTF-8 text: n counts UTF-16 units; a surrogate pair that
// would be split is left out whole.
std::string truncate_utf16(const std::string& s, size_t n);

}  // namespace sluice::mysql::cdc
