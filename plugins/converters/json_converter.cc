#include "plugins/converters/json_converter.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <unordered_map>
#include <utility>

#include "plugins/converters/json_tree.h"
#include "plugins/converters/text_format.h"
#include "plugins/converters/version.h"

namespace sluice::converters {

using api::Schema;
using api::SchemaBuilder;
using api::SchemaPtr;
using api::Type;
using api::Value;
using detail::JsonNode;
using detail::JsonTree;
using Kind = api::Value::Kind;

namespace {

constexpr const char* kEnvelopeError =
    "JsonConverter with schemas.enable requires \"schema\" and \"payload\" fields and may not "
    "contain additional fields. If you are trying to deserialize plain JSON data, set "
    "schemas.enable=false in your converter configuration.";

enum class Logical { None, Decimal, Date, Time, Timestamp };

Logical logical_of(const Schema& s) {
  static constexpr std::string_view kPrefix = "org.apache.kafka.connect.data.";
  const std::string& n = s.name();
  if (n.size() <= kPrefix.size() || n.compare(0, kPrefix.size(), kPrefix) != 0) return Logical::None;
  std::string_view rest(n.data() + kPrefix.size(), n.size() - kPrefix.size());
  if (rest == "Decimal") return Logical::Decimal;
  if (rest == "Date") return Logical::Date;
  if (rest == "Time") return Logical::Time;
  if (rest == "Timestamp") return Logical::Timestamp;
  return Logical::None;
}

std::string field_suffix(const std::string* field) {
  return field ? " (field \"" + *field + "\")" : std::string();
}

[[noreturn]] void throw_invalid_type(Type t, const Value& v, const std::string* field) {
  throw DataException(std::string("Invalid type for ") + detail::java_type_name(t) + ": " +
                      detail::java_class_name(v.kind()) + field_suffix(field));
}

[[noreturn]] void throw_node_type(const char* what, const JsonNode& n, const std::string* field) {
  throw DataException(std::string(what) + detail::json_node_type_name(n.type) + field_suffix(field));
}

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

// The low 64 bits of an integral JSON number, as Java's longValue() gives for Int/Long/BigInteger
// nodes.
int64_t wrapping_integer(std::string_view t) {
  bool neg = false;
  size_t i = 0;
  if (i < t.size() && t[i] == '-') {
    neg = true;
    ++i;
  }
  uint64_t u = 0;
  for (; i < t.size(); ++i) u = u * 10 + static_cast<uint64_t>(t[i] - '0');
  return static_cast<int64_t>(neg ? ~u + 1 : u);
}

// Java reads JSON numbers through BigDecimal, which has no negative zero: "-0.0" reads as 0.0
// (but "-1e-400", a negative number too small for a double, as -0.0).
bool is_zero_literal(std::string_view t) {
  for (char c : t) {
    if (c == 'e' || c == 'E') break;
    if (c >= '1' && c <= '9') return false;
  }
  return true;
}

double parse_double(std::string_view t) {
  double d = 0;
  auto r = std::from_chars(t.data(), t.data() + t.size(), d);
  if (r.ec != std::errc()) {
    std::string copy(t);  // out of range: strtod gives +-HUGE_VAL or the underflowed value
    d = std::strtod(copy.c_str(), nullptr);
  }
  return d == 0 && is_zero_literal(t) ? 0.0 : d;
}

float parse_float(std::string_view t) {
  float f = 0;
  auto r = std::from_chars(t.data(), t.data() + t.size(), f);
  if (r.ec != std::errc()) {
    std::string copy(t);
    f = std::strtof(copy.c_str(), nullptr);
  }
  return f == 0 && is_zero_literal(t) ? 0.0f : f;
}

// Java's intValue()/longValue() of a JSON number node: exact for integers (low bits kept),
// truncated toward zero for decimals.
int64_t number_as_long(const JsonNode& n, const std::string* field) {
  if (n.integral) return wrapping_integer(n.str());
  double d = std::trunc(parse_double(n.str()));
  if (!(std::fabs(d) < 9.2233720368547758e18))
    throw DataException("Numeric value (" + std::string(n.str()) + ") out of range" +
                        field_suffix(field));
  return static_cast<int64_t>(d);
}

bool non_finite_text(std::string_view s, double& out) {
  if (s == "NaN") out = std::nan("");
  else if (s == "Infinity") out = HUGE_VAL;
  else if (s == "-Infinity") out = -HUGE_VAL;
  else return false;
  return true;
}

}  // namespace

// ---- Config --------------------------------------------------------------------------------

api::ConfigDef JsonConverterConfig::config_def() {
  api::ConfigDef def;
  auto key = [&](const char* name, api::ConfigType type, const char* dflt, api::Importance imp,
                 const char* doc, const char* group, int order, const char* display,
                 api::Validator validator = {}) {
    api::ConfigKey k;
    k.name = name;
    k.type = type;
    k.default_value = dflt;
    k.importance = imp;
    k.documentation = doc;
    k.group = group;
    k.order_in_group = order;
    k.width = api::Width::Medium;
    k.display_name = display;
    k.validator = std::move(validator);
    def.define(std::move(k));
  };
  key(kSchemasEnable, api::ConfigType::Boolean, "true", api::Importance::High,
      "Include schemas within each of the serialized values and keys.", "Schemas", 0,
      "Enable Schemas");
  key(kSchemasCacheSize, api::ConfigType::Int, "1000", api::Importance::High,
      "The maximum number of schemas that can be cached in this converter instance.", "Schemas",
      1, "Schema Cache Size");
  key(kDecimalFormat, api::ConfigType::String, "BASE64", api::Importance::Low,
      "Controls which format this converter will serialize decimals in. This value is case "
      "insensitive and can be either 'BASE64' (default) or 'NUMERIC'",
      "Serialization", 0, "Decimal Format", api::validators::one_of({"BASE64", "NUMERIC"}, true));
  key(kReplaceNullWithDefault, api::ConfigType::Boolean, "true", api::Importance::Low,
      "Whether to replace fields that have a default value and that are null to the default "
      "value. When set to true, the default value is used, otherwise null is used.",
      "Serialization", 1, "Replace null with default");
  return def;
}

JsonConverterConfig JsonConverterConfig::parse(const api::Config& config) {
  namespace cv = api::config_value;
  JsonConverterConfig c;
  c.schemas_enable = cv::get_bool(config, kSchemasEnable, true);
  int64_t size = cv::get_long(config, kSchemasCacheSize, 1000);
  if (size < INT32_MIN || size > INT32_MAX)
    throw std::invalid_argument("Invalid value " + std::to_string(size) + " for configuration " +
                                kSchemasCacheSize + ": Not a number of type INT");
  c.schemas_cache_size = static_cast<int>(size);
  std::string fmt = cv::get_string(config, kDecimalFormat, "BASE64");
  std::string upper = fmt;
  for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  if (upper == "BASE64")
    c.decimal_format = DecimalFormat::Base64;
  else if (upper == "NUMERIC")
    c.decimal_format = DecimalFormat::Numeric;
  else
    throw std::invalid_argument("Invalid value " + fmt + " for configuration " + kDecimalFormat +
                                ": String must be one of (case insensitive): BASE64, NUMERIC");
  c.replace_null_with_default = cv::get_bool(config, kReplaceNullWithDefault, true);
  return c;
}

// ---- Implementation ------------------------------------------------------------------------

struct JsonConverter::Impl {
  JsonConverterConfig cfg;

