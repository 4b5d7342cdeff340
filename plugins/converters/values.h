#pragma once
// Text forms of Connect values, as Java renders them:
//  - append_connect_string / parse_string: Connect's Values.convertToString and
//    Values.parseString, which SimpleHeaderConverter uses for header values;
//  - append_java_to_string: Object.toString() of the Java value, which StringConverter writes.
//
// Values are read with their schema where one is given, so the logical types (kept in their
// base representation here) print as Java prints BigDecimal and java.util.Date (in UTC).

#include <string>
#include <string_view>

#include "plugins/api/data.h"

namespace sluice::converters::values {

// Values.convertToString: strings as is, numbers and booleans in Java's form, bytes as base64,
// arrays as [a,b], maps as {k:v}, structs as {"field":value,...} (strings inside quoted with
// '\' and '"' escaped), Decimal as BigDecimal.toString(), Date/Time/Timestamp as ISO-8601 UTC
// (a value within the first day after the epoch prints as a time, a whole day as a date, else a
// timestamp). A null value prints as "null".
void append_connect_string(std::string& out, const api::Schema* schema, const api::Value& value,
                           bool embedded = false);

// Values.parseString: infers a schema from header text. Empty text is an empty string; "true"
// and "false" booleans; "null" a null value (null schema); integers the smallest of
// int8/int16/int32/int64 that holds them (also for "1.0" or "1e3", as Java's exact-value test);
// other finite numbers float64 (Java picks float32 when the value fits it, losing precision);
// integers beyond int64 a Decimal with the literal's scale; "yyyy-MM-dd",
// "HH:mm:ss.SSS'Z'" and "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'" the Date/Time/Timestamp logical types;
// [..] and {..} arrays and maps of those (elements in quotes are strings), with a common
// element schema as Java's commonSchemaFor; anything else, or text with trailing content after
// a complete value, the string itself. Throws nothing for text input.
api::SchemaAndValue parse_string(std::string_view text);

// Object.toString() of the Java value: strings as is, Java number forms, "Struct{a=1,b=x}"
// (null fields skipped), lists "[1, 2]", maps "{a=1, b=2}", Decimal as BigDecimal.toString(),
// Date/Time/Timestamp as java.util.Date.toString() in UTC ("Thu Jan 01 00:00:00 UTC 1970").
// Bytes, whose Java toString is an identity hash, are written through unchanged.
void append_java_to_string(std::string& out, const api::Schema* schema, const api::Value& value);

}  // namespace sluice::converters::values
