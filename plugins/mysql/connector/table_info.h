#pragma once
// The connector's own model of a captured table: what Debezium's column mapping needs, read
// from information_schema (the snapshot and a refresh after DDL).
//
// TODO(schema lib): plugins/mysql/schema (DDL parser, history records) is built by another
// engineer; until it lands, schemas come from information_schema only, which is exact when
// the connector is not behind the DDL it reads.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "plugins/mysql/binlog/table_map.h"

namespace sluice::mysql::cdc {

class DbClient;

struct ColumnInfo {
  std::string name;
  std::string data_type;    // lower case: int, varchar, decimal, enum, ...
  std::string column_type;  // full: "int(10) unsigned", "enum('a','b')"
  bool nullable = true;
  bool is_unsigned = false;
  int64_t length = 0;       // character/bit length where it applies
  int precision = 0, scale = 0, fsp = 0;
  std::vector<std::string> enum_values;   // ENUM/SET labels
  std::optional<std::string> default_expr;  // information_schema.COLUMN_DEFAULT (MariaDB: SQL text)
  uint16_t collation = 0;   // 63 for binary
  bool json = false;        // MariaDB JSON (LONGTEXT with json_valid)
};

struct TableInfo {
  std::string db, table;
  std::vector<ColumnInfo> columns;
  std::vector<size_t> key;  // primary key column indexes, in key order
  sluice::mysql::TableSchema binlog_schema;  // what the row decoder needs beyond the TABLE_MAP
};

using TableInfoPtr = std::shared_ptr<const TableInfo>;

// Loads one table; nullptr when it does not exist.
TableInfoPtr load_table(DbClient& db, const std::string& database, const std::string& table);

// Base tables of a database.
std::vector<std::string> list_tables(DbClient& db, const std::string& database);

// "enum('a','b''c')" -> {"a", "b'c"}.
std::vector<std::string> parse_enum_labels(const std::string& column_type);

}  // namespace sluice::mysql::cdc
