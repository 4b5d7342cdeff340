// Shared by value_schema.cc and value_mapping.cc (internal to the schema library): what a
// column maps to, and the conversions both the binlog and the text path end in.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "plugins/api/data.h"
#include "plugins/mysql/schema/result.h"
#include "plugins/mysql/schema/value_mapping.h"

namespace sluice::mysql::mapping {

enum class Target : uint8_t {
  kDropped,
  kBoolean, kInt16, kInt32, kInt64,
  kFloat32, kFloat64,
  kDecimalBytes, kDecimalDouble, kDecimalString,
  kBits,
  kYear, kDate, kConnectDate,
  kMicroTime, kConnectTime,
  kTimestampMs, kMicroTimestamp, kConnectTimestamp,
  kZonedTimestamp,
  kString, kEnum, kSet,
  kBinary,  // per binary.handling.mode
  kJson,
  kGeometry, kPoint,
  kCanonicalText,  // MariaDB UUID/INET4/INET6 as their text
};

Target target_of(const Column& c, const MappingOptions& o);

// Values from normalized inputs.
api::Value from_integer(Target t, const Column& c, const MappingOptions& o, int64_t s, uint64_t u);
Result<api::Value> from_decimal_text(Target t, const Column& c, std::string_view text);
api::Value from_binary(const MappingOptions& o, std::string bytes);
// `raw` = the server's geometry value: 4-byte little-endian SRID + WKB.
Result<api::Value> from_geometry(Target t, const api::SchemaPtr& schema, std::string_view raw);
// Big-endian bits of a BIT(n) column as the server sends them.
api::Value from_bits(const Column& c, std::string_view be);

// Civil date/time parts -> Debezium numbers, with enable.time.adjuster applied.
int32_t adjust_year(int32_t year, const MappingOptions& o);
// A YEAR column's value: the zero year is 1900, others adjusted as above.
int32_t year_value(int32_t year, const MappingOptions& o);

// Minimal big-endian two's complement of a decimal integer string ("-1234"): Connect Decimal
// bytes.
std::string unscaled_bytes(std::string_view digits, bool negative);
// "12.5" at scale 2 -> digits "1250" (padded or cut), sign separately; false if not a number.
bool decimal_digits(std::string_view text, int scale, std::string& digits, bool& negative);

// ENUM/SET labels joined for the `allowed` parameter (a comma inside a label as "\,").
std::string allowed_values(const Column& c);

// Text of a string column's bytes in UTF-8; an error names the charset when it is not one
// this library decodes.
Result<std::string> to_utf8(std::string_view bytes, const std::string& charset);

}  // namespace sluice::mysql::mapping
