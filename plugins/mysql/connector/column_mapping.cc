#include "plugins/mysql/connector/column_mapping.h"

#include <cstdlib>
#include <optional>

#include "plugins/mysql/binlog/json_binary.h"

namespace sluice::mysql::cdc {

using namespace sluice::api;
using sluice::mysql::CellKind;
using sluice::mysql::CellView;
using sluice::mysql::TemporalParts;

namespace {

enum class Kind { kBool, kInt16, kInt32, kInt64, kUInt64Precise, kFloat32, kFloat64, kDecimal, kString,
                  kBinary, kJson, kEnum, kSet, kYear, kDate, kTime, kDateTime, kTimestamp, kBits,
                  kUuid, kInet, kUnmapped };

Kind kind_of(const ColumnInfo& c, const Options& o) {
  const std::string& t = c.data_type;
  if (t == "tinyint") return Kind::kInt16;
  if (t == "smallint") return c.is_unsigned ? Kind::kInt32 : Kind::kInt16;
  if (t == "mediumint") return Kind::kInt32;
  if (t == "int" || t == "integer") return c.is_unsigned ? Kind::kInt64 : Kind::kInt32;
  if (t == "bigint") return c.is_unsigned && o.bigint_precise ? Kind::kUInt64Precise : Kind::kInt64;
  if (t == "float") return c.column_type.find(',') != std::string::npos ? Kind::kFloat64 : Kind::kFloat32;
  if (t == "double" || t == "real" || t == "double precision") return Kind::kFloat64;
  if (t == "decimal" || t == "numeric") return Kind::kDecimal;
  if (t == "json" || c.json) return Kind::kJson;
  if (t == "char" || t == "varchar" || t == "tinytext" || t == "text" || t == "mediumtext" || t == "longtext")
    return Kind::kString;
  if (t == "binary" || t == "varbinary" || t == "tinyblob" || t == "blob" || t == "mediumblob" || t == "longblob")
    return Kind::kBinary;
  if (t == "enum") return Kind::kEnum;
  if (t == "set") return Kind::kSet;
  if (t == "year") return Kind::kYear;
  if (t == "date") return Kind::kDate;
  if (t == "time") return Kind::kTime;
  if (t == "datetime") return Kind::kDateTime;
  if (t == "timestamp") return Kind::kTimestamp;
  if (t == "bit") return c.length <= 1 ? Kind::kBool : Kind::kBits;
  if (t == "uuid") return Kind::kUuid;
  if (t == "inet4" || t == "inet6") return Kind::kInet;
  return Kind::kUnmapped;
}

std::string joined_labels(const std::vector<std::string>& labels) {
  std::string out;
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i) out += ',';
    for (char ch : labels[i]) {
      if (ch == ',') out += '\\';
      out += ch;
    }
  }
  return out;
}

