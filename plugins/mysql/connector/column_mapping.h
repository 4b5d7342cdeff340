#pragma once
// Debezium 2.7's MySQL column mapping (spec/debezium.md §4.1): the Connect schema of a column,
// and its value from a binlog cell (streaming) or from the text protocol (snapshot).

#include <string>
#include <string_view>

#include "plugins/api/data.h"
#include "plugins/mysql/binlog/values.h"
#include "plugins/mysql/connector/options.h"
#include "plugins/mysql/connector/table_info.h"

namespace sluice::mysql::cdc {

// False for types the connector does not map (spatial types, VECTOR): Debezium drops such a
// column from the schema with a warning.
bool is_mapped(const ColumnInfo& c);

// The column's field schema, `default` included (converted as values are).
sluice::api::SchemaPtr column_schema(const ColumnInfo& c, const Options& o);

// A null cell in a NOT NULL column becomes the schema default, else the type's zero value.
sluice::api::Value from_cell(const ColumnInfo& c, const sluice::mysql::CellView& cell, const Options& o,
                             const sluice::api::Schema& schema);
// `data` null: SQL NULL.
sluice::api::Value from_text(const ColumnInfo& c, const char* data, size_t len, const Options& o,
                             const sluice::api::Schema& schema);

// Connect Decimal bytes (Java BigInteger.toByteArray) of a plain decimal text such as "-12.50";
// the scale is the text's. Empty on malformed input.
std::string decimal_text_to_unscaled(std::string_view text);

}  // namespace sluice::mysql::cdc