  // From Connect: rendered schema JSON per schema object (the SchemaPtr keeps it alive).
  struct Rendered {
    SchemaPtr schema;
    std::string json;
  };
  std::unordered_map<const Schema*, Rendered> out_cache;
  const Schema* last_schema = nullptr;
  const std::string* last_json = nullptr;
  std::string uncached_json;

  // From Connect: per struct schema, each field's `"name":` (after a ',' or the '{'), so a
  // record's field names are not escaped again for every record. The SchemaPtr keeps the
  // schema, and so its address, alive while cached.
  struct FieldKeys {
    SchemaPtr schema;
    std::vector<std::string> keys;
  };
  std::unordered_map<const Schema*, FieldKeys> keys_cache;

  const std::vector<std::string>& field_keys(const SchemaPtr& schema) {
    if (auto it = keys_cache.find(schema.get()); it != keys_cache.end()) return it->second.keys;
    if (keys_cache.size() >= 4096) keys_cache.clear();  // bounded: schemas of dropped tables
    FieldKeys& fk = keys_cache[schema.get()];
    fk.schema = schema;
    for (const auto& f : schema->fields()) {
      std::string key(fk.keys.empty() ? "{" : ",");
      detail::append_json_string(key, f.name);
      key.push_back(':');
      fk.keys.push_back(std::move(key));
    }
    return fk.keys;
  }

  // To Connect: parsed schema per raw schema JSON.
  std::unordered_map<std::string, SchemaPtr, StringHash, std::equal_to<>> in_cache;
  JsonTree tree;
  std::string scratch;

  void reset_caches() {
    out_cache.clear();
    keys_cache.clear();
    in_cache.clear();
    last_schema = nullptr;
    last_json = nullptr;
  }

  // ---- writing -----------------------------------------------------------------------------

