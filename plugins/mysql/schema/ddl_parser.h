// A DDL parser for the statements that change a MySQL/MariaDB catalog, applied to a Schemas.
//
// Input: the text of a binlog QUERY event or SHOW CREATE TABLE / SHOW CREATE DATABASE output,
// in MySQL 5.7/8.x and MariaDB 10.x/11.x dialects. Comments (/* */, --, #) are skipped;
// versioned comments /*!50100 ... */ and MariaDB's /*M!100100 ... */ are read as code.
//
// What each statement does to the catalog:
// - CREATE TABLE [IF NOT EXISTS] t (...) options [partitions]: a new table (IF NOT EXISTS on an
//   existing table: no change, kind None). Partition clauses are skipped.
// - CREATE TABLE t LIKE s: a copy of s (error if s is unknown).
// - CREATE TABLE t [(...)] [AS] SELECT ...: the explicitly listed columns only; the columns the
//   SELECT adds cannot be known from the text, so the table is marked by an error unless an
//   explicit column list is given (the connector then reads SHOW CREATE TABLE).
// - ALTER TABLE: ADD/DROP/MODIFY/CHANGE/RENAME COLUMN (FIRST/AFTER), ALTER COLUMN SET/DROP
//   DEFAULT, ADD/DROP PRIMARY KEY, RENAME [TO|AS], CONVERT TO CHARACTER SET, [DEFAULT] CHARSET,
//   COMMENT, several specs separated by commas; index, constraint, ALGORITHM/LOCK, partition,
//   ENGINE and other options change nothing.
// - DROP TABLE [IF EXISTS] a, b (TEMPORARY: ignored), RENAME TABLE a TO b, c TO d, TRUNCATE.
// - CREATE/DROP/ALTER DATABASE|SCHEMA.
// - Everything else (DML, BEGIN, GRANT, CREATE INDEX, CREATE VIEW/PROCEDURE/TRIGGER, SET, USE,
//   FLUSH, SAVEPOINT, ...) is `ignored`, as are TEMPORARY tables.
// Identifiers: `back`-quoted (with `` escapes), "double"-quoted (ANSI_QUOTES) or bare; database
// and table names compare case-sensitively unless Schemas::lower_case_table_names() says not.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "plugins/mysql/schema/result.h"
#include "plugins/mysql/schema/schema_model.h"

namespace sluice::mysql {

struct DdlChange {
  enum class Kind { Create, Alter, Drop, Truncate, Rename, CreateDatabase, DropDatabase,
                    AlterDatabase, None };
  Kind kind = Kind::None;
  TableId id;                    // databases: catalog = the database, table empty
  std::optional<TableId> old_id;  // Rename (and ALTER ... RENAME TO): the id before
};

std::string_view ddl_kind_name(DdlChange::Kind k);  // "CREATE", "ALTER", ...

struct DdlResult {
  std::vector<DdlChange> changes;
  // Not schema-relevant (GRANT, CREATE INDEX on a non-PK, BEGIN, DML, ...): nothing changed.
  bool ignored = false;
};

// Applies one statement to `schemas`. `default_db` is the QUERY event's database (may be
// empty). Never throws; an error names the statement (shortened) and the position, and leaves
// `schemas` unchanged. Errors also for a statement about a table the catalog lacks (ALTER of
// an unknown table), so the connector can decide to read it from the server.
Result<DdlResult> apply_ddl(std::string_view sql, std::string_view default_db, Schemas& schemas);

// Splits a QUERY text holding several statements (`a; b;`), respecting quotes and comments.
std::vector<std::string_view> split_statements(std::string_view sql);

}  // namespace sluice::mysql