SchemaBuilder base_schema(const ColumnInfo& c, const Options& o) {
  switch (kind_of(c, o)) {
    case Kind::kBool: return SchemaBuilder(Type::Boolean);
    case Kind::kInt16: return SchemaBuilder(Type::Int16);
    case Kind::kInt32: return SchemaBuilder(Type::Int32);
    case Kind::kInt64: return SchemaBuilder(Type::Int64);
    case Kind::kUInt64Precise:
      return logical::decimal(0).parameter("connect.decimal.precision", "20");
    case Kind::kFloat32: return SchemaBuilder(Type::Float32);
    case Kind::kFloat64: return SchemaBuilder(Type::Float64);
    case Kind::kDecimal:
      if (o.decimal_mode == DecimalMode::kDouble) return SchemaBuilder(Type::Float64);
      if (o.decimal_mode == DecimalMode::kString) return SchemaBuilder(Type::String);
      return logical::decimal(c.scale).parameter("connect.decimal.precision", std::to_string(c.precision));
    case Kind::kString: case Kind::kUuid: case Kind::kInet: return SchemaBuilder(Type::String);
    case Kind::kBinary:
      return SchemaBuilder(o.binary_mode == BinaryMode::kBytes ? Type::Bytes : Type::String);
    case Kind::kJson: { SchemaBuilder b(Type::String); b.name("io.debezium.data.Json").version(1); return b; }
    case Kind::kEnum: case Kind::kSet: {
      SchemaBuilder b(Type::String);
      b.name(kind_of(c, o) == Kind::kEnum ? "io.debezium.data.Enum" : "io.debezium.data.EnumSet")
          .version(1).parameter("allowed", joined_labels(c.enum_values));
      return b;
    }
    case Kind::kYear: { SchemaBuilder b(Type::Int32); b.name("io.debezium.time.Year").version(1); return b; }
    case Kind::kDate:
      if (o.time_connect) return logical::date();
      { SchemaBuilder b(Type::Int32); b.name("io.debezium.time.Date").version(1); return b; }
    case Kind::kTime:
      if (o.time_connect) return logical::time();
      { SchemaBuilder b(Type::Int64); b.name("io.debezium.time.MicroTime").version(1); return b; }
    case Kind::kDateTime:
      if (o.time_connect) return logical::timestamp();
      {
        SchemaBuilder b(Type::Int64);
        b.name(c.fsp <= 3 ? "io.debezium.time.Timestamp" : "io.debezium.time.MicroTimestamp").version(1);
        return b;
      }
    case Kind::kTimestamp: {
      SchemaBuilder b(Type::String);
      b.name("io.debezium.time.ZonedTimestamp").version(1);
      return b;
    }
    case Kind::kBits: {
      SchemaBuilder b(Type::Bytes);
      b.name("io.debezium.data.Bits").version(1).parameter("length", std::to_string(c.length));
      return b;
    }
    case Kind::kUnmapped: break;
  }
  return SchemaBuilder(Type::String);
}

Value zero_value(const Schema& s) {
  switch (s.type()) {
    case Type::Boolean: return Value::boolean(false);
    case Type::Int8: return Value::int8(0);
    case Type::Int16: return Value::int16(0);
    case Type::Int32: return Value::int32(0);
    case Type::Int64: return Value::int64(0);
    case Type::Float32: return Value::float32(0);
    case Type::Float64: return Value::float64(0);
    case Type::Bytes: return Value::bytes(s.name() == logical::kDecimal ? std::string(1, '\0') : "");
    case Type::String:
      if (s.name() == "io.debezium.time.ZonedTimestamp") return Value::string("1970-01-01T00:00:00Z");
      return Value::string("");
    default: return Value();
  }
}

Value null_value(const Schema& s) {
  if (s.optional()) return Value();
  if (s.default_value()) return *s.default_value();
  return zero_value(s);
}

Value binary_value(std::string_view data, const Options& o) {
  static const char* kB64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  static const char* kB64Url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  switch (o.binary_mode) {
    case BinaryMode::kBytes: return Value::bytes(std::string(data));
    case BinaryMode::kHex: {
      static const char* kHex = "0123456789abcdef";
      std::string out;
      for (unsigned char ch : data) { out += kHex[ch >> 4]; out += kHex[ch & 15]; }
      return Value::string(std::move(out));
    }
    default: {
      const char* alphabet = o.binary_mode == BinaryMode::kBase64 ? kB64 : kB64Url;
      std::string out;
      size_t i = 0;
      for (; i + 2 < data.size(); i += 3) {
        uint32_t n = (uint8_t(data[i]) << 16) | (uint8_t(data[i + 1]) << 8) | uint8_t(data[i + 2]);
        for (int k = 18; k >= 0; k -= 6) out += alphabet[(n >> k) & 63];
      }
      if (i < data.size()) {
        uint32_t n = uint8_t(data[i]) << 16;
        if (i + 1 < data.size()) n |= uint8_t(data[i + 1]) << 8;
        out += alphabet[(n >> 18) & 63];
        out += alphabet[(n >> 12) & 63];
        out += i + 1 < data.size() ? alphabet[(n >> 6) & 63] : '=';
        out += '=';
      }
      return Value::string(std::move(out));
    }
  }
}

