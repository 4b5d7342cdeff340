// Column values: binlog cells (streaming) and text-protocol strings (snapshot) to the Connect
// values Debezium 2.7 emits. Both paths end in the same normalized conversions, so the same
// stored data gives the same Value.
#include "plugins/mysql/schema/value_mapping.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "plugins/mysql/binlog/json_binary.h"
#include "plugins/mysql/schema/ddl_lexer.h"
#include "plugins/mysql/schema/value_internal.h"

namespace sluice::mysql {
namespace mapping {
namespace {

using api::Value;

// ---- text helpers ----------------------------------------------------------------------------

bool parse_u(std::string_view s, uint64_t& v) {
  if (s.empty() || s.size() > 20) return false;
  v = 0;
  for (char ch : s) {
    if (ch < '0' || ch > '9') return false;
    uint64_t next = v * 10 + uint64_t(ch - '0');
    if (next / 10 != v) return false;
    v = next;
  }
  return true;
}

// "2024-01-31", "2024-01-31 12:34:56.5" (T also accepted) -> parts; false if malformed.
bool parse_datetime(std::string_view s, TemporalParts& t, bool need_time) {
  uint64_t y, mo, d;
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return false;
  if (!parse_u(s.substr(0, 4), y) || !parse_u(s.substr(5, 2), mo) || !parse_u(s.substr(8, 2), d)) return false;
  t = TemporalParts{};
  t.year = int32_t(y);
  t.month = uint8_t(mo);
  t.day = uint8_t(d);
  if (s.size() == 10) return !need_time || true;
  if (s.size() < 19 || (s[10] != ' ' && s[10] != 'T') || s[13] != ':' || s[16] != ':') return false;
  uint64_t h, mi, se;
  if (!parse_u(s.substr(11, 2), h) || !parse_u(s.substr(14, 2), mi) || !parse_u(s.substr(17, 2), se)) return false;
  t.hour = uint8_t(h);
  t.minute = uint8_t(mi);
  t.second = uint8_t(se);
  if (s.size() > 19) {
    if (s[19] != '.') return false;
    std::string frac(s.substr(20));
    if (frac.empty() || frac.size() > 6) return false;
    frac.resize(6, '0');
    uint64_t us;
    if (!parse_u(frac, us)) return false;
    t.micros = uint32_t(us);
  }
  return t.month <= 12 && t.day <= 31 && t.hour < 24 && t.minute < 60 && t.second < 60;
}

// "-838:59:59.000000", "12:34:56", "1 12:00:00" is not produced by the server: not accepted.
bool parse_time(std::string_view s, TemporalParts& t) {
  t = TemporalParts{};
  if (!s.empty() && s[0] == '-') {
    t.negative = true;
    s.remove_prefix(1);
  }
  size_t c1 = s.find(':');
  if (c1 == std::string_view::npos || c1 + 6 > s.size() || s[c1 + 3] != ':') return false;
  uint64_t h, m, sec;
  if (!parse_u(s.substr(0, c1), h) || !parse_u(s.substr(c1 + 1, 2), m) || !parse_u(s.substr(c1 + 4, 2), sec)) return false;
  t.hours = uint32_t(h);
  t.hour = uint8_t(h % 24);
  t.minute = uint8_t(m);
  t.second = uint8_t(sec);
  std::string_view rest = s.substr(c1 + 6);
  if (!rest.empty()) {
    if (rest[0] != '.' || rest.size() > 7 || rest.size() < 2) return false;
    std::string frac(rest.substr(1));
    frac.resize(6, '0');
    uint64_t us;
    if (!parse_u(frac, us)) return false;
    t.micros = uint32_t(us);
  }
  return m < 60 && sec < 60;
}

bool parse_signed(std::string_view s, int64_t& v, uint64_t& u, bool& negative) {
  negative = !s.empty() && s[0] == '-';
  if (negative || (!s.empty() && s[0] == '+')) s.remove_prefix(1);
  if (!parse_u(s, u)) return false;
  if (negative) {
    if (u > uint64_t(INT64_MAX) + 1) return false;
    v = int64_t(0 - u);
  } else {
    v = int64_t(u);
  }
  return true;
}

Result<Value> bad_text(const Column& c, std::string_view text) {
  return Error{"column " + c.name + " (" + c.type_name + "): cannot read value '" + std::string(text.substr(0, 60)) + "'"};
}

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// ---- conversions shared by both paths --------------------------------------------------------

Result<Value> from_date(Target t, const Column& c, const MappingOptions& o, TemporalParts p, const ColumnMapping& m) {
  if (is_zero_or_partial_date(p)) return null_value(m);
  p.year = adjust_year(p.year, o);
  int64_t days = date_epoch_days(p);
  (void)c;
  (void)t;
  return Value::int32(int32_t(days));
}

Result<Value> from_datetime(Target t, const MappingOptions& o, TemporalParts p, const ColumnMapping& m) {
  if (is_zero_or_partial_date(p)) return null_value(m);
  p.year = adjust_year(p.year, o);
  int64_t micros = datetime_epoch_micros(p);
  if (t == Target::kMicroTimestamp) return Value::int64(micros);
  return Value::int64(floor_div(micros, 1000));
}

// Connect's Time is a time of day: durations outside [0, 24h) have no value (Debezium's
// conversion fails for them too).
Result<Value> from_time(Target t, const Column& c, const TemporalParts& p) {
  int64_t micros = time_micros(p);
  if (t == Target::kConnectTime) {
    if (micros < 0 || micros >= int64_t(86400) * 1000000) {
      return Error{"column " + c.name + ": TIME value outside 00:00:00-23:59:59 has no Connect Time (use "
                   "time.precision.mode=adaptive_time_microseconds)"};
    }
    return Value::int32(int32_t(micros / 1000));
  }
  return Value::int64(micros);
}

Value from_timestamp(const Column& c, int64_t seconds, uint32_t micros) {
  std::string s;
  append_timestamp_utc(seconds, micros, c.fsp.value_or(0), s);
  return Value::string(std::move(s));
}

std::string pad_binary(const Column& c, std::string bytes) {
  if (c.kind == ColumnKind::kBinary && c.length && bytes.size() < size_t(*c.length)) bytes.resize(size_t(*c.length), '\0');
  return bytes;
}

// Debezium's ENUM/SET values are its `allowed` entries: a comma inside a label stays "\,".
std::string label_value(std::string_view label) {
  std::string out;
  for (char ch : label) {
    if (ch == ',') out += '\\';
    out += ch;
  }
  return out;
}

Result<Value> set_from_bits(const Column& c, uint64_t bits) {
  std::string out;
  for (size_t i = 0; i < c.labels.size() && i < 64; ++i) {
    if (bits & (uint64_t(1) << i)) {
      if (!out.empty()) out += ',';
      out += label_value(c.labels[i]);
    }
  }
  return Value::string(std::move(out));
}

// Text of an ENUM/SET value: labels as the server prints them (SET: comma-joined), mapped to
// Debezium's form by label.
Value labels_from_text(const Column& c, std::string_view text) {
  if (c.kind == ColumnKind::kEnum) return Value::string(label_value(text));
  // SET: the server joins labels with commas, so split by the known labels, longest first.
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t best = std::string::npos, len = 0;
    for (size_t i = 0; i < c.labels.size(); ++i) {
      const std::string& l = c.labels[i];
      if (l.size() >= len && text.compare(pos, l.size(), l) == 0 &&
          (pos + l.size() == text.size() || text[pos + l.size()] == ',')) {
        best = i;
        len = l.size();
      }
    }
    if (best == std::string::npos) return Value::string(std::string(text));  // not our labels: as is
    if (!out.empty()) out += ',';
    out += label_value(c.labels[best]);
    pos += len + 1;
  }
  return Value::string(std::move(out));
}

// MariaDB's UUID/INET4/INET6 travel as BINARY(16)/(4)/(16), whose trailing zero bytes the
// binlog leaves out: padded back before printing.
Value canonical(const Column& c, std::string_view bytes) {
  size_t want = c.kind == ColumnKind::kInet4 ? 4 : 16;
  std::string padded(bytes);
  if (padded.size() < want) padded.resize(want, '\0');
  std::string_view raw = padded;
  std::string s;
  if (c.kind == ColumnKind::kUuid && raw.size() == 16) append_uuid(raw, s);
  else if (c.kind == ColumnKind::kInet4 && raw.size() == 4) append_inet4(raw, s);
  else if (c.kind == ColumnKind::kInet6 && raw.size() == 16) append_inet6(raw, s);
  else s = std::string(raw);
  return Value::string(std::move(s));
}

double parse_double(std::string_view s, bool& ok) {
  std::string tmp(s);
  char* end = nullptr;
  double v = std::strtod(tmp.c_str(), &end);
  ok = end && *end == '\0' && !tmp.empty();
  return v;
}

}  // namespace

int32_t adjust_year(int32_t year, const MappingOptions& o) {
  if (!o.time_adjuster) return year;
  if (year >= 0 && year < 70) return year + 2000;
  if (year >= 70 && year <= 99) return year + 1900;
  return year;
}

int32_t year_value(int32_t year, const MappingOptions& o) {
  // The zero YEAR is 1900 for Debezium (its binlog reader adds 1900 to the stored byte).
  if (year == 0) return 1900;
  return adjust_year(year, o);
}

bool decimal_digits(std::string_view text, int scale, std::string& digits, bool& negative) {
  negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  size_t dot = text.find('.');
  std::string_view ip = text.substr(0, dot);
  std::string_view fp = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  if (ip.empty() && fp.empty()) return false;
  for (char ch : ip)
    if (ch < '0' || ch > '9') return false;
  for (char ch : fp)
    if (ch < '0' || ch > '9') return false;
  digits.assign(ip);
  std::string f(fp);
  if (scale >= 0) f.resize(size_t(scale), '0');
  digits += f;
  size_t nz = digits.find_first_not_of('0');
  digits = nz == std::string::npos ? "0" : digits.substr(nz);
  if (digits == "0") negative = false;
  return true;
}

std::string unscaled_bytes(std::string_view digits, bool negative) {
  // Decimal digits -> big-endian magnitude by repeated division by 256.
  std::string num(digits);
  std::string mag;  // little-endian while building
  while (!(num.size() == 1 && num[0] == '0') && !num.empty()) {
    std::string q;
    int rem = 0;
    for (char ch : num) {
      int cur = rem * 10 + (ch - '0');
      int d = cur / 256;
      rem = cur % 256;
      if (!q.empty() || d != 0) q += char('0' + d);
    }
    mag += char(rem);
    num = q.empty() ? "0" : q;
  }
  std::string be(mag.rbegin(), mag.rend());
  be.insert(be.begin(), '\0');  // room for the sign bit
  if (negative) {
    for (char& b : be) b = char(~static_cast<unsigned char>(b));
    for (size_t i = be.size(); i-- > 0;) {
      unsigned char v = static_cast<unsigned char>(be[i]);
      be[i] = char(v + 1);
      if (v != 0xff) break;
    }
    while (be.size() > 1 && static_cast<unsigned char>(be[0]) == 0xff && (static_cast<unsigned char>(be[1]) & 0x80)) be.erase(0, 1);
  } else {
    while (be.size() > 1 && be[0] == '\0' && !(static_cast<unsigned char>(be[1]) & 0x80)) be.erase(0, 1);
  }
  return be;
}

Value from_integer(Target t, const Column& c, const MappingOptions& o, int64_t s, uint64_t u) {
  (void)o;
  switch (t) {
    case Target::kBoolean: return Value::boolean(c.is_unsigned ? u != 0 : s != 0);
    case Target::kInt16: return Value::int16(int16_t(c.is_unsigned ? int64_t(u) : s));
    case Target::kInt32: return Value::int32(int32_t(c.is_unsigned ? int64_t(u) : s));
    case Target::kInt64: return Value::int64(c.is_unsigned ? int64_t(u) : s);  // BIGINT UNSIGNED wraps
    case Target::kDecimalBytes: return Value::bytes(unscaled_bytes(std::to_string(u), false));
    default: return Value::int64(s);
  }
}

Result<Value> from_decimal_text(Target t, const Column& c, std::string_view text) {
  int scale = c.scale.value_or(0);
  switch (t) {
    case Target::kDecimalBytes: {
      std::string digits;
      bool negative = false;
      if (!decimal_digits(text, scale, digits, negative)) return bad_text(c, text);
      return Value::bytes(unscaled_bytes(digits, negative));
    }
    case Target::kDecimalDouble: {
      bool ok = false;
      double d = parse_double(text, ok);
      if (!ok) return bad_text(c, text);
      return Value::float64(d);
    }
    default: {
      // Plain notation with the column's scale, as BigDecimal.toPlainString of the value.
      std::string digits;
      bool negative = false;
      if (!decimal_digits(text, scale, digits, negative)) return bad_text(c, text);
      if (scale > 0) {
        if (digits.size() <= size_t(scale)) digits.insert(0, size_t(scale) + 1 - digits.size(), '0');
        digits.insert(digits.size() - size_t(scale), ".");
      }
      return Value::string((negative ? "-" : "") + digits);
    }
  }
}

Value from_binary(const MappingOptions& o, std::string bytes) {
  switch (o.binary) {
    case BinaryHandling::kBytes: return Value::bytes(std::move(bytes));
    case BinaryHandling::kBase64: {
      std::string s;
      append_base64(bytes, s);
      return Value::string(std::move(s));
    }
    case BinaryHandling::kBase64UrlSafe: {
      std::string s;
      append_base64(bytes, s);
      for (char& ch : s) {
        if (ch == '+') ch = '-';
        else if (ch == '/') ch = '_';
      }
      return Value::string(std::move(s));
    }
    case BinaryHandling::kHex: {
      static const char kHex[] = "0123456789abcdef";
      std::string s;
      s.reserve(bytes.size() * 2);
      for (unsigned char ch : bytes) {
        s += kHex[ch >> 4];
        s += kHex[ch & 15];
      }
      return Value::string(std::move(s));
    }
  }
  return Value::bytes(std::move(bytes));
}

Value from_bits(const Column& c, std::string_view be) {
  if (c.length.value_or(1) == 1) {
    bool any = false;
    for (char ch : be) any = any || ch != 0;
    return Value::boolean(any);
  }
  size_t n = size_t((c.length.value_or(1) + 7) / 8);
  std::string le(be.rbegin(), be.rend());
  le.resize(n, '\0');
  return Value::bytes(std::move(le));
}

Result<Value> from_geometry(Target t, const api::SchemaPtr& schema, std::string_view raw) {
  if (raw.size() < 4) return Error{"geometry value shorter than its SRID"};
  uint32_t srid = uint32_t(uint8_t(raw[0])) | uint32_t(uint8_t(raw[1])) << 8 | uint32_t(uint8_t(raw[2])) << 16 |
                  uint32_t(uint8_t(raw[3])) << 24;
  std::string_view wkb = raw.substr(4);
  api::Struct s(schema);
  s.put("wkb", Value::bytes(std::string(wkb)));
  s.put("srid", srid == 0 ? Value() : Value::int32(int32_t(srid)));
  if (t == Target::kPoint) {
    // WKB point: byte order, uint32 type (1), x, y doubles.
    if (wkb.size() < 21) return Error{"POINT value shorter than a WKB point"};
    bool little = wkb[0] == 1;
    auto read_double = [&](size_t off) {
      unsigned char b[8];
      std::memcpy(b, wkb.data() + off, 8);
      if (!little) std::reverse(b, b + 8);
      double d;
      std::memcpy(&d, b, 8);
      return d;
    };
    s.put("x", Value::float64(read_double(5)));
    s.put("y", Value::float64(read_double(13)));
  }
  return Value::structure(std::move(s));
}

Result<std::string> to_utf8(std::string_view bytes, const std::string& charset) {
  std::string cs = ddl::lower(charset);
  if (cs.empty() || cs == "utf8mb4" || cs == "utf8" || cs == "utf8mb3" || cs == "ascii" || cs == "binary") {
    return std::string(bytes);
  }
  auto put = [](uint32_t cp, std::string& out) {
    if (cp < 0x80) {
      out += char(cp);
    } else if (cp < 0x800) {
      out += char(0xC0 | (cp >> 6));
      out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += char(0xE0 | (cp >> 12));
      out += char(0x80 | ((cp >> 6) & 0x3F));
      out += char(0x80 | (cp & 0x3F));
    } else {
      out += char(0xF0 | (cp >> 18));
      out += char(0x80 | ((cp >> 12) & 0x3F));
      out += char(0x80 | ((cp >> 6) & 0x3F));
      out += char(0x80 | (cp & 0x3F));
    }
  };
  std::string out;
  out.reserve(bytes.size() * 2);
  if (cs == "latin1") {
    // MySQL's latin1 is Windows-1252 (the five undefined bytes map to C1 controls).
    static const uint16_t kCp1252[32] = {0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                         0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
                                         0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                         0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};
    for (unsigned char ch : bytes) put(ch >= 0x80 && ch < 0xA0 ? kCp1252[ch - 0x80] : ch, out);
    return out;
  }
  if (cs == "ucs2" || cs == "utf16" || cs == "utf16le") {
    bool le = cs == "utf16le";
    if (bytes.size() % 2) return Error{"odd byte count in a " + cs + " value"};
    for (size_t i = 0; i + 1 < bytes.size(); i += 2) {
      uint32_t u = le ? uint32_t(uint8_t(bytes[i])) | uint32_t(uint8_t(bytes[i + 1])) << 8
                      : uint32_t(uint8_t(bytes[i])) << 8 | uint32_t(uint8_t(bytes[i + 1]));
      if (u >= 0xD800 && u < 0xDC00 && i + 3 < bytes.size()) {
        uint32_t lo = le ? uint32_t(uint8_t(bytes[i + 2])) | uint32_t(uint8_t(bytes[i + 3])) << 8
                         : uint32_t(uint8_t(bytes[i + 2])) << 8 | uint32_t(uint8_t(bytes[i + 3]));
        u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
        i += 2;
      }
      put(u, out);
    }
    return out;
  }
  if (cs == "utf32") {
    if (bytes.size() % 4) return Error{"byte count of a utf32 value is not a multiple of 4"};
    for (size_t i = 0; i + 3 < bytes.size(); i += 4) {
      put(uint32_t(uint8_t(bytes[i])) << 24 | uint32_t(uint8_t(bytes[i + 1])) << 16 |
              uint32_t(uint8_t(bytes[i + 2])) << 8 | uint32_t(uint8_t(bytes[i + 3])),
          out);
    }
    return out;
  }
  return Error{"values in character set " + cs + " are not supported (utf8mb4, utf8mb3, ascii, latin1, "
               "ucs2, utf16, utf16le, utf32 are)"};
}

}  // namespace mapping

