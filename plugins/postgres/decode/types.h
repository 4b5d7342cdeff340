// PostgreSQL types and their Debezium 2.7 mapping to Connect schemas and values.
//
// TypeCatalog knows the built-in types by OID; the connector adds the database's own rows
// (enums, domains, extension types such as hstore, citext, ltree, PostGIS) from pg_type with
// type_catalog_query(). map_column picks the schema Debezium's PostgresValueConverter would
// build for a column (shared/spec/debezium.md §4.0 and §4.2) and a converter from
// PostgreSQL's text output format (what pgoutput 't' columns, COPY and simple-query results
// carry) to the value Debezium emits.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "plugins/api/data.h"
#include "plugins/postgres/decode/result.h"

namespace sluice::postgres {

// Built-in type OIDs (stable across PostgreSQL versions: pg_type.dat).
namespace oid {
inline constexpr uint32_t kBool = 16, kBytea = 17, kChar = 18, kName = 19, kInt8 = 20, kInt2 = 21,
                          kInt4 = 23, kText = 25, kOid = 26, kJson = 114, kXml = 142, kPoint = 600,
                          kCidr = 650, kFloat4 = 700, kFloat8 = 701, kUnknown = 705, kMacaddr8 = 774,
                          kMoney = 790, kMacaddr = 829, kInet = 869, kBpchar = 1042, kVarchar = 1043,
                          kDate = 1082, kTime = 1083, kTimestamp = 1114, kTimestamptz = 1184,
                          kInterval = 1186, kTimetz = 1266, kBit = 1560, kVarbit = 1562,
                          kNumeric = 1700, kUuid = 2950, kJsonb = 3802, kInt4range = 3904,
                          kNumrange = 3906, kTsrange = 3908, kTstzrange = 3910, kDaterange = 3912,
                          kInt8range = 3926;
}  // namespace oid

struct PgType {
  uint32_t oid = 0;
  std::string schema, name;  // pg_namespace.nspname, pg_type.typname
  char typtype = 'b';        // b base, e enum, d domain, r range, m multirange, c composite, p pseudo
  char category = 'U';       // pg_type.typcategory ('A' array, 'N' numeric, 'S' string, ...)
  uint32_t element_oid = 0;  // arrays (category 'A'): element type; else 0
  uint32_t base_oid = 0;     // domains: pg_type.typbasetype; else 0
  int32_t base_typmod = -1;  // domains: pg_type.typtypmod
  std::vector<std::string> enum_labels;  // enums, in enumsortorder
};

class TypeCatalog {
 public:
  TypeCatalog();  // seeded with the built-in types and their arrays
  // Adds or replaces a type (by OID).
  void add(PgType type);
  const PgType* find(uint32_t oid) const;
  // First type with that name in that schema; an empty schema matches any schema.
  const PgType* find_by_name(std::string_view schema, std::string_view name) const;
  size_t size() const { return by_oid_.size(); }

 private:
  std::unordered_map<uint32_t, PgType> by_oid_;
};

// The SQL (simple query, text results) that lists the database's non-built-in types, one row
// per type, in the column order type_from_catalog_row expects:
// oid, nspname, typname, typtype, typcategory, typelem, typbasetype, typtypmod, enum labels
// (a text[] literal in enumsortorder, NULL for non-enums).
std::string_view type_catalog_query();
// One row of that query (NULL cells as nullopt) to a PgType.
Result<PgType> type_from_catalog_row(const std::vector<std::optional<std::string_view>>& cells);

enum class DecimalMode { Precise, Double, String };                       // decimal.handling.mode
enum class TimePrecisionMode { Adaptive, AdaptiveTimeMicroseconds, Connect };  // time.precision.mode
enum class BinaryMode { Bytes, Base64, Base64UrlSafe, Hex };              // binary.handling.mode
enum class IntervalMode { Numeric, String };                              // interval.handling.mode
enum class HstoreMode { Json, Map };                                      // hstore.handling.mode

// Debezium's config values ("precise", "adaptive_time_microseconds", "base64-url-safe", ...),
// case-insensitive; nullopt for anything else.
std::optional<DecimalMode> parse_decimal_mode(std::string_view text);
std::optional<TimePrecisionMode> parse_time_precision_mode(std::string_view text);
std::optional<BinaryMode> parse_binary_mode(std::string_view text);
std::optional<IntervalMode> parse_interval_mode(std::string_view text);
std::optional<HstoreMode> parse_hstore_mode(std::string_view text);

struct MappingOptions {
  DecimalMode decimal = DecimalMode::Precise;
  TimePrecisionMode time_precision = TimePrecisionMode::Adaptive;
  BinaryMode binary = BinaryMode::Bytes;
  IntervalMode interval = IntervalMode::Numeric;
  HstoreMode hstore = HstoreMode::Json;
  int32_t money_fraction_digits = 2;
  bool include_unknown_datatypes = false;
};

struct ColumnInfo {
  std::string name;
  uint32_t type_oid = 0;
  int32_t type_modifier = -1;  // pg_attribute.atttypmod / pgoutput relation typmod
  bool optional = true;        // nullable
  // The column default as pg_get_expr prints it ("'abc'::character varying", "0",
  // "nextval('t_id_seq'::regclass)"); becomes the schema default when Debezium would set one.
  std::optional<std::string> default_text;
  // column.propagate.source.type / datatype.propagate.source.type matched this column: add
  // the __debezium.source.column.type/length/scale/name schema parameters (Debezium also adds
  // __debezium.source.column.comment for a commented column; not done here).
  bool propagate_source_type = false;
};

namespace detail {
struct Converter;  // the per-type text converter, private to types.cc
}

struct ColumnMapping {
  api::SchemaPtr schema;  // the field schema: optional per ColumnInfo, default when known

  // One value in PostgreSQL's text output format to the Connect value Debezium emits.
  // Errors: Malformed text, or Unrepresentable (NaN/Infinity numeric in precise mode, which
  // Debezium turns into a warning and a null field).
  Result<api::Value> from_text(std::string_view text) const;
  // The value of a NOT NULL column that has none (spec §4.0): the schema default if there is
  // one, else the type's zero (0, "", false, empty bytes, epoch, ...). Null for nullable
  // columns (by the column's nullability: Geometry schemas are optional even for NOT NULL
  // columns, as in Debezium).
  api::Value fallback() const;
  // The value for an unchanged TOASTed column (pgoutput 'u'), spec §4.2. A placeholder
  // starting with "hex:" stands for the bytes it hex-encodes.
  api::Value unavailable(std::string_view placeholder) const;

  std::shared_ptr<const detail::Converter> converter;
};

// Maps one column. An unmapped type gives Error::Kind::UnsupportedType unless
// include_unknown_datatypes is set (then the text as bytes/string per binary mode; arrays of
// unmapped types stay unsupported, as in Debezium). Checked against Debezium 2.7.4 itself:
// tests/unit/plugins/postgres/fixtures/debezium_golden.tsv.
Result<ColumnMapping> map_column(const ColumnInfo& column, const TypeCatalog& catalog,
                                 const MappingOptions& options);

// Binary data under binary.handling.mode (bytea, logical message content): the schema
// (bytes, or string for the text modes) and the value.
api::SchemaPtr binary_schema(BinaryMode mode, bool optional);
api::Value binary_value(std::string_view bytes, BinaryMode mode);

}  // namespace sluice::postgres
