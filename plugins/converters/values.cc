#include "plugins/converters/values.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <vector>

#include "plugins/converters/text_format.h"

namespace sluice::converters::values {

using api::Schema;
using api::SchemaAndValue;
using api::SchemaBuilder;
using api::SchemaPtr;
using api::Type;
using api::Value;
using Kind = api::Value::Kind;

namespace {

constexpr int64_t kMillisPerDay = 86400000;

enum class Logical { None, Decimal, Date, Time, Timestamp };

Logical logical_of(const Schema* s) {
  if (!s || s->name().empty()) return Logical::None;
  const std::string& n = s->name();
  if (n == api::logical::kDecimal) return Logical::Decimal;
  if (n == api::logical::kDate) return Logical::Date;
  if (n == api::logical::kTime) return Logical::Time;
  if (n == api::logical::kTimestamp) return Logical::Timestamp;
  return Logical::None;
}

// Milliseconds since the epoch of a temporal logical value, or false.
bool temporal_millis(const Schema* s, const Value& v, int64_t& ms) {
  Logical l = logical_of(s);
  if (l != Logical::Date && l != Logical::Time && l != Logical::Timestamp) return false;
  int64_t x = 0;
  if (!v.get_integer(x)) return false;
  ms = l == Logical::Date ? x * kMillisPerDay : x;
  return true;
}

const Schema* value_schema(const Schema* s) { return s ? s->value_schema().get() : nullptr; }
const Schema* key_schema(const Schema* s) { return s ? s->key_schema().get() : nullptr; }

void append_scalar(std::string& out, const Value& v) {
  switch (v.kind()) {
    case Kind::Boolean: out.append(v.as_bool() ? "true" : "false"); break;
    case Kind::Int8: detail::append_int(out, v.as_int8()); break;
    case Kind::Int16: detail::append_int(out, v.as_int16()); break;
    case Kind::Int32: detail::append_int(out, v.as_int32()); break;
    case Kind::Int64: detail::append_int(out, v.as_int64()); break;
    case Kind::Float32: detail::append_java_float(out, v.as_float32()); break;
    case Kind::Float64: detail::append_java_double(out, v.as_float64()); break;
    default: break;
  }
}

}  // namespace

// ---- Values.convertToString ------------------------------------------------------------------

void append_connect_string(std::string& out, const Schema* s, const Value& v, bool embedded) {
  if (v.is_null()) {
    out.append("null");
    return;
  }
  if (logical_of(s) == Logical::Decimal && v.kind() == Kind::Bytes) {
    detail::append_big_decimal(out, v.as_bytes(), detail::decimal_scale(*s));
    return;
  }
  int64_t ms = 0;
  if (temporal_millis(s, v, ms)) {
    // Values.dateFormatFor
    if (ms < kMillisPerDay)
      detail::append_iso_time(out, ms);
    else if (ms % kMillisPerDay == 0)
      detail::append_iso_date(out, ms);
    else
      detail::append_iso_timestamp(out, ms);
    return;
  }
  switch (v.kind()) {
    case Kind::String:
      if (!embedded) {
        out.append(v.as_string());
      } else {
        out.push_back('"');
        for (char c : v.as_string()) {
          if (c == '\\' || c == '"') out.push_back('\\');
          out.push_back(c);
        }
        out.push_back('"');
      }
      return;
    case Kind::Bytes:
      if (embedded) out.push_back('"');
      detail::append_base64(out, v.as_bytes());
      if (embedded) out.push_back('"');
      return;
    case Kind::Array: {
      out.push_back('[');
      bool first = true;
      for (const Value& e : v.as_array()) {
        if (!first) out.push_back(',');
        first = false;
        append_connect_string(out, value_schema(s), e, true);
      }
      out.push_back(']');
      return;
    }
    case Kind::Map: {
      out.push_back('{');
      bool first = true;
      for (const auto& [k, val] : v.as_map()) {
        if (!first) out.push_back(',');
        first = false;
        append_connect_string(out, key_schema(s), k, true);
        out.push_back(':');
        append_connect_string(out, value_schema(s), val, true);
      }
      out.push_back('}');
      return;
    }
    case Kind::Struct: {
      const api::Struct& st = v.as_struct();
      out.push_back('{');
      const auto& fields = st.schema()->fields();
      for (size_t i = 0; i < fields.size(); ++i) {
        if (i) out.push_back(',');
        append_connect_string(out, nullptr, Value::string(fields[i].name), true);
        out.push_back(':');
        const Value* fv = &st.get(i);
        const Schema* fs = fields[i].schema.get();
        if (fv->is_null() && fs && fs->default_value()) fv = fs->default_value();  // Struct.get
        append_connect_string(out, fs, *fv, true);
      }
      out.push_back('}');
      return;
    }
    default:
      append_scalar(out, v);
      return;
  }
}

// ---- Object.toString -------------------------------------------------------------------------

void append_java_to_string(std::string& out, const Schema* s, const Value& v) {
  if (v.is_null()) {
    out.append("null");
    return;
  }
  if (logical_of(s) == Logical::Decimal && v.kind() == Kind::Bytes) {
    detail::append_big_decimal(out, v.as_bytes(), detail::decimal_scale(*s));
    return;
  }
  int64_t ms = 0;
  if (temporal_millis(s, v, ms)) {
    detail::append_java_date(out, ms);
    return;
  }
  switch (v.kind()) {
    case Kind::String: out.append(v.as_string()); return;
    case Kind::Bytes: out.append(v.as_bytes()); return;
    case Kind::Array: {
      out.push_back('[');
      bool first = true;
      for (const Value& e : v.as_array()) {
        if (!first) out.append(", ");
        first = false;
        append_java_to_string(out, value_schema(s), e);
      }
      out.push_back(']');
      return;
    }
    case Kind::Map: {
      out.push_back('{');
      bool first = true;
      for (const auto& [k, val] : v.as_map()) {
        if (!first) out.append(", ");
        first = false;
        append_java_to_string(out, key_schema(s), k);
        out.push_back('=');
        append_java_to_string(out, value_schema(s), val);
      }
      out.push_back('}');
      return;
    }
    case Kind::Struct: {
      const api::Struct& st = v.as_struct();
      out.append("Struct{");
      const auto& fields = st.schema()->fields();
      bool first = true;
      for (size_t i = 0; i < fields.size(); ++i) {
        if (st.get(i).is_null()) continue;
        if (!first) out.push_back(',');
        first = false;
        out.append(fields[i].name);
        out.push_back('=');
        append_java_to_string(out, fields[i].schema.get(), st.get(i));
      }
      out.push_back('}');
      return;
    }
    default:
      append_scalar(out, v);
      return;
  }
}

// ---- Values.parseString ----------------------------------------------------------------------

namespace {

struct ParseFailure {};  // Java's DataException inside the parser

bool is_java_space(char c) { return static_cast<unsigned char>(c) <= ' '; }

std::string_view java_trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && is_java_space(s[b])) ++b;
  while (e > b && is_java_space(s[e - 1])) --e;
  return s.substr(b, e - b);
}

