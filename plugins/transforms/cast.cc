// org.apache.kafka.connect.transforms.Cast$Key / $Value, as in connect-transforms 3.9.

#include <cmath>
#include <limits>
#include <map>

#include "plugins/api/plugin.h"
#include "plugins/transforms/common.h"
#include "plugins/transforms/text.h"
#include "plugins/transforms/transforms.h"

namespace sluice::transforms {
namespace {

using api::Config;
using api::ConfigDef;
using api::ConfigType;
using api::Importance;
using api::Schema;
using api::SchemaBuilder;
using api::SchemaPtr;
using api::SourceRecord;
using api::Struct;
using api::Type;
using api::Value;
using VK = Value::Kind;
namespace cv = api::config_value;

constexpr const char* kInputTypes = "[INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING, BYTES]";
constexpr const char* kOutputTypes = "[INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING]";

std::optional<Type> type_from_name(std::string name) {
  for (auto& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  static const std::map<std::string, Type> names = {
      {"INT8", Type::Int8},       {"INT16", Type::Int16},     {"INT32", Type::Int32},   {"INT64", Type::Int64},
      {"FLOAT32", Type::Float32}, {"FLOAT64", Type::Float64}, {"BOOLEAN", Type::Boolean}, {"STRING", Type::String},
      {"BYTES", Type::Bytes},     {"ARRAY", Type::Array},     {"MAP", Type::Map},       {"STRUCT", Type::Struct}};
  auto it = names.find(name);
  if (it == names.end()) return std::nullopt;
  return it->second;
}

std::string trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && static_cast<unsigned char>(s[b]) <= ' ') ++b;
  while (e > b && static_cast<unsigned char>(s[e - 1]) <= ' ') --e;
  return s.substr(b, e - b);
}

Type output_type(Type t) {
  if (!is_primitive(t) || t == Type::Bytes)
    throw ConfigException(std::string("Cast transformation does not support casting to ") + schema_type_name(t) +
                          "; supported types are " + kOutputTypes);
  return t;
}

struct Spec {
  std::optional<Type> whole;
  std::vector<std::pair<std::string, Type>> fields;  // in spec order
  const Type* find(const std::string& name) const {
    for (auto& [n, t] : fields)
      if (n == name) return &t;
    return nullptr;
  }
};

Spec parse_spec(const std::vector<std::string>& mappings) {
  if (mappings.empty()) throw ConfigException("Must specify at least one field to cast.");
  Spec spec;
  for (auto& mapping : mappings) {
    auto parts = java_split(mapping, ':');
    if (parts.size() > 2) {
      std::string shown = "[";
      for (size_t i = 0; i < mappings.size(); ++i) shown += (i ? ", " : "") + mappings[i];
      throw ConfigException("renames", shown + "]", "Invalid rename mapping: " + mapping);
    }
    if (parts.size() == 1) {
      auto t = type_from_name(trim(parts[0]));
      if (!t)
        throw ConfigException("No enum constant org.apache.kafka.connect.data.Schema.Type." + trim(parts[0]));
      spec.whole = output_type(*t);
    } else {
      auto t = type_from_name(trim(parts[1]));
      if (!t) throw ConfigException("Invalid type found in casting spec: " + trim(parts[1]));
      std::string name = trim(parts[0]);
      Type out = output_type(*t);
      bool replaced = false;
      for (auto& [n, ty] : spec.fields)
        if (n == name) ty = out, replaced = true;
      if (!replaced) spec.fields.emplace_back(name, out);
    }
  }
  if (spec.whole && mappings.size() > 1)
    throw ConfigException("Cast transformations that specify a type to cast the entire value to may only "
                          "specify a single cast in their spec");
  return spec;
}

// The value as Java's Number: its long, int and double readings.
struct Num {
  bool is_number = false;
  bool is_bool = false;
  bool b = false;
  int64_t l = 0;   // longValue()
  int32_t i = 0;   // intValue()
  double d = 0;    // doubleValue()
  float f = 0;     // floatValue()
};

int64_t d2l(double d) {  // Java's (long) cast of a double: saturating, NaN -> 0
  if (std::isnan(d)) return 0;
  if (d >= 9.2233720368547758e18) return std::numeric_limits<int64_t>::max();
  if (d <= -9.2233720368547758e18) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(d);
}
int32_t d2i(double d) {
  if (std::isnan(d)) return 0;
  if (d >= 2147483647.0) return std::numeric_limits<int32_t>::max();
  if (d <= -2147483648.0) return std::numeric_limits<int32_t>::min();
  return static_cast<int32_t>(d);
}

Num as_number(const Schema* s, const Value& v) {
  Num n;
  int64_t x = 0;
  if (s && s->name() == api::logical::kDecimal && v.kind() == VK::Bytes) {
    int32_t scale = 0;
    if (const std::string* p = s->parameter("scale")) scale = static_cast<int32_t>(std::strtol(p->c_str(), nullptr, 10));
    n.is_number = true;
    n.l = text::big_decimal_long(v.as_bytes(), scale);
    n.i = static_cast<int32_t>(n.l);
    n.d = text::big_decimal_double(v.as_bytes(), scale);
    n.f = static_cast<float>(n.d);
  } else if (v.get_integer(x)) {
    n.is_number = true;
    n.l = x;
    n.i = static_cast<int32_t>(x);
    n.d = static_cast<double>(x);
    n.f = static_cast<float>(x);
  } else if (v.kind() == VK::Float32 || v.kind() == VK::Float64) {
    n.is_number = true;
    n.d = v.kind() == VK::Float32 ? v.as_float32() : v.as_float64();
    n.f = v.kind() == VK::Float32 ? v.as_float32() : static_cast<float>(v.as_float64());
    n.l = d2l(n.d);
    n.i = d2i(n.d);
  } else if (v.kind() == VK::Boolean) {
    n.is_bool = true;
    n.b = v.as_bool();
  }
  return n;
}

const char* logical_kind(const Schema* s) {
  if (!s) return nullptr;
  if (s->name() == api::logical::kDate) return "Date";
  if (s->name() == api::logical::kTime) return "Time";
  if (s->name() == api::logical::kTimestamp) return "Timestamp";
  return nullptr;
}

Type inferred_type(const Value& v) {
  switch (v.kind()) {
    case VK::Int8: return Type::Int8;
    case VK::Int16: return Type::Int16;
    case VK::Int32: return Type::Int32;
    case VK::Int64: return Type::Int64;
    case VK::Float32: return Type::Float32;
    case VK::Float64: return Type::Float64;
    case VK::Boolean: return Type::Boolean;
    case VK::String: return Type::String;
    case VK::Bytes: return Type::Bytes;
    case VK::Array: return Type::Array;
    case VK::Map: return Type::Map;
    default: return Type::Struct;
  }
}

std::string java_string(const Schema* s, const Value& v) {
  if (const char* l = logical_kind(s)) {
    int64_t x = 0;
    v.get_integer(x);
    return text::values_date_string(std::string_view(l) == "Date" ? x * text::kMillisPerDay : x);
  }
  if (s && s->name() == api::logical::kDecimal && v.kind() == VK::Bytes) {
    int32_t scale = 0;
    if (const std::string* p = s->parameter("scale")) scale = static_cast<int32_t>(std::strtol(p->c_str(), nullptr, 10));
    return text::big_decimal_string(v.as_bytes(), scale);
  }
  switch (v.kind()) {
    case VK::Boolean: return v.as_bool() ? "true" : "false";
    case VK::Int8: return std::to_string(v.as_int8());
    case VK::Int16: return std::to_string(v.as_int16());
    case VK::Int32: return std::to_string(v.as_int32());
    case VK::Int64: return std::to_string(v.as_int64());
    case VK::Float32: return api::java_float_string(v.as_float32());
    case VK::Float64: return api::java_double_string(v.as_float64());
    case VK::String: return v.as_string();
    case VK::Bytes: return text::base64(v.as_bytes());
    default: return {};
  }
}

Value cast_value(const Schema* schema, const Value& v, Type target) {
  if (v.is_null()) return v;
  Type in = schema ? schema->type() : inferred_type(v);
  if (!is_primitive(in))
    throw DataException(std::string("Cast transformation does not support casting from ") + schema_type_name(in) +
                        "; supported types are " + kInputTypes);
  auto out_of_range = [&]() -> void {
    throw DataException("Value (" + java_string(schema, v) + ") was out of range for requested data type");
  };
  auto unexpected = [&]() -> void {
    throw DataException("Unexpected type in Cast transformation: " + java_class_string(v));
  };
  if (target == Type::String) return Value::string(java_string(schema, v));
  Num n = as_number(schema, v);
  bool is_string = v.kind() == VK::String;
  try {
    switch (target) {
      case Type::Int8:
        if (n.is_number) return Value::int8(static_cast<int8_t>(n.i));
        if (n.is_bool) return Value::int8(n.b ? 1 : 0);
        if (is_string) return Value::int8(static_cast<int8_t>(text::parse_java_integer(v.as_string(), INT8_MIN, INT8_MAX)));
        break;
      case Type::Int16:
        if (n.is_number) return Value::int16(static_cast<int16_t>(n.i));
        if (n.is_bool) return Value::int16(n.b ? 1 : 0);
        if (is_string) return Value::int16(static_cast<int16_t>(text::parse_java_integer(v.as_string(), INT16_MIN, INT16_MAX)));
        break;
      case Type::Int32:
        if (n.is_number) return Value::int32(n.i);
        if (n.is_bool) return Value::int32(n.b ? 1 : 0);
        if (is_string) return Value::int32(static_cast<int32_t>(text::parse_java_integer(v.as_string(), INT32_MIN, INT32_MAX)));
        break;
      case Type::Int64:
        if (n.is_number) return Value::int64(n.l);
        if (n.is_bool) return Value::int64(n.b ? 1 : 0);
        if (is_string) return Value::int64(text::parse_java_integer(v.as_string(), INT64_MIN, INT64_MAX));
        break;
      case Type::Float32:
        if (n.is_number) return Value::float32(n.f);
        if (n.is_bool) return Value::float32(n.b ? 1.f : 0.f);
        if (is_string) return Value::float32(static_cast<float>(text::parse_java_double(v.as_string())));
        break;
      case Type::Float64:
        if (n.is_number) return Value::float64(n.d);
        if (n.is_bool) return Value::float64(n.b ? 1. : 0.);
        if (is_string) return Value::float64(text::parse_java_double(v.as_string()));
        break;
      case Type::Boolean:
        if (n.is_number) return Value::boolean(n.l != 0);
        if (n.is_bool) return Value::boolean(n.b);
        if (is_string) {
          const std::string& s = v.as_string();
          bool t = s.size() == 4 && std::tolower(s[0]) == 't' && std::tolower(s[1]) == 'r' && std::tolower(s[2]) == 'u' &&
                   std::tolower(s[3]) == 'e';
          return Value::boolean(t);
        }
        break;
      default:
        break;
    }
  } catch (const text::NumberFormatError&) {
    out_of_range();
  }
  unexpected();
  return {};
}

SchemaBuilder builder_for(Type t) { return SchemaBuilder(t); }

template <Operand O>
class Cast final : public api::Transformation {
 public:
  std::string version() const override { return kVersion; }

