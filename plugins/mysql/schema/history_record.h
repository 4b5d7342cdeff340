// Debezium's schema history record (the JSON value of each record in
// schema.history.internal.kafka.topic or the FileSchemaHistory file), written byte-compatible
// with Debezium 2.7 and read back from either Debezium's or ours.
//
//   {"source":{"server":"p"},"position":{...offset...},"ts_ms":1,"databaseName":"db",
//    "ddl":"CREATE TABLE ...","tableChanges":[{"type":"CREATE","id":"\"db\".\"t\"",
//    "table":{"defaultCharsetName":"utf8mb4","primaryKeyColumnNames":["id"],
//    "columns":[{...}],"attributes":[]},"comment":null}]}
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plugins/api/record.h"
#include "plugins/mysql/schema/ddl_parser.h"
#include "plugins/mysql/schema/result.h"
#include "plugins/mysql/schema/schema_model.h"

namespace sluice::mysql {

struct TableChange {
  enum class Type { Create, Alter, Drop };
  Type type = Type::Create;
  TableId id;
  std::optional<TableId> previous_id;  // a rename
  std::shared_ptr<const Table> table;  // the table after the change (before it, for Drop)
};

struct HistoryRecord {
  api::OffsetMap source;    // the source partition: {"server": topic.prefix}
  api::OffsetMap position;  // the offset at this statement
  int64_t ts_ms = 0;
  std::optional<std::string> database_name;
  std::optional<std::string> schema_name;  // MySQL: never set
  std::optional<std::string> ddl;
  std::vector<TableChange> table_changes;
};

// The JSON text, keys in Debezium's order, as Debezium 2.7's DocumentWriter prints it (compact).
std::string write_history_record(const HistoryRecord& record);

// Parses a record written by Debezium (any 2.x) or by write_history_record.
Result<HistoryRecord> parse_history_record(std::string_view json);

// Rebuilds the catalog: applies the tableChanges when present, else the ddl text (with
// databaseName as the default database). A record with neither changes nothing.
Result<void> apply_history_record(std::string_view json, Schemas& schemas);
Result<void> apply_history_record(const HistoryRecord& record, Schemas& schemas);

// The tableChanges Debezium writes for a statement: from the DdlResult of apply_ddl and the
// catalog before and after it (CREATE/ALTER carry the new table, DROP the old one; RENAME is
// an ALTER with previousId; TRUNCATE and database statements carry none).
std::vector<TableChange> table_changes_for(const DdlResult& result, const Schemas& before,
                                           const Schemas& after);

// Whether a record at `recorded` belongs to the schema at offset `desired` (both are the
// connector's offset maps: file, pos, event, row, gtids, server_id, ts_sec, snapshot), as
// Debezium's MySQL history comparator decides when it recovers: by GTID set containment when
// both have GTIDs (MySQL "uuid[:tag]:1-5,..." or MariaDB "domain-server-seq,..."; at an equal
// set by event and row, a streamed record being after a snapshot offset), else by binlog file,
// position, event and row on the same server, else by timestamp.
bool history_position_at_or_before(const api::OffsetMap& recorded, const api::OffsetMap& desired);

// One tableChanges entry's "table" document, and a column's (for tests and the schema-change
// topic's builder).
std::string table_json(const Table& table);
std::string column_json(const Column& column);

}  // namespace sluice::mysql
