// The tracked schema against the server's TABLE_MAP: the connector never decodes a row with a
// schema that does not fit it.
#pragma once

#include <cstdint>
#include <optional>

#include "plugins/mysql/binlog/bytes.h"
#include "plugins/mysql/binlog/table_map.h"
#include "plugins/mysql/schema/schema_model.h"

namespace sluice::mysql {

// Checks column count and each column's binlog type always; names, signedness, charsets,
// ENUM/SET labels and the primary key when the map carries them (binlog_row_metadata=FULL).
// The message names the table and every difference found (first few).
Status check_table_map(const TableMap& map, const Table& table);

// The binlog column type(s) a column of this kind may travel as (several for temporal types:
// TIME/TIME2, DATETIME/DATETIME2, TIMESTAMP/TIMESTAMP2; JSON is LONGTEXT (BLOB) on MariaDB).
bool binlog_type_fits(const Column& column, uint8_t binlog_type, uint8_t real_type);

// What the decoder needs from DDL (names, signedness, collation ids, labels, MariaDB logical
// types, legacy fsp), for RowIterator::reset.
TableSchema to_binlog_schema(const Table& table);

// Collation id of a charset's default collation or of a named collation (utf8mb4 -> 45 on
// MariaDB / 255 on MySQL 8 is not decidable here: the MariaDB ids are used, and ids only matter
// for binary (63) vs text). nullopt if unknown.
std::optional<uint16_t> collation_id(std::string_view charset, std::string_view collation);

}  // namespace sluice::mysql