bool is_blank(std::string_view s) { return java_trim(s).empty(); }

// Values.Parser: splits on unescaped : , { } [ ] " (each delimiter is a token of its own).
class Parser {
 public:
  explicit Parser(std::string_view s) : orig_(s) {}

  size_t position() const { return pos_; }
  size_t mark() const { return pos_ - (next_ ? next_->size() : 0); }
  void rewind_to(size_t p) {
    pos_ = p;
    next_.reset();
    prev_ = {};
  }
  bool has_next() const { return next_.has_value() || pos_ < orig_.size(); }
  std::string_view next() {
    if (next_) {
      prev_ = *next_;
      next_.reset();
    } else {
      prev_ = consume();
    }
    return prev_;
  }
  std::optional<std::string_view> next(int n) {
    size_t start = mark();
    for (int i = 0; i < n; ++i) {
      if (!has_next()) {
        rewind_to(start);
        return std::nullopt;
      }
      next();
    }
    return orig_.substr(start, pos_ - start);
  }
  std::string_view previous() const { return prev_; }
  bool can_consume(std::string_view expected) {
    if (is_next(expected)) {
      next_.reset();
      return true;
    }
    return false;
  }

 private:
  bool is_next(std::string_view expected) {
    if (!next_) {
      if (!has_next()) return false;
      next_ = consume();
    }
    while (is_blank(*next_) && pos_ < orig_.size()) next_ = consume();
    return java_trim(*next_) == expected;
  }

