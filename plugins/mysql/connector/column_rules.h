#pragma once
// Debezium's per-column options (spec/debezium.md §1.2, §1.3, §4.1): column.include/exclude.list,
// the column mappers column.truncate.to.<n>.chars, column.mask.with.<n>.chars,
// column.propagate.source.type, datatype.propagate.source.type, column.mask.hash[.v2].<alg>.with.salt.<salt>,
// and message.key.columns. Patterns are Java regexes (the host's engine, plugins/api/regex.h)
// matched, whole and case-insensitively, against `db.table.column` (datatypes: `db.table.TYPE`).
//
// As Debezium 2.7 (ColumnMappers, TableSchemaBuilder): a column gets at most ONE mapper, the
// first rule that matches in this order: truncate, mask, propagate by column, propagate by
// datatype, hash v1, hash v2. The mapper runs on the converted value (also on null) and
// changes the value schema only; keys are never mapped.

#include <optional>
#include <string>
#include <vector>

#include "plugins/api/data.h"
#include "plugins/api/regex.h"
#include "plugins/mysql/connector/options.h"
#include "plugins/mysql/schema/schema_model.h"

namespace sluice::mysql::cdc {

// Each pattern compiled with the host's Java regex engine, case-insensitively (Debezium's
// Pattern.CASE_INSENSITIVE). Throws std::invalid_argument naming `key` and the engine's
// message for a bad pattern.
std::vector<sluice::api::JavaPatternPtr> compile_java_regexes(const std::vector<std::string>& patterns,
                                                              const std::string& key);
// Whether one of the patterns matches the whole of `s`.
bool any_matches(const std::vector<sluice::api::JavaPatternPtr>& patterns, const std::string& s);

// One value column's mapper.
struct ColumnEdit {
  enum class Kind { kNone, kTruncate, kMask, kPropagate, kHash };
  Kind kind = Kind::kNone;
  bool changes_values = false;  // false: the schema parameter only (Debezium's passthrough)
  int n = 0;                    // truncate: max length; mask: number of '*'
  std::string algorithm, salt;  // hash: Java MessageDigest name, salt text
  bool hash_v2 = false;         // v2: digest of salt + UTF-8 text; v1: + Java-serialized String
  int cut = 0;                  // hash: > 0 cuts the hex to the column length
  bool active() const { return changes_values; }
};

class ColumnRules {
 public:
  // Throws std::invalid_argument naming the key of a bad pattern or hash algorithm.
  explicit ColumnRules(const Options& o);

  bool included(const std::string& db, const std::string& table, const std::string& column) const;
  ColumnEdit mapper(const std::string& db, const std::string& table, const sluice::mysql::Column& c) const;
  // message.key.columns: the matching columns' indexes in table order; empty = use the PK.
  std::vector<size_t> key_columns(const sluice::mysql::Table& t) const;

  // The value schema a mapper gives (masked=true, truncateLength=<n>); propagation is done by
  // map_column. `schema` is a primitive column schema.
  static sluice::api::SchemaPtr alter_schema(const ColumnEdit& e, const sluice::api::SchemaPtr& schema);
  static sluice::api::Value apply(const ColumnEdit& e, sluice::api::Value v);

 private:
  using Patterns = std::vector<sluice::api::JavaPatternPtr>;
  struct Rule {
    ColumnEdit::Kind kind;
    Patterns patterns;
    int n = 0;
    std::string algorithm, salt;
    bool v2 = false;
  };
  static Patterns compile(const std::vector<std::string>& patterns, const std::string& key);
  static bool any(const Patterns& ps, const std::string& s);
  Patterns include_, exclude_, key_;
  std::vector<Rule> rules_;
};

// Java's String.substring(0, n) on UTF-8 text: n counts UTF-16 units; a surrogate pair that
// would be split is left out whole.
std::string truncate_utf16(const std::string& s, size_t n);
// Java's String.length() of UTF-8 text.
size_t utf16_length(const std::string& s);
// What ObjectOutputStream.writeObject(String) writes (stream header, TC_STRING, modified UTF-8).
std::string java_serialized_string(const std::string& utf8);
// Lowercase hex of the digest `algorithm` (a Java MessageDigest name such as SHA-256) over
// salt + data; throws std::invalid_argument for an unknown algorithm.
std::string hex_digest(const std::string& algorithm, const std::string& salt, const std::string& data);

}  // namespace sluice::mysql::cdc