Value padded_binary(const ColumnInfo& c, std::string_view data, const Options& o) {
  if (c.data_type == "binary" && c.length > 0 && data.size() < static_cast<size_t>(c.length)) {
    std::string padded(data);
    padded.resize(static_cast<size_t>(c.length), '\0');
    return binary_value(padded, o);
  }
  return binary_value(data, o);
}

Value bits_value(const ColumnInfo& c, std::string_view big_endian) {
  size_t n = static_cast<size_t>((c.length + 7) / 8);
  std::string le(big_endian.rbegin(), big_endian.rend());
  le.resize(std::max(n, le.size()), '\0');
  le.resize(n);
  return Value::bytes(std::move(le));
}

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

Value decimal_value(std::string_view text, const Options& o) {
  if (o.decimal_mode == DecimalMode::kDouble) return Value::float64(std::strtod(std::string(text).c_str(), nullptr));
  if (o.decimal_mode == DecimalMode::kString) return Value::string(std::string(text));
  return Value::bytes(decimal_text_to_unscaled(text));
}

Value time_value(int64_t micros, const Options& o) {
  if (o.time_connect) return Value::int32(static_cast<int32_t>(floor_div(micros, 1000)));
  return Value::int64(micros);
}

Value datetime_value(const ColumnInfo& c, int64_t micros, const Options& o) {
  if (o.time_connect || c.fsp <= 3) return Value::int64(floor_div(micros, 1000));
  return Value::int64(micros);
}

// "2024-06-10T06:13:20.5Z": Java's ISO_OFFSET_DATE_TIME, fraction without trailing zeros.
std::string iso_trimmed(int64_t seconds, uint32_t micros) {
  std::string out;
  sluice::mysql::append_timestamp_utc(seconds, micros, micros ? 6 : 0, out);
  if (micros) {
    size_t z = out.size() - 1;  // 'Z'
    size_t end = z;
    while (end > 0 && out[end - 1] == '0') --end;
    out.erase(end, z - end);
  }
  return out;
}

std::string set_labels(const ColumnInfo& c, uint64_t bits) {
  std::string out;
  for (size_t i = 0; i < c.enum_values.size() && i < 64; ++i)
    if (bits & (uint64_t(1) << i)) {
      if (!out.empty()) out += ',';
      out += c.enum_values[i];
    }
  return out;
}

bool parse_uint(std::string_view& s, int64_t& out, size_t max_digits = 18) {
  size_t i = 0;
  out = 0;
  while (i < s.size() && i < max_digits && s[i] >= '0' && s[i] <= '9') out = out * 10 + (s[i++] - '0');
  s.remove_prefix(i);
  return i > 0;
}

bool eat(std::string_view& s, char c) {
  if (s.empty() || s[0] != c) return false;
  s.remove_prefix(1);
  return true;
}

uint32_t parse_fraction(std::string_view& s) {
  if (!eat(s, '.')) return 0;
  uint32_t v = 0;
  int digits = 0;
  while (!s.empty() && s[0] >= '0' && s[0] <= '9') {
    if (digits < 6) { v = v * 10 + (s[0] - '0'); ++digits; }
    s.remove_prefix(1);
  }
  while (digits++ < 6) v *= 10;
  return v;
}

// "YYYY-MM-DD[ HH:MM:SS[.ffffff]]"
bool parse_datetime(std::string_view s, TemporalParts& t) {
  int64_t y, m, d;
  if (!parse_uint(s, y) || !eat(s, '-') || !parse_uint(s, m) || !eat(s, '-') || !parse_uint(s, d)) return false;
  t.year = static_cast<int32_t>(y);
  t.month = static_cast<uint8_t>(m);
  t.day = static_cast<uint8_t>(d);
  if (eat(s, ' ') || eat(s, 'T')) {
    int64_t hh, mm, ss;
    if (!parse_uint(s, hh) || !eat(s, ':') || !parse_uint(s, mm) || !eat(s, ':') || !parse_uint(s, ss)) return false;
    t.hour = static_cast<uint8_t>(hh);
    t.hours = static_cast<uint32_t>(hh);
    t.minute = static_cast<uint8_t>(mm);
    t.second = static_cast<uint8_t>(ss);
    t.micros = parse_fraction(s);
  }
  return true;
}