using mapping::Target;

Result<api::Value> from_cell(const CellView& cell, const ColumnMapping& m) {
  const Column& c = m.column;
  const MappingOptions& o = m.options;
  Target t = mapping::target_of(c, o);
  if (t == Target::kDropped) return api::Value();
  switch (cell.kind) {
    case CellKind::kAbsent: return Error{"column " + c.name + " is not in the row image"};
    case CellKind::kNull: return null_value(m);
    case CellKind::kSigned:
    case CellKind::kUnsigned:
    case CellKind::kInteger:
      if (t == Target::kYear) return api::Value::int32(mapping::year_value(int32_t(cell.as_signed()), o));
      return mapping::from_integer(t, c, o, cell.as_signed(), cell.as_unsigned());
    case CellKind::kFloat:
      if (t == Target::kFloat32) return api::Value::float32(cell.f);
      return api::Value::float64(double(cell.f));
    case CellKind::kDouble:
      if (t == Target::kFloat32) return api::Value::float32(float(cell.d));
      return api::Value::float64(cell.d);
    case CellKind::kDecimal: {
      std::string text;
      if (auto st = decimal_to_string(cell.bytes, cell.precision, cell.scale, text); !st.ok()) {
        return Error{"column " + c.name + ": " + st.message()};
      }
      return mapping::from_decimal_text(t, c, text);
    }
    case CellKind::kYear: return api::Value::int32(mapping::year_value(int32_t(cell.i), o));
    case CellKind::kDate:
      if (is_zero_or_partial_date(cell.t)) return null_value(m);
      {
        TemporalParts p = cell.t;
        p.year = mapping::adjust_year(p.year, o);
        return api::Value::int32(int32_t(date_epoch_days(p)));
      }
    case CellKind::kTime: return mapping::from_time(t, c, cell.t);
    case CellKind::kDateTime: {
      if (is_zero_or_partial_date(cell.t)) return null_value(m);
      TemporalParts p = cell.t;
      p.year = mapping::adjust_year(p.year, o);
      int64_t micros = datetime_epoch_micros(p);
      if (t == Target::kMicroTimestamp) return api::Value::int64(micros);
      return api::Value::int64(micros / 1000 - ((micros % 1000 != 0) && micros < 0));
    }
    case CellKind::kTimestamp: {
      if (cell.i == 0 && cell.t.micros == 0) return null_value(m);
      std::string s;
      append_timestamp_utc(cell.i, cell.t.micros, c.fsp.value_or(cell.fsp), s);
      return api::Value::string(std::move(s));
    }
    case CellKind::kString: {
      if (t == Target::kBinary) return mapping::from_binary(o, std::string(cell.bytes));
      if (t == Target::kCanonicalText) return mapping::canonical(c, cell.bytes);
      auto text = mapping::to_utf8(cell.bytes, c.effective_charset());
      if (!text.ok()) return Error{"column " + c.name + ": " + text.error()};
      if (t == Target::kJson) return api::Value::string(std::move(*text));
      return api::Value::string(std::move(*text));
    }
    case CellKind::kBytes:
      if (t == Target::kString || t == Target::kJson) {  // a text column read without its charset
        auto text = mapping::to_utf8(cell.bytes, c.effective_charset());
        if (!text.ok()) return Error{"column " + c.name + ": " + text.error()};
        return api::Value::string(std::move(*text));
      }
      if (t == Target::kCanonicalText) return mapping::canonical(c, cell.bytes);
      return mapping::from_binary(o, mapping::pad_binary(c, std::string(cell.bytes)));
    case CellKind::kEnum:
      if (cell.u == 0 || cell.u > c.labels.size()) return api::Value::string("");
      return api::Value::string(mapping::label_value(c.labels[cell.u - 1]));
    case CellKind::kSet: return mapping::set_from_bits(c, cell.u);
    case CellKind::kBit: return mapping::from_bits(c, cell.bytes);
    case CellKind::kJson: {
      if (cell.bytes.empty()) return c.optional ? api::Value() : api::Value::string("{}");
      std::string text;
      if (auto st = json_binary_to_text(cell.bytes, text); !st.ok()) {
        return Error{"column " + c.name + ": " + st.message()};
      }
      return api::Value::string(std::move(text));
    }
    case CellKind::kGeometry: return mapping::from_geometry(t, m.schema, cell.bytes);
    case CellKind::kVector: return mapping::from_binary(o, std::string(cell.bytes));
    case CellKind::kUuid: case CellKind::kInet4: case CellKind::kInet6:
      return mapping::canonical(c, cell.bytes);
  }
  return Error{"column " + c.name + ": unexpected cell kind " + std::string(cell_kind_name(cell.kind))};
}