  ConfigDef config_def() const override {
    ConfigDef d;
    d.define(config_key(
        "spec", ConfigType::List, std::nullopt, Importance::High,
        "List of fields and the type to cast them to of the form field1:type,field2:type to cast fields of Maps or "
        "Structs. A single type to cast the entire value. Valid types are int8, int16, int32, int64, float32, "
        "float64, boolean, and string. Note that binary fields can only be cast to string.",
        [](const std::string&, const std::string& v) -> std::optional<std::string> {
          try {
            parse_spec(cv::split_list(v));
          } catch (const ConfigException& e) {
            return std::string(e.what());
          }
          return std::nullopt;
        }));
    d.define(replace_null_with_default_key());
    return d;
  }

  void configure(const Config& c) override {
    api::ConfigDef def = config_def();
    // The spec's own messages stand alone in Java (ConfigException from the validator).
    if (auto it = c.find("spec"); it != c.end()) spec_ = parse_spec(cv::split_list(it->second));
    check_config(def, c);
    replace_null_ = cv::get_bool(c, "replace.null.with.default", true);
    cache_.clear();
  }

  void apply(SourceRecord& r, bool&) override {
    Value& value = Side<O>::value(r);
    if (value.is_null()) return;
    SchemaPtr& schema = Side<O>::schema(r);
    if (!schema) {
      if (spec_.whole) {
        value = cast_value(nullptr, value, *spec_.whole);
        return;
      }
      api::Map out = require_map(value, kPurpose);
      for (auto& [name, type] : spec_.fields) {
        const Value* v = map_get(out, name);
        Value cast = cast_value(nullptr, v ? *v : Value(), type);
        map_put(out, name, std::move(cast));
      }
      value = Value::map(std::move(out));
      return;
    }
    const SchemaPtr* out_schema = cache_.get(schema.get());
    if (!out_schema) out_schema = &cache_.put(schema.get(), {schema}, updated_schema(*schema));
    if (spec_.whole) {
      value = cast_value(schema.get(), value, *spec_.whole);
      schema = *out_schema;
      return;
    }
    const Struct& in = require_struct(value, kPurpose);
    Struct out(*out_schema);
    const auto& fields = in.schema()->fields();
    for (size_t i = 0; i < fields.size(); ++i) {
      const Value& v = struct_get(in, fields[i], replace_null_);
      const Type* t = spec_.find(fields[i].name);
      Value next = t ? cast_value(fields[i].schema.get(), v, *t) : v;
      const api::Field& of = (*out_schema)->fields()[i];
      if (next.is_null() && !of.schema->optional()) validate_value(&of.name, *of.schema, next);
      out.put(i, std::move(next));
    }
    schema = *out_schema;
    value = Value::structure(std::move(out));
  }