  static void append_float64(std::string& out, double d) {
    if (std::isfinite(d)) {
      detail::append_java_double(out, d);
    } else {
      out.push_back('"');
      detail::append_java_double(out, d);
      out.push_back('"');
    }
  }
  static void append_float32(std::string& out, float f) {
    if (std::isfinite(f)) {
      detail::append_java_float(out, f);
    } else {
      out.push_back('"');
      detail::append_java_float(out, f);
      out.push_back('"');
    }
  }

  void write_decimal(const Schema& s, const Value& v, std::string& out) {
    if (v.kind() != Kind::Bytes)
      throw DataException(std::string("Invalid type for Decimal, expected BigDecimal but was ") +
                          detail::java_class_name(v.kind()));
    std::string_view unscaled = v.as_bytes();
    if (cfg.decimal_format == DecimalFormat::Numeric) {
      detail::append_big_decimal(out, unscaled, detail::decimal_scale(s));
      return;
    }
    std::string_view minimal = detail::minimal_twos_complement(unscaled);
    out.push_back('"');
    detail::append_base64(out, minimal.empty() ? std::string_view("\0", 1) : minimal);
    out.push_back('"');
  }

  // Java's convertToJson.
  void write_value(const Schema* s, const Value& v, std::string& out, const std::string* field) {
    if (v.is_null()) {
      if (!s) {
        out.append("null");
        return;
      }
      const Value* d = s->default_value();
      if (d && !d->is_null() && cfg.replace_null_with_default) {
        write_value(s, *d, out, field);
        return;
      }
      if (s->optional()) {
        out.append("null");
        return;
      }
      throw DataException(
          "Conversion error: null value for field that is required and has no default value" +
          field_suffix(field));
    }

    if (s && !s->name().empty()) {
      switch (logical_of(*s)) {
        case Logical::Decimal:
          write_decimal(*s, v, out);
          return;
        case Logical::Date:
        case Logical::Time:
        case Logical::Timestamp: {
          int64_t x = 0;
          if (!v.get_integer(x))
            throw DataException("Invalid type for " + s->name().substr(30) +
                                ", expected an integer but was " +
                                detail::java_class_name(v.kind()) + field_suffix(field));
          detail::append_int(out, x);
          return;
        }
        case Logical::None:
          break;
      }
    }

    Type t;
    if (s) {
      t = s->type();
    } else {
      switch (v.kind()) {
        case Kind::Boolean: t = Type::Boolean; break;
        case Kind::Int8: t = Type::Int8; break;
        case Kind::Int16: t = Type::Int16; break;
        case Kind::Int32: t = Type::Int32; break;
        case Kind::Int64: t = Type::Int64; break;
        case Kind::Float32: t = Type::Float32; break;
        case Kind::Float64: t = Type::Float64; break;
        case Kind::String: t = Type::String; break;
        case Kind::Bytes: t = Type::Bytes; break;
        case Kind::Array: t = Type::Array; break;
        case Kind::Map: t = Type::Map; break;
        default:  // a Struct needs its schema
          throw DataException("Mismatching schema." + field_suffix(field));
      }
    }

    switch (t) {
      case Type::Int8:
        if (v.kind() != Kind::Int8) throw_invalid_type(t, v, field);
        detail::append_int(out, v.as_int8());
        return;
      case Type::Int16:
        if (v.kind() != Kind::Int16) throw_invalid_type(t, v, field);
        detail::append_int(out, v.as_int16());
        return;
      case Type::Int32:
        if (v.kind() != Kind::Int32) throw_invalid_type(t, v, field);
        detail::append_int(out, v.as_int32());
        return;
      case Type::Int64:
        if (v.kind() != Kind::Int64) throw_invalid_type(t, v, field);
        detail::append_int(out, v.as_int64());
        return;
      case Type::Float32:
        if (v.kind() != Kind::Float32) throw_invalid_type(t, v, field);
        append_float32(out, v.as_float32());
        return;
      case Type::Float64:
        if (v.kind() != Kind::Float64) throw_invalid_type(t, v, field);
        append_float64(out, v.as_float64());
        return;
      case Type::Boolean:
        if (v.kind() != Kind::Boolean) throw_invalid_type(t, v, field);
        out.append(v.as_bool() ? "true" : "false");
        return;
      case Type::String:
        if (v.kind() != Kind::String) throw_invalid_type(t, v, field);
        detail::append_json_string(out, v.as_string());
        return;
      case Type::Bytes:
        if (v.kind() != Kind::Bytes) throw_invalid_type(t, v, field);
        out.push_back('"');
        detail::append_base64(out, v.as_bytes());
        out.push_back('"');
        return;
      case Type::Array: {
        if (v.kind() != Kind::Array) throw_invalid_type(t, v, field);
        const Schema* items = s ? s->value_schema().get() : nullptr;
        out.push_back('[');
        bool first = true;
        for (const Value& e : v.as_array()) {
          if (!first) out.push_back(',');
          first = false;
          write_value(items, e, out, nullptr);
        }
        out.push_back(']');
        return;
      }
      case Type::Map: {
        if (v.kind() != Kind::Map) throw_invalid_type(t, v, field);
        write_map(s, v.as_map(), out);
        return;
      }
      case Type::Struct: {
        if (v.kind() != Kind::Struct) throw_invalid_type(t, v, field);
        const api::Struct& st = v.as_struct();
        if (st.schema().get() != s && !(st.schema() && *st.schema() == *s))
          throw DataException("Mismatching schema." + field_suffix(field));
        // The struct's own schema has the same field names as `s` (checked above).
        const auto& keys = field_keys(st.schema());
        const auto& fields = s->fields();
        if (fields.empty()) out.push_back('{');
        for (size_t i = 0; i < fields.size(); ++i) {
          out.append(keys[i]);
          write_value(fields[i].schema.get(), st.get(i), out, &fields[i].name);
        }
        out.push_back('}');
        return;
      }
    }
  }

