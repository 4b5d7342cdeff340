#pragma once
// Java's text forms the transformations need: base64, java.math.BigDecimal for the Decimal
// logical type (held as big-endian two's complement bytes), java.text.SimpleDateFormat in UTC,
// the number parsers of Byte/Short/Integer/Long/Float/Double, and Connect's Values.parseString
// (InsertHeader's value.literal).

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "plugins/api/data.h"

namespace sluice::transforms::text {

// java.lang.NumberFormatException.
class NumberFormatError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// ---- base64 (java.util.Base64, standard alphabet, padded) ----------------------------------
std::string base64(std::string_view bytes);

// ---- BigDecimal ----------------------------------------------------------------------------
// BigDecimal.toString() of unscaled * 10^-scale ("12.34", "0E-8", "1E+3", ...).
std::string big_decimal_string(std::string_view unscaled_twos, int32_t scale);
// new BigDecimal(String): the unscaled two's complement bytes (minimal) and the scale.
// Throws NumberFormatError.
void parse_big_decimal(std::string_view text, std::string& unscaled_twos, int32_t& scale);
// Number.doubleValue() / floatValue() / longValue() of a BigDecimal (longValue truncates
// toward zero and keeps the low 64 bits, as BigDecimal does).
double big_decimal_double(std::string_view unscaled_twos, int32_t scale);
int64_t big_decimal_long(std::string_view unscaled_twos, int32_t scale);

// ---- Numbers -------------------------------------------------------------------------------
// Long.parseLong-style: optional sign, decimal digits only, within [min, max].
int64_t parse_java_integer(std::string_view s, int64_t min, int64_t max);
// Double.parseDouble / Float.parseFloat: leading and trailing whitespace allowed, "NaN",
// "Infinity", an optional f/F/d/D suffix.
double parse_java_double(std::string_view s);

// ---- Dates ---------------------------------------------------------------------------------
constexpr int64_t kMillisPerDay = 86400000;
int64_t floor_div(int64_t a, int64_t b);

// java.text.SimpleDateFormat with the UTC time zone and an English locale. Letters supported:
// G y Y u M L d D E F a H k K h m s S z Z X w W; quoted text with '' for a quote. Throws
// std::invalid_argument for a pattern Java refuses ("Illegal pattern character 'x'").
class DateFormat {
 public:
  explicit DateFormat(std::string_view pattern);
  std::string format(int64_t epoch_millis) const;
  // Lenient like Java's default: "2024-13-01" rolls over to 2025-01-01. Nothing (a parse
  // failure) when the text does not fit the pattern.
  std::optional<int64_t> parse(std::string_view text) const;
  const std::string& pattern() const { return pattern_; }

 private:
  struct Token {
    char letter = 0;  // 0: literal text
    int count = 0;
    std::string literal;
  };
  std::string pattern_;
  std::vector<Token> tokens_;
};

// Values.dateFormatFor(date).format(date): "HH:mm:ss.SSS'Z'" within the first day after the
// epoch, "yyyy-MM-dd" on a day boundary, else "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'".
std::string values_date_string(int64_t epoch_millis);

// ---- Values.parseString ----------------------------------------------------------------------
// Infers a schema and value from text as Connect's Values.parseString: "" an empty string,
// true/false booleans, null a null (with a null schema), integers the smallest of
// int8/int16/int32/int64 (also for "1e3"), integers beyond int64 a Decimal, other numbers
// float32 when the value survives the round trip through float, else float64; ISO-8601
// "yyyy-MM-dd", "HH:mm:ss.SSS'Z'" and "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'" as Date, Time and
// Timestamp; [..] arrays and {..} maps of such values (quoted elements are strings), with a
// common element schema when every element has the same one and no schema otherwise; anything
// else the string itself.
api::SchemaAndValue parse_values_string(std::string_view text);

}  // namespace sluice::transforms::text
