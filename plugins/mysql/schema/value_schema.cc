// Column -> Connect field schema, as Debezium 2.7's MySQL value converters build it
// (BinlogValueConverters / JdbcValueConverters): type, semantic name, version, parameters,
// optional, and the default value converted like a value.
#include <algorithm>

#include "plugins/mysql/schema/ddl_lexer.h"
#include "plugins/mysql/schema/value_internal.h"

namespace sluice::mysql {
namespace mapping {
namespace {

using api::SchemaBuilder;
using api::Type;

SchemaBuilder named(Type t, std::string name) {
  SchemaBuilder b(t);
  b.name(std::move(name)).version(1);
  return b;
}

SchemaBuilder geometry_builder(bool point) {
  SchemaBuilder b = SchemaBuilder::structure();
  if (point) {
    b.name("io.debezium.data.geometry.Point").version(1).doc("Geometry (POINT)");
    b.field("x", api::schemas::float64());
    b.field("y", api::schemas::float64());
    b.field("wkb", api::schemas::of(Type::Bytes, true));
    b.field("srid", api::schemas::of(Type::Int32, true));
  } else {
    b.name("io.debezium.data.geometry.Geometry").version(1).doc("Geometry");
    b.field("wkb", api::schemas::bytes());
    b.field("srid", api::schemas::of(Type::Int32, true));
  }
  return b;
}

SchemaBuilder builder_for(Target t, const Column& c, const MappingOptions& o) {
  switch (t) {
    case Target::kBoolean: return SchemaBuilder(Type::Boolean);
    case Target::kInt16: return SchemaBuilder(Type::Int16);
    case Target::kInt32: return SchemaBuilder(Type::Int32);
    case Target::kInt64: return SchemaBuilder(Type::Int64);
    case Target::kFloat32: return SchemaBuilder(Type::Float32);
    case Target::kFloat64: case Target::kDecimalDouble: return SchemaBuilder(Type::Float64);
    case Target::kDecimalBytes: {
      int precision = c.kind == ColumnKind::kBigInt ? 20 : c.length.value_or(10);
      int scale = c.kind == ColumnKind::kBigInt ? 0 : c.scale.value_or(0);
      SchemaBuilder b = api::logical::decimal(scale);
      b.parameter("connect.decimal.precision", std::to_string(precision));
      return b;
    }
    case Target::kDecimalString: return SchemaBuilder(Type::String);
    case Target::kBits: {
      SchemaBuilder b = named(Type::Bytes, "io.debezium.data.Bits");
      b.parameter("length", std::to_string(c.length.value_or(1)));
      return b;
    }
    case Target::kYear: return named(Type::Int32, "io.debezium.time.Year");
    case Target::kDate: return named(Type::Int32, "io.debezium.time.Date");
    case Target::kConnectDate: return api::logical::date();
    case Target::kMicroTime: return named(Type::Int64, "io.debezium.time.MicroTime");
    case Target::kConnectTime: return api::logical::time();
    case Target::kTimestampMs: return named(Type::Int64, "io.debezium.time.Timestamp");
    case Target::kMicroTimestamp: return named(Type::Int64, "io.debezium.time.MicroTimestamp");
    case Target::kConnectTimestamp: return api::logical::timestamp();
    case Target::kZonedTimestamp: return named(Type::String, "io.debezium.time.ZonedTimestamp");
    case Target::kString: case Target::kCanonicalText: return SchemaBuilder(Type::String);
    case Target::kEnum: {
      SchemaBuilder b = named(Type::String, "io.debezium.data.Enum");
      b.parameter("allowed", allowed_values(c));
      return b;
    }
    case Target::kSet: {
      SchemaBuilder b = named(Type::String, "io.debezium.data.EnumSet");
      b.parameter("allowed", allowed_values(c));
      return b;
    }
    case Target::kBinary:
      return SchemaBuilder(o.binary == BinaryHandling::kBytes ? Type::Bytes : Type::String);
    case Target::kJson: return named(Type::String, "io.debezium.data.Json");
    case Target::kGeometry: return geometry_builder(false);
    case Target::kPoint: return geometry_builder(true);
    case Target::kDropped: break;
  }
  return SchemaBuilder(Type::Bytes);
}

// Debezium's __debezium.source.column.* parameters (column.propagate.source.type).
void add_source_type(SchemaBuilder& b, const Column& c) {
  b.parameter("__debezium.source.column.type", ddl::upper(c.type_name));
  if (c.length) b.parameter("__debezium.source.column.length", std::to_string(*c.length));
  if (c.scale) b.parameter("__debezium.source.column.scale", std::to_string(*c.scale));
  if (c.comment && !c.comment->empty()) b.parameter("__debezium.source.column.comment", *c.comment);
  b.parameter("__debezium.source.column.name", c.name);
}

bool is_zero_date_text(std::string_view s) {
  return s.rfind("0000-00-00", 0) == 0 || s.find("-00") != std::string_view::npos;
}

// The schema default for a column, or none: literal defaults converted like values, with
// Debezium's rules for CURRENT_TIMESTAMP and zero dates.
std::optional<api::Value> default_for(const ColumnMapping& base) {
  const Column& c = base.column;
  if (!c.has_default_value || !c.default_value_expression) return std::nullopt;
  std::string text = *c.default_value_expression;
  if (text.size() > 3 && text[0] == '_' && text.back() == '\'') {  // _utf8mb4'x' -> x
    size_t q = text.find('\'');
    if (q != std::string::npos && q + 1 < text.size()) text = text.substr(q + 1, text.size() - q - 2);
  }
  Target t = target_of(c, base.options);
  bool temporal = t == Target::kDate || t == Target::kConnectDate || t == Target::kTimestampMs ||
                  t == Target::kMicroTimestamp || t == Target::kConnectTimestamp || t == Target::kZonedTimestamp;
  if (temporal) {
    // CURRENT_TIMESTAMP was recorded as the epoch: a nullable TIMESTAMP then has no default,
    // a DATETIME keeps the epoch (as Debezium does). Zero dates: none if nullable, else epoch.
    bool now = text == "1970-01-01 00:00:00" && c.default_is_expression;
    if (now && c.kind == ColumnKind::kTimestamp && c.optional) return std::nullopt;
    if (is_zero_date_text(text)) {
      if (c.optional) return std::nullopt;
      text = c.kind == ColumnKind::kDate ? "1970-01-01" : "1970-01-01 00:00:00";
    }
  }
  // TRUE/FALSE for numeric columns.
  if (ddl::iequals(text, "true") || ddl::iequals(text, "false")) {
    bool v = ddl::iequals(text, "true");
    if (t == Target::kBoolean) return api::Value::boolean(v);
    text = v ? "1" : "0";
  }
  if (t == Target::kBits || (t == Target::kBoolean && c.kind == ColumnKind::kBit)) {
    // b'101' was recorded as its digits: make the big-endian bytes the server would send.
    uint64_t v = 0;
    for (char ch : text) {
      if (ch != '0' && ch != '1') return std::nullopt;
      v = (v << 1) | uint64_t(ch - '0');
    }
    size_t n = size_t((c.length.value_or(1) + 7) / 8);
    std::string be(n, '\0');
    for (size_t i = 0; i < n; ++i) be[n - 1 - i] = char((v >> (8 * i)) & 0xff);
    return from_bits(c, be);
  }
  if (t == Target::kZonedTimestamp) {
    ColumnMapping zero_fsp = base;
    zero_fsp.column.fsp = 0;  // defaults print without fraction digits when there are none
    auto v = from_text(text, zero_fsp);
    if (!v.ok()) return std::nullopt;
    if (text.find('.') != std::string::npos) {
      auto precise = from_text(text, base);
      if (precise.ok()) return *precise;
    }
    return *v;
  }
  if (c.kind == ColumnKind::kBigInt && c.is_unsigned && t == Target::kInt64) {
    // Debezium reads BIGINT UNSIGNED defaults as a long, saturating (values wrap, defaults
    // do not).
    uint64_t u = 0;
    bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos && text.size() <= 20;
    if (digits) {
      for (char ch : text) u = u * 10 + uint64_t(ch - '0');
      if (u > uint64_t(INT64_MAX)) return api::Value::int64(INT64_MAX);
    }
  }
  auto v = from_text(text, base);
  if (!v.ok() || v->is_null()) return std::nullopt;
  return *v;
}

}  // namespace

Target target_of(const Column& c, const MappingOptions& o) {
  using K = ColumnKind;
  switch (c.kind) {
    case K::kBoolean: return Target::kBoolean;
    case K::kTinyInt: return Target::kInt16;
    case K::kSmallInt: return c.is_unsigned ? Target::kInt32 : Target::kInt16;
    case K::kMediumInt: return Target::kInt32;
    case K::kInt: return c.is_unsigned ? Target::kInt64 : Target::kInt32;
    case K::kBigInt:
      return c.is_unsigned && o.bigint_unsigned == BigintUnsignedHandling::kPrecise ? Target::kDecimalBytes
                                                                                    : Target::kInt64;
    case K::kFloat:
      // FLOAT(M,D) and FLOAT(p > 24) are doubles for Debezium; REAL (jdbc REAL) a float.
      if (c.jdbc_type == jdbc::kReal) return Target::kFloat32;
      if (c.scale || (c.length && *c.length > 24)) return Target::kFloat64;
      return Target::kFloat32;
    case K::kDouble: return c.jdbc_type == jdbc::kReal ? Target::kFloat32 : Target::kFloat64;
    case K::kDecimal:
      switch (o.decimal) {
        case DecimalHandling::kPrecise: return Target::kDecimalBytes;
        case DecimalHandling::kDouble: return Target::kDecimalDouble;
        case DecimalHandling::kString: return Target::kDecimalString;
      }
      return Target::kDecimalBytes;
    case K::kBit: return c.length.value_or(1) == 1 ? Target::kBoolean : Target::kBits;
    case K::kYear: return Target::kYear;
    case K::kDate: return o.time == TimePrecision::kConnect ? Target::kConnectDate : Target::kDate;
    case K::kTime: return o.time == TimePrecision::kConnect ? Target::kConnectTime : Target::kMicroTime;
    case K::kDateTime:
      if (o.time == TimePrecision::kConnect) return Target::kConnectTimestamp;
      return c.fsp.value_or(0) <= 3 ? Target::kTimestampMs : Target::kMicroTimestamp;
    case K::kTimestamp: return Target::kZonedTimestamp;
    case K::kChar: case K::kVarChar: case K::kTinyText: case K::kText: case K::kMediumText: case K::kLongText:
      return Target::kString;
    case K::kBinary: case K::kVarBinary: case K::kTinyBlob: case K::kBlob: case K::kMediumBlob:
    case K::kLongBlob:
      return Target::kBinary;
    case K::kEnum: return Target::kEnum;
    case K::kSet: return Target::kSet;
    case K::kJson: return Target::kJson;
    case K::kPoint: return Target::kPoint;
    case K::kGeometry: case K::kLineString: case K::kPolygon: case K::kMultiPoint:
    case K::kMultiLineString: case K::kMultiPolygon: case K::kGeometryCollection:
      return Target::kGeometry;
    case K::kUuid: case K::kInet4: case K::kInet6: return Target::kCanonicalText;
    case K::kVector: case K::kUnknown:
      return o.include_unknown_datatypes ? Target::kBinary : Target::kDropped;
  }
  return Target::kDropped;
}

std::string allowed_values(const Column& c) {
  std::string out;
  for (size_t i = 0; i < c.labels.size(); ++i) {
    if (i) out += ',';
    for (char ch : c.labels[i]) {
      if (ch == ',') out += '\\';
      out += ch;
    }
  }
  return out;
}

}  // namespace mapping

namespace {

template <class E>
Result<E> parse_choice(std::string_view s, std::string_view key,
                       std::initializer_list<std::pair<std::string_view, E>> choices) {
  std::string accepted;
  for (const auto& [name, value] : choices) {
    if (ddl::iequals(name, s)) return value;
    if (!accepted.empty()) accepted += ", ";
    accepted += name;
  }
  return Error{"invalid value '" + std::string(s) + "' for " + std::string(key) + "; use one of: " + accepted};
}

}  // namespace

Result<DecimalHandling> parse_decimal_handling(std::string_view s) {
  return parse_choice<DecimalHandling>(s, "decimal.handling.mode",
                                       {{"precise", DecimalHandling::kPrecise},
                                        {"double", DecimalHandling::kDouble},
                                        {"string", DecimalHandling::kString}});
}

Result<TimePrecision> parse_time_precision(std::string_view s) {
  return parse_choice<TimePrecision>(s, "time.precision.mode",
                                     {{"adaptive_time_microseconds", TimePrecision::kAdaptiveTimeMicroseconds},
                                      {"connect", TimePrecision::kConnect}});
}

Result<BigintUnsignedHandling> parse_bigint_unsigned_handling(std::string_view s) {
  return parse_choice<BigintUnsignedHandling>(s, "bigint.unsigned.handling.mode",
                                              {{"long", BigintUnsignedHandling::kLong},
                                               {"precise", BigintUnsignedHandling::kPrecise}});
}

Result<BinaryHandling> parse_binary_handling(std::string_view s) {
  return parse_choice<BinaryHandling>(s, "binary.handling.mode",
                                      {{"bytes", BinaryHandling::kBytes},
                                       {"base64", BinaryHandling::kBase64},
                                       {"base64-url-safe", BinaryHandling::kBase64UrlSafe},
                                       {"hex", BinaryHandling::kHex}});
}

Result<ColumnMapping> map_column(const Column& column, const MappingOptions& options) try {
  using mapping::Target;
  ColumnMapping m;
  m.column = column;
  m.options = options;
  Target t = mapping::target_of(column, options);
  if (t == Target::kDropped) return m;  // no converter: Debezium leaves the column out
  api::SchemaBuilder b = mapping::builder_for(t, column, options);
  if (column.optional) b.optional();
  if (options.propagate_source_type) mapping::add_source_type(b, column);
  m.schema = b.build();
  if (auto d = mapping::default_for(m)) {
    b.default_value(std::move(*d));
    m.schema = b.build();
  }
  return m;
} catch (const std::exception& e) {
  return Error{"cannot map column " + column.name + ": " + e.what()};
}

api::Value null_value(const ColumnMapping& m) {
  using mapping::Target;
  if (!m.schema || m.schema->optional()) return api::Value();
  if (const api::Value* d = m.schema->default_value()) return *d;
  switch (mapping::target_of(m.column, m.options)) {
    case Target::kBoolean: return api::Value::boolean(false);
    case Target::kInt16: return api::Value::int16(0);
    case Target::kInt32: case Target::kYear: case Target::kDate: case Target::kConnectDate:
    case Target::kConnectTime:
      return api::Value::int32(0);
    case Target::kInt64: case Target::kMicroTime: case Target::kTimestampMs: case Target::kMicroTimestamp:
    case Target::kConnectTimestamp:
      return api::Value::int64(0);
    case Target::kFloat32: return api::Value::float32(0);
    case Target::kFloat64: case Target::kDecimalDouble: return api::Value::float64(0);
    case Target::kDecimalBytes: return api::Value::bytes(std::string(1, '\0'));
    case Target::kDecimalString: return api::Value::string("0");
    case Target::kBits: return api::Value::bytes(std::string());
    case Target::kZonedTimestamp: return api::Value::string("1970-01-01T00:00:00Z");
    case Target::kJson: return api::Value::string("{}");
    case Target::kBinary:
      return m.options.binary == BinaryHandling::kBytes ? api::Value::bytes("") : api::Value::string("");
    case Target::kGeometry: case Target::kPoint: {
      api::Struct s(m.schema);
      if (m.schema->field("x")) {
        s.put("x", api::Value::float64(0));
        s.put("y", api::Value::float64(0));
      } else {
        s.put("wkb", api::Value::bytes(""));
      }
      return api::Value::structure(std::move(s));
    }
    default: return api::Value::string("");
  }
}

}  // namespace sluice::mysql
