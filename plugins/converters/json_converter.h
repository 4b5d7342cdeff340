#pragma once
// org.apache.kafka.connect.json.JsonConverter: Connect data <-> JSON, byte for byte as Java's
// JsonConverter (Jackson) writes it.
//
// With schemas.enable (the default) every message is the envelope
// {"schema":<schema>,"payload":<value>}; without it only the payload. Output is compact JSON
// with Jackson 2.16's escaping (characters beyond the BMP as two escaped UTF-16 surrogates,
// "\uD83D\uDE00"); float64/float32 are printed as Java's Double/Float.toString (NaN and
// the infinities as the JSON strings "NaN", "Infinity", "-Infinity", as Jackson quotes them).
// Decimal payloads are base64 of the minimal unscaled two's complement bytes (BASE64) or a JSON
// number in java.math.BigDecimal.toString() form (NUMERIC): 2.22, -0.05, 0.00, 100 at scale 0,
// but 5E-8 for 5 at scale 8 and 1E+3 for a negative scale, exactly as Java prints them.
//
// Reading follows Java's Jackson tree, which holds numbers as BigDecimal/BigInteger: numbers
// beyond double's range read as +-Infinity (or wrap, for integers), and a zero reads as 0.0 even
// when written "-0.0" (a negative number that underflows stays -0.0).
// tests/golden/json_to_connect.tsv holds what Java reads; it differs from Java where Java
// silently invents data, and for input it cannot hold:
//  - a JSON value of the wrong kind for its schema (a string for an int32, a number for a
//    string, ...) is an error; Jackson's accessors would give 0, false or null;
//  - "NaN", "Infinity" and "-Infinity" strings read as float32/float64 (Java reads 0.0);
//  - a NUMERIC decimal is held at its schema's scale: 2.2, 1.5E3 or -5 at scale 2 read as
//    2.20, 1500.00 and -5.00; one with more non-zero fractional digits than the scale is an
//    error (Java keeps each at the literal's own scale, which Decimal.fromLogical then refuses
//    when the value is written with decimal.format=BASE64);
//  - content after the JSON value is an error (Jackson's readTree ignores it);
//  - like Jackson 2.15+, nesting beyond 1000 levels and numbers over 1000 characters are
//    errors; an unpaired \uDC00-style escape becomes U+FFFD (UTF-8 cannot hold it).
//
// Like every converter instance it is used by one task thread at a time; it keeps reusable
// buffers and two bounded schema caches (schemas.cache.size entries each):
//  - from Connect: the rendered schema JSON per SchemaPtr (held, so the pointer stays valid);
//  - to Connect: the parsed SchemaPtr per raw schema JSON text.
// The class is also a HeaderConverter, as in Java.

#include <memory>
#include <string>
#include <string_view>

#include "plugins/api/converter.h"

namespace sluice::converters {

enum class DecimalFormat { Base64, Numeric };

struct JsonConverterConfig {
  static constexpr const char* kSchemasEnable = "schemas.enable";
  static constexpr const char* kSchemasCacheSize = "schemas.cache.size";
  static constexpr const char* kDecimalFormat = "decimal.format";
  static constexpr const char* kReplaceNullWithDefault = "replace.null.with.default";

  bool schemas_enable = true;
  int schemas_cache_size = 1000;
  DecimalFormat decimal_format = DecimalFormat::Base64;
  bool replace_null_with_default = true;

  static api::ConfigDef config_def();
  // Throws std::invalid_argument naming the setting for a bad value.
  static JsonConverterConfig parse(const api::Config& config);
};

class JsonConverter final : public api::Converter, public api::HeaderConverter {
 public:
  JsonConverter();
  explicit JsonConverter(JsonConverterConfig config);
  ~JsonConverter() override;

  std::string version() const override;
  api::ConfigDef config_def() const override;
  void configure(const api::Config& config, bool is_key) override;
  void configure(const api::Config& config) override;

  void from_connect(std::string_view topic, const api::SchemaPtr& schema, const api::Value& value,
                    std::string& out, bool& is_null) override;
  api::SchemaAndValue to_connect(std::string_view topic, const char* data, size_t size) override;

  void from_connect_header(std::string_view topic, std::string_view header_key,
                           const api::SchemaPtr& schema, const api::Value& value, std::string& out,
                           bool& is_null) override;
  api::SchemaAndValue to_connect_header(std::string_view topic, std::string_view header_key,
                                        const char* data, size_t size) override;

  const JsonConverterConfig& config() const { return config_; }

  // Java's asJsonSchema: appends the schema's JSON (`null` for a null schema).
  void append_schema_json(const api::SchemaPtr& schema, std::string& out);
  // Java's asConnectSchema: a schema from its JSON text (a null schema for `null`).
  api::SchemaPtr schema_from_json(std::string_view json);
  // Only the payload JSON of a value (what schemas.enable=false writes), without the tombstone
  // rule: a null schema and value give "null".
  void append_value_json(const api::SchemaPtr& schema, const api::Value& value, std::string& out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  JsonConverterConfig config_;
};

}  // namespace sluice::converters