  void write_map(const Schema* s, const api::Map& m, std::string& out) {
    const Schema* ks = s ? s->key_schema().get() : nullptr;
    const Schema* vs = s ? s->value_schema().get() : nullptr;
    bool object_mode;
    if (ks) {
      object_mode = ks->type() == Type::String;
    } else {
      object_mode = std::all_of(m.begin(), m.end(),
                                [](const auto& kv) { return kv.first.kind() == Kind::String; });
    }
    if (object_mode) {
      out.push_back('{');
      bool first = true;
      for (const auto& [k, val] : m) {
        if (!first) out.push_back(',');
        first = false;
        write_key_text(ks, k, out);
        out.push_back(':');
        write_value(vs, val, out, nullptr);
      }
      out.push_back('}');
      return;
    }
    out.push_back('[');
    bool first = true;
    for (const auto& [k, val] : m) {
      if (!first) out.push_back(',');
      first = false;
      out.push_back('[');
      write_value(ks, k, out, nullptr);
      out.push_back(',');
      write_value(vs, val, out, nullptr);
      out.push_back(']');
    }
    out.push_back(']');
  }

  // An object-mode map key: the text of the converted key (Jackson's asText()).
  void write_key_text(const Schema* ks, const Value& k, std::string& out) {
    if (k.kind() == Kind::String) {
      detail::append_json_string(out, k.as_string());
      return;
    }
    if (k.is_null() && ks) {
      const Value* d = ks->default_value();
      if (d && d->kind() == Kind::String && cfg.replace_null_with_default) {
        detail::append_json_string(out, d->as_string());
        return;
      }
      if (ks->optional()) {
        out.append("\"null\"");
        return;
      }
      throw DataException(
          "Conversion error: null value for field that is required and has no default value");
    }
    throw_invalid_type(Type::String, k, nullptr);
  }

  // Java's asJsonSchema, written as an object without its closing brace so a struct field can
  // append "field" last.
  void write_schema_open(const Schema& s, std::string& out) {
    out.append("{\"type\":\"");
    out.append(api::type_name(s.type()));
    out.push_back('"');
    switch (s.type()) {
      case Type::Array:
        out.append(",\"items\":");
        write_schema(s.value_schema().get(), out);
        break;
      case Type::Map:
        out.append(",\"keys\":");
        write_schema(s.key_schema().get(), out);
        out.append(",\"values\":");
        write_schema(s.value_schema().get(), out);
        break;
      case Type::Struct: {
        out.append(",\"fields\":[");
        bool first = true;
        for (const auto& f : s.fields()) {
          if (!f.schema) throw DataException("Field \"" + f.name + "\" has no schema");
          if (!first) out.push_back(',');
          first = false;
          write_schema_open(*f.schema, out);
          out.append(",\"field\":");
          detail::append_json_string(out, f.name);
          out.push_back('}');
        }
        out.push_back(']');
        break;
      }
      default:
        break;
    }
    out.append(s.optional() ? ",\"optional\":true" : ",\"optional\":false");
    if (!s.name().empty()) {
      out.append(",\"name\":");
      detail::append_json_string(out, s.name());
    }
    if (s.version()) {
      out.append(",\"version\":");
      detail::append_int(out, *s.version());
    }
    if (s.doc()) {
      out.append(",\"doc\":");
      detail::append_json_string(out, *s.doc());
    }
    if (!s.parameters().empty()) {
      out.append(",\"parameters\":{");
      bool first = true;
      for (const auto& [k, v] : s.parameters()) {
        if (!first) out.push_back(',');
        first = false;
        detail::append_json_string(out, k);
        out.push_back(':');
        detail::append_json_string(out, v);
      }
      out.push_back('}');
    }
    if (const Value* d = s.default_value(); d && !d->is_null()) {
      out.append(",\"default\":");
      write_value(&s, *d, out, nullptr);
    }
  }