  std::string_view consume() {
    bool escaped = false;
    const size_t start = pos_;
    while (pos_ < orig_.size()) {
      switch (orig_[pos_]) {
        case '\\':
          escaped = !escaped;
          break;
        case ':':
        case ',':
        case '{':
        case '}':
        case '[':
        case ']':
        case '"':
          if (!escaped) {
            if (start < pos_) return orig_.substr(start, pos_ - start);
            ++pos_;
            return orig_.substr(start, 1);
          }
          escaped = false;
          break;
        default:
          escaped = false;
          break;
      }
      ++pos_;
    }
    return orig_.substr(start, pos_ - start);
  }

  std::string_view orig_;
  size_t pos_ = 0;
  std::optional<std::string_view> next_;
  std::string_view prev_;
};

using Parsed = std::optional<SchemaAndValue>;  // nullopt: Java's null

bool digits_at(std::string_view s, size_t pos, size_t n, int& v) {
  v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  return true;
}

bool parse_time_of_day(std::string_view s, int64_t& ms) {  // "HH:mm:ss.SSSZ"
  int h, m, sec, milli;
  if (s.size() != 13 || s[2] != ':' || s[5] != ':' || s[8] != '.' || s[12] != 'Z') return false;
  if (!digits_at(s, 0, 2, h) || !digits_at(s, 3, 2, m) || !digits_at(s, 6, 2, sec) ||
      !digits_at(s, 9, 3, milli))
    return false;
  if (h > 23 || m > 59 || sec > 59) return false;
  ms = ((h * 60 + m) * 60 + sec) * int64_t{1000} + milli;
  return true;
}

bool parse_date(std::string_view s, int64_t& days) {  // "yyyy-MM-dd"
  int y, mo, d;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  if (!digits_at(s, 0, 4, y) || !digits_at(s, 5, 2, mo) || !digits_at(s, 8, 2, d)) return false;
  return detail::days_from_civil(y, mo, d, days);
}

Parsed parse_temporal(std::string token) {
  for (size_t p; (p = token.find("\\:")) != std::string::npos;) token.erase(p, 1);
  int64_t ms = 0, days = 0;
  if (token.size() == 13 && parse_time_of_day(token, ms))
    return SchemaAndValue{api::logical::time().build(), Value::int32(static_cast<int32_t>(ms))};
  if (token.size() == 24 && token[10] == 'T' && parse_date(std::string_view(token).substr(0, 10), days) &&
      parse_time_of_day(std::string_view(token).substr(11), ms))
    return SchemaAndValue{api::logical::timestamp().build(), Value::int64(days * kMillisPerDay + ms)};
  if (token.size() == 10 && parse_date(token, days) && days >= INT32_MIN && days <= INT32_MAX)
    return SchemaAndValue{api::logical::date().build(), Value::int32(static_cast<int32_t>(days))};
  return std::nullopt;
}