// "[-]HHH:MM:SS[.ffffff]" as signed microseconds.
bool parse_time(std::string_view s, int64_t& micros) {
  bool neg = eat(s, '-');
  int64_t h, m, sec;
  if (!parse_uint(s, h) || !eat(s, ':') || !parse_uint(s, m) || !eat(s, ':') || !parse_uint(s, sec)) return false;
  int64_t v = ((h * 60 + m) * 60 + sec) * 1000000 + parse_fraction(s);
  micros = neg ? -v : v;
  return true;
}

int64_t epoch_seconds(const TemporalParts& t) {
  return sluice::mysql::days_from_civil(t.year, t.month, t.day) * 86400 + t.hour * 3600 + t.minute * 60 + t.second;
}

Value from_text_raw(const ColumnInfo& c, std::string_view s, const Options& o, const Schema& schema) {
  std::string text(s);
  switch (kind_of(c, o)) {
    case Kind::kBool:
      if (c.data_type == "bit") return Value::boolean(!s.empty() && s.back() != 0);
      return Value::boolean(text != "0");
    case Kind::kInt16: return Value::int16(static_cast<int16_t>(std::strtol(text.c_str(), nullptr, 10)));
    case Kind::kInt32: return Value::int32(static_cast<int32_t>(std::strtoll(text.c_str(), nullptr, 10)));
    case Kind::kInt64:
      if (c.is_unsigned) return Value::int64(static_cast<int64_t>(std::strtoull(text.c_str(), nullptr, 10)));
      return Value::int64(std::strtoll(text.c_str(), nullptr, 10));
    case Kind::kUInt64Precise: return Value::bytes(decimal_text_to_unscaled(text));
    case Kind::kFloat32: return Value::float32(std::strtof(text.c_str(), nullptr));
    case Kind::kFloat64: return Value::float64(std::strtod(text.c_str(), nullptr));
    case Kind::kDecimal: return decimal_value(text, o);
    case Kind::kString: case Kind::kJson: case Kind::kEnum: case Kind::kSet: case Kind::kUuid: case Kind::kInet:
      return Value::string(std::move(text));
    case Kind::kBinary: return padded_binary(c, s, o);
    case Kind::kBits: return bits_value(c, s);
    case Kind::kYear: return Value::int32(static_cast<int32_t>(std::atoi(text.c_str())));
    case Kind::kDate: case Kind::kDateTime: case Kind::kTimestamp: {
      TemporalParts t;
      if (!parse_datetime(s, t) || sluice::mysql::is_zero_or_partial_date(t)) return null_value(schema);
      if (kind_of(c, o) == Kind::kDate)
        return Value::int32(static_cast<int32_t>(sluice::mysql::date_epoch_days(t)));
      if (kind_of(c, o) == Kind::kDateTime)
        return datetime_value(c, sluice::mysql::datetime_epoch_micros(t), o);
      return Value::string(iso_trimmed(epoch_seconds(t), t.micros));
    }
    case Kind::kTime: {
      int64_t micros = 0;
      if (!parse_time(s, micros)) return null_value(schema);
      return time_value(micros, o);
    }
    case Kind::kUnmapped: break;
  }
  return Value();
}