  void write_schema(const Schema* s, std::string& out) {
    if (!s) {
      out.append("null");
      return;
    }
    write_schema_open(*s, out);
    out.push_back('}');
  }

  const std::string& schema_json(const SchemaPtr& s) {
    if (s.get() == last_schema) return *last_json;
    auto it = out_cache.find(s.get());
    if (it == out_cache.end()) {
      if (cfg.schemas_cache_size <= 0) {
        uncached_json.clear();
        write_schema(s.get(), uncached_json);
        return uncached_json;
      }
      std::string json;
      write_schema(s.get(), json);
      if (out_cache.size() >= static_cast<size_t>(cfg.schemas_cache_size)) {
        out_cache.clear();
        last_schema = nullptr;
        last_json = nullptr;
      }
      it = out_cache.emplace(s.get(), Rendered{s, std::move(json)}).first;
    }
    last_schema = s.get();
    last_json = &it->second.json;
    return it->second.json;
  }

  // ---- reading -----------------------------------------------------------------------------

  const JsonNode& node(uint32_t i) const { return tree.node(i); }

  Value read_schemaless(uint32_t idx) {
    const JsonNode& n = node(idx);
    switch (n.type) {
      case JsonNode::Null: return Value();
      case JsonNode::False: return Value::boolean(false);
      case JsonNode::True: return Value::boolean(true);
      case JsonNode::Number:
        return n.integral ? Value::int64(wrapping_integer(n.str())) : Value::float64(parse_double(n.str()));
      case JsonNode::String: return Value::string(std::string(n.str()));
      case JsonNode::Array: {
        api::Array a;
        a.reserve(n.count);
        for (uint32_t c = idx + 1; c < n.end; c = node(c).end) a.push_back(read_schemaless(c));
        return Value::array(std::move(a));
      }
      case JsonNode::Object: {
        api::Map m;
        m.reserve(n.count);
        read_object_map(idx, nullptr, m);
        return Value::map(std::move(m));
      }
    }
    return Value();
  }

  // An object's members as a map with string keys; a repeated name keeps its first position
  // and its last value, as Jackson's tree does.
  void read_object_map(uint32_t idx, const SchemaPtr* vs, api::Map& m) {
    const JsonNode& n = node(idx);
    // Small objects are checked for repeated names by a scan, large ones through a hash index.
    constexpr uint32_t kScanLimit = 16;
    std::unordered_map<std::string_view, size_t> index;
    if (n.count > kScanLimit) index.reserve(n.count);
    for (uint32_t c = idx + 1; c < n.end; c = node(c).end) {
      Value v = vs ? read_value(*vs, c, nullptr) : read_schemaless(c);
      std::string_view name = node(c).name();
      if (n.count > kScanLimit) {
        auto [it, fresh] = index.emplace(name, m.size());
        if (!fresh) {
          m[it->second].second = std::move(v);
          continue;
        }
      } else if (n.count > 1) {
        auto it = std::find_if(m.begin(), m.end(),
                               [&](const auto& kv) { return kv.first.as_string() == name; });
        if (it != m.end()) {
          it->second = std::move(v);
          continue;
        }
      }
      m.emplace_back(Value::string(std::string(name)), std::move(v));
    }
  }