Parsed parse_number(std::string_view token) {
  detail::DecimalText d;
  if (!detail::parse_decimal_text(token, d)) return std::nullopt;
  // An exact integer goes to the smallest integer type that holds it.
  detail::DecimalText whole = d;
  int64_t x = 0;
  if (detail::rescale_decimal(whole, 0) && detail::decimal_to_int64(whole, x)) {
    if (x >= INT8_MIN && x <= INT8_MAX) return SchemaAndValue{api::schemas::int8(), Value::int8(static_cast<int8_t>(x))};
    if (x >= INT16_MIN && x <= INT16_MAX) return SchemaAndValue{api::schemas::int16(), Value::int16(static_cast<int16_t>(x))};
    if (x >= INT32_MIN && x <= INT32_MAX) return SchemaAndValue{api::schemas::int32(), Value::int32(static_cast<int32_t>(x))};
    return SchemaAndValue{api::schemas::int64(), Value::int64(x)};
  }
  std::string text(token);
  double dv = std::strtod(text.c_str(), nullptr);
  if (std::isfinite(dv) && d.scale != 0) return SchemaAndValue{api::schemas::float64(), Value::float64(dv)};
  if (d.scale < INT32_MIN || d.scale > INT32_MAX) return std::nullopt;
  return SchemaAndValue{api::logical::decimal(static_cast<int32_t>(d.scale)).build(),
                        Value::bytes(detail::decimal_to_twos_complement(d))};
}

// Values.commonSchemaFor
SchemaPtr common_schema(const SchemaPtr& previous, const Parsed& latest) {
  if (!latest) return previous;
  if (!previous) return latest->schema;
  const SchemaPtr& fresh = latest->schema;
  if (!fresh) return nullptr;
  Type pt = previous->type(), nt = fresh->type();
  auto rank = [](Type t) {
    switch (t) {
      case Type::Int8: return 1;
      case Type::Int16: return 2;
      case Type::Int32: return 3;
      case Type::Int64: return 4;
      case Type::Float32: return 5;
      case Type::Float64: return 6;
      default: return 0;
    }
  };
  if (pt != nt) {
    int pr = rank(pt), nr = rank(nt);
    if (pr == 0 || nr == 0) return nullptr;
    return nr > pr ? fresh : previous;
  }
  if (previous->optional() == fresh->optional()) return previous->optional() ? previous : fresh;
  if (!(*previous == *fresh)) return nullptr;
  return previous;
}

Value convert_to(const SchemaPtr& to, const Value& v);

int64_t as_long(const Value& v) {
  int64_t x = 0;
  if (v.get_integer(x)) return x;
  if (v.kind() == Kind::Float32) return static_cast<int64_t>(v.as_float32());
  if (v.kind() == Kind::Float64) return static_cast<int64_t>(v.as_float64());
  if (v.kind() == Kind::String) {
    detail::DecimalText d;
    if (detail::parse_decimal_text(v.as_string(), d)) {
      if (d.scale > 0) {  // BigDecimal.longValue truncates
        if (d.scale >= static_cast<int64_t>(d.digits.size())) return 0;
        d.digits.resize(d.digits.size() - static_cast<size_t>(d.scale));
        d.scale = 0;
      }
      if (detail::rescale_decimal(d, 0) && detail::decimal_to_int64(d, x)) return x;
    }
  }
  throw ParseFailure{};
}

double as_double(const Value& v) {
  if (v.kind() == Kind::Float32) return v.as_float32();
  if (v.kind() == Kind::Float64) return v.as_float64();
  if (v.kind() == Kind::String) {
    detail::DecimalText d;
    if (detail::parse_decimal_text(v.as_string(), d)) return std::strtod(v.as_string().c_str(), nullptr);
    throw ParseFailure{};
  }
  return static_cast<double>(as_long(v));
}