std::optional<Value> default_of(const ColumnInfo& c, const Options& o, const Schema& schema) {
  if (!c.default_expr) return std::nullopt;
  std::string e = *c.default_expr;
  if (e == "NULL") return std::nullopt;
  std::string lower;
  for (char ch : e) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  Kind k = kind_of(c, o);
  if (lower.rfind("current_timestamp", 0) == 0 || lower.rfind("now(", 0) == 0 ||
      lower.rfind("localtimestamp", 0) == 0) {
    if (c.nullable) return std::nullopt;
    if (k == Kind::kTimestamp) return Value::string("1970-01-01T00:00:00Z");
    if (k == Kind::kDateTime) return datetime_value(c, 0, o);
    return std::nullopt;
  }
  std::string text;
  if (!e.empty() && e[0] == '\'') {
    for (size_t i = 1; i < e.size(); ++i) {
      if (e[i] == '\'' && i + 1 < e.size() && e[i + 1] == '\'') { text += '\''; ++i; continue; }
      if (e[i] == '\\' && i + 1 < e.size()) { text += e[++i]; continue; }
      if (e[i] == '\'') break;
      text += e[i];
    }
  } else if (lower.rfind("b'", 0) == 0 && k != Kind::kUnmapped) {
    uint64_t bits = 0;
    for (size_t i = 2; i < e.size() && (e[i] == '0' || e[i] == '1'); ++i) bits = bits * 2 + (e[i] - '0');
    if (k == Kind::kBool) return Value::boolean(bits != 0);
    std::string be;
    for (int64_t n = (c.length + 7) / 8; n > 0; --n) be += static_cast<char>((bits >> (8 * (n - 1))) & 0xff);
    return bits_value(c, be);
  } else if (e.find('(') != std::string::npos) {
    return std::nullopt;  // an expression default: Debezium records none
  } else {
    text = e;
  }
  if ((k == Kind::kDate || k == Kind::kDateTime || k == Kind::kTimestamp) &&
      (text.rfind("0000-00-00", 0) == 0)) {
    if (c.nullable) return std::nullopt;
    return zero_value(schema);
  }
  if (k == Kind::kBits) {
    return std::nullopt;
  }
  Value v = from_text_raw(c, text, o, schema);
  if (v.is_null()) return std::nullopt;
  return v;
}

}  // namespace

bool is_mapped(const ColumnInfo& c) {
  Options o;
  return kind_of(c, o) != Kind::kUnmapped;
}

SchemaPtr column_schema(const ColumnInfo& c, const Options& o) {
  SchemaBuilder b = base_schema(c, o);
  if (c.nullable) b.optional();
  SchemaPtr plain = b.build();
  if (auto d = default_of(c, o, *plain)) {
    b.default_value(*d);
    return b.build();
  }
  return plain;
}

Value from_text(const ColumnInfo& c, const char* data, size_t len, const Options& o, const Schema& schema) {
  if (!data) return null_value(schema);
  return from_text_raw(c, std::string_view(data, len), o, schema);
}