  // Java's convertToConnect with a schema. `idx` is npos for a missing struct field.
  Value read_value(const SchemaPtr& sp, uint32_t idx, const std::string* field) {
    if (!sp) {
      if (idx == JsonTree::npos) return Value();
      return read_schemaless(idx);
    }
    const Schema& s = *sp;
    if (idx == JsonTree::npos || node(idx).type == JsonNode::Null) {
      const Value* d = s.default_value();
      if (d && !d->is_null() && cfg.replace_null_with_default) return *d;
      if (s.optional()) return Value();
      throw DataException(std::string("Invalid null value for required ") +
                          detail::java_type_name(s.type()) + " field" + field_suffix(field));
    }
    const JsonNode& n = node(idx);

    if (!s.name().empty()) {
      switch (logical_of(s)) {
        case Logical::Decimal:
          return read_decimal(s, n, field);
        case Logical::Date:
        case Logical::Time: {
          // Jackson's isInt(): an integral number that fits 32 bits.
          int64_t x = 0;
          bool is_int = n.type == JsonNode::Number && n.integral && n.len <= 11;
          if (is_int) {
            x = wrapping_integer(n.str());
            is_int = x >= INT32_MIN && x <= INT32_MAX;
          }
          if (!is_int)
            throw_node_type(logical_of(s) == Logical::Date
                                ? "Invalid type for Date, underlying representation should be "
                                  "integer but was "
                                : "Invalid type for Time, underlying representation should be "
                                  "integer but was ",
                            n, field);
          return Value::int32(static_cast<int32_t>(x));
        }
        case Logical::Timestamp:
          if (n.type != JsonNode::Number || !n.integral)
            throw_node_type(
                "Invalid type for Timestamp, underlying representation should be integral but was ",
                n, field);
          return Value::int64(wrapping_integer(n.str()));
        case Logical::None:
          break;
      }
    }

    switch (s.type()) {
      case Type::Boolean:
        if (n.type != JsonNode::True && n.type != JsonNode::False)
          throw_node_type("Invalid type for BOOLEAN: expected a JSON boolean but found ", n, field);
        return Value::boolean(n.type == JsonNode::True);
      case Type::Int8:
        return Value::int8(static_cast<int8_t>(static_cast<int32_t>(long_of(s, n, field))));
      case Type::Int16:
        return Value::int16(static_cast<int16_t>(static_cast<int32_t>(long_of(s, n, field))));
      case Type::Int32:
        return Value::int32(static_cast<int32_t>(long_of(s, n, field)));
      case Type::Int64:
        return Value::int64(long_of(s, n, field));
      case Type::Float32: {
        double special = 0;
        if (n.type == JsonNode::String && non_finite_text(n.str(), special))
          return Value::float32(static_cast<float>(special));
        if (n.type != JsonNode::Number)
          throw_node_type("Invalid type for FLOAT32: expected a JSON number but found ", n, field);
        return Value::float32(parse_float(n.str()));
      }
      case Type::Float64: {
        double special = 0;
        if (n.type == JsonNode::String && non_finite_text(n.str(), special))
          return Value::float64(special);
        if (n.type != JsonNode::Number)
          throw_node_type("Invalid type for FLOAT64: expected a JSON number but found ", n, field);
        return Value::float64(parse_double(n.str()));
      }
      case Type::String:
        if (n.type != JsonNode::String)
          throw_node_type("Invalid type for STRING: expected a JSON string but found ", n, field);
        return Value::string(std::string(n.str()));
      case Type::Bytes:
        if (n.type != JsonNode::String || !detail::decode_base64(n.str(), scratch))
          throw DataException("Invalid bytes field" + field_suffix(field));
        return Value::bytes(scratch);
      case Type::Array: {
        if (n.type != JsonNode::Array)
          throw_node_type("Arrays should be encoded as JSON arrays, but found ", n, field);
        api::Array a;
        a.reserve(n.count);
        for (uint32_t c = idx + 1; c < n.end; c = node(c).end)
          a.push_back(read_value(s.value_schema(), c, nullptr));
        return Value::array(std::move(a));
      }
      case Type::Map: {
        const SchemaPtr& ks = s.key_schema();
        const SchemaPtr& vs = s.value_schema();
        api::Map m;
        m.reserve(n.count);
        if (!ks || ks->type() == Type::String) {
          if (n.type != JsonNode::Object)
            throw_node_type("Maps with string fields should be encoded as JSON objects, but found ",
                            n, field);
          read_object_map(idx, &vs, m);
        } else {
          if (n.type != JsonNode::Array)
            throw_node_type(
                "Maps with non-string fields should be encoded as JSON array of tuples, but found ",
                n, field);
          for (uint32_t c = idx + 1; c < n.end; c = node(c).end) {
            const JsonNode& e = node(c);
            if (e.type != JsonNode::Array)
              throw_node_type("Found invalid map entry instead of array tuple: ", e, field);
            if (e.count != 2)
              throw DataException("Found invalid map entry, expected length 2 but found :" +
                                  std::to_string(e.count));
            uint32_t k = c + 1;
            uint32_t v = node(k).end;
            Value key = read_value(ks, k, nullptr);
            m.emplace_back(std::move(key), read_value(vs, v, nullptr));
          }
        }
        return Value::map(std::move(m));
      }
      case Type::Struct: {
        if (n.type != JsonNode::Object)
          throw_node_type("Structs should be encoded as JSON objects, but found ", n, field);
        api::Struct st(sp);
        const auto& fields = s.fields();
        uint32_t cursor = idx + 1;  // members usually come in field order
        for (size_t i = 0; i < fields.size(); ++i) {
          uint32_t m = JsonTree::npos;
          if (cursor < n.end && node(cursor).name() == fields[i].name) {
            m = cursor;
            cursor = node(cursor).end;
          } else {
            m = tree.member(idx, fields[i].name);
          }
          st.put(i, read_value(fields[i].schema, m, &fields[i].name));
        }
        return Value::structure(std::move(st));
      }
    }
    return Value();
  }