Result<api::Value> from_text(std::string_view text, const ColumnMapping& m) {
  const Column& c = m.column;
  const MappingOptions& o = m.options;
  Target t = mapping::target_of(c, o);
  using api::Value;
  switch (t) {
    case Target::kDropped: return Value();
    case Target::kBoolean:
      if (c.kind == ColumnKind::kBit) return mapping::from_bits(c, text);
      [[fallthrough]];
    case Target::kInt16: case Target::kInt32: case Target::kInt64: {
      int64_t s = 0;
      uint64_t u = 0;
      bool negative = false;
      if (!mapping::parse_signed(text, s, u, negative)) return mapping::bad_text(c, text);
      if (c.is_unsigned && negative) return mapping::bad_text(c, text);
      return mapping::from_integer(t, c, o, s, u);
    }
    case Target::kDecimalBytes:
      if (c.kind == ColumnKind::kBigInt) {  // BIGINT UNSIGNED, precise
        uint64_t u = 0;
        if (!mapping::parse_u(text, u)) return mapping::bad_text(c, text);
        return mapping::from_integer(t, c, o, int64_t(u), u);
      }
      return mapping::from_decimal_text(t, c, text);
    case Target::kDecimalDouble: case Target::kDecimalString: return mapping::from_decimal_text(t, c, text);
    case Target::kFloat32: case Target::kFloat64: {
      bool ok = false;
      double d = mapping::parse_double(text, ok);
      if (!ok) return mapping::bad_text(c, text);
      // A FLOAT column's text is the shortest float text: read it as a float, then widen, as
      // the binlog's 4-byte value is widened.
      if (c.kind == ColumnKind::kFloat) {
        float f = std::strtof(std::string(text).c_str(), nullptr);
        return t == Target::kFloat32 ? Value::float32(f) : Value::float64(double(f));
      }
      return t == Target::kFloat32 ? Value::float32(float(d)) : Value::float64(d);
    }
    case Target::kBits: return mapping::from_bits(c, text);
    case Target::kYear: {
      uint64_t y = 0;
      if (!mapping::parse_u(text, y)) return mapping::bad_text(c, text);
      return Value::int32(mapping::year_value(int32_t(y), o));
    }
    case Target::kDate: case Target::kConnectDate: {
      TemporalParts p;
      if (!mapping::parse_datetime(text, p, false)) return mapping::bad_text(c, text);
      return mapping::from_date(t, c, o, p, m);
    }
    case Target::kMicroTime: case Target::kConnectTime: {
      TemporalParts p;
      if (!mapping::parse_time(text, p)) return mapping::bad_text(c, text);
      return mapping::from_time(t, c, p);
    }
    case Target::kTimestampMs: case Target::kMicroTimestamp: case Target::kConnectTimestamp: {
      TemporalParts p;
      if (!mapping::parse_datetime(text, p, true)) return mapping::bad_text(c, text);
      return mapping::from_datetime(t, o, p, m);
    }
    case Target::kZonedTimestamp: {
      // The snapshot connection runs with time_zone='+00:00': the text is UTC.
      TemporalParts p;
      if (!mapping::parse_datetime(text, p, true)) return mapping::bad_text(c, text);
      if (is_zero_or_partial_date(p)) return null_value(m);
      int64_t micros = datetime_epoch_micros(p);
      return mapping::from_timestamp(c, mapping::floor_div(micros, 1000000), uint32_t(micros - mapping::floor_div(micros, 1000000) * 1000000));
    }
    case Target::kString: case Target::kJson: return Value::string(std::string(text));
    case Target::kEnum: case Target::kSet: return mapping::labels_from_text(c, text);
    case Target::kCanonicalText: return Value::string(std::string(text));
    case Target::kBinary:
      if (c.kind == ColumnKind::kVector || c.kind == ColumnKind::kUnknown) {
        return mapping::from_binary(o, std::string(text));
      }
      return mapping::from_binary(o, mapping::pad_binary(c, std::string(text)));
    case Target::kGeometry: case Target::kPoint: return mapping::from_geometry(t, m.schema, text);
  }
  return mapping::bad_text(c, text);
}

}  // namespace sluice::mysql
