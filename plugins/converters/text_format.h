#pragma once
// Text forms shared by the built-in converters: how Java (and Jackson) render numbers, base64,
// big decimals and dates, plus the big-integer arithmetic the Decimal logical type needs.
//
// Everything here appends to a caller's std::string so the hot path allocates nothing.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "plugins/api/data.h"

namespace sluice::converters {

// Connect's DataException: data that cannot be converted. Thrown by the converters and turned
// into a failed Status by the plugin guard.
class DataException : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

namespace detail {

// ---- Numbers, as Java prints them ---------------------------------------------------------

// Java's Double.toString (the JDK 19+ shortest-representation algorithm): "1.0", "0.001",
// "1.5E10", "1.0E-5", "4.9E-324", "NaN", "Infinity", "-Infinity", "-0.0".
void append_java_double(std::string& out, double v);
// Java's Float.toString, same rules with float precision: "1.1", "3.4028235E38", "1.4E-45".
void append_java_float(std::string& out, float v);
void append_int(std::string& out, int64_t v);

// ---- JSON strings, as Jackson writes them --------------------------------------------------

// Appends `s` quoted: escapes '"', '\\' and control characters below 0x20 (\b \t \n \f \r, the
// rest as \u00XX with upper-case hex, as Jackson does); never '/', DEL or other non-ASCII, except
// characters beyond the BMP (4-byte UTF-8), which Jackson 2.16 writes as two escaped UTF-16
// surrogates: U+1F600 -> \uD83D\uDE00.
void append_json_string(std::string& out, std::string_view s);

// ---- Base64 (standard alphabet, padded; what Jackson and java.util.Base64 use) -------------

void append_base64(std::string& out, std::string_view bytes);
// Strict: standard alphabet, length a multiple of 4, '=' padding only at the end.
bool decode_base64(std::string_view text, std::string& out);

// ---- Big integers and decimals ---------------------------------------------------------------

// Strips redundant sign bytes from a big-endian two's complement integer, as
// BigInteger.toByteArray() would write it. Empty input stays empty.
std::string_view minimal_twos_complement(std::string_view bytes);
// The decimal digits of a big-endian two's complement integer ("-12345"); empty input is 0.
void append_twos_complement_decimal(std::string& out, std::string_view bytes);
// java.math.BigDecimal.toString() of unscaled * 10^-scale: "2.22", "-0.05", "100", "5E-8",
// "1E+3" (scientific when scale < 0 or the adjusted exponent is below -6).
void append_big_decimal(std::string& out, std::string_view unscaled_twos, int32_t scale);

// A decimal number in BigDecimal(String) syntax: [+-] digits [. digits] [(e|E) [+-] digits]
// (".5" and "5." included).
struct DecimalText {
  bool negative = false;
  std::string digits;  // significant digits, no leading zeros; "0" for zero
  int64_t scale = 0;   // value = digits * 10^-scale
};
bool parse_decimal_text(std::string_view text, DecimalText& out);
// Rescales to `scale` (appending zeros, or dropping trailing zeros); false when a non-zero digit
// would be lost or the result would be absurdly long.
bool rescale_decimal(DecimalText& d, int64_t scale);
// The minimal big-endian two's complement bytes of a decimal's unscaled value.
std::string decimal_to_twos_complement(const DecimalText& d);
// True when the unscaled value fits int64 (stored in `out`).
bool decimal_to_int64(const DecimalText& d, int64_t& out);

// The "scale" parameter of a Decimal schema; throws DataException when missing or malformed.
int32_t decimal_scale(const api::Schema& schema);

// ---- Dates, as Connect's Values and java.util.Date print them (UTC) ---------------------------

// "yyyy-MM-dd", "HH:mm:ss.SSS'Z'", "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'".
void append_iso_date(std::string& out, int64_t epoch_ms);
void append_iso_time(std::string& out, int64_t epoch_ms);
void append_iso_timestamp(std::string& out, int64_t epoch_ms);
// java.util.Date.toString() in a UTC JVM: "Thu Jan 01 00:00:00 UTC 1970".
void append_java_date(std::string& out, int64_t epoch_ms);
// Days since 1970-01-01 of a proleptic Gregorian date; false for an impossible date.
bool days_from_civil(int64_t y, int m, int d, int64_t& days);

// ---- UTF-8 ------------------------------------------------------------------------------------

bool is_valid_utf8(std::string_view s);
// As Java's new String(bytes, UTF_8): each maximal invalid subsequence becomes U+FFFD.
std::string sanitize_utf8(std::string_view s);

// ---- Names Java would print ----------------------------------------------------------------

// Schema.Type's name: "INT32", "STRUCT", ...
const char* java_type_name(api::Type t);
// The class Java would hold for a value of this kind: "class java.lang.Integer", ...
const char* java_class_name(api::Value::Kind k);

}  // namespace detail
}  // namespace sluice::converters