  int64_t long_of(const Schema& s, const JsonNode& n, const std::string* field) {
    if (n.type != JsonNode::Number)
      throw DataException(std::string("Invalid type for ") + detail::java_type_name(s.type()) +
                          ": expected a JSON number but found " +
                          detail::json_node_type_name(n.type) + field_suffix(field));
    return number_as_long(n, field);
  }

  Value read_decimal(const Schema& s, const JsonNode& n, const std::string* field) {
    if (n.type == JsonNode::Number) {
      detail::DecimalText d;
      int32_t scale = detail::decimal_scale(s);
      if (!detail::parse_decimal_text(n.str(), d) || !detail::rescale_decimal(d, scale))
        throw DataException("Invalid value for Decimal with scale " + std::to_string(scale) +
                            ": " + std::string(n.str()) + field_suffix(field));
      return Value::bytes(detail::decimal_to_twos_complement(d));
    }
    if (n.type == JsonNode::String) {
      if (!detail::decode_base64(n.str(), scratch) || scratch.empty())
        throw DataException("Invalid bytes for Decimal field" + field_suffix(field));
      return Value::bytes(scratch);
    }
    throw_node_type(
        "Invalid type for Decimal, underlying representation should be numeric or bytes but was ",
        n, field);
  }

  // Java's asConnectSchema.
  SchemaPtr build_schema(uint32_t idx) {
    const JsonNode& n = node(idx);
    if (n.type == JsonNode::Null) return nullptr;
    uint32_t ti = n.type == JsonNode::Object ? tree.member(idx, "type") : JsonTree::npos;
    if (ti == JsonTree::npos || node(ti).type != JsonNode::String)
      throw DataException("Schema must contain 'type' field");
    SchemaBuilder b = builder_for(idx, node(ti).str());

    uint32_t m = tree.member(idx, "optional");
    if (m != JsonTree::npos && node(m).type == JsonNode::True)
      b.optional();
    else
      b.required();
    m = tree.member(idx, "name");
    if (m != JsonTree::npos && node(m).type == JsonNode::String) b.name(std::string(node(m).str()));
    m = tree.member(idx, "version");
    if (m != JsonTree::npos && node(m).type == JsonNode::Number && node(m).integral)
      b.version(static_cast<int32_t>(wrapping_integer(node(m).str())));
    m = tree.member(idx, "doc");
    if (m != JsonTree::npos && node(m).type == JsonNode::String) b.doc(std::string(node(m).str()));
    m = tree.member(idx, "parameters");
    if (m != JsonTree::npos && node(m).type == JsonNode::Object) {
      for (uint32_t c = m + 1; c < node(m).end; c = node(c).end) {
        if (node(c).type != JsonNode::String)
          throw DataException("Schema parameters must have string values.");
        b.parameter(std::string(node(c).name()), std::string(node(c).str()));
      }
    }
    m = tree.member(idx, "default");
    if (m != JsonTree::npos) {
      SchemaPtr without_default = b.build();
      Value d = read_value(without_default, m, nullptr);
      if (!d.is_null()) b.default_value(std::move(d));
    }
    return b.build();
  }

  SchemaBuilder builder_for(uint32_t idx, std::string_view type) {
    static constexpr std::pair<std::string_view, Type> kPrimitives[] = {
        {"boolean", Type::Boolean}, {"int8", Type::Int8},       {"int16", Type::Int16},
        {"int32", Type::Int32},     {"int64", Type::Int64},     {"float", Type::Float32},
        {"double", Type::Float64},  {"bytes", Type::Bytes},     {"string", Type::String}};
    for (const auto& [name, t] : kPrimitives)
      if (type == name) return SchemaBuilder(t);
    if (type == "array") {
      uint32_t items = tree.member(idx, "items");
      if (items == JsonTree::npos || node(items).type == JsonNode::Null)
        throw DataException("Array schema did not specify the element type");
      return SchemaBuilder::array(build_schema(items));
    }
    if (type == "map") {
      uint32_t keys = tree.member(idx, "keys");
      if (keys == JsonTree::npos) throw DataException("Map schema did not specify the key type");
      uint32_t values = tree.member(idx, "values");
      if (values == JsonTree::npos) throw DataException("Map schema did not specify the value type");
      SchemaPtr k = build_schema(keys);
      return SchemaBuilder::map(std::move(k), build_schema(values));
    }
    if (type == "struct") {
      uint32_t fields = tree.member(idx, "fields");
      if (fields == JsonTree::npos || node(fields).type != JsonNode::Array)
        throw DataException("Struct schema's \"fields\" argument is not an array.");
      SchemaBuilder b = SchemaBuilder::structure();
      for (uint32_t f = fields + 1; f < node(fields).end; f = node(f).end) {
        uint32_t fname = node(f).type == JsonNode::Object ? tree.member(f, "field") : JsonTree::npos;
        if (fname == JsonTree::npos || node(fname).type != JsonNode::String)
          throw DataException("Struct schema's field name not specified properly");
        std::string name(node(fname).str());
        SchemaPtr fs = build_schema(f);
        try {
          b.field(name, std::move(fs));
        } catch (const std::invalid_argument&) {
          throw DataException("Cannot create field because of field name duplication " + name);
        }
      }
      return b;
    }
    throw DataException("Unknown schema type: " + std::string(type));
  }

