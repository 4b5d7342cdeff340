// Debezium 2.7's MySQL column -> Connect mapping (spec/debezium.md §4.0, §4.1): the field
// schema of each column (type, semantic name, parameters, optional, default) and its values,
// from binlog cells (streaming) and from text-protocol strings (snapshot SELECTs). Both paths
// give the same Value for the same stored data, except where Debezium itself differs (JSON:
// the binlog's compact rendering vs the server's text; TIMESTAMP fraction digits).
//
// Text protocol expectations (the snapshot connection must be set up so): character set
// utf8mb4 (string columns arrive as UTF-8), time_zone='+00:00' (TIMESTAMP text is UTC),
// BIT / BINARY / GEOMETRY columns arrive as their raw bytes.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "plugins/api/data.h"
#include "plugins/mysql/binlog/values.h"
#include "plugins/mysql/schema/result.h"
#include "plugins/mysql/schema/schema_model.h"

namespace sluice::mysql {

enum class DecimalHandling { kPrecise, kDouble, kString };
enum class TimePrecision { kAdaptiveTimeMicroseconds, kConnect };
enum class BigintUnsignedHandling { kLong, kPrecise };
enum class BinaryHandling { kBytes, kBase64, kBase64UrlSafe, kHex };

// Parse the config values ("precise", "adaptive_time_microseconds", "long", "base64-url-safe"
// ...), case-insensitively as Debezium; the error lists the accepted values.
Result<DecimalHandling> parse_decimal_handling(std::string_view s);
Result<TimePrecision> parse_time_precision(std::string_view s);
Result<BigintUnsignedHandling> parse_bigint_unsigned_handling(std::string_view s);
Result<BinaryHandling> parse_binary_handling(std::string_view s);

struct MappingOptions {
  DecimalHandling decimal = DecimalHandling::kPrecise;          // decimal.handling.mode
  TimePrecision time = TimePrecision::kAdaptiveTimeMicroseconds;  // time.precision.mode
  BigintUnsignedHandling bigint_unsigned = BigintUnsignedHandling::kLong;
  BinaryHandling binary = BinaryHandling::kBytes;                // binary.handling.mode
  // Debezium 2.7's MySQL connector has no converter for some types (e.g. VECTOR) and drops
  // such columns; with this set they map to bytes instead.
  bool include_unknown_datatypes = false;
  // column.propagate.source.type matched this column: add the __debezium.source.column.*
  // parameters (value schemas only; the caller decides per column).
  bool propagate_source_type = false;
  bool time_adjuster = true;  // enable.time.adjuster: YEAR 0-69 -> 20xx, 70-99 -> 19xx
};

// One column's mapping, made once per table version and reused for every row.
struct ColumnMapping {
  Column column;
  MappingOptions options;
  api::SchemaPtr schema;  // nullptr: the column has no converter and is left out
};

Result<ColumnMapping> map_column(const Column& column, const MappingOptions& options);

// A binlog cell of this column (cell.kind must not be kAbsent).
Result<api::Value> from_cell(const CellView& cell, const ColumnMapping& mapping);
// A non-NULL text-protocol value of this column.
Result<api::Value> from_text(std::string_view text, const ColumnMapping& mapping);
// The value for SQL NULL (or a value Debezium turns into null, e.g. a zero date): null for an
// optional column, else the schema default, else the type's fallback (0, "", epoch, ...).
api::Value null_value(const ColumnMapping& mapping);

}  // namespace sluice::mysql
