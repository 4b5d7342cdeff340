// TABLE_MAP events: the column layout of a table as the server describes it before each
// rows event, with all optional metadata (binlog_row_metadata=FULL), and the caller-supplied
// schema used where the binlog says nothing (signedness, charset, names, ENUM/SET labels,
// MariaDB UUID/INET types that travel as binary strings).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "plugins/mysql/binlog/bytes.h"

namespace sluice::mysql {

// What a column's value means beyond its binlog type, when only the schema knows.
enum class LogicalType : uint8_t {
  kDefault,   // the binlog type says it all
  kUuid,      // MariaDB UUID: BINARY(16)
  kInet4,     // MariaDB INET4: BINARY(4)
  kInet6,     // MariaDB INET6: BINARY(16)
  kJsonText,  // MariaDB JSON: LONGTEXT holding JSON text
  kBoolean,   // BOOL / BOOLEAN (TINYINT(1)) as declared
};

// One column of a table as the connector tracks it from DDL. Every field is optional:
// std::nullopt / 0 / empty means "not known".
struct ColumnSchema {
  std::string name;
  std::optional<bool> is_unsigned;
  uint16_t collation = 0;  // collation id (63 = binary)
  std::vector<std::string> enum_values;
  std::vector<std::string> set_values;
  LogicalType logical = LogicalType::kDefault;
  // Fractional second precision, needed only for MariaDB's pre-10.1.2 TIME(n)/DATETIME(n)/
  // TIMESTAMP(n) (mysql56_temporal_format=OFF): their binlog type (TIME, DATETIME, TIMESTAMP)
  // carries no precision, yet their size depends on it.
  std::optional<uint8_t> fsp;
};

struct TableSchema {
  std::vector<ColumnSchema> columns;
};

// One column of a TABLE_MAP. Views point into the TableMap's own copy of the event body.
struct ColumnDef {
  uint8_t type = 0;       // binlog type; STRING columns carry their real type in `real_type`
  uint8_t real_type = 0;  // ENUM/SET/STRING for type STRING; == type otherwise
  uint16_t meta = 0;      // type metadata as the server packs it (see column_meta_size)
  uint32_t length = 0;    // STRING/VARCHAR max bytes, ENUM/SET pack length, BLOB length bytes
  bool nullable = true;
  // From optional metadata; nullopt/0/empty when absent.
  std::optional<bool> is_unsigned;
  uint16_t collation = 0;
  std::string_view name;
  std::vector<std::string> labels;  // ENUM or SET values, in definition order
  bool has_labels = false;
  std::optional<uint32_t> geometry_type;
  std::optional<bool> visible;
  std::optional<uint32_t> vector_dimensions;
};

// Views point into `raw`, so a TableMap moves but does not copy.
struct TableMap {
  TableMap() = default;
  TableMap(TableMap&&) = default;
  TableMap& operator=(TableMap&&) = default;
  TableMap(const TableMap&) = delete;
  TableMap& operator=(const TableMap&) = delete;

  uint64_t table_id = 0;
  uint16_t flags = 0;
  std::string_view database;
  std::string_view table;
  std::vector<ColumnDef> columns;
  std::vector<uint32_t> primary_key;           // column indexes in key order
  std::vector<uint32_t> primary_key_prefixes;  // prefix length per key column (0 = whole)
  bool has_optional_metadata = false;
  std::vector<uint8_t> raw;  // the event body the views point into
};

// Parses a TABLE_MAP body (after the common header, without checksum). `id_len` is 4 for
// old servers (post-header length 6) and 6 otherwise. The map is filled in place, reusing
// its storage.
Status parse_table_map(const uint8_t* body, size_t size, size_t id_len, TableMap& out);

// Bytes of type metadata the TABLE_MAP stores for a column of this type; -1 if unknown.
int column_meta_size(uint8_t type);

// Table maps by table id. A TABLE_MAP whose bytes equal the cached one is not parsed again.
class TableMapCache {
 public:
  // Parses and stores; returns the cached map through `out`.
  Status update(const uint8_t* body, size_t size, size_t id_len, const TableMap** out);
  const TableMap* find(uint64_t table_id) const;
  void clear() { maps_.clear(); }
  size_t size() const { return maps_.size(); }

 private:
  std::unordered_map<uint64_t, TableMap> maps_;
  TableMap scratch_;
};

}  // namespace sluice::mysql