  SchemaPtr read_schema(uint32_t idx, const char* raw) {
    const JsonNode& n = node(idx);
    if (n.type != JsonNode::Object || cfg.schemas_cache_size <= 0) return build_schema(idx);
    std::string_view key(raw + n.raw_begin, n.raw_end - n.raw_begin);
    if (auto it = in_cache.find(key); it != in_cache.end()) return it->second;
    SchemaPtr s = build_schema(idx);
    if (in_cache.size() >= static_cast<size_t>(cfg.schemas_cache_size)) in_cache.clear();
    in_cache.emplace(std::string(key), s);
    return s;
  }
};

// ---- JsonConverter -------------------------------------------------------------------------

JsonConverter::JsonConverter() : JsonConverter(JsonConverterConfig{}) {}

JsonConverter::JsonConverter(JsonConverterConfig config)
    : impl_(std::make_unique<Impl>()), config_(config) {
  impl_->cfg = config_;
}

JsonConverter::~JsonConverter() = default;

std::string JsonConverter::version() const { return kVersion; }

api::ConfigDef JsonConverter::config_def() const { return JsonConverterConfig::config_def(); }

void JsonConverter::configure(const api::Config& config, bool /*is_key*/) { configure(config); }

void JsonConverter::configure(const api::Config& config) {
  config_ = JsonConverterConfig::parse(config);
  impl_->cfg = config_;
  impl_->reset_caches();
}

void JsonConverter::from_connect(std::string_view, const SchemaPtr& schema, const Value& value,
                                 std::string& out, bool& is_null) {
  is_null = false;
  if (!schema && value.is_null()) {
    is_null = true;
    return;
  }
  if (config_.schemas_enable) {
    out.append("{\"schema\":");
    if (schema)
      out.append(impl_->schema_json(schema));
    else
      out.append("null");
    out.append(",\"payload\":");
    impl_->write_value(schema.get(), value, out, nullptr);
    out.push_back('}');
  } else {
    impl_->write_value(schema.get(), value, out, nullptr);
  }
}

api::SchemaAndValue JsonConverter::to_connect(std::string_view, const char* data, size_t size) {
  if (!data) return {};
  Impl& im = *impl_;
  im.tree.parse(data, size);
  if (config_.schemas_enable) {
    uint32_t si = JsonTree::npos, pi = JsonTree::npos;
    if (!im.tree.missing() && im.node(0).type == JsonNode::Object && im.node(0).count == 2) {
      for (uint32_t c = 1; c < im.node(0).end; c = im.node(c).end) {
        if (im.node(c).name() == "schema") si = c;
        else if (im.node(c).name() == "payload") pi = c;
      }
    }
    if (si == JsonTree::npos || pi == JsonTree::npos) throw DataException(kEnvelopeError);
    SchemaPtr schema = im.read_schema(si, data);
    Value v = im.read_value(schema, pi, nullptr);
    return {std::move(schema), std::move(v)};
  }
  if (im.tree.missing()) return {};
  return {nullptr, im.read_schemaless(0)};
}

void JsonConverter::from_connect_header(std::string_view topic, std::string_view,
                                        const SchemaPtr& schema, const Value& value,
                                        std::string& out, bool& is_null) {
  from_connect(topic, schema, value, out, is_null);
}

api::SchemaAndValue JsonConverter::to_connect_header(std::string_view topic, std::string_view,
                                                     const char* data, size_t size) {
  return to_connect(topic, data, size);
}

void JsonConverter::append_schema_json(const SchemaPtr& schema, std::string& out) {
  impl_->write_schema(schema.get(), out);
}

SchemaPtr JsonConverter::schema_from_json(std::string_view json) {
  impl_->tree.parse(json.data(), json.size());
  if (impl_->tree.missing()) throw DataException("Schema must contain 'type' field");
  return impl_->build_schema(0);
}

void JsonConverter::append_value_json(const SchemaPtr& schema, const Value& value,
                                      std::string& out) {
  impl_->write_value(schema.get(), value, out, nullptr);
}

}  // namespace sluice::converters