// Values.convertTo for the schemas parse_string infers.
Value convert_to(const SchemaPtr& to, const Value& v) {
  if (v.is_null()) {
    if (to && to->optional()) return Value();
    throw ParseFailure{};
  }
  if (!to) return v;
  switch (to->type()) {
    case Type::Int8: return v.kind() == Kind::Int8 ? v : Value::int8(static_cast<int8_t>(as_long(v)));
    case Type::Int16: return v.kind() == Kind::Int16 ? v : Value::int16(static_cast<int16_t>(as_long(v)));
    case Type::Int32: return v.kind() == Kind::Int32 ? v : Value::int32(static_cast<int32_t>(as_long(v)));
    case Type::Int64: return v.kind() == Kind::Int64 ? v : Value::int64(as_long(v));
    case Type::Float32: return v.kind() == Kind::Float32 ? v : Value::float32(static_cast<float>(as_double(v)));
    case Type::Float64: return v.kind() == Kind::Float64 ? v : Value::float64(as_double(v));
    case Type::Boolean:
      if (v.kind() == Kind::Boolean) return v;
      if (v.kind() == Kind::String) {
        auto t = java_trim(v.as_string());
        if (t == "true") return Value::boolean(true);
        if (t == "false") return Value::boolean(false);
      }
      return Value::boolean(as_long(v) != 0);
    case Type::String: {
      if (v.kind() == Kind::String) return v;
      std::string s;
      append_connect_string(s, nullptr, v, false);
      return Value::string(std::move(s));
    }
    case Type::Bytes:
      if (v.kind() == Kind::Bytes) return v;
      throw ParseFailure{};
    case Type::Array:
      if (v.kind() == Kind::Array) return v;
      throw ParseFailure{};
    case Type::Map:
      if (v.kind() == Kind::Map) return v;
      throw ParseFailure{};
    case Type::Struct:
      throw ParseFailure{};
  }
  throw ParseFailure{};
}

bool can_parse_single_token_literal(Parser& p, bool embedded, std::string_view literal) {
  size_t start = p.mark();
  if (p.can_consume(literal) && (embedded || !p.has_next())) return true;
  p.rewind_to(start);
  return false;
}

// The content of a quoted embedded string: the tokens as Java joins them, with the \\ and \"
// escapes that append_connect_string writes undone (Java keeps the backslashes).
std::string unescape_quoted(const std::string& raw) {
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\\' && i + 1 < raw.size() && (raw[i + 1] == '\\' || raw[i + 1] == '"')) ++i;
    out.push_back(raw[i]);
  }
  return out;
}

Parsed parse_top(std::string_view text);