Value from_cell(const ColumnInfo& c, const CellView& cell, const Options& o, const Schema& schema) {
  if (cell.is_null() || !cell.present()) return null_value(schema);
  Kind k = kind_of(c, o);
  auto integer = [&]() -> int64_t {
    if (cell.kind == CellKind::kSigned) return cell.i;
    if (cell.kind == CellKind::kUnsigned) return static_cast<int64_t>(cell.u);
    return c.is_unsigned ? static_cast<int64_t>(cell.as_unsigned()) : cell.as_signed();
  };
  switch (k) {
    case Kind::kBool:
      if (cell.kind == CellKind::kBit) {
        bool any = false;
        for (char ch : cell.bytes) any |= ch != 0;
        return Value::boolean(any);
      }
      return Value::boolean(integer() != 0);
    case Kind::kInt16: return Value::int16(static_cast<int16_t>(integer()));
    case Kind::kInt32: return Value::int32(static_cast<int32_t>(integer()));
    case Kind::kInt64: return Value::int64(integer());
    case Kind::kUInt64Precise: return Value::bytes(decimal_text_to_unscaled(std::to_string(cell.as_unsigned())));
    case Kind::kFloat32: return Value::float32(cell.kind == CellKind::kDouble ? static_cast<float>(cell.d) : cell.f);
    case Kind::kFloat64: return Value::float64(cell.kind == CellKind::kFloat ? static_cast<double>(cell.f) : cell.d);
    case Kind::kDecimal: {
      std::string text;
      if (!sluice::mysql::decimal_to_string(cell.bytes, cell.precision, cell.scale, text).ok())
        return null_value(schema);
      return decimal_value(text, o);
    }
    case Kind::kString: return Value::string(std::string(cell.bytes));
    case Kind::kJson: {
      if (cell.kind != CellKind::kJson) return Value::string(std::string(cell.bytes));
      std::string text;
      if (cell.bytes.empty()) return c.nullable ? Value() : Value::string("{}");
      if (!sluice::mysql::json_binary_to_text(cell.bytes, text).ok()) return null_value(schema);
      return Value::string(std::move(text));
    }
    case Kind::kBinary: return padded_binary(c, cell.bytes, o);
    case Kind::kEnum:
      if (cell.kind == CellKind::kEnum)
        return Value::string(cell.u >= 1 && cell.u <= c.enum_values.size() ? c.enum_values[cell.u - 1] : "");
      return Value::string(std::string(cell.bytes));
    case Kind::kSet:
      if (cell.kind == CellKind::kSet) return Value::string(set_labels(c, cell.u));
      return Value::string(std::string(cell.bytes));
    case Kind::kYear: return Value::int32(static_cast<int32_t>(cell.i));
    case Kind::kDate:
      if (sluice::mysql::is_zero_or_partial_date(cell.t)) return null_value(schema);
      return Value::int32(static_cast<int32_t>(sluice::mysql::date_epoch_days(cell.t)));
    case Kind::kTime: return time_value(sluice::mysql::time_micros(cell.t), o);
    case Kind::kDateTime:
      if (sluice::mysql::is_zero_or_partial_date(cell.t)) return null_value(schema);
      return datetime_value(c, sluice::mysql::datetime_epoch_micros(cell.t), o);
    case Kind::kTimestamp: {
      if (cell.i == 0 && cell.t.micros == 0) return null_value(schema);
      std::string out;
      sluice::mysql::append_timestamp_utc(cell.i, cell.t.micros, cell.fsp, out);
      return Value::string(std::move(out));
    }
    case Kind::kBits: return bits_value(c, cell.bytes);
    case Kind::kUuid: {
      std::string out;
      if (cell.bytes.size() == 16) sluice::mysql::append_uuid(cell.bytes, out); else out.assign(cell.bytes);
      return Value::string(std::move(out));
    }
    case Kind::kInet: {
      std::string out;
      if (cell.kind == CellKind::kInet4 && cell.bytes.size() == 4) sluice::mysql::append_inet4(cell.bytes, out);
      else if (cell.kind == CellKind::kInet6 && cell.bytes.size() == 16) sluice::mysql::append_inet6(cell.bytes, out);
      else out.assign(cell.bytes);
      return Value::string(std::move(out));
    }
    case Kind::kUnmapped: break;
  }
  return Value();
}

std::string decimal_text_to_unscaled(std::string_view text) {
  bool neg = false;
  size_t i = 0;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) neg = text[i++] == '-';
  std::vector<uint8_t> mag;  // big-endian magnitude
  bool any = false;
  for (; i < text.size(); ++i) {
    char ch = text[i];
    if (ch == '.') continue;
    if (ch < '0' || ch > '9') return {};
    any = true;
    unsigned carry = static_cast<unsigned>(ch - '0');
    for (size_t k = mag.size(); k-- > 0;) {
      unsigned v = mag[k] * 10u + carry;
      mag[k] = static_cast<uint8_t>(v & 0xff);
      carry = v >> 8;
    }
    while (carry) { mag.insert(mag.begin(), static_cast<uint8_t>(carry & 0xff)); carry >>= 8; }
  }
  if (!any) return {};
  while (!mag.empty() && mag[0] == 0) mag.erase(mag.begin());
  if (mag.empty()) return std::string(1, '\0');
  if (mag[0] & 0x80) mag.insert(mag.begin(), 0);
  if (neg) {
    for (auto& b : mag) b = static_cast<uint8_t>(~b);
    for (size_t k = mag.size(); k-- > 0;) {
      if (++mag[k] != 0) break;
    }
    while (mag.size() > 1 && mag[0] == 0xff && (mag[1] & 0x80)) mag.erase(mag.begin());
  }
  return std::string(mag.begin(), mag.end());
}

}  // namespace sluice::mysql::cdc