 private:
  static constexpr const char* kPurpose = "cast types";

  SchemaPtr updated_schema(const Schema& s) const {
    SchemaBuilder b = spec_.whole ? builder_for(*spec_.whole) : SchemaBuilder::structure();
    copy_schema_basics(s, b);
    if (!spec_.whole) {
      if (s.type() != Type::Struct) throw DataException("Cannot list fields on non-struct type");
      for (auto& f : s.fields()) {
        const Type* t = spec_.find(f.name);
        if (!t) {
          b.field(f.name, f.schema);
          continue;
        }
        SchemaBuilder fb(*t);
        if (f.schema->optional()) fb.optional();
        if (f.schema->default_value()) fb.default_value(cast_value(f.schema.get(), *f.schema->default_value(), *t));
        b.field(f.name, fb.build());
      }
    }
    if (s.optional()) b.optional();
    if (s.default_value())
      b.default_value(cast_value(&s, *s.default_value(), spec_.whole ? *spec_.whole : Type::Struct));
    return b.build();
  }

  Spec spec_;
  bool replace_null_ = true;
  SchemaCache<> cache_{kSchemaCacheSize};
};

}  // namespace

void add_cast(api::PluginBuilder& p) {
  p.transformation<Cast<Operand::Key>>("org.apache.kafka.connect.transforms.Cast$Key");
  p.transformation<Cast<Operand::Value>>("org.apache.kafka.connect.transforms.Cast$Value");
}

}  // namespace sluice::transforms