Parsed parse(Parser& p, bool embedded, int depth) {
  if (depth > 256) throw ParseFailure{};
  if (!p.has_next()) return std::nullopt;
  if (embedded && p.can_consume("\"")) {
    std::string raw;
    while (p.has_next()) {
      if (p.can_consume("\"")) break;
      raw.append(p.next());
    }
    // Quoted text that parses as a date, time or timestamp is that logical type.
    Parsed temporal = parse_top(raw);
    if (temporal && temporal->schema) {
      const std::string& n = temporal->schema->name();
      if (n == api::logical::kDate || n == api::logical::kTime || n == api::logical::kTimestamp)
        return temporal;
    }
    return SchemaAndValue{api::schemas::string(), Value::string(unescape_quoted(raw))};
  }
  if (can_parse_single_token_literal(p, embedded, "null")) return std::nullopt;
  if (can_parse_single_token_literal(p, embedded, "true"))
    return SchemaAndValue{api::schemas::boolean(), Value::boolean(true)};
  if (can_parse_single_token_literal(p, embedded, "false"))
    return SchemaAndValue{api::schemas::boolean(), Value::boolean(false)};

  const size_t start = p.mark();
  try {
    if (p.can_consume("[")) {
      api::Array items;
      SchemaPtr element;
      while (p.has_next()) {
        if (p.can_consume("]")) {
          if (!element) return SchemaAndValue{SchemaBuilder::array(nullptr).build(), Value::array(std::move(items))};
          api::Array aligned;
          aligned.reserve(items.size());
          for (const Value& v : items) aligned.push_back(convert_to(element, v));
          return SchemaAndValue{SchemaBuilder::array(element).build(), Value::array(std::move(aligned))};
        }
        if (p.can_consume(",")) throw ParseFailure{};  // empty element
        Parsed e = parse(p, true, depth + 1);
        element = common_schema(element, e);
        items.push_back(e ? e->value : Value());
        size_t here = p.mark();
        if (p.can_consume("]"))
          p.rewind_to(here);
        else if (!p.can_consume(","))
          throw ParseFailure{};  // missing ','
      }
      throw ParseFailure{};  // missing ']'
    }
    if (p.can_consume("{")) {
      api::Map entries;
      SchemaPtr ks, vs;
      while (p.has_next()) {
        if (p.can_consume("}")) {
          api::Map aligned;
          aligned.reserve(entries.size());
          if (ks && vs) {
            for (const auto& [k, v] : entries) aligned.emplace_back(convert_to(ks, k), convert_to(vs, v));
            return SchemaAndValue{SchemaBuilder::map(ks, vs).build(), Value::map(std::move(aligned))};
          }
          if (ks) {
            for (const auto& [k, v] : entries) aligned.emplace_back(convert_to(ks, k), v);
            return SchemaAndValue{SchemaBuilder::map(ks, nullptr).build(), Value::map(std::move(aligned))};
          }
          return SchemaAndValue{SchemaBuilder::map(nullptr, nullptr).build(), Value::map(std::move(entries))};
        }
        if (p.can_consume(",")) throw ParseFailure{};  // entry with no key or value
        Parsed key = parse(p, true, depth + 1);
        if (!key || key->value.is_null()) throw ParseFailure{};  // null key
        if (!p.can_consume(":")) throw ParseFailure{};
        Parsed value = parse(p, true, depth + 1);
        Value v = value ? value->value : Value();
        bool replaced = false;
        for (auto& [k, old] : entries)
          if (k == key->value) {
            old = v;
            replaced = true;
            break;
          }
        if (!replaced) entries.emplace_back(key->value, std::move(v));
        p.can_consume(",");
        ks = common_schema(ks, key);
        vs = common_schema(vs, value);
      }
      throw ParseFailure{};  // missing '}'
    }
  } catch (const ParseFailure&) {
    p.rewind_to(start);  // not an array or map: read it as a single token below
  }

  std::string_view token = p.next();
  if (is_blank(token)) return SchemaAndValue{api::schemas::string(), Value::string(std::string(token))};
  token = java_trim(token);
  const char first = token[0];
  const bool digit = first >= '0' && first <= '9';
  if (digit) {
    // A time or timestamp is split into 5 tokens by its colons.
    size_t here = p.mark();
    if (auto rest = p.next(4)) {
      if (Parsed t = parse_temporal(std::string(token) + std::string(*rest))) return t;
    }
    p.rewind_to(here);
    if (Parsed t = parse_temporal(std::string(token))) return t;
  }
  if (digit || first == '+' || first == '-') {
    if (Parsed n = parse_number(token)) return n;
  }
  if (embedded) throw ParseFailure{};
  return SchemaAndValue{api::schemas::string(), Value::string(std::string(token))};  // replaced by the caller
}

bool only_blank_left(Parser& p) {
  while (p.has_next())
    if (!is_blank(p.next())) return false;
  return true;
}

Parsed parse_top(std::string_view text) {
  if (text.empty()) return SchemaAndValue{api::schemas::string(), Value::string("")};
  Parser p(text);
  Parsed r;
  try {
    r = parse(p, false, 0);
  } catch (const ParseFailure&) {
    return SchemaAndValue{api::schemas::string(), Value::string(std::string(text))};
  }
  // Java stops after the first value; text with more after it is kept as a string here.
  if ((r && r->schema && r->schema->type() == Type::String && r->schema->name().empty()) ||
      !only_blank_left(p))
    return SchemaAndValue{api::schemas::string(), Value::string(std::string(text))};
  return r;
}

}  // namespace

SchemaAndValue parse_string(std::string_view text) {
  Parsed r = parse_top(text);
  if (!r) return {};
  return std::move(*r);
}

}  // namespace sluice::converters::values
