// Parsers for PostgreSQL's text output formats and the encoders for what Debezium emits from
// them. Pure functions over strings; map_column (types.cc) puts them together per type.
// Text forms assumed: DateStyle ISO, IntervalStyle postgres (or postgres_verbose, iso_8601),
// bytea_output hex (escape also read), lc_monetary C or en_US-like ("$1,234.56").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice::postgres::text {

// ---- numbers -------------------------------------------------------------------------------

enum class Special { None, NaN, PosInf, NegInf };

// A decimal number as its digits: value = (negative ? -1 : 1) * digits * 10^-scale.
struct DecimalText {
  Special special = Special::None;
  bool negative = false;
  std::string digits;  // no leading zeros ("" for zero)
  int32_t scale = 0;   // digits after the point (may be negative after rescaling up)
};
// "-123.4500", "0", "1e5" (exponent allowed), "NaN", "Infinity", "-Infinity".
std::optional<DecimalText> parse_decimal(std::string_view s);
// Changes the scale: adding zeros, or rounding HALF_UP when digits are dropped.
DecimalText rescale(DecimalText d, int32_t scale);
// Java BigDecimal.stripTrailingZeros(), then a negative scale set back to 0.
DecimalText strip_trailing_zeros(DecimalText d);
// Java BigInteger.toByteArray() of the unscaled value: minimal big-endian two's complement.
std::string unscaled_bytes(const DecimalText& d);
// Java BigDecimal.toPlainString().
std::string plain_string(const DecimalText& d);
// Money text "$1,234.56", "-$1,234.56", "($1.00)", "1234.56": the number, unscaled as written.
std::optional<DecimalText> parse_money(std::string_view s);

std::optional<int64_t> parse_int(std::string_view s, int64_t min, int64_t max);
std::optional<double> parse_double(std::string_view s);  // also NaN, Infinity, -Infinity
std::optional<float> parse_float(std::string_view s);

// ---- bytes ---------------------------------------------------------------------------------

// bytea text: "\x0a0b" (hex) or the escape format ("ab\\000\\\\").
std::optional<std::string> parse_bytea(std::string_view s);
std::string to_hex(std::string_view bytes);  // lower case
std::string to_base64(std::string_view bytes, bool url_safe);  // padded

// bit/varbit text "0101" to java.util.BitSet.toByteArray() of the number it spells (the last
// character is bit 0): little-endian, sized by the highest set bit, empty when all zero.
std::optional<std::string> bits_to_bytes(std::string_view s);

// ---- date and time -------------------------------------------------------------------------

inline constexpr int64_t kMicrosPerDay = 86400000000LL;

int64_t days_from_civil(int64_t y, unsigned m, unsigned d);  // proleptic Gregorian, year 0 = 1 BC
void civil_from_days(int64_t z, int64_t& y, unsigned& m, unsigned& d);

struct DateTimeText {
  Special special = Special::None;  // PosInf / NegInf for "infinity" / "-infinity"
  int64_t days = 0;                 // since 1970-01-01
  int64_t time_us = 0;              // since midnight (timestamps, times)
  bool has_offset = false;
  int32_t offset_seconds = 0;       // east of UTC
};
// "2024-01-15", "0044-03-15 BC", "infinity".
std::optional<DateTimeText> parse_date(std::string_view s);
// "2024-01-15 10:30:00.5", "... BC", "infinity"; with_offset: "...+05:30" required.
std::optional<DateTimeText> parse_timestamp(std::string_view s, bool with_offset);
// "10:30:00.123456" (24:00:00 allowed); with_offset: "10:30:00+02" required.
std::optional<DateTimeText> parse_time(std::string_view s, bool with_offset);

// Micros since the epoch of a timestamp (offset applied: UTC).
int64_t epoch_micros(const DateTimeText& t);
// Java ISO_OFFSET_DATE_TIME in UTC with `width` fraction digits (0: none), suffix "Z".
std::string zoned_timestamp_string(int64_t epoch_us, int width);
// Java ISO_OFFSET_TIME in UTC: "HH:mm:ss[.fraction without trailing zeros]Z".
std::string zoned_time_string(int64_t time_of_day_us);

int64_t floor_div(int64_t a, int64_t b);

// ---- interval ------------------------------------------------------------------------------

// The fields of org.postgresql.util.PGInterval (what Debezium converts from).
struct IntervalText {
  int32_t years = 0, months = 0, days = 0, hours = 0, minutes = 0;
  int64_t micros = 0;  // the seconds field, in microseconds (signed)
};
// IntervalStyle postgres ("1 year 2 mons -3 days +04:05:06.5"), postgres_verbose ("@ 1 day ago")
// and iso_8601 ("P1Y2M3DT4H5M6.5S").
std::optional<IntervalText> parse_interval(std::string_view s);
// Debezium's MicroDuration.durationMicros with 30.4375 days per month, in Java's double
// arithmetic and its (long) cast.
int64_t interval_micro_duration(const IntervalText& i);
// Debezium's Interval.toIsoString: "P<y>Y<m>M<d>DT<h>H<min>M<s>S".
std::string interval_iso_string(const IntervalText& i);

// ---- composite text forms ------------------------------------------------------------------

// An array literal "{a,\"b c\",NULL}" ("[0:1]={...}" bounds accepted). One dimension: the
// elements (nullopt = NULL), unquoted and unescaped. Multi-dimensional input sets
// `multi_dimensional` and returns nothing.
struct ArrayText {
  std::vector<std::optional<std::string>> elements;
  bool multi_dimensional = false;
};
std::optional<ArrayText> parse_array(std::string_view s, char delimiter = ',');

// hstore text "\"a\"=>\"1\", \"b\"=>NULL", pairs in the text's order.
std::optional<std::vector<std::pair<std::string, std::optional<std::string>>>> parse_hstore(
    std::string_view s);
// The order in which a java.util.HashMap built by put() in this order iterates its keys
// (pgjdbc's HStoreConverter returns a HashMap, Jackson and JsonConverter walk it): indexes.
std::vector<size_t> java_hashmap_order(const std::vector<std::string>& keys);
// Jackson's JSON string literal (quotes, \" \\ \b \t \n \f \r, other controls as \u00XX).
void append_json_string(std::string& out, std::string_view s);

// java.util.UUID.nameUUIDFromBytes: the version 3 (MD5) UUID of the bytes, lower-case text.
std::string name_uuid_from_bytes(std::string_view bytes);

// point text "(1.5,2)".
std::optional<std::pair<double, double>> parse_point(std::string_view s);
// OGC WKB of a point, little endian (what Debezium's Point.createValue writes).
std::string point_wkb(double x, double y);
// PostGIS HexEWKB: the bytes Debezium keeps in `wkb` (PostgisGeometry.fromHexEwkb keeps the
// EWKB as it is) and the SRID read from it (nullopt when absent or 0).
struct Wkb {
  std::string wkb;
  std::optional<int32_t> srid;
};
std::optional<Wkb> parse_hex_ewkb(std::string_view s);

}  // namespace sluice::postgres::text
