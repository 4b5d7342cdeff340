// The tracked MySQL/MariaDB catalog: databases, tables and columns as DDL describes them, with
// exactly the column facts Debezium's schema history (tableChanges) carries plus what the
// binlog decoder and the type mapper need.
//
// Tables are immutable once stored and shared (`std::shared_ptr<const Table>`): copying a
// Schemas copies pointers, and a changed table is a new object, so a caller may cache derived
// data (Connect schemas, a TableSchema for the decoder) per table pointer.
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice::mysql {

struct TableId {
  std::string catalog;  // the database
  std::string table;

  // Debezium's form in tableChanges ids and history: "db"."t" (double quotes; a `"` inside a
  // name is doubled).
  std::string to_string() const;
  // db.t as Debezium names the table in topics and include lists.
  std::string dotted() const { return catalog + "." + table; }
  // Accepts "db"."t" and db.t (no dots in the names then).
  static std::optional<TableId> parse(std::string_view s);

  auto operator<=>(const TableId&) const = default;
  bool operator==(const TableId&) const = default;
};

// java.sql.Types, as Debezium's jdbcType.
namespace jdbc {
inline constexpr int32_t kBit = -7, kTinyInt = -6, kSmallInt = 5, kInteger = 4, kBigInt = -5,
                         kFloat = 6, kReal = 7, kDouble = 8, kNumeric = 2, kDecimal = 3,
                         kChar = 1, kVarChar = 12, kLongVarChar = -1, kDate = 91, kTime = 92,
                         kTimestamp = 93, kBinary = -2, kVarBinary = -3, kLongVarBinary = -4,
                         kOther = 1111, kBlob = 2004, kClob = 2005, kBoolean = 16, kNChar = -15,
                         kNVarChar = -9, kTimestampWithTimezone = 2014, kStruct = 2002;
}  // namespace jdbc

// What a column is, for the decoder cross-check and the value mapping. Synonyms are folded
// (INTEGER -> kInt, NUMERIC/DEC/FIXED -> kDecimal, REAL -> kDouble unless REAL_AS_FLOAT...);
// `Column::type_name` keeps what Debezium prints.
enum class ColumnKind : uint8_t {
  kUnknown,
  kTinyInt, kSmallInt, kMediumInt, kInt, kBigInt,
  kBoolean,  // BOOL/BOOLEAN as written (a TINYINT(1) on the server)
  kDecimal, kFloat, kDouble,
  kBit,
  kYear, kDate, kTime, kDateTime, kTimestamp,
  kChar, kVarChar, kTinyText, kText, kMediumText, kLongText,
  kBinary, kVarBinary, kTinyBlob, kBlob, kMediumBlob, kLongBlob,
  kEnum, kSet,
  kJson,
  kGeometry, kPoint, kLineString, kPolygon, kMultiPoint, kMultiLineString, kMultiPolygon,
  kGeometryCollection,
  kUuid, kInet4, kInet6,  // MariaDB
  kVector,                // MySQL 9
};

std::string_view column_kind_name(ColumnKind k);

struct Column {
  // --- Debezium's tableChanges column fields, in its JSON order ---
  std::string name;
  int32_t jdbc_type = jdbc::kOther;
  std::optional<int32_t> native_type;          // Debezium's MySQL parser never sets it
  std::string type_name;                       // "INT UNSIGNED", "VARCHAR", "ENUM", ...
  std::string type_expression;                 // Debezium's typeExpression (== type_name here)
  std::optional<std::string> charset_name;     // string columns: own or the table's charset
  std::optional<int32_t> length;               // declared size / precision
  std::optional<int32_t> scale;                // declared scale / fsp
  int32_t position = 0;                        // 1-based
  bool optional = true;
  bool auto_incremented = false;
  bool generated = false;
  std::optional<std::string> comment;
  bool has_default_value = false;
  std::optional<std::string> default_value_expression;  // Debezium's: literal text, quotes
                                                        // removed, escapes kept as written
  std::vector<std::string> enum_values;        // ENUM/SET literals as Debezium keeps them:
                                               // quotes included ("'a'")

  // --- what the decoder and the mapper need ---
  ColumnKind kind = ColumnKind::kUnknown;
  std::vector<std::string> labels;             // ENUM/SET labels, unquoted and unescaped
  std::optional<std::string> table_charset;    // the table's default (Debezium's
                                               // charsetNameOfTable, not serialized)
  bool is_unsigned = false;
  bool zerofill = false;
  std::optional<uint8_t> fsp;                  // TIME/DATETIME/TIMESTAMP fractional digits
  std::optional<std::string> collation;        // explicit COLLATE, else derived, else none
  bool default_is_expression = false;          // DEFAULT (expr) / CURRENT_TIMESTAMP / NOW()
  bool on_update_current_timestamp = false;
  bool invisible = false;
  bool generated_stored = false;               // GENERATED ... STORED / PERSISTENT
  std::string generation_expression;           // the AS (...) text

  bool is_string() const;   // CHAR..LONGTEXT, ENUM, SET (have a charset)
  bool is_binary() const;   // BINARY..LONGBLOB
  bool is_spatial() const;  // kGeometry..kGeometryCollection
  // The charset values of this column are stored in: its own, else the table's; empty for
  // non-string columns.
  std::string effective_charset() const;
};

struct Table {
  TableId id;
  std::vector<Column> columns;                      // in position order
  std::vector<std::string> primary_key_columns;     // key order
  std::optional<std::string> default_charset;       // DEFAULT CHARSET= (or the database's)
  std::optional<std::string> default_collation;
  std::optional<std::string> comment;
  std::vector<std::pair<std::string, std::string>> attributes;  // Debezium's, usually empty

  // Column names are case-insensitive in MySQL.
  const Column* column(std::string_view name) const;
  int column_index(std::string_view name) const;  // -1 if absent
  bool is_primary_key(std::string_view name) const;
};

struct Database {
  std::string name;
  std::optional<std::string> default_charset;
  std::optional<std::string> default_collation;
};

// The whole catalog. Copies are cheap (tables are shared, copy-on-write).
class Schemas {
 public:
  // lower_case_table_names != 0 makes database and table names case-insensitive (stored and
  // looked up lower-cased), as the server does. Set it before adding anything.
  void set_lower_case_table_names(int v) { lower_case_table_names_ = v; }
  int lower_case_table_names() const { return lower_case_table_names_; }
  // character_set_server / collation_server: the default of CREATE DATABASE without a charset.
  void set_server_charset(std::string charset, std::string collation = {});
  const std::string& server_charset() const { return server_charset_; }
  const std::string& server_collation() const { return server_collation_; }
  // Keep table and column COMMENTs (Debezium's include.schema.comments, default false: the
  // history then carries null comments).
  void set_include_comments(bool v) { include_comments_ = v; }
  bool include_comments() const { return include_comments_; }

  std::shared_ptr<const Table> find(std::string_view db, std::string_view table) const;
  std::shared_ptr<const Table> find(const TableId& id) const { return find(id.catalog, id.table); }
  void put(Table table);  // replaces a table of the same id
  void put(std::shared_ptr<const Table> table);
  bool remove(const TableId& id);
  size_t table_count() const { return tables_.size(); }
  std::vector<TableId> table_ids() const;  // sorted
  std::vector<TableId> table_ids(std::string_view db) const;

  const Database* database(std::string_view name) const;
  void put_database(Database db);
  // Removes the database and its tables; returns the ids of the removed tables.
  std::vector<TableId> remove_database(std::string_view name);
  std::vector<std::string> database_names() const;  // sorted

  // The name as stored (lower-cased when lower_case_table_names != 0).
  std::string normalize(std::string_view name) const;

  // Incremented by every change; equal counters mean equal content for copies of one object.
  uint64_t version() const { return version_; }

  // Changes made after begin_changes() are undone by rollback_changes() (apply_ddl and
  // apply_history_record use this to leave the catalog as it was when a text fails, without
  // copying it). commit_changes() keeps them. Not nested.
  void begin_changes();
  void commit_changes();
  void rollback_changes();

 private:
  // Tables by (database, table); looked up with string views, without building a key.
  using KeyView = std::pair<std::string_view, std::string_view>;
  struct KeyLess {
    using is_transparent = void;
    static KeyView view(const std::pair<std::string, std::string>& k) { return {k.first, k.second}; }
    static KeyView view(const KeyView& k) { return k; }
    template <class A, class B>
    bool operator()(const A& a, const B& b) const { return view(a) < view(b); }
  };
  std::map<std::pair<std::string, std::string>, std::shared_ptr<const Table>, KeyLess> tables_;
  std::map<std::string, Database, std::less<>> databases_;
  int lower_case_table_names_ = 0;
  std::string server_charset_ = "utf8mb4";
  std::string server_collation_;
  uint64_t version_ = 0;
  bool include_comments_ = false;

  // What a change replaced, while recording (see begin_changes).
  struct Undo {
    enum class Kind : uint8_t { kTable, kDatabase, kServer } kind;
    std::pair<std::string, std::string> table_key;
    std::shared_ptr<const Table> table;  // nullptr: there was none
    std::string db_name;
    std::optional<Database> database;
    std::string charset, collation;
  };
  void remember_table(const std::pair<std::string, std::string>& key);
  void remember_database(const std::string& name);
  std::vector<Undo> undo_;
  bool recording_ = false;
  uint64_t undo_version_ = 0;
};

}  // namespace sluice::mysql
